//! An article's own page, fetched and read by reader mode: for articles whose feed gives
//! only a summary. Fetching is async and reading is CPU work, so they are apart: the
//! engine reads off the async threads.

use chrono::{DateTime, FixedOffset};
use url::Url;

use crate::extract::{self, ExtractError, Extracted};
use crate::http::{Http, HttpError};

/// A page as fetched, decoded to text.
pub struct Page {
    pub html: String,
    /// Where it came from after redirects: the base of its relative links.
    pub url: Url,
}

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error(transparent)]
    Http(#[from] HttpError),
    #[error("{source} in {url}")]
    Extract { url: Url, source: ExtractError },
    #[error("no article found in {0}")]
    NoArticle(Url),
}

impl PageError {
    /// The network itself failed, not the page.
    pub fn is_network(&self) -> bool {
        matches!(self, PageError::Http(e) if e.kind.is_network())
    }
}

/// Fetches the page at `url` and decodes it (BOM, then HTTP charset, then `<meta>`).
pub async fn download(http: &Http, url: &str) -> Result<Page, PageError> {
    let body = http.get(url).await?;
    let (html, _) = extract::decode(&body.bytes, body.charset.as_deref());
    Ok(Page { html, url: body.url })
}

/// The article on the page; a page without one is an error.
pub fn read(page: &Page, now: DateTime<FixedOffset>) -> Result<Extracted, PageError> {
    let extracted = extract::extract(&page.html, Some(&page.url), now)
        .map_err(|source| PageError::Extract { url: page.url.clone(), source })?;
    if extracted.has_article() { Ok(extracted) } else { Err(PageError::NoArticle(page.url.clone())) }
}
