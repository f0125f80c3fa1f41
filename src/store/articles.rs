//! Articles in the cache: saving what a refresh brings, and reading lists as windows.
//!
//! A list is ordered by `SortKey` (newest first). A window is read from an `Anchor`: the
//! first or last rows, the rows just after or before a known key (an index seek, however
//! deep in the list), or, for a jump, an offset.

use rusqlite::{Connection, OptionalExtension, params};

use super::order::Keyed;
use super::{FeedRows, Ready, Result, Store, body, scope_sql};
use crate::model::{Article, ArticleId, ArticleRow, Enclosure, NewArticle, Order, Scope, SortKey, SourceId};
use crate::sync::Field;

/// Where a window of rows starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    First,
    Last,
    /// Rows that sort after this key (older).
    After(SortKey),
    /// Rows that sort before this key (newer), returned in list order.
    Before(SortKey),
    Offset(usize),
}

/// What reader mode found on an article's page.
#[derive(Debug, Clone, Copy)]
pub struct PageText<'a> {
    /// The body as clean HTML.
    pub html: &'a str,
    pub byline: Option<&'a str>,
    /// Unix seconds.
    pub published: Option<i64>,
}

/// A date more than this far in the future is not believed: the article sorts as first seen.
const FUTURE_SLACK_SECS: i64 = 3600;

impl Store {
    /// Saves a source's articles: new ones are added unread, known ones updated in place.
    /// Returns how many were new. Undated articles sort by when they were first seen, in
    /// the order the source listed them.
    pub fn save_articles(&mut self, source: SourceId, articles: &[NewArticle], now: i64) -> Result<usize> {
        let tx = super::write(&self.conn)?;
        let (added, _) = upsert_all(&tx, source, articles, now)?;
        tx.commit()?;
        Ok(added)
    }

    /// Saves what several feeds brought, in one transaction: far cheaper than one each, as
    /// a commit flushes the search index. Each feed is saved whole or not at all: one that
    /// fails is rolled back alone and answered with its error; the others are kept. When
    /// the transaction itself fails (a full disk), nothing is kept and that is the error.
    pub fn save_feeds(&mut self, feeds: &[FeedRows]) -> Result<Vec<Result<usize>>> {
        let mut tx = super::write(&self.conn)?;
        let (mut results, mut fresh) = (Vec::with_capacity(feeds.len()), Vec::new());
        for feed in feeds {
            let point = tx.savepoint()?;
            let before = fresh.len();
            let saved = upsert(&point, feed.source, &feed.articles, feed.at, &mut fresh).and_then(|(new, _)| {
                let said = (feed.title.as_deref(), feed.site_url.as_deref());
                let again = (&feed.validators, feed.body_hash);
                super::sources::fetched(&point, feed.source, said, again, feed.at)?;
                Ok(new)
            });
            match saved {
                Ok(_) => point.commit()?,
                // Some failures (a full disk) end the whole transaction: then they are
                // the batch's.
                Err(e) if point.is_autocommit() => return Err(e),
                Err(_) => fresh.truncate(before),
            }
            results.push(saved);
        }
        // Once for the whole batch, outside the savepoints: leaving one makes the index
        // write out the words it holds, and the fewer times, the cheaper.
        super::search::add(&tx, &fresh)?;
        tx.commit()?;
        Ok(results)
    }

    /// Up to `limit` rows of the list of `scope`, from `anchor`, newest first.
    pub fn rows(&self, scope: &Scope, anchor: Anchor, limit: usize) -> Result<Vec<ArticleRow>> {
        self.rows_in(scope, Order::Newest, anchor, limit)
    }

    /// Up to `limit` rows of the list of `scope` in `order`, from `anchor`, in list order.
    pub fn rows_in(&self, scope: &Scope, order: Order, anchor: Anchor, limit: usize) -> Result<Vec<ArticleRow>> {
        if limit == 0 || matches!(scope, Scope::Sources(ids) if ids.is_empty()) {
            return Ok(Vec::new());
        }
        if *scope == Scope::Search {
            // A hit's "time" is minus its place in the list.
            let reach = |key: SortKey| usize::try_from(-key.time).unwrap_or(0);
            self.rank_hits(match anchor {
                Anchor::First => limit,
                Anchor::Offset(n) => n.saturating_add(limit),
                Anchor::After(key) => reach(key).saturating_add(limit),
                Anchor::Before(_) => 0,
                Anchor::Last => usize::MAX,
            })?;
        }
        let (from, time, id) = self.list_sql(scope, limit)?;
        let keyed = Keyed::new(order, time, id);
        let group = keyed.group();
        let columns = format!("SELECT a.id, {time}, a.source_id, a.title, a.read, a.sort_time, {group} FROM {from}");
        let (forward, backward) = (keyed.order_by(true), keyed.order_by(false));
        let (key, at) = (keyed.key(), keyed.placeholders(2));
        let (sql, reversed) = match anchor {
            Anchor::First => (format!("{columns} {forward} LIMIT ?1"), false),
            Anchor::Last => (format!("{columns} {backward} LIMIT ?1"), true),
            Anchor::After(_) => (format!("{columns} AND {key} {} {at} {forward} LIMIT ?1", keyed.beyond(true)), false),
            Anchor::Before(_) => {
                (format!("{columns} AND {key} {} {at} {backward} LIMIT ?1", keyed.beyond(false)), true)
            }
            Anchor::Offset(_) => (format!("{columns} {forward} LIMIT ?1 OFFSET ?2"), false),
        };
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let map = |r: &rusqlite::Row<'_>| {
            Ok(ArticleRow {
                key: SortKey { group: r.get(6)?, time: r.get(1)?, id: r.get(0)? },
                time: r.get(5)?,
                source_id: r.get(2)?,
                title: r.get(3)?,
                read: r.get(4)?,
            })
        };
        let mut values = vec![limit as i64];
        match anchor {
            Anchor::After(k) | Anchor::Before(k) => values.extend(keyed.values(k)),
            Anchor::Offset(n) => values.push(n as i64),
            Anchor::First | Anchor::Last => {}
        }
        let mut rows =
            stmt.query_map(rusqlite::params_from_iter(values), map)?.collect::<rusqlite::Result<Vec<_>>>()?;
        if reversed {
            rows.reverse();
        }
        Ok(rows)
    }

    /// What a list reads from (ending in its filter, so conditions can follow with AND),
    /// and its two ordering columns.
    fn list_sql(&self, scope: &Scope, limit: usize) -> Result<(String, &'static str, &'static str)> {
        Ok(match scope {
            Scope::Sources(ids) => {
                let from =
                    format!("articles a{} WHERE {}", self.index_hint(ids, limit)?, scope_sql("a.source_id", ids));
                (from, "a.sort_time", "a.id")
            }
            Scope::Section(section) => (
                format!("section_articles s JOIN articles a ON a.id = s.article_id WHERE s.section_id = {section}"),
                "s.sort_time",
                "s.article_id",
            ),
            Scope::Bookmarks => (
                "bookmarks k JOIN articles a ON a.id = k.article_id WHERE 1".to_owned(),
                "k.created_at",
                "k.article_id",
            ),
            Scope::Unread => {
                ("articles a INDEXED BY articles_unread WHERE a.read = 0".to_owned(), "a.sort_time", "a.id")
            }
            // Hits sort by rank: the first has the highest "time".
            Scope::Search => {
                ("temp.search_hits h JOIN articles a ON a.id = h.article_id WHERE 1".to_owned(), "(-h.pos)", "a.id")
            }
        })
    }

    /// How to read a window of `limit` rows of a scope of several sources. SQLite's own
    /// choice seeks each source and sorts what it finds, which costs the size of the list;
    /// walking the time index costs `limit` rows divided by the scope's share of all
    /// articles. The walk wins once the scope holds more than about √(limit × all) articles.
    fn index_hint(&self, scope: &[SourceId], limit: usize) -> Result<&'static str> {
        if scope.len() < 2 {
            return Ok("");
        }
        let sql = format!(
            "SELECT coalesce(sum(total), 0), coalesce(sum(CASE WHEN {} THEN total END), 0) FROM sources",
            scope_sql("id", scope)
        );
        let (all, in_scope): (i64, i64) =
            self.conn.prepare_cached(&sql)?.query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        let walk = (in_scope as f64).powi(2) > limit as f64 * all as f64;
        Ok(if walk { " INDEXED BY articles_by_time" } else { "" })
    }

    /// How many rows of the list of `scope` come before `key`: its index in the list.
    pub fn position(&self, scope: &Scope, key: SortKey) -> Result<usize> {
        self.position_in(scope, Order::Newest, key)
    }

    /// Where the row `key` stands in the list of `scope` in `order`: how many come before.
    pub fn position_in(&self, scope: &Scope, order: Order, key: SortKey) -> Result<usize> {
        if matches!(scope, Scope::Sources(ids) if ids.is_empty()) {
            return Ok(0);
        }
        let (from, time, id) = self.list_sql(scope, usize::MAX)?;
        let keyed = Keyed::new(order, time, id);
        let sql = format!(
            "SELECT count(*) FROM {from} AND {} {} {}",
            keyed.key(),
            keyed.beyond(false),
            keyed.placeholders(1)
        );
        let values = rusqlite::params_from_iter(keyed.values(key));
        let n: i64 = self.conn.prepare_cached(&sql)?.query_row(values, |r| r.get(0))?;
        Ok(n as usize)
    }

    /// Every bookmarked article with when it was bookmarked, the last first.
    pub fn bookmarked(&self) -> Result<Vec<(Article, i64)>> {
        let ids: Vec<(ArticleId, i64)> = self
            .conn
            .prepare_cached("SELECT article_id, created_at FROM bookmarks ORDER BY created_at DESC, article_id DESC")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(ids.len());
        for (id, at) in ids {
            if let Some(article) = self.article(id)? {
                out.push((article, at));
            }
        }
        Ok(out)
    }

    /// The article with its text.
    pub fn article(&self, id: ArticleId) -> Result<Option<Article>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT a.id, a.source_id, a.url, a.title, a.author, a.published, b.summary, b.content, b.page, a.read,
                    a.section, EXISTS (SELECT 1 FROM bookmarks k WHERE k.article_id = a.id)
             FROM articles a LEFT JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ?1",
        )?;
        Ok(stmt
            .query_row([id], |r| {
                Ok(Article {
                    id: r.get(0)?,
                    source_id: r.get(1)?,
                    url: r.get(2)?,
                    title: r.get(3)?,
                    author: r.get(4)?,
                    published: r.get(5)?,
                    summary: body::html(r, 6)?,
                    content: body::html(r, 7)?,
                    page: body::html(r, 8)?,
                    read: r.get(9)?,
                    section: r.get(10)?,
                    bookmarked: r.get(11)?,
                })
            })
            .optional()?)
    }

    /// The files attached to an article, in the feed's order.
    pub fn enclosures(&self, id: ArticleId) -> Result<Vec<Enclosure>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT url, mime, length FROM enclosures WHERE article_id = ?1 ORDER BY rowid")?;
        let rows = stmt.query_map([id], |r| {
            Ok(Enclosure {
                url: r.get(0)?,
                mime: r.get(1)?,
                length: r.get::<_, Option<i64>>(2)?.map(|l| l.max(0) as u64),
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Keeps what reader mode found on an article's page. The byline and date fill in what
    /// the feed left out; the article keeps its place in lists.
    pub fn save_page(&self, id: ArticleId, page: &PageText<'_>, at: i64) -> Result<()> {
        let tx = super::write(&self.conn)?;
        tx.execute(
            "INSERT INTO article_bodies (article_id, page, page_fetched_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (article_id) DO UPDATE SET page = excluded.page, page_fetched_at = excluded.page_fetched_at",
            params![id, body::Packed::new(page.html), at],
        )?;
        tx.execute(
            "UPDATE articles SET author = coalesce(author, ?2), published = coalesce(published, ?3) WHERE id = ?1",
            params![id, page.byline, page.published],
        )?;
        super::search::index(&tx, &[id], true)?;
        tx.commit()?;
        Ok(())
    }

    /// A source's articles first seen since `since`, newest first, whose text is only a
    /// summary (or nothing) and whose page was not read yet: those worth fetching.
    pub fn wanting_pages(&self, source: SourceId, since: i64, limit: usize) -> Result<Vec<ArticleId>> {
        let ids: Vec<ArticleId> = self
            .conn
            .prepare_cached(
                "SELECT a.id FROM articles a LEFT JOIN article_bodies b ON b.article_id = a.id
                 WHERE a.source_id = ?1 AND a.first_seen >= ?2 AND a.url IS NOT NULL AND b.page IS NULL
                 ORDER BY a.sort_time DESC LIMIT ?3",
            )?
            .query_map(params![source, since, limit as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut wanted = Vec::with_capacity(ids.len());
        for id in ids {
            if self.article(id)?.is_some_and(|a| a.wants_page()) {
                wanted.push(id);
            }
        }
        Ok(wanted)
    }

    /// Bookmarks an article (`on`) or removes its bookmark; returns whether anything changed.
    pub fn set_bookmark(&self, id: ArticleId, on: bool, now: i64) -> Result<bool> {
        let tx = super::write(&self.conn)?;
        let changed = if on {
            tx.execute(
                "INSERT OR IGNORE INTO bookmarks (article_id, created_at) SELECT id, ?2 FROM articles WHERE id = ?1",
                params![id, now],
            )?
        } else {
            tx.execute("DELETE FROM bookmarks WHERE article_id = ?1", [id])?
        };
        if changed > 0 {
            super::remote::queue_mark(&tx, id, Field::Starred, on)?;
        }
        tx.commit()?;
        Ok(changed > 0)
    }

    /// (bookmarks, unread articles of every source).
    pub fn special_counts(&self) -> Result<(u32, u32)> {
        Ok(self.conn.query_row(
            "SELECT (SELECT count(*) FROM bookmarks), (SELECT coalesce(sum(unread), 0) FROM sources)",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Drops unread articles dated and first seen before `before` that no bookmark holds
    /// and no feed server keeps (the server's own housekeeping decides for those),
    /// with their text and index entries; returns how many went. First seen too: an old
    /// article that its feed still lists would otherwise come back new at every refresh.
    pub fn forget_unread_before(&mut self, before: i64) -> Result<usize> {
        let tx = super::write(&self.conn)?;
        let ids: Vec<ArticleId> = tx
            .prepare_cached(
                "SELECT id FROM articles WHERE sort_time < ?1 AND first_seen < ?1 AND read = 0
                 AND id NOT IN (SELECT article_id FROM bookmarks) AND remote_id IS NULL",
            )?
            .query_map([before], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        {
            let mut unindex = tx.prepare_cached("DELETE FROM articles_fts WHERE rowid = ?1")?;
            let mut delete = tx.prepare_cached("DELETE FROM articles WHERE id = ?1")?;
            for id in &ids {
                unindex.execute([id])?;
                delete.execute([id])?;
            }
        }
        tx.commit()?;
        Ok(ids.len())
    }

    /// Unread articles of `scope` beside `from` in the list's order, nearest first, at
    /// most `limit`: after it (`forward`) or before it; without `from`, from the list's
    /// start (or, backward, its end). What `n` and `p` go to.
    pub fn unread_beside(
        &self,
        (scope, order): (&Scope, Order),
        from: Option<SortKey>,
        forward: bool,
        limit: usize,
    ) -> Result<Vec<SortKey>> {
        if matches!(scope, Scope::Sources(ids) if ids.is_empty()) {
            return Ok(Vec::new());
        }
        let whole = self.whole(scope)?;
        let (_, time, id) = self.list_sql(scope, usize::MAX)?;
        let keyed = Keyed::new(order, time, id);
        let bound = match from {
            Some(_) => format!("AND {} {} {}", keyed.key(), keyed.beyond(forward), keyed.placeholders(1)),
            None => String::new(),
        };
        let (group, order_by) = (keyed.group(), keyed.order_by(forward));
        let sql = format!("SELECT {group}, {time}, {id} FROM {whole} AND a.read = 0 {bound} {order_by} LIMIT {limit}");
        let mut query = self.conn.prepare_cached(&sql)?;
        let key = |r: &rusqlite::Row<'_>| Ok(SortKey { group: r.get(0)?, time: r.get(1)?, id: r.get(2)? });
        let values = from.map(|from| keyed.values(from)).unwrap_or_default();
        Ok(query.query_map(rusqlite::params_from_iter(values), key)?.collect::<rusqlite::Result<_>>()?)
    }

    /// The unread articles of all of `scope`: what `M` marks read. They are read here,
    /// where the list was (a search's hits live in this connection), and written by the
    /// writer (`set_read_many`).
    pub fn unread_ids(&self, scope: &Scope) -> Result<Vec<ArticleId>> {
        let from = self.whole(scope)?;
        let mut query = self.conn.prepare(&format!("SELECT a.id FROM {from} AND a.read = 0"))?;
        let ids = query.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        Ok(ids)
    }

    /// Marks `ids` read (or unread), in one transaction; returns how many changed.
    pub fn set_read_many(&self, ids: &[ArticleId], read: bool) -> Result<usize> {
        let tx = super::write(&self.conn)?;
        let mut changed = 0;
        {
            let mut mark = tx.prepare_cached("UPDATE articles SET read = ?2 WHERE id = ?1 AND read != ?2")?;
            for id in ids {
                if mark.execute(params![id, read])? > 0 {
                    changed += 1;
                    super::remote::queue_mark(&tx, *id, Field::Read, read)?;
                }
            }
        }
        tx.commit()?;
        Ok(changed)
    }

    /// The rows of all of `scope`, as `list_sql` gives them: a search's hits all ranked
    /// first, as its list holds only those it has shown.
    fn whole(&self, scope: &Scope) -> Result<String> {
        if *scope == Scope::Search {
            self.rank_hits(usize::MAX)?;
        }
        Ok(self.list_sql(scope, usize::MAX)?.0)
    }

    /// Marks an article read or unread; returns whether anything changed.
    pub fn set_read(&self, id: ArticleId, read: bool) -> Result<bool> {
        Ok(self.set_read_many(&[id], read)? > 0)
    }
}

/// `upsert` of one source's articles, with the new ones indexed.
pub(super) fn upsert_all(
    tx: &Connection,
    source: SourceId,
    articles: &[NewArticle],
    now: i64,
) -> Result<(usize, Vec<ArticleId>)> {
    let ready = Ready::all(articles);
    let mut fresh = Vec::new();
    let saved = upsert(tx, source, &ready, now, &mut fresh)?;
    super::search::add(tx, &fresh)?;
    Ok(saved)
}

/// Saves `articles` of `source` within `tx`: how many were new, and each one's id, in
/// the order given. The new ones go to `fresh`, for `search::add` once the rows are in.
pub(super) fn upsert<'a>(
    tx: &Connection,
    source: SourceId,
    articles: &'a [Ready],
    now: i64,
    fresh: &mut Vec<(ArticleId, &'a Ready)>,
) -> Result<(usize, Vec<ArticleId>)> {
    let (before, mut changed_ids) = (fresh.len(), Vec::new());
    let mut ids = vec![ArticleId::default(); articles.len()];
    {
        let mut find = tx.prepare_cached("SELECT id FROM articles WHERE source_id = ?1 AND guid = ?2")?;
        let mut insert = tx.prepare_cached(
            "INSERT INTO articles (source_id, guid, sort_time, published, first_seen, title, url, author, section)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        let mut insert_body =
            tx.prepare_cached("INSERT INTO article_bodies (article_id, summary, content) VALUES (?1, ?2, ?3)")?;
        let mut insert_enclosure =
            tx.prepare_cached("INSERT INTO enclosures (article_id, url, mime, length) VALUES (?1, ?2, ?3, ?4)")?;
        // A byline or date the feed leaves out may have come from the article's page.
        let mut update = tx.prepare_cached(
            "UPDATE articles SET title = ?2, url = ?3, author = coalesce(?4, author),
             published = coalesce(?5, published), section = coalesce(?6, section)
             WHERE id = ?1 AND (title, url, author, published, section)
             IS NOT (?2, ?3, coalesce(?4, author), coalesce(?5, published), coalesce(?6, section))",
        )?;
        // An insert too: `repair` may have taken out a text that did not unpack.
        let mut update_body = tx.prepare_cached(
            "INSERT INTO article_bodies (article_id, summary, content) VALUES (?1, ?2, ?3)
             ON CONFLICT (article_id) DO UPDATE SET summary = excluded.summary, content = excluded.content
             WHERE (summary, content) IS NOT (excluded.summary, excluded.content)",
        )?;
        // Oldest first, so that among equal times the source's first entry gets the highest id.
        for (position, ready) in articles.iter().enumerate().rev() {
            let article = &ready.article;
            let mut keep = |id: ArticleId| ids[position] = id;
            let published = article.published.map(|d| d.timestamp());
            let existing: Option<ArticleId> = find.query_row(params![source, article.guid], |r| r.get(0)).optional()?;
            match existing {
                Some(id) => {
                    let section = &article.section;
                    let changed =
                        update.execute(params![id, article.title, article.url, article.author, published, section])?
                            + update_body.execute(params![id, ready.summary, ready.content])?;
                    if changed > 0 {
                        changed_ids.push(id);
                    }
                    keep(id);
                }
                None => {
                    let sort_time = match published {
                        Some(t) if t <= now + FUTURE_SLACK_SECS => t,
                        _ => now - position as i64,
                    };
                    insert.execute(params![
                        source,
                        article.guid,
                        sort_time,
                        published,
                        now,
                        article.title,
                        article.url,
                        article.author,
                        article.section
                    ])?;
                    let id = ArticleId(tx.last_insert_rowid());
                    insert_body.execute(params![id, ready.summary, ready.content])?;
                    for e in &article.enclosures {
                        insert_enclosure.execute(params![id, e.url, e.mime, e.length.map(|l| l as i64)])?;
                    }
                    fresh.push((id, ready));
                    keep(id);
                }
            }
        }
    }
    let added = fresh.len() - before;
    if added > 0 {
        // Triggers count deletes and read marks; new articles, all unread, are counted
        // here, once a save (migration 15 says why).
        tx.prepare_cached("UPDATE sources SET total = total + ?2, unread = unread + ?2 WHERE id = ?1")?
            .execute(params![source, added as i64])?;
    }
    // A known article may have a page, whose words the index holds instead.
    super::search::index(tx, &changed_ids, true)?;
    Ok((added, ids))
}
