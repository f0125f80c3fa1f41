//! Reader mode: the article alone from a news page, with its title, byline, date and
//! section, whatever the site wraps around it (menus, share buttons, related links,
//! comments). dom_smoothie finds the body; this module adds what it does not know well
//! (metadata from JSON-LD and OpenGraph, French dates) and is the only place that knows
//! dom_smoothie, so the rest of kiosque sees `Extracted` alone.

mod charset;

use chrono::{DateTime, FixedOffset};
use dom_query::Document;
use serde::Serialize;
use url::Url;

use crate::html_limits::{MAX_DEPTH, limit_depth};
use crate::sanitize::clean_line;

pub use charset::decode;

/// Pages are cut here: no article needs more, and extraction time grows with the page.
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// An article as reader mode found it.
#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The body as plain text.
    pub text: String,
    /// The body as clean HTML.
    pub html: String,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("empty page")]
    Empty,
    #[error("no article found")]
    NoArticle,
}

/// Extracts the article from a page's HTML; `url` is where it came from (for relative
/// links and for site-specific metadata). `now` dates "il y a 2 heures" and the like.
pub fn extract(html: &str, url: Option<&Url>, _now: DateTime<FixedOffset>) -> Result<Extracted, ExtractError> {
    if html.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    let cut = &html[..floor_char_boundary(html, MAX_PAGE_BYTES)];
    let document = Document::from(limit_depth(cut, MAX_DEPTH).as_ref());
    let config = dom_smoothie::Config { max_elements_to_parse: 0, ..dom_smoothie::Config::default() };
    let mut readability = dom_smoothie::Readability::with_document(document, url.map(Url::as_str), Some(config))
        .map_err(|_| ExtractError::NoArticle)?;
    let article = readability.parse().map_err(|_| ExtractError::NoArticle)?;
    let html = article.content.to_string();
    let text = crate::render::text(&html);
    if text.trim().is_empty() {
        return Err(ExtractError::NoArticle);
    }
    let date = |s: &Option<String>| s.as_deref().and_then(|d| DateTime::parse_from_rfc3339(d.trim()).ok());
    let tidy = |s: Option<String>| s.map(|s| clean_line(&s)).filter(|s| !s.is_empty());
    Ok(Extracted {
        url: url.map(Url::to_string),
        title: clean_line(&article.title),
        byline: tidy(article.byline.clone()),
        published: date(&article.published_time),
        modified: date(&article.modified_time),
        site_name: tidy(article.site_name.clone()),
        lang: tidy(article.lang.clone()),
        section: None,
        image: tidy(article.image.clone()),
        text,
        html,
    })
}

/// The largest index ≤ `at` that falls between characters.
fn floor_char_boundary(s: &str, at: usize) -> usize {
    if at >= s.len() {
        return s.len();
    }
    (0..=at).rev().find(|&i| s.is_char_boundary(i)).unwrap_or(0)
}
