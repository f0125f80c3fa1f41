//! The feeds a web page points to: those it announces in its head (`<link
//! rel="alternate">`), those it links to in its text, and the usual places a site keeps
//! one. Pure: a parsed page in, candidate addresses out, best first; `discover` fetches
//! them.

use dom_query::Document;
use url::Url;

use crate::sanitize::{clean_line, fold, fold_words};

/// Types of `<link rel="alternate">` that name a feed.
const FEED_TYPES: &[&str] = &[
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/rdf+xml",
    "application/json",
    "application/x.atom+xml",
    "text/xml",
];

/// Where sites usually keep their feed, tried from the site's home when a page names none.
pub const USUAL_PLACES: &[&str] = &["feed/", "rss.xml", "atom.xml", "index.xml", "feed.xml", "rss/"];

/// A feed a page points to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    pub url: Url,
    /// What the page calls it.
    pub title: Option<String>,
}

/// The feeds a page announces in its head, the site-wide one first and comment feeds
/// last: a section page announces the site's feed, its own and the comments'.
pub fn announced(document: &Document, base: &Url) -> Vec<FeedLink> {
    let mut found: Vec<FeedLink> = Vec::new();
    for link in document.select("link[rel~='alternate' i][href]").nodes() {
        let kind = link.attr("type").map(|t| t.trim().to_ascii_lowercase()).unwrap_or_default();
        if !FEED_TYPES.contains(&kind.as_str()) {
            continue;
        }
        let Some(url) = link.attr("href").and_then(|h| web_link(base, &h)) else { continue };
        let title = link.attr("title").map(|t| clean_line(&t)).filter(|t| !t.is_empty());
        if !found.iter().any(|f| f.url == url) {
            found.push(FeedLink { url, title });
        }
    }
    // A stable sort: among equals, the page's own order.
    found.sort_by_key(|f| (is_comments(f), f.url.path_segments().map_or(0, |s| s.filter(|s| !s.is_empty()).count())));
    found
}

/// Feeds the page links to where readers see them: a link whose address ends like a feed
/// (`/feed/`, `.rss`, `.xml`, `atom`) or whose words are a feed's ("RSS", "Flux RSS").
pub fn linked(document: &Document, base: &Url) -> Vec<FeedLink> {
    let mut found: Vec<FeedLink> = Vec::new();
    for link in document.select("a[href]").nodes() {
        let Some(url) = link.attr("href").and_then(|h| web_link(base, &h)) else { continue };
        let label = clean_line(&link.text());
        let label = if label.is_empty() {
            // An icon: its alternative text or the link's title.
            let alt = link.find(&["img"]).into_iter().find_map(|i| i.attr("alt")).map(|a| clean_line(&a));
            alt.or_else(|| link.attr("title").map(|t| clean_line(&t))).unwrap_or_default()
        } else {
            label
        };
        if (ends_like_a_feed(&url) || says_feed(&label)) && !found.iter().any(|f| f.url == url) {
            found.push(FeedLink { url, title: Some(label).filter(|l| !l.is_empty()) });
        }
    }
    found.sort_by_key(is_comments);
    found
}

/// The usual feed places under a site's home, in the order they are tried.
pub fn usual_places(home: &Url) -> Vec<Url> {
    USUAL_PLACES.iter().filter_map(|place| home.join(place).ok()).collect()
}

fn web_link(base: &Url, href: &str) -> Option<Url> {
    let mut url = crate::http::web_link(base, href)?;
    url.set_fragment(None);
    Some(url)
}

fn is_comments(feed: &FeedLink) -> bool {
    let words = format!("{} {}", feed.url.as_str().to_lowercase(), fold(feed.title.as_deref().unwrap_or_default()));
    ["comment", "commentaire", "reactions"].iter().any(|w| words.contains(w))
}

fn ends_like_a_feed(url: &Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    matches!(last, "feed" | "rss" | "atom" | "rss2" | "feeds")
        || [".rss", ".atom", ".xml", ".rdf"].iter().any(|end| last.ends_with(end)) && !last.starts_with("sitemap")
}

/// A short label made of a feed's words: "RSS", "Flux RSS", "Atom feed", "S'abonner au flux".
fn says_feed(label: &str) -> bool {
    let label = fold_words(label);
    let words: Vec<&str> = label.split(' ').collect();
    words.len() <= 4 && words.iter().any(|w| matches!(*w, "rss" | "atom" | "flux" | "feed" | "feeds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://blog.example/category/cuisine/").unwrap()
    }

    fn urls(links: &[FeedLink]) -> Vec<&str> {
        links.iter().map(|l| l.url.as_str()).collect()
    }

    #[test]
    fn announced_feeds_put_the_sites_first_and_comments_last() {
        let html = r#"<head>
            <link rel="alternate" type="application/rss+xml" title="Blog » Flux des commentaires" href="/comments/feed/">
            <link rel="alternate" type="application/rss+xml" title="Blog » Cuisine" href="/category/cuisine/feed/">
            <link rel="alternate" type="application/rss+xml" title="Blog » Flux" href="/feed/">
            <link rel="alternate" type="application/atom+xml" href="/feed/#again">
            <link rel="alternate" hreflang="en" href="/en/">
            <link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
            </head>"#;
        let found = announced(&Document::from(html), &base());
        assert_eq!(
            urls(&found),
            [
                "https://blog.example/feed/",
                "https://blog.example/category/cuisine/feed/",
                "https://blog.example/comments/feed/"
            ]
        );
        assert_eq!(found[0].title.as_deref(), Some("Blog » Flux"));
    }

    #[test]
    fn visible_links_by_their_address_or_their_words() {
        let html = r#"<body><a href="/a-propos/">À propos</a>
            <footer><a href="https://feeds.example/blog">Flux RSS</a>
            <a href="/index.xml"><img alt=""></a><a href="/sitemap.xml">Plan</a>
            <a href="/2025/11/les-flux-migratoires-des-oiseaux-en-hiver/">Les flux migratoires des oiseaux en hiver expliqués</a>
            <a href="/feed/atom/" title="Atom"><img src="atom.png" alt="Atom"></a></footer></body>"#;
        let found = linked(&Document::from(html), &base());
        assert_eq!(
            urls(&found),
            ["https://feeds.example/blog", "https://blog.example/index.xml", "https://blog.example/feed/atom/"]
        );
    }

    #[test]
    fn usual_places_stay_under_the_home() {
        let home = Url::parse("https://example.org/blog/").unwrap();
        let places = usual_places(&home);
        assert_eq!(places.len(), USUAL_PLACES.len());
        assert!(places.iter().all(|p| p.as_str().starts_with("https://example.org/blog/")), "{places:?}");
    }
}
