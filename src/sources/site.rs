//! What a URL is, and a site's sections: a feed, a WordPress site (its categories through
//! the REST API, shaped by its menu), or any other site (its navigation menu). This is
//! the fetching half; `wordpress`, `menu`, `home` and `feed` parse. A page that is
//! neither is handed back for `discover` to look for its feed.

use dom_query::Document;
use url::Url;

use super::feed::{self, ParsedFeed};
use super::{feed_links, home, links, menu, wordpress};
use crate::extract;
use crate::http::{Body, Http, HttpError, HttpErrorKind};
use crate::model::{NewArticle, Section};

/// Categories are read 100 at a time, the API's maximum, up to this many pages.
const CATEGORY_PAGES: usize = 20;
const PER_PAGE: usize = 100;

/// What a URL turned out to be, before anything is guessed.
pub enum Seen {
    Feed {
        url: Url,
        feed: ParsedFeed,
    },
    Site(Box<SiteInfo>),
    /// A web page that is neither: its text, for looking for a feed.
    Page {
        url: Url,
        html: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteInfo {
    /// The page the menu was read from.
    pub url: Url,
    /// The site's home, path included (`https://example.org/blog/`): the address it is known by.
    pub home: Url,
    pub title: Option<String>,
    pub kind: SiteKind,
    pub sections: Vec<Section>,
    /// The site-wide feed, when the site has one: what other readers subscribe to.
    pub feed: Option<Url>,
}

impl SiteInfo {
    /// The site's home page: its newest articles, and the address it is known by.
    pub fn home(&self) -> String {
        self.home.to_string()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SiteKind {
    /// `closed`: why the API could not be used (the sections then come from the menu).
    WordPress {
        api: Url,
        closed: Option<String>,
    },
    Menu,
}

#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("{0}: {1}")]
    NotAFeed(Url, feed::FeedError),
    #[error("{0}: a web page, but neither a feed nor a site with sections (no WordPress API, no navigation menu)")]
    NoSections(Url),
    /// `reason`: what the page named, and the usual places asked.
    #[error("{url}: a web page, but neither a feed nor a site with sections: {reason}")]
    NoFeed { url: Url, reason: String },
    #[error("{url}: {reason}")]
    Api { url: Url, reason: String },
    #[error(
        "{url}: this section lists no articles: no feed, and its page's {links} links all go to menus, other \
         sections, tags, authors, pages of the list or other sites"
    )]
    NoArticles { url: Url, links: usize },
    #[error("{0}: not a valid link ({1})")]
    BadLink(String, String),
}

/// Fetches `url` and finds out what it is: a feed, a site (a page of a site gives the
/// whole site), or a page that is neither.
pub async fn examine(http: &Http, url: &str) -> Result<Seen, SiteError> {
    let body = http.get(url).await?;
    match feed::parse(&body.bytes, &body.url, body.charset.as_deref()) {
        Ok(feed) => return Ok(Seen::Feed { url: body.url, feed }),
        // A page is what the feed parser recognised as one, or what the server calls one.
        Err(feed::FeedError::Html) => {}
        Err(_) if body.content_type.as_deref().is_some_and(|t| t.contains("html")) => {}
        Err(e) => return Err(SiteError::NotAFeed(body.url, e)),
    }
    let html = page_text(&body);
    let page = body.url.clone();
    // A parsed page cannot be held across the fetches below: what is needed of it is
    // read now, the menu under the home the page shows.
    let (api, shown_home, declared, own_feed, others, menu) = {
        let document = Document::from(html.as_str());
        let api = body
            .header("link")
            .and_then(|l| wordpress::api_from_link_header(l, &page))
            .or_else(|| wordpress::api_from_html(&document, &page));
        let own_feed = feed_links::announced(&document, &page).into_iter().next().map(|f| f.url);
        let french = document.select("html").attr("lang").is_some_and(|l| l.to_ascii_lowercase().starts_with("fr"));
        let others = if french { "Autres rubriques" } else { "More sections" };
        let shown_home = home::from_page(&document, &page);
        let menu = menu::find(&document, &page, &shown_home);
        let declared = home::declared_name(&document)
            .or_else(|| home::is_home(&page, &shown_home).then(|| home::title_name(&document, &shown_home)).flatten());
        (api, shown_home, declared, own_feed, others, menu)
    };
    let api = match api {
        Some(api) => Some(api),
        None => probe_api(http, &shown_home).await,
    };
    let site_home = api.as_ref().map_or_else(|| shown_home.clone(), home::from_api);
    let mut sections =
        if site_home == shown_home { menu } else { menu::find(&Document::from(html.as_str()), &page, &site_home) };
    let kind = match api {
        None => SiteKind::Menu,
        Some(api) => match categories(http, &api).await {
            Ok(categories) => {
                sections = wordpress::category_tree(&categories, &sections, others);
                SiteKind::WordPress { api, closed: None }
            }
            Err(SiteError::Http(e)) if closes_api(&e.kind) => {
                tracing::info!("{e}: the sections come from the menu");
                SiteKind::WordPress { api, closed: Some(e.kind.to_string()) }
            }
            Err(e) => return Err(e),
        },
    };
    if sections.is_empty() {
        return Ok(Seen::Page { url: page, html });
    }
    let title = match declared {
        Some(name) => Some(name),
        None => home_title(http, &site_home).await,
    };
    let feed = match kind {
        SiteKind::WordPress { .. } => site_home.join("feed/").ok(),
        SiteKind::Menu => own_feed,
    };
    Ok(Seen::Site(Box::new(SiteInfo { url: page, home: site_home, title, kind, sections, feed })))
}

/// The site's name from its home page, fetched: the page the user gave was another (a
/// section page's title names the section).
async fn home_title(http: &Http, site_home: &Url) -> Option<String> {
    let body = http.get(site_home.as_str()).await.inspect_err(|e| tracing::info!("no site name: {e}")).ok()?;
    let html = page_text(&body);
    let document = Document::from(html.as_str());
    home::declared_name(&document).or_else(|| home::title_name(&document, site_home))
}

/// A fetched page as text, decoded, with its depth bounded and its scripts (JSON-LD
/// excepted), styles and drawings out: untrusted pages parse in bounded time.
fn page_text(body: &Body) -> String {
    let (html, _) = extract::decode(&body.bytes, body.charset.as_deref());
    crate::html_limits::prepare(&html, crate::html_limits::MAX_DEPTH).into_owned()
}

/// The number of pages WordPress says a collection has.
fn total_pages(body: &Body) -> Option<u32> {
    body.header("x-wp-totalpages").and_then(|p| p.trim().parse().ok())
}

/// An API that refuses (401, 403), is absent (404) or is rate limited: the site is still
/// read, through its menu and feeds.
fn closes_api(kind: &HttpErrorKind) -> bool {
    match kind {
        HttpErrorKind::Status { code, .. } => matches!(code, 401 | 403 | 404 | 410),
        HttpErrorKind::RateLimited { .. } => true,
        _ => false,
    }
}

/// A site that says nothing of its API may still have one at `wp-json/`, under its home
/// or at the host's root.
async fn probe_api(http: &Http, site_home: &Url) -> Option<Url> {
    let mut roots = vec![site_home.join("wp-json/").ok()?];
    roots.extend(home::root_of(site_home).join("wp-json/").ok().filter(|r| *r != roots[0]));
    for root in roots {
        let Ok(body) = http.get(root.as_str()).await else { continue };
        let Ok(index) = serde_json::from_slice::<serde_json::Value>(&body.bytes) else { continue };
        let namespaces = index.get("namespaces").and_then(|n| n.as_array());
        if namespaces.is_some_and(|n| n.iter().any(|n| n.as_str() == Some("wp/v2"))) {
            return Some(root);
        }
    }
    None
}

/// Every category, page after page.
async fn categories(http: &Http, api: &Url) -> Result<Vec<wordpress::Category>, SiteError> {
    let mut all = Vec::new();
    for page in 1..=CATEGORY_PAGES {
        let url = endpoint(api, "wp/v2/categories", &[("per_page", PER_PAGE.to_string()), ("page", page.to_string())]);
        let body = http.get(url.as_str()).await?;
        let categories =
            wordpress::parse_categories(&body.bytes).map_err(|e| SiteError::Api { url, reason: e.to_string() })?;
        let pages = total_pages(&body).unwrap_or(1) as usize;
        let last = categories.len() < PER_PAGE || page >= pages;
        all.extend(categories);
        if last {
            break;
        }
    }
    Ok(all)
}

/// A route of the API. Sites without pretty links have their root at `/?rest_route=/`.
pub fn endpoint(api: &Url, route: &str, params: &[(&str, String)]) -> Url {
    let mut url = api.clone();
    let plain = api.query_pairs().any(|(k, _)| k == "rest_route");
    if plain {
        url.set_query(None);
        url.query_pairs_mut().append_pair("rest_route", &format!("/{route}"));
    } else {
        url = api.join(route).unwrap_or(url);
    }
    for (name, value) in params {
        url.query_pairs_mut().append_pair(name, value);
    }
    url
}

/// Articles per page of a section.
pub const PAGE_SIZE: usize = 20;

/// How to list a section, as the cache knows the site.
pub struct Listing<'a> {
    /// The WordPress API root, while it answers.
    pub api: Option<&'a str>,
    pub wordpress: bool,
    /// The section's page (the site's home for its newest articles).
    pub url: &'a str,
    pub home: bool,
    /// The category ids of the section and those below it.
    pub categories: &'a [i64],
    /// What dates such as "il y a 2 heures" are read against.
    pub now: chrono::DateTime<chrono::FixedOffset>,
}

/// A page of a section's articles, and whether it is the last.
pub struct Listed {
    pub articles: Vec<NewArticle>,
    pub last: bool,
}

/// Lists page `page` (from 1) of a section: through the WordPress API when it answers,
/// else through the section's feed (a WordPress category's `feed/`, or the one its page
/// names), else through the article links on its page. Only the API pages.
pub async fn list(http: &Http, how: &Listing<'_>, page: u32) -> Result<Listed, SiteError> {
    if let Some(api) = how.api.and_then(|a| Url::parse(a).ok()).filter(|_| how.home || !how.categories.is_empty()) {
        match from_api(http, &api, how, page).await {
            Err(SiteError::Http(e)) if closes_api(&e.kind) => tracing::info!("{e}: listing through feeds"),
            listed => return listed,
        }
    }
    if page > 1 {
        return Ok(Listed { articles: Vec::new(), last: true });
    }
    let section = Url::parse(how.url).map_err(|e| SiteError::BadLink(how.url.to_owned(), e.to_string()))?;
    if how.wordpress {
        match section.join("feed/") {
            Ok(feed) => match from_feed(http, &feed).await {
                Ok(listed) => return Ok(listed),
                Err(e) => tracing::info!("{e}: listing through the section's page"),
            },
            Err(e) => tracing::info!("{section}: no feed link ({e})"),
        }
    }
    let body = http.get(section.as_str()).await?;
    let html = page_text(&body);
    // One parse serves the page's feed and, when it has none, its links; only a feed
    // that fails sends back to the page.
    let read_links = |document: &Document| {
        let articles = links::articles(document, &body.url, how.now);
        let links = document.select("a[href]").length();
        (articles, links)
    };
    let (feed, from_page) = {
        let document = Document::from(html.as_str());
        let feed = (!how.wordpress).then(|| feed_links::announced(&document, &body.url).into_iter().next()).flatten();
        let from_page = feed.is_none().then(|| read_links(&document));
        (feed, from_page)
    };
    if let Some(feed) = feed {
        match from_feed(http, &feed.url).await {
            Ok(listed) => return Ok(listed),
            Err(e) => tracing::info!("{e}: listing through the section's page"),
        }
    }
    let (articles, links) = from_page.unwrap_or_else(|| read_links(&Document::from(html.as_str())));
    if articles.is_empty() {
        return Err(SiteError::NoArticles { url: body.url, links });
    }
    Ok(Listed { articles, last: true })
}

async fn from_api(http: &Http, api: &Url, how: &Listing<'_>, page: u32) -> Result<Listed, SiteError> {
    let mut params = vec![("per_page", PAGE_SIZE.to_string()), ("page", page.to_string())];
    if !how.home {
        let ids: Vec<String> = how.categories.iter().map(i64::to_string).collect();
        params.push(("categories", ids.join(",")));
    }
    params.push(("_embed", "1".to_owned()));
    let url = endpoint(api, "wp/v2/posts", &params);
    let body = match http.get(url.as_str()).await {
        // WordPress answers 400 for a page past the last.
        Err(e) if page > 1 && matches!(e.kind, HttpErrorKind::Status { code: 400, .. }) => {
            return Ok(Listed { articles: Vec::new(), last: true });
        }
        other => other?,
    };
    let articles = wordpress::parse_posts(&body.bytes, &body.url)
        .map_err(|e| SiteError::Api { url: body.url.clone(), reason: e.to_string() })?;
    let pages = total_pages(&body).unwrap_or(page);
    Ok(Listed { last: page >= pages || articles.len() < PAGE_SIZE, articles })
}

async fn from_feed(http: &Http, url: &Url) -> Result<Listed, SiteError> {
    let body = http.get(url.as_str()).await?;
    let parsed = feed::parse(&body.bytes, &body.url, body.charset.as_deref())
        .map_err(|e| SiteError::NotAFeed(body.url.clone(), e))?;
    Ok(Listed { articles: parsed.articles, last: true })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_api_roots_shape() {
        let pretty = Url::parse("https://a.example/wp-json/").unwrap();
        let plain = Url::parse("https://a.example/?rest_route=/").unwrap();
        let page = [("page", "2".to_owned())];
        assert_eq!(
            endpoint(&pretty, "wp/v2/categories", &page).as_str(),
            "https://a.example/wp-json/wp/v2/categories?page=2"
        );
        assert_eq!(
            endpoint(&plain, "wp/v2/categories", &page).as_str(),
            "https://a.example/?rest_route=%2Fwp%2Fv2%2Fcategories&page=2"
        );
    }
}
