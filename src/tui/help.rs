//! The help overlay, generated from the key map so that it lists the keys that work.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::keymap::KeyMap;
use super::theme::Theme;

fn lines(keymap: &KeyMap, theme: &Theme) -> Vec<Line<'static>> {
    let rows = keymap.help();
    let keys_width = rows.iter().map(|(k, _)| k.width()).max().unwrap_or(0);
    rows.into_iter()
        .map(|(keys, what)| {
            let pad = " ".repeat(keys_width - keys.width() + 2);
            Line::from(vec![Span::styled(keys, theme.help_key), Span::raw(pad), Span::raw(what)])
        })
        .collect()
}

/// Draws the help centred over `area`, scrolled by up to `scroll` lines.
pub fn draw(frame: &mut Frame<'_>, area: Rect, keymap: &KeyMap, theme: &Theme, scroll: usize) {
    let lines = lines(keymap, theme);
    let width = lines.iter().map(Line::width).max().unwrap_or(0) as u16 + 4;
    let height = lines.len() as u16 + 2;
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))]).flex(Flex::Center).areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width.min(area.width))]).flex(Flex::Center).areas(row);
    let block = Block::bordered()
        .title(Span::styled(" Keys ", theme.pane_title))
        .title_bottom(Line::from(" Esc or q to close ").right_aligned())
        .border_style(theme.border_focused);
    let inner = block.inner(rect).inner(ratatui::layout::Margin { vertical: 0, horizontal: 1 });
    let max_scroll = lines.len().saturating_sub(inner.height as usize);
    frame.render_widget(Clear, rect);
    frame.render_widget(block, rect);
    frame.render_widget(Paragraph::new(lines).scroll((scroll.min(max_scroll) as u16, 0)), inner);
}
