//! Read marks and bookmarks the reader could not write yet. While a refresh writes (the
//! engine's, or `kiosque refresh` in another process) the cache's write lock is held for
//! a batch at a time, half a second or more: a key press must not wait for it. They are
//! kept here and written at the next chance: the next key, the next tick, and at the
//! latest when the reader closes. A read mark is shown at once; a bookmark only once it
//! is kept, as the reader then says.

use crate::model::{ArticleId, Scope};
use crate::store::{self, Store};

/// What `Marks::write` wrote of what waited.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Articles marked one by one.
    pub marks: usize,
    /// Articles marked read with their lists, when lists waited.
    pub listed: Option<usize>,
    /// Bookmarks kept (`true`) or taken off.
    pub bookmarks: Vec<(ArticleId, bool)>,
}

#[derive(Debug, Default)]
pub struct Marks {
    /// Oldest first; one per article, the last asked.
    unsaved: Vec<(ArticleId, bool)>,
    /// Bookmarks to set (`true`) or take off, when, oldest first; one per article.
    bookmarks: Vec<(ArticleId, bool, i64)>,
    /// Lists to mark read whole (`M`), oldest first.
    lists: Vec<Scope>,
}

impl Marks {
    /// Marks `id` read or unread: whether the cache changed, or `None` when the mark waits.
    pub fn set(&mut self, store: &Store, id: ArticleId, read: bool) -> store::Result<Option<bool>> {
        self.unsaved.retain(|(waiting, _)| *waiting != id);
        let written = store.set_read_now(id, read)?;
        if written.is_none() {
            self.unsaved.push((id, read));
        }
        Ok(written)
    }

    /// Bookmarks `id` (`on`) or takes its bookmark off: whether the cache changed, or
    /// `None` when it waits.
    pub fn set_bookmark(&mut self, store: &Store, id: ArticleId, on: bool, at: i64) -> store::Result<Option<bool>> {
        self.bookmarks.retain(|(waiting, _, _)| *waiting != id);
        let written = store.set_bookmark_now(id, on, at)?;
        if written.is_none() {
            self.bookmarks.push((id, on, at));
        }
        Ok(written)
    }

    /// Marks every article of `scope` read: how many, or `None` when it waits.
    pub fn set_all_read(&mut self, store: &Store, scope: &Scope) -> store::Result<Option<usize>> {
        let marked = store.mark_all_read_now(scope)?;
        if marked.is_none() {
            self.lists.push(scope.clone());
        }
        Ok(marked)
    }

    /// Whether anything waits for the cache.
    pub fn any_waiting(&self) -> bool {
        !self.unsaved.is_empty() || !self.bookmarks.is_empty() || !self.lists.is_empty()
    }

    /// The mark waiting for `id`, which the cache does not show yet.
    pub fn waiting(&self, id: ArticleId) -> Option<bool> {
        self.unsaved.iter().find(|(waiting, _)| *waiting == id).map(|(_, read)| *read)
    }

    /// Writes what waits, as far as the lock lets, without waiting.
    pub fn write(&mut self, store: &Store) -> store::Result<Written> {
        let mut done = Written::default();
        while let Some(&(id, read)) = self.unsaved.first() {
            if store.set_read_now(id, read)?.is_none() {
                break;
            }
            self.unsaved.remove(0);
            done.marks += 1;
        }
        while let Some(scope) = self.lists.first() {
            let Some(marked) = store.mark_all_read_now(scope)? else { break };
            self.lists.remove(0);
            done.listed = Some(done.listed.unwrap_or(0) + marked);
        }
        while let Some(&(id, on, at)) = self.bookmarks.first() {
            if store.set_bookmark_now(id, on, at)?.is_none() {
                break;
            }
            self.bookmarks.remove(0);
            done.bookmarks.push((id, on));
        }
        Ok(done)
    }

    /// Writes what waits, waiting for the lock as any write does: when the reader closes.
    pub fn finish(&mut self, store: &Store) -> store::Result<()> {
        for (id, read) in std::mem::take(&mut self.unsaved) {
            store.set_read(id, read)?;
        }
        for (id, on, at) in std::mem::take(&mut self.bookmarks) {
            store.set_bookmark(id, on, at)?;
        }
        for scope in std::mem::take(&mut self.lists) {
            store.mark_all_read(&scope)?;
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

    #[test]
    fn a_mark_waits_while_another_writer_holds_the_cache_and_is_written_after() {
        let (_dir, path, ids) = cache_of_two();
        let store = Store::open(&path).unwrap();
        let mut marks = Marks::default();
        assert_eq!(marks.set(&store, ids[0], true).unwrap(), Some(true), "no one else writes: written now");

        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert_eq!(marks.set(&store, ids[1], true).unwrap(), None, "the other holds the lock");
        assert_eq!(marks.set(&store, ids[0], false).unwrap(), None);
        assert_eq!(marks.waiting(ids[1]), Some(true));
        assert_eq!((marks.waiting(ids[1]), marks.waiting(ids[0])), (Some(true), Some(false)));
        assert_eq!(marks.write(&store).unwrap(), Written::default());
        other.execute_batch("COMMIT").unwrap();

        assert_eq!(marks.write(&store).unwrap().marks, 2);
        assert!(!marks.any_waiting());
        assert!(read(&path, ids[1]) && !read(&path, ids[0]), "the last mark asked is the one kept");
    }

    #[test]
    fn what_waits_is_written_when_the_reader_closes() {
        let (_dir, path, ids) = cache_of_two();
        let store = Store::open(&path).unwrap();
        let mut marks = Marks::default();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert_eq!(marks.set(&store, ids[1], true).unwrap(), None);
        assert_eq!(marks.set_bookmark(&store, ids[0], true, 1_700_000_100).unwrap(), None);
        let release = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(100));
            other.execute_batch("COMMIT").unwrap();
        });
        marks.finish(&store).unwrap();
        release.join().unwrap();
        assert!(read(&path, ids[1]));
        assert!(Store::open(&path).unwrap().article(ids[0]).unwrap().unwrap().bookmarked);
    }

    #[test]
    fn a_bookmark_waits_for_the_lock_and_is_told_once_kept() {
        let (_dir, path, ids) = cache_of_two();
        let store = Store::open(&path).unwrap();
        let mut marks = Marks::default();
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        assert_eq!(marks.set_bookmark(&store, ids[0], true, 1_700_000_100).unwrap(), None);
        assert!(marks.any_waiting());
        assert_eq!(marks.write(&store).unwrap(), Written::default(), "still held");
        other.execute_batch("COMMIT").unwrap();
        assert_eq!(marks.write(&store).unwrap().bookmarks, vec![(ids[0], true)]);
        assert!(!marks.any_waiting());
        assert_eq!(store.bookmarked().unwrap().len(), 1);
    }
}
