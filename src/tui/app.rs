//! The reader's state and its one entry point for change, `update(Action)`. Each pane
//! owns its own state; the app holds them, routes actions by focus, and talks to the
//! cache (reads, and read marks) and to the engine (requests). Events only change state
//! and mark what must be reloaded; `settle` reloads once per batch, before a frame.

use std::collections::{HashMap, HashSet};

use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::help;
use super::keymap::KeyMap;
use super::layer::{self, Confirmable, Layer};
use super::list_pane::{ListLook, ListPane};
use super::marks::Marks;
use super::reader_pane::{self, ReaderPane};
use super::status::{self, StatusLine};
use super::text::truncate;
use super::theme::Theme;
use super::tree_pane::TreePane;
use crate::engine::{Engine, Event, JobError, Outcome};
use crate::model::{Article, ArticleId, Node, Scope, SectionId, SourceId, SourceKind, SourceState, TextSource};
use crate::sources::{self, SourceEntry, TreeData};
use crate::store::{self, SectionRow, Store};
use crate::timefmt::{Clock, Lang};
use crate::wording::{count, number};

/// Below this width one pane is shown at a time.
pub const WIDE: u16 = 100;

const ALL_LABEL: &str = "All articles";
const BOOKMARKS_LABEL: &str = "Bookmarks";
const UNREAD_LABEL: &str = "Unread";

/// Widest reader pane: about 90 columns of text, a comfortable line to read.
const READER_MAX_WIDTH: u16 = 96;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Tree,
    List,
    Reader,
}

/// What reaches the app from outside: keys, size changes, the engine, signals, and a
/// tick to look for what another process (a headless refresh) wrote to the cache.
#[derive(Debug)]
pub enum AppEvent {
    Key(KeyEvent),
    Resize(u16, u16),
    Engine(Event),
    Tick,
    Quit,
}

/// Everything the app is built from.
pub struct Setup {
    pub store: Store,
    pub engine: Engine,
    pub entries: Vec<SourceEntry>,
    pub keymap: KeyMap,
    pub theme: Theme,
    pub lang: Lang,
    pub clock: Clock,
}

pub struct App {
    store: Store,
    engine: Engine,
    entries: Vec<SourceEntry>,
    keymap: KeyMap,
    theme: Theme,
    lang: Lang,
    clock: Clock,
    labels: HashMap<SourceId, String>,
    tree: TreePane,
    list: ListPane,
    reader: ReaderPane,
    status: StatusLine,
    /// The help, the search prompt or a question, over the panes.
    layer: Option<Layer>,
    focus: Pane,
    size: (u16, u16),
    /// What to read again from the cache before the next frame.
    dirty: Dirty,
    #[cfg(test)]
    tree_reloads: usize,
    /// Pages fetched (or being fetched) this session, so that opening an article whose
    /// feed gave only a summary fetches its page once, not at every visit.
    pages_asked: HashSet<ArticleId>,
    fetching: HashSet<ArticleId>,
    /// Sections listed (or being listed) this session: a section is listed from the site
    /// the first time it is shown, and its cached list is shown meanwhile.
    sections_asked: HashSet<SectionId>,
    listing: HashSet<SectionId>,
    search: Option<Search>,
    /// The cache's `data_version` when last read: it moves when another connection writes.
    cache_version: i64,
    marks: Marks,
    quit: bool,
}

impl Drop for App {
    /// The read marks still waiting are written, waiting for the cache if they must.
    fn drop(&mut self) {
        if let Err(e) = self.marks.finish(&self.store) {
            tracing::error!("read marks not saved: {e}");
        }
    }
}

/// The parts of the screen that events made stale, read again in `settle`.
#[derive(Debug, Default, Clone, Copy)]
struct Dirty {
    /// Sources' counts, titles and errors.
    tree: bool,
    list: bool,
    /// The article shown, whose marks or text changed.
    reader: bool,
}

/// A search: what is typed, and once run, how many hits the list shows.
#[derive(Default)]
struct Search {
    typed: String,
    hits: usize,
    /// The words searched, folded, to highlight in titles (`*` ends a prefix).
    words: Vec<String>,
}

/// Every source's name, those that left the config included.
fn labels(entries: &[SourceEntry], states: &HashMap<SourceId, SourceState>) -> HashMap<SourceId, String> {
    sources::labels(states.values(), |url| entries.iter().find(|e| e.url == url).and_then(|e| e.name.as_deref()))
}

/// The tree's nodes with what they show: sources' and sections' states, and the counts
/// of bookmarks and of unread articles.
type TreeParts = (Vec<Node>, HashMap<SourceId, SourceState>, HashMap<SectionId, SectionRow>, (u32, u32));

impl App {
    /// Builds the app from the cache alone: nothing here waits for the network.
    pub fn new(setup: Setup, width: u16, height: u16) -> store::Result<App> {
        let (nodes, states, sections, special) = tree_parts(&setup.store, &setup.entries, setup.lang)?;
        let labels = labels(&setup.entries, &states);
        let tree = TreePane::new(nodes, states, sections, special);
        let mut app = App {
            labels,
            tree,
            list: ListPane::default(),
            reader: ReaderPane::default(),
            status: StatusLine::default(),
            layer: None,
            focus: Pane::Tree,
            size: (width, height),
            dirty: Dirty::default(),
            #[cfg(test)]
            tree_reloads: 0,
            pages_asked: HashSet::new(),
            fetching: HashSet::new(),
            sections_asked: HashSet::new(),
            listing: HashSet::new(),
            search: None,
            cache_version: setup.store.data_version()?,
            marks: Marks::default(),
            quit: false,
            store: setup.store,
            engine: setup.engine,
            entries: setup.entries,
            keymap: setup.keymap,
            theme: setup.theme,
            lang: setup.lang,
            clock: setup.clock,
        };
        app.fit()?;
        app.show_node()?;
        Ok(app)
    }

    pub fn should_quit(&self) -> bool {
        self.quit
    }

    pub fn focus(&self) -> Pane {
        self.focus
    }

    pub fn status(&mut self) -> &mut StatusLine {
        &mut self.status
    }

    /// Refreshes every source without touching the status message: for start-up.
    pub fn refresh_all(&mut self) {
        self.refresh(Scope::Sources(self.entries.iter().map(|e| e.id).collect()));
    }

    /// Handles one event; false when it changed nothing on screen (a quiet tick).
    pub fn handle(&mut self, event: AppEvent) -> bool {
        match event {
            // Marks waiting for the cache are written in `settle`.
            AppEvent::Tick => return self.watch_cache() || !self.marks.all_waiting().is_empty(),
            AppEvent::Key(key) if matches!(self.layer, Some(Layer::Prompt)) => {
                let edited = self.edit_search(key);
                self.report(edited);
            }
            AppEvent::Key(key) if matches!(self.layer, Some(Layer::Confirm { .. })) => {
                self.status.clear_message();
                let answered = self.answer(&key);
                self.report(answered);
            }
            AppEvent::Key(key) => {
                if let Some(action) = self.keymap.action(&key) {
                    self.update(action);
                }
            }
            AppEvent::Resize(w, h) => {
                self.size = (w, h);
                let fitted = self.fit();
                self.report(fitted);
            }
            AppEvent::Engine(event) => self.on_engine(event),
            AppEvent::Quit => self.quit = true,
        }
        true
    }

    /// Shows what another process wrote to the cache since it was last read: counts,
    /// the list, and the reader's article.
    fn watch_cache(&mut self) -> bool {
        let version = match self.store.data_version() {
            Ok(version) if version == self.cache_version => return false,
            Ok(version) => version,
            Err(e) => {
                self.report(Err(e));
                return true;
            }
        };
        self.cache_version = version;
        self.reader.forget();
        self.dirty.list = true;
        self.dirty.reader = true;
        let before = self.tree.articles();
        // Read now, not in `settle`: what it adds is told below.
        let reloaded = self.reload_sources();
        self.report(reloaded);
        // This reader's own engine writes too; what it brings, it reports itself.
        let own_work = self.status.is_refreshing() || !self.listing.is_empty() || !self.fetching.is_empty();
        let added = self.tree.articles().saturating_sub(before);
        if added > 0 && !own_work {
            self.status.info(format!("{} from a refresh elsewhere", count(added as usize, "new article")));
        }
        true
    }

    /// Applies an action. Cache errors are shown on the status line, never raised.
    pub fn update(&mut self, action: Action) {
        self.status.clear_message();
        let result = self.apply(action);
        self.report(result);
    }

    fn apply(&mut self, action: Action) -> store::Result<()> {
        if let Some(Layer::Help { scroll }) = self.layer {
            let last = self.keymap.help().len().saturating_sub(1);
            let scroll = match action {
                Action::Help | Action::Back | Action::BackOrQuit => None,
                Action::Quit => {
                    self.quit = true;
                    None
                }
                Action::Up => Some(scroll.saturating_sub(1)),
                Action::Down => Some((scroll + 1).min(last)),
                _ => Some(scroll),
            };
            self.layer = scroll.map(|scroll| Layer::Help { scroll });
            return Ok(());
        }
        match (action, self.focus) {
            (Action::Quit, _) => self.quit = true,
            (Action::Help, _) => self.layer = Some(Layer::Help { scroll: 0 }),
            (Action::Refresh, _) => self.refresh(self.tree.scope()),
            (Action::RefreshAll, _) => self.refresh_all(),
            (Action::OpenInBrowser, _) => self.open_in_browser(),
            (Action::FetchPage, _) => self.fetch_page(true),
            (Action::Bookmark, _) => self.toggle_bookmark()?,
            (Action::ToggleRead, _) => self.toggle_read()?,
            (Action::MarkAllRead, _) => self.ask_mark_listed_read()?,
            (Action::NextPane, pane) => self.go_to(next(pane))?,
            (Action::PrevPane, pane) => self.go_to(prev(pane))?,
            (Action::Search, _) => {
                let typed = self.search.take().map(|s| s.typed).unwrap_or_default();
                self.search = Some(Search { typed, ..Search::default() });
                self.layer = Some(Layer::Prompt);
            }
            (Action::Back | Action::BackOrQuit, Pane::List) if *self.list.scope() == Scope::Search => {
                self.show_node()?;
            }
            (Action::Back, Pane::Tree) => {}
            (Action::Back | Action::BackOrQuit, pane @ (Pane::List | Pane::Reader)) => self.go_to(prev(pane))?,
            (Action::BackOrQuit, Pane::Tree) => self.quit = true,

            (Action::Up, Pane::Tree) => self.move_tree(-1)?,
            (Action::Down, Pane::Tree) => self.move_tree(1)?,
            (Action::PageUp, Pane::Tree) => self.move_tree(-self.tree.page())?,
            (Action::PageDown, Pane::Tree) => self.move_tree(self.tree.page())?,
            (Action::Top, Pane::Tree) => self.move_tree(isize::MIN)?,
            (Action::Bottom, Pane::Tree) => self.move_tree(isize::MAX)?,
            (Action::Open, Pane::Tree) => {
                if !self.tree.toggle() {
                    self.go_to(Pane::List)?;
                }
            }
            (Action::Left, Pane::Tree) => {
                if self.tree.close_or_parent() {
                    self.show_node()?;
                }
            }
            (Action::Right | Action::ReadOn, Pane::Tree) => self.go_to(Pane::List)?,

            (Action::Up, Pane::List) => self.move_list(-1)?,
            (Action::Down, Pane::List) => self.move_list(1)?,
            (Action::PageUp, Pane::List) => self.move_list(-self.list.page())?,
            (Action::PageDown, Pane::List) => self.move_list(self.list.page())?,
            (Action::Top, Pane::List) => self.move_list(isize::MIN)?,
            (Action::Bottom, Pane::List) => self.move_list(isize::MAX)?,
            (Action::Left, Pane::List) => self.go_to(Pane::Tree)?,
            (Action::Right | Action::Open, Pane::List) => self.go_to(Pane::Reader)?,
            (Action::ReadOn, Pane::List) if self.is_wide() => self.read_on()?,
            (Action::ReadOn, Pane::List) => self.go_to(Pane::Reader)?,

            (Action::Up, Pane::Reader) => _ = self.reader.scroll_by(-1),
            (Action::Down, Pane::Reader) => _ = self.reader.scroll_by(1),
            (Action::PageUp, Pane::Reader) => _ = self.reader.scroll_by(-self.reader.page()),
            (Action::PageDown, Pane::Reader) => _ = self.reader.scroll_by(self.reader.page()),
            (Action::Top, Pane::Reader) => _ = self.reader.scroll_by(isize::MIN),
            (Action::Bottom, Pane::Reader) => _ = self.reader.scroll_by(isize::MAX),
            (Action::ReadOn, Pane::Reader) => self.read_on()?,
            (Action::Left, Pane::Reader) => self.go_to(Pane::List)?,
            (Action::Right | Action::Open, Pane::Reader) => {}
        }
        Ok(())
    }

    /// Moves focus; arriving in the reader opens the article there.
    fn go_to(&mut self, pane: Pane) -> store::Result<()> {
        if pane == Pane::Reader && self.reader.article().is_none() {
            return Ok(());
        }
        self.focus = pane;
        self.fit()?;
        if pane == Pane::Reader {
            self.mark_open()?;
        }
        Ok(())
    }

    /// Space: a page further into the article, and at its end, the next article.
    fn read_on(&mut self) -> store::Result<()> {
        if !self.reader.at_end() {
            self.reader.scroll_by(self.reader.page());
            self.mark_open()?;
        } else if self.list.move_by(&self.store, 1)? {
            self.show_article()?;
            self.mark_open()?;
        }
        Ok(())
    }

    fn move_tree(&mut self, delta: isize) -> store::Result<()> {
        if self.tree.move_by(delta) {
            self.show_node()?;
        }
        Ok(())
    }

    fn move_list(&mut self, delta: isize) -> store::Result<()> {
        if self.list.move_by(&self.store, delta)? {
            self.show_article()?;
        }
        if delta > 0 && self.list.at_last() {
            self.load_more();
        }
        Ok(())
    }

    /// At the end of a section's list, the site's next page.
    fn load_more(&mut self) {
        let Scope::Section(id) = *self.list.scope() else { return };
        let Some(section) = self.tree.section(id) else { return };
        if !section.exhausted && self.listing.insert(id) {
            self.engine.list_section(id, section.pages + 1);
            self.status.info("loading more articles…");
        }
    }

    /// Lists the selected node from its top. A section not yet listed this session is
    /// listed from its site, while its cached list shows.
    fn show_node(&mut self) -> store::Result<()> {
        self.search = None;
        let scope = self.tree.scope();
        let total = self.scope_total(&scope);
        if let Scope::Section(id) = scope {
            if self.sections_asked.insert(id) && self.listing.insert(id) {
                self.engine.glance_section(id);
            }
        }
        self.list.show(&self.store, scope, total)?;
        self.show_article()
    }

    fn scope_total(&self, scope: &Scope) -> usize {
        match scope {
            Scope::Sources(ids) => ids.iter().filter_map(|id| self.tree.source(*id)).map(|s| s.total as usize).sum(),
            Scope::Section(id) => self.tree.section(*id).map_or(0, |s| s.total as usize),
            Scope::Bookmarks | Scope::Unread => {
                self.tree.selected().map_or(0, |node| self.tree.counts(node).0 as usize)
            }
            Scope::Search => self.search.as_ref().map_or(0, |s| s.hits),
        }
    }

    /// A key while the search prompt is open: it edits the query, Enter searches, Esc
    /// closes the prompt.
    fn edit_search(&mut self, key: KeyEvent) -> store::Result<()> {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let Some(search) = self.search.as_mut() else { return Ok(()) };
        match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => self.quit = true,
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => search.typed.push(c),
            KeyCode::Backspace => _ = search.typed.pop(),
            KeyCode::Esc => {
                self.layer = None;
                if *self.list.scope() != Scope::Search {
                    self.search = None;
                }
            }
            KeyCode::Enter => return self.run_search(),
            _ => {}
        }
        Ok(())
    }

    /// Searches the cache for what was typed; the hits fill the list, best first.
    fn run_search(&mut self) -> store::Result<()> {
        self.layer = None;
        let Some(search) = self.search.as_mut() else { return Ok(()) };
        if search.typed.trim().is_empty() {
            self.search = None;
            return Ok(());
        }
        search.hits = self.store.search(&search.typed)?;
        search.words = store::query_terms(&search.typed);
        let message = match search.hits {
            0 => format!("no article matches “{}”", search.typed),
            n => format!("{} found", count(n, "article")),
        };
        self.status.info(message);
        let hits = search.hits;
        self.list.show(&self.store, Scope::Search, hits)?;
        self.show_article()?;
        self.focus = Pane::List;
        self.fit()
    }

    /// Whether a list of `scope` shows articles of `source`.
    fn covers(&self, scope: &Scope, source: SourceId) -> bool {
        match scope {
            Scope::Sources(ids) => ids.contains(&source),
            Scope::Section(_) => self.tree.selected().is_some_and(|n| n.key.source() == Some(source)),
            Scope::Unread => true,
            Scope::Bookmarks | Scope::Search => false,
        }
    }

    /// Shows the list's selected article in the reader.
    fn show_article(&mut self) -> store::Result<()> {
        let article = match self.list.selected() {
            Some(row) => self.article(row.key.id)?,
            None => None,
        };
        let source = article.as_ref().and_then(|a| self.labels.get(&a.source_id)).cloned().unwrap_or_default();
        let layout = self.reader_layout();
        self.reader.show(article, source, &layout);
        Ok(())
    }

    /// The reader shows the article to someone reading it: it becomes read, and when its
    /// feed gave only a summary, its page is fetched.
    fn mark_open(&mut self) -> store::Result<()> {
        // A read-only cache keeps nothing: marks and pages would only fail, at every article.
        if self.store.read_only().is_some() {
            return Ok(());
        }
        self.fetch_page(false);
        let Some(article) = self.reader.article() else { return Ok(()) };
        let id = article.id;
        if !article.read {
            self.mark(id, true)?;
        }
        Ok(())
    }

    /// Marks an article read or unread, at once when the cache lets it be written, else
    /// as soon as it does (`Marks`); what is shown follows at once either way.
    fn mark(&mut self, id: ArticleId, read: bool) -> store::Result<()> {
        match self.marks.set(&self.store, id, read)? {
            Some(false) => Ok(()),
            Some(true) => {
                self.list.set_read(id, read);
                self.dirty.tree = true;
                self.dirty.reader = true;
                Ok(())
            }
            None => {
                self.dirty.reader = true;
                Ok(())
            }
        }
    }

    /// An article from the cache, with its read mark as last set, written or not.
    fn article(&self, id: ArticleId) -> store::Result<Option<Article>> {
        let mut article = self.store.article(id)?;
        if let (Some(article), Some(read)) = (&mut article, self.marks.waiting(id)) {
            article.read = read;
        }
        Ok(article)
    }

    fn reader_source(&self) -> String {
        self.reader.article().and_then(|a| self.labels.get(&a.source_id)).cloned().unwrap_or_default()
    }

    fn refresh(&mut self, scope: Scope) {
        if let Some(why) = self.store.read_only() {
            self.status.error(format!("cannot refresh: {why}"));
            return;
        }
        match scope {
            Scope::Sources(ids) if ids.is_empty() => {}
            Scope::Sources(ids) => {
                self.status.set_progress(Some((0, ids.len(), 0)));
                self.engine.refresh(ids);
            }
            Scope::Section(id) => {
                if self.listing.insert(id) {
                    self.engine.list_section(id, 1);
                }
                self.status.info("refreshing the section…");
            }
            Scope::Bookmarks | Scope::Unread | Scope::Search => self.refresh_all(),
        }
    }

    /// `b`: bookmarks the shown article, or takes its bookmark off. A bookmarked article
    /// whose feed gave only a summary gets its page, so that its full text is kept.
    fn toggle_bookmark(&mut self) -> store::Result<()> {
        let Some(article) = self.reader.article() else { return Ok(()) };
        let (id, on) = (article.id, !article.bookmarked);
        self.store.set_bookmark(id, on, self.clock.now().timestamp())?;
        if on {
            self.fetch_page(false);
        }
        self.status.info(if on { "bookmarked: kept for offline reading" } else { "bookmark removed" });
        self.dirty.list |= *self.list.scope() == Scope::Bookmarks;
        self.dirty.tree = true;
        self.dirty.reader = true;
        Ok(())
    }

    /// `m`: the shown article becomes unread, or read.
    fn toggle_read(&mut self) -> store::Result<()> {
        let Some(article) = self.reader.article() else { return Ok(()) };
        let (id, read) = (article.id, !article.read);
        self.mark(id, read)?;
        self.status.info(if read { "marked read" } else { "marked unread" });
        Ok(())
    }

    /// `M`: asks first when it would mark more than one article.
    fn ask_mark_listed_read(&mut self) -> store::Result<()> {
        match self.store.unread_in(self.list.scope())? {
            0 => self.status.info("nothing to mark: every article listed is read"),
            1 => self.mark_listed_read()?,
            n => {
                let question = format!("Mark {} read?", count(n, "article"));
                self.layer = Some(Layer::Confirm { question, action: Confirmable::MarkListedRead });
            }
        }
        Ok(())
    }

    /// A key answering the question shown: yes runs its action, any other key says no.
    fn answer(&mut self, key: &KeyEvent) -> store::Result<()> {
        let Some(Layer::Confirm { action, .. }) = self.layer.take() else { return Ok(()) };
        if !layer::yes(key) {
            self.status.info("nothing marked");
            return Ok(());
        }
        match action {
            Confirmable::MarkListedRead => self.mark_listed_read(),
        }
    }

    /// Everything the list shows becomes read: the selected node's articles, or all of a
    /// search's hits.
    fn mark_listed_read(&mut self) -> store::Result<()> {
        let marked = self.store.mark_all_read(self.list.scope())?;
        self.status.info(format!("marked {} read", count(marked, "article")));
        self.dirty = Dirty { tree: true, list: true, reader: true };
        Ok(())
    }

    /// Reads the reader's article again from the cache: whichever it shows, or only `id`.
    fn reshow(&mut self, id: Option<ArticleId>) -> store::Result<()> {
        let Some(shown) = self.reader.article().map(|a| a.id).filter(|s| id.is_none_or(|id| id == *s)) else {
            return Ok(());
        };
        let article = self.article(shown)?;
        let (source, layout) = (self.reader_source(), self.reader_layout());
        self.reader.show(article, source, &layout);
        Ok(())
    }

    /// Asks the engine for the shown article's page: when `asked` by the user, or when
    /// the feed gave only a summary and the page was not asked for yet.
    fn fetch_page(&mut self, asked: bool) {
        let Some(article) = self.reader.article() else { return };
        let id = article.id;
        let summary_only = article.wants_page();
        if article.url.is_none() {
            if asked {
                self.status.error("this article has no link to fetch");
            }
        } else if (asked || (summary_only && !self.pages_asked.contains(&id))) && self.fetching.insert(id) {
            self.pages_asked.insert(id);
            self.engine.fetch_page(id);
        }
    }

    /// A page fetched for its article: the reader shows its text, or says why not.
    fn on_page(&mut self, id: ArticleId, result: Result<(), JobError>) -> store::Result<()> {
        self.fetching.remove(&id);
        let shown = self.reader.article().is_some_and(|a| a.id == id);
        match result {
            Ok(()) => {
                self.reader.forget();
                if shown {
                    self.reshow(Some(id))?;
                    self.status.info("showing the full text from the article's page");
                }
            }
            Err(reason) if shown => self.status.error(format!("no full text: {reason}")),
            Err(_) => {}
        }
        Ok(())
    }

    fn open_in_browser(&mut self) {
        match self.reader.article().map(|a| a.url.clone()) {
            None => {}
            Some(None) => self.status.error("this article has no link"),
            Some(Some(url)) => match crate::browser::open(&url) {
                Ok(()) => self.status.info(format!("opened {url}")),
                Err(e) => self.status.error(e),
            },
        }
    }

    fn on_engine(&mut self, event: Event) {
        match event {
            Event::Progress { done, total, failed } => {
                self.status.set_progress((done < total).then_some((done, total, failed)))
            }
            Event::SourceDone { id, outcome } => {
                if let Outcome::Updated { new, .. } = outcome {
                    // Known articles may have new text: layouts made from the old one go.
                    self.reader.forget();
                    if new > 0 && self.covers(self.list.scope(), id) {
                        self.dirty.list = true;
                    }
                }
                self.dirty.tree = true;
            }
            Event::SectionDone { id, result } => {
                self.listing.remove(&id);
                let shown = *self.list.scope() == Scope::Section(id);
                match result {
                    Ok(new) => {
                        self.reader.forget();
                        self.dirty.list |= shown;
                        if shown {
                            self.status.info(match new {
                                0 => "no new articles".to_owned(),
                                n => count(n, "new article"),
                            });
                        }
                    }
                    // Passed on the way to another section: listed again when back.
                    Err(JobError::Superseded) => {
                        self.sections_asked.remove(&id);
                        if shown && self.sections_asked.insert(id) && self.listing.insert(id) {
                            self.engine.glance_section(id);
                        }
                    }
                    Err(failure) => {
                        self.sections_asked.remove(&id);
                        if shown {
                            self.status.error(failure.to_string());
                        }
                    }
                }
                self.dirty.tree = true;
            }
            Event::PageDone { id, result } => {
                let shown = self.on_page(id, result);
                self.report(shown);
            }
            Event::Finished(summary) => {
                self.status.set_progress(None);
                self.status.set_offline(summary.offline());
                let new = count(summary.new, "new article");
                if summary.offline() {
                    self.status.error("offline: showing the cached articles");
                } else if summary.failed > 0 {
                    self.status.error(format!(
                        "refreshed: {new}; {} of {} failed",
                        summary.failed,
                        count(summary.sources, "source")
                    ));
                } else {
                    self.status.info(format!("refreshed: {new}"));
                }
            }
        }
    }

    /// Applies what events asked for, once per batch of events, before the next frame:
    /// the tree, the list and the reader are each read again at most once.
    pub fn settle(&mut self) {
        if !self.marks.all_waiting().is_empty() {
            match self.marks.write(&self.store) {
                Ok(written) => self.dirty.tree |= written > 0,
                Err(e) => self.report(Err(e)),
            }
        }
        let dirty = std::mem::take(&mut self.dirty);
        if dirty.tree {
            let reloaded = self.reload_sources();
            self.report(reloaded);
        }
        let mut shown = false;
        if dirty.list {
            let total = self.scope_total(self.list.scope());
            let had_article = self.list.selected().map(|r| r.key.id);
            let mut result = self.list.reload(&self.store, total);
            if result.is_ok() && self.list.selected().map(|r| r.key.id) != had_article {
                result = self.show_article();
                shown = true;
            }
            self.report(result);
        }
        if dirty.reader && !shown {
            let reshown = self.reshow(None);
            self.report(reshown);
        }
    }

    /// Reads sources' counts, titles and errors again, and relabels the tree.
    fn reload_sources(&mut self) -> store::Result<()> {
        #[cfg(test)]
        {
            self.tree_reloads += 1;
        }
        let (nodes, states, sections, special) = tree_parts(&self.store, &self.entries, self.lang)?;
        self.labels = labels(&self.entries, &states);
        self.tree.update(nodes, states, sections, special);
        Ok(())
    }

    fn report(&mut self, result: store::Result<()>) {
        if let Err(e) = result {
            tracing::error!("{e}");
            let message = match (&e, self.store.read_only()) {
                (store::StoreError::ReadOnly, Some(why)) => format!("not saved: {why}"),
                _ => e.to_string(),
            };
            self.status.error(message);
        }
    }

    fn no_text(&self) -> String {
        let hints: Vec<String> =
            [(Action::FetchPage, "fetch its page"), (Action::OpenInBrowser, "open it in the browser")]
                .into_iter()
                .filter_map(|(action, what)| self.keymap.keys_for(action).map(|key| format!("{key} to {what}")))
                .collect();
        match hints.as_slice() {
            [] => "This entry has no text.".to_owned(),
            hints => format!("This entry has no text. Press {}.", hints.join(", or ")),
        }
    }

    /// Where the reader's text comes from, for its title: full text, the feed's summary,
    /// or a page on its way.
    fn text_note(&self) -> Option<String> {
        let article = self.reader.article()?;
        let text = if self.fetching.contains(&article.id) {
            Some("fetching the page…".to_owned())
        } else {
            match article.text().1 {
                TextSource::Page | TextSource::Feed => Some("full text".to_owned()),
                TextSource::Summary => Some(match self.keymap.keys_for(Action::FetchPage) {
                    Some(key) => format!("summary ({key}: full text)"),
                    None => "summary".to_owned(),
                }),
                TextSource::Nothing => None,
            }
        };
        match (article.bookmarked, text) {
            (true, Some(text)) => Some(format!("★ {text}")),
            (true, None) => Some("★".to_owned()),
            (false, text) => text,
        }
    }

    /// The words to highlight: those of the search the list shows, if it shows one.
    fn search_words(&self) -> &[String] {
        match &self.search {
            Some(search) if *self.list.scope() == Scope::Search => &search.words,
            _ => &[],
        }
    }

    fn reader_layout(&self) -> reader_pane::Layout {
        let width = self.pane_rect(Pane::Reader).width.saturating_sub(4) as usize;
        reader_pane::Layout { width: width.max(1), lang: self.lang, clock: self.clock, no_text: self.no_text() }
    }

    fn is_wide(&self) -> bool {
        self.size.0 >= WIDE
    }

    fn visible(&self, pane: Pane) -> bool {
        self.is_wide() || pane == self.focus
    }

    /// Where each pane goes: three columns when wide, else the focused pane alone.
    fn pane_rect(&self, pane: Pane) -> Rect {
        let [main, _] = self.main_and_status();
        if !self.is_wide() {
            return main;
        }
        // The reader gets a little over half of what the tree leaves, up to a comfortable
        // line length; the list takes the rest.
        let tree = (main.width / 5).clamp(22, 32);
        let reader = ((main.width - tree) * 11 / 20).clamp(40, READER_MAX_WIDTH);
        let [t, l, r] =
            Layout::horizontal([Constraint::Length(tree), Constraint::Fill(1), Constraint::Length(reader)]).areas(main);
        match pane {
            Pane::Tree => t,
            Pane::List => l,
            Pane::Reader => r,
        }
    }

    fn main_and_status(&self) -> [Rect; 2] {
        let full = Rect::new(0, 0, self.size.0, self.size.1);
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(full)
    }

    /// Tells each pane its size after a resize or a change of focus.
    fn fit(&mut self) -> store::Result<()> {
        let inner_height = |r: Rect| r.height.saturating_sub(2) as usize;
        self.tree.set_height(inner_height(self.pane_rect(Pane::Tree)));
        self.list.set_height(&self.store, inner_height(self.pane_rect(Pane::List)))?;
        let layout = self.reader_layout();
        self.reader.resize(inner_height(self.pane_rect(Pane::Reader)), &layout);
        Ok(())
    }

    pub fn draw(&mut self, frame: &mut Frame<'_>) {
        let [_, status] = self.main_and_status();
        if self.visible(Pane::Tree) {
            let block = self.block(Pane::Tree, "Sources".to_owned());
            self.tree.draw(frame, self.pane_rect(Pane::Tree), block, self.focus == Pane::Tree, &self.theme);
        }
        if self.visible(Pane::List) {
            let title = match (self.tree.selected(), &self.search) {
                (_, Some(search)) if *self.list.scope() == Scope::Search => {
                    let counts = format!(" · {}", count(search.hits, "article"));
                    let room = (self.pane_rect(Pane::List).width as usize).saturating_sub(counts.width() + 14);
                    format!("Search “{}”{counts}", truncate(&search.typed, room))
                }
                (Some(node), _) => {
                    let (total, unread) = self.tree.counts(node);
                    let counts = match unread {
                        0 => format!(" · {}", count(total as usize, "article")),
                        unread => format!(" · {} unread", number(unread as usize)),
                    };
                    let room = (self.pane_rect(Pane::List).width as usize).saturating_sub(counts.width() + 4);
                    truncate(&node.label, room) + &counts
                }
                (None, _) => "Articles".to_owned(),
            };
            let empty = self.empty_list_text();
            let matches = self.search_words();
            let look = ListLook {
                theme: &self.theme,
                clock: &self.clock,
                lang: self.lang,
                labels: &self.labels,
                focused: self.focus == Pane::List,
                empty: &empty,
                matches,
                marks: &self.marks,
            };
            self.list.draw(frame, self.pane_rect(Pane::List), self.block(Pane::List, title), &look);
        }
        if self.visible(Pane::Reader) {
            let note = self.text_note().map(|n| format!(" · {n}")).unwrap_or_default();
            let room = (self.pane_rect(Pane::Reader).width as usize).saturating_sub(4 + note.width());
            let title = match self.reader_source() {
                source if source.is_empty() => "Article".to_owned(),
                source => truncate(&source, room) + &note,
            };
            let block = self.block(Pane::Reader, title);
            self.reader.draw(frame, self.pane_rect(Pane::Reader), block, &self.theme, self.search_words());
        }
        match (&self.layer, &self.search) {
            (Some(Layer::Prompt), Some(search)) => status::draw_prompt(frame, status, &self.theme, &search.typed),
            (Some(Layer::Confirm { question, .. }), _) => status::draw_question(frame, status, &self.theme, question),
            _ => {
                let context = self.tree.selected_error().map(|(label, error)| format!("{label}: {error}"));
                self.status.draw(frame, status, &self.theme, context, self.keymap.keys_for(Action::Help));
            }
        }
        if let Some(Layer::Help { scroll }) = self.layer {
            help::draw(frame, frame.area(), &self.keymap, &self.theme, scroll);
        }
    }

    /// What an empty list says: why it is empty, and what to do.
    fn empty_list_text(&self) -> String {
        let all_failed = match self.list.scope() {
            Scope::Sources(ids) => {
                !ids.is_empty() && ids.iter().all(|id| self.tree.source(*id).is_some_and(|s| s.error.is_some()))
            }
            Scope::Section(id) => self.tree.section(*id).is_some_and(|s| s.error.is_some()),
            Scope::Bookmarks | Scope::Unread | Scope::Search => false,
        };
        let loading = matches!(self.list.scope(), Scope::Section(id) if self.listing.contains(id));
        if let (Scope::Search, Some(search)) = (self.list.scope(), &self.search) {
            format!("No article matches “{}”.", search.typed)
        } else if *self.list.scope() == Scope::Bookmarks {
            match self.keymap.keys_for(Action::Bookmark) {
                Some(key) => format!("No bookmarks yet. Press {key} on an article to keep it here, offline."),
                None => "No bookmarks yet.".to_owned(),
            }
        } else if *self.list.scope() == Scope::Unread && !self.status.is_refreshing() {
            "Nothing unread.".to_owned()
        } else if self.entries.is_empty() {
            "No sources yet. Add a site or a feed from the shell: kiosque add URL [--folder NAME]".to_owned()
        } else if self.status.is_refreshing() || loading {
            "Refreshing…".to_owned()
        } else if all_failed {
            "Nothing cached yet: the last refresh failed. Select a source marked ! to see why.".to_owned()
        } else {
            match self.keymap.keys_for(Action::Refresh) {
                Some(key) => format!("No articles yet. Press {key} to refresh."),
                None => "No articles yet.".to_owned(),
            }
        }
    }

    fn block(&self, pane: Pane, title: String) -> Block<'static> {
        let focused = self.focus == pane;
        Block::bordered()
            .border_style(if focused { self.theme.border_focused } else { self.theme.border })
            .title(Line::from(Span::styled(format!(" {title} "), self.theme.pane_title)))
    }
}

/// Reads the tree from the cache: sources' states and sites' sections.
fn tree_parts(store: &Store, entries: &[SourceEntry], lang: Lang) -> store::Result<TreeParts> {
    let states: HashMap<_, _> = store.sources()?.into_iter().map(|s| (s.id, s)).collect();
    let mut by_site = HashMap::new();
    for entry in entries.iter().filter(|e| e.kind == SourceKind::Site) {
        by_site.insert(entry.id, store.sections(entry.id)?);
    }
    let home_label = match lang {
        Lang::Fr => "À la une",
        Lang::En => "Latest",
    };
    let data = TreeData {
        states: &states,
        sections: &by_site,
        all_label: ALL_LABEL,
        bookmarks_label: BOOKMARKS_LABEL,
        unread_label: UNREAD_LABEL,
        home_label,
    };
    let nodes = sources::tree(entries, &data);
    let sections = by_site.into_values().flatten().map(|s| (s.id, s)).collect();
    Ok((nodes, states, sections, store.special_counts()?))
}

fn next(pane: Pane) -> Pane {
    match pane {
        Pane::Tree => Pane::List,
        Pane::List => Pane::Reader,
        Pane::Reader => Pane::Tree,
    }
}

fn prev(pane: Pane) -> Pane {
    match pane {
        Pane::Tree => Pane::Reader,
        Pane::List => Pane::Tree,
        Pane::Reader => Pane::List,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FeedConfig;

    fn app_of(feeds: usize) -> (App, Vec<SourceId>) {
        let store = Store::open_in_memory().unwrap();
        let configs: Vec<FeedConfig> = (0..feeds)
            .map(|i| FeedConfig {
                url: format!("https://site{i}.example/feed"),
                name: None,
                folder: None,
                kind: SourceKind::Feed,
                prefetch: false,
            })
            .collect();
        let entries = sources::register(&configs, &store).unwrap();
        let ids = entries.iter().map(|e| e.id).collect();
        let setup = Setup {
            store,
            engine: Engine::detached().0,
            entries,
            keymap: KeyMap::default(),
            theme: Theme::default(),
            lang: Lang::Fr,
            clock: Clock::System,
        };
        (App::new(setup, 120, 40).unwrap(), ids)
    }

    #[test]
    fn a_batch_of_events_reads_the_tree_again_once() {
        let (mut app, ids) = app_of(30);
        let before = app.tree_reloads;
        for &id in &ids {
            let outcome = Outcome::Updated { new: 0, items: 0, pages: Default::default() };
            app.handle(AppEvent::Engine(Event::SourceDone { id, outcome }));
        }
        assert_eq!(app.tree_reloads, before, "nothing is read while the events come");
        app.settle();
        assert_eq!(app.tree_reloads, before + 1, "one reload for the batch");
        app.settle();
        assert_eq!(app.tree_reloads, before + 1, "and none once settled");
    }
}
