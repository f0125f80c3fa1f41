//! The app without a terminal: events, batching, which layer a key goes to.

use super::*;
use crate::config::FeedConfig;
use crate::engine::{Mark, Outcome};
use crate::model::{ArticleId, SourceKind};
use crate::sources;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};

fn app_of(feeds: usize) -> (App, Vec<SourceId>) {
    let (app, ids, _) = app_with(feeds, 0);
    (app, ids)
}

/// An app on `feeds` feeds, the first of which holds `articles` unread articles, and
/// what it asks of its engine.
fn app_with(
    feeds: usize,
    articles: usize,
) -> (App, Vec<SourceId>, tokio::sync::mpsc::UnboundedReceiver<crate::engine::Request>) {
    let mut store = Store::open_in_memory().unwrap();
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
    let ids: Vec<SourceId> = entries.iter().map(|e| e.id).collect();
    let new = (0..articles).map(|i| crate::model::NewArticle {
        guid: i.to_string(),
        url: None,
        title: format!("article {i}"),
        author: None,
        published: chrono::DateTime::from_timestamp(1_700_000_000 - i as i64 * 60, 0),
        section: None,
        summary: None,
        content: Some("<p>Texte.</p>".to_owned()),
        enclosures: Vec::new(),
    });
    store.save_articles(ids[0], &new.collect::<Vec<_>>(), 1_700_000_000).unwrap();
    let (engine, requests) = Engine::detached();
    let setup = Setup {
        store,
        engine,
        entries,
        keymap: KeyMap::default(),
        theme: Theme::default(),
        lang: Lang::Fr,
        clock: Clock::System,
        browser: Default::default(),
        layout: Default::default(),
        refresh_minutes: 0,
    };
    (App::new(setup, 120, 40).unwrap(), ids, requests)
}

fn at(secs: i64) -> Clock {
    Clock::Fixed(chrono::DateTime::from_timestamp(secs, 0).unwrap().fixed_offset())
}

fn refreshes(requests: &mut tokio::sync::mpsc::UnboundedReceiver<crate::engine::Request>) -> Vec<Vec<SourceId>> {
    std::iter::from_fn(|| requests.try_recv().ok())
        .filter_map(|r| match r {
            crate::engine::Request::Refresh(ids) => Some(ids),
            _ => None,
        })
        .collect()
}

/// With `refresh_minutes`, the reader refreshes by itself an interval after the last
/// refresh ended, with the status line's progress, leaving out a source that failed
/// lately; never while one runs.
#[test]
fn the_reader_refreshes_by_itself_and_backs_off_a_failing_source() {
    const T0: i64 = 1_764_335_100;
    let (mut app, ids, mut requests) = app_with(3, 0);
    app.clock = at(T0);
    app.schedule = super::Schedule::new(30, T0);
    app.store.record_failed(ids[1], "timed out", T0 + 20 * 60, None).unwrap();
    app.clock = at(T0 + 29 * 60);
    assert!(!app.handle(AppEvent::Tick), "not yet: a quiet tick");
    assert_eq!(refreshes(&mut requests), Vec::<Vec<SourceId>>::new());
    app.clock = at(T0 + 30 * 60);
    assert!(app.handle(AppEvent::Tick), "due: the progress shows");
    assert_eq!(refreshes(&mut requests), [vec![ids[0], ids[2]]], "the failing one rests an interval");
    assert!(app.status.is_refreshing());
    app.clock = at(T0 + 90 * 60);
    app.handle(AppEvent::Tick);
    assert_eq!(refreshes(&mut requests), Vec::<Vec<SourceId>>::new(), "not while one runs");
    let done = crate::engine::Summary { sources: 2, ..Default::default() };
    app.handle(AppEvent::Engine(Event::Finished(done)));
    app.clock = at(T0 + 119 * 60);
    app.handle(AppEvent::Tick);
    assert_eq!(refreshes(&mut requests), Vec::<Vec<SourceId>>::new(), "an interval after it ended");
    app.clock = at(T0 + 120 * 60);
    app.handle(AppEvent::Tick);
    assert_eq!(refreshes(&mut requests), [ids], "rested: all three");
}

fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    app.handle(AppEvent::Key(KeyEvent::new(code, modifiers)));
    app.settle();
}

fn typed(app: &mut App, text: &str) {
    text.chars().for_each(|c| press(app, KeyCode::Char(c), KeyModifiers::NONE));
}

/// `j` moves in the panes and is typed in the search prompt; the prompt's own keys edit
/// the line; Esc closes it, and `j` moves again.
#[test]
fn a_key_means_what_the_layer_on_top_says() {
    let (mut app, _, _) = app_with(2, 0);
    let selected = |app: &App| app.tree.selected().unwrap().label.clone();
    assert_eq!(selected(&app), "All articles");
    typed(&mut app, "j");
    let moved = selected(&app);
    assert_ne!(moved, "All articles", "j moved down the tree");

    typed(&mut app, "/");
    assert!(matches!(app.layer, Some(Layer::Prompt)));
    typed(&mut app, "jk lune");
    assert_eq!(app.prompt.text(), "jk lune");
    press(&mut app, KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert_eq!(app.prompt.text(), "jk ");
    press(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(app.prompt.text(), "");
    assert_eq!(selected(&app), moved, "the panes saw none of it");
    press(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert!(app.layer.is_none());
    typed(&mut app, "k");
    assert_eq!(selected(&app), "All articles");
}

/// `M` over 25 unread articles asks first; the answer takes the next key, whatever it
/// is: `j` says no and moves nothing, `y` sends the marks for exactly those 25.
#[test]
fn a_question_takes_the_next_key_and_only_yes_marks() {
    let (mut app, _, mut requests) = app_with(1, 25);
    let rows = app.store.rows(&Scope::Unread, store::Anchor::First, 30).unwrap();
    let mut ids: Vec<ArticleId> = rows.iter().map(|r| r.key.id).collect();
    ids.sort_unstable();
    typed(&mut app, "M");
    assert!(matches!(&app.layer, Some(Layer::Confirm { question, .. }) if question == "Mark 25 articles read?"));
    let selected = app.tree.selected().unwrap().label.clone();
    typed(&mut app, "j");
    assert!(app.layer.is_none());
    assert_eq!(app.tree.selected().unwrap().label, selected, "the answer's key went nowhere else");
    assert!(std::iter::from_fn(|| requests.try_recv().ok()).all(|r| !matches!(r, crate::engine::Request::Mark(_))));

    typed(&mut app, "My");
    let marks: Vec<_> = std::iter::from_fn(|| requests.try_recv().ok())
        .filter(|r| matches!(r, crate::engine::Request::Mark(_)))
        .collect();
    assert_eq!(marks, [crate::engine::Request::Mark(crate::engine::Mark::Many { ids: ids.clone(), read: true })]);
    assert!(app.marks_waiting());
    app.handle(AppEvent::Engine(Event::Marked { mark: crate::engine::Mark::Many { ids, read: true }, result: Ok(25) }));
    assert!(!app.marks_waiting());
}

fn marks_sent(requests: &mut tokio::sync::mpsc::UnboundedReceiver<crate::engine::Request>) -> Vec<Mark> {
    std::iter::from_fn(|| requests.try_recv().ok())
        .filter_map(|r| match r {
            crate::engine::Request::Mark(mark) => Some(mark),
            _ => None,
        })
        .collect()
}

/// A few articles are marked at once, without a question; `U` gives back exactly those
/// the engine marked, once, and says when there is nothing to undo.
#[test]
fn a_few_are_marked_without_a_question_and_u_undoes_it() {
    let (mut app, _, mut requests) = app_with(1, 20);
    let rows = app.store.rows(&Scope::Unread, store::Anchor::First, 30).unwrap();
    let mut ids: Vec<ArticleId> = rows.iter().map(|r| r.key.id).collect();
    ids.sort_unstable();
    typed(&mut app, "U");
    assert_eq!(app.status.message(), Some("nothing to undo"));
    typed(&mut app, "M");
    assert!(app.layer.is_none(), "20 articles: no question");
    let read = Mark::Many { ids: ids.clone(), read: true };
    assert_eq!(marks_sent(&mut requests), std::slice::from_ref(&read));
    app.handle(AppEvent::Engine(Event::Marked { mark: read, result: Ok(20) }));
    assert_eq!(app.status.message(), Some("marked 20 articles read (U to undo)"));
    typed(&mut app, "U");
    assert_eq!(marks_sent(&mut requests), [Mark::Many { ids, read: false }]);
    typed(&mut app, "U");
    assert_eq!(app.status.message(), Some("nothing to undo"), "once");
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

/// A first run without network, over an empty cache, points at what works offline; with
/// articles cached, it says they are shown.
#[test]
fn offline_over_an_empty_cache_points_at_the_demo_and_add() {
    let offline = crate::engine::Summary { sources: 2, failed: 2, network_failures: 2, new: 0 };
    let (mut app, _, _) = app_with(2, 0);
    app.handle(AppEvent::Engine(Event::Finished(offline)));
    assert_eq!(app.status.message(), Some("No network? Try `kiosque --demo`, or add a site with `kiosque add URL`"));
    let (mut app, _, _) = app_with(2, 3);
    app.handle(AppEvent::Engine(Event::Finished(offline)));
    assert_eq!(app.status.message(), Some("offline: showing the cached articles"));
}
