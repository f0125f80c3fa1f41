//! What a page says about its article besides the body: headline, author, dates, section,
//! site, image, language. Read from the page before extraction changes it, in the order
//! that is most often right, first match wins: JSON-LD (`NewsArticle` and its kin, and
//! `BreadcrumbList` for the section), then OpenGraph and `article:*` or named `<meta>`,
//! then `<time datetime>`, then byline markup, then dates written in the page.

use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset};
use dom_query::{Document, NodeRef};
use regex::Regex;
use serde_json::Value;

use super::attr_is;
use super::dates;
use crate::html_limits::starts_block;
use crate::sanitize::clean_line;

#[derive(Debug, Default, Clone, PartialEq)]
pub struct Found {
    /// The page's one `<h1>`, as readers see it.
    pub visible_headlines: Vec<String>,
    /// The title the page gives itself (OpenGraph, else `<title>`): for a page where
    /// reader mode finds no article, whose title dom_smoothie then does not give.
    pub document_title: Option<String>,
    /// From JSON-LD or `<meta>`.
    pub byline: Option<String>,
    /// From the page's markup: author links, byline elements, "Par …".
    pub markup_byline: Option<String>,
    pub published: Option<DateTime<FixedOffset>>,
    pub modified: Option<DateTime<FixedOffset>>,
    pub section: Option<String>,
    pub site_name: Option<String>,
    pub image: Option<String>,
    pub lang: Option<String>,
}

const ARTICLE_TYPES: &[&str] = &[
    "Article",
    "NewsArticle",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "LiveBlogPosting",
    "TechArticle",
    "ScholarlyArticle",
    "Report",
    "SocialMediaPosting",
    "WebPage",
];

pub fn read(doc: &Document, now: DateTime<FixedOffset>) -> Found {
    let mut found = Found::default();
    json_ld(doc, now, &mut found);
    meta_tags(doc, now, &mut found);
    if found.published.is_none() {
        found.published = time_elements(doc, now);
    }
    found.markup_byline = byline_markup(doc);
    if found.published.is_none() {
        found.published = shown_date(doc, now).or_else(|| date_below_headline(doc, now));
    }
    found.visible_headlines = visible_headlines(doc);
    if found.lang.is_none() {
        found.lang = doc.select_single("html").attr("lang").map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
    }
    found
}

fn json_ld(doc: &Document, now: DateTime<FixedOffset>, found: &mut Found) {
    let mut article: Option<Value> = None;
    let mut crumbs: Option<Value> = None;
    for script in json_ld_scripts(doc) {
        let Some(value) = parse_json_ld(&script.text()) else { continue };
        visit(&value, &mut |object| {
            let types = type_names(object);
            if article.is_none()
                && types.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str()))
                && !types.contains(&"WebPage".to_owned())
            {
                article = Some(object.clone());
            }
            if crumbs.is_none() && types.iter().any(|t| t == "BreadcrumbList") {
                crumbs = Some(object.clone());
            }
        });
    }
    let headline = article.as_ref().and_then(|a| text_of(a.get("headline").or_else(|| a.get("name"))));
    if let Some(a) = &article {
        let lang =
            text_of(a.get("inLanguage")).or_else(|| doc.select_single("html").attr("lang").map(|l| l.to_string()));
        found.byline = people(a.get("author").or_else(|| a.get("creator")), lang.as_deref());
        found.published = a.get("datePublished").or_else(|| a.get("dateCreated")).and_then(|d| date_of(d, now));
        found.modified = a.get("dateModified").and_then(|d| date_of(d, now));
        found.section = text_of(a.get("articleSection"));
        found.image = url_of(a.get("image").or_else(|| a.get("thumbnailUrl")));
        found.site_name = a.get("publisher").and_then(|p| text_of(p.get("name")));
        found.lang = text_of(a.get("inLanguage"));
    }
    if let Some(path) = crumbs.as_ref().and_then(|c| breadcrumb_path(c, headline.as_deref())) {
        found.section = Some(path);
    }
}

/// The page's JSON-LD blocks, found by name in one walk: an attribute selector costs
/// dom_query twice as much.
fn json_ld_scripts(doc: &Document) -> Vec<NodeRef<'_>> {
    let is_json_ld = |n: &NodeRef<'_>| {
        n.has_name("script") && n.attr("type").is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
    };
    doc.root().descendants_it().filter(is_json_ld).collect()
}

/// The name a site gives itself in its JSON-LD: its `WebSite`, else its organisation,
/// else an article's publisher.
pub fn site_name(doc: &Document) -> Option<String> {
    let (mut website, mut organisation, mut publisher) = (None, None, None);
    for script in json_ld_scripts(doc) {
        let Some(value) = parse_json_ld(&script.text()) else { continue };
        visit(&value, &mut |object| {
            let types = type_names(object);
            let name = || text_of(object.get("name"));
            if website.is_none() && types.iter().any(|t| t == "WebSite") {
                website = name();
            } else if organisation.is_none() && types.iter().any(|t| t.ends_with("Organization")) {
                organisation = name();
            } else if publisher.is_none() && types.iter().any(|t| ARTICLE_TYPES.contains(&t.as_str())) {
                publisher = object.get("publisher").and_then(|p| text_of(p.get("name")));
            }
        });
    }
    website.or(organisation).or(publisher)
}

/// JSON-LD as sites write it: sometimes with HTML comments, CDATA, raw line breaks inside
/// strings or a trailing semicolon, which strict JSON refuses.
fn parse_json_ld(text: &str) -> Option<Value> {
    let trimmed = text
        .trim()
        .trim_start_matches("<!--")
        .trim_start_matches("//<![CDATA[")
        .trim_end_matches("-->")
        .trim_end_matches("//]]>")
        .trim()
        .trim_end_matches(';');
    serde_json::from_str(trimmed).ok().or_else(|| {
        let flattened: String = trimmed.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        serde_json::from_str(&flattened).ok()
    })
}

/// Calls `f` on every object in `value`, depth first (`@graph`, arrays, nested entities).
fn visit(value: &Value, f: &mut dyn FnMut(&Value)) {
    match value {
        Value::Array(items) => items.iter().for_each(|v| visit(v, f)),
        Value::Object(map) => {
            f(value);
            for (key, v) in map {
                if matches!(key.as_str(), "@graph" | "mainEntity" | "mainEntityOfPage" | "hasPart" | "itemListElement")
                {
                    visit(v, f);
                }
            }
        }
        _ => {}
    }
}

fn type_names(object: &Value) -> Vec<String> {
    match object.get("@type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect(),
        _ => Vec::new(),
    }
}

/// A string, the first of a list, or an object's name, as one clean line.
fn text_of(value: Option<&Value>) -> Option<String> {
    let text = match value? {
        Value::String(s) => s.clone(),
        Value::Array(items) => return items.iter().find_map(|v| text_of(Some(v))),
        Value::Object(map) => return text_of(map.get("name")),
        Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let line = clean_line(&decode_entities(&text));
    (!line.is_empty()).then_some(line)
}

fn url_of(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Array(items) => items.iter().find_map(|v| url_of(Some(v))),
        Value::Object(map) => url_of(map.get("url").or_else(|| map.get("contentUrl"))),
        _ => None,
    }
}

fn date_of(value: &Value, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    dates::parse(&text_of(Some(value))?, now)
}

/// The names of the people in `value`, written as a byline in the page's `lang`: "Jared
/// Newman and Sam Singleton", "A, B, and C", "A, B et C".
fn people(value: Option<&Value>, lang: Option<&str>) -> Option<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |v: &Value| {
        if let Some(name) = text_of(Some(v)).filter(|n| !looks_like_url(n)) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
    };
    match value? {
        Value::Array(items) => items.iter().for_each(&mut add),
        other => add(other),
    }
    let and = match lang.map(|l| l.trim().get(..2).unwrap_or_default().to_ascii_lowercase()).as_deref() {
        Some("fr") => "et",
        Some("de") => "und",
        Some("es") => "y",
        Some("it" | "pt") => "e",
        Some("nl") => "en",
        _ => "and",
    };
    let last = names.pop()?;
    Some(match names.len() {
        0 => last,
        1 => format!("{} {and} {last}", names[0]),
        // The serial comma is English's alone.
        _ if and == "and" => format!("{}, and {last}", names.join(", ")),
        _ => format!("{} {and} {last}", names.join(", ")),
    })
}

/// "Actualités › High-tech" from a breadcrumb, without its home and the article itself.
fn breadcrumb_path(list: &Value, headline: Option<&str>) -> Option<String> {
    let Value::Array(items) = list.get("itemListElement")? else { return None };
    let mut steps: Vec<(i64, String)> = items
        .iter()
        .filter_map(|item| {
            let position =
                item.get("position").and_then(|p| p.as_i64().or_else(|| p.as_str()?.parse().ok())).unwrap_or(0);
            let name = text_of(item.get("name")).or_else(|| text_of(item.get("item")))?;
            Some((position, name))
        })
        .collect();
    steps.sort_by_key(|(p, _)| *p);
    let mut names: Vec<String> = steps.into_iter().map(|(_, n)| n).collect();
    let home = ["accueil", "home", "homepage", "page d'accueil", "une"];
    if names.first().is_some_and(|n| home.contains(&n.to_lowercase().as_str())) || names.len() > 2 {
        names.remove(0);
    }
    if names.last().is_some_and(|n| Some(n.as_str()) == headline || n.split_whitespace().count() > 8) {
        names.pop();
    }
    (!names.is_empty()).then(|| names.join(" › "))
}

fn meta_tags(doc: &Document, now: DateTime<FixedOffset>, found: &mut Found) {
    let mut meta: Vec<(String, String)> = Vec::new();
    for tag in doc.select("meta").nodes() {
        let key = tag.attr("property").or_else(|| tag.attr("name")).or_else(|| tag.attr("itemprop"));
        let (Some(key), Some(content)) = (key, tag.attr("content")) else { continue };
        let content = clean_line(&content);
        if !content.is_empty() {
            meta.push((key.trim().to_ascii_lowercase(), content));
        }
    }
    let first = |keys: &[&str]| keys.iter().find_map(|k| meta.iter().find(|(key, _)| key == k).map(|(_, v)| v.clone()));
    found.site_name = found.site_name.take().or_else(|| first(&["og:site_name", "application-name"]));
    found.document_title = first(&["og:title", "twitter:title"])
        .or_else(|| Some(clean_line(&doc.select("head title").text())).filter(|t| !t.is_empty()));
    found.image = found.image.take().or_else(|| first(&["og:image", "twitter:image"]));
    found.section = found.section.take().or_else(|| first(&["article:section", "section"]));
    found.lang = found.lang.take().or_else(|| first(&["og:locale", "language", "content-language"]));
    if found.byline.is_none() {
        let authors = [
            "author",
            "article:author",
            "byl",
            "dc.creator",
            "sailthru.author",
            "parsely-author",
            "cxenseparse:author",
        ];
        found.byline = first(&authors).filter(|a| !looks_like_url(a)).map(|a| strip_by(&a));
    }
    if found.byline.is_none() {
        // Twitter cards pair a label with a value: "Written by" / "Jayesh Shinde".
        found.byline = (1..=4).find_map(|n| {
            let label = first(&[format!("twitter:label{n}").as_str()])?;
            is_label(&label).then(|| first(&[format!("twitter:data{n}").as_str()])).flatten()
        });
    }
    let date = |keys: &[&str]| {
        keys.iter().find_map(|k| meta.iter().filter(|(key, _)| key == k).find_map(|(_, v)| dates::parse(v, now)))
    };
    if found.published.is_none() {
        found.published = date(&[
            "article:published_time",
            "datepublished",
            "og:published_time",
            "pubdate",
            "publishdate",
            "publish-date",
            "date",
            "dc.date.issued",
            "dc.date",
            "dcterms.date",
            "sailthru.date",
            "parsely-pub-date",
            "article.published",
        ]);
    }
    if found.modified.is_none() {
        found.modified =
            date(&["article:modified_time", "datemodified", "og:updated_time", "last-modified", "dcterms.modified"]);
    }
}

/// `<time datetime>`: the one marked as the publication date, else the first. The
/// attributes are read in one walk: an attribute selector costs dom_query five walks.
fn time_elements(doc: &Document, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    let dated: Vec<_> = doc.root().descendants_it().filter(|n| n.has_attr("datetime")).collect();
    let marked = |n: &&NodeRef<'_>| {
        (n.has_name("time") && n.has_attr("pubdate")) || n.attr("itemprop").is_some_and(|p| &*p == "datePublished")
    };
    let times = dated.iter().filter(|n| n.has_name("time"));
    dated.iter().filter(marked).chain(times).find_map(|t| dates::parse(&t.attr("datetime")?, now))
}

/// The author as the page's markup names it: schema.org and rel markup, links to an
/// author page, byline elements; looked at in the page's order, in one walk.
fn byline_markup(doc: &Document) -> Option<String> {
    doc.root()
        .descendants_it()
        .filter(names_author)
        .find_map(|node| plausible_name(&node.text()))
        .or_else(|| labelled_name(doc))
}

/// Whether an element is where pages put their author: schema.org's `author` (or its
/// `name`), `rel="author"`, a link to an author's page, or a class that says author,
/// byline, auteur or signature.
fn names_author(node: &NodeRef<'_>) -> bool {
    static AUTHOR_CLASS: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)author|byline|(?:^|\s)(?:auteur|signature)(?:\s|$)").expect("valid"));
    static AUTHOR_PAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)/(?:authors?|auteur)/").expect("valid"));
    let is = |node: &NodeRef<'_>, name: &str, value: &str| attr_is(node, name, |v| v.eq_ignore_ascii_case(value));
    is(node, "itemprop", "author")
        || is(node, "rel", "author")
        || (is(node, "itemprop", "name")
            && std::iter::successors(node.parent(), |n| n.parent()).any(|a| is(&a, "itemprop", "author")))
        || (node.has_name("a") && attr_is(node, "href", |h| AUTHOR_PAGE.is_match(h)))
        || attr_is(node, "class", |class| AUTHOR_CLASS.is_match(class))
}

/// A name after a label: "Written by" in one element and the name in the next, or
/// "Posted by <a>name</a>".
fn labelled_name(doc: &Document) -> Option<String> {
    doc.select("p, span, div, strong, em, small, li, dt, b").nodes().iter().take(3000).find_map(|node| {
        // The longest label runs 14 letters: longer text is not read closer.
        let own = node.immediate_text();
        if super::second_opinion::count(&own) > 20 || !is_label(&clean_line(&own)) {
            return None;
        }
        let inside = node.first_element_child().map(|c| c.text());
        let after = node.next_element_sibling().map(|s| s.text());
        inside.into_iter().chain(after).find_map(|t| plausible_name(&t))
    })
}

/// `text` as a person's or a team's name, if it can be one: a few words, no digits, not
/// a link, not a label such as "Author".
pub fn plausible_name(text: &str) -> Option<String> {
    let name = without_date(&strip_by(&clean_line(text)));
    let name =
        name.trim_matches(|c: char| c == ',' || c == '|' || c == '·' || c == '-' || c.is_whitespace()).to_owned();
    let words = name.split_whitespace().count();
    // No name holds markup, code or a form's marks ("[\"Sergio Mart\\u", "Name *"), nor is
    // a dotted template key ("page.head.extra.author").
    let code = |c: char| matches!(c, '[' | ']' | '{' | '}' | '\\' | '"' | '<' | '>' | '=' | '*' | ';' | '@');
    let key = words == 1 && name.contains('.') && !name.chars().any(char::is_uppercase);
    let plausible = (1..=10).contains(&words)
        && name.chars().count() <= 100
        && !name.chars().any(|c| c.is_ascii_digit() || code(c))
        && !key
        && !name.ends_with(':')
        && !looks_like_url(&name)
        && !name.to_lowercase().contains("share on")
        && !is_label(&name);
    plausible.then_some(name)
}

/// "Nathan Willis March 25, 2015" → "Nathan Willis": a byline that runs on into its
/// date ends where the date starts.
fn without_date(text: &str) -> String {
    let cut = text.find(|c: char| c.is_ascii_digit()).unwrap_or(text.len());
    let mut words: Vec<&str> = text[..cut].split_whitespace().collect();
    let month_or_day = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        dates::is_month_or_day_name(&w) || matches!(w.as_str(), "on" | "le" | "updated" | "published" | "publié")
    };
    while words.last().is_some_and(|w| month_or_day(w)) {
        words.pop();
    }
    words.join(" ")
}

/// Words a byline slot holds when it holds no name.
fn is_label(text: &str) -> bool {
    let lower = text.to_lowercase();
    [
        "by",
        "par",
        "author",
        "authors",
        "auteur",
        "auteurs",
        "the author",
        "full bio",
        "about the author",
        "written by",
        "posted by",
        "published by",
        "écrit par",
        "rédigé par",
        "publié par",
        "share",
        "partager",
        "admin",
        "administrator",
        "editor",
        "staff",
        "guest",
        "anonymous",
        "unknown",
    ]
    .contains(&lower.trim().trim_end_matches(':').trim())
}

/// The date the article's header shows: text of a date-like element near the top.
fn shown_date(doc: &Document, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    static DATED: LazyLock<Regex> =
        LazyLock::new(|| Regex::new("(?i)date|publish|posted|updated|byline").expect("valid"));
    static META: LazyLock<Regex> = LazyLock::new(|| Regex::new("(?i)meta").expect("valid"));
    let class_says = |node: &NodeRef<'_>, what: &Regex| attr_is(node, "class", |c| what.is_match(c));
    let shows_date = |node: &NodeRef<'_>| {
        node.has_name("time")
            || class_says(node, &DATED)
            || (node.has_name("span") && node.ancestors_it(None).any(|a| class_says(&a, &META)))
    };
    doc.root().descendants_it().filter(shows_date).take(60).find_map(|node| {
        let text = clean_line(&node.text());
        (text.len() <= 120)
            .then(|| dates::parse(&text, now))
            .flatten()
            .filter(|_| !text.is_empty() && !in_teaser(&node))
    })
}

/// Whether a date is another story's: it sits in a small box with a headline that
/// links elsewhere (a teaser in a list of related or latest stories), not the page's.
fn in_teaser(node: &NodeRef<'_>) -> bool {
    const TEASER_CHARS: usize = 400;
    node.ancestors_it(Some(3)).filter(|box_| box_.is_element()).any(|box_| {
        box_.text().len() <= TEASER_CHARS
            && box_.find(&["h1"]).is_empty()
            && box_.find(&["a"]).iter().any(|a| {
                a.text().split_whitespace().count() >= 4
                    && (a.ancestors_it(Some(2)).any(|n| super::is_subheading(&n))
                        || a.descendants_it().any(|n| super::is_subheading(&n)))
            })
    })
}

/// The date many pages write under the headline without marking it ("December 15,
/// 2025" in a bare `<p>`): the first short text after the `<h1>`, within the header's
/// first words, that holds a whole date with its year.
fn date_below_headline(doc: &Document, now: DateTime<FixedOffset>) -> Option<DateTime<FixedOffset>> {
    use chrono::Datelike;
    const HEADER_CHARS: usize = 1500;
    let headline = doc
        .select_single("article h1, main h1")
        .nodes()
        .first()
        .cloned()
        .or_else(|| doc.select_single("h1").nodes().first().cloned())?;
    let root = doc.select_single("body").nodes().first().cloned()?;
    let in_headline = |node: &NodeRef<'_>| node.ancestors_it(Some(8)).any(|a| a.id == headline.id);
    // Text no one sees, and dates of the page's frame rather than its article's.
    let elsewhere = |node: &NodeRef<'_>| {
        node.ancestors_it(Some(8))
            .filter_map(|a| a.node_name())
            .any(|name| matches!(&*name, "script" | "style" | "noscript" | "template" | "footer" | "nav" | "aside"))
    };
    let mut read = 0;
    for node in root.descendants_it().skip_while(|n| n.id != headline.id).filter(|n| n.is_text()) {
        if in_headline(&node) || elsewhere(&node) {
            continue;
        }
        let text = clean_line(&node.text());
        read += text.len();
        if read > HEADER_CHARS {
            return None;
        }
        if text.len() <= 80 {
            let date = dates::parse(&text, now)
                .filter(|d| text.contains(&d.year().to_string()))
                .filter(|_| node.parent().is_none_or(|p| !in_teaser(&p)));
            if date.is_some() {
                return date;
            }
        }
    }
    None
}

/// The most `<h1>`s a page has for one of them to be its headline: more are a layout's.
const MAX_HEADLINES: usize = 4;

/// The page's `<h1>`s, when it has a few, each with a space where its parts are apart on
/// screen ("Top MBA Programs (US)<br>Your Guide" is not "(US)Your"). Not a logo: an
/// `<h1>` that is a link, or in the navigation or the footer (a header may be the
/// article's own).
fn visible_headlines(doc: &Document) -> Vec<String> {
    let all = doc.select("h1");
    if all.length() > MAX_HEADLINES {
        return Vec::new();
    }
    let logo = |h1: &NodeRef<'_>| {
        let in_chrome = std::iter::successors(h1.parent(), |n| n.parent())
            .any(|n| n.node_name().is_some_and(|name| matches!(&*name, "nav" | "footer")));
        let links = h1.find(&["a"]).iter().map(|a| a.text().trim().len()).sum::<usize>();
        in_chrome || (links > 0 && links >= h1.text().trim().len())
    };
    let headlines = all.nodes().iter().filter(|h1| !logo(h1)).map(|h1| {
        let mut text = String::new();
        spaced_text(h1, &mut text);
        clean_line(&text)
    });
    headlines.filter(|text| !text.is_empty() && text.len() <= 300).collect()
}

/// An element's text with a space where its parts are apart on screen: at a line break
/// and around a block. (The layout would say the same, at ten times the cost.)
fn spaced_text(node: &NodeRef<'_>, out: &mut String) {
    for child in node.children_it(false) {
        if child.is_text() {
            out.push_str(&child.text());
        } else if child.is_element() {
            let apart = child.node_name().is_some_and(|n| &*n == "br" || starts_block(&n));
            out.push_str(if apart { " " } else { "" });
            spaced_text(&child, out);
            out.push_str(if apart { " " } else { "" });
        }
    }
}

/// "By Jane Doe" → "Jane Doe"; "Par Camille Durand" → "Camille Durand".
pub(super) fn strip_by(text: &str) -> String {
    let lower = text.to_lowercase();
    // Not "de ": it begins surnames ("De Villiers") more often than bylines.
    for prefix in ["written by ", "posted by ", "by ", "par "] {
        if lower.starts_with(prefix) {
            return text[prefix.len()..].trim().to_owned();
        }
    }
    text.trim().to_owned()
}

fn looks_like_url(text: &str) -> bool {
    text.starts_with("http://") || text.starts_with("https://") || text.starts_with("www.")
}

/// JSON-LD strings sometimes carry HTML entities ("Blagues &amp; histoires").
pub(super) fn decode_entities(text: &str) -> String {
    if text.contains('&') { crate::render::inline_text(text) } else { text.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression: "de " was stripped as if it were "par ", eating surnames.
    #[test]
    fn a_name_that_starts_with_de_keeps_it() {
        assert_eq!(plausible_name("De Villiers").as_deref(), Some("De Villiers"));
        assert_eq!(plausible_name("Par Camille Durand").as_deref(), Some("Camille Durand"));
        assert_eq!(plausible_name("By Nathan Willis March 25, 2015").as_deref(), Some("Nathan Willis"));
    }

    /// Regressions: a byline slot held a broken JSON string, a form's label, a template
    /// key or share buttons, taken for names.
    #[test]
    fn code_labels_and_buttons_are_no_names() {
        for junk in ["[\"Sergio Mart\\u", "Name *", "page.head.extra.author", "Written by: Researched by:"] {
            assert_eq!(plausible_name(junk), None, "{junk}");
        }
        assert_eq!(plausible_name("Share on Facebook Share on X Pin on Pinterest"), None);
        assert_eq!(plausible_name("Dr. Jane O'Neil").as_deref(), Some("Dr. Jane O'Neil"));
    }

    #[test]
    fn several_authors_read_as_a_byline_in_the_pages_language() {
        let names = serde_json::json!([{"name": "Jared Newman"}, {"name": "Sam Singleton"}]);
        assert_eq!(people(Some(&names), Some("en-US")).as_deref(), Some("Jared Newman and Sam Singleton"));
        let three = serde_json::json!(["A B", "C D", "E F"]);
        assert_eq!(people(Some(&three), None).as_deref(), Some("A B, C D, and E F"));
        assert_eq!(people(Some(&three), Some("fr")).as_deref(), Some("A B, C D et E F"));
    }

    #[test]
    fn a_date_written_under_the_headline_is_the_articles() {
        let now = DateTime::parse_from_rfc3339("2026-01-10T12:00:00+01:00").unwrap();
        let day = |html: &str| read(&Document::from(html), now).published.map(|d| d.date_naive().to_string());
        let page = |header: &str| {
            format!(
                "<body><nav>News 12 March 2024</nav><h1>Proofs as types, 2025</h1>{header}\
                 <p>{}</p><footer>3 June 2019</footer></body>",
                "Body text. ".repeat(20)
            )
        };
        assert_eq!(day(&page("<p class='m_0 fs_1'>December 15, 2025</p>")).as_deref(), Some("2025-12-15"));
        assert_eq!(day(&page("<p class='author'>Andrew Gerrand<br>4 August 2010</p>")).as_deref(), Some("2010-08-04"));
        // Not before the headline, not without its year, not in the footer, not far down
        // the page.
        assert_eq!(day(&page("<p>lundi 12 janvier</p>")), None);
        let long = format!("<p>{}</p><p>4 August 2010</p>", "Words of the article. ".repeat(80));
        assert_eq!(day(&page(&long)), None);
    }

    #[test]
    fn another_storys_date_is_not_the_articles() {
        let now = DateTime::parse_from_rfc3339("2026-01-10T12:00:00+01:00").unwrap();
        let day = |html: &str| read(&Document::from(html), now).published.map(|d| d.date_naive().to_string());
        let card = "<div class='card'><span class='date'>12 décembre 2025</span>\
                    <h4><a href='/autre'>Le marché de Noël ouvre ses portes</a></h4><p>Place de la mairie.</p></div>";
        let page = |header: &str| {
            format!("<body><h1>La réunion publique</h1>{header}<p>{}</p>{card}</body>", "Texte. ".repeat(20))
        };
        assert_eq!(day(&page("")), None);
        let own = "<div class='meta'><span class='date'>3 janvier 2026</span> <a href='/tag/ecoles'>Écoles de la ville et du quartier</a></div>";
        assert_eq!(day(&page(own)).as_deref(), Some("2026-01-03"));
    }
}
