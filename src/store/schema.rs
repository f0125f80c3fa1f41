//! Schema versions, applied in order and recorded in `PRAGMA user_version`. A cache from a
//! newer kiosque is refused rather than damaged.

use std::path::Path;

use rusqlite::Connection;

use super::{Result, StoreError};

const MIGRATIONS: &[&str] = &[
    // 1: sources, articles with their bodies apart (lists never read bodies), counters.
    "
    CREATE TABLE sources (
        id            INTEGER PRIMARY KEY,
        url           TEXT NOT NULL UNIQUE,
        title         TEXT,
        site_url      TEXT,
        etag          TEXT,
        last_modified TEXT,
        checked_at    INTEGER,
        error         TEXT,
        total         INTEGER NOT NULL DEFAULT 0,
        unread        INTEGER NOT NULL DEFAULT 0
    );
    CREATE TABLE articles (
        id         INTEGER PRIMARY KEY,
        source_id  INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        guid       TEXT NOT NULL,
        sort_time  INTEGER NOT NULL,
        published  INTEGER,
        first_seen INTEGER NOT NULL,
        read       INTEGER NOT NULL DEFAULT 0,
        title      TEXT NOT NULL,
        url        TEXT,
        author     TEXT,
        UNIQUE (source_id, guid)
    );
    CREATE TABLE article_bodies (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        summary    TEXT,
        content    TEXT
    );
    CREATE INDEX articles_by_time ON articles (sort_time DESC, id DESC);
    CREATE INDEX articles_by_source_time ON articles (source_id, sort_time DESC, id DESC);
    CREATE TRIGGER articles_count_insert AFTER INSERT ON articles BEGIN
        UPDATE sources SET total = total + 1, unread = unread + (NEW.read = 0) WHERE id = NEW.source_id;
    END;
    CREATE TRIGGER articles_count_delete AFTER DELETE ON articles BEGIN
        UPDATE sources SET total = total - 1, unread = unread - (OLD.read = 0) WHERE id = OLD.source_id;
    END;
    CREATE TRIGGER articles_count_read AFTER UPDATE OF read ON articles WHEN OLD.read != NEW.read BEGIN
        UPDATE sources SET unread = unread + (NEW.read = 0) - (OLD.read = 0) WHERE id = NEW.source_id;
    END;
    ",
    // 2: source_id rides along in the time index, so that a list of many sources filters
    // inside the index instead of reading each row.
    "
    DROP INDEX articles_by_time;
    CREATE INDEX articles_by_time ON articles (sort_time DESC, id DESC, source_id);
    ",
    // 3: the article's own page, read by reader mode when the feed gave only a summary.
    "
    ALTER TABLE article_bodies ADD COLUMN page TEXT;
    ALTER TABLE article_bodies ADD COLUMN page_fetched_at INTEGER;
    ",
];

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if found > VERSION {
        return Err(StoreError::TooNew { path: path.to_owned(), found, known: VERSION });
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
