//! Read marks, bookmarks and lists marked read that the reader could not write yet.
//! While a refresh writes (the engine's, or `kiosque refresh` in another process) the
//! cache's write lock is held for a batch at a time, half a second or more: a key press
//! must not wait for it. They wait here, in the order asked, and are written at the next
//! chance: the next key, the next tick, and at the latest when the reader closes. What
//! waits is written before anything asked after it, so the last word is the user's.

use std::collections::VecDeque;

use crate::model::{ArticleId, Scope};
use crate::store::{self, Store};

/// A change the reader asks of the cache.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    Read {
        id: ArticleId,
        read: bool,
    },
    Bookmark {
        id: ArticleId,
        on: bool,
        at: i64,
    },
    /// Every article of a list read (`M`).
    ListRead(Scope),
}

impl Mark {
    /// Writes it, as any write does: how many articles it changed.
    fn apply(&self, store: &Store) -> store::Result<usize> {
        Ok(match self {
            Mark::Read { id, read } => usize::from(store.set_read(*id, *read)?),
            Mark::Bookmark { id, on, at } => usize::from(store.set_bookmark(*id, *on, *at)?),
            Mark::ListRead(scope) => store.mark_all_read(scope)?,
        })
    }

    /// Whether `later` makes it pointless: a later mark of the same kind for the same article.
    fn replaced_by(&self, later: &Mark) -> bool {
        match (self, later) {
            (Mark::Read { id, .. }, Mark::Read { id: other, .. }) => id == other,
            (Mark::Bookmark { id, .. }, Mark::Bookmark { id: other, .. }) => id == other,
            _ => false,
        }
    }
}

#[derive(Debug, Default)]
pub struct Marks {
    waiting: VecDeque<Mark>,
}

impl Marks {
    /// Writes `mark` after what waits, without waiting for the lock: the marks written
    /// (older ones with it), each with how many articles it changed. `mark` is among them
    /// unless it waits.
    pub fn set(&mut self, store: &Store, mark: Mark) -> store::Result<Vec<(Mark, usize)>> {
        self.waiting.retain(|older| !older.replaced_by(&mark));
        self.waiting.push_back(mark);
        self.write(store)
    }

    pub fn any_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// Whether `mark` waits.
    pub fn waits(&self, mark: &Mark) -> bool {
        self.waiting.contains(mark)
    }

    /// The read mark waiting for `id`, which the cache does not show yet.
    pub fn waiting(&self, id: ArticleId) -> Option<bool> {
        self.waiting.iter().rev().find_map(|mark| match mark {
            Mark::Read { id: marked, read } if *marked == id => Some(*read),
            _ => None,
        })
    }

    /// Writes what waits, in order, as far as the lock lets, without waiting: the marks
    /// written, each with how many articles it changed. A mark that fails otherwise (a
    /// read-only cache, a full disk) is dropped, and its error is the answer.
    pub fn write(&mut self, store: &Store) -> store::Result<Vec<(Mark, usize)>> {
        let mut written = Vec::new();
        while let Some(mark) = self.waiting.front() {
            let tried = store.without_waiting(|store| mark.apply(store));
            let Some(changed) = tried.inspect_err(|_| _ = self.waiting.pop_front())? else { break };
            written.extend(self.waiting.pop_front().map(|mark| (mark, changed)));
        }
        Ok(written)
    }

    /// Writes what waits, waiting for the lock as any write does: when the reader closes.
    pub fn finish(&mut self, store: &Store) -> store::Result<()> {
        while let Some(mark) = self.waiting.front() {
            mark.apply(store)?;
            self.waiting.pop_front();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NewArticle;
    use crate::store::Anchor;

    fn cache_of_two() -> (tempfile::TempDir, std::path::PathBuf, Vec<ArticleId>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        let mut store = Store::open(&path).unwrap();
        let source = store.ensure_source("https://a.example/feed").unwrap();
        let article = |guid: &str| NewArticle {
            guid: guid.to_owned(),
            url: None,
            title: guid.to_owned(),
            author: None,
            published: None,
            section: None,
            summary: None,
            content: None,
        };
        store.save_articles(source, &[article("a"), article("b")], 1_700_000_000).unwrap();
        let ids =
            store.rows(&Scope::Sources(vec![source]), Anchor::First, 2).unwrap().iter().map(|r| r.key.id).collect();
        (dir, path, ids)
    }

    fn read(path: &std::path::Path, id: ArticleId) -> bool {
        Store::open(path).unwrap().article(id).unwrap().unwrap().read
    }

    fn read_mark(id: ArticleId, read: bool) -> Mark {
        Mark::Read { id, read }
    }

    #[test]
    fn a_mark_waits_while_another_writer_holds_the_cache_and_is_written_after() {
        let (_dir, path, ids) = cache_of_two();
        let store = Store::open(&path).unwrap();
        let mut marks = Marks::default();
        let first = read_mark(ids[0], true);
        assert_eq!(marks.set(&store, first.clone()).unwrap(), [(first, 1)], "no one else writes: written now");

        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert_eq!(marks.set(&store, read_mark(ids[1], true)).unwrap(), [], "the other holds the lock");
        assert_eq!(marks.set(&store, read_mark(ids[0], false)).unwrap(), []);
        assert!(marks.waits(&read_mark(ids[1], true)));
        assert_eq!((marks.waiting(ids[1]), marks.waiting(ids[0])), (Some(true), Some(false)));
        assert_eq!(marks.write(&store).unwrap(), []);
        other.execute_batch("COMMIT").unwrap();

        assert_eq!(marks.write(&store).unwrap().len(), 2);
        assert!(!marks.any_waiting());
        assert!(read(&path, ids[1]) && !read(&path, ids[0]), "the last mark asked is the one kept");
    }

    /// A list marked read, then one of its articles marked unread: written in that order
    /// once the lock is free, whichever came first to be tried.
    #[test]
    fn marks_are_written_in_the_order_asked() {
        let (_dir, path, ids) = cache_of_two();
        let store = Store::open(&path).unwrap();
        let mut marks = Marks::default();
        let source = store.sources().unwrap()[0].id;
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert_eq!(marks.set(&store, Mark::ListRead(Scope::Sources(vec![source]))).unwrap(), []);
        other.execute_batch("COMMIT").unwrap();
        let written = marks.set(&store, read_mark(ids[1], false)).unwrap();
        assert_eq!(written, [(Mark::ListRead(Scope::Sources(vec![source])), 2), (read_mark(ids[1], false), 1)]);
        assert!(read(&path, ids[0]) && !read(&path, ids[1]), "the unread mark, asked last, stands");
    }

    #[test]
    fn what_waits_is_written_when_the_reader_closes() {
        let (_dir, path, ids) = cache_of_two();
        let store = Store::open(&path).unwrap();
        let mut marks = Marks::default();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert_eq!(marks.set(&store, read_mark(ids[1], true)).unwrap(), []);
        let bookmark = Mark::Bookmark { id: ids[0], on: true, at: 1_700_000_100 };
        assert_eq!(marks.set(&store, bookmark).unwrap(), []);
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            other.execute_batch("COMMIT").unwrap();
        });
        marks.finish(&store).unwrap();
        release.join().unwrap();
        assert!(!marks.any_waiting());
        assert!(read(&path, ids[1]));
        assert!(Store::open(&path).unwrap().article(ids[0]).unwrap().unwrap().bookmarked);
    }
}
