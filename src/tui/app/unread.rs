//! Going to the next unread article (`n`, `p`, and Space at an article's end), as a
//! newsboat reader does: on down the list, then through the sources after the selected
//! one in tree order, wrapping round to it. A list of everything (all articles, the
//! unread, the bookmarks, a search) is gone through alone.

use super::{App, Pane};
use crate::model::{Scope, SortKey};
use crate::store;

/// Candidates read at once: a few may be marked read already, their marks on the way.
const CANDIDATES: usize = 16;

impl App {
    /// Opens the next unread article (`forward`) or the previous one, or says there is none.
    /// Outside the reader, the selected row counts: `n` on an unread one opens it.
    pub(super) fn go_unread(&mut self, forward: bool) -> store::Result<()> {
        if let Some(row) = self.list.selected().filter(|_| self.focus != Pane::Reader) {
            if !self.marks.waiting(row.key.id).unwrap_or(row.read) {
                return self.open_row(row.key);
            }
        }
        let from = self.list.selected().map(|r| r.key);
        if let Some(key) = self.unread_beside(self.list.scope(), from, forward)? {
            return self.open_row(key);
        }
        let Some(sources) = self.tree.sources_around(forward) else {
            let list = matches!(self.list.scope(), Scope::Bookmarks | Scope::Search);
            self.status.info(if list { "no unread article left in this list" } else { "no unread articles" });
            return Ok(());
        };
        for (path, id) in sources {
            if self.tree.source(id).is_none_or(|s| s.unread == 0) {
                continue;
            }
            if let Some(key) = self.unread_beside(&Scope::Sources(vec![id]), None, forward)? {
                self.tree.select(path);
                self.show_node()?;
                return self.open_row(key);
            }
        }
        self.status.info("no unread articles");
        Ok(())
    }

    /// The nearest unread article of `scope` beside `from`, those just marked read left out.
    fn unread_beside(&self, scope: &Scope, from: Option<SortKey>, forward: bool) -> store::Result<Option<SortKey>> {
        let keys = self.store.unread_beside((scope, self.list.order()), from, forward, CANDIDATES)?;
        Ok(keys.into_iter().find(|key| self.marks.waiting(key.id) != Some(true)))
    }

    /// Selects the list's row `key` and opens its article in the reader.
    fn open_row(&mut self, key: SortKey) -> store::Result<()> {
        self.list.select(&self.store, key)?;
        self.show_article()?;
        if self.focus == Pane::Reader { self.mark_open() } else { self.go_to(Pane::Reader) }
    }
}
