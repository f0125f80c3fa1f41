//! Sources in the cache: created from the config, updated after each fetch.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store};
use crate::http::Validators;
use crate::model::{SourceId, SourceKind, SourceState};

/// A source as a refresh needs it (`Store::source_fetch_info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchInfo {
    pub url: String,
    pub kind: SourceKind,
    pub validators: Validators,
    /// `body_hash` of the feed as last saved.
    pub body_hash: Option<i64>,
}

/// A hash of a feed's bytes, to know it again. Not a digest: a collision costs one
/// refresh of a feed, and a new Rust may hash differently (then one refresh too).
pub fn body_hash(bytes: &[u8]) -> i64 {
    use std::hash::{DefaultHasher, Hasher};
    let mut hasher = DefaultHasher::new();
    hasher.write(bytes);
    hasher.finish() as i64
}

/// A source's links, for `Store::source_links`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceLinks {
    pub page: Option<String>,
    pub feed: Option<String>,
    /// It has been fetched at least once.
    pub checked: bool,
}

impl Store {
    /// The id of the feed at `url`, adding it if the cache does not know it yet.
    pub fn ensure_source(&self, url: &str) -> Result<SourceId> {
        self.ensure_source_of_kind(url, SourceKind::Feed)
    }

    /// The id of the source at `url`, adding it if the cache does not know it yet. A
    /// known source costs one read, so that a read-only cache opens too.
    pub fn ensure_source_of_kind(&self, url: &str, kind: SourceKind) -> Result<SourceId> {
        let kind = kind.name();
        let known: Option<(SourceId, String)> = self
            .conn
            .prepare_cached("SELECT id, kind FROM sources WHERE url = ?1")?
            .query_row([url], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, _)) = known.filter(|(_, known)| known == kind) {
            return Ok(id);
        }
        self.conn.execute("INSERT OR IGNORE INTO sources (url, kind) VALUES (?1, ?2)", [url, kind])?;
        self.conn.execute("UPDATE sources SET kind = ?2 WHERE url = ?1 AND kind != ?2", [url, kind])?;
        Ok(self.conn.query_row("SELECT id FROM sources WHERE url = ?1", [url], |r| r.get(0))?)
    }

    /// Every source the cache knows, with its counts and last error.
    pub fn sources(&self) -> Result<Vec<SourceState>> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {STATE} FROM sources ORDER BY id"))?;
        let rows = stmt.query_map([], state)?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// One source, as `sources` gives it.
    pub fn source(&self, id: SourceId) -> Result<Option<SourceState>> {
        let mut stmt = self.conn.prepare_cached(&format!("SELECT {STATE} FROM sources WHERE id = ?1"))?;
        Ok(stmt.query_row([id], state).optional()?)
    }

    /// What a refresh needs to know of a source: where it is, what it is, and the
    /// validators of its last successful fetch.
    pub fn source_fetch_info(&self, id: SourceId) -> Result<Option<FetchInfo>> {
        let mut stmt =
            self.conn.prepare_cached("SELECT url, kind, etag, last_modified, body_hash FROM sources WHERE id = ?1")?;
        Ok(stmt
            .query_row([id], |r| {
                let kind: String = r.get(1)?;
                let kind = SourceKind::from_name(&kind);
                let validators = Validators { etag: r.get(2)?, last_modified: r.get(3)? };
                Ok(FetchInfo { url: r.get(0)?, kind, validators, body_hash: r.get(4)? })
            })
            .optional()?)
    }

    /// What an export gives other readers of a source: the web page it belongs to and,
    /// for a site, its own feed, as last fetched.
    pub fn source_links(&self, url: &str) -> Result<SourceLinks> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT site_url, feed_url, checked_at IS NOT NULL FROM sources WHERE url = ?1")?;
        let found = stmt.query_row([url], |r| Ok(SourceLinks { page: r.get(0)?, feed: r.get(1)?, checked: r.get(2)? }));
        Ok(found.optional()?.unwrap_or_default())
    }

    /// A fetch that brought content: clears the error, keeps what the source says of itself.
    pub fn record_fetched(
        &self,
        id: SourceId,
        title: Option<&str>,
        site_url: Option<&str>,
        validators: &Validators,
        at: i64,
    ) -> Result<()> {
        fetched(&self.conn, id, (title, site_url), (validators, None), at)
    }

    /// A fetch answered "not modified".
    pub fn record_unchanged(&self, id: SourceId, at: i64) -> Result<()> {
        self.conn.execute(
            "UPDATE sources SET checked_at = ?2, error = NULL, failures = 0, retry_at = NULL WHERE id = ?1",
            params![id, at],
        )?;
        Ok(())
    }

    /// A fetch that failed, one more in a row; the articles already cached stay.
    /// `retry_at`: when the server asked to be asked again, if it did.
    pub fn record_failed(&self, id: SourceId, reason: &str, at: i64, retry_at: Option<i64>) -> Result<()> {
        self.conn.execute(
            "UPDATE sources SET checked_at = ?2, error = ?3, failures = failures + 1, retry_at = ?4 WHERE id = ?1",
            params![id, at, reason, retry_at],
        )?;
        Ok(())
    }

    /// Those of `ids` an automatic refresh every `every` seconds should ask for at
    /// `now`: not one the server asked to leave until later, nor one that failed
    /// lately, which waits `every` after one failure, twice that after two, and so on up
    /// to a day.
    pub fn due(&self, ids: &[SourceId], now: i64, every: i64) -> Result<Vec<SourceId>> {
        let mut query = self.conn.prepare_cached(
            "SELECT failures = 0 OR checked_at IS NULL
                    OR checked_at + MIN(?3 << MIN(failures - 1, 20), 86400) <= ?2,
                    retry_at IS NULL OR retry_at <= ?2
             FROM sources WHERE id = ?1",
        )?;
        let mut due = Vec::new();
        for &id in ids {
            let (rested, allowed): (bool, bool) = query
                .query_row(params![id, now, every], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?
                .unwrap_or((true, true));
            if rested && allowed {
                due.push(id);
            }
        }
        Ok(due)
    }
}

/// `record_fetched` within `conn`'s transaction: (title, site_url) as the source gives
/// them, and what tells the same feed again (its validators, its `body_hash`).
pub(super) fn fetched(
    conn: &Connection,
    id: SourceId,
    (title, site_url): (Option<&str>, Option<&str>),
    (validators, body_hash): (&Validators, Option<i64>),
    at: i64,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE sources SET title = COALESCE(?2, title), site_url = COALESCE(?3, site_url),
         etag = ?4, last_modified = ?5, checked_at = ?6, error = NULL, body_hash = ?7, failures = 0,
         retry_at = NULL WHERE id = ?1",
    )?
    .execute(params![id, title, site_url, validators.etag, validators.last_modified, at, body_hash])?;
    Ok(())
}

/// The columns of a `SourceState`, as `state` reads them.
const STATE: &str = "id, url, title, error, total, unread, server_id";

fn state(r: &rusqlite::Row<'_>) -> rusqlite::Result<SourceState> {
    Ok(SourceState {
        id: r.get(0)?,
        url: r.get(1)?,
        title: r.get(2)?,
        error: r.get(3)?,
        total: r.get(4)?,
        unread: r.get(5)?,
        server: r.get(6)?,
    })
}
