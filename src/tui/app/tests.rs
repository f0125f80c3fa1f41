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

/// A warning at start-up (a damaged cache replaced, a bad `[keys]` entry) stays on the
/// status line when the start-up refresh ends; the next key clears it, and the next
/// refresh's news shows.
#[test]
fn a_warning_outlives_the_news_of_a_refresh() {
    let (mut app, _) = app_of(3);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let mut status = |app: &mut App| {
        terminal.draw(|frame| app.draw(frame)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..120).map(|x| buffer[(x, 39)].symbol()).collect::<String>()
    };
    let done = crate::engine::Summary { sources: 3, ..Default::default() };
    app.status().error("[keys] \"j\" = \"fly\": left out");
    app.handle(AppEvent::Engine(Event::Finished(done)));
    assert!(status(&mut app).contains("\"fly\": left out"), "{}", status(&mut app));
    app.update(Action::Down);
    app.handle(AppEvent::Engine(Event::Finished(done)));
    assert!(status(&mut app).contains("refreshed: 0 new articles"), "{}", status(&mut app));
}
