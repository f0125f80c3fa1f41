//! The middle pane: the articles of the selected node, newest first. It holds only a
//! window of rows around the screen; going past it reads the next window from the cache
//! by an index seek from a known row, so a list of 100,000 articles costs what one of
//! forty does.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::marks::Marks;
use super::pane::{Ctx, Effect, Pane, Rows};
use super::text::{highlighted, put_lines, put_scrollbar, truncate};
use super::theme::Theme;
use crate::model::{ArticleId, ArticleRow, Order, Scope, SortKey, SourceId};
use crate::store::{self, Anchor};
use crate::timefmt::{Clock, LIST_DATE_WIDTH, Lang, list_date};
use crate::wording::{count, number};

#[derive(Default)]
pub struct ListPane {
    scope: Scope,
    /// Kept from list to list, as the user chose it (`s`).
    order: Order,
    total: usize,
    window: Vec<ArticleRow>,
    window_start: usize,
    selected: usize,
    /// The first row on screen.
    offset: usize,
    height: usize,
}

impl ListPane {
    /// Shows the list of `scope` (`total` articles) from its top.
    pub fn show(&mut self, rows: &dyn Rows, scope: Scope, total: usize) -> store::Result<()> {
        *self = ListPane { scope, total, height: self.height, order: self.order, ..ListPane::default() };
        self.ensure_window(rows)
    }

    /// Reloads the same list after the cache changed. At the top of the list, the view
    /// stays at the top, on the newest; further down, the selected article stays
    /// selected as new ones push it down.
    pub fn reload(&mut self, rows: &dyn Rows, total: usize) -> store::Result<()> {
        if self.selected == 0 {
            let scope = std::mem::take(&mut self.scope);
            return self.show(rows, scope, total);
        }
        let key = self.selected().map(|r| r.key);
        let screen_row = self.selected - self.offset;
        self.total = total;
        self.window.clear();
        let index = match key {
            Some(key) => rows.position((&self.scope, self.order), key)?,
            None => 0,
        };
        self.selected = index.min(total.saturating_sub(1));
        self.offset = self.selected.saturating_sub(screen_row);
        self.clamp_offset();
        self.ensure_window(rows)
    }

    pub fn set_height(&mut self, rows: &dyn Rows, height: usize) -> store::Result<()> {
        self.height = height.max(1);
        self.clamp_offset();
        self.ensure_window(rows)
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn order(&self) -> Order {
        self.order
    }

    /// The selection is on the last row of the list.
    pub fn at_last(&self) -> bool {
        self.selected + 1 >= self.total
    }

    pub fn page(&self) -> isize {
        self.height.max(2) as isize - 1
    }

    pub fn selected(&self) -> Option<&ArticleRow> {
        self.selected.checked_sub(self.window_start).and_then(|i| self.window.get(i))
    }

    /// The articles next to the selected one, after then before, as far as `reach` rows
    /// and the rows loaded go: the ones the reader may show next.
    pub fn beside(&self, reach: usize) -> Vec<ArticleId> {
        let loaded = |i: usize| i.checked_sub(self.window_start).and_then(|i| self.window.get(i));
        (1..=reach)
            .flat_map(|d| [self.selected.checked_add(d), self.selected.checked_sub(d)])
            .flatten()
            .filter_map(|i| loaded(i).map(|row| row.key.id))
            .collect()
    }

    /// What an action does to the list, focused.
    pub fn update(&mut self, action: Action, ctx: &Ctx<'_>) -> store::Result<Option<Effect>> {
        if let Some(delta) = action.moves(self.page()) {
            return Ok(if self.move_by(ctx.rows, delta)? {
                Some(Effect::ShowArticle)
            } else {
                (delta > 0 && self.at_last()).then_some(Effect::LoadMore)
            });
        }
        Ok(match action {
            Action::Right | Action::Open | Action::ReadOn => Some(Effect::Focus(Pane::Reader)),
            // A search's hits stay in the order of how well they match.
            Action::Sort if self.scope == Scope::Search => {
                Some(Effect::Refuse("a search lists its best matches first"))
            }
            Action::Sort => {
                // The next order, the list read again from its top.
                self.order = self.order.next();
                let scope = std::mem::take(&mut self.scope);
                self.show(ctx.rows, scope, self.total)?;
                Some(Effect::Sorted(self.order))
            }
            Action::Back | Action::BackOrQuit if self.scope == Scope::Search => Some(Effect::ShowNode),
            Action::Left | Action::Back | Action::BackOrQuit => Some(Effect::Focus(Pane::Tree)),
            _ => None,
        })
    }

    /// A click on the `row`th row on screen: it is selected.
    pub fn click(&mut self, ctx: &Ctx<'_>, row: usize) -> store::Result<Option<Effect>> {
        let target = self.offset + row;
        if target >= self.total {
            return Ok(None);
        }
        let moved = self.move_by(ctx.rows, target as isize - self.selected as isize)?;
        Ok(moved.then_some(Effect::ShowArticle))
    }

    /// Selects the row `key`, wherever it is in the list.
    pub fn select(&mut self, rows: &dyn Rows, key: SortKey) -> store::Result<()> {
        let at = rows.position((&self.scope, self.order), key)?;
        self.move_by(rows, at as isize - self.selected as isize).map(drop)
    }

    /// Moves the selection by `delta` rows; returns whether it moved.
    pub fn move_by(&mut self, rows: &dyn Rows, delta: isize) -> store::Result<bool> {
        let target = self.selected.saturating_add_signed(delta).min(self.total.saturating_sub(1));
        if target == self.selected {
            return Ok(false);
        }
        self.selected = target;
        self.clamp_offset();
        self.ensure_window(rows)?;
        Ok(true)
    }

    /// Records a read-state change in the loaded rows.
    pub fn set_read(&mut self, id: ArticleId, read: bool) {
        if let Some(row) = self.window.iter_mut().find(|r| r.key.id == id) {
            row.read = read;
        }
    }

    /// Keeps the selection on screen.
    fn clamp_offset(&mut self) {
        let last_top = self.total.saturating_sub(self.height);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + self.height {
            self.offset = self.selected + 1 - self.height;
        }
        self.offset = self.offset.min(last_top);
    }

    /// Loads rows so that the screen, and a screen either side of it, are in memory.
    /// Moving on from the loaded rows reads only the rows that are missing and forgets
    /// those furthest away, so crossing the edge costs a screen's worth of rows.
    fn ensure_window(&mut self, rows: &dyn Rows) -> store::Result<()> {
        let screen_end = (self.offset + self.height).min(self.total);
        let have_end = self.window_start + self.window.len();
        if self.total == 0 || (self.offset >= self.window_start && screen_end <= have_end) {
            return Ok(());
        }
        let start = self.offset.saturating_sub(self.height);
        let end = (self.offset + 2 * self.height).min(self.total);
        let overlaps = !self.window.is_empty() && start < have_end && end > self.window_start;
        if overlaps && end > have_end {
            let last = self.window[self.window.len() - 1].key;
            let more = rows.rows((&self.scope, self.order), Anchor::After(last), end - have_end)?;
            self.window.extend(more);
        } else if overlaps && start < self.window_start {
            let first = self.window[0].key;
            let mut rows = rows.rows((&self.scope, self.order), Anchor::Before(first), self.window_start - start)?;
            self.window_start -= rows.len();
            rows.append(&mut self.window);
            self.window = rows;
        } else {
            let anchor = if start == 0 {
                Anchor::First
            } else if end == self.total {
                Anchor::Last
            } else {
                Anchor::Offset(start)
            };
            self.window = rows.rows((&self.scope, self.order), anchor, end - start)?;
            self.window_start = start;
            return Ok(());
        }
        // Forget the rows beyond a screen either side.
        let keep_from = start.max(self.window_start) - self.window_start;
        self.window.drain(..keep_from);
        self.window_start += keep_from;
        self.window.truncate(end - self.window_start);
        Ok(())
    }

    pub fn draw(&self, frame: &mut Frame<'_>, area: Rect, block: Block<'_>, look: &ListLook<'_>) {
        let inner = block.inner(area);
        frame.render_widget(block, area);
        let width = inner.width as usize;
        let show_source = matches!(&self.scope, Scope::Sources(ids) if ids.len() > 1) && width >= 60;
        let source_width = if show_source {
            let longest = self.visible_rows().map(|r| look.label(r.source_id).width()).max().unwrap_or(0);
            longest.min(18)
        } else {
            0
        };
        let columns_right = LIST_DATE_WIDTH + 1 + if show_source { source_width + 2 } else { 0 };
        let title_width = width.saturating_sub(2 + columns_right);
        let now = look.clock.now();
        let titles: Vec<String> = self.visible_rows().map(|row| truncate(&row.title, title_width)).collect();
        let lines: Vec<Line<'_>> = self
            .visible_rows()
            .zip(&titles)
            .enumerate()
            .map(|(i, (row, title))| {
                let read = look.marks.waiting(row.key.id).unwrap_or(row.read);
                let mark = if read { "  " } else { "● " };
                let pad = " ".repeat(title_width.saturating_sub(title.width()));
                let title_style = if read { look.theme.read } else { look.theme.unread };
                let date = list_date(&look.clock.local(row.time), &now, look.lang);
                let mut spans = vec![Span::styled(mark, look.theme.unread_mark)];
                spans.extend(highlighted(title, look.matches, title_style, look.theme.search_match));
                spans.push(Span::styled(pad, title_style));
                if show_source {
                    let source = truncate(look.label(row.source_id), source_width);
                    let source_pad = " ".repeat(source_width - source.width());
                    spans.push(Span::styled(format!("  {source}{source_pad}"), look.theme.source));
                }
                spans.push(Span::styled(format!(" {date:>LIST_DATE_WIDTH$}"), look.theme.date));
                if self.offset + i == self.selected {
                    // Over every span, whatever its own colour: the title must read on the
                    // selection's background in every theme. A search match keeps its own.
                    let selected = if look.focused { look.theme.selected } else { look.theme.selected_unfocused };
                    for span in &mut spans {
                        if span.style.bg.is_none() {
                            span.style = span.style.patch(selected);
                        }
                    }
                }
                Line::from(spans)
            })
            .collect();
        if lines.is_empty() {
            let text = Paragraph::new(Span::styled(look.empty, look.theme.notice)).wrap(Wrap { trim: true });
            frame.render_widget(text, inner);
            return;
        }
        put_lines(frame.buffer_mut(), inner, lines);
        put_scrollbar(frame, area, self.total.saturating_sub(self.height), self.offset);
    }

    fn visible_rows(&self) -> impl Iterator<Item = &ArticleRow> {
        let from = self.offset.saturating_sub(self.window_start).min(self.window.len());
        self.window[from..].iter().take(self.height)
    }
}

/// What the list's title names: a search, or the tree's node.
pub enum Heading<'a> {
    Search { typed: &'a str, hits: usize },
    Node { label: &'a str, total: u32, unread: u32 },
    None,
}

/// Why a list may be empty, from around it, for `ListPane::empty_text`.
#[derive(Clone)]
pub struct Emptiness<'a> {
    /// What was searched, when a search was.
    pub searched: Option<&'a str>,
    pub no_sources: bool,
    /// A refresh, or the listing of the section shown, is on its way.
    pub refreshing: bool,
    /// Every source listed failed at its last refresh.
    pub all_failed: bool,
    pub bookmark_key: Option<String>,
    pub refresh_key: Option<String>,
}

impl ListPane {
    /// The pane's title, `width` wide at most: the node or the search, with its counts.
    pub fn title(&self, heading: &Heading<'_>, width: usize) -> String {
        match heading {
            Heading::Search { typed, hits } => {
                let counts = format!(" · {}", count(*hits, "article"));
                let room = width.saturating_sub(counts.width() + 14);
                format!("Search “{}”{counts}", truncate(typed, room))
            }
            Heading::Node { label, total, unread } => {
                let mut counts = match unread {
                    0 => format!(" · {}", count(*total as usize, "article")),
                    unread => format!(" · {} unread", number(*unread as usize)),
                };
                if self.order != Order::Newest {
                    counts = format!("{counts} · {}", self.order.describe());
                }
                truncate(label, width.saturating_sub(counts.width() + 4)) + &counts
            }
            Heading::None => "Articles".to_owned(),
        }
    }

    /// What an empty list says: why it is empty, and what to do.
    pub fn empty_text(&self, why: &Emptiness<'_>) -> String {
        match (&self.scope, why.searched) {
            (Scope::Search, Some(typed)) => format!("No article matches “{typed}”."),
            (Scope::Bookmarks, _) => match &why.bookmark_key {
                Some(key) => format!("No bookmarks yet. Press {key} on an article to keep it here, offline."),
                None => "No bookmarks yet.".to_owned(),
            },
            (Scope::Unread, _) if !why.refreshing => "Nothing unread.".to_owned(),
            _ if why.no_sources => {
                "No sources yet. Add a site or a feed from the shell: kiosque add URL [--folder NAME]".to_owned()
            }
            _ if why.refreshing => "Refreshing…".to_owned(),
            _ if why.all_failed => {
                "Nothing cached yet: the last refresh failed. Select a source marked ! to see why.".to_owned()
            }
            _ => match &why.refresh_key {
                Some(key) => format!("No articles yet. Press {key} to refresh."),
                None => "No articles yet.".to_owned(),
            },
        }
    }
}

/// What the list needs from the app to draw itself.
pub struct ListLook<'a> {
    pub theme: &'a Theme,
    pub clock: &'a Clock,
    pub lang: Lang,
    pub labels: &'a HashMap<SourceId, String>,
    pub focused: bool,
    /// Shown when the list is empty.
    pub empty: &'a str,
    /// Words of a search, folded (`sanitize::fold`), to highlight in titles; a trailing `*`
    /// matches any word that starts so.
    pub matches: &'a [String],
    /// Read marks not written yet, which the rows from the cache do not show.
    pub marks: &'a Marks,
}

impl ListLook<'_> {
    fn label(&self, id: SourceId) -> &str {
        self.labels.get(&id).map_or("", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::pane::Memory;

    fn list_of(n: usize, height: usize) -> (ListPane, Memory) {
        let rows = Memory::of(n);
        let mut list = ListPane::default();
        list.set_height(&rows, height).unwrap();
        list.show(&rows, Scope::Sources(vec![SourceId(1)]), n).unwrap();
        (list, rows)
    }

    /// Whatever the moves, the loaded rows are exactly the list's rows at their place,
    /// and they cover the screen.
    #[test]
    fn the_window_always_matches_the_list_and_covers_the_screen() {
        let (mut list, rows) = list_of(500, 21);
        let moves =
            [1, 1, 5, 30, 21, 21, -1, -40, 400, 7, -3, isize::MAX, -20, -21, -300, isize::MIN, 60, -1, 250, -249];
        for (step, delta) in moves.iter().cycle().take(400).enumerate() {
            list.move_by(&rows, *delta).unwrap();
            let expected = &rows.0[list.window_start..list.window_start + list.window.len()];
            assert_eq!(list.window, expected, "step {step}");
            assert!(list.window_start <= list.offset, "step {step}");
            assert!(list.offset + list.height.min(list.total) <= list.window_start + list.window.len(), "step {step}");
            assert!(list.window.len() <= 3 * list.height, "step {step}: the window stays bounded");
            assert_eq!(list.selected().unwrap().title, format!("article {}", list.selected), "step {step}");
        }
    }

    #[test]
    fn beside_the_selection_are_the_next_rows_then_the_previous() {
        let (mut list, rows) = list_of(30, 10);
        let id = |i: usize| rows.0[i].key.id;
        assert_eq!(list.beside(2), [id(1), id(2)], "nothing before the first");
        list.move_by(&rows, 5).unwrap();
        assert_eq!(list.beside(1), [id(6), id(4)]);
        list.move_by(&rows, isize::MAX).unwrap();
        assert_eq!(list.beside(1), [id(28)], "nothing after the last");
    }

    #[test]
    fn moves_show_the_article_and_going_on_from_the_last_row_asks_for_more() {
        let (mut list, rows) = list_of(30, 10);
        let ctx = Ctx { rows: &rows, now: 0 };
        let mut update = |action| list.update(action, &ctx).unwrap();
        assert_eq!(update(Action::Up), None, "at the top already");
        assert_eq!(update(Action::Down), Some(Effect::ShowArticle));
        assert_eq!(update(Action::PageDown), Some(Effect::ShowArticle));
        assert_eq!(update(Action::Bottom), Some(Effect::ShowArticle));
        assert_eq!(update(Action::Down), Some(Effect::LoadMore), "past the last row: the next page");
        assert_eq!(update(Action::Up), Some(Effect::ShowArticle));
        assert_eq!(update(Action::Open), Some(Effect::Focus(Pane::Reader)));
        assert_eq!(update(Action::ReadOn), Some(Effect::Focus(Pane::Reader)));
        assert_eq!(update(Action::Left), Some(Effect::Focus(Pane::Tree)));
        assert_eq!(update(Action::BackOrQuit), Some(Effect::Focus(Pane::Tree)), "back, never quit");
        assert_eq!(update(Action::Bookmark), None, "the reader's, not the list's");
        assert_eq!(list.selected().unwrap().title, "article 28");
    }

    #[test]
    fn back_from_a_search_lists_the_node_again() {
        let rows = Memory::of(5);
        let mut list = ListPane::default();
        list.show(&rows, Scope::Search, 5).unwrap();
        let ctx = Ctx { rows: &rows, now: 0 };
        assert_eq!(list.update(Action::Back, &ctx).unwrap(), Some(Effect::ShowNode));
        assert_eq!(list.update(Action::Left, &ctx).unwrap(), Some(Effect::Focus(Pane::Tree)));
    }

    #[test]
    fn the_title_names_the_node_or_the_search_with_its_counts() {
        let list = ListPane::default();
        let node = |total, unread| Heading::Node { label: "Kiosque du Midi", total, unread };
        assert_eq!(list.title(&node(1_200, 0), 60), "Kiosque du Midi · 1,200 articles");
        assert_eq!(list.title(&node(1_200, 1_034), 60), "Kiosque du Midi · 1,034 unread");
        assert_eq!(list.title(&node(3, 1), 20), "Kios… · 1 unread", "4 columns for the borders");
        assert_eq!(list.title(&Heading::Search { typed: "lune", hits: 1 }, 60), "Search “lune” · 1 article");
    }

    #[test]
    fn an_empty_list_says_why_and_what_to_do() {
        let why = Emptiness {
            searched: None,
            no_sources: false,
            refreshing: false,
            all_failed: false,
            bookmark_key: Some("b".to_owned()),
            refresh_key: Some("r".to_owned()),
        };
        let empty = |scope: Scope, why: &Emptiness<'_>| ListPane { scope, ..ListPane::default() }.empty_text(why);
        let feeds = || Scope::Sources(vec![SourceId(1)]);
        assert_eq!(empty(feeds(), &why), "No articles yet. Press r to refresh.");
        assert!(empty(Scope::Bookmarks, &why).starts_with("No bookmarks yet. Press b on an article"));
        assert_eq!(empty(Scope::Unread, &why), "Nothing unread.");
        assert_eq!(
            empty(Scope::Search, &Emptiness { searched: Some("lune"), ..why.clone() }),
            "No article matches “lune”."
        );
        let why = Emptiness { refreshing: true, bookmark_key: None, refresh_key: None, ..why };
        assert_eq!(empty(Scope::Unread, &why), "Refreshing…", "not \"nothing unread\" before the news");
        assert!(
            empty(feeds(), &Emptiness { refreshing: false, all_failed: true, ..why.clone() })
                .starts_with("Nothing cached yet: the last refresh failed")
        );
        assert!(empty(feeds(), &Emptiness { no_sources: true, ..why }).contains("kiosque add URL"));
    }

    /// New articles arrive above: the selected one stays selected, on the same screen row.
    #[test]
    fn a_reload_keeps_the_selected_article() {
        let (mut list, mut rows) = list_of(50, 10);
        list.move_by(&rows, 12).unwrap();
        let mut newer = Memory::of(53).0;
        newer.truncate(3);
        for (i, row) in newer.iter_mut().enumerate() {
            row.key.time = 1_800_000_000 - i as i64;
            row.key.id = crate::model::ArticleId(1_000 + i as i64);
            row.title = format!("new {i}");
        }
        rows.0.splice(0..0, newer);
        list.reload(&rows, 53).unwrap();
        assert_eq!(list.selected().unwrap().title, "article 12");
        assert_eq!(list.selected, 15);
    }
}
