//! Where the panes go. Wide, three columns: the tree (as wide as the user made it with
//! `[` and `]`, remembered between runs), the list, and the reader at a comfortable line
//! length; narrow, the focused pane alone. Zoomed (`z`), the article alone at full width.

use ratatui::layout::{Constraint, Rect};

use super::pane::Pane;

/// Below this width one pane is shown at a time.
pub const WIDE: u16 = 100;
/// Widest reader pane beside the others: about 90 columns of text, a comfortable line.
const READER_MAX_WIDTH: u16 = 96;
/// How far `[` and `]` move the tree's edge.
const STEP: u16 = 2;
const TREE_MIN: u16 = 12;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Layout {
    /// The tree's width as the user set it; `None` follows the window.
    pub tree_width: Option<u16>,
    pub zoomed: bool,
}

impl Layout {
    /// The tree's width in a window `width` wide.
    fn tree(&self, width: u16) -> u16 {
        let auto = (width / 5).clamp(22, 32);
        self.tree_width.unwrap_or(auto).clamp(TREE_MIN, (width / 2).max(TREE_MIN))
    }

    /// `[` (narrower) and `]` (wider), in a window `width` wide.
    pub fn resize_tree(&mut self, wider: bool, width: u16) {
        let now = self.tree(width);
        let next = if wider { now.saturating_add(STEP) } else { now.saturating_sub(STEP) };
        self.tree_width = Some(next.clamp(TREE_MIN, (width / 2).max(TREE_MIN)));
    }

    pub fn visible(&self, pane: Pane, width: u16, focus: Pane) -> bool {
        if self.zoomed {
            return pane == Pane::Reader;
        }
        width >= WIDE || pane == focus
    }

    /// Where `pane` goes in `main`, the screen above the status line.
    pub fn rect(&self, pane: Pane, main: Rect) -> Rect {
        if self.zoomed || main.width < WIDE {
            return main;
        }
        // The reader gets a little over half of what the tree leaves, up to a comfortable
        // line length; the list takes the rest.
        let tree = self.tree(main.width);
        let reader = ((main.width - tree) * 11 / 20).clamp(40, READER_MAX_WIDTH);
        let [t, l, r] = ratatui::layout::Layout::horizontal([
            Constraint::Length(tree),
            Constraint::Fill(1),
            Constraint::Length(reader),
        ])
        .areas(main);
        match pane {
            Pane::Tree => t,
            Pane::List => l,
            Pane::Reader => r,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_narrows_and_widens_within_bounds_and_zoom_gives_the_reader_everything() {
        let main = Rect::new(0, 0, 120, 39);
        let mut layout = Layout::default();
        assert_eq!(layout.rect(Pane::Tree, main).width, 24, "a fifth of the window");
        layout.resize_tree(true, 120);
        assert_eq!(layout.rect(Pane::Tree, main).width, 26);
        for _ in 0..40 {
            layout.resize_tree(true, 120);
        }
        assert_eq!(layout.rect(Pane::Tree, main).width, 60, "at most half");
        for _ in 0..40 {
            layout.resize_tree(false, 120);
        }
        assert_eq!(layout.rect(Pane::Tree, main).width, TREE_MIN);
        let (list, reader) = (layout.rect(Pane::List, main), layout.rect(Pane::Reader, main));
        assert_eq!(list.x + list.width, reader.x, "the list takes what is left");

        layout.zoomed = true;
        assert_eq!(layout.rect(Pane::Reader, main), main);
        assert!(!layout.visible(Pane::Tree, 120, Pane::Reader) && layout.visible(Pane::Reader, 120, Pane::List));
        layout.zoomed = false;
        assert!(layout.visible(Pane::Tree, 120, Pane::Reader));
        assert!(!layout.visible(Pane::Tree, 80, Pane::Reader), "narrow: the focused pane alone");
    }
}
