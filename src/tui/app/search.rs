//! The search prompt: what is typed, and once run, the hits that fill the list.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, Layer, Pane};
use crate::model::Scope;
use crate::store;
use crate::tui::action::PromptAction;
use crate::tui::line_edit::Edit;
use crate::wording::count;

/// A search: what is typed, and once run, how many hits the list shows.
#[derive(Default)]
pub(super) struct Search {
    pub(super) typed: String,
    pub(super) hits: usize,
    /// The words searched, folded, to highlight in titles (`*` ends a prefix).
    pub(super) words: Vec<String>,
}

impl App {
    /// `/`: the prompt opens on what was searched last, to edit.
    pub(super) fn open_prompt(&mut self) {
        let typed = self.search.take().map(|s| s.typed).unwrap_or_default();
        self.prompt.set(&typed);
        self.search = Some(Search { typed, ..Search::default() });
        self.layer = Some(Layer::Prompt);
    }

    /// A key while the search prompt is open, through the prompt's keys
    /// (`[keys.prompt]`): it edits the query (`LineEdit`), searches or closes the
    /// prompt; a key bound to nothing there types its character.
    pub(super) fn edit_search(&mut self, key: KeyEvent) -> store::Result<()> {
        let Some(search) = self.search.as_mut() else { return Ok(()) };
        let edit = match self.keymap.prompt.action(&key) {
            Some(PromptAction::Quit) => {
                self.quit = true;
                return Ok(());
            }
            Some(PromptAction::Search) => {
                // Spaces at the ends mean nothing to the search: the title goes without.
                search.typed = self.prompt.text().trim().to_owned();
                self.prompt.set(&search.typed);
                self.prompt.remember();
                return self.run_search();
            }
            Some(PromptAction::Close) => {
                self.layer = None;
                if *self.list.scope() != Scope::Search {
                    self.search = None;
                }
                return Ok(());
            }
            Some(PromptAction::CursorLeft) => Edit::Left,
            Some(PromptAction::CursorRight) => Edit::Right,
            Some(PromptAction::LineStart) => Edit::Start,
            Some(PromptAction::LineEnd) => Edit::End,
            Some(PromptAction::DeleteBack) => Edit::DeleteBack,
            Some(PromptAction::DeleteForward) => Edit::DeleteForward,
            Some(PromptAction::DeleteWordBack) => Edit::DeleteWordBack,
            Some(PromptAction::ClearToStart) => Edit::ClearToStart,
            Some(PromptAction::HistoryBack) => Edit::Previous,
            Some(PromptAction::HistoryForward) => Edit::Next,
            None => match key.code {
                KeyCode::Char(c) if !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) => {
                    Edit::Insert(c)
                }
                _ => return Ok(()),
            },
        };
        self.prompt.apply(edit);
        Ok(())
    }

    /// Searches the cache for what was typed; the hits fill the list, best first.
    pub(super) fn run_search(&mut self) -> store::Result<()> {
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
}
