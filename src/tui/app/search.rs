//! The search prompt: what is typed, and once run, the hits that fill the list.

use ratatui::crossterm::event::KeyEvent;

use super::{App, Layer, Pane};
use crate::model::Scope;
use crate::store;
use crate::tui::line_edit;
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

    /// A key while the search prompt is open: it edits the query (`LineEdit`), Enter
    /// searches, Esc closes the prompt.
    pub(super) fn edit_search(&mut self, key: KeyEvent) -> store::Result<()> {
        use ratatui::crossterm::event::{KeyCode, KeyModifiers};
        let Some(search) = self.search.as_mut() else { return Ok(()) };
        match key.code {
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => self.quit = true,
            KeyCode::Enter => {
                // Spaces at the ends mean nothing to the search: the title goes without.
                search.typed = self.prompt.text().trim().to_owned();
                self.prompt.set(&search.typed);
                self.prompt.remember();
                return self.run_search();
            }
            KeyCode::Esc => {
                self.layer = None;
                if *self.list.scope() != Scope::Search {
                    self.search = None;
                }
            }
            _ => {
                if let Some(edit) = line_edit::edit_for(&key) {
                    self.prompt.apply(edit);
                }
            }
        }
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
