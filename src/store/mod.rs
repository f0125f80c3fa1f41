//! The cache: one SQLite file in the user's data folder holding sources, articles and read
//! state. WAL mode lets a headless `kiosque refresh` write while the reader reads. Lists
//! are read as windows (`articles::Anchor`), never whole, and per-source and per-section
//! counts are kept by triggers, so the tree's counts cost one row per node, not a scan.
//!
//! What is kept stays kept: each change is one transaction, committed whole or not at all
//! (a killed process, a full disk), taking the write lock at once (`write`) so that two
//! processes wait for each other instead of failing. `open` deals with files that are
//! damaged or cannot be written.

mod articles;
mod body;
mod ids;
mod open;
mod order;
mod rank;
mod ready;
mod recovery;
mod remote;
mod schema;
mod search;
mod sections;
mod sources;

use std::path::PathBuf;

use rusqlite::{Connection, Transaction, TransactionBehavior};

pub use articles::{Anchor, PageText};
pub use ready::{FeedRows, Ready};
pub use recovery::Recovery;
pub use remote::{MarksApplied, Outgoing, RemoteFeedRow};
pub use search::{fts_query, query_terms};
pub use sections::{SectionRow, SiteAccess};
pub use sources::{FetchInfo, SourceLinks, body_hash};

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
            _ => match body::is_damaged(&error) {
                Some(words) => StoreError::Damaged(words),
                None => StoreError::Sql(error),
            },
        }
    }
}

impl StoreError {
    /// Another connection held the write lock past the busy timeout: nothing was written.
    pub fn is_busy(&self) -> bool {
        matches!(self, StoreError::Sql(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseBusy))
    }
}

pub type Result<T> = std::result::Result<T, StoreError>;

pub struct Store {
    conn: Connection,
    /// Set when opening found the file damaged and replaced it.
    recovery: Option<Recovery>,
    /// That the cache cannot be written, and why, when it cannot: it is then read as it is.
    read_only: Option<String>,
    /// The last search, ranked as far as its list was read.
    hits: std::cell::RefCell<Option<search::Hits>>,
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
            let ids: Vec<String> = many.iter().map(ToString::to_string).collect();
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
