//! What the three panes share: which one has the focus, what a pane's `update` is given
//! (`Ctx`), and what it asks of the app in return (`Effect`). A pane changes only its
//! own state; anything beyond it (another pane, the engine, the status line) is an
//! effect, data that the app applies in one place (`App::apply_effect`), so a pane's
//! behaviour is tested without a terminal, an engine or, for the tree and the reader, a
//! cache.

use crate::engine::Mark;
use crate::model::{ArticleRow, Order, Scope, SortKey};
use crate::store::{self, Anchor, Store};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Tree,
    List,
    Reader,
}

impl Pane {
    pub fn next(self) -> Pane {
        match self {
            Pane::Tree => Pane::List,
            Pane::List => Pane::Reader,
            Pane::Reader => Pane::Tree,
        }
    }

    pub fn prev(self) -> Pane {
        match self {
            Pane::Tree => Pane::Reader,
            Pane::List => Pane::Tree,
            Pane::Reader => Pane::List,
        }
    }
}

/// What a pane asks of the app after an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// The tree's selection changed: its node is listed from the top.
    ShowNode,
    /// The list's selection changed: its article is shown.
    ShowArticle,
    /// The list's last row is selected and the user goes on: the next page of a section.
    LoadMore,
    Focus(Pane),
    /// The article is being read: it becomes read, and its page is fetched when the feed
    /// gave only a summary.
    Reading,
    /// At the end of the article: the next unread one, opened.
    NextArticle,
    Mark(Mark),
    /// The article's page, asked for by the user.
    FetchPage,
    OpenInBrowser(String),
    /// A link to the terminal's clipboard.
    Copy(String),
    /// The list's order changed: its first article is shown, and the order said.
    Sorted(Order),
    /// Why the action did nothing, for the status line.
    Refuse(&'static str),
    Quit,
}

/// What a pane is given besides the action.
pub struct Ctx<'a> {
    /// Where the list reads its rows.
    pub rows: &'a dyn Rows,
    /// Now, in seconds: the date of a bookmark.
    pub now: i64,
}

/// Where the list reads its rows: the cache, or rows in memory in the panes' tests.
pub trait Rows {
    /// Up to `n` rows of `scope` in `order` from `anchor`, in the list's order.
    fn rows(&self, list: (&Scope, Order), anchor: Anchor, n: usize) -> store::Result<Vec<ArticleRow>>;
    /// Where the row `key` now stands in the list of `scope` in `order`.
    fn position(&self, list: (&Scope, Order), key: SortKey) -> store::Result<usize>;
}

impl Rows for Store {
    fn rows(&self, (scope, order): (&Scope, Order), anchor: Anchor, n: usize) -> store::Result<Vec<ArticleRow>> {
        Store::rows_in(self, scope, order, anchor, n)
    }

    fn position(&self, (scope, order): (&Scope, Order), key: SortKey) -> store::Result<usize> {
        Store::position_in(self, scope, order, key)
    }
}

/// A list's rows in memory, in its order, whatever the scope: for the panes' tests.
#[cfg(test)]
pub struct Memory(pub Vec<ArticleRow>);

#[cfg(test)]
impl Memory {
    /// `n` unread rows titled "article 0", "article 1"…, newest first.
    pub fn of(n: usize) -> Memory {
        let row = |i: usize| ArticleRow {
            key: SortKey { group: 0, time: 1_700_000_000 - i as i64 * 60, id: crate::model::ArticleId(i as i64 + 1) },
            time: 1_700_000_000 - i as i64 * 60,
            source_id: crate::model::SourceId(1),
            title: format!("article {i}"),
            read: false,
        };
        Memory((0..n).map(row).collect())
    }
}

#[cfg(test)]
impl Rows for Memory {
    fn rows(&self, _: (&Scope, Order), anchor: Anchor, n: usize) -> store::Result<Vec<ArticleRow>> {
        let len = self.0.len();
        let at = |key: SortKey| self.0.iter().position(|r| r.key == key).expect("a key of this list");
        let (from, to) = match anchor {
            Anchor::First => (0, n),
            Anchor::Last => (len.saturating_sub(n), len),
            Anchor::Offset(start) => (start, start + n),
            Anchor::After(key) => (at(key) + 1, at(key) + 1 + n),
            Anchor::Before(key) => (at(key).saturating_sub(n), at(key)),
        };
        Ok(self.0[from.min(len)..to.min(len)].to_vec())
    }

    fn position(&self, _: (&Scope, Order), key: SortKey) -> store::Result<usize> {
        Ok(self.0.iter().filter(|r| (r.key.time, r.key.id.0) > (key.time, key.id.0)).count())
    }
}
