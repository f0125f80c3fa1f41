//! Opening the cache, whatever state it is in. A sound file opens and its schema is
//! brought up to date. A damaged one is moved aside and replaced (`recovery`). One that
//! cannot be written (a read-only folder, a full disk) is opened read-only, so that what
//! it holds stays readable. `repair` checks every page, which opening cannot afford.

use std::path::Path;
use std::time::Duration;

use rusqlite::Connection;

use super::{Recovery, Result, Store, StoreError, rank, recovery, schema};

/// How long a write waits for another connection's: longer than any batch of a refresh.
pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Store {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    /// A damaged file is moved aside and replaced (`recovery`): see `take_recovery`.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Open { path: path.to_owned(), reason: e.to_string() })?;
        }
        // A pipe or a device in its place would make every command wait on it forever. (A
        // folder is moved aside by recovery.)
        if let Ok(found) = std::fs::metadata(path)
            && !found.is_file()
            && !found.is_dir()
        {
            let reason = "it is not a regular file (a pipe or a device is in its place)".to_owned();
            return Err(StoreError::Open { path: path.to_owned(), reason });
        }
        if let Some(reason) = recovery::damage(path) {
            return recovery::recover(path, reason, Store::open_file);
        }
        match Store::open_file(path) {
            Err(StoreError::Damaged(reason)) => recovery::recover(path, reason, Store::open_file),
            Err(e) if cannot_write(&e) && path.is_file() => Store::open_read_only(path, &e),
            Ok(mut store) if store.conn.is_readonly(rusqlite::MAIN_DB)? => {
                store.read_only = Some(why_read_only(path, None));
                Ok(store)
            }
            opened => opened,
        }
    }

    /// A cache in a folder that cannot be written (a read-only mount, another user's
    /// folder) is still read: what it holds stays readable, and nothing new is kept.
    fn open_read_only(path: &Path, error: &StoreError) -> Result<Store> {
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        // In a URI, these three would end the path or start an escape.
        let escaped = path.to_string_lossy().replace('%', "%25").replace('?', "%3f").replace('#', "%23");
        let uri = |options: &str| format!("file:{escaped}?{options}");
        // Read-only, SQLite still wants the write-ahead log's index file; when it cannot
        // make one, the file is read as it stands ("immutable").
        let conn = Connection::open_with_flags(uri("mode=ro"), flags)
            .and_then(|conn| conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())).map(|()| conn))
            .or_else(|_| Connection::open_with_flags(uri("immutable=1"), flags))
            .map_err(|e| StoreError::Open { path: path.to_owned(), reason: e.to_string() })?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        rank::register(&conn)?;
        if schema::version(&conn, path)? < schema::VERSION {
            let reason = format!("{error}, and it was written by an older kiosque that this one cannot read as it is");
            return Err(StoreError::Open { path: path.to_owned(), reason });
        }
        Ok(Store { conn, recovery: None, read_only: Some(why_read_only(path, Some(error))), hits: Default::default() })
    }

    /// When the cache cannot be written, a sentence that says so and why: "the cache
    /// cannot be written (the disk is full)".
    pub fn read_only(&self) -> Option<&str> {
        self.read_only.as_deref()
    }

    fn open_file(path: &Path) -> Result<Store> {
        let conn =
            Connection::open(path).map_err(|e| StoreError::Open { path: path.to_owned(), reason: e.to_string() })?;
        Store::init(conn, path)
    }

    /// A number that changes whenever another connection (another process, or the
    /// engine's) commits to the cache; this one's own writes leave it.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "data_version", |r| r.get(0))?)
    }

    /// Checks every page of the cache at `path` (seconds for a big one), and when some
    /// are damaged, recovers it as opening does a file it finds damaged (`take_recovery`).
    /// On sound pages, takes out the article texts that do not unpack: how many.
    pub fn repair(path: &Path) -> Result<(Store, usize)> {
        let store = Store::open(path)?;
        if store.recovery.is_some() {
            return Ok((store, 0));
        }
        let check = || -> rusqlite::Result<Vec<String>> {
            store.conn.prepare("PRAGMA quick_check")?.query_map([], |r| r.get(0))?.collect()
        };
        let problems = check().unwrap_or_else(|e| vec![e.to_string()]);
        match problems.first() {
            Some(first) if first != "ok" => {
                drop(store);
                let reason = format!("{} problems found, the first: {first}", problems.len());
                Ok((recovery::recover(path, reason, Store::open_file)?, 0))
            }
            _ => {
                let dropped = super::body::drop_damaged(&store.conn, None)?;
                Ok((store, dropped))
            }
        }
    }

    /// Shrinks the file by the pages left free by the search index's merges, articles
    /// dropped and texts replaced. A cache made before kiosque could do so keeps its free
    /// pages for its next writes.
    pub fn give_back_free_pages(&self) -> Result<()> {
        // Each step frees one page: stepped to the end.
        let mut vacuum = self.conn.prepare("PRAGMA incremental_vacuum")?;
        let mut steps = vacuum.query([])?;
        while steps.next()?.is_some() {}
        Ok(())
    }

    /// What opening did to a damaged cache, once: the caller tells the user.
    pub fn take_recovery(&mut self) -> Option<Recovery> {
        self.recovery.take()
    }

    /// A private cache in memory, for tests and tools.
    pub fn open_in_memory() -> Result<Store> {
        Store::init(Connection::open_in_memory()?, Path::new(":memory:"))
    }

    fn init(conn: Connection, path: &Path) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // For a new cache (one made already keeps its own): an article's packed text and
        // the search index's segments fill 16 KB pages with less slack than 4 KB ones,
        // 620 against 524 MB for 100,000 articles; and the pages a refresh frees can be
        // given back (`give_back_free_pages`).
        conn.pragma_update(None, "page_size", 16_384)?;
        conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")?;
        // The mode is a query that answers; `pragma_update` would reject the row.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrate(&conn, path)?;
        rank::register(&conn)?;
        Ok(Store { conn, recovery: None, read_only: None, hits: Default::default() })
    }
}

/// Whether opening failed for want of writing: the file or its folder is read-only.
fn cannot_write(error: &StoreError) -> bool {
    use rusqlite::ErrorCode::{CannotOpen, PermissionDenied, ReadOnly};
    match error {
        StoreError::ReadOnly | StoreError::Full => true,
        StoreError::Open { .. } => true,
        StoreError::Sql(e) => matches!(e.sqlite_error_code(), Some(CannotOpen | PermissionDenied | ReadOnly)),
        _ => false,
    }
}

/// That the cache cannot be written, and why, in the system's words when it gives them.
fn why_read_only(path: &Path, error: Option<&StoreError>) -> String {
    let why = match error {
        Some(StoreError::Full) => "the disk is full".to_owned(),
        _ => match std::fs::OpenOptions::new().append(true).open(path) {
            Err(e) => e.to_string(),
            Ok(_) => error.map_or_else(|| "SQLite opened it read-only".to_owned(), ToString::to_string),
        },
    };
    format!("the cache cannot be written ({why})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_cache_gives_back_the_pages_it_no_longer_uses() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite");
        let store = Store::open(&path).unwrap();
        let pragma = |name: &str| -> i64 { store.conn.pragma_query_value(None, name, |r| r.get(0)).unwrap() };
        assert_eq!((pragma("page_size"), pragma("auto_vacuum")), (16_384, 2), "16 KB pages, incremental vacuum");
        store
            .conn
            .execute_batch("CREATE TABLE filler (x BLOB); INSERT INTO filler VALUES (zeroblob(4000000));")
            .unwrap();
        let full = pragma("page_count");
        store.conn.execute_batch("DROP TABLE filler").unwrap();
        assert!(pragma("freelist_count") > 200, "the dropped table's pages are free");
        store.give_back_free_pages().unwrap();
        assert_eq!(pragma("freelist_count"), 0);
        assert!(pragma("page_count") < full - 200, "the file shrank");
    }
}
