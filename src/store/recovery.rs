//! A cache SQLite cannot read is moved aside, never deleted, and a fresh one takes its
//! place with what can still be read from the damaged file: bookmarks first, then the
//! newest articles. Everything else comes back with the next refresh.
//!
//! Damage is found without reading the whole file, so that start-up stays fast: the
//! header is checked, and a file shorter than its header says is truncated. Anything
//! else SQLite reports as corrupt or "not a database" while opening.
//!
//! Salvage reads a copy, so the damaged file stays as it was for whoever wants to look
//! at it. A copy whose header was overwritten gets a new one: the rest of the first page
//! (the list of tables) is usually intact, and with it everything else.

use std::collections::HashSet;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::Context;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::{Result, Store, StoreError};
use crate::model::ArticleId;
use crate::wording::count;

/// How many articles besides bookmarks are salvaged, newest first. More would make a
/// rare start-up slow for articles the next refresh brings back anyway.
const OTHER_ARTICLES: usize = 5_000;

const MAGIC: &[u8; 16] = b"SQLite format 3\0";
const HEADER: usize = 100;

/// What happened to a damaged cache, for the one line that tells the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recovery {
    pub path: PathBuf,
    pub reason: String,
    pub moved_to: PathBuf,
    pub bookmarks: usize,
    pub articles: usize,
    /// Why nothing was salvaged, when reading the file could not even start.
    pub failed: Option<String>,
}

impl Recovery {
    /// The same news with the file's name only, for the status line.
    pub fn brief(&self) -> String {
        let name = self
            .moved_to
            .file_name()
            .map_or_else(|| self.moved_to.display().to_string(), |n| n.to_string_lossy().into_owned());
        let kept = match (self.bookmarks, self.articles) {
            (0, 0) => self.nothing(),
            (b, a) => format!("kept {}, {}", count(b, "bookmark"), count(a, "other article")),
        };
        format!("damaged cache moved to {name} ({}); {kept}", self.reason)
    }

    fn nothing(&self) -> String {
        match &self.failed {
            Some(why) => format!("nothing could be read from it ({why})"),
            None => "nothing could be read from it".to_owned(),
        }
    }

    fn salvaged(&self) -> String {
        match (self.bookmarks, self.articles) {
            (0, 0) => format!("{}, so a fresh cache starts empty", self.nothing()),
            (b, a) => format!(
                "a fresh cache holds the {} and {} that could be read from it",
                count(b, "bookmark"),
                count(a, "other article")
            ),
        }
    }
}

impl fmt::Display for Recovery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (path, moved_to) = (self.path.display(), self.moved_to.display());
        write!(f, "the cache {path} was damaged ({}): it is now {moved_to}; {}", self.reason, self.salvaged())
    }
}

/// Why the file at `path` cannot be a cache, found from its header and size alone.
pub(super) fn damage(path: &Path) -> Option<String> {
    let meta = match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => return Some(format!("cannot read it: {e}")),
        Ok(meta) => meta,
    };
    if meta.is_dir() {
        return Some("it is a folder".to_owned());
    }
    let mut header = Vec::with_capacity(HEADER);
    if let Err(e) = std::fs::File::open(path).and_then(|f| f.take(HEADER as u64).read_to_end(&mut header)) {
        return Some(format!("cannot read it: {e}"));
    }
    if header.is_empty() {
        return None;
    }
    if header.len() < HEADER || !header.starts_with(MAGIC) {
        return Some("its header is not SQLite's".to_owned());
    }
    let Some(page_size) = page_size(&header) else { return Some("its header gives no valid page size".to_owned()) };
    let be32 = |at: usize| u32::from_be_bytes(header[at..at + 4].try_into().expect("four bytes"));
    // The header's page count is trusted by SQLite only when these two agree, and the
    // write-ahead log may hold pages the main file does not have yet.
    let pages = be32(28);
    let has_log = std::fs::metadata(sibling(path, "-wal")).is_ok_and(|m| m.len() > 0);
    let wanted = u64::from(pages) * page_size;
    (be32(24) == be32(92) && !has_log && meta.len() < wanted)
        .then(|| format!("truncated: {} of {} bytes", meta.len(), wanted))
}

fn page_size(header: &[u8]) -> Option<u64> {
    match u16::from_be_bytes([header[16], header[17]]) {
        1 => Some(65_536),
        n if n >= 512 && n.is_power_of_two() => Some(u64::from(n)),
        _ => None,
    }
}

/// Moves the damaged cache aside, opens a fresh one in its place and salvages into it.
pub(super) fn recover(path: &Path, reason: String, open: impl FnOnce(&Path) -> Result<Store>) -> Result<Store> {
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let moved_to = sibling(path, &format!(".corrupt-{stamp}"));
    let cannot = |e: std::io::Error| StoreError::Open {
        path: path.to_owned(),
        reason: format!("it is damaged ({reason}) and cannot be moved aside: {e}"),
    };
    std::fs::rename(path, &moved_to).map_err(cannot)?;
    // The log holds committed writes: it goes along, under the name SQLite looks for.
    let log = sibling(path, "-wal");
    if log.exists() {
        std::fs::rename(&log, sibling(&moved_to, "-wal")).map_err(cannot)?;
    }
    let _ = std::fs::remove_file(sibling(path, "-shm"));
    let mut store = open(path)?;
    let ((bookmarks, articles), failed) = match salvage(&store.conn, &moved_to) {
        Ok(counts) => (counts, None),
        Err(e) => {
            tracing::warn!("nothing salvaged from {}: {e:#}", moved_to.display());
            ((0, 0), Some(format!("{e:#}")))
        }
    };
    let recovery = Recovery { path: path.to_owned(), reason, moved_to, bookmarks, articles, failed };
    tracing::warn!("{recovery}");
    store.recovery = Some(recovery);
    Ok(store)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Copies what can be read of the damaged file into `conn`: (bookmarks, other articles).
fn salvage(conn: &Connection, damaged: &Path) -> anyhow::Result<(usize, usize)> {
    if damaged.is_dir() {
        return Ok((0, 0));
    }
    let copy = Copy::make(damaged).context("cannot copy it to read it")?;
    let old = copy.open()?;
    let tx = super::write(conn)?;
    let marked = readable_ids(
        &old,
        &["SELECT article_id FROM bookmarks ORDER BY created_at DESC", "SELECT article_id FROM bookmarks NOT INDEXED"],
    );
    let mut copied = Vec::new();
    for &id in &marked {
        if copy_article(&old, &tx, id) {
            copy_row(&old, &tx, "bookmarks", "article_id, created_at", "article_id", id);
            copied.push(id);
        }
    }
    let bookmarks = copied.len();
    let marked: HashSet<ArticleId> = marked.into_iter().collect();
    let limit = OTHER_ARTICLES + marked.len();
    let newest = format!("SELECT id FROM articles ORDER BY sort_time DESC LIMIT {limit}");
    let any = format!("SELECT id FROM articles NOT INDEXED LIMIT {limit}");
    for id in readable_ids(&old, &[&newest, &any]).into_iter().filter(|id| !marked.contains(id)) {
        if copied.len() - bookmarks == OTHER_ARTICLES {
            break;
        }
        if copy_article(&old, &tx, id) {
            copied.push(id);
        }
    }
    super::search::index(&tx, &copied, false)?;
    // Rows copied as they were: the counts that saving keeps (`articles::upsert`) are made
    // again from them.
    tx.execute_batch(
        "UPDATE sources SET
            total = (SELECT count(*) FROM articles a WHERE a.source_id = sources.id),
            unread = (SELECT count(*) FROM articles a WHERE a.source_id = sources.id AND a.read = 0)",
    )?;
    tx.commit()?;
    Ok((bookmarks, copied.len() - bookmarks))
}

/// The ids the queries give, up to the first unreadable page of each: an index may
/// break where the table does not, and the other way round.
fn readable_ids(old: &Connection, queries: &[&str]) -> Vec<ArticleId> {
    let mut seen = HashSet::<ArticleId>::new();
    let mut ids = Vec::new();
    for sql in queries {
        let Ok(mut statement) = old.prepare(sql) else { continue };
        let Ok(rows) = statement.query_map([], |r| r.get(0)) else { continue };
        ids.extend(rows.map_while(std::result::Result::ok).filter(|id| seen.insert(*id)));
    }
    ids
}

/// Copies one article with its source and text; whether the article made it.
fn copy_article(old: &Connection, new: &Connection, id: ArticleId) -> bool {
    let Ok(source) = old.query_row("SELECT source_id FROM articles WHERE id = ?1", [id], |r| r.get::<_, i64>(0)) else {
        return false;
    };
    // A source starts with no validators, so that its next refresh reads it whole.
    copy_row(old, new, "sources", "id, url, title, site_url, kind, api_url, wordpress", "id", source);
    let article = "id, source_id, guid, sort_time, published, first_seen, read, title, url, author, section";
    if !copy_row(old, new, "articles", article, "id", id) {
        return false;
    }
    let body = "article_id, summary, content, page, page_fetched_at";
    copy_row(old, new, "article_bodies", body, "article_id", id);
    // A text whose bytes were hit does not unpack: the article goes without it.
    super::body::drop_damaged(new, Some(id)).ok();
    true
}

/// Copies the row of `table` whose `key` is `id`, unless the new cache has it; whether
/// the row is there now.
fn copy_row(
    old: &Connection,
    new: &Connection,
    table: &str,
    columns: &str,
    key: &str,
    id: impl rusqlite::ToSql,
) -> bool {
    let count = columns.split(',').count();
    let read = format!("SELECT {columns} FROM {table} WHERE {key} = ?1");
    let Ok(values) =
        old.query_row(&read, [id], |r| (0..count).map(|i| r.get::<_, Value>(i)).collect::<rusqlite::Result<Vec<_>>>())
    else {
        return false;
    };
    let marks = vec!["?"; count].join(", ");
    let write = format!("INSERT OR IGNORE INTO {table} ({columns}) VALUES ({marks})");
    new.execute(&write, rusqlite::params_from_iter(values)).is_ok()
}

/// A copy of the damaged file (and its log) to read from, removed when dropped.
struct Copy {
    path: PathBuf,
}

impl Copy {
    fn make(damaged: &Path) -> std::io::Result<Copy> {
        let copy = Copy { path: sibling(damaged, ".salvage") };
        std::fs::copy(damaged, &copy.path)?;
        let log = sibling(damaged, "-wal");
        if log.exists() {
            std::fs::copy(&log, sibling(&copy.path, "-wal"))?;
        }
        Ok(copy)
    }

    /// Opens the copy, giving it a new header if its own is unreadable.
    fn open(&self) -> anyhow::Result<Connection> {
        let mut header = vec![0; HEADER];
        std::fs::File::open(&self.path)?.read_exact(&mut header).ok();
        if header.starts_with(MAGIC) && page_size(&header).is_some() {
            if let Some(conn) = self.readable() {
                return Ok(conn);
            }
        }
        let length = std::fs::metadata(&self.path)?.len();
        let logged = sibling(&self.path, "-wal").exists();
        // kiosque's own page size first, then that of caches made before it was set.
        for size in [16_384, 4096, 1024, 2048, 8192, 32_768, 65_536, 512] {
            write_header(&self.path, size, length / size, logged)?;
            if let Some(conn) = self.readable() {
                return Ok(conn);
            }
        }
        anyhow::bail!("no readable list of tables")
    }

    /// A connection to the copy, when its list of tables can be read and leads to a
    /// table: read with the wrong page size, the list may read while the pages it points
    /// to are others.
    fn readable(&self) -> Option<Connection> {
        let conn = Connection::open(&self.path).ok()?;
        // Lets SQLite read a file shorter than its header says, up to where it ends.
        conn.pragma_update(None, "writable_schema", true).ok()?;
        let tables: i64 = conn.query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0)).ok()?;
        let leads = ["sources", "bookmarks", "articles"].iter().any(|table| {
            let first = format!("SELECT 1 FROM {table} LIMIT 1");
            conn.query_row(&first, [], |_| Ok(())).optional().is_ok()
        });
        (tables > 0 && leads).then_some(conn)
    }
}

impl Drop for Copy {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(sibling(&self.path, suffix));
        }
    }
}

/// Writes a plausible SQLite header over the first 100 bytes of `path`.
fn write_header(path: &Path, page_size: u64, pages: u64, logged: bool) -> std::io::Result<()> {
    use std::io::{Seek, Write};
    let mut header = [0u8; HEADER];
    header[..16].copy_from_slice(MAGIC);
    let size_field = if page_size == 65_536 { 1 } else { page_size as u16 };
    header[16..18].copy_from_slice(&size_field.to_be_bytes());
    // File format versions: 2 reads the write-ahead log, 1 ignores it.
    let version = if logged { 2 } else { 1 };
    header[18] = version;
    header[19] = version;
    header[21..24].copy_from_slice(&[64, 32, 32]);
    let be32 =
        |header: &mut [u8; HEADER], at: usize, value: u32| header[at..at + 4].copy_from_slice(&value.to_be_bytes());
    be32(&mut header, 24, 1); // change counter
    be32(&mut header, 28, pages as u32);
    be32(&mut header, 40, 1); // schema cookie
    be32(&mut header, 44, 4); // schema format
    be32(&mut header, 56, 1); // UTF-8
    be32(&mut header, 92, 1); // the page count above is valid
    be32(&mut header, 96, 3_046_000);
    let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
    file.seek(std::io::SeekFrom::Start(0))?;
    file.write_all(&header)
}
