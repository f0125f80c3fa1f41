//! The article's links and images as a list over the panes (`u`), numbered as the text
//! numbers its footnotes, then the files attached (a podcast's audio, with its type and
//! size): Enter opens one, `y` copies it, digits jump to `[n]`.
//! URLs are shown as a person reads them (`render::readable_url`) and opened as they are.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::action::LinkAction;
use super::pane::Effect;
use super::text::truncate;
use super::theme::Theme;
use crate::model::Enclosure;
use crate::render::{Target, readable_url};

#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// `[3]`, or the kind of file attached (`audio`).
    label: String,
    url: String,
    shown: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkList {
    entries: Vec<Entry>,
    selected: usize,
    /// The digits typed so far, for `[12]`.
    typed: String,
}

/// What a key does in the list: its action, or, bound to none, the character it types.
pub enum Input {
    Action(LinkAction),
    Typed(char),
}

impl LinkList {
    /// `None` when the article points nowhere.
    pub fn new(found: Vec<Target>, enclosures: Vec<Enclosure>) -> Option<LinkList> {
        let notes = found.into_iter().enumerate().map(|(n, target)| {
            let about = if target.image { " · image" } else { "" };
            (format!("[{}]", n + 1), target.url, about.to_owned())
        });
        let files = enclosures.into_iter().map(|file| {
            let kind =
                file.mime.as_deref().and_then(|m| m.split('/').next()).filter(|k| matches!(*k, "audio" | "video"));
            let about: Vec<String> = file.mime.iter().cloned().chain(file.length.map(size)).collect();
            let about = if about.is_empty() { String::new() } else { format!(" · {}", about.join(" · ")) };
            (kind.unwrap_or("file").to_owned(), file.url, about)
        });
        let entries: Vec<Entry> = notes
            .chain(files)
            .map(|(label, url, about)| Entry { label, shown: format!("{}{about}", readable_url(&url)), url })
            .collect();
        (!entries.is_empty()).then_some(LinkList { entries, selected: 0, typed: String::new() })
    }

    /// What a key does: `Some(None)` keeps the list open, `None` closes it, and an effect
    /// is for the app to apply (open or copy the selected link).
    pub fn update(&mut self, input: Input) -> Option<Option<Effect>> {
        let last = self.entries.len() - 1;
        let typed = std::mem::take(&mut self.typed);
        match input {
            Input::Action(LinkAction::Close) => return None,
            Input::Action(LinkAction::Open) => return Some(Some(Effect::OpenInBrowser(self.url().to_owned()))),
            Input::Action(LinkAction::Copy) => return Some(Some(Effect::Copy(self.url().to_owned()))),
            Input::Action(LinkAction::Up) => self.selected = self.selected.saturating_sub(1),
            Input::Action(LinkAction::Down) => self.selected = (self.selected + 1).min(last),
            Input::Action(LinkAction::Top) => self.selected = 0,
            Input::Action(LinkAction::Bottom) => self.selected = last,
            Input::Typed(digit) if digit.is_ascii_digit() => {
                // "1" then "2" goes to [12] when there is one, else starts again at [2].
                let number = |text: &str| text.parse::<usize>().ok().filter(|n| (1..=self.links()).contains(n));
                let (typed, n) = match number(&format!("{typed}{digit}")) {
                    Some(n) => (format!("{typed}{digit}"), Some(n)),
                    None => (digit.to_string(), number(&digit.to_string())),
                };
                if let Some(n) = n {
                    self.selected = n - 1;
                    self.typed = typed;
                }
            }
            Input::Typed(_) => {}
        }
        Some(None)
    }

    fn url(&self) -> &str {
        &self.entries[self.selected].url
    }

    /// How many entries are numbered, not files attached.
    fn links(&self) -> usize {
        self.entries.iter().filter(|e| e.label.starts_with('[')).count()
    }

    /// Drawn centred over `area`, the selection kept in view; `hint` says the keys.
    pub fn draw(&self, frame: &mut Frame<'_>, area: Rect, theme: &Theme, hint: &str) {
        let label_width = self.entries.iter().map(|e| e.label.width()).max().unwrap_or(0);
        let widest = self.entries.iter().map(|e| label_width + 1 + e.shown.width()).max().unwrap_or(0);
        let width = (widest.max(hint.width()) + 4).min(area.width as usize) as u16;
        let height = (self.entries.len() + 2).min(area.height as usize) as u16;
        let [row] = Layout::vertical([Constraint::Length(height)]).flex(Flex::Center).areas(area);
        let [rect] = Layout::horizontal([Constraint::Length(width)]).flex(Flex::Center).areas(row);
        let block = Block::bordered()
            .title(Span::styled(" Links ", theme.pane_title))
            .title_bottom(Line::from(hint.to_owned()).right_aligned())
            .border_style(theme.border_focused);
        let inner = block.inner(rect).inner(ratatui::layout::Margin { vertical: 0, horizontal: 1 });
        let rows = inner.height as usize;
        let top = self.selected.saturating_sub(rows.saturating_sub(1));
        let room = (inner.width as usize).saturating_sub(label_width + 1);
        let lines: Vec<Line<'_>> = self
            .entries
            .iter()
            .enumerate()
            .skip(top)
            .take(rows)
            .map(|(i, entry)| {
                let (label, url) = match i == self.selected {
                    true => (theme.help_key.patch(theme.selected), theme.selected),
                    false => (theme.help_key, ratatui::style::Style::default()),
                };
                Line::from(vec![
                    Span::styled(format!("{:>label_width$} ", entry.label), label),
                    Span::styled(truncate(&entry.shown, room), url),
                ])
            })
            .collect();
        frame.render_widget(Clear, rect);
        frame.render_widget(block, rect);
        frame.render_widget(Paragraph::new(lines), inner);
    }
}

/// A file's size as a person reads it: "27 MB", "512 KB".
fn size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 => format!("{:.1} GB", b as f64 / f64::from(1 << 30)),
        b if b >= 1 << 20 => format!("{} MB", (b + (1 << 19)) >> 20),
        b if b >= 1 << 10 => format!("{} KB", (b + 512) >> 10),
        b => format!("{b} bytes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_listed_last_with_their_kind_type_and_size() {
        let audio = Enclosure {
            url: "https://cdn.example/e.mp3".to_owned(),
            mime: Some("audio/mpeg".to_owned()),
            length: Some(28_311_552),
        };
        let other = Enclosure { url: "https://cdn.example/e.pdf".to_owned(), mime: None, length: None };
        let list =
            LinkList::new(vec![Target { url: "https://a.example/".to_owned(), image: false }], vec![audio, other])
                .unwrap();
        let shown: Vec<(&str, &str)> = list.entries.iter().map(|e| (e.label.as_str(), e.shown.as_str())).collect();
        assert_eq!(
            shown,
            [
                ("[1]", "https://a.example/"),
                ("audio", "https://cdn.example/e.mp3 · audio/mpeg · 27 MB"),
                ("file", "https://cdn.example/e.pdf"),
            ]
        );
        assert_eq!(
            (size(512), size(1_536), size(3 << 30)),
            ("512 bytes".to_owned(), "2 KB".to_owned(), "3.0 GB".to_owned())
        );
        assert!(LinkList::new(Vec::new(), Vec::new()).is_none());
    }

    fn list(links: usize, images: usize) -> LinkList {
        let page = (1..=links).map(|n| Target { url: format!("https://a.example/{n}"), image: false });
        let images = (1..=images).map(|n| Target { url: format!("https://a.example/{n}.jpg"), image: true });
        let found = page.chain(images).collect();
        LinkList::new(found, Vec::new()).unwrap()
    }

    fn opened(list: &mut LinkList) -> Option<Option<Effect>> {
        list.update(Input::Action(LinkAction::Open))
    }

    #[test]
    fn digits_jump_to_the_numbered_link_and_enter_opens_it() {
        let mut links = list(12, 1);
        links.update(Input::Typed('3'));
        assert_eq!(opened(&mut links), Some(Some(Effect::OpenInBrowser("https://a.example/3".to_owned()))));
        links.update(Input::Typed('1'));
        links.update(Input::Typed('2'));
        assert_eq!(links.selected, 11, "[12]");
        links.update(Input::Typed('1'));
        links.update(Input::Typed('5'));
        assert_eq!(links.selected, 4, "no [15]: [5]");
        links.update(Input::Action(LinkAction::Bottom));
        assert_eq!(
            links.update(Input::Action(LinkAction::Copy)),
            Some(Some(Effect::Copy("https://a.example/1.jpg".to_owned()))),
            "the image comes last"
        );
        assert_eq!(links.update(Input::Action(LinkAction::Close)), None);
    }

    #[test]
    fn moves_stay_in_the_list_and_an_article_without_links_has_none() {
        let mut links = list(2, 0);
        links.update(Input::Action(LinkAction::Up));
        assert_eq!(links.selected, 0);
        links.update(Input::Action(LinkAction::Down));
        links.update(Input::Action(LinkAction::Down));
        assert_eq!(links.selected, 1);
        links.update(Input::Typed('x'));
        assert_eq!(links.selected, 1, "a letter does nothing");
        assert!(LinkList::new(Vec::new(), Vec::new()).is_none());
    }
}
