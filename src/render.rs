//! Article HTML into styled lines at a given width, for the reader pane and `kiosque read`.
//!
//! html2text does the layout. It reports headings, quotes and bullets only as text
//! prefixes, so our decorator makes those prefixes control characters (which html2text
//! strips from page text, so a page cannot forge them) and they are swapped for styles
//! and glyphs of the same width afterwards. Links become numbered footnotes listed
//! at the end. Every line fits the width, whatever the input: a final pass splits any
//! line that would not.

use std::cell::RefCell;
use std::rc::Rc;

use html2text::render::{TaggedLine, TextDecorator};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
use url::Url;

use crate::html_limits::{MAX_DEPTH, limit_depth};
use crate::sanitize::clean_text;

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
    /// The `[n]` after a link.
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

/// What goes above the body: the title, then lines such as byline and date.
pub struct Header<'a> {
    pub title: &'a str,
    pub meta: &'a [String],
}

/// The whole article: header, a blank line, the body, then its link footnotes.
pub fn article(header: &Header<'_>, body_html: Option<&str>, base: Option<&Url>, width: usize) -> Vec<Line> {
    let width = width.max(1);
    let mut lines = wrapped(header.title, width, Role::Title);
    for meta in header.meta.iter().filter(|m| !m.is_empty()) {
        lines.extend(wrapped(meta, width, Role::Meta));
    }
    if let Some(html) = body_html {
        lines.push(Line::default());
        lines.extend(body(html, base, width));
    }
    fit(lines, width)
}

/// The body alone, with footnotes.
pub fn body(html: &str, base: Option<&Url>, width: usize) -> Vec<Line> {
    let width = width.max(1);
    let html = limit_depth(html, MAX_DEPTH);
    let links = Rc::new(RefCell::new(Vec::new()));
    let decorator = || Decorator { base: base.cloned(), links: Rc::clone(&links) };
    let tagged = html2text::config::with_decorator(decorator())
        .link_footnotes(true)
        .lines_from_read(html.as_bytes(), width)
        .or_else(|_| {
            links.borrow_mut().clear();
            html2text::config::with_decorator(decorator())
                .link_footnotes(true)
                .allow_width_overflow()
                .lines_from_read(html.as_bytes(), width)
        })
        .unwrap_or_default();
    let mut lines = Vec::with_capacity(tagged.len() + 8);
    let mut after_link = false;
    for line in &tagged {
        lines.push(convert(line, &mut after_link));
    }
    trim_blank_edges(&mut lines);
    let links = links.borrow();
    if !links.is_empty() {
        lines.push(Line::default());
        for (n, url) in links.iter().enumerate() {
            let label = format!("[{}] ", n + 1);
            let indent = " ".repeat(label.len());
            let text = format!("{label}{}", clean_text(url));
            // URLs fill each line rather than break at their hyphens, which would misread.
            let options = textwrap::Options::new(width)
                .subsequent_indent(&indent)
                .word_separator(textwrap::WordSeparator::AsciiSpace)
                .word_splitter(textwrap::WordSplitter::NoHyphenation)
                .break_words(true);
            for part in textwrap::wrap(&text, options) {
                lines.push(Line::plain(part.into_owned(), Role::Footnote));
            }
        }
    }
    fit(lines, width)
}

/// HTML as one line of plain text: for titles that carry markup or entities.
pub fn inline_text(html: &str) -> String {
    html2text::config::plain_no_decorate()
        .string_from_read(limit_depth(html, MAX_DEPTH).as_bytes(), 10_000)
        .map(|s| crate::sanitize::clean_line(&s))
        .unwrap_or_else(|_| crate::sanitize::clean_line(html))
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

// One byte and one column each, as html2text requires of prefixes.
const HEADING: char = '\x01';
const QUOTE: char = '\x02';
const BULLET: char = '\x03';

#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Mark {
    #[default]
    None,
    Link,
    Image,
    Emphasis,
    Strong,
    Strike,
    Code,
}

#[derive(Clone)]
struct Decorator {
    base: Option<Url>,
    links: Rc<RefCell<Vec<String>>>,
}

impl TextDecorator for Decorator {
    type Annotation = Mark;

    fn decorate_link_start(&mut self, _url: &str) -> (String, Mark) {
        (String::new(), Mark::Link)
    }
    fn decorate_link_end(&mut self) -> String {
        String::new()
    }
    fn decorate_em_start(&self) -> (String, Mark) {
        (String::new(), Mark::Emphasis)
    }
    fn decorate_em_end(&self) -> String {
        String::new()
    }
    fn decorate_strong_start(&self) -> (String, Mark) {
        (String::new(), Mark::Strong)
    }
    fn decorate_strong_end(&self) -> String {
        String::new()
    }
    fn decorate_strikeout_start(&self) -> (String, Mark) {
        (String::new(), Mark::Strike)
    }
    fn decorate_strikeout_end(&self) -> String {
        String::new()
    }
    fn decorate_code_start(&self) -> (String, Mark) {
        (String::new(), Mark::Code)
    }
    fn decorate_code_end(&self) -> String {
        String::new()
    }
    fn decorate_preformat_first(&self) -> Mark {
        Mark::Code
    }
    fn decorate_preformat_cont(&self) -> Mark {
        Mark::Code
    }
    fn decorate_image(&mut self, _src: &str, title: &str) -> (String, Mark) {
        (format!("[image: {}]", crate::sanitize::clean_line(title)), Mark::Image)
    }
    fn header_prefix(&self, _level: usize) -> String {
        HEADING.to_string()
    }
    fn quote_prefix(&self) -> String {
        format!("{QUOTE} ")
    }
    fn unordered_item_prefix(&self) -> String {
        format!("{BULLET} ")
    }
    fn ordered_item_prefix(&self, i: i64) -> String {
        format!("{i}. ")
    }
    fn make_subblock_decorator(&self) -> Self {
        self.clone()
    }
    fn finalise(&mut self, urls: Vec<String>) -> Vec<TaggedLine<Mark>> {
        let resolve = |u: String| match &self.base {
            Some(base) => base.join(&u).map(String::from).unwrap_or(u),
            None => u,
        };
        *self.links.borrow_mut() = urls.into_iter().map(resolve).collect();
        Vec::new()
    }
}

fn convert(line: &TaggedLine<Vec<Mark>>, after_link: &mut bool) -> Line {
    let mut heading = false;
    let mut quote = false;
    let mut spans: Vec<Span> = Vec::new();
    for piece in line.tagged_strings() {
        let mut style = SpanStyle::default();
        for mark in &piece.tag {
            match mark {
                Mark::Link => style.role = Role::Link,
                Mark::Image => style.role = Role::Image,
                Mark::Code => style.role = Role::Code,
                Mark::Emphasis => style.emphasis = true,
                Mark::Strong => style.strong = true,
                Mark::Strike => style.strike = true,
                Mark::None => {}
            }
        }
        let mut text = String::with_capacity(piece.s.len());
        for c in piece.s.chars() {
            match c {
                HEADING => heading = true,
                QUOTE => {
                    quote = true;
                    text.push('│');
                }
                BULLET => text.push('•'),
                c => text.push(c),
            }
        }
        let mut text = clean_text(&text);
        if style.role == Role::Body && *after_link {
            if let Some(n) = footnote_ref_len(&text) {
                let rest = text.split_off(n);
                spans.push(Span { text, style: SpanStyle { role: Role::LinkRef, ..style } });
                text = rest;
            }
        }
        if !text.is_empty() {
            *after_link = style.role == Role::Link;
            spans.push(Span { text, style });
        }
    }
    for span in &mut spans {
        if heading && span.style.role == Role::Body {
            span.style.role = Role::Heading;
        } else if quote && span.style.role == Role::Body {
            span.style.role = Role::Quote;
        }
    }
    Line { spans }
}

/// Length of a leading `[12]`, the footnote number html2text puts after a link.
fn footnote_ref_len(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('[')?;
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    (digits > 0 && rest[digits..].starts_with(']')).then_some(digits + 2)
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
