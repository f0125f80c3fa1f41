//! From any address a user pastes to something kiosque can follow, in this order: the
//! address is a feed; it is a page of a site with sections (WordPress or a menu); the page
//! announces a feed in its head; it links to one; one answers at a usual place of the
//! site. What was chosen, and why, travels with the answer so `add` can say it.

use std::time::Duration;

use dom_query::Document;
use url::Url;

use super::feed::{self, ParsedFeed};
use super::feed_links::{self, FeedLink};
use super::home;
use super::site::{self, Seen, SiteError, SiteInfo};
use crate::http::Http;

/// A guess at a usual place gets this long: a site that has no feed there often answers
/// slowly with its error page.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

/// At most this many of the feeds a page names are tried, in order.
const MAX_NAMED: usize = 6;

/// What a URL turned out to be.
pub enum Found {
    Feed { url: Url, feed: ParsedFeed, how: How },
    Site(SiteInfo),
}

/// How a feed was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum How {
    /// The address was the feed.
    Given,
    /// `others`: the other feeds the page names, for the user to pick instead.
    Announced {
        page: Url,
        others: Vec<Url>,
    },
    Linked {
        page: Url,
        others: Vec<Url>,
    },
    /// At a usual place under the site's home.
    Probed {
        page: Url,
    },
}

impl How {
    /// Why this feed, in a sentence for the user ("" for a feed given as such).
    pub fn explain(&self, feed: &Url) -> String {
        let (why, others): (String, &[Url]) = match self {
            How::Given => return String::new(),
            How::Announced { page, others } => (format!("found the feed announced by the page {page}: {feed}"), others),
            How::Linked { page, others } => (format!("found the feed linked from the page {page}: {feed}"), others),
            How::Probed { page } => {
                (format!("{page} names no feed; found one at a usual place of the site: {feed}"), &[])
            }
        };
        match others {
            [] => why,
            others => {
                let list: Vec<String> = others.iter().map(|o| format!("  {o}")).collect();
                format!(
                    "{why}\nthe page also names (add one of them instead if it is the one you want):\n{}",
                    list.join("\n")
                )
            }
        }
    }
}

/// Finds out what `url` is, looking for a page's feed when the page is not a site.
pub async fn discover(http: &Http, url: &str) -> Result<Found, SiteError> {
    let (page, html) = match site::examine(http, url).await? {
        Seen::Feed { url, feed } => return Ok(Found::Feed { url, feed, how: How::Given }),
        Seen::Site(info) => return Ok(Found::Site(*info)),
        Seen::Page { url, html } => (url, html),
    };
    let (announced, linked, site_home) = {
        let document = Document::from(html.as_str());
        let announced = feed_links::announced(&document, &page);
        let linked: Vec<FeedLink> =
            feed_links::linked(&document, &page).into_iter().filter(|l| !announced.contains(l)).collect();
        (announced, linked, home::from_page(&document, &page))
    };
    let named = announced.iter().chain(&linked).map(|l| l.url.clone());
    let mut tried: Vec<Url> = Vec::new();
    let mut first_failure: Option<String> = None;
    for (links, announced) in [(&announced, true), (&linked, false)] {
        for link in links.iter().take(MAX_NAMED) {
            tried.push(link.url.clone());
            match fetch_feed(http, &link.url).await {
                Ok((url, feed)) => {
                    let others = named.clone().filter(|u| *u != link.url).collect();
                    let how = if announced { How::Announced { page, others } } else { How::Linked { page, others } };
                    return Ok(Found::Feed { url, feed, how });
                }
                Err(e) => {
                    tracing::info!("{e}");
                    first_failure.get_or_insert_with(|| e.to_string());
                }
            }
        }
    }
    let places: Vec<Url> = feed_links::usual_places(&site_home).into_iter().filter(|p| !tried.contains(p)).collect();
    if let Some((url, feed)) = probe(http, &places).await {
        return Ok(Found::Feed { url, feed, how: How::Probed { page } });
    }
    let named = match first_failure {
        None => "it announces no feed, links to none".to_owned(),
        Some(failure) => format!("the feeds it names do not answer as feeds (first: {failure})"),
    };
    let places = format!("{site_home}{{{}}}", feed_links::USUAL_PLACES.join(", "));
    Err(SiteError::NoFeed { url: page, reason: format!("{named}, and none answers at {places}") })
}

/// The feed at `url`, or why not.
async fn fetch_feed(http: &Http, url: &Url) -> Result<(Url, ParsedFeed), SiteError> {
    let body = http.get(url.as_str()).await?;
    let parsed = feed::parse(&body.bytes, &body.url, body.charset.as_deref())
        .map_err(|e| SiteError::NotAFeed(body.url.clone(), e))?;
    Ok((body.url, parsed))
}

/// The first of `places`, in order, that answers with a feed. They are asked at once,
/// each once, with a short timeout, and never followed off their host.
async fn probe(http: &Http, places: &[Url]) -> Option<(Url, ParsedFeed)> {
    let mut tasks = tokio::task::JoinSet::new();
    for (i, place) in places.iter().enumerate() {
        let (http, place) = (http.clone(), place.clone());
        tasks.spawn(async move {
            let body = http.probe(&place, PROBE_TIMEOUT).await.inspect_err(|e| tracing::debug!("{e}")).ok()?;
            let parsed = feed::parse(&body.bytes, &body.url, body.charset.as_deref()).ok()?;
            Some((i, body.url, parsed))
        });
    }
    let mut found = Vec::new();
    while let Some(done) = tasks.join_next().await {
        found.extend(done.ok().flatten());
    }
    found.into_iter().min_by_key(|(i, _, _)| *i).map(|(_, url, feed)| (url, feed))
}
