//! The mouse, through the same paths as the keys: a click selects in the tree or the
//! list and focuses the pane, a double click is `Open` there, the wheel is `Up`/`Down`
//! for the pane under the pointer, and a click on a `[n]` in the article opens its link.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Margin, Position, Rect};

use super::{App, Pane};
use crate::store;
use crate::tui::action::Action;
use crate::tui::pane::Ctx;

/// Two clicks on one cell within this are a double click.
const DOUBLE_CLICK: Duration = Duration::from_millis(400);
/// Lines the article scrolls by for a notch of the wheel.
const WHEEL_LINES: usize = 3;

impl App {
    pub(super) fn on_mouse(&mut self, event: MouseEvent) -> store::Result<()> {
        let at = Position::new(event.column, event.row);
        let panes = [Pane::Tree, Pane::List, Pane::Reader];
        // Over a layer (the help, a list, a question) the mouse does nothing yet.
        let Some(pane) = panes.into_iter().find(|p| self.visible(*p) && self.pane_rect(*p).contains(at)) else {
            return Ok(());
        };
        if self.layer.is_some() {
            return Ok(());
        }
        let wheel = match event.kind {
            MouseEventKind::ScrollUp => Action::Up,
            MouseEventKind::ScrollDown => Action::Down,
            MouseEventKind::Down(MouseButton::Left) => return self.click(pane, at),
            _ => return Ok(()),
        };
        let notches = if pane == Pane::Reader { WHEEL_LINES } else { 1 };
        for _ in 0..notches {
            if let Some(effect) = self.update_pane(pane, wheel)? {
                self.apply_effect(effect)?;
            }
        }
        Ok(())
    }

    fn click(&mut self, pane: Pane, at: Position) -> store::Result<()> {
        let now = Instant::now();
        let double = self.last_click.is_some_and(|(then, cell)| cell == (at.x, at.y) && now - then < DOUBLE_CLICK);
        self.last_click = (!double).then_some((now, (at.x, at.y)));
        let inner = inside(self.pane_rect(pane));
        let row = at.y.saturating_sub(inner.y) as usize;
        let effect = match pane {
            Pane::Tree => self.tree.click(at),
            Pane::List => self.list.click(&Ctx { rows: &self.store, now: 0 }, row)?,
            Pane::Reader => {
                let text = inner.inner(Margin { vertical: 0, horizontal: 1 });
                if let Some(n) = self.reader.link_at(at.x.saturating_sub(text.x) as usize, row) {
                    self.open_footnote(n);
                    return Ok(());
                }
                None
            }
        };
        if let Some(effect) = effect {
            self.apply_effect(effect)?;
        }
        if self.focus != pane {
            self.go_to(pane)?;
        }
        if double && let Some(effect) = self.update_pane(pane, Action::Open)? {
            self.apply_effect(effect)?;
        }
        Ok(())
    }

    /// Opens link `[n]` of the article shown.
    fn open_footnote(&mut self, n: usize) {
        let url = n.checked_sub(1).and_then(|i| self.reader.links()?.get(i)).map(|t| t.url.clone());
        if let Some(url) = url {
            self.open_link(&url);
        }
    }
}

/// A pane's rows and columns inside its border.
fn inside(rect: Rect) -> Rect {
    rect.inner(Margin { vertical: 1, horizontal: 1 })
}
