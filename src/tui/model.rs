//! The view model: what the tree shows, read from the cache in one go, once per batch of
//! events (`App::settle`): the nodes, with the special ones on top, the sources' states
//! and the sites' sections, the counts of bookmarks and unread articles, and every
//! source's label.

use std::collections::HashMap;

use crate::model::{Node, SectionId, SourceId, SourceKind, SourceState};
use crate::sources::{self, SourceEntry, TreeData};
use crate::store::{self, SectionRow, Store};
use crate::timefmt::Lang;

const ALL_LABEL: &str = "All articles";
const BOOKMARKS_LABEL: &str = "Bookmarks";
const UNREAD_LABEL: &str = "Unread";

pub struct Model {
    pub nodes: Vec<Node>,
    pub states: HashMap<SourceId, SourceState>,
    pub sections: HashMap<SectionId, SectionRow>,
    /// Bookmarks, and unread articles.
    pub special: (u32, u32),
    /// Every source's name, those that left the config included.
    pub labels: HashMap<SourceId, String>,
}

impl Model {
    pub fn read(store: &Store, entries: &[SourceEntry], lang: Lang) -> store::Result<Model> {
        let states: HashMap<_, _> = store.sources()?.into_iter().map(|s| (s.id, s)).collect();
        let mut by_site = HashMap::new();
        for entry in entries.iter().filter(|e| e.kind == SourceKind::Site) {
            by_site.insert(entry.id, store.sections(entry.id)?);
        }
        let home_label = match lang {
            Lang::Fr => "À la une",
            Lang::En => "Latest",
        };
        let data = TreeData {
            states: &states,
            sections: &by_site,
            all_label: ALL_LABEL,
            bookmarks_label: BOOKMARKS_LABEL,
            unread_label: UNREAD_LABEL,
            home_label,
        };
        let nodes = sources::tree(entries, &data);
        let sections = by_site.into_values().flatten().map(|s| (s.id, s)).collect();
        let labels = sources::labels(states.values(), |url| {
            entries.iter().find(|e| e.url == url).and_then(|e| e.name.as_deref())
        });
        Ok(Model { nodes, states, sections, special: store.special_counts()?, labels })
    }
}
