//! Untrusted HTML made ready for a parser, in one linear pass.
//!
//! html5ever's tree building costs time proportional to the depth of open elements for
//! each new block, so 10,000 nested `<div>`s take seconds; browsers cap the depth for the
//! same reason. `prepare` drops the tags nested deeper than a limit (their text stays),
//! following the parser's common implied end tags (`p`, `li`, table cells…) closely
//! enough that real pages keep their structure.
//!
//! It also takes out what no reader shows and a parser would crawl through character by
//! character: scripts (JSON-LD metadata excepted), style sheets, SVG drawings and
//! comments, half the bytes of a typical news page.

use std::borrow::Cow;

/// Deeper than any real page; shallow enough to parse in milliseconds.
pub const MAX_DEPTH: usize = 256;

const VOID: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];
const RAW_TEXT: &[&str] = &["textarea", "title", "xmp", "plaintext", "noembed", "noframes"];
/// Elements taken out whole, contents and all.
const DROPPED: &[&str] = &["script", "style", "svg"];
/// Elements whose start closes an open `p`.
const CLOSES_P: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "details",
    "div",
    "dl",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "ul",
];

/// Whether an element of this name starts a block of its own, as those whose start
/// closes a `p` do (headings, paragraphs, lists, `div`s…), not a run of text.
pub fn starts_block(name: &str) -> bool {
    CLOSES_P.iter().any(|b| name.eq_ignore_ascii_case(b))
}

/// `html` without scripts (but JSON-LD), styles, SVG and comments, and without the tags
/// nested deeper than `max`; borrowed when nothing had to go.
pub fn prepare(html: &str, max: usize) -> Cow<'_, str> {
    prepare_mending(html, max, &Mending::default())
}

/// What `prepare_mending` also does, for a layout that knows fewer elements than
/// browsers and is stricter with lists.
#[derive(Default)]
pub struct Mending<'a> {
    /// Each element named first (lower case) takes the name given second, with its
    /// attributes.
    pub renames: &'a [(&'a str, &'static str)],
    /// A list straight inside a list, not in one of its items, goes into an item of its
    /// own, as browsers show it.
    pub lists_into_items: bool,
}

/// As `prepare`, and mended as `mending` says.
pub fn prepare_mending<'a>(html: &'a str, max: usize, mending: &Mending<'_>) -> Cow<'a, str> {
    let bytes = html.as_bytes();
    // Tag names as they are written; compared without regard to case.
    let mut open: Vec<&str> = Vec::new();
    let mut dropped: Vec<&str> = Vec::new();
    // What goes (an empty replacement) or is renamed: (start, end, replacement).
    let mut cuts: Vec<(usize, usize, &str)> = Vec::new();
    let mut i = 0;
    while let Some(offset) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + offset;
        let rest = &bytes[start + 1..];
        if rest.starts_with(b"!--") {
            i = find(bytes, start + 4, b"-->").map_or(bytes.len(), |e| e + 3);
            cuts.push((start, i, ""));
            continue;
        }
        let closing = rest.first() == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..].iter().take_while(|b| b.is_ascii_alphanumeric()).count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            // `<!doctype>`, `<?xml?>` and a stray `<` are not elements.
            i = if matches!(rest.first(), Some(b'!' | b'?')) { tag_end(bytes, start) } else { start + 1 };
            continue;
        }
        let name = &html[name_start..name_start + name_len];
        let is = |other: &str| name.eq_ignore_ascii_case(other);
        let end = tag_end(bytes, start);
        i = end;
        let renamed =
            mending.renames.iter().find(|(old, _)| is(old)).map(|(_, new)| (name_start, name_start + name_len, *new));
        if closing {
            if dropped.last().is_some_and(|d| is(d)) {
                dropped.pop();
                cuts.push((start, end, ""));
            } else {
                if let Some(at) = open.iter().rposition(|n| is(n)) {
                    open.truncate(at);
                }
                // An end tag takes the name alone, without the attributes given.
                cuts.extend(renamed.map(|(from, to, new)| (from, to, new.split(' ').next().unwrap_or(new))));
            }
            continue;
        }
        if DROPPED.iter().any(|d| is(d)) {
            let json_ld = is("script") && find_ci(&bytes[start..end], 0, b"ld+json").is_some();
            let close = find_ci(bytes, end, format!("</{name}").as_bytes());
            i = close.map_or(bytes.len(), |c| tag_end(bytes, c));
            if !json_ld {
                cuts.push((start, i, ""));
            }
            continue;
        }
        if RAW_TEXT.iter().any(|r| is(r)) {
            i = find_ci(bytes, end, format!("</{name}").as_bytes()).unwrap_or(bytes.len());
            continue;
        }
        let self_closing = end >= 2 && bytes[end - 2] == b'/';
        if VOID.iter().any(|v| is(v)) || self_closing {
            cuts.extend(renamed);
            continue;
        }
        if let Some(top) = open.last() {
            let top_is = |other: &str| top.eq_ignore_ascii_case(other);
            let implied = if is("li") || is("option") {
                top_is(name)
            } else if is("dt") || is("dd") {
                top_is("dt") || top_is("dd")
            } else if is("td") || is("th") {
                top_is("td") || top_is("th")
            } else if is("tr") {
                top_is("tr") || top_is("td") || top_is("th")
            } else {
                top_is("p") && starts_block(name)
            };
            if implied {
                open.pop();
            }
        }
        let list = |n: &str| n.eq_ignore_ascii_case("ol") || n.eq_ignore_ascii_case("ul");
        if mending.lists_into_items && list(name) && open.last().is_some_and(|top| list(top)) && open.len() < max {
            cuts.push((start, start, "<li>"));
            open.push("li");
        }
        if open.len() >= max {
            cuts.push((start, end, ""));
            dropped.push(name);
        } else {
            cuts.extend(renamed);
            open.push(name);
        }
    }
    if cuts.is_empty() {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let mut from = 0;
    for (start, end, replacement) in cuts {
        out.push_str(&html[from..start]);
        out.push_str(replacement);
        from = end;
    }
    out.push_str(&html[from..]);
    Cow::Owned(out)
}

/// Just past the `>` that ends the tag starting at `start`, quotes respected.
fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut at = start + 1;
    while let Some(offset) = bytes.get(at..).and_then(|rest| memchr::memchr3(b'>', b'"', b'\'', rest)) {
        let hit = at + offset;
        match bytes[hit] {
            b'>' => return hit + 1,
            quote => match memchr::memchr(quote, &bytes[hit + 1..]) {
                Some(close) => at = hit + 1 + close + 1,
                None => return bytes.len(),
            },
        }
    }
    bytes.len()
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle).map(|p| p + from)
}

/// Where `needle` first occurs from `from` on, ASCII case aside: each occurrence of its
/// first byte, in either case, is a candidate, compared whole.
fn find_ci(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let first = *needle.first()?;
    let mut at = from;
    while at + needle.len() <= bytes.len() {
        let haystack = &bytes[at..=bytes.len() - needle.len()];
        let hit = memchr::memchr2(first.to_ascii_lowercase(), first.to_ascii_uppercase(), haystack)? + at;
        if bytes[hit..hit + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(hit);
        }
        at = hit + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_untouched() {
        let page = "<!DOCTYPE html><html><body><div class=\"a>b\"><p>One<p>Two<ul><li>a<li>b</ul>\
                    <br/><img src=x><textarea><div></textarea></div></body></html>";
        assert!(matches!(prepare(page, 5), Cow::Borrowed(_)));
        assert!(matches!(prepare(page, 4), Cow::Owned(_)), "html › body › div › ul › li is 5 deep");
    }

    #[test]
    fn scripts_styles_drawings_and_comments_go_but_json_ld_stays() {
        let page = "<p>a</p><script>if (a < b) { document.write('<div>') }</script><style>p{}</style>\
                    <svg><path d='M0'/></svg><!-- <div> --><SCRIPT type=\"application/ld+json\">{\"@type\":\"Article\"}</SCRIPT><p>b</p>";
        assert_eq!(
            prepare(page, 10),
            "<p>a</p><SCRIPT type=\"application/ld+json\">{\"@type\":\"Article\"}</SCRIPT><p>b</p>"
        );
    }

    #[test]
    fn tags_past_the_limit_go_and_their_text_stays() {
        let deep = "<div>".repeat(10) + "deep" + &"</div>".repeat(10) + "<p>after</p>";
        let limited = prepare(&deep, 3);
        assert_eq!(limited, "<div><div><div>deep</div></div></div><p>after</p>");
    }

    #[test]
    fn renamed_elements_keep_their_attributes_and_content() {
        let page = "<FIGURE class=a><img src=x><Figcaption id=c>Légende</figcaption></figure><figures>";
        let renames = [("figure", "div"), ("figcaption", "div data-caption")];
        let renamed = prepare_mending(page, 10, &Mending { renames: &renames, ..Mending::default() });
        assert_eq!(renamed, "<div class=a><img src=x><div data-caption id=c>Légende</div></div><figures>");
        let deep = "<div>".repeat(3) + "<figure>x</figure>";
        let mending = Mending { renames: &[("figure", "div")], ..Mending::default() };
        assert_eq!(prepare_mending(&deep, 3, &mending), "<div><div><div>x", "cut past the depth, not renamed");
    }

    #[test]
    fn a_list_straight_in_a_list_goes_into_an_item() {
        let mending = Mending { lists_into_items: true, ..Mending::default() };
        let page = "<ol><li>a</li><OL><li>b</li></OL><li>c<ul><li>d</ul></li></ol>";
        assert_eq!(
            prepare_mending(page, 10, &mending),
            "<ol><li>a</li><li><OL><li>b</li></OL><li>c<ul><li>d</ul></li></ol>"
        );
        assert!(matches!(prepare(page, 10), Cow::Borrowed(_)), "only when asked");
    }

    #[test]
    fn unclosed_paragraphs_and_items_do_not_count_as_depth() {
        let page = "<p>x".repeat(1000) + "<ul>" + &"<li>y".repeat(1000) + "</ul>";
        assert!(matches!(prepare(&page, 8), Cow::Borrowed(_)));
    }
}
