//! `M` and `U`: every unread article a list shows marked read at once, after a question
//! when there are more than `ASK_OVER`, and the last of these undone.

use ratatui::crossterm::event::KeyEvent;

use super::{App, Confirmable, Dirty, Layer};
use crate::engine::Mark;
use crate::model::ArticleId;
use crate::store;
use crate::tui::action::Answer;
use crate::wording::count;

/// Past this many articles, `M` asks first.
const ASK_OVER: usize = 20;

impl App {
    /// `M`: the unread articles listed become read, after a question when there are many.
    /// Those already marked read, their marks on the way, are left out.
    pub(super) fn ask_mark_listed_read(&mut self) -> store::Result<()> {
        let mut ids = self.store.unread_ids(self.list.scope())?;
        ids.retain(|id| self.marks.waiting(*id) != Some(true));
        // Sorted, for `Marks::waiting` to find one among many.
        ids.sort_unstable();
        match ids.len() {
            0 => self.status.info("nothing to mark: every article listed is read"),
            n if n <= ASK_OVER => self.ask_mark(Mark::Many { ids, read: true }),
            n => {
                let question = format!("Mark {} read?", count(n, "article"));
                self.layer = Some(Layer::Confirm { question, action: Confirmable::MarkRead(ids) });
            }
        }
        Ok(())
    }

    /// A key answering the question shown: yes runs its action, any other key says no.
    pub(super) fn answer(&mut self, key: &KeyEvent) {
        let Some(Layer::Confirm { action, .. }) = self.layer.take() else { return };
        if self.keymap.question.action(key) != Some(Answer::Yes) {
            self.status.info("nothing marked");
            return;
        }
        match action {
            Confirmable::MarkRead(ids) => self.ask_mark(Mark::Many { ids, read: true }),
        }
    }

    /// `U`: the articles the last `M` marked read are unread again.
    pub(super) fn undo_mark_all(&mut self) {
        match self.undo.take() {
            Some(ids) => self.ask_mark(Mark::Many { ids, read: false }),
            None => self.status.info("nothing to undo"),
        }
    }

    /// The engine wrote a `Many` mark: it is said, and a list marked read can be undone.
    pub(super) fn marked_many(&mut self, ids: Vec<ArticleId>, read: bool, changed: usize) {
        if read {
            let hint = self.keymap.panes.keys_for(crate::tui::Action::UndoMarkAll);
            let undo = hint.map(|key| format!(" ({key} to undo)")).unwrap_or_default();
            self.status.info(format!("marked {} read{undo}", count(changed, "article")));
            self.undo = Some(ids);
        } else {
            self.status.info(format!("marked {} unread again", count(changed, "article")));
        }
        self.dirty = Dirty { tree: true, list: true, reader: true };
    }
}
