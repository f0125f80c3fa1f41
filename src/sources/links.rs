//! A section page's articles, for sites that give neither an API nor a feed: those its
//! JSON-LD lists (`ItemList`, or articles with their `headline` and `datePublished`),
//! then the links of its content, whatever the markup: `<article>` cards, `<ul>`/`<ol>`
//! lists, links under headings, table rows, repeated blocks. Dates come from `<time>` or
//! from the text beside the link ("— 12 novembre 2025", "Nov 28, 2025", "il y a 2 h").
//!
//! What is not an article is left out by its place (menus, header, footer, sidebars,
//! "most read" boxes), its address (the site's sections, tags, authors, pagination,
//! search, login, sharing, other sites) or its words ("Lire la suite" gives no title).
//! Their text comes later, through reader mode, when they are opened.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, FixedOffset, Utc};
use dom_query::{Document, NodeRef};
use url::Url;

use super::{home, menu};
use crate::model::{NewArticle, Section};
use crate::sanitize::{clean_line, fold_words};

/// A section page lists at most this many articles.
const MAX_ARTICLES: usize = 60;

/// Titles shorter than this are buttons and tags, not articles.
const MIN_TITLE_CHARS: usize = 12;

/// Links are read from this many at most: past it, the page is a site map.
const MAX_LINKS: usize = 3000;

/// Places whose links are not the section's articles.
const ASIDE: &str = "nav, header, footer, aside, form, [role='navigation'], [role='banner'], [role='contentinfo'], \
    [role='complementary'], [class*='sidebar' i], [id*='sidebar' i], [class*='widget' i], [class*='related' i], \
    [class*='popular' i], [class*='most-read' i], [class*='trending' i], [class*='share' i], [class*='social' i], \
    [class*='breadcrumb' i], [class*='pagination' i], [class*='comment' i]";

/// Elements that hold one item of a list of articles.
const ITEMS: &str = "article, li, tr, dd, dt, h1, h2, h3, h4, h5, h6, figure";

/// Path segments of pages that list or serve others rather than tell a story.
const NOT_ARTICLES: &[&str] = &[
    "tag",
    "tags",
    "category",
    "categorie",
    "categories",
    "rubrique",
    "author",
    "authors",
    "auteur",
    "auteurs",
    "page",
    "search",
    "recherche",
    "login",
    "connexion",
    "account",
    "compte",
    "subscribe",
    "abonnement",
    "newsletter",
    "contact",
    "feed",
    "rss",
    "share",
    "sharer",
    "wp-login.php",
    "wp-admin",
];

/// Link words that lead to an article without naming it.
const MORE: &[&str] = &[
    "lire la suite",
    "lire plus",
    "la suite",
    "suite",
    "read more",
    "continue reading",
    "continuer la lecture",
    "en savoir plus",
    "voir plus",
    "more",
    "plus",
    "commentaires",
    "comments",
];

pub fn articles(document: &Document, page: &Url, now: DateTime<FixedOffset>) -> Vec<NewArticle> {
    let mut seen = HashSet::new();
    let mut found = Vec::new();
    for (url, title, published) in json_ld(document, page) {
        if found.len() < MAX_ARTICLES && seen.insert(url.to_string()) {
            found.push(new_article(url, title, published));
        }
    }
    let site_home = home::from_page(document, page);
    let mut sections = HashSet::new();
    collect_urls(&menu::find(document, page, &site_home), &mut sections);
    let candidates = candidates(document, page, &site_home, &sections);
    let links_of: HashMap<_, &str> = candidates.iter().map(|c| (c.node.id, c.url.as_str())).collect();
    // One entry per address, in page order: several links may lead to one article.
    let mut chosen: Vec<Chosen<'_>> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for candidate in &candidates {
        let item = item_of(&candidate.node, &links_of, candidate.url.as_str());
        let published = item.and_then(|item| date_in(&item, &candidate.title, now));
        let i = *index.entry(candidate.url.as_str()).or_insert_with(|| {
            chosen.push(Chosen { url: &candidate.url, in_heading: false, title: "", published: None });
            chosen.len() - 1
        });
        let entry = &mut chosen[i];
        // A heading's words are the title; else the longest words that name it.
        let better = (candidate.in_heading && !entry.in_heading)
            || (candidate.in_heading == entry.in_heading && candidate.title.len() > entry.title.len());
        if better && !is_more(&candidate.title) {
            entry.in_heading = candidate.in_heading;
            entry.title = &candidate.title;
        }
        entry.published = entry.published.or(published);
    }
    for entry in chosen {
        if found.len() == MAX_ARTICLES {
            break;
        }
        if entry.title.chars().count() >= MIN_TITLE_CHARS && seen.insert(entry.url.to_string()) {
            found.push(new_article(entry.url.clone(), entry.title.to_owned(), entry.published));
        }
    }
    found
}

/// The best a page says of one article: the title of its heading link, else its longest.
struct Chosen<'a> {
    url: &'a Url,
    in_heading: bool,
    title: &'a str,
    published: Option<DateTime<Utc>>,
}

struct Candidate<'a> {
    node: NodeRef<'a>,
    url: Url,
    title: String,
    in_heading: bool,
}

/// The page's links that may be articles, in page order.
fn candidates<'a>(
    document: &'a Document,
    page: &Url,
    site_home: &Url,
    sections: &HashSet<String>,
) -> Vec<Candidate<'a>> {
    let mut found = Vec::new();
    for link in document.select("body a[href]").nodes().iter().take(MAX_LINKS) {
        let rel = link.attr("rel").map(|r| r.to_ascii_lowercase()).unwrap_or_default();
        if rel.split_whitespace().any(|r| matches!(r, "tag" | "author" | "next" | "prev" | "category")) {
            continue;
        }
        let Some(mut url) = link.attr("href").and_then(|h| page.join(h.trim()).ok()) else { continue };
        url.set_fragment(None);
        if !is_article_address(&url, page, site_home, sections) || in_aside(link) || !in_item(link) {
            continue;
        }
        let title = clean_line(&link.text());
        let in_heading = link.ancestors_it(Some(4)).any(|a| a.is("h1, h2, h3, h4, h5, h6"));
        found.push(Candidate { node: *link, url, title, in_heading });
    }
    found
}

/// A page of the site, below its home, that is not the section itself, one of the site's
/// sections or above it, nor a list or service page.
fn is_article_address(url: &Url, page: &Url, site_home: &Url, sections: &HashSet<String>) -> bool {
    if !crate::http::is_web(url) || !home::is_under(url, site_home) || home::is_home(url, site_home) {
        return false;
    }
    let path = url.path();
    if path == page.path() || page.path().starts_with(path) || sections.contains(&key(url)) {
        return false;
    }
    let segments: Vec<String> = path.split('/').filter(|s| !s.is_empty()).map(str::to_lowercase).collect();
    if segments.iter().any(|s| NOT_ARTICLES.contains(&s.as_str())) {
        return false;
    }
    let paged = url.query_pairs().any(|(k, _)| matches!(k.as_ref(), "page" | "paged" | "s" | "q" | "replytocom"));
    // One short word is a section's address ("/sport/"); an article's says more.
    let deep = segments.len() >= 2 || path.len() > 20 || url.query().is_some_and(|q| q.contains('='));
    deep && !paged
}

fn in_aside(link: &NodeRef<'_>) -> bool {
    link.ancestors_it(None).any(|a| a.is_element() && a.is(ASIDE))
}

/// Whether the link sits in a list item, a heading, a table cell, a card, or a block
/// repeated beside others like it.
fn in_item(link: &NodeRef<'_>) -> bool {
    link.ancestors_it(Some(5)).any(|a| {
        a.is(ITEMS) || {
            let name = a.node_name();
            let repeated =
                |s: Option<NodeRef<'_>>| s.is_some_and(|s| s.node_name() == name && !s.find(&["a"]).is_empty());
            a.is("div, section, span") && (repeated(a.prev_element_sibling()) || repeated(a.next_element_sibling()))
        }
    })
}

/// The largest block around `link` that holds no other candidate: its list item, row or
/// card, where its date is written.
fn item_of<'a>(link: &NodeRef<'a>, links_of: &HashMap<dom_query::NodeId, &str>, url: &str) -> Option<NodeRef<'a>> {
    let mut item = None;
    for ancestor in link.ancestors_it(Some(6)) {
        if !ancestor.is_element() || ancestor.is("body, main") {
            break;
        }
        let alone = ancestor.find(&["a"]).iter().all(|a| links_of.get(&a.id).is_none_or(|other| *other == url));
        if !alone {
            break;
        }
        item = Some(ancestor);
    }
    item
}

/// The date in an item: its `<time>`, else the words beside the title.
fn date_in(item: &NodeRef<'_>, title: &str, now: DateTime<FixedOffset>) -> Option<DateTime<Utc>> {
    let time = item.find(&["time"]).into_iter().find_map(|t| {
        let datetime = t.attr("datetime").map(|d| d.to_string()).unwrap_or_default();
        crate::extract::parse_date(datetime.trim(), now)
            .or_else(|| crate::extract::parse_date(&clean_line(&t.text()), now))
    });
    let written = || {
        let text = clean_line(&item.text());
        let beside = text.replacen(title, " ", 1);
        (beside.len() <= 300).then(|| crate::extract::parse_date(&beside, now)).flatten()
    };
    time.or_else(written).map(|d| d.to_utc())
}

fn is_more(title: &str) -> bool {
    MORE.contains(&fold_words(title).as_str())
}

fn collect_urls(sections: &[Section], into: &mut HashSet<String>) {
    for section in sections {
        if let Some(url) = section.url.as_deref().and_then(|u| Url::parse(u).ok()) {
            into.insert(key(&url));
        }
        collect_urls(&section.children, into);
    }
}

/// Addresses of the same page compare equal whatever their host spelling or last slash.
fn key(url: &Url) -> String {
    format!("{}{}", url.host_str().unwrap_or_default().trim_start_matches("www."), url.path().trim_end_matches('/'))
}

fn new_article(url: Url, title: String, published: Option<DateTime<Utc>>) -> NewArticle {
    NewArticle {
        guid: url.to_string(),
        url: Some(url.to_string()),
        title,
        author: None,
        published,
        section: None,
        summary: None,
        content: None,
        enclosures: Vec::new(),
    }
}

type Listed = (Url, String, Option<DateTime<Utc>>);

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
                let published =
                    text("datePublished").and_then(|d| DateTime::parse_from_rfc3339(&d).ok()).map(|d| d.to_utc());
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

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap()
    }

    fn listed(html: &str, page: &str) -> Vec<(String, String, Option<String>)> {
        let page = Url::parse(page).unwrap();
        articles(&Document::from(html), &page, now())
            .into_iter()
            .map(|a| {
                let path = Url::parse(a.url.as_deref().unwrap()).unwrap().path().to_owned();
                (path, a.title, a.published.map(|d| d.format("%Y-%m-%d %H:%M").to_string()))
            })
            .collect()
    }

    #[test]
    fn json_ld_lists_come_first_with_their_dates() {
        let html = r#"<head><script type="application/ld+json">{"@context": "https://schema.org", "@type": "ItemList",
            "itemListElement": [{"@type": "ListItem", "position": 1, "item": {"@type": "NewsArticle",
              "url": "/2025/11/28/marche-de-noel/", "headline": "Le marché de Noël ouvre samedi",
              "datePublished": "2025-11-28T08:00:00+01:00"}},
              {"@type": "ListItem", "position": 2, "url": "https://ailleurs.example/a/", "name": "Ailleurs"}]}
            </script></head><body><h2><a href="/2025/11/28/marche-de-noel/">Le marché de Noël ouvre samedi</a></h2></body>"#;
        let found = listed(html, "https://site.example/agenda/");
        assert_eq!(found.len(), 1, "the link repeats the JSON-LD, and the other site is left out");
        assert_eq!(found[0].1, "Le marché de Noël ouvre samedi");
        assert_eq!(found[0].2.as_deref(), Some("2025-11-28 07:00"));
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
        let found = listed(html, "https://site.example/actualites/");
        let titles: Vec<&str> = found.iter().map(|a| a.1.as_str()).collect();
        assert_eq!(titles, ["La fibre arrive dans la Drôme", "Le budget adopté en première lecture"]);
        assert_eq!(found[0].2.as_deref(), Some("2025-11-28 09:00"));
        assert_eq!(found[1].0, "/2025/11/27/budget/");
    }

    #[test]
    fn a_list_of_links_with_written_dates_and_its_noise_left_out() {
        let html = "<body><header><nav><ul><li><a href='/culture/'>Culture</a></li>\
              <li><a href='/culture/cinema/'>Cinéma</a></li><li><a href='/culture/livres/'>Livres</a></li></ul></nav></header>\
            <main><h1>Culture</h1><ul class='list'>\
              <li><a href='/culture/le-festival-lumiere-ouvre-ses-portes'>Le festival Lumière ouvre ses portes</a> — 12 novembre 2025</li>\
              <li><a href='/culture/un-roman-venu-du-froid'>Un roman venu du froid, prix des lycéens</a> <span>Nov 3, 2025</span>\
                <a href='/culture/un-roman-venu-du-froid'>Lire la suite</a></li>\
              <li><a href='/culture/cinema/'>Tout le cinéma de la semaine</a></li>\
              <li><a href='/author/marie-dupont/'>Marie Dupont, notre critique</a></li>\
              <li><a href='/culture/page/2/'>Page suivante des articles</a></li>\
              <li><a href='https://facebook.com/sharer.php?u=x'>Partager sur Facebook</a></li>\
              <li><a href='/connexion/?redirect=culture'>Se connecter à son compte</a></li>\
            </ul></main>\
            <aside><h2>Les plus lus</h2><ol><li><a href='/sport/le-club-remonte-en-ligue-1'>Le club remonte en Ligue 1</a></li></ol></aside>\
            <footer><ul><li><a href='/mentions-legales/conditions-generales'>Conditions générales d’utilisation</a></li></ul></footer>\
            </body>";
        let found = listed(html, "https://site.example/culture/");
        assert_eq!(
            found,
            [
                (
                    "/culture/le-festival-lumiere-ouvre-ses-portes".to_owned(),
                    "Le festival Lumière ouvre ses portes".to_owned(),
                    Some("2025-11-11 23:00".to_owned())
                ),
                (
                    "/culture/un-roman-venu-du-froid".to_owned(),
                    "Un roman venu du froid, prix des lycéens".to_owned(),
                    Some("2025-11-02 23:00".to_owned())
                ),
            ]
        );
    }

    #[test]
    fn a_table_of_articles_with_a_date_column() {
        let html = "<main><table><thead><tr><th>Titre</th><th>Date</th></tr></thead><tbody>\
            <tr><td><a href='/eco/2025/la-bourse-termine-en-hausse.html'>La Bourse termine en hausse</a></td><td>27/11/2025</td></tr>\
            <tr><td><a href='/eco/2025/le-chomage-recule-encore.html'>Le chômage recule encore au troisième trimestre</a></td>\
              <td>il y a 2 heures</td></tr>\
            </tbody></table><p><a href='/eco/?page=2'>Articles plus anciens de la rubrique</a></p></main>";
        let found = listed(html, "https://site.example/eco/");
        let dated: Vec<(&str, Option<&str>)> = found.iter().map(|a| (a.1.as_str(), a.2.as_deref())).collect();
        assert_eq!(
            dated,
            [
                ("La Bourse termine en hausse", Some("2025-11-26 23:00")),
                ("Le chômage recule encore au troisième trimestre", Some("2025-11-28 12:00")),
            ]
        );
    }
}
