//! Article HTML into styled lines at a given width, for the reader pane and `kiosque read`.
//!
//! html2text lays the body out (`layout`); this module puts the article together: the
//! header (title, byline, date) wrapped above it, the footnotes its links and images are
//! numbered to below it, and every line fitted to the width, whatever the input.

mod layout;

use dom_query::Document;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
use url::Url;

use crate::html_limits::{MAX_DEPTH, prepare};
use crate::sanitize::clean_text;
pub use layout::Laid;
use layout::{Mode, lay_out};

/// What a piece of text is, so the screen can give it a colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub enum Role {
    #[default]
    Body,
    Title,
    Meta,
    Heading,
    Quote,
    Code,
    Link,
    /// The `[n]` after a link or an image.
    LinkRef,
    Image,
    Footnote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct SpanStyle {
    pub role: Role,
    pub strong: bool,
    pub emphasis: bool,
    pub strike: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub text: String,
    pub style: SpanStyle,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub spans: Vec<Span>,
}

impl Line {
    fn plain(text: impl Into<String>, role: Role) -> Line {
        Line { spans: vec![Span { text: text.into(), style: SpanStyle { role, ..SpanStyle::default() } }] }
    }

    pub fn width(&self) -> usize {
        self.spans.iter().map(|s| s.text.width()).sum()
    }

    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Where a footnote points: a link's target, or an image's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub url: String,
    pub image: bool,
}

/// What goes above the body: the title, then lines such as byline and date.
pub struct Header<'a> {
    pub title: &'a str,
    pub meta: &'a [String],
}

/// The whole article: header, a blank line, the body, then its link footnotes.
pub fn article(header: &Header<'_>, body_html: Option<&str>, base: Option<&Url>, width: usize) -> Vec<Line> {
    laid_article(header, body_html, base, width).lines
}

/// The whole article as `article` lays it out, with what its footnotes point to: the
/// reader keeps both, so its link list needs no second layout.
pub fn laid_article(header: &Header<'_>, body_html: Option<&str>, base: Option<&Url>, width: usize) -> Laid {
    let width = width.max(1);
    // A page without a title (`kiosque read` on a fragment) starts with its text.
    let title = Some(header.title).filter(|t| !t.trim().is_empty());
    let mut lines: Vec<Line> = title.into_iter().flat_map(|t| wrapped(t, width, Role::Title)).collect();
    for meta in header.meta.iter().filter(|m| !m.is_empty()) {
        lines.extend(wrapped(meta, width, Role::Meta));
    }
    let mut lines = fit(lines, width);
    let Some(html) = body_html else { return Laid { lines, targets: Vec::new() } };
    let body = laid_body(html, base, width);
    if !lines.is_empty() {
        lines.push(Line::default());
    }
    lines.extend(body.lines);
    Laid { lines, targets: body.targets }
}

/// The body alone, its footnotes after it.
pub fn body(html: &str, base: Option<&Url>, width: usize) -> Vec<Line> {
    laid_body(html, base, width).lines
}

fn laid_body(html: &str, base: Option<&Url>, width: usize) -> Laid {
    let Laid { mut lines, targets } = lay_out(html, base, width, Mode::Screen);
    trim_blank_edges(&mut lines);
    let mut lines = fit(lines, width);
    lines.extend(footnotes(&targets, width));
    Laid { lines, targets }
}

/// The body as plain text for machines (`kiosque read --format json`): paragraphs
/// unwrapped and apart, without footnotes or image placeholders, which are not the
/// article's words.
pub fn text(html: &str) -> String {
    plain(&lay_out(html, None, UNWRAPPED, Mode::Machines).lines).trim().to_owned()
}

/// The body as Markdown: headings, lists, quotes, code, links inline as `[text](url)`,
/// images as `![alt](src)`.
pub fn markdown(html: &str, base: Option<&Url>) -> String {
    let mut lines = lay_out(html, base, UNWRAPPED, Mode::Markdown).lines;
    trim_blank_edges(&mut lines);
    plain(&lines)
}

/// A width no paragraph reaches: text that is not wrapped.
const UNWRAPPED: usize = 1 << 20;

/// A link's target as an absolute http(s) or mailto URL; anchors within the page and
/// scripts have none.
fn resolve(base: Option<&Url>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let url = match base {
        Some(base) => base.join(href).ok()?,
        None => Url::parse(href).ok()?,
    };
    // The one URL policy, and mail addresses beside it: a reader opens those in a mail client.
    (crate::http::is_web(&url) || url.scheme() == "mailto").then(|| url.to_string())
}

/// The footnotes, a blank line before them: `[n] address`, wrapped under its number.
fn footnotes(targets: &[Target], width: usize) -> Vec<Line> {
    if targets.is_empty() {
        return Vec::new();
    }
    let mut notes = vec![Line::default()];
    for (n, target) in targets.iter().enumerate() {
        let label = format!("[{}] ", n + 1);
        let indent = " ".repeat(label.len());
        let text = format!("{label}{}", readable_url(&target.url));
        // URLs fill each line rather than break at their hyphens, which would misread.
        let options = textwrap::Options::new(width)
            .subsequent_indent(&indent)
            .word_separator(textwrap::WordSeparator::AsciiSpace)
            .word_splitter(textwrap::WordSplitter::NoHyphenation)
            .break_words(true);
        for part in textwrap::wrap(&text, options) {
            notes.push(Line::plain(part.into_owned(), Role::Footnote));
        }
    }
    // In a pane narrower than the indent, even these overflow.
    fit(notes, width)
}

/// A URL as a person reads it: escaped letters of other alphabets shown as themselves
/// (`https://fr.wikipedia.org/wiki/Chêne`). Escaped ASCII (`%20`, `%2F`) stays escaped,
/// as does anything that would not read as itself (controls, bidi overrides, bytes that
/// are no UTF-8). The URL opened is the escaped one.
pub fn readable_url(url: &str) -> String {
    let bytes = url.as_bytes();
    let hex = |at: usize| {
        let digit = |b: u8| (b as char).to_digit(16);
        Some((digit(*bytes.get(at + 1)?)? * 16 + digit(*bytes.get(at + 2)?)?) as u8)
    };
    let mut out = String::with_capacity(url.len());
    let mut at = 0;
    while at < bytes.len() {
        // A run of escapes of bytes past ASCII: one or more letters, decoded together.
        let mut run = Vec::new();
        let mut end = at;
        while bytes[end..].starts_with(b"%") && hex(end).is_some_and(|b| b >= 0x80) {
            run.push(hex(end).unwrap_or_default());
            end += 3;
        }
        if run.is_empty() {
            let next = url[at..].chars().next().map_or(1, char::len_utf8);
            out.push_str(&url[at..at + next]);
            at += next;
            continue;
        }
        match String::from_utf8(run) {
            Ok(text) if !text.chars().any(|c| c.is_control() || crate::sanitize::is_bidi_control(c)) => {
                out.push_str(&text);
            }
            _ => out.push_str(&url[at..end]),
        }
        at = end;
    }
    clean_text(&out)
}

/// HTML as one line of plain text: for titles that carry markup or entities.
pub fn inline_text(html: &str) -> String {
    let document = Document::fragment(prepare(html, MAX_DEPTH).as_ref());
    crate::sanitize::clean_line(&document.root().text())
}

/// Lines as plain text, one per line: what `kiosque read` prints and tests compare.
pub fn plain(lines: &[Line]) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(line.text().trim_end());
        out.push('\n');
    }
    out
}

fn wrapped(text: &str, width: usize, role: Role) -> Vec<Line> {
    let options = textwrap::Options::new(width).break_words(true);
    textwrap::wrap(&clean_text(text), options).into_iter().map(|part| Line::plain(part.into_owned(), role)).collect()
}

fn trim_blank_edges(lines: &mut Vec<Line>) {
    let blank = |l: &Line| l.spans.iter().all(|s| s.text.trim().is_empty());
    while lines.last().is_some_and(blank) {
        lines.pop();
    }
    let leading = lines.iter().take_while(|l| blank(l)).count();
    lines.drain(..leading);
}

/// Splits any line wider than `width` so that none is.
fn fit(lines: Vec<Line>, width: usize) -> Vec<Line> {
    if lines.iter().all(|l| l.width() <= width) {
        return lines;
    }
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width {
            out.push(line);
            continue;
        }
        let mut current = Line::default();
        let mut used = 0;
        for span in line.spans {
            let mut text = String::new();
            for c in span.text.chars() {
                let w = c.width().unwrap_or(0);
                if w > width {
                    continue; // a wide character in a one-column pane cannot be shown
                }
                if used + w > width && used > 0 {
                    if !text.is_empty() {
                        current.spans.push(Span { text: std::mem::take(&mut text), style: span.style });
                    }
                    out.push(std::mem::take(&mut current));
                    used = 0;
                }
                text.push(c);
                used += w;
            }
            if !text.is_empty() {
                current.spans.push(Span { text, style: span.style });
            }
        }
        out.push(current);
    }
    out
}

#[cfg(test)]
mod link_tests {
    use super::*;

    #[test]
    fn escaped_letters_read_as_themselves_and_nothing_else_is_unescaped() {
        assert_eq!(readable_url("https://fr.wikipedia.org/wiki/Ch%C3%AAne"), "https://fr.wikipedia.org/wiki/Chêne");
        assert_eq!(
            readable_url("https://a.example/%E6%97%A5%E6%9C%AC?q=a%20b%2Fc"),
            "https://a.example/日本?q=a%20b%2Fc"
        );
        assert_eq!(
            readable_url("https://a.example/%E2%80%AEevil"),
            "https://a.example/%E2%80%AEevil",
            "no bidi override"
        );
        assert_eq!(readable_url("https://a.example/%C3"), "https://a.example/%C3", "half a letter");
        assert_eq!(readable_url("https://a.example/%c3%a9t%C3%A9"), "https://a.example/été");
        assert_eq!(readable_url("https://a.example/100%"), "https://a.example/100%");
    }

    #[test]
    fn links_and_images_are_numbered_as_their_footnotes() {
        let html = r##"<p><a href="/a">A</a> <a href="#top">top</a> <a href="https://b.example/Ch%C3%AAne">B</a>
            <img src="/i.jpg" alt="une image"> <a href="/empty"></a> <a href="javascript:x()">js</a></p>"##;
        let base = Url::parse("https://site.example/post/").unwrap();
        let target = |url: &str, image| Target { url: url.to_owned(), image };
        assert_eq!(
            laid_body(html, Some(&base), 60).targets,
            [
                target("https://site.example/a", false),
                target("https://b.example/Ch%C3%AAne", false),
                target("https://site.example/i.jpg", true)
            ]
        );
        let shown = plain(&body(html, Some(&base), 60));
        assert!(shown.contains("A[1] top B[2] [image: une image][3] js"), "{shown}");
        assert!(shown.contains("[2] https://b.example/Chêne"), "shown decoded: {shown}");
        assert!(shown.contains("[3] https://site.example/i.jpg"), "{shown}");
    }
}
