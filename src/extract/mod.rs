//! Reader mode: the article alone from a news page, with its title, byline, date and
//! section, whatever the site wraps around it (menus, share buttons, related links,
//! comments). dom_smoothie finds the body; this module adds what it does not know well
//! (metadata from JSON-LD and OpenGraph, French dates) and is the only place that knows
//! dom_smoothie, so the rest of kiosque sees `Extracted` alone.

mod boilerplate;
mod breaks;
mod charset;
mod dates;
mod disclosures;
mod metadata;
mod second_opinion;

use std::collections::HashMap;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use dom_query::{Document, NodeRef};
use regex::Regex;
use serde::Serialize;
use url::Url;

use crate::html_limits::{MAX_DEPTH, prepare};
use crate::sanitize::clean_line;

pub use charset::decode;
pub use dates::parse as parse_date;
pub use metadata::site_name;

/// Pages are cut here, once scripts and styles are out: no article needs more, and
/// extraction time grows with the page.
pub const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

/// dom_smoothie's choice gives way to a block with this many times more prose than it
/// kept, even one that does not hold it: it took a box beside the article.
const DOUBT: usize = 4;

/// Where dom_smoothie leaves the article's element in its document.
const ARTICLE_ELEMENT: &str = "#readability-page-1";

/// Short text that is mostly links is a menu, not an article.
const MENU_CHARS: usize = 200;

/// An article as reader mode found it.
#[derive(Debug, Clone, PartialEq)]
pub struct Extracted {
    pub url: Option<String>,
    pub title: String,
    pub byline: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub modified: Option<DateTime<FixedOffset>>,
    pub site_name: Option<String>,
    pub lang: Option<String>,
    pub section: Option<String>,
    pub image: Option<String>,
    /// The body as clean HTML; empty without an article.
    pub html: String,
}

/// `kiosque read --format json`: the fields in their order, the text among them.
impl Serialize for Extracted {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = serializer.serialize_struct("Extracted", 11)?;
        out.serialize_field("url", &self.url)?;
        out.serialize_field("title", &self.title)?;
        out.serialize_field("byline", &self.byline)?;
        out.serialize_field("published", &self.published)?;
        out.serialize_field("modified", &self.modified)?;
        out.serialize_field("site_name", &self.site_name)?;
        out.serialize_field("lang", &self.lang)?;
        out.serialize_field("section", &self.section)?;
        out.serialize_field("image", &self.image)?;
        out.serialize_field("text", &self.text())?;
        out.serialize_field("html", &self.html)?;
        out.end()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("empty page")]
    Empty,
    #[error("binary data, not a web page,")]
    Binary,
}

impl Extracted {
    /// Whether the page held an article; without one, only the metadata is known.
    pub fn has_article(&self) -> bool {
        !self.html.is_empty()
    }

    /// The body as plain text (`render::text`): laid out on demand, as most readers of
    /// an article want its HTML, and the layout costs as much as the rest of reader mode.
    pub fn text(&self) -> String {
        crate::render::text(&self.html)
    }
}

/// Extracts the article from a page's HTML; `url` is where it came from (for relative
/// links). `now` dates "il y a 2 heures" and the like.
pub fn extract(html: &str, url: Option<&Url>, now: DateTime<FixedOffset>) -> Result<Extracted, ExtractError> {
    if html.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    if looks_binary(html) {
        return Err(ExtractError::Binary);
    }
    let prepared = prepare(html, MAX_DEPTH);
    let page = &prepared[..floor_char_boundary(&prepared, MAX_PAGE_BYTES)];
    let document = Document::from(page);
    let found = metadata::read(&document, now);
    tidy(&document);
    let most_prose = second_opinion::best_block(&document).map(|b| b.prose);
    let config = dom_smoothie::Config { max_elements_to_parse: 0, ..dom_smoothie::Config::default() };
    // A panic in dom_smoothie on an odd page is a page without an article. Its reader is
    // kept, as the article's element is judged again in its document.
    let read = crate::guard::guarded(|| {
        let mut readability =
            dom_smoothie::Readability::with_document(document, url.map(Url::as_str), Some(config)).ok()?;
        let article = readability.parse().ok()?;
        Some((readability, article))
    })
    .ok()
    .flatten();
    let article = read.as_ref().map(|(_, article)| article);
    // dom_smoothie's own reading of a field, as one clean line.
    let theirs = |field: fn(&dom_smoothie::Article) -> &Option<String>| {
        article.and_then(|a| field(a).as_deref()).map(clean_line).filter(|s| !s.is_empty())
    };
    let byline = [theirs(|a| &a.byline), found.byline.clone(), found.markup_byline.clone()]
        .into_iter()
        .flatten()
        .find_map(|b| metadata::plausible_name(&b));
    let date = |s: Option<String>| s.and_then(|d| dates::parse(&d, now));
    // dom_smoothie reads JSON-LD and meta dates as Readability.js does; ours add more
    // names, <time> and the date the page shows.
    let published = date(theirs(|a| &a.published_time)).or(found.published);
    let modified = found.modified.or_else(|| date(theirs(|a| &a.modified_time)));
    let days = [published, modified].into_iter().flatten().map(|d| d.date_naive()).collect();
    let site_name = found.site_name.or_else(|| theirs(|a| &a.site_name));
    let lang = found.lang.or_else(|| theirs(|a| &a.lang));
    let document_title = article.map(|a| clean_line(&a.title)).filter(|t| !t.is_empty());
    // A headline given escaped twice ("&amp;#8230;") reaches here escaped once; one with
    // a "<" in it is text, not markup to read again.
    let unescaped = |t: String| if t.contains('<') { t } else { metadata::decode_entities(&t) };
    let page_title = found.document_title.map(unescaped);
    let document_title = document_title.map(unescaped).or_else(|| page_title.clone()).unwrap_or_default();
    let title = headline(&found.visible_headlines, &document_title, page_title.as_deref());
    let title = without_site_name(&title, site_name.as_deref(), url);
    let known = boilerplate::Known::new(&title, byline.as_deref(), days, found.section.as_deref(), now);
    // What dom_smoothie kept, and its prose outside links, measured as the second
    // opinion measures blocks: a list of links it took for the article has next to none.
    let element = read.as_ref().and_then(|(readability, _)| {
        let node = *readability.doc.select_single(ARTICLE_ELEMENT).nodes().first()?;
        let (html, prose) = body(&node, &known);
        Some((html, prose, node))
    });
    // dom_smoothie's element is read again only if a block is weighed against it.
    let (mut html, kept, kept_node) = match element {
        Some((html, prose, node)) => {
            let node = (!html.is_empty()).then_some(node);
            (html, prose, node)
        }
        None => (String::new(), 0, None),
    };
    // A block with more prose than dom_smoothie kept is taken when it has much more (a box
    // beside the article was kept) or holds what was kept (a part of it was).
    if most_prose.is_some_and(|prose| kept < prose) {
        // Rare: the page is parsed again, as dom_smoothie took the first parse apart.
        let document = Document::from(page);
        tidy(&document);
        if let Some(block) = second_opinion::best_block(&document) {
            let shown = block.shown();
            let (ours, _) = body(&shown, &known);
            let theirs = || kept_node.map(|node| node.text().to_string()).unwrap_or_default();
            if !ours.is_empty() && (kept * DOUBT < block.prose || holds(&shown.text(), &theirs())) {
                html = ours;
            }
        }
    }
    Ok(Extracted {
        url: url.map(Url::to_string),
        title,
        byline,
        published,
        modified,
        site_name,
        lang,
        section: found.section,
        image: found.image.or_else(|| theirs(|a| &a.image)),
        html,
    })
}

/// The title: one of the page's headlines (its `<h1>`s) when it is the article's, that
/// is when it shares at least 40% of its words with the document's title (JSON-LD,
/// OpenGraph, `<title>`, as dom_smoothie chose it) or with the page's own (OpenGraph,
/// else `<title>`, which dom_smoothie may have passed over for another headline of its
/// JSON-LD), the one that shares most words; else the document's title. A lone `<h1>` that
/// shares nothing is the site's name or a section's, not the article's.
fn headline(visible: &[String], document_title: &str, page_title: Option<&str>) -> String {
    let words = |s: &str| -> std::collections::HashSet<String> { words(s).collect() };
    let titles: Vec<_> = std::iter::once(document_title).chain(page_title).map(words).collect();
    // The words shared with the title it agrees with most, when they are enough.
    let agreement = |h1: &String| {
        let ours = words(h1);
        let shared = titles.iter().map(|t| ours.intersection(t).count()).max().unwrap_or(0);
        (ours.len() >= 3 && shared * 10 >= ours.len() * 4).then_some(shared)
    };
    // The first of those that share most (`max_by_key` keeps the last of equals).
    let best = visible.iter().rev().filter_map(|h1| Some((agreement(h1)?, h1))).max_by_key(|(shared, _)| *shared);
    match (best, visible) {
        (Some((_, h1)), _) => h1.clone(),
        (None, [only]) if document_title.is_empty() => only.clone(),
        (None, _) => document_title.to_owned(),
    }
}

/// "Titre – 42mag.fr" → "Titre", when the part after the separator names the site.
fn without_site_name(title: &str, site_name: Option<&str>, url: Option<&Url>) -> String {
    let host = url.and_then(Url::host_str).map(|h| h.trim_start_matches("www.").to_lowercase());
    let names_site = |part: &str| {
        let part = part.trim().to_lowercase();
        site_name.is_some_and(|s| s.trim().to_lowercase() == part)
            || host.as_deref().is_some_and(|h| h == part || h.split('.').next() == Some(part.as_str()))
    };
    for separator in [" | ", " – ", " — ", " - ", " :: ", " · "] {
        if let Some((head, tail)) = title.rsplit_once(separator) {
            if names_site(tail) && !head.trim().is_empty() {
                return head.trim().to_owned();
            }
        }
        if let Some((head, tail)) = title.split_once(separator) {
            if names_site(head) && !tail.trim().is_empty() {
                return tail.trim().to_owned();
            }
        }
    }
    title.to_owned()
}

/// What the page shows to a reader, before anyone looks for the article in it. What
/// it changes is found in one walk over the page.
fn tidy(document: &Document) {
    let (mut streamed, mut clutter, mut breaks, mut controls) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for node in document.root().descendants_it() {
        if node.has_attr("aria-controls") {
            controls.push(node);
        }
        if node.has_name("br") {
            breaks.push(node);
        } else if is_streamed_part(&node) {
            streamed.push(node);
        } else if is_clutter(&node) {
            clutter.push(node);
        }
    }
    reveal_streamed(document, &streamed);
    disclosures::reveal(document, &controls);
    remove_clutter(&clutter);
    breaks::into_paragraphs(&breaks);
}

/// Whether `node` is an element with attribute `name`, and its value passes `test`:
/// read in place, as every element of the page is asked.
fn attr_is(node: &NodeRef<'_>, name: &str, test: impl FnOnce(&str) -> bool) -> bool {
    node.element_ref().is_some_and(|e| e.attrs.iter().find(|a| &*a.name.local == name).is_some_and(|a| test(&a.value)))
}

/// Pages rendered by React in streaming mode send late parts (often the article) as
/// `<div hidden id="S:n">`, which a script then moves to its placeholder `<template
/// id="B:n">`.
fn is_streamed_part(node: &NodeRef<'_>) -> bool {
    node.has_name("div") && node.has_attr("hidden") && attr_is(node, "id", |id| id.starts_with("S:"))
}

/// The move of each streamed part to its placeholder is made here, so the part counts as
/// shown.
fn reveal_streamed(document: &Document, parts: &[NodeRef<'_>]) {
    for part in parts {
        let Some(n) = part.attr("id").and_then(|id| id.strip_prefix("S:").map(str::to_owned)) else { continue };
        part.remove_attr("hidden");
        if let Some(placeholder) = document.select(&format!("template[id='B:{n}']")).nodes().first() {
            placeholder.replace_with(part);
        }
    }
}

/// Boxes that sit inside articles but are not the article: about the author, share
/// buttons, related links, newsletters, comments. dom_smoothie keeps them when they are
/// within the article's element. Their classes are matched by one automaton: a selector
/// of 13 alternatives cost 13 walks.
fn is_clutter(node: &NodeRef<'_>) -> bool {
    static CLUTTER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            "(?i)author-box|author-bio|about-author|author-info|share-buttons|sharing|social-share\
             |related-posts|related-articles|newsletter|comments-area|comment-list",
        )
        .expect("valid")
    });
    attr_is(node, "class", |class| CLUTTER.is_match(class))
        || attr_is(node, "id", |id| id.eq_ignore_ascii_case("comments"))
}

/// Removes the clutter found, small boxes only, so that a page wrapping its whole
/// article in a "share-container" keeps it.
fn remove_clutter(clutter: &[NodeRef<'_>]) {
    const SMALL: usize = 1500;
    for node in clutter {
        if node.text().len() < SMALL {
            node.remove_from_parent();
        }
    }
}

/// The article's element as clean HTML, without what is not the article, and its prose
/// (`second_opinion::prose_chars`); empty and 0 when there is no article in it.
fn body(element: &NodeRef<'_>, known: &boilerplate::Known) -> (String, usize) {
    boilerplate::strip(element, known);
    unwrap_table_parts(element);
    let (all, linked) = second_opinion::chars(element);
    if all == 0 || is_menu(all, linked) { (String::new(), 0) } else { (element.html().to_string(), all - linked) }
}

/// dom_smoothie, as Readability.js, renames a layout table it keeps to a `div`, and
/// leaves its rows and cells inside. Read again as HTML, rows and cells outside a table
/// lose their tags and their text runs together ("Liens La chronique…"); as `div`s,
/// each cell stays a block of its own, as the page showed it.
fn unwrap_table_parts(element: &NodeRef<'_>) {
    const PARTS: &[&str] = &["tbody", "thead", "tfoot", "tr", "td", "th", "caption", "colgroup", "col"];
    let orphans: Vec<_> = element
        .descendants_it()
        .filter(|n| n.qual_name_ref().is_some_and(|name| PARTS.contains(&&*name.local)))
        .filter(|n| !n.ancestors_it(None).take_while(|a| a.id != element.id).any(|a| a.has_name("table")))
        .collect();
    for part in orphans {
        part.rename("div");
    }
}

/// The words of `text`, lower case, as compared across texts.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// A heading below the headline (`<h2>` to `<h6>`): what introduces a section or a box.
fn is_subheading(node: &NodeRef<'_>) -> bool {
    node.node_name().is_some_and(|n| matches!(&*n, "h2" | "h3" | "h4" | "h5" | "h6"))
}

/// Whether `outer` says nearly all that `inner` says, word for word (as a bag).
fn holds(outer: &str, inner: &str) -> bool {
    let bag = |t: &str| {
        let mut bag: HashMap<String, usize> = HashMap::new();
        words(t).for_each(|w| *bag.entry(w).or_default() += 1);
        bag
    };
    let (outer, inner) = (bag(outer), bag(inner));
    let total: usize = inner.values().sum();
    let shared: usize = inner.iter().map(|(w, n)| (*n).min(outer.get(w).copied().unwrap_or(0))).sum();
    total > 0 && shared * 10 >= total * 9
}

/// What is left when a page has no article: a few words (`chars` of text, `linked` of
/// them in links), nearly all of them links.
fn is_menu(chars: usize, linked: usize) -> bool {
    chars < MENU_CHARS && linked * 5 >= chars * 4
}

/// Control characters are rare in any text, common in binary data.
fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(8192).collect();
    let controls = sample.iter().filter(|c| c.is_control() && !c.is_whitespace()).count();
    controls * 20 > sample.len()
}

/// The largest index ≤ `at` that falls between characters.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headline_is_the_h1_that_agrees_most_with_the_titles_the_first_of_equals() {
        let h1s = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let title = "Budget 2026 : la ville vote ses écoles";
        // The one that shares most words wins, wherever it stands.
        let visible = h1s(&["Le Journal du quartier", "La ville vote", "Budget 2026 : la ville vote enfin ses écoles"]);
        assert_eq!(headline(&visible, title, None), "Budget 2026 : la ville vote enfin ses écoles");
        // Of two that share as many, the first.
        let visible = h1s(&["La ville vote ses écoles", "Ses écoles, la ville vote"]);
        assert_eq!(headline(&visible, title, None), "La ville vote ses écoles");
        // Agreement with the page's own title counts too; none agreeing leaves the title.
        assert_eq!(
            headline(&h1s(&["Un marché de Noël"]), title, Some("Un marché de Noël place de la mairie")),
            "Un marché de Noël"
        );
        assert_eq!(headline(&h1s(&["Le Journal du quartier"]), title, None), title);
        // A lone h1 is the title of a page that gives none.
        assert_eq!(headline(&h1s(&["Le Journal du quartier"]), "", None), "Le Journal du quartier");
    }
}
