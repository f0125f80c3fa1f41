//! What the tree's selection lists: a node listed from its top (a section glanced at
//! on its site the first time), its count, the next page of a section, and refreshes.

use super::App;
use crate::model::{Scope, SourceId};
use crate::store;

impl App {
    /// At the end of a section's list, the site's next page.
    pub(super) fn load_more(&mut self) {
        let Scope::Section(id) = *self.list.scope() else { return };
        let Some(section) = self.tree.section(id) else { return };
        if !section.exhausted && self.jobs.list(id, section.pages + 1) {
            self.status.info("loading more articles…");
        }
    }

    /// Lists the selected node from its top. A section not yet listed this session is
    /// listed from its site, while its cached list shows.
    pub(super) fn show_node(&mut self) -> store::Result<()> {
        self.search = None;
        let scope = self.tree.scope();
        let total = self.scope_total(&scope);
        if let Scope::Section(id) = scope {
            self.jobs.glance(id);
        }
        self.list.show(&self.store, scope, total)?;
        self.show_article()
    }

    pub(super) fn scope_total(&self, scope: &Scope) -> usize {
        match scope {
            Scope::Sources(ids) => ids.iter().filter_map(|id| self.tree.source(*id)).map(|s| s.total as usize).sum(),
            Scope::Section(id) => self.tree.section(*id).map_or(0, |s| s.total as usize),
            Scope::Bookmarks | Scope::Unread => {
                self.tree.selected().map_or(0, |node| self.tree.counts(node).0 as usize)
            }
            Scope::Search => self.search.as_ref().map_or(0, |s| s.hits),
        }
    }

    /// Whether a list of `scope` shows articles of `source`.
    pub(super) fn covers(&self, scope: &Scope, source: SourceId) -> bool {
        // A feed server's round brings the articles of its feeds.
        let served = |id: &SourceId| self.tree.source(*id).and_then(|s| s.server) == Some(source);
        match scope {
            Scope::Sources(ids) => ids.iter().any(|id| *id == source || served(id)),
            Scope::Section(_) => self.tree.selected().is_some_and(|n| n.key.source() == Some(source)),
            Scope::Unread => true,
            Scope::Bookmarks | Scope::Search => false,
        }
    }

    pub(super) fn refresh(&mut self, scope: Scope) {
        if let Some(why) = self.store.read_only() {
            self.status.error(format!("cannot refresh: {why}"));
            return;
        }
        match scope {
            Scope::Sources(ids) if ids.is_empty() => {}
            Scope::Sources(ids) => {
                // A server's feed is refreshed by a round with its server, once for all.
                let mut ids: Vec<SourceId> =
                    ids.into_iter().map(|id| self.tree.source(id).and_then(|s| s.server).unwrap_or(id)).collect();
                let mut seen = std::collections::HashSet::new();
                ids.retain(|id| seen.insert(*id));
                self.status.set_progress(Some((0, ids.len(), 0)));
                self.jobs.refresh(ids);
            }
            Scope::Section(id) => {
                self.jobs.list(id, 1);
                self.status.info("refreshing the section…");
            }
            Scope::Bookmarks | Scope::Unread | Scope::Search => self.refresh_all(),
        }
    }
}
