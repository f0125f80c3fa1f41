//! How the reader lays an article out: its title, a line of what it is (author, source,
//! date, section), then its text at the pane's width. One function, used on the key
//! press (`reader_pane`) and ahead of it (`ahead`).

use crate::model::Article;
use crate::render::{self, Header};
use crate::timefmt::{Clock, Lang, full_date};

/// What a reader needs besides the article to lay it out.
#[derive(Clone)]
pub struct Layout {
    pub width: usize,
    pub lang: Lang,
    pub clock: Clock,
    /// Shown in place of a body when the entry has none.
    pub no_text: String,
}

/// An article laid out for the reader: its title, a line of byline, source, date and
/// section, then its text (or `layout.no_text`).
pub fn article_lines(article: &Article, source: &str, layout: &Layout) -> render::Laid {
    let date = article.published.map(|t| full_date(&layout.clock.local(t), layout.lang));
    // A section named like its source ("Actualités" in "Actualités") says nothing.
    let section = article.section.as_deref().filter(|s| !s.eq_ignore_ascii_case(source));
    let byline: Vec<&str> =
        [article.author.as_deref(), Some(source), date.as_deref(), section].into_iter().flatten().collect();
    let meta = [byline.join(" · ")];
    let base = base_of(article);
    let notice = format!("<p><em>{}</em></p>", layout.no_text);
    let body = article.text().0.unwrap_or(&notice);
    render::laid_article(&Header { title: &article.title, meta: &meta }, Some(body), base.as_ref(), layout.width)
}

/// Where the article's relative links start from: its own address.
fn base_of(article: &Article) -> Option<url::Url> {
    article.url.as_deref().and_then(|u| url::Url::parse(u).ok())
}
