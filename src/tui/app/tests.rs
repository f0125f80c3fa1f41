//! The app without a terminal: events, batching.

use super::*;
use crate::config::FeedConfig;
use crate::engine::Outcome;
use crate::model::SourceKind;
use crate::sources;

fn app_of(feeds: usize) -> (App, Vec<SourceId>) {
    let store = Store::open_in_memory().unwrap();
    let configs: Vec<FeedConfig> = (0..feeds)
        .map(|i| FeedConfig {
            url: format!("https://site{i}.example/feed"),
            name: None,
            folder: None,
            kind: SourceKind::Feed,
            prefetch: false,
        })
        .collect();
    let entries = sources::register(&configs, &store).unwrap();
    let ids = entries.iter().map(|e| e.id).collect();
    let setup = Setup {
        store,
        engine: Engine::detached().0,
        entries,
        keymap: KeyMap::default(),
        theme: Theme::default(),
        lang: Lang::Fr,
        clock: Clock::System,
    };
    (App::new(setup, 120, 40).unwrap(), ids)
}

#[test]
fn a_batch_of_events_reads_the_tree_again_once() {
    let (mut app, ids) = app_of(30);
    let before = app.tree_reloads;
    for &id in &ids {
        let outcome = Outcome::Updated { new: 0, items: 0, pages: Default::default() };
        app.handle(AppEvent::Engine(Event::SourceDone { id, outcome }));
    }
    assert_eq!(app.tree_reloads, before, "nothing is read while the events come");
    app.settle();
    assert_eq!(app.tree_reloads, before + 1, "one reload for the batch");
    app.settle();
    assert_eq!(app.tree_reloads, before + 1, "and none once settled");
}
