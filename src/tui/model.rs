//! The view model: what the tree shows, read from the cache in one go, once per batch of
//! events (`App::settle`): the nodes, the reader's own (bookmarks, unread, all) on top
//! of the sources' (`sources::tree`), the sources' states
//! and the sites' sections, the counts of bookmarks and unread articles, and every
//! source's label.

use std::collections::HashMap;

use crate::model::{Node, NodeKey, SectionId, SourceId, SourceKind, SourceState};
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
        let (mut by_site, mut remote) = (HashMap::new(), HashMap::new());
        for entry in entries {
            match entry.kind {
                SourceKind::Site => drop(by_site.insert(entry.id, store.sections(entry.id)?)),
                SourceKind::Server => drop(remote.insert(entry.id, store.remote_feeds(entry.id)?)),
                SourceKind::Feed | SourceKind::Remote => {}
            }
        }
        let home_label = match lang {
            Lang::Fr => "À la une",
            Lang::En => "Latest",
        };
        let data = TreeData { states: &states, sections: &by_site, home_label, remote: &remote };
        let special = |key, label: &str| Node { key, label: label.to_owned(), children: Vec::new() };
        let mut nodes = vec![
            special(NodeKey::Bookmarks, BOOKMARKS_LABEL),
            special(NodeKey::Unread, UNREAD_LABEL),
            special(NodeKey::All, ALL_LABEL),
        ];
        nodes.extend(sources::tree(entries, &data));
        let sections = by_site.into_values().flatten().map(|s| (s.id, s)).collect();
        let labels = sources::labels(states.values(), |url| {
            entries.iter().find(|e| e.url == url).and_then(|e| e.name.as_deref())
        });
        Ok(Model { nodes, states, sections, special: store.special_counts()?, labels })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::FeedConfig;

    #[test]
    fn the_readers_own_nodes_come_first_then_the_sources_in_config_order() {
        let store = Store::open_in_memory().unwrap();
        let feed = |url: &str, folder: Option<&str>| FeedConfig {
            url: url.to_owned(),
            name: Some(url[8..9].to_uppercase()),
            folder: folder.map(str::to_owned),
            kind: SourceKind::Feed,
            prefetch: false,
        };
        let configs = [feed("https://a.example/", Some("Tech")), feed("https://b.example/", None)];
        let entries = sources::register(&configs, &store).unwrap();
        let model = Model::read(&store, &entries, Lang::Fr).unwrap();
        let labels: Vec<&str> = model.nodes.iter().map(|n| n.label.as_str()).collect();
        assert_eq!(labels, ["Bookmarks", "Unread", "All articles", "Tech", "B"]);
        assert_eq!(model.nodes[3].children[0].label, "A");
        assert_eq!(model.labels[&entries[1].id], "B");
        assert_eq!(model.special, (0, 0));
    }

    #[test]
    fn a_feed_servers_node_holds_its_categories_and_feeds_with_their_counts() {
        use crate::sync::{RemoteFeed, ServerKind, Settings, password};
        let mut store = Store::open_in_memory().unwrap();
        let settings = Settings {
            kind: ServerKind::Ttrss,
            url: url::Url::parse("http://127.0.0.1:8280/").unwrap(),
            user: "ana".to_owned(),
            password: password::From::Variable,
            name: None,
        };
        let server = sources::register_server(&settings, &store).unwrap();
        let feed = |id, title: &str, folder: Option<&str>| RemoteFeed {
            id,
            title: title.to_owned(),
            url: format!("https://{id}.example/feed"),
            folder: folder.map(str::to_owned),
            unread: 0,
        };
        let feeds = [feed(1, "Ars", Some("Tech")), feed(2, "Monde", None), feed(3, "Verge", Some("Tech"))];
        let ids = store.save_remote_feeds(server.id, &feeds).unwrap();
        let article = |id: i64, feed: i64| crate::sync::RemoteArticle {
            id,
            feed,
            cursor: id,
            article: crate::model::NewArticle { guid: id.to_string(), title: format!("a{id}"), ..Default::default() },
            unread: id != 11,
            starred: false,
        };
        store.save_remote_articles(&ids, &[article(10, 1), article(11, 1), article(12, 3)], 1).unwrap();
        let model = Model::read(&store, std::slice::from_ref(&server), Lang::En).unwrap();
        let node = &model.nodes[3];
        assert_eq!(node.label, "Tiny Tiny RSS (127.0.0.1:8280)");
        fn shape(nodes: &[Node]) -> Vec<String> {
            nodes.iter().map(|n| format!("{}{:?}", n.label, shape(&n.children))).collect()
        }
        assert_eq!(shape(&node.children), ["Tech[\"Ars[]\", \"Verge[]\"]", "Monde[]"]);
        let unread: u32 = node.sources().iter().map(|id| model.states[id].unread).sum();
        assert_eq!(unread, 2, "one of the three came read from the server");
        assert_eq!(model.states[&ids[&1]].server, Some(server.id));
    }
}
