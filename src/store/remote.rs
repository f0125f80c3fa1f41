//! What the cache keeps of a feed server (`sync`): its feeds as sources filed under the
//! server's source, its articles with the server's ids, how far the last sync read, and
//! the outbox of marks made here that the server has not taken yet.
//!
//! A mark and its outbox row are written in one transaction (`queue_mark`), so a mark
//! kept is a mark sent, some day, whatever kills the process in between. Marks that come
//! from the server never enter the outbox, and never overwrite a mark still waiting in it.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension, params};

use super::{Result, Store};
use crate::model::{ArticleId, SourceId, SourceKind};
use crate::sync::{Field, RemoteArticle, RemoteFeed};

/// A feed of a server, as the tree shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFeedRow {
    pub id: SourceId,
    pub title: String,
    /// The server's category, if any.
    pub folder: Option<String>,
}

/// A mark waiting for the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// Its row, to be taken out once sent.
    pub row: i64,
    pub remote_id: i64,
    pub field: Field,
    pub on: bool,
}

/// What the server's marks changed here.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MarksApplied {
    pub read: usize,
    pub unread: usize,
    pub bookmarked: usize,
    /// Bookmarks kept here that the server does not star: never dropped, only told.
    pub not_starred: usize,
}

impl Store {
    /// The feeds server `server` listed at its last sync, by folder, then title.
    pub fn remote_feeds(&self, server: SourceId) -> Result<Vec<RemoteFeedRow>> {
        let mut query = self.conn.prepare_cached(
            "SELECT id, coalesce(title, url), remote_folder FROM sources WHERE server_id = ?1
             ORDER BY remote_folder IS NULL, remote_folder COLLATE NOCASE, title COLLATE NOCASE, id",
        )?;
        let rows =
            query.query_map([server], |r| Ok(RemoteFeedRow { id: r.get(0)?, title: r.get(1)?, folder: r.get(2)? }))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Saves the server's list of feeds: each gets a source under the server (found again
    /// by the server's id for it), with its title and folder as the server says now. A
    /// feed the server no longer lists leaves the server's tree; its articles and
    /// bookmarks stay, as those of a feed removed from the config do. Returns each feed's
    /// source by the server's id.
    pub fn save_remote_feeds(&self, server: SourceId, feeds: &[RemoteFeed]) -> Result<HashMap<i64, SourceId>> {
        let tx = super::write(&self.conn)?;
        let key: String = tx.query_row("SELECT url FROM sources WHERE id = ?1", [server], |r| r.get(0))?;
        let mut ids = HashMap::with_capacity(feeds.len());
        {
            let mut upsert = tx.prepare_cached(
                "INSERT INTO sources (url, kind, title, feed_url, server_id, remote_id, remote_folder)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (url) DO UPDATE SET title = excluded.title, feed_url = excluded.feed_url,
                     server_id = excluded.server_id, remote_folder = excluded.remote_folder
                 RETURNING id",
            )?;
            for feed in feeds {
                let url = format!("{key}#feed-{}", feed.id);
                let kind = SourceKind::Remote.name();
                let id: SourceId = upsert
                    .query_row(params![url, kind, feed.title, feed.url, server, feed.id, feed.folder], |r| r.get(0))?;
                ids.insert(feed.id, id);
            }
            let mut listed = tx.prepare_cached("SELECT id FROM sources WHERE server_id = ?1")?;
            let gone: Vec<SourceId> = listed
                .query_map([server], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<SourceId>>>()?
                .into_iter()
                .filter(|id| !ids.values().any(|kept| kept == id))
                .collect();
            for id in gone {
                tx.execute("UPDATE sources SET server_id = NULL WHERE id = ?1", [id])?;
            }
        }
        tx.commit()?;
        Ok(ids)
    }

    /// The highest article id of the server that a sync has saved (0: none yet).
    pub fn remote_cursor(&self, server: SourceId) -> Result<i64> {
        let found = self
            .conn
            .query_row("SELECT remote_cursor FROM sources WHERE id = ?1", [server], |r| r.get::<_, Option<i64>>(0))
            .optional()?;
        Ok(found.flatten().unwrap_or(0))
    }

    /// Moves the cursor on, once every article below it is saved.
    pub fn set_remote_cursor(&self, server: SourceId, cursor: i64) -> Result<()> {
        self.conn.execute("UPDATE sources SET remote_cursor = ?2 WHERE id = ?1", params![server, cursor])?;
        Ok(())
    }

    /// Saves a page of the server's articles, in one transaction: a new one comes with its
    /// marks from the server (read, starred as a bookmark). Articles of feeds not in
    /// `feeds` are left out. How many were new, by source.
    pub fn save_remote_articles(
        &mut self,
        feeds: &HashMap<i64, SourceId>,
        page: &[RemoteArticle],
        now: i64,
    ) -> Result<HashMap<SourceId, usize>> {
        let tx = super::write(&self.conn)?;
        let mut by_source: HashMap<SourceId, Vec<&RemoteArticle>> = HashMap::new();
        for remote in page {
            if let Some(source) = feeds.get(&remote.feed) {
                by_source.entry(*source).or_default().push(remote);
            }
        }
        let mut new = HashMap::new();
        for (source, remotes) in by_source {
            let articles: Vec<_> = remotes.iter().map(|r| r.article.clone()).collect();
            let (added, ids) = super::articles::upsert_all(&tx, source, &articles, now)?;
            for (id, remote) in ids.into_iter().zip(remotes) {
                let first = tx
                    .prepare_cached("UPDATE articles SET remote_id = ?2 WHERE id = ?1 AND remote_id IS NULL")?
                    .execute(params![id, remote.id])?
                    > 0;
                if first {
                    set_from_server(&tx, id, !remote.unread, remote.starred, now)?;
                }
            }
            new.insert(source, added);
        }
        tx.commit()?;
        Ok(new)
    }

    /// The server's marks, as lists of the unread and the starred, applied to the
    /// server's articles held here, except those with a mark still in the outbox.
    /// Without `unread` (the counts agreed, so it was not read), read marks stay as they are.
    pub fn apply_remote_marks(
        &self,
        server: SourceId,
        unread: Option<&HashSet<i64>>,
        starred: &HashSet<i64>,
        now: i64,
    ) -> Result<MarksApplied> {
        let tx = super::write(&self.conn)?;
        let mut applied = MarksApplied::default();
        {
            let mut held = tx.prepare_cached(
                "SELECT a.id, a.remote_id, a.read, b.article_id IS NOT NULL
                 FROM articles a JOIN sources s ON s.id = a.source_id
                 LEFT JOIN bookmarks b ON b.article_id = a.id
                 WHERE s.server_id = ?1 AND a.remote_id IS NOT NULL
                   AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.server_id = ?1 AND o.remote_id = a.remote_id)",
            )?;
            let rows = held.query_map([server], |r| {
                Ok((r.get::<_, ArticleId>(0)?, r.get::<_, i64>(1)?, r.get::<_, bool>(2)?, r.get::<_, bool>(3)?))
            })?;
            let rows: Vec<_> = rows.collect::<rusqlite::Result<_>>()?;
            for (id, remote, read, bookmarked) in rows {
                let read_there = unread.map_or(read, |unread| !unread.contains(&remote));
                if read != read_there {
                    tx.prepare_cached("UPDATE articles SET read = ?2 WHERE id = ?1")?
                        .execute(params![id, read_there])?;
                    if read_there { applied.read += 1 } else { applied.unread += 1 }
                }
                match (bookmarked, starred.contains(&remote)) {
                    (false, true) => {
                        set_from_server(&tx, id, read_there, true, now)?;
                        applied.bookmarked += 1;
                    }
                    (true, false) => applied.not_starred += 1,
                    _ => {}
                }
            }
        }
        tx.commit()?;
        Ok(applied)
    }

    /// The server's articles held here unread, and when the server's whole list of
    /// unread articles was last read (unix seconds), if ever.
    pub fn remote_unread(&self, server: SourceId) -> Result<(i64, Option<i64>)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM articles a JOIN sources s ON s.id = a.source_id
                     WHERE s.server_id = ?1 AND a.read = 0 AND a.remote_id IS NOT NULL),
                    (SELECT remote_marks_at FROM sources WHERE id = ?1)",
            [server],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// The server's whole list of unread articles was read at `at`.
    pub fn set_remote_marks_at(&self, server: SourceId, at: i64) -> Result<()> {
        self.conn.execute("UPDATE sources SET remote_marks_at = ?2 WHERE id = ?1", params![server, at])?;
        Ok(())
    }

    /// The marks waiting for server `server`, oldest first, at most `limit`.
    pub fn outbox(&self, server: SourceId, limit: usize) -> Result<Vec<Outgoing>> {
        let mut query = self.conn.prepare_cached(
            "SELECT id, remote_id, field, value FROM outbox WHERE server_id = ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = query.query_map(params![server, limit as i64], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, bool>(3)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (row, remote_id, field, on) = row?;
            match Field::from_name(&field) {
                Some(field) => out.push(Outgoing { row, remote_id, field, on }),
                None => tracing::warn!("outbox row {row}: unknown field {field:?}, dropped"),
            }
        }
        Ok(out)
    }

    /// The outbox rows of server `server` up to `last`, sent.
    pub fn outbox_sent(&self, server: SourceId, last: i64) -> Result<()> {
        self.conn.execute("DELETE FROM outbox WHERE server_id = ?1 AND id <= ?2", params![server, last])?;
        Ok(())
    }

    /// How many marks wait for server `server`.
    pub fn outbox_len(&self, server: SourceId) -> Result<usize> {
        let n: i64 = self.conn.query_row("SELECT count(*) FROM outbox WHERE server_id = ?1", [server], |r| r.get(0))?;
        Ok(n as usize)
    }
}

/// A mark from the server, not queued for it: read, and starred as a bookmark.
fn set_from_server(tx: &Connection, id: ArticleId, read: bool, starred: bool, now: i64) -> Result<()> {
    if read {
        tx.prepare_cached("UPDATE articles SET read = 1 WHERE id = ?1 AND read = 0")?.execute([id])?;
    }
    if starred {
        tx.prepare_cached("INSERT OR IGNORE INTO bookmarks (article_id, created_at) VALUES (?1, ?2)")?
            .execute(params![id, now])?;
    }
    Ok(())
}

/// Queues a mark made here for the server the article came from, if it came from one,
/// within the transaction that makes the mark.
pub(super) fn queue_mark(tx: &Connection, id: ArticleId, field: Field, on: bool) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO outbox (server_id, remote_id, field, value, made_at)
         SELECT s.server_id, a.remote_id, ?2, ?3, CAST(strftime('%s', 'now') AS INTEGER)
         FROM articles a JOIN sources s ON s.id = a.source_id
         WHERE a.id = ?1 AND a.remote_id IS NOT NULL AND s.server_id IS NOT NULL",
    )?
    .execute(params![id, field.name(), on])?;
    Ok(())
}
