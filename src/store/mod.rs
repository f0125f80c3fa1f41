//! The cache: one SQLite file in the user's data folder holding sources, articles and read
//! state. WAL mode lets a headless `kiosque refresh` write while the reader reads. Lists
//! are read as windows (`articles::Anchor`), never whole, and per-source counts are kept
//! by triggers so the tree's unread counts cost one row per source, not a scan.

mod articles;
mod rank;
mod recovery;
mod schema;
mod search;
mod sections;
mod sources;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use articles::{Anchor, PageText};
pub use recovery::Recovery;
pub use search::{MAX_HITS, fts_query, query_terms};
pub use sections::{SectionRow, SiteAccess};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("cannot open the cache {}: {reason}", path.display())]
    Open { path: PathBuf, reason: String },
    #[error("the cache {} was written by a newer kiosque (schema {found}; this one knows up to {known})", path.display())]
    TooNew { path: PathBuf, found: i64, known: i64 },
    /// Nothing of the change was kept: SQLite rolled it back whole.
    #[error("not saved: the disk holding the cache is full")]
    Full,
    #[error("not saved: the cache is read-only")]
    ReadOnly,
    /// Found while reading or writing; `kiosque repair` moves the file aside and salvages.
    #[error("the cache is damaged ({0}): quit kiosque, then run `kiosque repair`")]
    Damaged(String),
    #[error("cache: {0}")]
    Sql(rusqlite::Error),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> StoreError {
        // Growing the log's index file fails only for want of room.
        let index_full = matches!(&error, rusqlite::Error::SqliteFailure(e, _)
            if e.extended_code == rusqlite::ffi::SQLITE_IOERR_SHMSIZE);
        match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DiskFull) => StoreError::Full,
            _ if index_full => StoreError::Full,
            Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
                let words = match &error {
                    rusqlite::Error::SqliteFailure(e, message) => message.clone().unwrap_or_else(|| e.to_string()),
                    other => other.to_string(),
                };
                StoreError::Damaged(words)
            }
            _ => StoreError::Sql(error),
        }
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    /// Set when opening found the file damaged and replaced it.
    recovery: Option<Recovery>,
    /// Why the cache cannot be written, when it cannot: it is then read as it is.
    read_only: Option<String>,
}

impl Store {
    /// Opens (creating if needed) the cache at `path` and brings its schema up to date.
    /// A damaged file is moved aside and replaced (`recovery`): see `take_recovery`.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Open { path: path.to_owned(), reason: e.to_string() })?;
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
        let uri = |options: &str| format!("file:{}?{options}", path.display());
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
        Ok(Store { conn, recovery: None, read_only: Some(why_read_only(path, Some(error))) })
    }

    /// Why the cache cannot be written, when it cannot ("the disk is full").
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
    pub fn repair(path: &Path) -> Result<Store> {
        let store = Store::open(path)?;
        if store.recovery.is_some() {
            return Ok(store);
        }
        let check = || -> rusqlite::Result<Vec<String>> {
            store.conn.prepare("PRAGMA quick_check")?.query_map([], |r| r.get(0))?.collect()
        };
        let problems = check().unwrap_or_else(|e| vec![e.to_string()]);
        match problems.first() {
            Some(first) if first != "ok" => {
                drop(store);
                let reason = format!("{} problems found, the first: {first}", problems.len());
                recovery::recover(path, reason, Store::open_file)
            }
            _ => Ok(store),
        }
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
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        // The mode is a query that answers; `pragma_update` would reject the row.
        let _mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        schema::migrate(&conn, path)?;
        rank::register(&conn)?;
        Ok(Store { conn, recovery: None, read_only: None })
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

/// Why the cache cannot be written, in the system's words when it gives them.
fn why_read_only(path: &Path, error: Option<&StoreError>) -> String {
    match error {
        Some(StoreError::Full) => "the disk is full".to_owned(),
        _ => match std::fs::OpenOptions::new().append(true).open(path) {
            Err(e) => e.to_string(),
            Ok(_) => error.map_or_else(|| "SQLite opened it read-only".to_owned(), ToString::to_string),
        },
    }
}

/// A transaction that takes the write lock at once. One that read first and wrote after
/// would fail on the spot with "database is locked" when another process (a headless
/// refresh) wrote in between; this one waits for its turn, up to the busy timeout.
fn write(conn: &Connection) -> rusqlite::Result<Transaction<'_>> {
    Transaction::new_unchecked(conn, TransactionBehavior::Immediate)
}

/// `column IN (…)` for a scope; ids are integers, so they are written inline.
fn scope_sql(column: &str, scope: &[crate::model::SourceId]) -> String {
    match scope {
        [one] => format!("{column} = {one}"),
        many => {
            let ids: Vec<String> = many.iter().map(i64::to_string).collect();
            format!("{column} IN ({})", ids.join(","))
        }
    }
}

/// What the cache holds, for `kiosque stats`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stats {
    pub sources: i64,
    pub sections: i64,
    pub articles: i64,
    pub unread: i64,
    pub bookmarks: i64,
    /// Articles whose page was fetched for its full text.
    pub pages: i64,
    /// The oldest and newest article, in unix seconds.
    pub oldest: Option<i64>,
    pub newest: Option<i64>,
}

impl Store {
    pub fn stats(&self) -> Result<Stats> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM sources), (SELECT count(*) FROM sections), (SELECT count(*) FROM articles),
                    (SELECT coalesce(sum(unread), 0) FROM sources), (SELECT count(*) FROM bookmarks),
                    (SELECT count(*) FROM article_bodies WHERE page IS NOT NULL),
                    (SELECT min(sort_time) FROM articles), (SELECT max(sort_time) FROM articles)",
            [],
            |r| {
                Ok(Stats {
                    sources: r.get(0)?,
                    sections: r.get(1)?,
                    articles: r.get(2)?,
                    unread: r.get(3)?,
                    bookmarks: r.get(4)?,
                    pages: r.get(5)?,
                    oldest: r.get(6)?,
                    newest: r.get(7)?,
                })
            },
        )?)
    }
}
