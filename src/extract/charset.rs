//! Bytes of a web page into text. A byte-order mark is unambiguous, so it comes first;
//! then the charset the HTTP header declared, then `<meta charset>` (or its http-equiv
//! form) in the first kilobytes, as browsers look for it. Without any of them: UTF-8
//! when the bytes are valid UTF-8, else windows-1252, the usual mislabelled Latin-1.
//!
//! A `<meta>` tag is overruled by the bytes themselves when they are valid UTF-8 with
//! non-ASCII in them: pages re-saved as UTF-8 keep stale declarations, and multi-byte
//! UTF-8 hardly ever arises by chance in a legacy encoding.

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into the page a `<meta charset>` is looked for.
const PRESCAN_BYTES: usize = 4096;

/// The page as text, and the name of the encoding it was read with.
pub fn decode(bytes: &[u8], header_charset: Option<&str>) -> (String, &'static str) {
    let encoding = Encoding::for_bom(bytes)
        .map(|(encoding, _)| encoding)
        .or_else(|| header_charset.and_then(|label| Encoding::for_label(label.trim().as_bytes())))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN_BYTES)]).filter(|_| !is_non_ascii_utf8(bytes)))
        .unwrap_or_else(|| if std::str::from_utf8(bytes).is_ok() { UTF_8 } else { WINDOWS_1252 });
    // A page cannot be UTF-16 once it has been sent as bytes of an ASCII-compatible
    // declaration; encoding_rs maps such labels to UTF-8 as browsers do.
    let (text, used, _) = encoding.decode(bytes);
    (without_mojibake(text.into_owned()), used.name())
}

/// The text with UTF-8 that was once read as Latin-1 read again: "â\u{80}\u{99}" is "’".
/// Only in a text with a C1 control in it, which no real text has and such mojibake
/// always does, and only where the Latin-1 characters make a whole UTF-8 sequence.
fn without_mojibake(text: String) -> String {
    // A C1 control is 0xC2 then 0x80..=0x9F in UTF-8.
    if !text.as_bytes().windows(2).any(|w| w[0] == 0xc2 && (0x80..=0x9f).contains(&w[1])) {
        return text;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < chars.len() {
        let lead = chars[at] as u32;
        let continuations = match lead {
            0xc2..=0xdf => 1,
            0xe0..=0xef => 2,
            0xf0..=0xf4 => 3,
            _ => 0,
        };
        let tail = chars
            .get(at + 1..at + 1 + continuations)
            .filter(|t| continuations > 0 && t.iter().all(|&c| (0x80..=0xbf).contains(&(c as u32))));
        let repaired = tail.and_then(|tail| {
            let bytes: Vec<u8> = std::iter::once(lead as u8).chain(tail.iter().map(|&c| c as u8)).collect();
            String::from_utf8(bytes).ok()
        });
        match repaired {
            Some(repaired) => {
                out.push_str(&repaired);
                at += 1 + continuations;
            }
            None => {
                out.push(chars[at]);
                at += 1;
            }
        }
    }
    out
}

fn is_non_ascii_utf8(bytes: &[u8]) -> bool {
    !bytes.is_ascii() && std::str::from_utf8(bytes).is_ok()
}

/// The charset a `<meta>` tag declares in `head`.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = find(&lower[from..], b"<meta").map(|p| p + from) {
        let end = find(&lower[at..], b">").map_or(lower.len(), |p| p + at);
        let tag = &lower[at..end];
        if let Some(p) = find(tag, b"charset") {
            let value = tag[p + 7..]
                .iter()
                .skip_while(|b| b.is_ascii_whitespace() || **b == b'=' || **b == b'"' || **b == b'\'');
            let label: Vec<u8> = value
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                .copied()
                .collect();
            if let Some(encoding) = Encoding::for_label(&label) {
                return Some(encoding);
            }
        }
        from = end;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bom_wins_then_the_header_then_the_meta_tag() {
        assert_eq!(decode(b"\xef\xbb\xbfcaf\xc3\xa9", Some("iso-8859-1")), ("café".to_owned(), "UTF-8"));
        assert_eq!(decode(b"caf\xe9", Some("ISO-8859-1")).0, "café");
        let page = b"<html><head><meta charset=\"windows-1252\"></head><body>caf\xe9</body></html>";
        assert!(decode(page, None).0.contains("café"));
        let equiv = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">\xe9t\xe9";
        assert!(decode(equiv, None).0.ends_with("été"));
    }

    #[test]
    fn utf8_bytes_overrule_a_stale_meta_declaration() {
        let page = "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\"><p>人工智能</p>";
        assert!(decode(page.as_bytes(), None).0.contains("人工智能"));
        let gbk = b"<meta charset=\"gb2312\"><p>\xc8\xcb\xb9\xa4</p>";
        assert!(decode(gbk, None).0.contains("人工"));
    }

    #[test]
    fn utf8_once_read_as_latin1_is_read_again_where_c1_controls_show_it() {
        let page = "<p>A DIY Investor\u{e2}\u{80}\u{99}s Guide \u{e2}\u{80}\u{94} d\u{c3}\u{a9}j\u{c3}\u{a0} vu</p>";
        assert_eq!(decode(page.as_bytes(), None).0, "<p>A DIY Investor’s Guide — déjà vu</p>");
        // Without a C1 control, Latin-1 letters side by side are text: "Ã©" stays.
        assert_eq!(decode("<p>Ã© Â»</p>".as_bytes(), None).0, "<p>Ã© Â»</p>");
        // A C1 control that starts no sequence is left for the sanitizer.
        assert_eq!(decode("x\u{85}é".as_bytes(), None).0, "x\u{85}é");
    }

    #[test]
    fn undeclared_pages_are_utf8_when_they_can_be_else_windows_1252() {
        assert_eq!(decode("déjà".as_bytes(), None), ("déjà".to_owned(), "UTF-8"));
        assert_eq!(decode(b"d\xe9j\xe0 \x93vu\x94", None), ("déjà “vu”".to_owned(), "windows-1252"));
    }
}
