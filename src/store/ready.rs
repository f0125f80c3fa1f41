//! An article made ready for the cache before it reaches the writer: its summary left out
//! when it has a full text (the reader never shows the summary then, and the cache would
//! hold the same words twice), its texts packed (`body`), and the words the search index
//! takes already drawn from its HTML. That is the part of saving that needs no
//! connection, so refreshes do it on their own threads, in parallel, and the one writer
//! only writes.

use super::body::Packed;
use crate::model::NewArticle;

pub struct Ready {
    /// The article without its texts, which are packed below.
    pub(super) article: NewArticle,
    pub(super) summary: Option<Packed>,
    pub(super) content: Option<Packed>,
    /// The text of its body for the search index (`search::index_text`).
    pub(super) words: String,
}

impl Ready {
    pub fn new(mut article: NewArticle) -> Ready {
        // As `Article::text` chooses.
        let content = article.content.take().filter(|c| !c.trim().is_empty());
        let summary = article.summary.take().filter(|_| content.is_none());
        let text = content.as_deref().or(summary.as_deref());
        let mut words = text.map(super::search::index_text).unwrap_or_default();
        // Room was made for the whole HTML; the words wait for the writer without it.
        words.shrink_to_fit();
        let pack = |html: Option<String>| html.as_deref().map(Packed::new);
        Ready { article, summary: pack(summary), content: pack(content), words }
    }

    pub fn all(articles: &[NewArticle]) -> Vec<Ready> {
        articles.iter().cloned().map(Ready::new).collect()
    }
}

/// What a fetch of a feed brought, ready to save: its articles, in the feed's order, and
/// what the feed says of itself.
pub struct FeedRows {
    pub source: crate::model::SourceId,
    pub articles: Vec<Ready>,
    pub title: Option<String>,
    pub site_url: Option<String>,
    pub validators: crate::http::Validators,
    /// `body_hash` of the feed's bytes.
    pub body_hash: Option<i64>,
    /// When it was fetched, in unix seconds.
    pub at: i64,
}

impl FeedRows {
    /// The memory it holds, roughly: what batching and back-pressure count.
    pub fn weight(&self) -> usize {
        self.articles.len()
    }
}
