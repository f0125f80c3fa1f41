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
    // 4: sites. A site source has a tree of sections, each listing some of the site's
    // articles (an article may sit in several), loaded page by page.
    "
    ALTER TABLE sources ADD COLUMN kind TEXT NOT NULL DEFAULT 'feed';
    ALTER TABLE sources ADD COLUMN api_url TEXT;
    ALTER TABLE sources ADD COLUMN wordpress INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE sections (
        id          INTEGER PRIMARY KEY,
        source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        parent_id   INTEGER REFERENCES sections(id) ON DELETE CASCADE,
        position    INTEGER NOT NULL,
        home        INTEGER NOT NULL DEFAULT 0,
        label       TEXT NOT NULL,
        url         TEXT,
        remote_id   INTEGER,
        pages       INTEGER NOT NULL DEFAULT 0,
        exhausted   INTEGER NOT NULL DEFAULT 0,
        listed_at   INTEGER,
        error       TEXT
    );
    CREATE INDEX sections_by_source ON sections (source_id, position);
    CREATE TABLE section_articles (
        section_id INTEGER NOT NULL REFERENCES sections(id) ON DELETE CASCADE,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        sort_time  INTEGER NOT NULL,
        PRIMARY KEY (section_id, article_id)
    ) WITHOUT ROWID;
    CREATE INDEX section_articles_by_time ON section_articles (section_id, sort_time DESC, article_id DESC);
    CREATE INDEX section_articles_by_article ON section_articles (article_id);
    ",
    // 5: the section an article is filed under, as its source says.
    "
    ALTER TABLE articles ADD COLUMN section TEXT;
    ",
    // 6: bookmarks, and unread articles in time order without a scan. A bookmarked article
    // cannot be deleted: the reference stops it, whatever removes articles.
    "
    CREATE TABLE bookmarks (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id),
        created_at INTEGER NOT NULL
    );
    CREATE INDEX bookmarks_by_time ON bookmarks (created_at DESC, article_id DESC);
    CREATE INDEX articles_unread ON articles (sort_time DESC, id DESC) WHERE read = 0;
    ",
    // 7: the search index (`search::CREATE`), filled from the articles already cached.
    "",
    // 8: sections count their articles as sources do, by triggers, instead of a join over
    // every article of the site each time the tree is read. An article deleted goes from
    // the unread counts before its memberships go (their trigger no longer sees it).
    "
    ALTER TABLE sections ADD COLUMN total INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sections ADD COLUMN unread INTEGER NOT NULL DEFAULT 0;
    UPDATE sections SET
        total = (SELECT count(*) FROM section_articles sa WHERE sa.section_id = sections.id),
        unread = (SELECT count(*) FROM section_articles sa JOIN articles a ON a.id = sa.article_id
                  WHERE sa.section_id = sections.id AND a.read = 0);
    CREATE TRIGGER section_articles_count_insert AFTER INSERT ON section_articles BEGIN
        UPDATE sections SET total = total + 1,
            unread = unread + coalesce((SELECT read = 0 FROM articles WHERE id = NEW.article_id), 0)
        WHERE id = NEW.section_id;
    END;
    CREATE TRIGGER section_articles_count_delete AFTER DELETE ON section_articles BEGIN
        UPDATE sections SET total = total - 1,
            unread = unread - coalesce((SELECT read = 0 FROM articles WHERE id = OLD.article_id), 0)
        WHERE id = OLD.section_id;
    END;
    CREATE TRIGGER articles_count_read_in_sections AFTER UPDATE OF read ON articles WHEN OLD.read != NEW.read BEGIN
        UPDATE sections SET unread = unread + (NEW.read = 0) - (OLD.read = 0)
        WHERE id IN (SELECT section_id FROM section_articles WHERE article_id = NEW.id);
    END;
    CREATE TRIGGER articles_leave_sections BEFORE DELETE ON articles BEGIN
        UPDATE sections SET unread = unread - (OLD.read = 0)
        WHERE id IN (SELECT section_id FROM section_articles WHERE article_id = OLD.id);
    END;
    ",
    // 9: a site's own feed, for exporting the site to readers that only follow feeds.
    "
    ALTER TABLE sources ADD COLUMN feed_url TEXT;
    ",
    // 10: the search index holds more words in memory before writing them out, and merges
    // its segments in larger steps: a refresh of 100,000 articles spent most of its time
    // flushing and merging the index (282 against 177 µs an article, measured).
    "
    INSERT INTO articles_fts (articles_fts, rank) VALUES ('hashsize', 16777216);
    INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 16);
    INSERT INTO articles_fts (articles_fts, rank) VALUES ('crisismerge', 64);
    ",
    // 11: a hash of the feed as last saved, so that one served again unchanged, without
    // validators, is not parsed and saved again.
    "
    ALTER TABLE sources ADD COLUMN body_hash INTEGER;
    ",
    // 12: the search index merges its segments only when 64 have piled up at a level
    // (`crisismerge`), in one step, instead of a little at each write: a refresh of
    // 100,000 articles took 9.5 s instead of 7.6, and a search over 50 unmerged segments
    // is as fast as over one (a word in every article counted in 4 ms either way).
    "
    INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', 0);
    ",
    // 13: failures in a row, and a time the server asked not to be asked before
    // (`Retry-After`), for the automatic refresh to back off.
    "
    ALTER TABLE sources ADD COLUMN failures INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sources ADD COLUMN retry_at INTEGER;
    ",
    // 14: the files attached to articles (a podcast's audio), for the link list.
    "
    CREATE TABLE enclosures (
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        url        TEXT NOT NULL,
        mime       TEXT,
        length     INTEGER
    );
    CREATE INDEX enclosures_by_article ON enclosures (article_id);
    ",
    // 15: a source's counts grow by what each save adds (`articles::upsert`), not by a
    // trigger on each new article. A statement that fires a trigger, inside a transaction
    // of many, first copies every page it touches to a statement journal: a refresh of
    // 100,000 articles wrote 11.7 GB for a 520 MB cache, and 1.3 GB without.
    "
    DROP TRIGGER IF EXISTS articles_count_insert;
    ",
    // 16: feed servers (`sync`). A server is a source; each feed subscribed to on it is a
    // source too, with the server's id for it and its category; articles keep the
    // server's id. Marks made here wait in the outbox, written in the same transaction
    // as the mark, until the server has them.
    "
    ALTER TABLE sources ADD COLUMN server_id INTEGER;
    ALTER TABLE sources ADD COLUMN remote_id INTEGER;
    ALTER TABLE sources ADD COLUMN remote_folder TEXT;
    ALTER TABLE sources ADD COLUMN remote_cursor INTEGER;
    ALTER TABLE articles ADD COLUMN remote_id INTEGER;
    CREATE INDEX articles_by_remote ON articles (remote_id) WHERE remote_id IS NOT NULL;
    CREATE TABLE outbox (
        id        INTEGER PRIMARY KEY,
        server_id INTEGER NOT NULL,
        remote_id INTEGER NOT NULL,
        field     TEXT NOT NULL,
        value     INTEGER NOT NULL,
        made_at   INTEGER NOT NULL
    );
    ",
    // 17: when a sync last read the server's whole list of unread articles: between two
    // such lists, equal unread counts here and there stand for it.
    "
    ALTER TABLE sources ADD COLUMN remote_marks_at INTEGER;
    ",
];

/// The migration that creates the search index: it also indexes what is cached.
const SEARCH_INDEX: usize = 7;

/// The schema version this build writes.
pub const VERSION: i64 = MIGRATIONS.len() as i64;

/// The cache's schema version; one from a newer kiosque is an error.
pub(super) fn version(conn: &Connection, path: &Path) -> Result<i64> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    match found {
        found if found > VERSION => Err(StoreError::TooNew { path: path.to_owned(), found, known: VERSION }),
        found => Ok(found),
    }
}

/// Each step reads the version under the write lock, so that two processes opening an
/// old cache at once migrate it once.
pub(super) fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    if version(conn, path)? == VERSION {
        return Ok(());
    }
    loop {
        let tx = super::write(conn)?;
        let i = version(&tx, path)? as usize;
        let Some(sql) = MIGRATIONS.get(i) else { return Ok(()) };
        tx.execute_batch(sql)?;
        if i + 1 == SEARCH_INDEX {
            tx.execute_batch(super::search::CREATE)?;
            super::search::index_all(&tx)?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
}
