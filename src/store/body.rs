//! Article texts as the cache keeps them: compressed (zstd). News HTML shrinks about three
//! times, and bodies were most of the cache (526 of 887 MB for 100,000 articles), read one
//! at a time when an article opens, where unpacking costs microseconds. Packing happens
//! where articles are made ready (`Ready`), in parallel, not in the writer.
//!
//! Texts stored before are TEXT and read as they are: no migration rewrites the cache.

use std::cell::RefCell;
use std::io::Read;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::model::ArticleId;

/// zstd's default level: 3% smaller than its fastest, and no slower to refresh, as texts
/// are packed on the cores the writer leaves idle.
const LEVEL: i32 = 3;
/// Far larger than any article a fetch brings (20 MB by default): a damaged or forged
/// cache cannot unpack into more.
const MAX_UNPACKED: u64 = 512 << 20;

/// An HTML text, compressed, as it goes into the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct Packed(Vec<u8>);

impl Packed {
    pub fn new(html: &str) -> Packed {
        thread_local! {
            // A context per thread: making one costs more than packing a short article.
            static COMPRESSOR: RefCell<Option<zstd::bulk::Compressor<'static>>> = const { RefCell::new(None) };
        }
        COMPRESSOR.with_borrow_mut(|kept| {
            let packed = match kept {
                Some(compressor) => compressor.compress(html.as_bytes()),
                None => zstd::bulk::Compressor::new(LEVEL).and_then(|mut compressor| {
                    let packed = compressor.compress(html.as_bytes());
                    *kept = Some(compressor);
                    packed
                }),
            };
            // Packing fails only for want of memory, where zstd allocates.
            let mut packed = packed.unwrap_or_else(|e| panic!("cannot compress an article: {e}"));
            // zstd's room for the worst case is the text's whole size: thousands of
            // articles wait for the writer, each would hold it.
            packed.shrink_to_fit();
            Packed(packed)
        })
    }
}

impl ToSql for Packed {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Blob(&self.0)))
    }
}

/// An HTML text as read from the cache: unpacked, or as stored by an older kiosque.
pub struct Html(pub String);

impl FromSql for Html {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Html> {
        match value {
            ValueRef::Text(text) => Ok(Html(String::from_utf8_lossy(text).into_owned())),
            ValueRef::Blob(packed) => unpack(packed).map(Html).map_err(|e| FromSqlError::Other(Box::new(Damaged(e)))),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// A packed text that does not unpack: the cache is damaged where it lies.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(super) struct Damaged(String);

/// Whether an error is a damaged text's, which `kiosque repair` mends like a damaged page.
pub(super) fn is_damaged(error: &rusqlite::Error) -> Option<String> {
    match error {
        rusqlite::Error::FromSqlConversionFailure(_, _, cause) => cause.downcast_ref::<Damaged>().map(|d| d.0.clone()),
        _ => None,
    }
}

/// The text of a packed body; an error naming what is wrong with a damaged one.
fn unpack(packed: &[u8]) -> Result<String, String> {
    let mut out = Vec::with_capacity(packed.len() * 4);
    zstd::stream::read::Decoder::with_buffer(packed)
        .and_then(|decoder| decoder.take(MAX_UNPACKED + 1).read_to_end(&mut out))
        .map_err(|e| format!("an article's text is damaged: {e}"))?;
    if out.len() as u64 > MAX_UNPACKED {
        return Err(format!("an article's text unpacks to more than {} MB", MAX_UNPACKED >> 20));
    }
    String::from_utf8(out).map_err(|_| "an article's text is damaged: not UTF-8 once unpacked".to_owned())
}

/// Takes out the texts that do not unpack, of article `only` or of every article (for
/// `Store::repair` and salvage): their articles stay, and a refresh or `f` brings a text
/// back. How many there were.
pub(super) fn drop_damaged(conn: &rusqlite::Connection, only: Option<ArticleId>) -> super::Result<usize> {
    let mut damaged = Vec::new();
    {
        let mut all = conn.prepare_cached(
            "SELECT article_id, summary, content, page FROM article_bodies WHERE ?1 IS NULL OR article_id = ?1",
        )?;
        let mut rows = all.query([only])?;
        while let Some(row) = rows.next()? {
            let hit = (1..4).any(|i| matches!(row.get_ref(i), Ok(ValueRef::Blob(packed)) if unpack(packed).is_err()));
            if hit {
                damaged.push(row.get::<_, ArticleId>(0)?);
            }
        }
    }
    let mut delete = conn.prepare_cached("DELETE FROM article_bodies WHERE article_id = ?1")?;
    for id in &damaged {
        delete.execute([id])?;
    }
    Ok(damaged.len())
}

/// Reads an optional body column.
pub(super) fn html(row: &rusqlite::Row<'_>, column: usize) -> rusqlite::Result<Option<String>> {
    Ok(row.get::<_, Option<Html>>(column)?.map(|Html(text)| text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_comes_back_whole_and_smaller() {
        let html = "<p>L’écologie en ville, une réforme attendue. </p>".repeat(40);
        let packed = Packed::new(&html);
        assert!(packed.0.len() * 5 < html.len(), "{} of {}", packed.0.len(), html.len());
        assert_eq!(unpack(&packed.0).unwrap(), html);
        assert_eq!(unpack(&Packed::new("").0).unwrap(), "");
    }

    #[test]
    fn texts_stored_unpacked_by_an_older_kiosque_read_as_they_are() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let packed = Packed::new("<p>neuf</p>");
        let read = |sql: &str| conn.query_row(sql, [&packed], |r| html(r, 0)).unwrap();
        assert_eq!(read("SELECT '<p>ancien</p>' WHERE ?1 IS NOT NULL").as_deref(), Some("<p>ancien</p>"));
        assert_eq!(read("SELECT ?1").as_deref(), Some("<p>neuf</p>"));
        assert_eq!(read("SELECT NULL WHERE ?1 IS NOT NULL"), None);
    }

    #[test]
    fn damaged_bytes_are_an_error_that_says_so() {
        let mut packed = Packed::new(&"texte ".repeat(100)).0;
        packed.truncate(packed.len() / 2);
        assert!(unpack(&packed).unwrap_err().contains("damaged"), "truncated");
        assert!(unpack(b"not zstd at all").unwrap_err().contains("damaged"), "foreign");
    }
}
