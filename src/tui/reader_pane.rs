//! The right pane: the selected article as styled text wrapped to the pane. Text is laid
//! out when the article or the width changes, never while drawing; the last few layouts
//! are kept, so going back to an article costs nothing, and those of the articles beside
//! the selection are made ahead, on another thread (`ahead`).

use std::collections::VecDeque;
use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::{Margin, Rect};
use ratatui::widgets::Block;
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::ahead::{Ahead, Job, Key, Lines};
use super::article_layout::{Layout, article_lines};
use super::pane::{Ctx, Effect, Pane};
use super::text::{put_lines, put_scrollbar, styled, truncate};
use super::theme::Theme;
use crate::engine::Mark;
use crate::model::{Article, ArticleId, TextSource};
use crate::render;

/// Layouts kept: enough for going back and forth along a list.
const KEPT_LAYOUTS: usize = 16;
/// How long the key press waits for a layout on its way before making its own.
const PATIENCE: std::time::Duration = std::time::Duration::from_secs(1);

#[derive(Default)]
pub struct ReaderPane {
    article: Option<Article>,
    source: String,
    /// Shared with `kept`: a kept layout is shown again without copying it.
    lines: Lines,
    width: usize,
    height: usize,
    scroll: usize,
    /// Recent layouts by (article, width), newest last.
    kept: VecDeque<(Key, Lines)>,
    ahead: Ahead,
    /// Layouts made on the key press, not ahead.
    #[cfg(test)]
    laid_here: usize,
}

impl ReaderPane {
    /// Shows `article` (from the source called `source`) from its top.
    pub fn show(&mut self, article: Option<Article>, source: String, layout: &Layout) {
        let same = article.as_ref().map(|a| a.id) == self.article.as_ref().map(|a| a.id);
        self.article = article;
        self.source = source;
        if !same {
            self.scroll = 0;
        }
        self.lay_out(layout);
    }

    /// Lays the text out again at a new size, keeping the reading position.
    pub fn resize(&mut self, height: usize, layout: &Layout) {
        self.height = height.max(1);
        if layout.width != self.width {
            let fraction = self.scroll as f64 / self.lines.lines.len().max(1) as f64;
            self.lay_out(layout);
            self.scroll = (fraction * self.lines.lines.len() as f64) as usize;
        }
        self.scroll = self.scroll.min(self.max_scroll());
    }

    /// Forgets the kept layouts, after articles changed in the cache.
    pub fn forget(&mut self) {
        self.kept.clear();
        self.ahead.forget();
    }

    /// Whether `id` at this width is neither laid out nor on its way.
    pub fn wants(&self, id: ArticleId, width: usize) -> bool {
        let key = (id, width);
        !self.ahead.asked(key) && !self.kept.iter().any(|(k, _)| *k == key)
    }

    /// Lays these articles out on another thread, for when they are shown.
    pub fn prepare(&mut self, jobs: Vec<Job>, layout: &Layout) {
        self.ahead.ask(jobs, layout);
    }

    /// Keeps the layouts made ahead since last looked.
    fn collect_ahead(&mut self) {
        for (key, lines) in self.ahead.take() {
            if !self.kept.iter().any(|(k, _)| *k == key) {
                self.keep(key, lines);
            }
        }
    }

    fn lay_out(&mut self, layout: &Layout) {
        self.width = layout.width;
        self.collect_ahead();
        let key = self.article.as_ref().map(|a| (a.id, layout.width));
        if let Some(key) = key.filter(|k| self.ahead.asked(*k) && !self.kept.iter().any(|(kept, _)| kept == k)) {
            for (key, lines) in self.ahead.wait_for(key, PATIENCE) {
                self.keep(key, lines);
            }
        }
        if let Some(at) = key.and_then(|key| self.kept.iter().position(|(k, _)| *k == key)) {
            let (key, lines) = self.kept.remove(at).expect("found above");
            self.lines = Arc::clone(&lines);
            self.kept.push_back((key, lines));
            return;
        }
        self.lines = Arc::new(match &self.article {
            None => render::Laid::default(),
            Some(article) => {
                #[cfg(test)]
                {
                    self.laid_here += 1;
                }
                article_lines(article, &self.source, layout)
            }
        });
        if let Some(key) = key {
            self.keep(key, Arc::clone(&self.lines));
        }
    }

    fn keep(&mut self, key: Key, lines: Lines) {
        if self.kept.len() == KEPT_LAYOUTS {
            self.kept.pop_front();
        }
        self.kept.push_back((key, lines));
    }

    /// The pane's title, `width` wide at most: the source, then where the text comes from
    /// (full text, the feed's summary, or a page on its way, `fetching`) and a star when
    /// it is bookmarked. `fetch_key` fetches the page.
    pub fn title(&self, fetching: bool, fetch_key: Option<String>, width: usize) -> String {
        let Some(article) = self.article.as_ref().filter(|_| !self.source.is_empty()) else {
            return "Article".to_owned();
        };
        let text = if fetching {
            Some("fetching the page…".to_owned())
        } else {
            match article.text().1 {
                TextSource::Page | TextSource::Feed => Some("full text".to_owned()),
                TextSource::Summary => Some(match fetch_key {
                    Some(key) => format!("summary ({key}: full text)"),
                    None => "summary".to_owned(),
                }),
                TextSource::Nothing => None,
            }
        };
        let note = match (article.bookmarked, text) {
            (true, Some(text)) => format!(" · ★ {text}"),
            (true, None) => " · ★".to_owned(),
            (false, Some(text)) => format!(" · {text}"),
            (false, None) => String::new(),
        };
        truncate(&self.source, width.saturating_sub(4 + note.width())) + &note
    }

    /// The number of the `[n]` at `column` of the `row`th line on screen, if one is there.
    pub fn link_at(&self, column: usize, row: usize) -> Option<usize> {
        let line = self.lines.lines.get(self.scroll + row)?;
        let mut start = 0;
        for span in &line.spans {
            let end = start + span.text.width();
            if (start..end).contains(&column) {
                let number = span.text.trim().strip_prefix('[')?.strip_suffix(']')?;
                return (span.style.role == render::Role::LinkRef).then(|| number.parse().ok()).flatten();
            }
            start = end;
        }
        None
    }

    /// What the article shown points to, numbered as its footnotes are: kept with its
    /// layout.
    pub fn links(&self) -> Option<&[render::Target]> {
        self.article.as_ref().map(|_| self.lines.targets.as_slice())
    }

    pub fn article(&self) -> Option<&Article> {
        self.article.as_ref()
    }

    fn max_scroll(&self) -> usize {
        self.lines.lines.len().saturating_sub(self.height)
    }

    fn at_end(&self) -> bool {
        self.scroll >= self.max_scroll()
    }

    fn page(&self) -> isize {
        self.height.max(3) as isize - 2
    }

    /// What an action does to the reader: focused, or one of the article's own actions
    /// (`b`, `m`, `o`, `f`) from any pane.
    pub fn update(&mut self, action: Action, ctx: &Ctx<'_>) -> Option<Effect> {
        if matches!(action, Action::Left | Action::Back | Action::BackOrQuit) {
            return Some(Effect::Focus(Pane::List));
        }
        let article = self.article.as_ref()?;
        if let Some(delta) = action.moves(self.page()) {
            self.scroll_by(delta);
            return None;
        }
        match action {
            Action::ReadOn if self.at_end() => Some(Effect::NextArticle),
            Action::ReadOn => {
                self.scroll_by(self.page());
                Some(Effect::Reading)
            }
            Action::Bookmark => {
                Some(Effect::Mark(Mark::Bookmark { id: article.id, on: !article.bookmarked, at: ctx.now }))
            }
            Action::ToggleRead => Some(Effect::Mark(Mark::Read { id: article.id, read: !article.read })),
            Action::FetchPage if article.url.is_none() => Some(Effect::Refuse("this article has no link to fetch")),
            Action::FetchPage => Some(Effect::FetchPage),
            Action::OpenInBrowser => Some(match &article.url {
                Some(url) => Effect::OpenInBrowser(url.clone()),
                None => Effect::Refuse("this article has no link"),
            }),
            _ => None,
        }
    }

    fn scroll_by(&mut self, delta: isize) {
        self.scroll = self.scroll.saturating_add_signed(delta).min(self.max_scroll());
    }

    /// Draws the visible lines; the words of a search (`matches`) stand out in them.
    pub fn draw(&self, frame: &mut Frame<'_>, area: Rect, block: Block<'_>, theme: &Theme, matches: &[String]) {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let text = inner.inner(Margin { vertical: 0, horizontal: 1 });
        let lines =
            self.lines.lines.iter().skip(self.scroll).take(text.height as usize).map(|l| styled(l, theme, matches));
        put_lines(frame.buffer_mut(), text, lines);
        put_scrollbar(frame, area, self.max_scroll(), self.scroll);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceId;
    use crate::timefmt::{Clock, Lang};
    use crate::tui::pane::Memory;

    fn article(url: Option<&str>, paragraphs: usize) -> Article {
        Article {
            id: ArticleId(7),
            source_id: SourceId(1),
            url: url.map(str::to_owned),
            title: "Un titre".to_owned(),
            author: None,
            published: None,
            section: None,
            summary: None,
            content: Some("<p>Un paragraphe de texte.</p>".repeat(paragraphs)),
            page: None,
            read: false,
            bookmarked: false,
        }
    }

    fn reader(article: Article, height: usize) -> ReaderPane {
        let layout = Layout { width: 40, lang: Lang::Fr, clock: Clock::System, no_text: String::new() };
        let mut reader = ReaderPane::default();
        reader.resize(height, &layout);
        reader.show(Some(article), "Source".to_owned(), &layout);
        reader
    }

    #[test]
    fn space_reads_on_page_by_page_then_asks_for_the_next_article() {
        let rows = Memory::of(0);
        let ctx = Ctx { rows: &rows, now: 1_700_000_000 };
        let mut reader = reader(article(None, 30), 10);
        assert_eq!(reader.update(Action::Down, &ctx), None);
        assert_eq!(reader.scroll, 1);
        let mut pages = 0;
        while reader.update(Action::ReadOn, &ctx) == Some(Effect::Reading) {
            pages += 1;
            assert!(pages < 100, "the end comes");
        }
        assert!(pages >= 5, "{pages} pages of 30 paragraphs");
        assert!(reader.at_end());
        assert_eq!(reader.update(Action::ReadOn, &ctx), Some(Effect::NextArticle));
        assert_eq!(reader.update(Action::Top, &ctx), None);
        assert_eq!(reader.scroll, 0);
        assert_eq!(reader.update(Action::Left, &ctx), Some(Effect::Focus(Pane::List)));
    }

    /// The next article, laid out ahead on the other thread, shows without a layout on
    /// the key press, and as it would have been laid out there.
    #[test]
    fn an_article_laid_out_ahead_shows_without_laying_it_out_again() {
        let layout = Layout { width: 40, lang: Lang::Fr, clock: Clock::System, no_text: String::new() };
        let mut reader = reader(article(None, 3), 10);
        assert_eq!(reader.laid_here, 1);
        let next = Article { id: ArticleId(8), title: "La suite".to_owned(), ..article(None, 50) };
        assert!(reader.wants(next.id, 40));
        reader.prepare(vec![Job { article: next.clone(), source: "Source".to_owned() }], &layout);
        assert!(!reader.wants(next.id, 40), "on its way");
        let started = std::time::Instant::now();
        while !reader.kept.iter().any(|(key, _)| *key == (next.id, 40)) {
            assert!(started.elapsed() < std::time::Duration::from_secs(10), "the layout never came");
            std::thread::sleep(std::time::Duration::from_millis(2));
            reader.collect_ahead();
        }
        reader.show(Some(next.clone()), "Source".to_owned(), &layout);
        assert_eq!(reader.laid_here, 1, "shown from the layout made ahead");
        assert_eq!(*reader.lines, article_lines(&next, "Source", &layout));
        let third = Article { id: ArticleId(9), ..article(None, 80) };
        reader.prepare(vec![Job { article: third.clone(), source: "Source".to_owned() }], &layout);
        reader.show(Some(third), "Source".to_owned(), &layout);
        assert_eq!(reader.laid_here, 1, "shown at once: the key press waits for the layout on its way");
        assert!(reader.wants(next.id, 60), "another width is another layout");
        reader.forget();
        assert!(reader.wants(next.id, 40), "the texts changed: laid out again");
    }

    #[test]
    fn the_title_says_where_the_text_comes_from() {
        assert_eq!(ReaderPane::default().title(false, None, 60), "Article");
        let full = reader(article(None, 1), 10);
        assert_eq!(full.title(false, Some("f".to_owned()), 60), "Source · full text");
        assert_eq!(full.title(true, None, 60), "Source · fetching the page…");
        let summary =
            Article { content: None, summary: Some("<p>Bref.</p>".to_owned()), bookmarked: true, ..article(None, 1) };
        let summary = reader(summary, 10);
        assert_eq!(summary.title(false, Some("f".to_owned()), 60), "Source · ★ summary (f: full text)");
        assert_eq!(summary.title(false, None, 60), "Source · ★ summary", "no key, no hint");
    }

    #[test]
    fn the_articles_own_keys_ask_for_marks_and_links() {
        let rows = Memory::of(0);
        let ctx = Ctx { rows: &rows, now: 1_700_000_000 };
        let mut reader = reader(article(Some("https://a.example/1"), 1), 10);
        let id = ArticleId(7);
        assert_eq!(
            reader.update(Action::Bookmark, &ctx),
            Some(Effect::Mark(Mark::Bookmark { id, on: true, at: 1_700_000_000 }))
        );
        assert_eq!(reader.update(Action::ToggleRead, &ctx), Some(Effect::Mark(Mark::Read { id, read: true })));
        assert_eq!(reader.update(Action::FetchPage, &ctx), Some(Effect::FetchPage));
        assert_eq!(
            reader.update(Action::OpenInBrowser, &ctx),
            Some(Effect::OpenInBrowser("https://a.example/1".to_owned()))
        );

        let mut linkless = self::reader(article(None, 1), 10);
        assert_eq!(linkless.update(Action::OpenInBrowser, &ctx), Some(Effect::Refuse("this article has no link")));
        assert_eq!(linkless.update(Action::FetchPage, &ctx), Some(Effect::Refuse("this article has no link to fetch")));
        let mut empty = ReaderPane::default();
        assert_eq!(empty.update(Action::Bookmark, &ctx), None, "nothing shown, nothing to mark");
    }
}
