//! A section page's articles, for sites that give neither an API nor a feed: those its
//! JSON-LD lists (`ItemList`, or articles with their `headline` and `datePublished`),
//! then the links under headings and in `<article>` blocks, with the `<time>` beside
//! them. Their text comes later, through reader mode, when they are opened.

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
    for (url, title, published) in json_ld(document, page) {
        if found.len() < MAX_ARTICLES && seen.insert(url.to_string()) {
            found.push(new_article(url, title, published));
        }
    }
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
        found.push(new_article(url, title, published));
    }
    found
}

fn new_article(url: Url, title: String, published: Option<chrono::DateTime<chrono::Utc>>) -> NewArticle {
    NewArticle {
        guid: url.to_string(),
        url: Some(url.to_string()),
        title,
        author: None,
        published,
        section: None,
        summary: None,
        content: None,
    }
}

type Listed = (Url, String, Option<chrono::DateTime<chrono::Utc>>);

/// Articles the page's JSON-LD names, with a link on the site and a title.
fn json_ld(document: &Document, page: &Url) -> Vec<Listed> {
    let mut found = Vec::new();
    for script in document.select("script[type='application/ld+json']").nodes() {
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&script.text()) {
            collect(&value, page, &mut found, 0);
        }
    }
    found
}

fn collect(value: &serde_json::Value, page: &Url, found: &mut Vec<Listed>, depth: usize) {
    use serde_json::Value;
    if depth > 6 || found.len() >= MAX_ARTICLES {
        return;
    }
    match value {
        Value::Array(items) => items.iter().for_each(|v| collect(v, page, found, depth + 1)),
        Value::Object(map) => {
            let text = |key: &str| map.get(key).and_then(Value::as_str).map(clean_line).filter(|t| !t.is_empty());
            let url = text("url")
                .and_then(|u| page.join(&u).ok())
                .filter(|u| u.host_str() == page.host_str() && u.path() != page.path());
            let title = text("headline").or_else(|| text("name"));
            if let (Some(url), Some(title)) = (url, title) {
                let published = text("datePublished")
                    .and_then(|d| chrono::DateTime::parse_from_rfc3339(&d).ok())
                    .map(|d| d.to_utc());
                found.push((url, title, published));
            }
            for key in ["@graph", "itemListElement", "item", "mainEntity"] {
                if let Some(inner) = map.get(key) {
                    collect(inner, page, found, depth + 1);
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_lists_come_first_with_their_dates() {
        let html = r#"<head><script type="application/ld+json">{"@context": "https://schema.org", "@type": "ItemList",
            "itemListElement": [{"@type": "ListItem", "position": 1, "item": {"@type": "NewsArticle",
              "url": "/2025/11/28/marche-de-noel/", "headline": "Le marché de Noël ouvre samedi",
              "datePublished": "2025-11-28T08:00:00+01:00"}},
              {"@type": "ListItem", "position": 2, "url": "https://ailleurs.example/a/", "name": "Ailleurs"}]}
            </script></head><body><h2><a href="/2025/11/28/marche-de-noel/">Le marché de Noël ouvre samedi</a></h2></body>"#;
        let page = Url::parse("https://site.example/agenda/").unwrap();
        let found = articles(&Document::from(html), &page);
        assert_eq!(found.len(), 1, "the link repeats the JSON-LD, and the other site is left out");
        assert_eq!(found[0].title, "Le marché de Noël ouvre samedi");
        assert_eq!(found[0].published.unwrap().to_rfc3339(), "2025-11-28T07:00:00+00:00");
    }

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
