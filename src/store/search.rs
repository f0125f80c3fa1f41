//! Full-text search over everything cached: titles, bylines, sections and the text of
//! each article (its page's when fetched, else its feed's). SQLite FTS5 with accents
//! folded, so "ecologie" finds "Écologie"; phrases ("place nette") and prefixes (narco*)
//! are FTS5's own. The index holds no copy of the text (contentless), only its terms.
//!
//! A search fills a temporary table with the ranked hits, so the list pane reads its
//! results as windows, like any other list.
//!
//! Every match is found and counted, and the list holds them all, best first (BM25,
//! `rank`). Ranking scores each match, about 2 µs each, so a search ranks only a first
//! page, and the rest once the list scrolls past it. With many matches (common words),
//! that first page is the best of the newest few thousand, which is what a news reader
//! wants first, and how rare each word is (BM25's other half) is counted among them.

use rusqlite::{Connection, OptionalExtension, params};

use super::{Ready, Result, Store, rank};
use crate::model::ArticleId;

/// The index, created by migration 7.
pub(super) const CREATE: &str = "CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, byline, section, body,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
);";

/// An article into the index: its id, title, byline, section and the words of its body.
const INSERT: &str = "INSERT INTO articles_fts (rowid, title, byline, section, body) VALUES (?1, ?2, ?3, ?4, ?5)";

/// The hits a search ranks at first: a screenful or two. The others are ranked when the
/// list reaches them (`rank_hits`).
const FIRST_PAGE: usize = 100;
/// Past this many matches, the first page is the best of the newest this many, and how
/// rare each word is, is counted among them: ranking costs about 2 µs a match.
const RANKED_AT_FIRST: usize = 4_000;

/// The search whose hits fill `temp.search_hits`, and how far they do.
pub(super) struct Hits {
    query: String,
    /// The ranking expression, with each phrase's rarity.
    order: String,
    /// The oldest article the first page is ranked among.
    floor: i64,
    /// The steps of `rank_hits` done.
    step: u8,
    filled: usize,
    total: usize,
}

/// Puts articles into the index, from what the cache holds of them. `known`: some may be
/// in it already, and are replaced.
pub(super) fn index(conn: &Connection, ids: &[ArticleId], known: bool) -> Result<()> {
    let mut read = conn.prepare_cached(
        "SELECT a.title, a.author, a.section, coalesce(b.page, b.content, b.summary)
         FROM articles a LEFT JOIN article_bodies b ON b.article_id = a.id WHERE a.id = ?1",
    )?;
    let mut delete = conn.prepare_cached("DELETE FROM articles_fts WHERE rowid = ?1")?;
    let mut insert = conn.prepare_cached(INSERT)?;
    for &id in ids {
        let row = read
            .query_row([id], |r| {
                let (title, byline, section): (String, Option<String>, Option<String>) =
                    (r.get(0)?, r.get(1)?, r.get(2)?);
                Ok((title, byline, section, super::body::html(r, 3)?))
            })
            .optional()?;
        let Some((title, byline, section, html)) = row else { continue };
        let body = html.as_deref().map(index_text).unwrap_or_default();
        if known {
            delete.execute([id])?;
        }
        insert.execute(params![id, title, byline, section, body])?;
    }
    Ok(())
}

/// Puts new articles into the index, with the words of their bodies already drawn. Run
/// it after their rows, not between them: a statement that fires triggers opens a
/// savepoint, and the index writes out its pending words at each.
pub(super) fn add(conn: &Connection, fresh: &[(ArticleId, &Ready)]) -> Result<()> {
    let mut insert = conn.prepare_cached(INSERT)?;
    for (id, Ready { article, words, .. }) in fresh {
        insert.execute(params![id, article.title, article.author, article.section, words])?;
    }
    Ok(())
}

/// The words of an article's HTML, for the index: tags and scripts out, character
/// references decoded. Much cheaper than rendering, as refreshes index every new article.
pub(super) fn index_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        if rest.starts_with('<') {
            let opens =
                |name: &str| rest.as_bytes().get(..name.len()).is_some_and(|h| h.eq_ignore_ascii_case(name.as_bytes()));
            let raw = ["<script", "<style"].into_iter().find(|name| opens(name));
            let end = match raw {
                // The element's end, found without lowercasing the rest of the body (at
                // every such element, that was quadratic).
                Some(name) => find_ignoring_case(rest, &format!("</{}", &name[1..])).unwrap_or(rest.len()),
                None => rest.find('>').map_or(rest.len(), |e| e + 1),
            };
            out.push(' ');
            rest = &rest[end..];
        } else {
            let end = rest[1..].find(|c: char| !(c.is_ascii_alphanumeric() || c == '#')).map(|e| e + 1);
            let (decoded, used) = match end.filter(|e| rest[*e..].starts_with(';')) {
                Some(e) => (reference(&rest[1..e]), e + 1),
                None => (None, 1),
            };
            match decoded {
                Some(c) => out.push(c),
                None => out.push_str(&rest[..used]),
            }
            rest = &rest[used..];
        }
    }
    out.push_str(rest);
    out
}

/// Where `needle` (ASCII, lower case) first occurs in `haystack`, ASCII case aside.
fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    let (hay, needle) = (haystack.as_bytes(), needle.as_bytes());
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

/// A character reference's character: numeric ones, and the named ones French text uses.
fn reference(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "eacute" => 'é',
        "egrave" => 'è',
        "ecirc" => 'ê',
        "agrave" => 'à',
        "acirc" => 'â',
        "ccedil" => 'ç',
        "ocirc" => 'ô',
        "icirc" => 'î',
        "ugrave" => 'ù',
        "ucirc" => 'û',
        "rsquo" => '’',
        "lsquo" => '‘',
        "laquo" => '«',
        "raquo" => '»',
        "hellip" => '…',
        "mdash" => '—',
        "ndash" => '–',
        "Eacute" => 'É',
        _ => return None,
    })
}

/// Indexes every article: for caches made before the index.
pub(super) fn index_all(conn: &Connection) -> Result<()> {
    let ids: Vec<ArticleId> =
        conn.prepare("SELECT id FROM articles")?.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    index(conn, &ids, false)
}

/// A query as typed, made safe for FTS5: words (a trailing `*` makes a prefix) and
/// "quoted phrases", all required. Everything else is left out. `None` when nothing is left.
pub fn fts_query(typed: &str) -> Option<String> {
    let parts = phrases(typed);
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The phrases of `fts_query`, each a word, a prefix or a quoted phrase.
fn phrases(typed: &str) -> Vec<String> {
    let mut parts = Vec::new();
    for (i, chunk) in typed.split('"').enumerate() {
        if i % 2 == 1 {
            let words: Vec<String> = words(chunk).map(|(w, _)| w).collect();
            if !words.is_empty() {
                parts.push(format!("\"{}\"", words.join(" ")));
            }
        } else {
            parts.extend(words(chunk).map(|(w, prefix)| if prefix { format!("\"{w}\"*") } else { format!("\"{w}\"") }));
        }
    }
    parts
}

/// The words a query looks for, folded as the index folds them, a prefix ending in `*`:
/// what to highlight in what it finds.
pub fn query_terms(typed: &str) -> Vec<String> {
    // "l'école" is two words to the index, as to the titles it finds.
    words(typed)
        .flat_map(|(word, prefix)| {
            let parts: Vec<String> = word.split(['\'', '’']).map(crate::sanitize::fold).collect();
            let last = parts.len() - 1;
            parts.into_iter().enumerate().map(move |(i, part)| if prefix && i == last { part + "*" } else { part })
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// The words of a query, each with whether it ends in `*`.
fn words(text: &str) -> impl Iterator<Item = (String, bool)> + '_ {
    let kept = |c: char| c.is_alphanumeric() || matches!(c, '\'' | '’' | '*');
    text.split(move |c: char| !kept(c)).filter_map(|raw| {
        let prefix = raw.ends_with('*');
        let word = raw.trim_matches(['\'', '’', '*']).replace('*', "");
        (!word.is_empty()).then_some((word, prefix))
    })
}

impl Store {
    /// Runs a search; its hits, best first, become the list of `Scope::Search`. Returns
    /// how many articles match: all of them, each counted once.
    pub fn search(&self, typed: &str) -> Result<usize> {
        self.conn.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS search_hits (pos INTEGER PRIMARY KEY, article_id INTEGER NOT NULL);
             DELETE FROM temp.search_hits;",
        )?;
        *self.hits.borrow_mut() = None;
        let phrases = phrases(typed);
        if phrases.is_empty() {
            return Ok(0);
        }
        let query = phrases.join(" ");
        let mut count = self
            .conn
            .prepare_cached("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?1 AND rowid >= ?2")?;
        let total: i64 = count.query_row(params![query, 0], |r| r.get(0))?;
        let (floor, rows) = self.ranked_among(&query, total as usize)?;
        let idfs: Vec<String> = phrases
            .iter()
            .map(|p| {
                // One phrase over all articles: its count is the total.
                let hits = match (phrases.len(), floor) {
                    (1, 0) => total,
                    _ => count.query_row(params![p, floor], |r| r.get(0))?,
                };
                Ok(format!("{:.6}", rank::idf(rows, hits)))
            })
            .collect::<Result<_>>()?;
        let order = format!("{}(articles_fts, {})", rank::NAME, idfs.join(", "));
        *self.hits.borrow_mut() = Some(Hits { query, order, floor, step: 0, filled: 0, total: total as usize });
        self.rank_hits(FIRST_PAGE)?;
        Ok(total as usize)
    }

    /// The articles the first page of `query`'s `total` hits is ranked among: the oldest
    /// one's id, and how many there are.
    fn ranked_among(&self, query: &str, total: usize) -> Result<(i64, i64)> {
        if total <= RANKED_AT_FIRST {
            // The sources' counters hold the number of articles: no count over the table.
            let all = self.conn.query_row("SELECT coalesce(sum(total), 0) FROM sources", [], |r| r.get(0))?;
            return Ok((0, all));
        }
        let nth_newest =
            "SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 ORDER BY rowid DESC LIMIT 1 OFFSET ?2";
        let floor: i64 = self
            .conn
            .prepare_cached(nth_newest)?
            .query_row(params![query, RANKED_AT_FIRST as i64 - 1], |r| r.get(0))?;
        let rows = self.conn.query_row("SELECT count(*) FROM articles WHERE id >= ?1", [floor], |r| r.get(0))?;
        Ok((floor, rows))
    }

    /// Ranks the hits of the search until the first `wanted` are in its list, in three
    /// steps, each costing only its own hits: the first page of the newest, the rest of
    /// the newest, then all older ones.
    pub(super) fn rank_hits(&self, wanted: usize) -> Result<()> {
        let mut hits = self.hits.borrow_mut();
        let Some(hits) = hits.as_mut() else { return Ok(()) };
        while hits.filled < wanted.min(hits.total) && hits.step < 3 {
            let (among, limit) = match hits.step {
                0 => ("rowid >= ?2", FIRST_PAGE as i64),
                1 => ("rowid >= ?2", -1),
                _ => ("rowid < ?2", -1),
            };
            let fill = format!(
                "INSERT INTO temp.search_hits (article_id)
                 SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?1 AND {among}
                 AND rowid NOT IN (SELECT article_id FROM temp.search_hits)
                 ORDER BY {}, rowid DESC LIMIT ?3",
                hits.order
            );
            hits.filled += self.conn.execute(&fill, params![hits.query, hits.floor, limit])?;
            hits.step += 1;
        }
        if hits.step == 3 {
            // All are in: a refresh since may have added or dropped some.
            hits.total = hits.filled;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_text_keeps_the_words_and_decodes_references() {
        let html = "<p>L&rsquo;&eacute;cologie &amp; la <b>ville</b>&#8239;: 5&lt;6 &unknown;</p>\
                    <script>var tracking = 1;</script><style>p{}</style>&#x27;fin";
        assert_eq!(
            index_text(html).split_whitespace().collect::<Vec<_>>().join(" "),
            "L’écologie & la ville : 5<6 &unknown; 'fin"
        );
    }

    #[test]
    fn terms_to_highlight_are_folded_words_and_prefixes() {
        assert_eq!(query_terms("\"l'École\" narco* -Été"), ["l", "ecole", "narco*", "ete"]);
    }

    #[test]
    fn queries_keep_words_phrases_and_prefixes_only() {
        assert_eq!(fts_query("ecologie").as_deref(), Some("\"ecologie\""));
        assert_eq!(fts_query("\"place nette\" narco*").as_deref(), Some("\"place nette\" \"narco\"*"));
        assert_eq!(fts_query("title:x OR (y) -z ^w").as_deref(), Some("\"title\" \"x\" \"OR\" \"y\" \"z\" \"w\""));
        assert_eq!(fts_query("l'école \"unclosed").as_deref(), Some("\"l'école\" \"unclosed\""));
        assert_eq!(fts_query(" * \"\" ").as_deref(), None);
    }
}
