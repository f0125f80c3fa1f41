//! Where news comes from. Every configured source gets an id in the cache, and together
//! they form the tree the reader shows: an "All" node, then folders and sources in the
//! order of the config. For now every source is a feed (`feed`); sites come later.

pub mod feed;
pub mod menu;
pub mod page;
pub mod site;
pub mod wordpress;

use std::collections::HashMap;

use crate::config::FeedConfig;
use crate::model::{Node, NodeKey, SourceId, SourceState};
use crate::store::{self, Store};

/// A configured source, known to the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceEntry {
    pub id: SourceId,
    pub url: String,
    pub name: Option<String>,
    pub folder: Option<String>,
}

/// Gives each configured feed its id in the cache, adding the new ones.
pub fn register(feeds: &[FeedConfig], store: &Store) -> store::Result<Vec<SourceEntry>> {
    feeds
        .iter()
        .map(|f| {
            Ok(SourceEntry {
                id: store.ensure_source(&f.url)?,
                url: f.url.clone(),
                name: f.name.clone(),
                folder: f.folder.clone(),
            })
        })
        .collect()
}

/// What a source is called: its configured name, else the title it gives itself, else its host.
pub fn label(entry: &SourceEntry, state: Option<&SourceState>) -> String {
    entry.name.clone().or_else(|| state.and_then(|s| s.title.clone())).unwrap_or_else(|| {
        url::Url::parse(&entry.url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_owned))
            .unwrap_or_else(|| entry.url.clone())
    })
}

/// The tree: "All" first, then folders and unfiled sources in config order.
pub fn tree(entries: &[SourceEntry], states: &HashMap<SourceId, SourceState>, all_label: &str) -> Vec<Node> {
    let mut nodes = vec![Node { key: NodeKey::All, label: all_label.to_owned(), children: Vec::new() }];
    for entry in entries {
        let leaf =
            Node { key: NodeKey::Source(entry.id), label: label(entry, states.get(&entry.id)), children: Vec::new() };
        match &entry.folder {
            None => nodes.push(leaf),
            Some(folder) => {
                let key = NodeKey::Folder(folder.clone());
                match nodes.iter_mut().find(|n| n.key == key) {
                    Some(node) => node.children.push(leaf),
                    None => nodes.push(Node { key, label: folder.clone(), children: vec![leaf] }),
                }
            }
        }
    }
    nodes
}
