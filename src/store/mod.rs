//! The cache: one SQLite file in the user's data folder holding sources, articles and read
//! state. WAL mode lets a headless `kiosque refresh` write while the reader reads. Lists
//! are read as windows (`articles::Anchor`), never whole, and per-source counts are kept
//! by triggers so the tree's unread counts cost one row per source, not a scan.

mod articles;
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
    #[error("cache: {0}")]
    Sql(#[from] rusqlite::Error),
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    /// Set when opening found the file damaged and replaced it.
    recovery: Option<Recovery>,
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
            Err(e) => match recovery::damage_in(&e) {
                Some(reason) => recovery::recover(path, reason, Store::open_file),
                None => Err(e),
            },
            opened => opened,
        }
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
        Ok(Store { conn, recovery: None })
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
