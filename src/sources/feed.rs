//! Feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) into model types. Pure: bytes in, articles
//! out; fetching is `http`'s job. feed-rs does the parsing; this module decides what a
//! reader needs from each entry and gives every entry a stable identity, a title and a
//! date it can sort by.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use feed_rs::model::{Entry, Link, Text};
use url::Url;

use crate::model::{Enclosure, NewArticle};
use crate::render;
use crate::sanitize::{clean_line, first_words};

/// What a feed says about itself and its entries.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFeed {
    pub title: Option<String>,
    /// The web site the feed belongs to.
    pub site_url: Option<String>,
    pub articles: Vec<NewArticle>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum FeedError {
    #[error("empty response, not a feed")]
    Empty,
    #[error("an HTML page, not a feed")]
    Html,
    #[error("not a feed (expected RSS, Atom or JSON Feed)")]
    NoFeedRoot,
    #[error("broken feed: {0}")]
    Malformed(String),
}

/// Parses a feed fetched from `base`. `charset` is the one the HTTP header declared, if any:
/// it wins over the document's own declaration only when the document has none.
pub fn parse(bytes: &[u8], base: &Url, charset: Option<&str>) -> Result<ParsedFeed, FeedError> {
    let head = sniff_head(bytes);
    if head.is_empty() {
        return Err(FeedError::Empty);
    }
    if head.starts_with("<!doctype html") || head.starts_with("<html") {
        return Err(FeedError::Html);
    }
    let utf8 = to_utf8(bytes, charset);
    let utf8 = utf8.as_deref().unwrap_or(bytes);
    let for_parser = if head.starts_with('{') { Cow::Borrowed(utf8) } else { without_declarations(utf8) };
    let parser = feed_rs::parser::Builder::new()
        .base_uri(Some(base.as_str()))
        // An empty id marks an entry without one; `guid` below makes a stable one.
        .id_generator(|_, _, _| String::new())
        .build();
    let parsed = crate::guard::guarded(|| parser.parse(for_parser.as_ref()))
        .map_err(|panic| FeedError::Malformed(format!("the feed parser failed ({panic})")))?;
    let feed = parsed.map_err(|e| match e {
        feed_rs::parser::ParseFeedError::ParseError(feed_rs::parser::ParseErrorKind::NoFeedRoot) => {
            FeedError::NoFeedRoot
        }
        other => FeedError::Malformed(clean_line(&other.to_string())),
    })?;
    let site_url = page_link(&feed.links).and_then(|href| resolve(base, href));
    Ok(ParsedFeed {
        title: feed.title.as_ref().map(text_line).filter(|t| !t.is_empty()),
        site_url,
        articles: feed.entries.into_iter().map(|e| article(e, base)).collect(),
    })
}

fn article(entry: Entry, base: &Url) -> NewArticle {
    let url = page_link(&entry.links).and_then(|href| resolve(base, href));
    let content = entry.content.and_then(|c| {
        let plain = c.content_type.subty() == "plain";
        c.body.filter(|b| !b.trim().is_empty()).map(|b| if plain { text_to_html(&b) } else { b })
    });
    let summary = entry
        .summary
        .filter(|s| !s.content.trim().is_empty())
        .map(|s| if is_html(&s) { s.content } else { text_to_html(&s.content) });
    let title = entry
        .title
        .as_ref()
        .map(text_line)
        .filter(|t| !t.is_empty())
        .or_else(|| {
            let body = summary.as_deref().or(content.as_deref())?;
            Some(first_words(&render::inline_text(body), 12)).filter(|t| !t.is_empty())
        })
        .or_else(|| url.clone())
        .unwrap_or_else(|| "(untitled)".to_owned());
    let author = entry
        .authors
        .iter()
        .filter_map(|p| p.name.as_deref().or(p.email.as_deref()).map(clean_line))
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let published: Option<DateTime<Utc>> = entry.published.or(entry.updated);
    let guid = match entry.id.trim() {
        "" => url
            .clone()
            .unwrap_or_else(|| format!("hash:{:016x}", fnv1a(&[&title, summary.as_deref().unwrap_or_default()]))),
        id => id.to_owned(),
    };
    let section =
        entry.categories.iter().map(|c| clean_line(c.label.as_deref().unwrap_or(&c.term))).find(|c| !c.is_empty());
    NewArticle {
        guid,
        url,
        title,
        author: Some(author).filter(|a| !a.is_empty()),
        published,
        section,
        summary,
        content,
        enclosures: enclosures(&entry.media, &entry.links, base),
    }
}

/// The files attached to an entry: RSS `<enclosure>` and Media RSS (which feed-rs reads
/// as media), and Atom's `rel="enclosure"` links; each once, http(s) only.
fn enclosures(media: &[feed_rs::model::MediaObject], links: &[Link], base: &Url) -> Vec<Enclosure> {
    let from_media = media.iter().flat_map(|m| &m.content).filter_map(|c| {
        let url = c.url.as_ref()?.to_string();
        Some(Enclosure { url, mime: c.content_type.as_ref().map(ToString::to_string), length: c.size })
    });
    let from_links = links.iter().filter(|l| l.rel.as_deref() == Some("enclosure")).filter_map(|l| {
        let url = resolve(base, &l.href)?;
        Some(Enclosure { url, mime: l.media_type.clone(), length: l.length })
    });
    let mut found: Vec<Enclosure> = Vec::new();
    for enclosure in from_media.chain(from_links) {
        let web = url::Url::parse(&enclosure.url).is_ok_and(|u| crate::http::is_web(&u));
        if web && !found.iter().any(|f| f.url == enclosure.url) {
            found.push(enclosure);
        }
    }
    found
}

/// The link to the web page: the first without a special relation or target.
fn page_link(links: &[Link]) -> Option<&str> {
    links
        .iter()
        .find(|l| l.target.is_none() && matches!(l.rel.as_deref(), None | Some("alternate")))
        .map(|l| l.href.as_str())
}

/// Resolves a link against the feed's URL, keeping only http and https.
fn resolve(base: &Url, href: &str) -> Option<String> {
    crate::http::web_link(base, href).map(String::from)
}

/// A title as one clean line, with markup removed when there is markup.
fn text_line(text: &Text) -> String {
    if is_html(text) { clean_line(&render::inline_text(&text.content)) } else { plain_line(&text.content) }
}

/// A title given as text, which may still hold tags or entities, as one clean line.
pub fn plain_line(text: &str) -> String {
    if looks_like_markup(text) { clean_line(&render::inline_text(text)) } else { clean_line(text) }
}

fn is_html(text: &Text) -> bool {
    text.content_type.subty() == "html" || text.content_type.subty() == "xhtml+xml"
}

/// True when `s` holds a tag (`<b>`, `</i>`) or an entity (`&amp;`, `&#233;`): markup that
/// should not reach the screen as is. "x<y" alone is left as text.
/// One pass: a `<` is a tag's when a `>` comes anywhere after it (known from the last
/// `>`), and an entity ends within 10 bytes of its `&`.
fn looks_like_markup(s: &str) -> bool {
    let bytes = s.as_bytes();
    let last_close = bytes.iter().rposition(|&b| b == b'>');
    bytes.iter().enumerate().any(|(i, &b)| match b {
        b'<' => {
            let rest = &bytes[i + 1..];
            let name = rest.strip_prefix(b"/").unwrap_or(rest);
            name.first().is_some_and(u8::is_ascii_alphabetic) && last_close.is_some_and(|c| c > i)
        }
        b'&' => {
            let rest = &bytes[i + 1..];
            let end = rest.iter().take(11).position(|&c| c == b';').filter(|&n| n > 0);
            end.is_some_and(|n| rest[..n].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'#'))
        }
        _ => false,
    })
}

/// Plain text as HTML paragraphs, so every body renders through the same path.
fn text_to_html(text: &str) -> String {
    crate::sanitize::escape_html(text)
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", p.replace('\n', "<br>")))
        .collect()
}

/// The first bytes, lowercased, after any BOM and white space: enough to tell what it is.
fn sniff_head(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(bytes.len());
    let head = &bytes[start..bytes.len().min(start + 64)];
    String::from_utf8_lossy(head).to_ascii_lowercase()
}

/// The document as UTF-8, when it is not UTF-8 already. The encoding is, in order: a
/// UTF-16 BOM or a first `<` in two bytes; the document's own declaration; the HTTP
/// header's `charset`, for a document that declares none.
fn to_utf8(bytes: &[u8], charset: Option<&str>) -> Option<Vec<u8>> {
    let by_bytes = match bytes {
        [0xfe, 0xff, ..] | [0, b'<', ..] => Some(encoding_rs::UTF_16BE),
        [0xff, 0xfe, ..] | [b'<', 0, ..] => Some(encoding_rs::UTF_16LE),
        _ => None,
    };
    if let Some(encoding) = by_bytes {
        return Some(encoding.decode_with_bom_removal(bytes).0.into_owned().into_bytes());
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    let declared = encoding_declaration(&head).map(|(start, end)| {
        let value = head[start..end].split(['"', '\'']).nth(1).unwrap_or_default().trim().to_owned();
        encoding_rs::Encoding::for_label(value.as_bytes())
    });
    let encoding = match declared {
        Some(Some(e)) if e != encoding_rs::UTF_16BE && e != encoding_rs::UTF_16LE => e,
        // UTF-16 declared by a document in 8-bit bytes (`read` gives files so decoded),
        // or a name encoding_rs does not know: UTF-8.
        Some(_) => encoding_rs::UTF_8,
        None => charset
            .and_then(|c| encoding_rs::Encoding::for_label(c.trim().as_bytes()))
            .filter(|_| bytes.trim_ascii_start().starts_with(b"<"))
            .unwrap_or(encoding_rs::UTF_8),
    };
    // A stray byte in a UTF-8 feed becomes U+FFFD rather than failing the whole feed.
    if encoding == encoding_rs::UTF_8 && std::str::from_utf8(bytes).is_ok() {
        return None;
    }
    Some(encoding.decode_with_bom_removal(bytes).0.into_owned().into_bytes())
}

/// The UTF-8 document with every XML declaration, from `<?xml` to its first `>`, and
/// every NUL blanked out with spaces. feed-rs's quick-xml switches to any encoding a
/// declaration names and panics once past its first 64 bytes; it also reads UTF-16
/// from a first NUL `<` NUL `?`. Fuzzing found six ways to get a declaration past a
/// parse of it, so none is left: this document is UTF-8 already, and XML allows neither
/// a declaration past the start nor a NUL. Spaces, not removal, so that nothing joins
/// into a new `<?xml`.
fn without_declarations(bytes: &[u8]) -> Cow<'_, [u8]> {
    let mut out: Option<Vec<u8>> = None;
    let mut from = 0;
    // From `<` to `<`: a feed is mostly text between tags, skipped in one search each.
    while let Some(step) = memchr::memchr2(b'<', 0, &bytes[from..]) {
        let at = from + step;
        let end = if bytes[at] == 0 {
            at + 1
        } else if bytes.get(at + 1..at + 5).is_some_and(|w| w.eq_ignore_ascii_case(b"?xml")) {
            memchr::memchr(b'>', &bytes[at..]).map_or(bytes.len(), |n| at + n + 1)
        } else {
            from = at + 1;
            continue;
        };
        out.get_or_insert_with(|| bytes.to_vec())[at..end].fill(b' ');
        from = end;
    }
    out.map_or(Cow::Borrowed(bytes), Cow::Owned)
}

/// Where `encoding="…"` stands in the XML declaration at the start of `text`, which
/// ends at its first `>`: one left open ("?" without ">") still names its encoding.
fn encoding_declaration(text: &str) -> Option<(usize, usize)> {
    let declaration = &text[..text.strip_prefix("<?xml")?.find('>')? + 6];
    let start = declaration.find("encoding")?;
    let rest = declaration[start + "encoding".len()..].trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let value_end = rest[1..].find(quote)? + 2;
    Some((start, declaration.len() - rest.len() + value_end))
}

/// FNV-1a: a hash that stays the same across Rust releases, unlike `DefaultHasher`.
pub(crate) fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.as_bytes().iter().chain([0u8].iter()) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declaration_and_nul_is_blanked_in_place() {
        let feed = b"<?xml version=\"1.0\"?><rss><a>x<?XML encoding=\"ISO-8859-1\"?>y\0</a><<?xml ?>?xml </rss>";
        let out = without_declarations(feed);
        assert_eq!(out.len(), feed.len());
        let text = String::from_utf8(out.into_owned()).unwrap();
        assert_eq!(text.split_whitespace().collect::<Vec<_>>(), ["<rss><a>x", "y", "</a><", "?xml", "</rss>"]);
        assert!(matches!(without_declarations(b"<rss><a>x</a></rss>"), Cow::Borrowed(_)));
    }

    #[test]
    fn a_stray_byte_in_a_utf8_feed_costs_one_character_not_the_feed() {
        let xml = b"<rss version=\"2.0\"><channel><title>Caf\xe9 cr\xc3\xa8me</title></channel></rss>";
        let feed = parse(xml, &Url::parse("https://a.example/feed").unwrap(), None).unwrap();
        assert_eq!(feed.title.as_deref(), Some("Caf\u{fffd} crème"));
    }

    /// Regression: quick-xml panicked on a UTF-16BE feed (`tree` and `add` exited 101).
    #[test]
    fn utf16_feeds_of_either_order_are_read() {
        let xml = "<?xml version=\"1.0\" encoding = 'UTF-16' ?><rss version=\"2.0\"><channel><title>Été</title>\
                   <item><title>Un</title><link>https://a.example/1</link></item></channel></rss>";
        let base = Url::parse("https://a.example/feed").unwrap();
        for (bom, big_endian) in [(true, true), (false, true), (true, false), (false, false)] {
            let mut bytes: Vec<u8> = match (bom, big_endian) {
                (true, true) => vec![0xfe, 0xff],
                (true, false) => vec![0xff, 0xfe],
                _ => Vec::new(),
            };
            for unit in xml.encode_utf16() {
                bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
            }
            let feed = parse(&bytes, &base, None).unwrap();
            assert_eq!((feed.title.as_deref(), feed.articles.len()), (Some("Été"), 1), "{bom} {big_endian}");
        }
    }

    /// Regression: a title of many `<` without `>` took minutes (each rescanned the rest).
    #[test]
    fn markup_is_told_in_one_pass() {
        assert!(looks_like_markup("a <b>bold</b> move") && looks_like_markup("Tom &amp; Jerry"));
        assert!(!looks_like_markup("3 < 4, x<y") && !looks_like_markup("R&D & co"));
        let hostile = "<a".repeat(200_000) + &"&x".repeat(200_000);
        assert!(!looks_like_markup(&hostile), "no '>' after any '<', no ';' after any '&'");
    }
}
