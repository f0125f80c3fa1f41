//! Acting on the article shown: showing it, its read mark and its bookmark (sent to the
//! engine's writer, `Marks`), the question before marking a whole list read, its page, and
//! the browser.

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::{App, Dirty, ForTerminal, Layer, LinkList, link_list};
use crate::engine::{JobError, Mark};
use crate::model::{Article, ArticleId, Scope};
use crate::store;
use crate::tui::ahead::Job;

/// How many rows either side of the selection are laid out ahead.
const AHEAD: usize = 1;

impl App {
    /// Shows the list's selected article in the reader.
    pub(super) fn show_article(&mut self) -> store::Result<()> {
        let article = match self.list.selected() {
            Some(row) => self.article(row.key.id)?,
            None => None,
        };
        let source = article.as_ref().and_then(|a| self.labels.get(&a.source_id)).cloned().unwrap_or_default();
        let layout = self.reader_layout();
        self.reader.show(article, source, &layout);
        Ok(())
    }

    /// Lays out ahead, on another thread, the articles beside the selection that are not
    /// yet, so that moving to one shows it at once: called once a frame is drawn, when no
    /// event waits. Reading them from the cache costs a fraction of laying them out.
    pub fn lay_out_ahead(&mut self) -> store::Result<()> {
        let layout = self.reader_layout();
        let mut jobs = Vec::new();
        for id in self.list.beside(AHEAD) {
            if !self.reader.wants(id, layout.width) {
                continue;
            }
            if let Some(article) = self.article(id)? {
                let source = self.labels.get(&article.source_id).cloned().unwrap_or_default();
                jobs.push(Job { article, source });
            }
        }
        self.reader.prepare(jobs, &layout);
        Ok(())
    }

    /// The reader shows the article to someone reading it: it becomes read, and when its
    /// feed gave only a summary, its page is fetched.
    pub(super) fn mark_open(&mut self) -> store::Result<()> {
        // A read-only cache keeps nothing: marks and pages would only fail, at every article.
        if self.store.read_only().is_some() {
            return Ok(());
        }
        self.fetch_page(false);
        let Some(article) = self.reader.article() else { return Ok(()) };
        let id = article.id;
        if !article.read {
            self.mark(id, true);
        }
        Ok(())
    }

    /// Marks an article read or unread; what is shown follows at once.
    pub(super) fn mark(&mut self, id: ArticleId, read: bool) -> bool {
        let sent = self.set_mark(Mark::Read { id, read });
        if sent {
            self.list.set_read(id, read);
            self.dirty.reader = true;
        }
        sent
    }

    /// Sends `mark` to the engine's writer (`Marks`); whether it could be sent: not to a
    /// cache that cannot be written, which is said instead.
    pub(super) fn set_mark(&mut self, mark: Mark) -> bool {
        if let Some(why) = self.store.read_only() {
            self.status.error(format!("not saved: {why}"));
            return false;
        }
        self.marks.send(mark.clone());
        self.jobs.mark(mark);
        true
    }

    /// The engine's answer for a mark: what it changed shows, or why it was not kept,
    /// and the screen is read again from the cache.
    pub(super) fn on_marked(&mut self, mark: Mark, result: Result<usize, JobError>) {
        self.marks.confirm(&mark);
        let changed = match result {
            Ok(changed) => changed,
            Err(e) => {
                self.status.error(e.to_string());
                self.dirty = Dirty { tree: true, list: true, reader: true };
                return;
            }
        };
        match mark {
            Mark::Read { id, read } => {
                self.list.set_read(id, read);
                self.dirty.tree |= changed > 0;
                self.dirty.reader = true;
            }
            Mark::Bookmark { id, on, .. } => self.bookmarked(id, on),
            Mark::Many { ids, read } => self.marked_many(ids, read, changed),
        }
    }

    /// An article from the cache, with its read mark as last set, written or not.
    pub(super) fn article(&self, id: ArticleId) -> store::Result<Option<Article>> {
        let mut article = self.store.article(id)?;
        if let (Some(article), Some(read)) = (&mut article, self.marks.waiting(id)) {
            article.read = read;
        }
        Ok(article)
    }

    pub(super) fn reader_source(&self) -> String {
        self.reader.article().and_then(|a| self.labels.get(&a.source_id)).cloned().unwrap_or_default()
    }

    /// `b` or `m` on the shown article: the mark is sent, and the status line says so.
    /// A bookmark shows as kept once the engine has committed it.
    pub(super) fn ask_mark(&mut self, mark: Mark) {
        let (sent, saying) = match mark {
            Mark::Read { id, read } => (self.mark(id, read), if read { "marked read" } else { "marked unread" }),
            Mark::Bookmark { on, .. } => {
                (self.set_mark(mark), if on { "bookmarking…" } else { "removing the bookmark…" })
            }
            Mark::Many { read, .. } => (self.set_mark(mark), if read { "marking read…" } else { "marking unread…" }),
        };
        if sent {
            self.status.info(saying);
        }
    }

    /// A bookmark was kept (`on`) or taken off. A bookmarked article whose feed gave only
    /// a summary gets its page, so that its full text is kept.
    fn bookmarked(&mut self, id: ArticleId, on: bool) {
        let shown = self.reader.article().is_some_and(|a| a.id == id);
        if on && shown {
            self.fetch_page(false);
        }
        self.status.info(if on { "bookmarked: kept for offline reading" } else { "bookmark removed" });
        self.dirty.list |= *self.list.scope() == Scope::Bookmarks;
        self.dirty.tree = true;
        self.dirty.reader = true;
    }

    /// Reads the reader's article again from the cache: whichever it shows, or only `id`.
    pub(super) fn reshow(&mut self, id: Option<ArticleId>) -> store::Result<()> {
        let Some(shown) = self.reader.article().map(|a| a.id).filter(|s| id.is_none_or(|id| id == *s)) else {
            return Ok(());
        };
        let article = self.article(shown)?;
        let (source, layout) = (self.reader_source(), self.reader_layout());
        self.reader.show(article, source, &layout);
        Ok(())
    }

    /// `u`: the shown article's links, in a list over the panes.
    pub(super) fn open_links(&mut self) -> store::Result<()> {
        let (Some(article), Some(found)) = (self.reader.article(), self.reader.links()) else { return Ok(()) };
        match LinkList::new(found.to_vec(), self.store.enclosures(article.id)?) {
            Some(list) => self.layer = Some(Layer::Links(list)),
            None => self.status.info("this article has no links"),
        }
        Ok(())
    }

    /// A key in the link list: through its keys (`[keys.links]`), else a digit typed.
    pub(super) fn pick_link(&mut self, key: &KeyEvent) {
        let Some(Layer::Links(list)) = &mut self.layer else { return };
        let input = match (self.keymap.links.action(key), key.code) {
            (Some(action), _) => link_list::Input::Action(action),
            (None, KeyCode::Char(c)) => link_list::Input::Typed(c),
            (None, _) => return,
        };
        match list.update(input) {
            None => self.layer = None,
            Some(None) => {}
            Some(Some(effect)) => {
                let applied = self.apply_effect(effect);
                self.report(applied);
            }
        }
    }

    /// Opens `url` in the browser: a graphical one now, a text one by the loop, which
    /// gives it the terminal (`take_foreground`).
    pub(super) fn open_link(&mut self, url: &str) {
        let env = std::env::var("BROWSER").ok();
        match self.browser.launch(env.as_deref(), url) {
            Ok(launch) if launch.in_terminal => self.terminal = Some(ForTerminal::Run(launch)),
            Ok(launch) => match launch.detached() {
                Ok(()) => self.status.info(format!("opened {}", crate::wording::shorten(url, 200))),
                Err(e) => self.status.error(e),
            },
            Err(e) => self.status.error(e),
        }
    }

    /// Asks the engine for the shown article's page: when `asked` by the user, or when
    /// the feed gave only a summary and the page was not asked for yet.
    pub(super) fn fetch_page(&mut self, asked: bool) {
        let Some(article) = self.reader.article().filter(|a| a.url.is_some()) else { return };
        let id = article.id;
        if asked || article.wants_page() {
            self.jobs.fetch_page(id, asked);
        }
    }
}
