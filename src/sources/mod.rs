//! Where news comes from. Every configured source gets an id in the cache, and together
//! they form the tree the reader shows: an "All" node, then folders and sources in the
//! order of the config. A feed is a leaf; a site (`site`) holds its own sections, with
//! its newest articles first.

pub mod discover;
pub mod feed;
pub mod feed_links;
pub mod home;
pub mod ignore;
pub mod import;
pub mod links;
pub mod menu;
pub mod newsboat;
pub mod opml;
pub mod page;
pub mod site;
pub mod subscriptions;
pub mod wordpress;

use std::collections::HashMap;

use crate::config::FeedConfig;
use crate::model::{Node, NodeKey, SectionId, SourceId, SourceKind, SourceState};
use crate::store::{self, Store};
use crate::store::{RemoteFeedRow, SectionRow};

/// A configured source, known to the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceEntry {
    pub id: SourceId,
    pub url: String,
    pub name: Option<String>,
    pub folder: Option<String>,
    pub kind: SourceKind,
    pub prefetch: bool,
}

/// Gives each configured feed its id in the cache, adding the new ones. A read-only
/// cache shows the sources it has; one it lacks waits for a cache that can be written.
pub fn register(feeds: &[FeedConfig], store: &Store) -> store::Result<Vec<SourceEntry>> {
    let mut entries = Vec::with_capacity(feeds.len());
    for f in feeds {
        let id = match store.ensure_source_of_kind(&f.url, f.kind) {
            Ok(id) => id,
            Err(store::StoreError::ReadOnly) if store.read_only().is_some() => continue,
            Err(e) => return Err(e),
        };
        entries.push(SourceEntry {
            id,
            url: f.url.clone(),
            name: f.name.clone(),
            folder: f.folder.clone(),
            kind: f.kind,
            prefetch: f.prefetch,
        });
    }
    Ok(entries)
}

/// The feed server of `[sync]`, as a source of the tree: its feeds are its children.
pub fn register_server(settings: &crate::sync::Settings, store: &Store) -> store::Result<SourceEntry> {
    let url = settings.key();
    let id = store.ensure_source_of_kind(&url, SourceKind::Server)?;
    Ok(SourceEntry { id, url, name: Some(settings.label()), folder: None, kind: SourceKind::Server, prefetch: false })
}

/// What a source is called: its configured name, else the title it gives itself, else its host.
pub fn label(entry: &SourceEntry, state: Option<&SourceState>) -> String {
    label_of(entry.name.as_deref(), &entry.url, state)
}

/// `label`, for a source of the config that the cache may not know yet.
pub fn config_label(feed: &FeedConfig, state: Option<&SourceState>) -> String {
    label_of(feed.name.as_deref(), &feed.url, state)
}

/// `label`, for a source that may have left the config (`name` is then `None`).
fn label_of(name: Option<&str>, url: &str, state: Option<&SourceState>) -> String {
    name.map(str::to_owned).or_else(|| state.and_then(|s| s.title.clone())).unwrap_or_else(|| {
        url::Url::parse(url).ok().and_then(|u| u.host_str().map(str::to_owned)).unwrap_or_else(|| url.to_owned())
    })
}

/// Every cached source's name by `label_of`, `name` giving the config's name for a URL.
/// Sources that left the config (their bookmarks stay) are named too.
pub fn labels<'a, 'n>(
    states: impl IntoIterator<Item = &'a SourceState>,
    name: impl Fn(&str) -> Option<&'n str>,
) -> HashMap<SourceId, String> {
    states.into_iter().map(|s| (s.id, label_of(name(&s.url), &s.url, Some(s)))).collect()
}

/// What the tree is made from besides the config.
pub struct TreeData<'a> {
    pub states: &'a HashMap<SourceId, SourceState>,
    /// Each site's sections, in tree order.
    pub sections: &'a HashMap<SourceId, Vec<SectionRow>>,
    /// The label of a site's newest articles ("À la une", "Latest").
    pub home_label: &'a str,
    /// Each feed server's feeds, by folder.
    pub remote: &'a HashMap<SourceId, Vec<RemoteFeedRow>>,
}

/// The sources' tree: folders and unfiled sources in config order; a site's node holds
/// its sections.
pub fn tree(entries: &[SourceEntry], data: &TreeData<'_>) -> Vec<Node> {
    let leaves = entries.iter().map(|entry| {
        let label = label(entry, data.states.get(&entry.id));
        let children = match (data.sections.get(&entry.id), data.remote.get(&entry.id)) {
            (Some(sections), _) => section_nodes(entry.id, sections, None, data.home_label),
            (None, Some(feeds)) => remote_nodes(&label, feeds),
            (None, None) => Vec::new(),
        };
        let leaf = Node { key: NodeKey::Source(entry.id), label, children };
        (entry.folder.clone(), leaf)
    });
    folder_nodes(crate::folder::group(leaves))
}

fn folder_nodes(entries: Vec<crate::folder::Entry<Node>>) -> Vec<Node> {
    use crate::folder::Entry;
    entries
        .into_iter()
        .map(|entry| match entry {
            Entry::Item(node) => node,
            Entry::Folder(f) => Node { key: NodeKey::Folder(f.path), label: f.name, children: folder_nodes(f.entries) },
        })
        .collect()
}

/// A feed server's feeds, in folders as its categories; a folder's key starts with the
/// server's name, so that it is not taken for a folder of the config.
fn remote_nodes(server: &str, feeds: &[RemoteFeedRow]) -> Vec<Node> {
    let leaves = feeds.iter().map(|f| {
        let folder = f.folder.as_deref().and_then(|name| crate::folder::join([server, name]));
        (folder, Node { key: NodeKey::Source(f.id), label: f.title.clone(), children: Vec::new() })
    });
    let nodes = folder_nodes(crate::folder::group(leaves));
    // The server's own folder, which every category is in, is the server's node.
    nodes
        .into_iter()
        .flat_map(|n| match &n.key {
            NodeKey::Folder(path) if crate::folder::names(path).count() == 1 => n.children,
            _ => vec![n],
        })
        .collect()
}

/// The sections under `parent`, each with its own.
fn section_nodes(source: SourceId, sections: &[SectionRow], parent: Option<SectionId>, home_label: &str) -> Vec<Node> {
    sections
        .iter()
        .filter(|s| s.parent == parent)
        .map(|s| Node {
            key: NodeKey::Section(source, s.id),
            label: if s.home { home_label.to_owned() } else { s.label.clone() },
            children: section_nodes(source, sections, Some(s.id), home_label),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_nest_in_the_tree_by_their_path() {
        let entry = |id: i64, folder: Option<&str>| SourceEntry {
            id: SourceId(id),
            url: format!("https://{id}.example/feed"),
            name: Some(format!("s{id}")),
            folder: folder.map(str::to_owned),
            kind: SourceKind::Feed,
            prefetch: false,
        };
        let entries = [
            entry(1, Some("Tech / Podcasts")),
            entry(2, None),
            entry(3, Some("tech")),
            entry(4, Some("Tech / Podcasts")),
        ];
        let (states, sections, remote) = (HashMap::new(), HashMap::new(), HashMap::new());
        let data = TreeData { states: &states, sections: &sections, home_label: "Latest", remote: &remote };
        let nodes = tree(&entries, &data);
        fn shape(nodes: &[Node]) -> String {
            let each = nodes.iter().map(|n| match &n.key {
                NodeKey::Folder(path) => format!("{}<{path}>({})", n.label, shape(&n.children)),
                _ => n.label.clone(),
            });
            each.collect::<Vec<_>>().join(" ")
        }
        assert_eq!(shape(&nodes), "Tech<Tech>(Podcasts<Tech / Podcasts>(s1 s4) s3) s2");
        assert_eq!(nodes[0].sources(), vec![SourceId(1), SourceId(4), SourceId(3)]);
    }
}
