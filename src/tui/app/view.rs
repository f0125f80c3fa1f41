//! How the app lays its panes out and draws them, with what the panes' titles and an
//! empty list say gathered from the state around them: what the screen shows of the
//! state, never a change to it (`fit` only sizes the panes to the window).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

use super::{App, Layer, Pane};
use crate::model::Scope;
use crate::store;
use crate::tui::action::{Action, Answer, LinkAction, PromptAction};
use crate::tui::article_layout;
use crate::tui::layout::WIDE;
use crate::tui::list_pane::{Emptiness, Heading, ListLook};
use crate::tui::{help, status};

impl App {
    pub(super) fn no_text(&self) -> String {
        let hints: Vec<String> =
            [(Action::FetchPage, "fetch its page"), (Action::OpenInBrowser, "open it in the browser")]
                .into_iter()
                .filter_map(|(action, what)| self.keymap.panes.keys_for(action).map(|key| format!("{key} to {what}")))
                .collect();
        match hints.as_slice() {
            [] => "This entry has no text.".to_owned(),
            hints => format!("This entry has no text. Press {}.", hints.join(", or ")),
        }
    }

    /// The words to highlight: those of the search the list shows, if it shows one.
    pub(super) fn search_words(&self) -> &[String] {
        match &self.search {
            Some(search) if *self.list.scope() == Scope::Search => &search.words,
            _ => &[],
        }
    }

    pub(super) fn reader_layout(&self) -> article_layout::Layout {
        let width = self.pane_rect(Pane::Reader).width.saturating_sub(4) as usize;
        article_layout::Layout { width: width.max(1), lang: self.lang, clock: self.clock, no_text: self.no_text() }
    }

    /// Three panes side by side (the article zoomed is not).
    pub(super) fn is_wide(&self) -> bool {
        self.size.0 >= WIDE && !self.layout.zoomed
    }

    pub(super) fn visible(&self, pane: Pane) -> bool {
        self.layout.visible(pane, self.size.0, self.focus)
    }

    pub(super) fn pane_rect(&self, pane: Pane) -> Rect {
        self.layout.rect(pane, self.main_and_status()[0])
    }

    pub(super) fn main_and_status(&self) -> [Rect; 2] {
        let full = Rect::new(0, 0, self.size.0, self.size.1);
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(full)
    }

    /// Tells each pane its size after a resize or a change of focus.
    pub(super) fn fit(&mut self) -> store::Result<()> {
        let inner_height = |r: Rect| r.height.saturating_sub(2) as usize;
        self.tree.set_height(inner_height(self.pane_rect(Pane::Tree)));
        self.list.set_height(&self.store, inner_height(self.pane_rect(Pane::List)))?;
        let layout = self.reader_layout();
        self.reader.resize(inner_height(self.pane_rect(Pane::Reader)), &layout);
        Ok(())
    }

    pub fn draw(&mut self, frame: &mut Frame<'_>) {
        let [_, status] = self.main_and_status();
        if self.visible(Pane::Tree) {
            let block = self.block(Pane::Tree, "Sources".to_owned());
            self.tree.draw(frame, self.pane_rect(Pane::Tree), block, self.focus == Pane::Tree, &self.theme);
        }
        if self.visible(Pane::List) {
            let heading = match (self.tree.selected(), &self.search) {
                (_, Some(search)) if *self.list.scope() == Scope::Search => {
                    Heading::Search { typed: &search.typed, hits: search.hits }
                }
                (Some(node), _) => {
                    let (total, unread) = self.tree.counts(node);
                    Heading::Node { label: &node.label, total, unread }
                }
                (None, _) => Heading::None,
            };
            let title = self.list.title(&heading, self.pane_rect(Pane::List).width as usize);
            let empty = self.empty_list_text();
            let matches = self.search_words();
            let look = ListLook {
                theme: &self.theme,
                clock: &self.clock,
                lang: self.lang,
                labels: &self.labels,
                focused: self.focus == Pane::List,
                empty: &empty,
                matches,
                marks: &self.marks,
            };
            self.list.draw(frame, self.pane_rect(Pane::List), self.block(Pane::List, title), &look);
        }
        if self.visible(Pane::Reader) {
            let fetching = self.reader.article().is_some_and(|a| self.jobs.is_fetching(a.id));
            let fetch_key = self.keymap.panes.keys_for(Action::FetchPage);
            let title = self.reader.title(fetching, fetch_key, self.pane_rect(Pane::Reader).width as usize);
            let block = self.block(Pane::Reader, title);
            self.reader.draw(frame, self.pane_rect(Pane::Reader), block, &self.theme, self.search_words());
        }
        match (&self.layer, &self.search) {
            (Some(Layer::Prompt), Some(_)) => {
                let keys = &self.keymap.prompt;
                let hint = (keys.keys_for(PromptAction::Search), keys.keys_for(PromptAction::Close));
                status::draw_prompt(frame, status, &self.theme, self.prompt.split(), hint);
            }
            (Some(Layer::Confirm { question, .. }), _) => {
                let yes = self.keymap.question.keys_of(Answer::Yes);
                status::draw_question(frame, status, &self.theme, question, &yes);
            }
            _ => {
                let context = self.tree.selected_error().map(|(label, error)| format!("{label}: {error}"));
                self.status.draw(frame, status, &self.theme, context, self.keymap.panes.keys_for(Action::Help));
            }
        }
        match &self.layer {
            Some(Layer::Help { scroll }) => help::draw(frame, frame.area(), &self.keymap, &self.theme, *scroll),
            Some(Layer::Links(list)) => {
                let keys = &self.keymap.links;
                let hints: Vec<String> =
                    [(LinkAction::Open, "opens"), (LinkAction::Copy, "copies"), (LinkAction::Close, "closes")]
                        .into_iter()
                        .filter_map(|(action, what)| keys.keys_for(action).map(|key| format!("{key} {what}")))
                        .chain(["digits: [n]".to_owned()])
                        .collect();
                list.draw(frame, frame.area(), &self.theme, &format!(" {} ", hints.join(" · ")));
            }
            _ => {}
        }
    }

    /// Why the list is empty, for it to say so, and what to do.
    pub(super) fn empty_list_text(&self) -> String {
        let all_failed = match self.list.scope() {
            Scope::Sources(ids) => {
                !ids.is_empty() && ids.iter().all(|id| self.tree.source(*id).is_some_and(|s| s.error.is_some()))
            }
            Scope::Section(id) => self.tree.section(*id).is_some_and(|s| s.error.is_some()),
            Scope::Bookmarks | Scope::Unread | Scope::Search => false,
        };
        let why = Emptiness {
            searched: self.search.as_ref().map(|s| s.typed.as_str()),
            no_sources: self.entries.is_empty(),
            refreshing: self.status.is_refreshing()
                || matches!(self.list.scope(), Scope::Section(id) if self.jobs.is_listing(*id)),
            all_failed,
            bookmark_key: self.keymap.panes.keys_for(Action::Bookmark),
            refresh_key: self.keymap.panes.keys_for(Action::Refresh),
        };
        self.list.empty_text(&why)
    }

    pub(super) fn block(&self, pane: Pane, title: String) -> Block<'static> {
        let focused = self.focus == pane;
        Block::bordered()
            .border_style(if focused { self.theme.border_focused } else { self.theme.border })
            .title(Line::from(Span::styled(format!(" {title} "), self.theme.pane_title)))
    }
}
