//! Article HTML into styled lines at a given width, for the reader pane and `kiosque read`.
//!
//! html5ever (through dom_query) parses; a walk over the tree turns each block into lines
//! wrapped by textwrap's first-fit over our own styled words, behind the prefixes of the
//! quotes and list items it sits in. Links become numbered footnotes listed at the end,
//! images `[image: alt]`. html2text did this at about 12 MB/s of HTML, which cost a key
//! press in a long list most of its frame budget; this walk is several times faster.
//! Every line fits the width, whatever the input: a final pass splits any that would not.

use dom_query::{Document, NodeRef};
use textwrap::core::Fragment;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
use url::Url;

use crate::html_limits::{MAX_DEPTH, prepare};
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
    let mut lines = fit(lines, width);
    if let Some(html) = body_html {
        lines.push(Line::default());
        lines.extend(body(html, base, width));
    }
    lines
}

/// The body alone, with footnotes.
pub fn body(html: &str, base: Option<&Url>, width: usize) -> Vec<Line> {
    walk(html, base, width.max(1), Mode::Screen)
}

/// The body as plain text for machines (`kiosque read --format json`): paragraphs
/// unwrapped and apart, without footnotes or image placeholders, which are not the
/// article's words.
pub fn text(html: &str) -> String {
    plain(&walk(html, None, UNWRAPPED, Mode::Machines)).trim_end().to_owned()
}

/// The body as Markdown: headings, lists, quotes, code, links inline as `[text](url)`,
/// images as `![alt](src)`.
pub fn markdown(html: &str, base: Option<&Url>) -> String {
    plain(&walk(html, base, UNWRAPPED, Mode::Markdown))
}

/// A width no paragraph reaches: text that is not wrapped.
const UNWRAPPED: usize = usize::MAX / 2;

fn walk(html: &str, base: Option<&Url>, width: usize, mode: Mode) -> Vec<Line> {
    let document = Document::fragment(prepare(html, MAX_DEPTH).as_ref());
    let mut walk = Walk::new(width, base, mode);
    walk.children(&document.root(), SpanStyle::default());
    walk.finish()
}

/// What an article points to: its links, numbered as its footnotes number them, and
/// its images, for the reader's link list.
pub struct Links {
    pub links: Vec<String>,
    pub images: Vec<String>,
}

pub fn links(html: &str, base: Option<&Url>) -> Links {
    let document = Document::fragment(prepare(html, MAX_DEPTH).as_ref());
    let mut walk = Walk::new(UNWRAPPED, base, Mode::Screen);
    walk.children(&document.root(), SpanStyle::default());
    Links { links: walk.links, images: walk.images }
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

/// A word as it wraps: a range of the block's text, its width in columns, and whether
/// a space follows it.
#[derive(Debug, Clone, Copy)]
struct Word {
    start: usize,
    end: usize,
    width: usize,
    space_after: bool,
}

impl Fragment for Word {
    fn width(&self) -> f64 {
        self.width as f64
    }
    fn whitespace_width(&self) -> f64 {
        if self.space_after { 1.0 } else { 0.0 }
    }
    fn penalty_width(&self) -> f64 {
        0.0
    }
}

/// The inline content of the block being built: its text in one string, where each
/// style starts, and its words. One allocation per block, not per word.
#[derive(Default)]
struct Inline {
    text: String,
    /// (byte where a style starts, the style), in order.
    runs: Vec<(usize, SpanStyle)>,
    words: Vec<Word>,
    /// The last word is still open: text glues onto it.
    open: bool,
}

impl Inline {
    /// Empty again, its allocations kept.
    fn cleared(mut self) -> Inline {
        self.text.clear();
        self.runs.clear();
        self.words.clear();
        self.open = false;
        self
    }

    /// Adds text without white space: a new word, or more of the open one.
    fn push(&mut self, piece: &str, width: usize, style: SpanStyle) {
        if self.runs.last().is_none_or(|(_, s)| *s != style) {
            self.runs.push((self.text.len(), style));
        }
        let start = self.text.len();
        self.text.push_str(piece);
        match self.words.last_mut() {
            Some(word) if self.open => {
                word.end = self.text.len();
                word.width += width;
            }
            _ => {
                if let Some(word) = self.words.last_mut() {
                    word.space_after = true;
                }
                self.words.push(Word { start, end: self.text.len(), width, space_after: false });
                self.open = true;
            }
        }
    }

    /// The index of the style run that byte `at` is in.
    fn run_at(&self, at: usize) -> usize {
        self.runs.partition_point(|(start, _)| *start <= at).saturating_sub(1)
    }

    /// The style at byte `at`.
    fn style_at(&self, at: usize) -> SpanStyle {
        self.runs[self.run_at(at)].1
    }

    /// Appends the text of `word` to `line`, in its styles.
    fn put(&self, word: &Word, line: &mut Line) {
        let mut at = word.start;
        let mut run = self.run_at(at);
        while at < word.end {
            let style = self.runs[run].1;
            let until = self.runs.get(run + 1).map_or(word.end, |(next, _)| (*next).min(word.end));
            push_text(line, &self.text[at..until], style);
            at = until;
            run += 1;
        }
    }
}

fn push_text(line: &mut Line, text: &str, style: SpanStyle) {
    match line.spans.last_mut() {
        Some(last) if last.style == style => last.text.push_str(text),
        _ => line.spans.push(Span { text: text.to_owned(), style }),
    }
}

/// What a block's lines start with: a quote bar, a bullet, a number, an indent. `first`
/// goes on the block's first line, `rest` (as wide) on the following ones.
struct Prefix {
    first: String,
    rest: String,
    role: Role,
    used: bool,
}

/// What the walk writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Styled lines for the screen, links as footnotes.
    Screen,
    /// Text alone: no footnotes, no image placeholders.
    Machines,
    /// Markdown's marks, links inline.
    Markdown,
}

/// The walk over an article's tree, building lines block by block.
struct Walk<'a> {
    width: usize,
    base: Option<&'a Url>,
    lines: Vec<Line>,
    links: Vec<String>,
    /// The images' addresses, in the order they come.
    images: Vec<String>,
    inline: Inline,
    prefixes: Vec<Prefix>,
    /// A blank line is due before the next block, inside this many quotes.
    gap: Option<usize>,
    /// Inside a table cell, blocks flow inline.
    in_cell: usize,
    /// Lists within lists: a nested list hugs its item, without blank lines.
    lists: usize,
    /// A line may be wider than the pane (preformatted text, prefixes deeper than the
    /// width); wrapped lines fit by construction and need no second look.
    may_overflow: bool,
    mode: Mode,
}

impl<'a> Walk<'a> {
    fn new(width: usize, base: Option<&'a Url>, mode: Mode) -> Walk<'a> {
        Walk {
            width,
            base,
            lines: Vec::new(),
            links: Vec::new(),
            images: Vec::new(),
            inline: Inline::default(),
            prefixes: Vec::new(),
            gap: None,
            in_cell: 0,
            lists: 0,
            may_overflow: false,
            mode,
        }
    }

    fn children(&mut self, node: &NodeRef<'_>, style: SpanStyle) {
        for child in node.children_it(false) {
            self.node(&child, style);
        }
    }

    fn node(&mut self, node: &NodeRef<'_>, style: SpanStyle) {
        if node.is_text() {
            self.text(&node.text(), style);
            return;
        }
        if !node.is_element() {
            return;
        }
        let Some(name) = node.qual_name_ref().map(|q| q.local.clone()) else { return };
        let inline = |role: Option<Role>, change: fn(&mut SpanStyle)| {
            let mut style = style;
            if let Some(role) = role {
                style.role = role;
            }
            change(&mut style);
            style
        };
        match &*name {
            "script" | "style" | "noscript" | "template" | "head" | "title" | "iframe" | "object" | "embed" | "svg"
            | "canvas" | "video" | "audio" | "input" | "button" | "select" | "textarea" | "option" | "map" => {}
            "em" | "i" | "cite" | "dfn" | "var" => self.marked(node, inline(None, |s| s.emphasis = true), "*"),
            "strong" | "b" => self.marked(node, inline(None, |s| s.strong = true), "**"),
            "s" | "strike" | "del" => self.marked(node, inline(None, |s| s.strike = true), "~~"),
            "code" | "kbd" | "samp" | "tt" => self.marked(node, inline(Some(Role::Code), |_| {}), "`"),
            "a" => self.link(node, style),
            "img" => self.image(node),
            "br" => self.flush_words(),
            "hr" => {
                self.end_block();
                let rule = if self.markdown() { "---".to_owned() } else { "─".repeat(self.available().min(24)) };
                self.text(&rule, SpanStyle { role: Role::Meta, ..SpanStyle::default() });
                self.end_block();
            }
            _ if self.in_cell > 0 => {
                self.inline.open = false;
                self.children(node, style);
                self.inline.open = false;
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.end_block();
                if self.markdown() {
                    let level = name.as_bytes()[1] - b'0';
                    let hashes = "#".repeat(usize::from(level)) + " ";
                    self.prefixes.push(Prefix {
                        first: hashes.clone(),
                        rest: hashes,
                        role: Role::Heading,
                        used: false,
                    });
                }
                self.children(node, inline(Some(Role::Heading), |s| s.strong = true));
                self.end_block();
                if self.markdown() {
                    self.prefixes.pop();
                }
            }
            "ul" | "ol" | "menu" => self.list(node, style, &*name == "ol"),
            "blockquote" => {
                self.end_block();
                let bar = self.quote_bar();
                self.prefixes.push(Prefix { first: bar.into(), rest: bar.into(), role: Role::Quote, used: false });
                self.children(node, inline(Some(Role::Quote), |_| {}));
                self.end_block();
                self.prefixes.pop();
            }
            "pre" => self.preformatted(node),
            "table" => {
                self.end_block();
                self.children(node, style);
                self.end_block();
            }
            "tr" => {
                self.flush_words();
                self.in_cell += 1;
                let mut first = true;
                for cell in node.children_it(false).filter(|c| c.is_element()) {
                    if !first {
                        self.inline.open = false;
                        self.text("│", SpanStyle { role: Role::Meta, ..SpanStyle::default() });
                        self.inline.open = false;
                    }
                    first = false;
                    let header = cell.qual_name_ref().is_some_and(|q| &*q.local == "th");
                    self.children(&cell, if header { inline(None, |s| s.strong = true) } else { style });
                }
                self.in_cell -= 1;
                self.flush_words();
            }
            "dd" => {
                self.flush_words();
                self.prefixes.push(Prefix { first: "  ".into(), rest: "  ".into(), role: Role::Body, used: false });
                self.children(node, style);
                self.flush_words();
                self.prefixes.pop();
            }
            "dt" => {
                self.flush_words();
                self.children(node, inline(None, |s| s.strong = true));
                self.flush_words();
            }
            "figcaption" => {
                self.end_block();
                self.children(node, inline(Some(Role::Meta), |_| {}));
                self.end_block();
            }
            "p" | "div" | "section" | "article" | "main" | "header" | "footer" | "aside" | "nav" | "figure"
            | "address" | "details" | "summary" | "dl" | "fieldset" | "form" | "center" | "body" | "html" | "li" => {
                self.end_block();
                self.children(node, style);
                self.end_block();
            }
            _ => self.children(node, style),
        }
    }

    /// Text, split into words at breaking white space. No-break spaces (French
    /// typography's "13 h", "semaine :") keep their words together. Control and bidi
    /// characters are dropped here, so no escape sequence reaches the screen.
    fn text(&mut self, text: &str, style: SpanStyle) {
        // A run of kept characters goes in at once; a space or a dropped one ends it.
        let (mut from, mut width) = (0, 0);
        for (at, c) in text.char_indices() {
            let (breaks, kept, w) = if c.is_ascii() {
                (c.is_ascii_whitespace(), !c.is_ascii_control(), 1)
            } else {
                let breaks = c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{202f}' | '\u{2007}');
                (breaks, !breaks && !c.is_control() && !crate::sanitize::is_bidi_control(c), c.width().unwrap_or(0))
            };
            if kept && !breaks {
                width += w;
                continue;
            }
            if at > from {
                self.inline.push(&text[from..at], width, style);
            }
            if breaks {
                self.inline.open = false;
            }
            (from, width) = (at + c.len_utf8(), 0);
        }
        if text.len() > from {
            self.inline.push(&text[from..], width, style);
        }
    }

    fn link(&mut self, node: &NodeRef<'_>, style: SpanStyle) {
        let target = node.attr("href").and_then(|href| self.resolve(&href));
        let Some(target) = target else {
            self.children(node, style);
            return;
        };
        if self.markdown() {
            self.text("[", style);
            self.children(node, SpanStyle { role: Role::Link, ..style });
            self.close_mark(&format!("]({target})"), style);
            return;
        }
        let before = self.inline.text.len();
        self.children(node, SpanStyle { role: Role::Link, ..style });
        if self.inline.text.len() != before && self.mode != Mode::Machines {
            self.links.push(target);
            let mark = format!("[{}]", self.links.len());
            let open = std::mem::replace(&mut self.inline.open, true);
            self.text(&mark, SpanStyle { role: Role::LinkRef, ..SpanStyle::default() });
            self.inline.open = open;
        }
    }

    /// A link's target as an absolute http(s) or mailto URL; anchors within the page and
    /// scripts have none.
    fn resolve(&self, href: &str) -> Option<String> {
        let href = href.trim();
        if href.is_empty() || href.starts_with('#') {
            return None;
        }
        let url = match self.base {
            Some(base) => base.join(href).ok()?,
            None => Url::parse(href).ok()?,
        };
        matches!(url.scheme(), "http" | "https" | "mailto").then(|| url.to_string())
    }

    fn image(&mut self, node: &NodeRef<'_>) {
        let alt = node.attr("alt").map(|a| crate::sanitize::clean_line(&a)).unwrap_or_default();
        if alt.is_empty() || self.mode == Mode::Machines {
            return;
        }
        self.inline.open = false;
        let src = node.attr("src").and_then(|s| self.resolve(&s));
        self.images.extend(src.clone());
        let shown = match src {
            Some(src) if self.markdown() => format!("![{alt}]({src})"),
            _ => format!("[image: {alt}]"),
        };
        self.text(&shown, SpanStyle { role: Role::Image, ..SpanStyle::default() });
        self.inline.open = false;
    }

    /// An inline element; in Markdown, between its marks (`*`, `**`, `` ` ``, `~~`).
    fn marked(&mut self, node: &NodeRef<'_>, style: SpanStyle, mark: &str) {
        if !self.markdown() {
            self.children(node, style);
            return;
        }
        self.text(mark, style);
        self.children(node, style);
        self.close_mark(mark, style);
    }

    /// A closing mark joins the word before it, even across white space.
    fn close_mark(&mut self, mark: &str, style: SpanStyle) {
        self.inline.open = !self.inline.words.is_empty();
        self.text(mark, style);
    }

    fn list(&mut self, node: &NodeRef<'_>, style: SpanStyle, ordered: bool) {
        let nested = self.lists > 0;
        if nested {
            self.flush_words();
        } else {
            self.end_block();
        }
        self.lists += 1;
        let start = node.attr("start").and_then(|s| s.trim().parse::<i64>().ok()).unwrap_or(1);
        let items: Vec<_> = node.children_it(false).filter(|c| c.is_element()).collect();
        let number_width = format!("{}. ", start + items.len() as i64).width();
        for (i, item) in items.iter().enumerate() {
            self.flush_words();
            if i > 0 {
                self.gap = None;
            }
            let first = match ordered {
                true => format!("{:<number_width$}", format!("{}.", start + i as i64)),
                false => self.bullet().to_owned(),
            };
            let rest = " ".repeat(first.width());
            self.prefixes.push(Prefix { first, rest, role: Role::Body, used: false });
            self.children(item, style);
            self.flush_words();
            self.prefixes.pop();
        }
        self.lists -= 1;
        if nested {
            self.gap = None;
        } else {
            self.end_block();
        }
    }

    /// `<pre>`: lines kept as they are, split where wider than the pane.
    fn preformatted(&mut self, node: &NodeRef<'_>) {
        self.end_block();
        let text = node.text().replace('\t', "    ");
        let style = SpanStyle { role: Role::Code, ..SpanStyle::default() };
        self.may_overflow = true;
        let fence = self.markdown().then_some("```");
        for raw in fence.into_iter().chain(text.trim_matches('\n').lines()).chain(fence) {
            let clean = clean_text(raw);
            let mut line = self.prefix_spans();
            line.spans.push(Span { text: clean.trim_end().to_owned(), style });
            self.push_line(line);
        }
        self.end_block();
    }

    /// Ends the block being built: its words become lines, and a blank line is due.
    fn end_block(&mut self) {
        self.flush_words();
        let here = self.quotes();
        self.gap = Some(self.gap.map_or(here, |due| due.min(here)));
    }

    fn markdown(&self) -> bool {
        self.mode == Mode::Markdown
    }

    fn quote_bar(&self) -> &'static str {
        if self.markdown() { "> " } else { "│ " }
    }

    fn bullet(&self) -> &'static str {
        if self.markdown() { "- " } else { "• " }
    }

    fn quotes(&self) -> usize {
        self.prefixes.iter().filter(|p| p.role == Role::Quote).count()
    }

    fn available(&mut self) -> usize {
        let used: usize = self.prefixes.iter().map(|p| p.rest.width()).sum();
        if used >= self.width {
            self.may_overflow = true;
        }
        self.width.saturating_sub(used).max(1)
    }

    /// The prefixes for the next line, marking first-line prefixes as used.
    fn prefix_spans(&mut self) -> Line {
        let mut line = Line::default();
        for prefix in &mut self.prefixes {
            let text = if prefix.used { &prefix.rest } else { &prefix.first };
            push_text(&mut line, text, SpanStyle { role: prefix.role, ..SpanStyle::default() });
            prefix.used = true;
        }
        line
    }

    fn push_line(&mut self, line: Line) {
        if let Some(quotes) = self.gap.take().filter(|_| !self.lines.is_empty()) {
            // A blank line between two paragraphs of a quote keeps the quote's bar.
            let bars = quotes.min(self.quotes());
            let blank = match bars {
                0 => Line::default(),
                n => Line::plain(self.quote_bar().repeat(n).trim_end(), Role::Quote),
            };
            self.lines.push(blank);
        }
        self.lines.push(line);
    }

    /// The block's words, wrapped into lines behind their prefixes.
    fn flush_words(&mut self) {
        if self.inline.words.is_empty() {
            self.inline.open = false;
            return;
        }
        let inline = std::mem::take(&mut self.inline);
        let available = self.available();
        let words = split_wide_words(&inline, available);
        for row in textwrap::wrap_algorithms::wrap_first_fit(&words, &[available as f64]) {
            let mut line = self.prefix_spans();
            for (i, word) in row.iter().enumerate() {
                inline.put(word, &mut line);
                if word.space_after && i + 1 < row.len() {
                    let (here, next) = (inline.style_at(word.end - 1), inline.style_at(row[i + 1].start));
                    push_text(&mut line, " ", if here == next { here } else { SpanStyle::default() });
                }
            }
            self.push_line(line);
        }
        // The block's buffers are kept for the next block, emptied.
        self.inline = inline.cleared();
    }

    /// The lines, then the footnotes.
    fn finish(mut self) -> Vec<Line> {
        self.prefixes.clear();
        self.flush_words();
        let mut lines = self.lines;
        trim_blank_edges(&mut lines);
        if self.may_overflow {
            lines = fit(lines, self.width);
        }
        if !self.links.is_empty() {
            let mut notes = vec![Line::default()];
            for (n, url) in self.links.iter().enumerate() {
                let label = format!("[{}] ", n + 1);
                let indent = " ".repeat(label.len());
                let text = format!("{label}{}", readable_url(url));
                // URLs fill each line rather than break at their hyphens, which would misread.
                let options = textwrap::Options::new(self.width)
                    .subsequent_indent(&indent)
                    .word_separator(textwrap::WordSeparator::AsciiSpace)
                    .word_splitter(textwrap::WordSplitter::NoHyphenation)
                    .break_words(true);
                for part in textwrap::wrap(&text, options) {
                    notes.push(Line::plain(part.into_owned(), Role::Footnote));
                }
            }
            // In a pane narrower than the indent, even these overflow.
            lines.extend(fit(notes, self.width));
        }
        lines
    }
}

/// The block's words, with those wider than a line cut into pieces that fit.
fn split_wide_words(inline: &Inline, available: usize) -> Vec<Word> {
    if inline.words.iter().all(|w| w.width <= available) {
        return inline.words.clone();
    }
    let mut out = Vec::with_capacity(inline.words.len() + 4);
    for &word in &inline.words {
        if word.width <= available {
            out.push(word);
            continue;
        }
        let mut piece = Word { start: word.start, end: word.start, width: 0, space_after: false };
        for (offset, c) in inline.text[word.start..word.end].char_indices() {
            let w = c.width().unwrap_or(0);
            if piece.width + w > available && piece.width > 0 {
                out.push(piece);
                piece = Word { start: word.start + offset, end: word.start + offset, width: 0, space_after: false };
            }
            piece.end = word.start + offset + c.len_utf8();
            piece.width += w;
        }
        piece.space_after = word.space_after;
        out.push(piece);
    }
    out
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
    fn the_links_are_numbered_as_the_footnotes_and_images_listed() {
        let html = r##"<p><a href="/a">A</a> <a href="#top">top</a> <a href="https://b.example/Ch%C3%AAne">B</a>
            <img src="/i.jpg" alt="une image"> <a href="/empty"></a></p>"##;
        let base = Url::parse("https://site.example/post/").unwrap();
        let found = links(html, Some(&base));
        assert_eq!(found.links, ["https://site.example/a", "https://b.example/Ch%C3%AAne"]);
        assert_eq!(found.images, ["https://site.example/i.jpg"]);
        let shown = plain(&body(html, Some(&base), 60));
        assert!(shown.contains("A[1]") && shown.contains("B[2]"), "{shown}");
        assert!(shown.contains("[2] https://b.example/Chêne"), "shown decoded: {shown}");
    }
}
