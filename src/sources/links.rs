//! A section page's articles, for sites that give neither an API nor a feed: the links
//! under headings and in `<article>` blocks, with the date beside them when there is one.
//! Their text comes later, through reader mode, when they are opened.

use std::collections::HashSet;

use dom_query::Document;
use url::Url;

use crate::model::NewArticle;
use crate::sanitize::clean_line;

/// A section page lists at most this many articles.
const MAX_ARTICLES: usize = 60;

/// Titles shorter than this are buttons and tags, not articles.
const MIN_TITLE_CHARS: usize = 12;

pub fn articles(document: &Document, page: &Url) -> Vec<NewArticle> {
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    for link in document.select("article a[href], h1 a[href], h2 a[href], h3 a[href], h4 a[href]").nodes() {
        if found.len() == MAX_ARTICLES {
            break;
        }
        let Some(url) = link.attr("href").and_then(|h| page.join(h.trim()).ok()) else { continue };
        let title = clean_line(&link.text());
        let same_site = url.host_str() == page.host_str() && matches!(url.scheme(), "http" | "https");
        let deep = url.path().trim_matches('/').contains('/') || url.path().len() > 20;
        if !same_site || !deep || url.path() == page.path() || title.chars().count() < MIN_TITLE_CHARS {
            continue;
        }
        let mut url = url;
        url.set_fragment(None);
        if !seen.insert(url.to_string()) {
            continue;
        }
        let block = std::iter::successors(Some(*link), |n| n.parent())
            .find(|n| n.node_name().is_some_and(|name| name.eq_ignore_ascii_case("article")));
        let published = block
            .and_then(|b| b.find(&["time"]).into_iter().find_map(|t| t.attr("datetime")))
            .and_then(|d| chrono::DateTime::parse_from_rfc3339(d.trim()).ok())
            .map(|d| d.to_utc());
        found.push(NewArticle {
            guid: url.to_string(),
            url: Some(url.to_string()),
            title,
            author: None,
            published,
            section: None,
            summary: None,
            content: None,
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headline_links_of_the_site_with_their_dates() {
        let html = "<main>\
            <article><h2><a href='/2025/11/28/la-fibre-arrive/'>La fibre arrive dans la Drôme</a></h2>\
              <time datetime='2025-11-28T10:00:00+01:00'>28 novembre</time><a href='/tag/fibre/'>fibre</a></article>\
            <h3><a href='/2025/11/27/budget/#comments'>Le budget adopté en première lecture</a></h3>\
            <h3><a href='/2025/11/27/budget/'>Le budget adopté en première lecture</a></h3>\
            <h3><a href='https://ailleurs.example/2025/a/'>Un article d’un autre site</a></h3>\
            <h2><a href='/sport/'>Sport</a></h2></main>";
        let page = Url::parse("https://site.example/actualites/").unwrap();
        let found = articles(&Document::from(html), &page);
        let titles: Vec<&str> = found.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["La fibre arrive dans la Drôme", "Le budget adopté en première lecture"]);
        assert_eq!(found[0].published.unwrap().to_rfc3339(), "2025-11-28T09:00:00+00:00");
        assert_eq!(found[1].url.as_deref(), Some("https://site.example/2025/11/27/budget/"));
    }
}
