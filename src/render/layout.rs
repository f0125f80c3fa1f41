//! An article's HTML laid out by html2text, which owns the layout: blocks and their
//! spacing, wrapping, nested lists, quotes, preformatted text and aligned tables. What
//! html2text leaves to its user is added here, as a layer on its output: the role each
//! piece of text plays (for the theme), links and images numbered as footnotes that the
//! link list shares, and the marks of each kind of output (screen, text, Markdown).
//!
//! html2text says what a block is only through its prefix or a colour from CSS. So
//! headings, quotes and captions get colours of our own from agent CSS (the page's own
//! CSS is never read), and come back as roles. Quote bars, bullets and the space after
//! an item's number are laid out as placeholder control characters, replaced by their
//! glyphs afterwards: html2text counts a prefix's bytes as its width, so "│ " would
//! narrow every quote by two columns; and the placeholders tell where a list starts,
//! which html2text does not set apart from the paragraph before it as it sets other
//! blocks. The input holds no control characters (`clean_markup`), so only a prefix can
//! make them.

use std::cell::RefCell;
use std::rc::Rc;

use html2text::Colour;
use html2text::render::{TaggedLine, TextDecorator};
use url::Url;

use super::{Line, Role, Span, SpanStyle, Target};
use crate::html_limits::{MAX_DEPTH, Mending, prepare_mending};
use crate::sanitize::{clean_line, clean_markup, clean_text};

/// What the layout is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    /// Styled lines for the screen, links and images numbered as footnotes.
    Screen,
    /// Text alone: no footnote marks, no image placeholders, no table borders, no list
    /// bullets or numbers.
    Machines,
    /// Markdown's marks, links inline.
    Markdown,
}

/// An article laid out: its lines, and what its footnotes point to, in their order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Laid {
    pub lines: Vec<Line>,
    pub targets: Vec<Target>,
}

/// The placeholders of a quote's bar, a list item's bullet and the space after an item's
/// number, each as wide as what replaces it.
const QUOTE: &str = "\u{1}\u{1}";
const BULLET: &str = "\u{2}\u{2}";
const NUMBERED: char = '\u{3}';

/// Elements html2text runs inline that are blocks: laid out as the `div`s they act as.
/// (And html2text drops what a list holds outside its items: `Mending` puts a list
/// straight inside another into an item.)
/// A figure's caption keeps a mark of its own, for its colour.
const BLOCKS: &[(&str, &str)] = &[
    ("figcaption", "div data-kiosque-caption"),
    // A table's caption goes above it (the parser moves a `div` out of a table).
    ("caption", "div data-kiosque-caption"),
    ("figure", "div"),
    ("section", "div"),
    ("article", "div"),
    ("main", "div"),
    ("header", "div"),
    ("footer", "div"),
    ("aside", "div"),
    ("nav", "div"),
    ("address", "div"),
    ("details", "div"),
    ("summary", "div"),
    ("fieldset", "div"),
    ("form", "div"),
    ("center", "div"),
    ("hgroup", "div"),
];

/// The colours the agent CSS gives the blocks with a role of their own.
const ROLES: [(Role, Colour); 3] = [
    (Role::Heading, Colour { r: 0x6b, g: 0, b: 1 }),
    (Role::Quote, Colour { r: 0x6b, g: 0, b: 2 }),
    (Role::Meta, Colour { r: 0x6b, g: 0, b: 3 }),
];

/// The narrowest a table's column gets, in columns.
const MIN_COLUMN: usize = 8;

const AGENT_CSS: &str = "h1, h2, h3, h4, h5, h6 { color: #6b0001; }
blockquote { color: #6b0002; }
div[data-kiosque-caption] { color: #6b0003; }";

/// Lays `html` out `width` columns wide (lines may be wider where nothing can wrap: the
/// caller fits them), relative links resolved against `base`.
pub(super) fn lay_out(html: &str, base: Option<&Url>, width: usize, mode: Mode) -> Laid {
    let clean = clean_markup(html);
    let prepared = prepare_mending(&clean, MAX_DEPTH, &Mending { renames: BLOCKS, lists_into_items: true });
    let notes = Rc::new(RefCell::new(Notes { base: base.cloned(), ..Notes::default() }));
    let marks = Marks { mode, notes: Rc::clone(&notes) };
    // A table's columns are at least as wide as a number or a short word (html2text's
    // default of 3 split "2025" over two lines); a table that cannot give each column
    // that lists its cells one under the other.
    let config = html2text::config::with_decorator(marks)
        .allow_width_overflow()
        .min_wrap_width(MIN_COLUMN)
        .unicode_strikeout(false);
    let config = match mode {
        Mode::Screen => config,
        Mode::Machines => config.no_table_borders(),
        // Its columns line up in a fixed-width block, not as Markdown's pipes.
        Mode::Markdown => config.fence_tables(),
    };
    let laid = crate::guard::guarded(|| {
        config.add_agent_css(AGENT_CSS).and_then(|config| config.lines_from_read(prepared.as_bytes(), width.max(1)))
    })
    .and_then(|laid| laid.map_err(|e| e.to_string()));
    let lines = match laid {
        Ok(tagged) => lines(&tagged, mode),
        Err(e) => {
            // Not seen with width overflow allowed; the words are still the article's.
            tracing::warn!("html2text could not lay an article out: {e}");
            vec![Line::plain(super::inline_text(&prepared), Role::Body)]
        }
    };
    let targets = std::mem::take(&mut notes.borrow_mut().targets);
    Laid { lines, targets }
}

/// What html2text attaches to a piece of text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Mark {
    #[default]
    Plain,
    /// A link, with its footnote's number.
    Link(usize),
    /// An image, with its footnote's number (0: its address is none to open).
    Image(usize),
    Emphasis,
    Strong,
    Strike,
    Code,
    Preformatted,
    /// A block with a role of its own, from the agent CSS.
    Block(Role),
}

/// The footnotes as they are numbered, shared by the decorators of all sub-blocks.
#[derive(Default)]
struct Notes {
    base: Option<Url>,
    targets: Vec<Target>,
    /// The numbers of the links open around the text being laid out.
    open: Vec<Option<usize>>,
}

#[derive(Clone)]
struct Marks {
    mode: Mode,
    notes: Rc<RefCell<Notes>>,
}

impl Marks {
    /// Numbers `href` as the next footnote, when it is one to open.
    fn note(&self, href: &str, image: bool) -> Option<usize> {
        let mut notes = self.notes.borrow_mut();
        let url = super::resolve(notes.base.as_ref(), href)?;
        notes.targets.push(Target { url, image });
        Some(notes.targets.len())
    }

    /// `mark` in Markdown, nothing elsewhere.
    fn markdown(&self, mark: &str) -> String {
        if self.mode == Mode::Markdown { mark.to_owned() } else { String::new() }
    }
}

impl TextDecorator for Marks {
    type Annotation = Mark;

    fn decorate_link_start(&mut self, url: &str) -> (String, Mark) {
        let number = self.note(url, false);
        self.notes.borrow_mut().open.push(number);
        match number {
            Some(n) => (self.markdown("["), Mark::Link(n)),
            None => (String::new(), Mark::Plain),
        }
    }

    fn decorate_link_end(&mut self) -> String {
        let number = self.notes.borrow_mut().open.pop().flatten();
        match (self.mode, number) {
            (Mode::Screen, Some(n)) => format!("[{n}]"),
            (Mode::Markdown, Some(n)) => format!("]({})", self.notes.borrow().targets[n - 1].url),
            _ => String::new(),
        }
    }

    fn decorate_em_start(&self) -> (String, Mark) {
        (self.markdown("*"), Mark::Emphasis)
    }

    fn decorate_em_end(&self) -> String {
        self.markdown("*")
    }

    fn decorate_strong_start(&self) -> (String, Mark) {
        (self.markdown("**"), Mark::Strong)
    }

    fn decorate_strong_end(&self) -> String {
        self.markdown("**")
    }

    fn decorate_strikeout_start(&self) -> (String, Mark) {
        (self.markdown("~~"), Mark::Strike)
    }

    fn decorate_strikeout_end(&self) -> String {
        self.markdown("~~")
    }

    fn decorate_code_start(&self) -> (String, Mark) {
        (self.markdown("`"), Mark::Code)
    }

    fn decorate_code_end(&self) -> String {
        self.markdown("`")
    }

    fn decorate_superscript_start(&self) -> (String, Mark) {
        // "1er", not html2text's "1^{er}".
        (String::new(), Mark::Plain)
    }

    fn decorate_superscript_end(&self) -> String {
        String::new()
    }

    fn decorate_preformat_first(&self) -> Mark {
        Mark::Preformatted
    }

    fn decorate_preformat_cont(&self) -> Mark {
        Mark::Preformatted
    }

    fn decorate_image(&mut self, src: &str, alt: &str) -> (String, Mark) {
        let number = self.note(src, true);
        let alt = clean_line(alt);
        match (self.mode, number) {
            (Mode::Machines, _) => (String::new(), Mark::Plain),
            (Mode::Screen, Some(n)) => (format!("[image: {alt}][{n}]"), Mark::Image(n)),
            (Mode::Screen, None) => (format!("[image: {alt}]"), Mark::Image(0)),
            (Mode::Markdown, Some(n)) => (format!("![{alt}]({})", self.notes.borrow().targets[n - 1].url), Mark::Plain),
            (Mode::Markdown, None) => (alt, Mark::Plain),
        }
    }

    fn header_prefix(&self, level: usize) -> String {
        self.markdown(&("#".repeat(level) + " "))
    }

    fn quote_prefix(&self) -> String {
        QUOTE.to_owned()
    }

    fn unordered_item_prefix(&self) -> String {
        BULLET.to_owned()
    }

    // Machines get an item's text alone: a list's numbers are the layout's, not words of
    // the article (a search for "3" should not find every third step).
    fn ordered_item_prefix(&self, i: i64) -> String {
        if self.mode == Mode::Machines { BULLET.to_owned() } else { format!("{i}.{NUMBERED}") }
    }

    fn make_subblock_decorator(&self) -> Marks {
        self.clone()
    }

    fn push_colour(&mut self, colour: Colour) -> Option<Mark> {
        // Only the agent CSS gives colours; each is pushed, so each pop has its push.
        Some(ROLES.iter().find(|(_, c)| *c == colour).map_or(Mark::Plain, |(role, _)| Mark::Block(*role)))
    }

    fn pop_colour(&mut self) -> bool {
        true
    }

    fn finalise(&mut self, _: Vec<String>) -> Vec<TaggedLine<Mark>> {
        // Footnotes are written by `super`, wrapped to the pane, from `Notes`.
        Vec::new()
    }
}

/// html2text's lines as ours: a list set apart from the text before it, and in Markdown,
/// preformatted text fenced.
fn lines(tagged: &[TaggedLine<Vec<Mark>>], mode: Mode) -> Vec<Line> {
    let mut out = Vec::with_capacity(tagged.len() + 2);
    let (mut in_fence, mut in_list) = (false, false);
    for line in tagged {
        if mode == Mode::Markdown {
            let preformatted = line.tagged_strings().any(|s| s.tag.contains(&Mark::Preformatted));
            if preformatted != in_fence {
                out.push(Line::plain("```", Role::Code));
                in_fence = preformatted;
            }
        }
        let (quotes, item) = list_item(line);
        let blank =
            out.last().is_some_and(|l: &Line| l.spans.iter().all(|s| s.text.trim_matches(['│', '>', ' ']).is_empty()));
        if item && !in_list && !blank && !out.is_empty() {
            let mut gap = Line::default();
            put_prefixed(&mut gap, &QUOTE.repeat(quotes), SpanStyle::default(), mode);
            out.push(gap);
        }
        in_list = (in_list || item) && !blank;
        let mut converted = Line::default();
        for piece in line.tagged_strings() {
            put(&mut converted, &piece.s, &piece.tag, mode);
        }
        out.push(converted);
    }
    if in_fence {
        out.push(Line::plain("```", Role::Code));
    }
    out
}

/// How many quotes a line is in, and whether it starts a list's item.
fn list_item(line: &TaggedLine<Vec<Mark>>) -> (usize, bool) {
    let mut chars = line.tagged_strings().flat_map(|s| s.s.chars()).filter(|c| *c != ' ');
    let mut quotes = 0;
    loop {
        match chars.next() {
            Some('\u{1}') => quotes += 1,
            Some('\u{2}') => return (quotes / 2, true),
            Some(c) if c.is_ascii_digit() => {
                let number = chars.find(|c| !c.is_ascii_digit());
                let dot = number == Some('.') && chars.next() == Some(NUMBERED);
                return (quotes / 2, dot);
            }
            _ => return (quotes / 2, false),
        }
    }
}

/// Appends a piece of html2text's output to `line`, in the style its marks give it.
fn put(line: &mut Line, text: &str, marks: &[Mark], mode: Mode) {
    let mut style = SpanStyle::default();
    let mut note = None;
    for mark in marks {
        match mark {
            Mark::Plain => {}
            Mark::Link(n) => (style.role, note) = (Role::Link, Some(*n)),
            Mark::Image(n) => (style.role, note) = (Role::Image, Some(*n)),
            Mark::Emphasis => style.emphasis = true,
            Mark::Strong => style.strong = true,
            Mark::Strike => style.strike = true,
            Mark::Code | Mark::Preformatted => style.role = Role::Code,
            Mark::Block(role) => {
                style.role = *role;
                style.strong |= *role == Role::Heading;
            }
        }
    }
    // A link's or an image's text ends with its footnote's number.
    let mark = note.filter(|n| *n > 0 && mode == Mode::Screen).map(|n| format!("[{n}]"));
    let (text, reference) = match mark.as_deref().and_then(|m| text.strip_suffix(m).map(|t| (t, m))) {
        Some((text, reference)) => (text, Some(reference)),
        None => (text, None),
    };
    put_prefixed(line, text, style, mode);
    if let Some(reference) = reference {
        push(line, reference, SpanStyle { role: Role::LinkRef, ..SpanStyle::default() });
    }
}

/// Text with the placeholders of quote bars, bullets and numbers made glyphs.
fn put_prefixed(line: &mut Line, text: &str, style: SpanStyle, mode: Mode) {
    let markdown = mode == Mode::Markdown;
    let mut rest = text;
    while let Some(at) = rest.find(['\u{1}', '\u{2}', NUMBERED]) {
        put_text(line, &rest[..at], style);
        let after = &rest[at..];
        let (glyph, role, used) = if after.starts_with(QUOTE) {
            (if markdown { "> " } else { "│ " }, Role::Quote, QUOTE.len())
        } else if after.starts_with(BULLET) {
            let glyph = match mode {
                Mode::Markdown => "- ",
                Mode::Machines => "  ",
                Mode::Screen => "• ",
            };
            (glyph, Role::Body, BULLET.len())
        } else if after.starts_with(NUMBERED) {
            (" ", style.role, NUMBERED.len_utf8())
        } else {
            ("", Role::Body, 1)
        };
        push(line, glyph, SpanStyle { role, ..SpanStyle::default() });
        rest = &after[used..];
    }
    put_text(line, rest, style);
}

/// Text as the screen may show it; a table's borders in plain text are drawn dim.
fn put_text(line: &mut Line, text: &str, style: SpanStyle) {
    let text = clean_text(text);
    if style != SpanStyle::default() || !text.contains(is_border) {
        push(line, &text, style);
        return;
    }
    let border = SpanStyle { role: Role::Meta, ..SpanStyle::default() };
    let mut rest = text.as_str();
    while let Some(at) = rest.find(is_border) {
        push(line, &rest[..at], style);
        let end = rest[at..].find(|c| !is_border(c)).map_or(rest.len(), |e| at + e);
        push(line, &rest[at..end], border);
        rest = &rest[end..];
    }
    push(line, rest, style);
}

/// The box-drawing characters html2text draws tables with.
fn is_border(c: char) -> bool {
    ('\u{2500}'..='\u{257f}').contains(&c)
}

fn push(line: &mut Line, text: &str, style: SpanStyle) {
    if text.is_empty() {
        return;
    }
    match line.spans.last_mut() {
        Some(last) if last.style == style => last.text.push_str(text),
        _ => line.spans.push(Span { text: text.to_owned(), style }),
    }
}
