//! The bottom line: what just happened (a message until the next key), the selected
//! source's error, refresh progress, and whether kiosque is offline.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::text::truncate;
use super::theme::Theme;
use crate::sanitize::clean_line;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Info,
    Error,
}

#[derive(Debug, Default)]
pub struct StatusLine {
    message: Option<(String, Level)>,
    /// Done, total and failed, of a refresh under way.
    progress: Option<(usize, usize, usize)>,
    offline: bool,
}

/// The search prompt, drawn in place of the status line while a search is typed. A long
/// search shows its end, where the typing is; the hint goes when there is no room.
/// A question on the status line, with the keys that answer it.
/// A question, and how to answer it: `yes`, the keys that say yes.
pub fn draw_question(frame: &mut Frame<'_>, area: Rect, theme: &Theme, question: &str, yes: &[String]) {
    let width = area.width as usize;
    let asked = format!(" {question} [{}/n]", yes.first().map_or("y", String::as_str));
    let hint = format!("{}: yes · any other key: no ", yes.join(" or "));
    let hint = if asked.width() + hint.width() < width && !yes.is_empty() { hint.as_str() } else { "" };
    let pad = width.saturating_sub(asked.width() + hint.width());
    let line =
        Line::from(vec![Span::styled(asked, theme.status), Span::raw(" ".repeat(pad)), Span::styled(hint, theme.date)]);
    frame.render_widget(Paragraph::new(line), area);
}

/// The search prompt: what is typed, `before` and `after` the cursor. A line too long for
/// the status line keeps the cursor in view, its cut ends marked `…`.
/// `keys`: those that search and close, for the hint.
pub fn draw_prompt(
    frame: &mut Frame<'_>,
    area: Rect,
    theme: &Theme,
    (before, after): (String, String),
    (search, close): (Option<String>, Option<String>),
) {
    const LABEL: &str = " Search: ";
    let hints: Vec<String> = [search.map(|k| format!("{k} searches")), close.map(|k| format!("{k} closes"))]
        .into_iter()
        .flatten()
        .chain(["\"a phrase\" prefix* ".to_owned()])
        .collect();
    let hint = hints.join(" · ");
    let width = area.width as usize;
    let mut room = width.saturating_sub(LABEL.width() + 1);
    let char_width = |c: char| unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    let mut shown: Vec<char> = Vec::new();
    for c in before.chars().rev() {
        if char_width(c) > room {
            if let Some(first) = shown.last_mut() {
                *first = '…';
            }
            room = 0;
            break;
        }
        shown.push(c);
        room -= char_width(c);
    }
    shown.reverse();
    shown.push('▏');
    for c in after.chars() {
        if char_width(c) > room {
            if let Some(last) = shown.last_mut().filter(|l| **l != '▏') {
                *last = '…';
            }
            break;
        }
        shown.push(c);
        room -= char_width(c);
    }
    let prompt = format!("{LABEL}{}", shown.iter().collect::<String>());
    let hint = if prompt.width() + hint.width() <= width { hint.as_str() } else { "" };
    let pad = width.saturating_sub(prompt.width() + hint.width());
    let line = Line::from(vec![
        Span::styled(prompt, theme.status),
        Span::raw(" ".repeat(pad)),
        Span::styled(hint, theme.date),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

impl StatusLine {
    pub fn info(&mut self, message: impl AsRef<str>) {
        self.message = Some((clean_line(message.as_ref()), Level::Info));
    }

    /// What background work brings (a refresh done, a page fetched): an info that does
    /// not hide an error still on the line, such as a warning at start-up, which the
    /// next key clears.
    pub fn news(&mut self, message: impl AsRef<str>) {
        if !matches!(self.message, Some((_, Level::Error))) {
            self.info(message);
        }
    }

    pub fn error(&mut self, message: impl AsRef<str>) {
        self.message = Some((clean_line(message.as_ref()), Level::Error));
    }

    /// What the line says now, for tests of what sets it.
    #[cfg(test)]
    pub fn message(&self) -> Option<&str> {
        self.message.as_ref().map(|(m, _)| m.as_str())
    }

    pub fn clear_message(&mut self) {
        self.message = None;
    }

    pub fn set_progress(&mut self, progress: Option<(usize, usize, usize)>) {
        self.progress = progress;
    }

    pub fn is_refreshing(&self) -> bool {
        self.progress.is_some()
    }

    pub fn set_offline(&mut self, offline: bool) {
        self.offline = offline;
    }

    /// `context` is shown when there is no message: the selected source's error.
    pub fn draw(
        &self,
        frame: &mut Frame<'_>,
        area: Rect,
        theme: &Theme,
        context: Option<String>,
        help_key: Option<String>,
    ) {
        let mut right: Vec<Span<'_>> = Vec::new();
        if let Some((done, total, failed)) = self.progress {
            right.push(Span::styled(crate::wording::progress(done, total, failed), theme.status_busy));
        } else if self.offline {
            right.push(Span::styled("offline", theme.status_error));
        }
        if let Some(key) = help_key {
            if !right.is_empty() {
                right.push(Span::raw("  "));
            }
            right.push(Span::styled(key, theme.help_key));
            right.push(Span::styled(" help", theme.status));
        }
        let right_width: usize = right.iter().map(|s| s.content.width()).sum();
        let (text, style): (String, Style) = match (&self.message, context) {
            (Some((text, Level::Info)), _) => (text.clone(), theme.status),
            (Some((text, Level::Error)), _) => (text.clone(), theme.status_error),
            (None, Some(context)) => (context, theme.error),
            (None, None) => (String::new(), theme.status),
        };
        let room = (area.width as usize).saturating_sub(right_width + 2);
        let left = truncate(&text, room);
        let pad = (area.width as usize).saturating_sub(left.width() + right_width + 1);
        let mut spans = vec![Span::raw(" "), Span::styled(left, style), Span::raw(" ".repeat(pad))];
        spans.extend(right);
        frame.render_widget(Paragraph::new(Line::from(spans)).style(theme.status), area);
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;

    use super::*;

    fn prompt(width: u16, typed: &str) -> String {
        prompt_at(width, typed, "")
    }

    fn prompt_at(width: u16, before: &str, after: &str) -> String {
        let mut terminal = Terminal::new(TestBackend::new(width, 1)).unwrap();
        let split = (before.to_owned(), after.to_owned());
        let keys = (Some("Enter".to_owned()), Some("Esc".to_owned()));
        terminal.draw(|frame| draw_prompt(frame, frame.area(), &Theme::default(), split, keys)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..width).map(|x| buffer[(x, 0)].symbol()).collect()
    }

    #[test]
    fn news_does_not_hide_an_error() {
        let mut line = StatusLine::default();
        line.error("the cache was damaged");
        line.news("refreshed: 3 new articles");
        assert_eq!(line.message.as_ref().map(|(m, _)| m.as_str()), Some("the cache was damaged"));
        line.clear_message();
        line.news("refreshed: 3 new articles");
        assert_eq!(line.message.as_ref().map(|(m, _)| m.as_str()), Some("refreshed: 3 new articles"));
        line.info("marked read");
        assert_eq!(line.message.as_ref().map(|(m, _)| m.as_str()), Some("marked read"), "an answer to a key shows");
    }

    #[test]
    fn the_prompt_keeps_the_end_of_a_long_search_and_drops_the_hint_first() {
        assert_eq!(
            prompt(80, "climat"),
            format!(" Search: climat▏{}Enter searches · Esc closes · \"a phrase\" prefix* ", " ".repeat(15))
        );
        assert_eq!(prompt(30, "climat").trim_end(), " Search: climat▏");
        assert_eq!(prompt(30, "une très longue recherche de mots"), " Search: …e recherche de mots▏");
    }

    #[test]
    fn a_question_names_the_keys_that_say_yes() {
        let asked = |yes: &[&str]| {
            let mut terminal = Terminal::new(TestBackend::new(80, 1)).unwrap();
            let yes: Vec<String> = yes.iter().map(|k| k.to_string()).collect();
            terminal
                .draw(|frame| draw_question(frame, frame.area(), &Theme::default(), "Mark 3 articles read?", &yes))
                .unwrap();
            let buffer = terminal.backend().buffer().clone();
            (0..80).map(|x| buffer[(x, 0)].symbol()).collect::<String>()
        };
        let default = asked(&["y", "Y", "Enter"]);
        assert!(default.starts_with(" Mark 3 articles read? [y/n]"), "{default}");
        assert!(default.ends_with("y or Y or Enter: yes · any other key: no "), "{default}");
        let oui = asked(&["o"]);
        assert!(oui.starts_with(" Mark 3 articles read? [o/n]") && oui.contains("o: yes"), "{oui}");
    }

    #[test]
    fn the_cursor_stays_in_view_with_what_follows_it() {
        assert_eq!(prompt_at(40, "l’éco", "logie").trim_end(), " Search: l’éco▏logie");
        assert_eq!(prompt_at(24, "climat", " et une longue suite").trim_end(), " Search: climat▏ et une…");
        assert_eq!(prompt_at(24, "une longue recherche", " suite").trim_end(), " Search: …gue recherche▏");
    }
}
