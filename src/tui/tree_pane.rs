//! The left pane: the category tree, with unread counts right-aligned and failed sources
//! marked. It owns its selection and which folders are open.

use std::collections::{HashMap, HashSet};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use tui_tree_widget::{Tree, TreeItem, TreeState};
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::pane::{Effect, Pane};
use super::text::truncate;
use super::theme::Theme;
use crate::model::{Node, NodeKey, Scope, SectionId, SourceId, SourceState};
use crate::store::SectionRow;

pub struct TreePane {
    nodes: Vec<Node>,
    state: TreeState<NodeKey>,
    sources: HashMap<SourceId, SourceState>,
    sections: HashMap<SectionId, SectionRow>,
    /// (bookmarks, unread articles of every source).
    special: (u32, u32),
    height: usize,
    /// The rows as drawn last, and the width they were made for: they change only with
    /// the nodes, their counts and the width, not with every frame.
    items: Vec<TreeItem<'static, NodeKey>>,
    items_width: Option<u16>,
}

fn open_folders(state: &mut TreeState<NodeKey>, path: Vec<NodeKey>, nodes: &[Node]) {
    for node in nodes.iter().filter(|n| matches!(n.key, NodeKey::Folder(_)) && !n.children.is_empty()) {
        let path = [path.as_slice(), std::slice::from_ref(&node.key)].concat();
        state.open(path.clone());
        open_folders(state, path, &node.children);
    }
}

impl TreePane {
    /// Folders start open (those inside folders too), as do sites at the top; "All
    /// articles" (else the first node) is selected.
    pub fn new(
        nodes: Vec<Node>,
        sources: HashMap<SourceId, SourceState>,
        sections: HashMap<SectionId, SectionRow>,
        special: (u32, u32),
    ) -> TreePane {
        let mut state = TreeState::default();
        for node in nodes.iter().filter(|n| !n.children.is_empty()) {
            state.open(vec![node.key.clone()]);
            open_folders(&mut state, vec![node.key.clone()], &node.children);
        }
        if let Some(first) = nodes.iter().find(|n| n.key == NodeKey::All).or(nodes.first()) {
            state.select(vec![first.key.clone()]);
        }
        TreePane { nodes, state, sources, sections, special, height: 1, items: Vec::new(), items_width: None }
    }

    /// New labels and counts; selection and open folders stay, as nodes keep their keys.
    /// A site whose first sections just arrived opens.
    pub fn set_model(
        &mut self,
        nodes: Vec<Node>,
        sources: HashMap<SourceId, SourceState>,
        sections: HashMap<SectionId, SectionRow>,
        special: (u32, u32),
    ) {
        for node in &nodes {
            let had_children = self.nodes.iter().any(|n| n.key == node.key && !n.children.is_empty());
            if matches!(node.key, NodeKey::Source(_)) && !node.children.is_empty() && !had_children {
                self.state.open(vec![node.key.clone()]);
            }
        }
        self.nodes = nodes;
        self.sources = sources;
        self.sections = sections;
        self.special = special;
        self.items_width = None;
    }

    /// How many articles the cache holds, over every source.
    pub fn articles(&self) -> u32 {
        self.sources.values().map(|s| s.total).sum()
    }

    pub fn set_height(&mut self, height: usize) {
        self.height = height.max(1);
    }

    pub fn selected(&self) -> Option<&Node> {
        let mut nodes = &self.nodes;
        let mut found = None;
        for key in self.state.selected() {
            let node = nodes.iter().find(|n| &n.key == key)?;
            nodes = &node.children;
            found = Some(node);
        }
        found
    }

    /// What the selected node lists.
    pub fn scope(&self) -> Scope {
        match self.selected() {
            Some(node) => self.scope_of(node),
            None => Scope::default(),
        }
    }

    fn scope_of(&self, node: &Node) -> Scope {
        match node.key {
            NodeKey::All => Scope::Sources(self.nodes.iter().flat_map(Node::sources).collect()),
            NodeKey::Section(_, id) => Scope::Section(id),
            NodeKey::Bookmarks => Scope::Bookmarks,
            NodeKey::Unread => Scope::Unread,
            _ => Scope::Sources(node.sources()),
        }
    }

    /// (total, unread) under a node.
    pub fn counts(&self, node: &Node) -> (u32, u32) {
        match self.scope_of(node) {
            Scope::Section(id) => self.sections.get(&id).map_or((0, 0), |s| (s.total, s.unread)),
            Scope::Bookmarks => (self.special.0, 0),
            Scope::Unread => (self.special.1, self.special.1),
            Scope::Search => (0, 0),
            Scope::Sources(ids) => {
                ids.iter().filter_map(|id| self.sources.get(id)).fold((0, 0), |(t, u), s| (t + s.total, u + s.unread))
            }
        }
    }

    pub fn source(&self, id: SourceId) -> Option<&SourceState> {
        self.sources.get(&id)
    }

    pub fn section(&self, id: SectionId) -> Option<&SectionRow> {
        self.sections.get(&id)
    }

    /// Why the selected source's last refresh, or section's last listing, failed.
    pub fn selected_error(&self) -> Option<(String, String)> {
        let node = self.selected()?;
        let error = match node.key {
            NodeKey::Source(id) => self.sources.get(&id)?.error.clone()?,
            NodeKey::Section(_, id) => self.sections.get(&id)?.error.clone()?,
            _ => return None,
        };
        Some((node.label.clone(), error))
    }

    /// The sources in tree order, each with its path, to go through for the next unread
    /// article: those after the selection first, wrapping round to the sources it is on
    /// or in, last (backward: those before it, nearest first). `None` when the selection
    /// lists more than sources do (everything, the unread, the bookmarks).
    pub fn sources_around(&self, forward: bool) -> Option<Vec<(Vec<NodeKey>, SourceId)>> {
        fn walk(nodes: &[Node], path: &mut Vec<NodeKey>, out: &mut Vec<(Vec<NodeKey>, SourceId)>) {
            for node in nodes {
                path.push(node.key.clone());
                // A feed server's node holds its feeds.
                if let NodeKey::Source(id) = node.key {
                    out.push((path.clone(), id));
                }
                walk(&node.children, path, out);
                path.pop();
            }
        }
        let mut all = Vec::new();
        walk(&self.nodes, &mut Vec::new(), &mut all);
        let selected = self.state.selected();
        let on = |path: &Vec<NodeKey>| path.starts_with(selected) || selected.starts_with(path);
        let first = all.iter().position(|(path, _)| on(path))?;
        let last = all.iter().rposition(|(path, _)| on(path))?;
        let mut around = all.split_off(if forward { last + 1 } else { first });
        if forward {
            around.append(&mut all);
        } else {
            all.reverse();
            around.reverse();
            all.append(&mut around);
            around = all;
        }
        Some(around)
    }

    /// A click at `at` (on screen): the row drawn there is selected.
    pub fn click(&mut self, at: ratatui::layout::Position) -> Option<Effect> {
        let path = self.state.rendered_at(at)?.to_vec();
        (path != self.state.selected() && self.state.select(path)).then_some(Effect::ShowNode)
    }

    /// Selects the node at `path`, opening the folders above it.
    pub fn select(&mut self, path: Vec<NodeKey>) {
        for depth in 1..path.len() {
            self.state.open(path[..depth].to_vec());
        }
        self.state.select(path);
    }

    /// Paths of the rows on screen, in order: closed folders hide their children.
    fn visible(&self) -> Vec<Vec<NodeKey>> {
        fn walk(nodes: &[Node], path: &mut Vec<NodeKey>, opened: &HashSet<Vec<NodeKey>>, out: &mut Vec<Vec<NodeKey>>) {
            for node in nodes {
                path.push(node.key.clone());
                out.push(path.clone());
                if opened.contains(path) {
                    walk(&node.children, path, opened, out);
                }
                path.pop();
            }
        }
        let mut out = Vec::new();
        walk(&self.nodes, &mut Vec::new(), self.state.opened(), &mut out);
        out
    }

    /// What an action does to the tree, focused.
    pub fn update(&mut self, action: Action) -> Option<Effect> {
        if let Some(delta) = action.moves(self.page()) {
            return self.move_by(delta).then_some(Effect::ShowNode);
        }
        match action {
            Action::Open if self.toggle() => None,
            Action::Open | Action::Right | Action::ReadOn => Some(Effect::Focus(Pane::List)),
            Action::Left => self.close_or_parent().then_some(Effect::ShowNode),
            Action::BackOrQuit => Some(Effect::Quit),
            _ => None,
        }
    }

    /// Moves the selection by `delta` rows; returns whether it moved.
    fn move_by(&mut self, delta: isize) -> bool {
        let rows = self.visible();
        let current = rows.iter().position(|p| p.as_slice() == self.state.selected()).unwrap_or(0);
        let target = current.saturating_add_signed(delta).min(rows.len().saturating_sub(1));
        target != current && self.state.select(rows[target].clone())
    }

    fn page(&self) -> isize {
        self.height.max(2) as isize - 1
    }

    /// Opens or closes the selected folder; false when it is not a folder.
    fn toggle(&mut self) -> bool {
        let is_folder = self.selected().is_some_and(|n| !n.children.is_empty());
        is_folder && self.state.toggle_selected()
    }

    /// Closes the selected folder, or else selects its parent. Returns whether the
    /// selection moved to another node.
    fn close_or_parent(&mut self) -> bool {
        let path = self.state.selected().to_vec();
        if self.selected().is_some_and(|n| !n.children.is_empty()) && self.state.opened().contains(&path) {
            self.state.close(&path);
            return false;
        }
        path.len() > 1 && self.state.select(path[..path.len() - 1].to_vec())
    }

    pub fn draw(&mut self, frame: &mut Frame<'_>, area: Rect, block: Block<'_>, focused: bool, theme: &Theme) {
        let inner = block.inner(area);
        if self.items_width != Some(inner.width) {
            self.items = self.nodes.iter().map(|n| self.item(n, 0, inner.width as usize, theme)).collect();
            self.items_width = Some(inner.width);
        }
        let highlight = if focused { theme.selected } else { theme.selected_unfocused };
        let Ok(tree) = Tree::new(&self.items) else { return };
        let tree = tree
            .block(block)
            .highlight_style(highlight)
            .highlight_symbol("")
            .node_closed_symbol("▸ ")
            .node_open_symbol("▾ ")
            .node_no_children_symbol("  ");
        frame.render_stateful_widget(tree, area, &mut self.state);
    }

    fn item(&self, node: &Node, depth: usize, width: usize, theme: &Theme) -> TreeItem<'static, NodeKey> {
        let (total, unread) = self.counts(node);
        let failed = match node.key {
            NodeKey::Source(id) => self.sources.get(&id).is_some_and(|s| s.error.is_some()),
            NodeKey::Section(_, id) => self.sections.get(&id).is_some_and(|s| s.error.is_some()),
            _ => false,
        };
        // Bookmarks count what they hold; every other node what is unread.
        let shown = if node.key == NodeKey::Bookmarks { total } else { unread };
        let count = if shown > 0 { shown.to_string() } else { String::new() };
        let marker = if failed { " !" } else { "" };
        let room = width.saturating_sub(depth * 2 + 2);
        let label_room = room.saturating_sub(count.width() + marker.width() + usize::from(!count.is_empty()));
        let label = truncate(&node.label, label_room);
        let padding = room.saturating_sub(label.width() + marker.width() + count.width());
        let label_style = if failed {
            theme.error
        } else if unread > 0 {
            theme.unread
        } else {
            theme.read
        };
        let line = Line::from(vec![
            Span::styled(label, label_style),
            Span::styled(marker, theme.error),
            Span::raw(" ".repeat(padding)),
            Span::styled(count, theme.count),
        ]);
        let children: Vec<_> = node.children.iter().map(|c| self.item(c, depth + 1, width, theme)).collect();
        if children.is_empty() {
            return TreeItem::new_leaf(node.key.clone(), line);
        }
        // Config checks keep sources unique; were one listed twice, it shows as a leaf.
        TreeItem::new(node.key.clone(), line.clone(), children)
            .unwrap_or_else(|_| TreeItem::new_leaf(node.key.clone(), line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(key: NodeKey, label: &str, children: Vec<Node>) -> Node {
        Node { key, label: label.to_owned(), children }
    }

    /// All articles, then a folder of two sources, then a source alone.
    fn tree() -> TreePane {
        let source = |id| node(NodeKey::Source(SourceId(id)), &format!("source {id}"), Vec::new());
        let folder = node(NodeKey::Folder("Tech".to_owned()), "Tech", vec![source(1), source(2)]);
        let nodes = vec![node(NodeKey::All, "All articles", Vec::new()), folder, source(3)];
        let mut tree = TreePane::new(nodes, HashMap::new(), HashMap::new(), (0, 0));
        tree.set_height(10);
        tree
    }

    #[test]
    fn folders_inside_folders_start_open_and_sites_in_them_closed() {
        let (folder, inner) = (NodeKey::Folder("Tech".into()), NodeKey::Folder("Tech / Radio".into()));
        let site = node(
            NodeKey::Source(SourceId(2)),
            "site",
            vec![node(NodeKey::Section(SourceId(2), SectionId(1)), "section", Vec::new())],
        );
        let radio = node(inner.clone(), "Radio", vec![node(NodeKey::Source(SourceId(1)), "feed", Vec::new())]);
        let tree = TreePane::new(
            vec![node(folder.clone(), "Tech", vec![radio, site])],
            HashMap::new(),
            HashMap::new(),
            (0, 0),
        );
        let source = |id| NodeKey::Source(SourceId(id));
        let rows = vec![
            vec![folder.clone()],
            vec![folder.clone(), inner.clone()],
            vec![folder.clone(), inner, source(1)],
            vec![folder, source(2)],
        ];
        assert_eq!(tree.visible(), rows);
    }

    #[test]
    fn moves_list_the_node_and_folders_open_and_close() {
        let mut tree = tree();
        assert_eq!(tree.update(Action::Up), None, "at the top already");
        assert_eq!(tree.update(Action::Down), Some(Effect::ShowNode));
        assert_eq!(tree.selected().unwrap().label, "Tech");
        assert_eq!(tree.update(Action::Open), None, "a folder closes");
        assert_eq!(tree.update(Action::Down), Some(Effect::ShowNode));
        assert_eq!(tree.selected().unwrap().label, "source 3", "past the closed folder");
        assert_eq!(tree.update(Action::Up), Some(Effect::ShowNode));
        assert_eq!(tree.update(Action::Open), None, "and opens again");
        assert_eq!(tree.update(Action::Down), Some(Effect::ShowNode));
        assert_eq!(tree.selected().unwrap().label, "source 1");
        assert_eq!(tree.update(Action::Left), Some(Effect::ShowNode), "a source's parent");
        assert_eq!(tree.selected().unwrap().label, "Tech");
        assert_eq!(tree.update(Action::Left), None, "closes the folder, stays on it");
        assert_eq!(tree.update(Action::Bottom), Some(Effect::ShowNode));
        assert_eq!(tree.scope(), Scope::Sources(vec![SourceId(3)]));
    }

    /// From a source, the ones after it come first, then, wrapping round, the ones
    /// before, and itself last; backward, the other way round. A folder stands for its
    /// sources; the special nodes for none.
    #[test]
    fn the_sources_around_the_selection_wrap_round_to_it() {
        let mut tree = tree();
        let ids = |tree: &TreePane, forward| -> Option<Vec<i64>> {
            tree.sources_around(forward).map(|all| all.into_iter().map(|(_, id)| id.0).collect())
        };
        assert_eq!(ids(&tree, true), None, "All articles lists them all already");
        tree.update(Action::Down);
        assert_eq!(ids(&tree, true), Some(vec![3, 1, 2]), "after the folder, then back to it");
        assert_eq!(ids(&tree, false), Some(vec![3, 2, 1]));
        tree.update(Action::Down);
        assert_eq!(tree.selected().unwrap().label, "source 1");
        assert_eq!(ids(&tree, true), Some(vec![2, 3, 1]));
        assert_eq!(ids(&tree, false), Some(vec![3, 2, 1]));
        let (path, _) = tree.sources_around(true).unwrap()[0].clone();
        tree.update(Action::Up);
        tree.update(Action::Open);
        tree.select(path);
        assert_eq!(tree.selected().unwrap().label, "source 2", "its closed folder opened");
    }

    #[test]
    fn a_source_opens_in_the_list_and_q_quits_from_the_tree() {
        let mut tree = tree();
        assert_eq!(tree.update(Action::Open), Some(Effect::Focus(Pane::List)), "All articles is no folder");
        assert_eq!(tree.update(Action::Right), Some(Effect::Focus(Pane::List)));
        assert_eq!(tree.update(Action::ReadOn), Some(Effect::Focus(Pane::List)));
        assert_eq!(tree.update(Action::Back), None, "Esc never quits");
        assert_eq!(tree.update(Action::BackOrQuit), Some(Effect::Quit));
        assert_eq!(tree.update(Action::Bookmark), None);
    }
}
