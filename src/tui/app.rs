//! The reader's state and its one entry point for change, `update(Action)`. Each pane
//! owns its own state; the app holds them, routes keys to the layer on top (`Layer`) or
//! actions by focus, reads the cache, and asks the engine (`Jobs`) for the rest, marks
//! included. Events only change state and mark what must be reloaded; `settle`
//! reloads once per batch, before a frame. Its parts: `article` (acting on the article
//! shown), `events` (the engine's and other processes' news, `settle`), `search`, and
//! `view` (layout and drawing).

use std::collections::HashMap;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

mod article;
mod events;
mod many;
mod mouse;
mod node;
mod search;
mod unread;
mod view;

use super::action::Action;
use super::help;
use super::jobs::Jobs;
use super::keymap::KeyMap;
use super::layer::{Confirmable, Layer};
use super::layout::Layout;
use super::line_edit::LineEdit;
use super::link_list::{self, LinkList};
use super::list_pane::ListPane;
use super::marks::Marks;
use super::model::Model;
pub use super::pane::Pane;
use super::pane::{Ctx, Effect};
use super::reader_pane::ReaderPane;
use super::schedule::Schedule;
use super::status::StatusLine;
use super::theme::Theme;
use super::tree_pane::TreePane;
use crate::browser::{Choice, Launch};
use crate::engine::{Engine, Event};
use crate::model::{ArticleId, Scope, SourceId};
use crate::sources::SourceEntry;
use crate::store::{self, Store};
use crate::timefmt::{Clock, Lang};
use search::Search;

/// What reaches the app from outside: keys, size changes, the engine, signals, and a
/// tick to look for what another process (a headless refresh) wrote to the cache.
#[derive(Debug)]
pub enum AppEvent {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    Engine(Event),
    Tick,
    Quit,
}

/// What the app asks of the terminal, which the loop owns.
#[derive(Debug, PartialEq, Eq)]
pub enum ForTerminal {
    /// A text browser, given the terminal until it exits.
    Run(Launch),
    /// Text for the terminal's clipboard (OSC 52).
    Copy(String),
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
    pub browser: Choice,
    /// The panes as the user left them last time.
    pub layout: Layout,
    /// Minutes between refreshes while the reader is open; 0: never.
    pub refresh_minutes: u32,
}

pub struct App {
    store: Store,
    jobs: Jobs,
    entries: Vec<SourceEntry>,
    keymap: KeyMap,
    theme: Theme,
    lang: Lang,
    clock: Clock,
    browser: Choice,
    layout: Layout,
    schedule: Schedule,
    /// What only the loop that owns the terminal can do: run a text browser, copy.
    terminal: Option<ForTerminal>,
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
    search: Option<Search>,
    /// The cache's `data_version` when last read: it moves when another connection writes.
    cache_version: i64,
    marks: Marks,
    /// The last left click, to tell a double click.
    last_click: Option<(std::time::Instant, (u16, u16))>,
    /// The articles the last `M` marked read, for `U`.
    undo: Option<Vec<ArticleId>>,
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
            search: None,
            cache_version: setup.store.data_version()?,
            marks: Marks::default(),
            undo: None,
            last_click: None,
            prompt: LineEdit::default(),
            quit: false,
            store: setup.store,
            jobs: Jobs::new(setup.engine),
            entries: setup.entries,
            keymap: setup.keymap,
            theme: setup.theme,
            lang: setup.lang,
            clock: setup.clock,
            browser: setup.browser,
            layout: setup.layout,
            schedule: Schedule::new(setup.refresh_minutes, setup.clock.now().timestamp()),
            terminal: None,
        };
        app.fit()?;
        app.show_node()?;
        Ok(app)
    }

    /// Stops the engine and waits, up to `patience`, for it to close the cache.
    pub fn stop_engine(&mut self, patience: std::time::Duration) {
        self.jobs.stop(patience);
    }

    /// The panes as they are now, to be remembered for the next run.
    pub fn layout(&self) -> Layout {
        Layout { zoomed: false, ..self.layout }
    }

    /// `z`: the article alone at full width, or the panes back.
    fn zoom(&mut self) -> store::Result<()> {
        if self.layout.zoomed {
            self.layout.zoomed = false;
            return self.fit();
        }
        if self.reader.article().is_some() {
            self.layout.zoomed = true;
            self.go_to(Pane::Reader)?;
        }
        Ok(())
    }

    /// What the terminal is asked for, once (`ForTerminal`).
    pub fn take_terminal(&mut self) -> Option<ForTerminal> {
        self.terminal.take()
    }

    /// How the text browser ran: the status line says when it failed.
    pub fn foreground_done(&mut self, result: Result<(), String>) {
        if let Err(e) = result {
            self.status.error(e);
        }
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
            AppEvent::Key(key) if matches!(self.layer, Some(Layer::Links(_))) => {
                self.status.clear_message();
                self.pick_link(&key);
            }
            AppEvent::Key(key) if matches!(self.layer, Some(Layer::Confirm { .. })) => {
                self.status.clear_message();
                self.answer(&key);
            }
            AppEvent::Key(key) => {
                if let Some(action) = self.keymap.panes.action(&key) {
                    self.update(action);
                }
            }
            AppEvent::Mouse(event) => {
                self.status.clear_message();
                let clicked = self.on_mouse(event);
                self.report(clicked);
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

    /// A layer on top takes the action; else the few that act on the whole reader are
    /// here, and the others go to a pane (`route`), whose effect is then applied.
    fn apply(&mut self, action: Action) -> store::Result<()> {
        if let Some(Layer::Help { scroll }) = self.layer {
            let (scroll, quit) = help::scrolled(scroll, action, help::rows(&self.keymap));
            self.layer = scroll.map(|scroll| Layer::Help { scroll });
            self.quit = quit;
            return Ok(());
        }
        match action {
            Action::Quit => self.quit = true,
            Action::Help => self.layer = Some(Layer::Help { scroll: 0 }),
            Action::Refresh => self.refresh(self.tree.scope()),
            Action::RefreshAll => self.refresh_all(),
            Action::MarkAllRead => self.ask_mark_listed_read()?,
            Action::UndoMarkAll => self.undo_mark_all(),
            Action::NextUnread => self.go_unread(true)?,
            Action::PrevUnread => self.go_unread(false)?,
            Action::NextPane => self.go_to(self.focus.next())?,
            Action::PrevPane => self.go_to(self.focus.prev())?,
            Action::Search => self.open_prompt(),
            Action::Links => self.open_links()?,
            Action::NarrowTree | Action::WidenTree => {
                self.layout.resize_tree(action == Action::WidenTree, self.size.0);
                self.fit()?;
            }
            Action::Zoom => self.zoom()?,
            _ => {
                if let Some(effect) = self.route(action)? {
                    self.apply_effect(effect)?;
                }
            }
        }
        Ok(())
    }

    /// The pane an action goes to: the focused one, but the article's own actions go to
    /// the reader from anywhere, and so does Space in the list when the reader is beside it.
    fn route(&mut self, action: Action) -> store::Result<Option<Effect>> {
        let of_article =
            matches!(action, Action::Bookmark | Action::ToggleRead | Action::OpenInBrowser | Action::FetchPage);
        let read_beside = action == Action::ReadOn && self.focus == Pane::List && self.is_wide();
        let pane = match action {
            Action::Sort => Pane::List,
            _ if of_article || read_beside => Pane::Reader,
            _ => self.focus,
        };
        self.update_pane(pane, action)
    }

    /// `action` given to `pane`, focused or not (the mouse wheel scrolls the pane under it).
    fn update_pane(&mut self, pane: Pane, action: Action) -> store::Result<Option<Effect>> {
        let ctx = Ctx { rows: &self.store, now: self.clock.now().timestamp() };
        Ok(match pane {
            Pane::Tree => self.tree.update(action),
            Pane::List => self.list.update(action, &ctx)?,
            Pane::Reader => self.reader.update(action, &ctx),
        })
    }

    fn apply_effect(&mut self, effect: Effect) -> store::Result<()> {
        match effect {
            Effect::ShowNode => self.show_node()?,
            Effect::ShowArticle => {
                self.show_article()?;
                if self.list.at_last() {
                    self.load_more();
                }
            }
            Effect::LoadMore => self.load_more(),
            Effect::Focus(pane) => self.go_to(pane)?,
            Effect::Reading => self.mark_open()?,
            Effect::NextArticle => self.go_unread(true)?,
            Effect::Mark(mark) => self.ask_mark(mark),
            Effect::FetchPage => self.fetch_page(true),
            Effect::OpenInBrowser(url) => self.open_link(&url),
            Effect::Copy(url) => {
                self.status.info(format!("copied {}", crate::wording::shorten(&url, 200)));
                self.terminal = Some(ForTerminal::Copy(url));
            }
            Effect::Refuse(why) => self.status.error(why),
            Effect::Sorted(order) => {
                self.show_article()?;
                self.status.info(format!("sorted {}", order.describe()));
            }
            Effect::Quit => self.quit = true,
        }
        Ok(())
    }

    /// Moves focus; arriving in the reader opens the article there. Leaving it ends a zoom.
    fn go_to(&mut self, pane: Pane) -> store::Result<()> {
        if pane == Pane::Reader && self.reader.article().is_none() {
            return Ok(());
        }
        self.layout.zoomed &= pane == Pane::Reader;
        self.focus = pane;
        self.fit()?;
        if pane == Pane::Reader {
            self.mark_open()?;
        }
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
}

#[cfg(test)]
mod tests;
