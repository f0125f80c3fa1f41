//! Small text helpers for drawing: fitting strings to columns, and article lines as
//! ratatui lines.

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Margin, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Scrollbar, ScrollbarOrientation, ScrollbarState};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::theme::Theme;
use crate::render;

/// `s` cut to `width` columns, ending in "…" when cut.
pub fn truncate(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// An article line in the theme's styles, with the words of a search (`highlighted`)
/// standing out.
pub fn styled<'a>(line: &'a render::Line, theme: &Theme, matches: &[String]) -> Line<'a> {
    let spans = line.spans.iter().flat_map(|s| {
        let style = theme.text(s.style);
        highlighted(&s.text, matches, style, style.patch(theme.search_match))
    });
    Line::from(spans.collect::<Vec<_>>())
}

/// `text` in spans, the words that `matches` names in `hit` style.
pub fn highlighted<'a>(text: &'a str, matches: &[String], style: Style, hit: Style) -> Vec<Span<'a>> {
    if matches.is_empty() {
        return vec![Span::styled(text, style)];
    }
    let mut spans = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let start = rest.find(char::is_alphanumeric).unwrap_or(rest.len());
        let end = rest[start..].find(|c: char| !c.is_alphanumeric()).map_or(rest.len(), |e| start + e);
        let word = crate::sanitize::fold(&rest[start..end]);
        let hits = matches.iter().any(|m| match m.strip_suffix('*') {
            Some(prefix) => word.starts_with(prefix),
            None => word == *m,
        });
        if start > 0 {
            spans.push(Span::styled(&rest[..start], style));
        }
        if end > start {
            spans.push(Span::styled(&rest[start..end], if hits { hit } else { style }));
        }
        rest = &rest[end..];
    }
    spans
}

/// Writes lines one per row of `area`, clipped to its width, as `Buffer::set_line` does.
/// Our lines are already laid out to fit, so this skips Paragraph's wrapping machinery;
/// and text whose every character takes one column (most of any news text, accents
/// included) goes to the cells a character at a time, without the search for grapheme
/// clusters that is most of the cost of a frame.
pub fn put_lines<'a>(buffer: &mut Buffer, area: Rect, lines: impl IntoIterator<Item = Line<'a>>) {
    for (y, line) in (area.y..area.bottom()).zip(lines) {
        let mut x = area.x;
        for span in &line.spans {
            if x >= area.right() {
                break;
            }
            let style = line.style.patch(span.style);
            if span.content.chars().all(one_column) {
                for c in span.content.chars().take(usize::from(area.right() - x)) {
                    buffer[(x, y)].set_char(c).set_style(style);
                    x += 1;
                }
            } else {
                x = buffer.set_stringn(x, y, &span.content, usize::from(area.right() - x), style).0;
            }
        }
    }
}

/// A character that is a whole grapheme one column wide: not a control, not a mark that
/// joins the one before, not half of a flag.
fn one_column(c: char) -> bool {
    c.width() == Some(1) && !('\u{1F1E6}'..='\u{1F1FF}').contains(&c)
}

/// A thin scrollbar on the right border of `area`, for content that scrolls `range`
/// rows and stands at `position`; nothing when there is nothing to scroll.
pub fn put_scrollbar(frame: &mut Frame<'_>, area: Rect, range: usize, position: usize) {
    if range == 0 {
        return;
    }
    let mut state = ScrollbarState::new(range).position(position);
    let bar = Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .begin_symbol(None)
        .end_symbol(None)
        .track_symbol(Some("│"))
        .thumb_symbol("┃");
    frame.render_stateful_widget(bar, area.inner(Margin { vertical: 1, horizontal: 0 }), &mut state);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_counts_columns_not_bytes() {
        assert_eq!(truncate("Écologie", 20), "Écologie");
        assert_eq!(truncate("Écologie urbaine", 8), "Écologi…");
        assert_eq!(truncate("日本語のニュース", 7), "日本語…");
        assert!(truncate("日本語のニュース", 7).width() <= 7);
        assert_eq!(truncate("abc", 0), "");
    }
}
