//! The reader's state and its one entry point for change, `update(Action)`. Each pane
//! owns its own state; the app holds them, routes keys to the layer on top (`Layer`) or
//! actions by focus, and talks to the cache (reads, and read marks) and to the engine
//! (requests). Events only change state and mark what must be reloaded; `settle`
//! reloads once per batch, before a frame. Its parts: `article` (acting on the article
//! shown), `events` (the engine's and other processes' news, `settle`), `search`, and
//! `view` (layout and drawing).

use std::collections::{HashMap, HashSet};

use ratatui::crossterm::event::KeyEvent;

mod article;
mod events;
mod search;
mod view;

use super::action::Action;
use super::keymap::KeyMap;
use super::layer::{self, Confirmable, Layer};
use super::line_edit::LineEdit;
use super::list_pane::ListPane;
use super::marks::Marks;
use super::model::Model;
use super::reader_pane::ReaderPane;
use super::status::StatusLine;
use super::theme::Theme;
use super::tree_pane::TreePane;
use crate::engine::{Engine, Event};
use crate::model::{ArticleId, Scope, SectionId, SourceId};
use crate::sources::SourceEntry;
use crate::store::{self, Store};
use crate::timefmt::{Clock, Lang};
use search::Search;

/// Below this width one pane is shown at a time.
pub const WIDE: u16 = 100;

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
    /// The search prompt's line, with the searches typed before.
    prompt: LineEdit,
    quit: bool,
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

impl App {
    /// Builds the app from the cache alone: nothing here waits for the network.
    pub fn new(setup: Setup, width: u16, height: u16) -> store::Result<App> {
        let Model { nodes, states, sections, special, labels } = Model::read(&setup.store, &setup.entries, setup.lang)?;
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
            prompt: LineEdit::default(),
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

    /// Stops the engine and waits, up to `patience`, for it to close the cache.
    pub fn stop_engine(&mut self, patience: std::time::Duration) {
        std::mem::replace(&mut self.engine, Engine::detached().0).stop(patience);
    }

    /// Marks sent to the engine that it has not answered for yet.
    pub fn marks_waiting(&self) -> bool {
        self.marks.any_waiting()
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
            AppEvent::Tick => return self.on_tick(),
            AppEvent::Key(key) if matches!(self.layer, Some(Layer::Prompt)) => {
                let edited = self.edit_search(key);
                self.report(edited);
            }
            AppEvent::Key(key) if matches!(self.layer, Some(Layer::Confirm { .. })) => {
                self.status.clear_message();
                self.answer(&key);
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
            (Action::Bookmark, _) => self.toggle_bookmark(),
            (Action::ToggleRead, _) => self.toggle_read(),
            (Action::MarkAllRead, _) => self.ask_mark_listed_read()?,
            (Action::NextPane, pane) => self.go_to(next(pane))?,
            (Action::PrevPane, pane) => self.go_to(prev(pane))?,
            (Action::Search, _) => {
                let typed = self.search.take().map(|s| s.typed).unwrap_or_default();
                self.prompt.set(&typed);
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

    /// Whether a list of `scope` shows articles of `source`.
    fn covers(&self, scope: &Scope, source: SourceId) -> bool {
        match scope {
            Scope::Sources(ids) => ids.contains(&source),
            Scope::Section(_) => self.tree.selected().is_some_and(|n| n.key.source() == Some(source)),
            Scope::Unread => true,
            Scope::Bookmarks | Scope::Search => false,
        }
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
mod tests;
