//! The help overlay, generated from the key map so that it lists the keys that work.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::keymap::KeyMap;
use super::theme::Theme;

/// Lines a page key scrolls the help by.
const PAGE: usize = 10;

/// An action while the help is open, `rows` long: where it scrolls to, or `None` when it
/// closes; and whether the reader quits.
pub fn scrolled(scroll: usize, action: Action, rows: usize) -> (Option<usize>, bool) {
    let last = rows.saturating_sub(1);
    match action {
        Action::Help | Action::Back | Action::BackOrQuit => (None, false),
        Action::Quit => (None, true),
        Action::Up => (Some(scroll.saturating_sub(1)), false),
        Action::Down => (Some((scroll + 1).min(last)), false),
        Action::PageUp => (Some(scroll.saturating_sub(PAGE)), false),
        Action::PageDown | Action::ReadOn => (Some((scroll + PAGE).min(last)), false),
        Action::Top => (Some(0), false),
        Action::Bottom => (Some(last), false),
        _ => (Some(scroll), false),
    }
}

/// The help's lines for `keymap`, `rows` long: for the scroll's end.
pub fn rows(keymap: &KeyMap) -> usize {
    keymap.sections().iter().map(|(_, rows)| rows.len() + 2).sum()
}

/// For each layer, under its heading: a line a key, the action's name (which `[keys]`
/// in the config binds), and its description wrapped under itself to fit `width`
/// columns.
fn lines(keymap: &KeyMap, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let sections = keymap.sections();
    let all = || sections.iter().flat_map(|(_, rows)| rows);
    let keys_width = all().map(|(k, _, _)| k.width()).max().unwrap_or(0);
    let names_width = all().map(|(_, _, n)| n.width()).max().unwrap_or(0);
    let lead = keys_width + names_width + 4;
    let room = width.saturating_sub(lead).max(12);
    // The columns before a description, then the description wrapped under itself.
    let described = |keys: &str, name: &str, what: &str| -> Vec<Line<'static>> {
        let mut parts = wrap(what, room).into_iter();
        let spans = vec![
            Span::styled(format!("{keys:keys_width$}  "), theme.help_key),
            Span::styled(format!("{name:names_width$}  "), theme.date),
            Span::raw(parts.next().unwrap_or_default()),
        ];
        let rest = parts.map(|rest| Line::from(format!("{:lead$}{rest}", "")));
        std::iter::once(Line::from(spans)).chain(rest).collect()
    };
    let mut lines = Vec::new();
    for (heading, rows) in &sections {
        if !heading.is_empty() {
            lines.push(Line::from(""));
            lines.push(Line::from(Span::styled(*heading, theme.pane_title)));
        }
        lines.extend(rows.iter().flat_map(|(keys, what, name)| described(keys, name, what)));
    }
    lines
}

/// `text` in lines of at most `width` columns, broken between words.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.width() + 1 + word.width() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Draws the help centred over `area`, scrolled by up to `scroll` lines.
pub fn draw(frame: &mut Frame<'_>, area: Rect, keymap: &KeyMap, theme: &Theme, scroll: usize) {
    let lines = lines(keymap, theme, area.width.saturating_sub(4) as usize);
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let height = lines.len() as u16 + 2;
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    let block = Block::bordered()
        .title(Span::styled(" Keys ", theme.pane_title))
        .title_bottom(Line::from(" names for [keys] in the config · Esc or q to close ").right_aligned())
        .border_style(theme.border_focused);
    let inner = block.inner(rect).inner(ratatui::layout::Margin { vertical: 0, horizontal: 1 });
    let max_scroll = lines.len().saturating_sub(inner.height as usize);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max_scroll) as u16, 0)), inner);
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn descriptions_wrap_between_words() {
        assert_eq!(
            wrap("open the article, or open/close a folder", 20),
            ["open the article, or", "open/close a folder"]
        );
        assert_eq!(wrap("quit", 20), ["quit"]);
    }
}
