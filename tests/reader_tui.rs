//! The reader end to end: fixture feeds served on 127.0.0.1, refreshed by the real engine
//! into a cache, shown by the app on ratatui's TestBackend. Whole screens are snapshots;
//! styles that carry meaning are asserted.

mod common;

use std::collections::BTreeMap;

use common::{Fixtures, pump, temp_cache};
use std::sync::mpsc::Receiver;

use kiosque::config::KeysConfig;
use kiosque::engine::{Engine, Event};
use kiosque::store::{Anchor, Store};
use kiosque::tui::{Action, App, AppEvent, KeyMap, Pane, Setup, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Modifier};

struct Screen {
    app: App,
    terminal: Terminal<TestBackend>,
    /// The engine's events, when it is a real one: its answers to the marks sent are
    /// handed to the app before each frame.
    events: Option<Receiver<Event>>,
}

impl Screen {
    fn new(setup: Setup, width: u16, height: u16) -> Screen {
        let app = App::new(setup, width, height).unwrap();
        let terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
        Screen { app, terminal, events: None }
    }

    fn with(mut self, events: Receiver<Event>) -> Screen {
        self.events = Some(events);
        self
    }

    /// The frame as it is, marks not yet committed included.
    fn peek(&mut self) -> &TestBackend {
        self.app.settle();
        self.terminal.draw(|frame| self.app.draw(frame)).unwrap();
        self.terminal.backend()
    }

    fn act(&mut self, actions: &[Action]) -> &mut Self {
        for action in actions {
            self.app.update(*action);
        }
        self
    }

    /// The frame once the engine has committed the marks sent.
    fn draw(&mut self) -> &TestBackend {
        if let Some(events) = &self.events {
            common::confirm_marks(&mut self.app, events);
        }
        self.peek()
    }

    /// The text of row `y`.
    fn row(&mut self, y: u16) -> String {
        let buffer = self.draw().buffer().clone();
        (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect()
    }

    /// The cell where `needle` starts on screen.
    fn find(&mut self, needle: &str) -> (u16, u16) {
        let buffer = self.draw().buffer().clone();
        for y in 0..buffer.area.height {
            let row: Vec<&str> = (0..buffer.area.width).map(|x| buffer[(x, y)].symbol()).collect();
            let text = row.concat();
            if let Some(byte) = text.find(needle) {
                let column = text[..byte].chars().count() as u16;
                return (column, y);
            }
        }
        panic!("{needle:?} is not on screen:\n{}", self.terminal.backend());
    }
}

/// A cache refreshed from the sample feeds, and the setup of an app on it.
/// The engine is a real one, to write the reader's marks; its events come with it.
fn refreshed() -> (Fixtures, tempfile::TempDir, Setup, Receiver<Event>) {
    let fixtures = Fixtures::start();
    let (dir, cache) = temp_cache();
    let (entries, summary) = fixtures.refresh(&cache, &fixtures.sample_feeds());
    assert_eq!((summary.sources, summary.failed, summary.new), (5, 1, 10));
    let (engine, events) = fixtures.engine(&cache);
    let setup = common::setup(&cache, engine, entries);
    (fixtures, dir, setup, events)
}

#[test]
fn wide_screen_shows_tree_list_and_article() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    insta::assert_snapshot!(screen.draw());
}

#[test]
fn wide_screen_with_a_source_selected_and_its_article_open() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    screen.act(&[Action::Down, Action::Down, Action::Open, Action::Down, Action::Open]);
    assert_eq!(screen.app.focus(), Pane::Reader);
    insta::assert_snapshot!(screen.draw());
}

#[test]
fn narrow_screen_shows_one_pane_at_a_time() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 80, 24).with(events);
    insta::assert_snapshot!("narrow_tree", screen.draw());
    screen.act(&[Action::Down, Action::Down, Action::Open]);
    insta::assert_snapshot!("narrow_list", screen.draw());
    screen.act(&[Action::Open]);
    insta::assert_snapshot!("narrow_article", screen.draw());
    screen.act(&[Action::ReadOn]);
    insta::assert_snapshot!("narrow_article_scrolled", screen.draw());
}

#[test]
fn the_article_reflows_when_the_window_is_resized() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 80, 24).with(events);
    screen.act(&[Action::Down, Action::Down, Action::Open, Action::Down, Action::Open]);
    assert!(screen.row(1).contains("Les bibliothèques de Lyon ouvriront le dimanche dès janvier"));
    assert!(screen.row(4).contains("Après deux ans d’essai dans trois quartiers, la ville de Lyon étend"));
    screen.app.handle(AppEvent::Resize(50, 24));
    screen.terminal.backend_mut().resize(50, 24);
    assert!(!screen.row(1).contains("janvier") && screen.row(2).contains("janvier"), "the title wraps at 50");
    for y in 0..24 {
        let row = screen.row(y);
        assert_eq!(row.chars().count(), 50, "{row}");
    }
    insta::assert_snapshot!(screen.draw());
}

#[test]
fn opening_an_article_marks_it_read_and_updates_the_counts() {
    let (_fixtures, dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    assert!(screen.row(3).contains("All articles      10"), "{}", screen.row(3));
    let (x, y) = screen.find("Les bibliothèques de Lyon");
    let before = screen.draw().buffer()[(x, y)].style();
    assert!(before.add_modifier.contains(Modifier::BOLD), "unread titles are bold");

    screen.act(&[Action::Right, Action::Down, Action::Open]);
    assert_eq!(screen.app.focus(), Pane::Reader);
    assert!(screen.row(3).contains("All articles       9"), "{}", screen.row(3));
    let after = screen.draw().buffer()[(x, y)].style();
    assert!(!after.add_modifier.contains(Modifier::BOLD), "read titles are not bold");

    let store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
    let sources = store.sources().unwrap();
    let read: Vec<_> = store
        .rows(&kiosque::model::Scope::Sources(sources.iter().map(|s| s.id).collect()), Anchor::First, 20)
        .unwrap()
        .into_iter()
        .filter(|r| r.read)
        .map(|r| r.title)
        .collect();
    assert_eq!(read, ["Les bibliothèques de Lyon ouvriront le dimanche dès janvier"]);
}

/// While another process writes (a big refresh holds the cache's lock a batch at a time),
/// opening an article does not wait for it: the article shows read at once, and its mark
/// reaches the cache, and the counts, once the engine's writer gets the lock.
#[test]
fn opening_an_article_while_another_process_writes_does_not_wait_for_it() {
    let (_fixtures, dir, setup, events) = refreshed();
    let path = dir.path().join("cache.sqlite");
    let read_in_cache = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM articles WHERE read = 1", [], |r| r.get(0)).unwrap()
    };
    let mut screen = Screen::new(setup, 120, 40).with(events);
    let (x, y) = screen.find("Les bibliothèques de Lyon");
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();

    let started = std::time::Instant::now();
    screen.act(&[Action::Right, Action::Down, Action::Open]);
    assert_eq!(screen.app.focus(), Pane::Reader);
    let shown = screen.peek().buffer()[(x, y)].style();
    assert!(started.elapsed() < std::time::Duration::from_secs(1), "no key waited for the lock");
    assert!(!shown.add_modifier.contains(Modifier::BOLD), "shown read at once");
    assert!(screen.app.marks_waiting());
    assert_eq!(read_in_cache(&other), 0, "not written while the other holds the lock");

    other.execute_batch("COMMIT").unwrap();
    assert!(screen.row(3).contains("All articles       9"), "{}", screen.row(3));
    assert_eq!(read_in_cache(&other), 1);
    let written = screen.draw().buffer()[(x, y)].style();
    assert!(!written.add_modifier.contains(Modifier::BOLD), "still shown read once written");

    // A bookmark waits too, and shows as kept only once it is.
    let bookmarks = |conn: &rusqlite::Connection| -> i64 {
        conn.query_row("SELECT count(*) FROM bookmarks", [], |r| r.get(0)).unwrap()
    };
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    screen.act(&[Action::Bookmark]);
    let peek_row = |screen: &mut Screen, y| {
        let buffer = screen.peek().buffer().clone();
        (0..120).map(|x| buffer[(x, y)].symbol()).collect::<String>()
    };
    let status = |screen: &mut Screen| peek_row(screen, 39);
    assert!(status(&mut screen).contains("bookmarking…"), "{}", status(&mut screen));
    let tree = peek_row(&mut screen, 1);
    assert!(words(&tree).starts_with("│ Bookmarks ││"), "not counted yet: {tree}");
    assert!(!peek_row(&mut screen, 0).contains("★"), "not shown as kept yet");
    assert_eq!(bookmarks(&other), 0);
    other.execute_batch("COMMIT").unwrap();
    assert!(screen.row(39).contains("bookmarked: kept for offline reading"), "{}", screen.row(39));
    assert!(words(&screen.row(1)).starts_with("│ Bookmarks 1││"), "{}", screen.row(1));
    assert!(screen.row(0).contains("★"), "{}", screen.row(0));
    assert_eq!(bookmarks(&other), 1);

    // And so does marking a whole list read.
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    screen.act(&[Action::Left, Action::MarkAllRead]);
    assert!(status(&mut screen).contains("marking read…"), "{}", status(&mut screen));
    assert_eq!(read_in_cache(&other), 1);
    other.execute_batch("COMMIT").unwrap();
    assert!(screen.row(39).contains("marked 9 articles read"), "{}", screen.row(39));
    assert!(screen.row(3).contains("All articles      "), "{}", screen.row(3));
    assert!(!screen.row(3).contains("All articles       9"), "counts read again: {}", screen.row(3));
    assert_eq!(read_in_cache(&other), 10);
}

#[test]
fn the_selection_is_highlighted_in_the_focused_pane() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    let theme = Theme::default();
    let tree_row = "All articles      10";
    let (x, y) = screen.find(tree_row);
    assert_eq!(screen.draw().buffer()[(x, y)].bg, theme.selected.bg.unwrap());
    screen.act(&[Action::Right]);
    let (x, y) = screen.find("Un article sans date");
    assert_eq!(screen.draw().buffer()[(x, y)].bg, Color::Cyan);
    let (x, y) = screen.find(tree_row);
    assert_eq!(screen.draw().buffer()[(x, y)].bg, theme.selected_unfocused.bg.unwrap(), "unfocused: dimmer");
    assert_ne!(theme.selected_unfocused.bg, theme.selected.bg);
}

#[test]
fn a_failed_source_is_marked_and_its_reason_shown_when_selected() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    let (x, y) = screen.find("Disparu !");
    assert_eq!(screen.draw().buffer()[(x, y)].fg, Color::Red);
    screen.act(&[Action::Bottom]);
    let status = screen.row(39);
    assert!(status.contains("Disparu: HTTP 404 Not Found"), "{status}");
}

#[test]
fn moving_keys_navigate_and_q_goes_back_then_quits() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    screen.act(&[Action::Right, Action::Bottom]);
    let last = screen.row(10);
    assert!(last.contains("Livres : un premier roman"), "{last}");
    screen.act(&[Action::Top, Action::Down]);
    assert!(screen.row(2).contains("Les bibliothèques"));
    screen.act(&[Action::Open]);
    assert_eq!(screen.app.focus(), Pane::Reader);
    screen.act(&[Action::BackOrQuit]);
    assert_eq!(screen.app.focus(), Pane::List);
    screen.act(&[Action::BackOrQuit]);
    assert_eq!(screen.app.focus(), Pane::Tree);
    assert!(!screen.app.should_quit());
    screen.act(&[Action::Back]);
    assert!(!screen.app.should_quit(), "Esc never quits");
    screen.act(&[Action::BackOrQuit]);
    assert!(screen.app.should_quit());
}

#[test]
fn help_lists_the_key_map_and_closes_with_escape() {
    let (_fixtures, _dir, mut setup, events) = refreshed();
    let keys = KeysConfig {
        panes: BTreeMap::from([("x".to_owned(), "refresh_all".to_owned())]),
        prompt: BTreeMap::from([("ctrl-k".to_owned(), "clear_to_start".to_owned())]),
        ..KeysConfig::default()
    };
    setup.keymap = KeyMap::new(&keys).0;
    let mut screen = Screen::new(setup, 120, 40).with(events);
    screen.act(&[Action::Help]);
    insta::assert_snapshot!(screen.draw());
    screen.act(&[Action::Down]);
    assert_eq!(screen.app.focus(), Pane::Tree, "keys act on the help while it is open");
    screen.act(&[Action::Bottom]);
    let end = screen.draw().to_string();
    assert!(end.contains("In a question ([keys.question])"), "every layer's keys: {end}");
    assert!(end.contains("y Y Enter         yes"), "{end}");
    assert!(end.contains("Ctrl-u Ctrl-k     clear_to_start"), "the prompt's keys are rebound too: {end}");
    screen.act(&[Action::Back]);
    assert!(!screen.draw().to_string().contains(" Keys "));
}

#[test]
fn refresh_keys_ask_the_engine_for_the_selected_node_or_everything() {
    let (_fixtures, _dir, mut setup, events) = refreshed();
    let (engine, mut requests) = Engine::detached();
    setup.engine = engine;
    let tech: Vec<_> = setup.entries.iter().filter(|e| e.folder.as_deref() == Some("Tech")).map(|e| e.id).collect();
    let all: Vec<_> = setup.entries.iter().map(|e| e.id).collect();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    screen.act(&[Action::Bottom, Action::Up, Action::Up, Action::Refresh]);
    assert_eq!(requests.try_recv().unwrap(), kiosque::engine::Request::Refresh(tech));
    assert!(screen.row(39).contains("refreshing 0/2"), "{}", screen.row(39));
    screen.app.handle(AppEvent::Engine(kiosque::engine::Event::Progress { done: 1, total: 2, failed: 1 }));
    assert!(screen.row(39).contains("refreshing 1/2 · 1 failed"), "{}", screen.row(39));
    screen.act(&[Action::RefreshAll]);
    assert_eq!(requests.try_recv().unwrap(), kiosque::engine::Request::Refresh(all));
}

/// The start-up path: the app opens on an empty cache, asks for a refresh, and shows
/// the articles as the engine's events arrive, without a restart.
#[test]
fn articles_appear_as_the_background_refresh_brings_them() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let entries = kiosque::sources::register(&fixtures.sample_feeds(), &Store::open(&cache).unwrap()).unwrap();
    let (engine, events) = fixtures.engine(&cache);
    let setup = common::setup(&cache, engine, entries);
    let mut screen = Screen::new(setup, 120, 40);
    assert!(screen.row(1).contains("No articles yet. Press r to refresh."), "{}", screen.row(1));
    screen.app.refresh_all();
    assert!(screen.row(1).contains("Refreshing…"), "{}", screen.row(1));
    pump(&mut screen.app, &events);
    assert!(screen.row(1).contains("Un article sans date"), "{}", screen.row(1));
    assert!(screen.row(2).contains("Les bibliothèques de Lyon"), "{}", screen.row(2));
    let status = screen.row(39);
    assert!(status.contains("refreshed: 10 new articles; 1 of 5 sources failed"), "{status}");
    // A second refresh finds nothing new and says so.
    screen.app.refresh_all();
    assert_eq!(pump(&mut screen.app, &events).new, 0);
}

/// Layouts are kept per article; a refresh that changes an article's text must not leave
/// the old layout on screen.
#[test]
fn an_article_changed_at_the_source_shows_its_new_text_after_a_refresh() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let feeds = [fixtures.feed("changing.rss", Some("Changeant"), None)];
    let feed = |body: &str| {
        format!(
            "<rss version=\"2.0\"><channel><title>C</title><item><title>Une brève</title><guid>b1</guid>\
             <pubDate>Fri, 28 Nov 2025 12:00:00 +0100</pubDate><description>{body}</description></item>\
             <item><title>Une autre</title><guid>b2</guid><pubDate>Fri, 28 Nov 2025 11:00:00 +0100</pubDate>\
             <description>Autre texte</description></item></channel></rss>"
        )
    };
    let mount = |body: &str| {
        fixtures.runtime.block_on(async {
            fixtures.server.reset().await;
            wiremock::Mock::given(wiremock::matchers::path("/changing.rss"))
                .respond_with(wiremock::ResponseTemplate::new(200).set_body_raw(feed(body), "application/rss+xml"))
                .mount(&fixtures.server)
                .await;
        })
    };
    mount("Première version du texte");
    let (entries, _) = fixtures.refresh(&cache, &feeds);
    let (engine, events) = fixtures.engine(&cache);
    let setup = common::setup(&cache, engine, entries);
    let mut screen = Screen::new(setup, 120, 40);
    screen.act(&[Action::Right, Action::Open]);
    assert!(screen.draw().to_string().contains("Première version du texte"));

    mount("Seconde version, corrigée");
    screen.app.refresh_all();
    pump(&mut screen.app, &events);
    screen.act(&[Action::Left, Action::Down, Action::Up, Action::Open]);
    let shown = screen.draw().to_string();
    assert!(shown.contains("Seconde version, corrigée"), "{shown}");
}

#[test]
fn an_empty_list_of_failed_sources_says_why() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let (entries, _) = fixtures.refresh(&cache, &[fixtures.feed("missing.rss", Some("Disparu"), None)]);
    let setup = common::setup(&cache, Engine::detached().0, entries);
    let mut screen = Screen::new(setup, 120, 40);
    let shown = screen.draw().to_string();
    assert!(
        shown.contains("Nothing cached yet: the last refresh") && shown.contains("failed. Select a source marked !"),
        "{shown}"
    );
    assert!(shown.contains("Disparu: HTTP 404 Not Found") || shown.contains("Disparu !"), "{shown}");
}

#[test]
fn without_sources_the_list_says_how_to_add_one() {
    let (_dir, cache) = temp_cache();
    let mut screen = Screen::new(common::setup(&cache, Engine::detached().0, Vec::new()), 120, 40);
    let shown = screen.draw().to_string();
    assert!(
        shown.contains("No sources yet. Add a site or a feed from") && shown.contains("kiosque add URL"),
        "{shown}"
    );
    screen.act(&[Action::RefreshAll, Action::Right, Action::Down, Action::Open, Action::OpenInBrowser]);
    assert_eq!(screen.app.focus(), Pane::List, "nothing to open, nothing breaks");
}

/// Hands engine events to the app until a page fetch is done; returns its result.
fn pump_page(
    app: &mut App,
    events: &std::sync::mpsc::Receiver<kiosque::engine::Event>,
) -> Result<kiosque::engine::PageKept, kiosque::engine::JobError> {
    loop {
        let event = events.recv_timeout(std::time::Duration::from_secs(20)).expect("the page fetch ends");
        let done = match &event {
            kiosque::engine::Event::PageDone { result, .. } => Some(result.clone()),
            _ => None,
        };
        app.handle(AppEvent::Engine(event));
        if let Some(result) = done {
            return result;
        }
    }
}

/// A feed of summaries: opening an article fetches its page and shows the full text, the
/// pane's title says where the text comes from, a page that is gone is explained, and an
/// article whose feed gave the full text is not fetched.
#[test]
fn opening_a_summary_fetches_the_full_text_from_its_page() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let (entries, _) = fixtures.refresh(&cache, &[fixtures.feed("resumes.rss", Some("Résumés"), None)]);
    let (engine, events) = fixtures.engine(&cache);
    let mut screen = Screen::new(common::setup(&cache, engine, entries), 120, 40);
    screen.act(&[Action::Right]);
    assert!(screen.row(0).contains("Résumés · summary (f: full text)"), "{}", screen.row(0));
    assert!(!screen.draw().to_string().contains("votée lundi soir"));

    screen.act(&[Action::Open]);
    assert!(screen.row(0).contains("Résumés · fetching the page…"), "{}", screen.row(0));
    assert_eq!(pump_page(&mut screen.app, &events), Ok(kiosque::engine::PageKept::Page));
    let shown = screen.draw().to_string();
    assert!(shown.contains("votée lundi soir en conseil municipal"), "{shown}");
    assert!(shown.contains("Camille Durand · Résumés"), "the page's byline fills in the feed's: {shown}");
    assert!(!shown.contains("Partager sur Facebook"), "{shown}");
    assert!(screen.row(0).contains("Résumés · full text"), "{}", screen.row(0));
    assert!(screen.row(39).contains("showing the full text from the article's page"), "{}", screen.row(39));

    screen.act(&[Action::Left, Action::Down, Action::Open]);
    let failed = pump_page(&mut screen.app, &events).unwrap_err();
    assert!(failed.to_string().contains("pages/disparue.html: HTTP 404"), "{failed}");
    assert!(!failed.is_network(), "the server answered");
    let status = screen.row(39);
    assert!(status.contains("no full text:") && status.contains("HTTP 404"), "{status}");
    assert!(screen.row(0).contains("Résumés · summary"), "{}", screen.row(0));

    screen.act(&[Action::Left, Action::Down, Action::Open]);
    assert!(screen.row(0).contains("Résumés · full text"), "{}", screen.row(0));
    assert!(screen.draw().to_string().contains("Le flux donne le texte entier"));
    let later: Vec<_> =
        std::iter::from_fn(|| events.recv_timeout(std::time::Duration::from_millis(300)).ok()).collect();
    assert!(!later.iter().any(|e| matches!(e, Event::PageDone { .. })), "no page asked for: {later:?}");
}

/// The next request to the engine that is not a mark.
fn next_fetch(
    requests: &mut tokio::sync::mpsc::UnboundedReceiver<kiosque::engine::Request>,
) -> Result<kiosque::engine::Request, tokio::sync::mpsc::error::TryRecvError> {
    loop {
        match requests.try_recv()? {
            kiosque::engine::Request::Mark(_) => continue,
            other => return Ok(other),
        }
    }
}

/// `f` fetches the page whatever the feed gave; once fetched, opening the article again
/// does not fetch it again.
#[test]
fn f_fetches_the_page_on_demand_and_opening_again_does_not() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let (entries, _) = fixtures.refresh(&cache, &[fixtures.feed("resumes.rss", Some("Résumés"), None)]);
    let (engine, mut requests) = Engine::detached();
    let mut screen = Screen::new(common::setup(&cache, engine, entries), 120, 40);
    let ids: Vec<_> = Store::open(&cache)
        .unwrap()
        .rows(&kiosque::model::Scope::Sources(vec![kiosque::model::SourceId(1)]), Anchor::First, 3)
        .unwrap()
        .iter()
        .map(|r| r.key.id)
        .collect();
    screen.act(&[Action::Right, Action::Open]);
    assert_eq!(next_fetch(&mut requests).unwrap(), kiosque::engine::Request::FetchPage(ids[0]));
    screen.act(&[Action::Left, Action::Open]);
    assert!(next_fetch(&mut requests).is_err(), "asked once per session");
    screen.act(&[Action::Left, Action::Down, Action::Down, Action::Open]);
    assert!(next_fetch(&mut requests).is_err(), "the feed gave the full text");
    screen.act(&[Action::FetchPage]);
    assert_eq!(next_fetch(&mut requests).unwrap(), kiosque::engine::Request::FetchPage(ids[2]));
}

/// `b` bookmarks the shown article: the Bookmarks node counts and lists it, the reader's
/// title marks it, `kiosque bookmarks` exports it in three formats, and `b` again takes
/// it off.
#[test]
fn bookmarks_round_trip_through_the_reader_and_the_shell() {
    let (_fixtures, dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    screen.act(&[Action::Right, Action::Down, Action::Bookmark]);
    assert!(words(&screen.row(1)).contains("Bookmarks 1"), "{}", screen.row(1));
    assert!(screen.row(0).contains("Actualités · ★ full text"), "{}", screen.row(0));
    assert!(screen.row(39).contains("bookmarked"), "{}", screen.row(39));
    screen.act(&[Action::Left, Action::Top]);
    assert!(screen.row(0).contains("Bookmarks · 1 article "), "{}", screen.row(0));
    assert!(screen.row(1).contains("Les bibliothèques de Lyon"), "{}", screen.row(1));

    let export = |format: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .args(["bookmarks", "--format", format])
            .env("KIOSQUE_CONFIG", dir.path().join("absent.toml"))
            .env("KIOSQUE_DATA_DIR", dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&export("json")).unwrap();
    assert_eq!(json[0]["title"], "Les bibliothèques de Lyon ouvriront le dimanche dès janvier");
    assert_eq!(json[0]["source"], "Le Kiosque du Midi – Actualités");
    assert_eq!(json[0]["section"], "Actualités");
    assert_eq!(json[0]["published"], "2025-11-28T13:05:00+00:00");
    assert!(json[0]["bookmarked_at"].as_str().unwrap().starts_with("2025-11-28T14:00:00"));
    assert!(json[0]["text"].as_str().unwrap().contains("douze bibliothèques"), "{json}");
    let text = export("text");
    assert!(text.starts_with("Les bibliothèques de Lyon ouvriront le dimanche dès janvier\n  https://"), "{text}");
    assert!(
        text.contains("Le Kiosque du Midi – Actualités · Actualités · 2025-11-28 · bookmarked 2025-11-28"),
        "{text}"
    );
    assert!(export("markdown").starts_with("- [Les bibliothèques de Lyon"), "the Markdown is a list of links");

    screen.act(&[Action::Right, Action::Bookmark]);
    assert!(!words(&screen.row(1)).contains("Bookmarks 1"), "{}", screen.row(1));
    assert!(screen.draw().to_string().contains("No bookmarks yet. Press b on an article"));
    assert_eq!(export("json").trim(), "[]");
}

/// A bookmark outlives its source's place in the config: the Bookmarks node still lists
/// it with its text, its source named by the title the feed gave itself.
#[test]
fn a_bookmark_stays_when_its_source_leaves_the_config() {
    let (fixtures, dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    screen.act(&[Action::Right, Action::Down, Action::Bookmark]);
    // Quitting as the reader does: the engine stops once the bookmark is written.
    screen.app.stop_engine(std::time::Duration::from_secs(5));
    drop(screen);

    let cache = dir.path().join("cache.sqlite");
    let store = Store::open(&cache).unwrap();
    let entries = kiosque::sources::register(&[fixtures.feed("tech.atom", None, Some("Tech"))], &store).unwrap();
    let mut screen = Screen::new(common::setup(&cache, Engine::detached().0, entries), 120, 40);
    screen.act(&[Action::Top]);
    assert!(screen.row(0).contains("Bookmarks · 1 article "), "{}", screen.row(0));
    assert!(screen.row(1).contains("Les bibliothèques de Lyon"), "{}", screen.row(1));
    let shown = screen.draw().to_string();
    assert!(shown.contains("Le Kiosque du Midi – Actualités · ★ full text"), "{shown}");
    assert!(shown.contains("douze bibliothèques"), "{shown}");
}

/// The Unread node lists what is unread everywhere; `m` flips the shown article, and
/// `M` marks everything in the selected node read.
#[test]
fn unread_node_and_read_marks() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    screen.act(&[Action::Up]);
    assert!(screen.row(0).contains("Unread · 10 unread"), "{}", screen.row(0));
    screen.act(&[Action::ToggleRead]);
    assert!(words(&screen.row(2)).contains("Unread 9"), "{}", screen.row(2));
    assert!(screen.row(39).contains("marked read"), "{}", screen.row(39));
    screen.act(&[Action::ToggleRead]);
    assert!(words(&screen.row(2)).contains("Unread 10"), "{}", screen.row(2));
    // "Kiosque du Midi", a folder of three sources, all read at once (too few to ask),
    // then given back by U.
    screen.act(&[Action::Down, Action::Down, Action::MarkAllRead]);
    assert!(screen.row(39).contains("marked 8 articles read (U to undo)"), "{}", screen.row(39));
    assert!(words(&screen.row(2)).contains("Unread 2"), "{}", screen.row(2));
    assert!(words(&screen.row(4)).starts_with("│▾ Kiosque du Midi ││"), "nothing unread there: {}", screen.row(4));
    screen.act(&[Action::UndoMarkAll]);
    assert!(screen.row(39).contains("marked 8 articles unread again"), "{}", screen.row(39));
    assert!(words(&screen.row(2)).contains("Unread 10"), "{}", screen.row(2));
    screen.act(&[Action::MarkAllRead]);
    assert!(screen.row(39).contains("marked 8 articles read"), "{}", screen.row(39));
    screen.act(&[Action::MarkAllRead]);
    assert!(screen.row(39).contains("nothing to mark: every article listed is read"), "{}", screen.row(39));
}

/// `n` goes through the unread articles as newsboat's `n` does: down the source's list,
/// then to the next source with unread articles in tree order (out of its folder,
/// skipping one with none), wrapping round; `p` goes back; Space at an article's end
/// goes on to the next unread one; and once everything is read, the status line says so.
#[test]
fn next_unread_goes_through_the_sources_in_tree_order() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    // Monde: its two unread articles, then Tech Notes', then round to Actualités.
    screen.act(&[Action::Down, Action::Down, Action::Down, Action::Down]);
    assert!(screen.row(0).contains("Monde · 2 unread"), "{}", screen.row(0));
    screen.act(&[Action::NextUnread]);
    assert_eq!(screen.app.focus(), Pane::Reader, "n opens the article");
    assert!(screen.row(1).contains("│ COP30 : un accord"), "{}", screen.row(1));
    screen.act(&[Action::NextUnread]);
    assert!(screen.row(1).contains("│ Chili : le second tour"), "{}", screen.row(1));
    assert!(screen.row(0).contains("Monde · 2 articles"), "both read: {}", screen.row(0));
    screen.act(&[Action::NextUnread]);
    assert!(screen.row(0).contains("Tech Notes · "), "out of the folder, to the next source: {}", screen.row(0));
    assert!(words(&screen.row(9)).starts_with("│ Tech Notes 1"), "selected in the tree: {}", screen.row(9));
    screen.act(&[Action::NextUnread, Action::NextUnread]);
    assert!(screen.row(0).contains("Actualités · "), "Disparu has none, round to the first: {}", screen.row(0));
    screen.act(&[Action::PrevUnread]);
    assert!(screen.row(0).contains("Culture · "), "p goes back, past the sources read: {}", screen.row(0));
    assert_eq!(screen.app.focus(), Pane::Reader);

    // Space pages through the article, then goes on to the next unread one.
    let before = screen.draw().to_string();
    for _ in 0..30 {
        screen.act(&[Action::ReadOn]);
        if !screen.row(0).contains("Culture · ") {
            break;
        }
    }
    // From Culture's last article, on to the next source with unread articles.
    assert!(screen.row(0).contains("Actualités · "), "Space went on: {before}\n{}", screen.draw());

    // Everything read: n says so, wherever it is.
    screen.act(&[Action::Left, Action::Left, Action::Top, Action::Down, Action::Down, Action::MarkAllRead]);
    assert!(screen.row(39).contains("articles read"), "{}", screen.row(39));
    screen.act(&[Action::NextUnread]);
    assert!(screen.row(39).contains("no unread articles"), "{}", screen.row(39));
}

/// The search prompt edits as readline does: Ctrl-U, Ctrl-W, the cursor, and ↑ for the
/// searches typed before.
#[test]
fn the_search_prompt_edits_and_remembers() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    let press = |screen: &mut Screen, code, mods| screen.app.handle(AppEvent::Key(KeyEvent::new(code, mods)));
    let type_in = |screen: &mut Screen, text: &str| {
        text.chars().for_each(|c| _ = press(screen, KeyCode::Char(c), KeyModifiers::NONE));
    };
    screen.act(&[Action::Search]);
    type_in(&mut screen, "le festival cinema");
    press(&mut screen, KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert!(screen.row(39).contains("Search: le festival ▏"), "{}", screen.row(39));
    press(&mut screen, KeyCode::Home, KeyModifiers::NONE);
    press(&mut screen, KeyCode::Delete, KeyModifiers::NONE);
    press(&mut screen, KeyCode::Delete, KeyModifiers::NONE);
    press(&mut screen, KeyCode::Delete, KeyModifiers::NONE);
    assert!(screen.row(39).contains("Search: ▏festival "), "{}", screen.row(39));
    press(&mut screen, KeyCode::Enter, KeyModifiers::NONE);
    assert!(screen.row(0).contains("Search “festival” · 1 article"), "{}", screen.row(0));

    screen.act(&[Action::Search]);
    assert!(screen.row(39).contains("Search: festival▏"), "the last search, to edit: {}", screen.row(39));
    press(&mut screen, KeyCode::Char('u'), KeyModifiers::CONTROL);
    type_in(&mut screen, "budget");
    press(&mut screen, KeyCode::Enter, KeyModifiers::NONE);
    screen.act(&[Action::Search]);
    press(&mut screen, KeyCode::Char('u'), KeyModifiers::CONTROL);
    press(&mut screen, KeyCode::Up, KeyModifiers::NONE);
    assert!(screen.row(39).contains("Search: budget▏"), "{}", screen.row(39));
    press(&mut screen, KeyCode::Up, KeyModifiers::NONE);
    assert!(screen.row(39).contains("Search: festival▏"), "{}", screen.row(39));
    press(&mut screen, KeyCode::Down, KeyModifiers::NONE);
    press(&mut screen, KeyCode::Down, KeyModifiers::NONE);
    assert!(screen.row(39).contains("Search: ▏"), "back to the empty line being typed: {}", screen.row(39));
}

/// A screen row with its runs of spaces made one, for rows whose columns are padded.
fn words(row: &str) -> String {
    row.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `/` opens the search prompt; Enter fills the list with the hits, the matched words
/// highlighted; Esc in the list goes back to the node it came from. `kiosque search`
/// finds the same.
#[test]
fn search_from_the_reader_and_the_shell() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (_fixtures, dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    screen.act(&[Action::Search]);
    for c in "bibliotheques".chars() {
        screen.app.handle(AppEvent::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)));
    }
    assert!(screen.row(39).contains("Search: bibliotheques"), "{}", screen.row(39));
    screen.app.handle(AppEvent::Key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE)));
    assert_eq!(screen.app.focus(), Pane::List);
    assert!(screen.row(0).contains("Search “bibliotheques” · 1 article"), "{}", screen.row(0));
    assert!(screen.row(1).contains("Les bibliothèques de Lyon"), "{}", screen.row(1));
    let (x, y) = screen.find("bibliothèques de Lyon");
    assert_eq!(screen.draw().buffer()[(x, y)].bg, Color::Yellow, "the matched word stands out");
    assert_ne!(screen.draw().buffer()[(x + 15, y)].bg, Color::Yellow, "the next word does not");
    assert!(screen.row(39).contains("1 article found"), "{}", screen.row(39));
    screen.act(&[Action::MarkAllRead]);
    assert!(screen.row(39).contains("marked 1 article read"), "only the hit: {}", screen.row(39));
    assert!(words(&screen.row(2)).contains("Unread 9"), "{}", screen.row(2));
    let (x, y) = screen.find("douze bibliothèques");
    assert!(x > 60, "in the reader: {}", screen.terminal.backend());
    let cell = screen.draw().buffer()[(x + 6, y)].clone();
    assert_eq!((cell.symbol(), cell.bg), ("b", Color::Yellow), "the reader highlights it too");
    assert_ne!(screen.draw().buffer()[(x, y)].bg, Color::Yellow);

    screen.act(&[Action::Back]);
    assert!(screen.row(0).contains("All articles · 9 unread"), "back where it was: {}", screen.row(0));

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["search", "bibliothèques", "--json"])
        .env("KIOSQUE_CONFIG", dir.path().join("absent.toml"))
        .env("KIOSQUE_DATA_DIR", dir.path())
        .output()
        .unwrap();
    let hits: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(hits.as_array().unwrap().len(), 1, "{hits}");
    assert_eq!(hits[0]["title"], "Les bibliothèques de Lyon ouvriront le dimanche dès janvier");

    // Every match is listed, unless --limit says how many; the total is told either way.
    let search = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .arg("search")
            .args(args)
            .env("KIOSQUE_CONFIG", dir.path().join("absent.toml"))
            .env("KIOSQUE_DATA_DIR", dir.path())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let titles = String::from_utf8(out.stdout).unwrap().lines().filter(|l| !l.starts_with(' ')).count();
        (titles, String::from_utf8(out.stderr).unwrap())
    };
    let (all, said) = search(&["la"]);
    assert!(all > 2, "{said}");
    assert_eq!(said, format!("{all} articles match \"la\"\n"));
    let (two, said) = search(&["la", "--limit", "2"]);
    assert_eq!(two, 2);
    assert_eq!(said, format!("{all} articles match \"la\": the best 2 shown\n"));
}

/// `u` lists the article's links as its footnotes number them: a digit jumps to one, `y`
/// asks the terminal to copy it, Enter opens it with the configured browser (a text
/// one here: the reader's loop is asked to give it the terminal), Esc closes the list.
#[test]
fn the_link_list_opens_and_copies_the_articles_links() {
    use kiosque::browser::{Choice, Launch};
    use kiosque::tui::ForTerminal;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    let (_fixtures, _dir, mut setup, events) = refreshed();
    setup.browser = Choice { command: Some("my-browser --new %u".to_owned()), in_terminal: Some(true) };
    let mut screen = Screen::new(setup, 120, 40).with(events);
    let press = |screen: &mut Screen, code| screen.app.handle(AppEvent::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    screen.act(&[Action::Right, Action::Down, Action::Links]);
    insta::assert_snapshot!("link_list_wide", screen.draw());
    press(&mut screen, KeyCode::Char('2'));
    press(&mut screen, KeyCode::Char('y'));
    let Some(ForTerminal::Copy(second)) = screen.app.take_terminal() else { panic!("y copies") };
    assert!(screen.row(39).contains(&format!("copied {second}")), "{}", screen.row(39));
    press(&mut screen, KeyCode::Char('k'));
    press(&mut screen, KeyCode::Enter);
    let Some(ForTerminal::Run(Launch { argv, in_terminal })) = screen.app.take_terminal() else {
        panic!("Enter opens")
    };
    assert!(in_terminal);
    assert_eq!(argv[..2], ["my-browser", "--new"]);
    assert_ne!(argv[2], second, "the first link, not the second");
    assert!(screen.draw().to_string().contains(" Links "), "the list stays open");
    press(&mut screen, KeyCode::Esc);
    assert!(!screen.draw().to_string().contains(" Links "));

    screen.app.handle(AppEvent::Resize(80, 24));
    screen.terminal.backend_mut().resize(80, 24);
    screen.act(&[Action::Links]);
    insta::assert_snapshot!("link_list_narrow", screen.draw());
}

/// The screen with its styles: each row's runs of one style, as `«fg bg mods»text`.
fn styled(backend: &TestBackend) -> String {
    let buffer = backend.buffer();
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut last = None;
        for x in 0..buffer.area.width {
            let cell = &buffer[(x, y)];
            let style = (cell.fg, cell.bg, cell.modifier);
            if last != Some(style) {
                let colour = |c: Color| if c == Color::Reset { "-".to_owned() } else { format!("{c}") };
                out.push_str(&format!("«{} {} {:?}»", colour(cell.fg), colour(cell.bg), cell.modifier));
                last = Some(style);
            }
            out.push_str(cell.symbol());
        }
        out.push('\n');
    }
    out
}

/// Every built-in theme, wide and narrow, on the same screen: an article open, its list
/// beside it with a selected unread row.
#[test]
fn each_theme_styles_the_same_screen() {
    for (name, _, _) in kiosque::tui::theme::BUILT_IN {
        for (width, height) in [(120, 40), (80, 24)] {
            let (_fixtures, _dir, mut setup, events) = refreshed();
            setup.theme = Theme::load(name).unwrap().0;
            let mut screen = Screen::new(setup, width, height).with(events);
            screen.act(&[Action::Right, Action::Down, Action::Down]);
            if width < 100 {
                screen.act(&[Action::Open, Action::Left]);
            }
            insta::assert_snapshot!(format!("theme_{name}_{width}"), styled(screen.draw()));
        }
    }
}

/// `NO_COLOR`: not one colour on screen, and the selection still shows, by reverse video.
#[test]
fn without_colour_nothing_is_coloured_and_the_selection_shows() {
    let (_fixtures, _dir, mut setup, events) = refreshed();
    setup.theme = Theme::default().without_colour();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    screen.act(&[Action::Right, Action::Down]);
    let buffer = screen.draw().buffer().clone();
    let coloured = buffer.content().iter().filter(|c| c.fg != Color::Reset || c.bg != Color::Reset).count();
    assert_eq!(coloured, 0);
    let (x, y) = screen.find("Les bibliothèques de Lyon ou…");
    assert!(screen.draw().buffer()[(x, y)].modifier.contains(Modifier::REVERSED), "the selected row");
}

/// The mouse goes the keys' way: a click selects and focuses, a double click opens, the
/// wheel scrolls the pane under the pointer, and a click on `[n]` opens that link.
#[test]
fn the_mouse_selects_opens_scrolls_and_follows_links() {
    use kiosque::browser::{Choice, Launch};
    use kiosque::tui::ForTerminal;
    use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let (_fixtures, _dir, mut setup, events) = refreshed();
    setup.browser = Choice { command: Some("my-browser".to_owned()), in_terminal: Some(true) };
    let mut screen = Screen::new(setup, 120, 40).with(events);
    let mouse = |screen: &mut Screen, kind, (column, row): (u16, u16)| {
        screen.app.handle(AppEvent::Mouse(MouseEvent { kind, column, row, modifiers: KeyModifiers::NONE }));
    };
    let click = MouseEventKind::Down(MouseButton::Left);

    let culture = screen.find("Culture ");
    mouse(&mut screen, click, culture);
    assert!(screen.row(0).contains("Culture · 2 unread"), "the tree's row: {}", screen.row(0));
    assert_eq!(screen.app.focus(), Pane::Tree);

    let livres = screen.find("Livres : un premier");
    mouse(&mut screen, click, livres);
    assert_eq!(screen.app.focus(), Pane::List, "a click focuses the pane");
    assert!(screen.row(1).contains("│ Livres : un premier roman"), "its article shows: {}", screen.row(1));
    assert!(screen.row(0).contains("Culture · 2 unread"), "not opened yet: {}", screen.row(0));
    mouse(&mut screen, click, livres);
    assert_eq!(screen.app.focus(), Pane::Reader, "a double click opens");
    assert!(screen.row(0).contains("Culture · 1 unread"), "{}", screen.row(0));

    // The wheel over the tree moves its selection, not the reader's.
    mouse(&mut screen, MouseEventKind::ScrollDown, (5, 20));
    assert!(screen.row(0).contains("Monde · "), "{}", screen.row(0));
    assert_eq!(screen.app.focus(), Pane::Reader, "the wheel moves no focus");

    // An article with a link: the wheel scrolls it, a click on its [1] opens the link.
    let all = screen.find("All articles ");
    mouse(&mut screen, click, all);
    let all = screen.find("Les bibliothèques de Lyon ou…");
    mouse(&mut screen, click, all);
    screen.app.handle(AppEvent::Resize(120, 16));
    screen.terminal.backend_mut().resize(120, 16);
    let first_line = screen.row(1);
    mouse(&mut screen, MouseEventKind::ScrollDown, (100, 10));
    assert_ne!(screen.row(1), first_line, "scrolled by the wheel: {}", screen.draw());
    assert_eq!(screen.app.focus(), Pane::List);
    mouse(&mut screen, MouseEventKind::ScrollDown, (100, 10));
    mouse(&mut screen, MouseEventKind::ScrollDown, (100, 10));
    let footnote = screen.find("[1] ne");
    mouse(&mut screen, click, footnote);
    let Some(ForTerminal::Run(Launch { argv, .. })) = screen.app.take_terminal() else { panic!("[1] opens") };
    assert_eq!(argv, ["my-browser", "https://kiosque-du-midi.example/services/navette/"]);
}

/// `]` and `[` move the tree's edge, `z` shows the article alone at full width and back,
/// and leaving the reader ends the zoom; the app hands back the widths to remember.
#[test]
fn the_tree_narrows_and_widens_and_z_zooms_the_article() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    let tree_edge = |screen: &mut Screen| screen.row(0).chars().position(|c| c == '┐').unwrap();
    assert_eq!(tree_edge(&mut screen), 23);
    screen.act(&[Action::WidenTree, Action::WidenTree]);
    assert_eq!(tree_edge(&mut screen), 27);
    screen.act(&[Action::NarrowTree]);
    assert_eq!(tree_edge(&mut screen), 25);
    assert_eq!(screen.app.layout().tree_width, Some(26), "to be remembered");

    screen.act(&[Action::Right, Action::Down, Action::Zoom]);
    assert_eq!(screen.app.focus(), Pane::Reader);
    let row = screen.row(0);
    assert!(row.starts_with("┌ Actualités · full text ─") && row.ends_with("─┐"), "alone, full width: {row}");
    assert!(
        screen.row(1).contains("│ Les bibliothèques de Lyon ouvriront le dimanche dès janvier "),
        "{}",
        screen.row(1)
    );
    screen.act(&[Action::Zoom]);
    assert!(screen.row(0).starts_with("┌ Sources"), "{}", screen.row(0));
    screen.act(&[Action::Zoom, Action::Left]);
    assert_eq!(screen.app.focus(), Pane::List);
    assert!(screen.row(0).starts_with("┌ Sources"), "leaving the reader ends the zoom: {}", screen.row(0));
    assert!(!screen.app.layout().zoomed, "a zoom is not remembered");
}

/// A podcast's episode: the link list gives its audio after its links, with the file's
/// type and size, kept in the cache from the feed's enclosure.
#[test]
fn the_link_list_gives_a_podcasts_audio() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let (entries, _) = fixtures.refresh(&cache, &[fixtures.feed("podcast.rss", Some("Podcast"), None)]);
    let (engine, events) = fixtures.engine(&cache);
    let mut screen = Screen::new(common::setup(&cache, engine, entries), 120, 40).with(events);
    screen.act(&[Action::Right, Action::Links]);
    let shown = screen.draw().to_string();
    assert!(shown.contains("[1] https://kiosque-du-midi.example/2025/11/28/bibliotheques/"), "{shown}");
    assert!(
        shown.contains("audio https://cdn.kiosque-du-midi.example/podcast/episode-12.mp3 · audio/mpeg · 27 MB"),
        "{shown}"
    );
}

/// `s` cycles the list's order, from any pane: the title says which, the list is read
/// again from its top, and the order stays from node to node; a search keeps its ranking.
#[test]
fn s_cycles_the_lists_order() {
    let (_fixtures, _dir, setup, events) = refreshed();
    let mut screen = Screen::new(setup, 120, 40).with(events);
    assert!(screen.row(1).contains("Un article sans date"), "{}", screen.row(1));
    screen.act(&[Action::Sort]);
    assert!(screen.row(0).contains("All articles · 10 unread · oldest first"), "{}", screen.row(0));
    assert!(screen.row(1).contains("Livres : un premier roman"), "the oldest on top: {}", screen.row(1));
    assert!(screen.row(39).contains("sorted oldest first"), "{}", screen.row(39));
    screen.act(&[Action::Right, Action::Open, Action::Left]);
    screen.draw();
    screen.act(&[Action::Sort]);
    assert!(screen.row(0).contains("· unread first"), "{}", screen.row(0));
    assert!(screen.row(10).contains("Livres : un premier roman"), "read, it goes last: {}", screen.row(10));
    assert!(screen.row(1).contains("Un article sans date"), "the newest unread first: {}", screen.row(1));
    screen.act(&[Action::Sort]);
    assert!(screen.row(0).contains("· by source"), "{}", screen.row(0));
    screen.act(&[Action::Left, Action::Down]);
    assert!(screen.row(0).contains("Kiosque du Midi · 7 unread · by source"), "kept: {}", screen.row(0));
    screen.act(&[Action::Sort]);
    assert!(screen.row(0).contains("Kiosque du Midi · 7 unread ─"), "round to newest: {}", screen.row(0));

    screen.act(&[Action::Search]);
    for c in "lyon".chars() {
        screen.app.handle(AppEvent::Key(ratatui::crossterm::event::KeyEvent::new(
            ratatui::crossterm::event::KeyCode::Char(c),
            ratatui::crossterm::event::KeyModifiers::NONE,
        )));
    }
    screen.app.handle(AppEvent::Key(ratatui::crossterm::event::KeyEvent::new(
        ratatui::crossterm::event::KeyCode::Enter,
        ratatui::crossterm::event::KeyModifiers::NONE,
    )));
    screen.act(&[Action::Sort]);
    assert!(screen.row(39).contains("a search lists its best matches first"), "{}", screen.row(39));
}

/// The question before marking many articles read, wide and narrow: on the status line,
/// over the list it is about.
#[test]
fn marking_many_read_asks_first_wide_and_narrow() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let url = fixtures.serve_big_feed("depeches.rss", 25);
    let feed = kiosque::config::FeedConfig {
        url,
        name: Some("Dépêches".to_owned()),
        folder: None,
        kind: kiosque::model::SourceKind::Feed,
        prefetch: false,
    };
    let (entries, _) = fixtures.refresh(&cache, &[feed]);
    for (width, height) in [(120, 40), (80, 24)] {
        let (engine, events) = fixtures.engine(&cache);
        let mut screen = Screen::new(common::setup(&cache, engine, entries.clone()), width, height).with(events);
        screen.act(&[Action::MarkAllRead]);
        insta::assert_snapshot!(format!("question_{width}"), screen.draw());
    }
}
