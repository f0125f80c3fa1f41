//! Two kiosques on one cache, and kiosque killed in the middle of writing: a headless
//! refresh shows in the open reader without a restart, neither side sees "database is
//! locked", and `kill -9` leaves a sound cache holding every confirmed bookmark.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use common::{Fixtures, temp_cache};
use kiosque::config::FeedConfig;
use kiosque::engine::Engine;
use kiosque::model::{NewArticle, Scope, SourceKind};
use kiosque::sources;
use kiosque::store::{Anchor, Store};
use kiosque::tui::{Action, App, AppEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn kiosque(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_kiosque"));
    command.env("KIOSQUE_CONFIG", home.join("config.toml")).env("KIOSQUE_DATA_DIR", home).env_remove("KIOSQUE_LOG");
    command
}

fn write_config(home: &Path, urls: &[String]) {
    let config: String = urls.iter().map(|url| format!("[[feed]]\nurl = \"{url}\"\n\n")).collect();
    // The fixtures are a year old: nothing is dropped for its age.
    std::fs::write(home.join("config.toml"), format!("refresh_on_start = false\nkeep_days = 0\n\n{config}")).unwrap();
}

fn screen_text(app: &mut App) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    app.settle();
    terminal.draw(|frame| app.draw(frame)).unwrap();
    terminal.backend().to_string()
}

fn succeeded(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("locked"), "{stderr}");
    stderr
}

/// The reader is open on an empty cache; `kiosque refresh` fills it from another process,
/// and the reader's next look at the cache lists the articles.
#[test]
fn a_headless_refresh_shows_in_the_open_reader() {
    let fixtures = Fixtures::start();
    let (dir, cache) = temp_cache();
    let feeds = fixtures.sample_feeds();
    write_config(dir.path(), &feeds.iter().map(|f| f.url.clone()).collect::<Vec<_>>());
    let entries = sources::register(&feeds, &Store::open(&cache).unwrap()).unwrap();
    let mut app = App::new(common::setup(&cache, Engine::detached().0, entries), 120, 30).unwrap();
    assert!(!app.handle(AppEvent::Tick), "nothing changed: no redraw");
    assert!(screen_text(&mut app).contains("All articles · 0 articles"));

    succeeded(&kiosque(dir.path()).arg("refresh").output().unwrap());

    assert!(app.handle(AppEvent::Tick), "the other process's writes are seen");
    let screen = screen_text(&mut app);
    assert!(screen.contains("All articles · 10 unread"), "{screen}");
    assert!(screen.contains("Les bibliothèques de Lyon"), "{screen}");
    assert!(screen.contains("10 new articles from a refresh elsewhere"), "{screen}");
    assert!(!app.handle(AppEvent::Tick), "seen once");
}

/// Three headless refreshes of one empty cache at once, while the reader marks and
/// bookmarks articles: every write lands, and nobody is told the cache is locked.
#[test]
fn refreshes_and_the_reader_write_at_once_without_a_locked_cache() {
    let fixtures = Fixtures::start();
    let (dir, cache) = temp_cache();
    let feeds = fixtures.sample_feeds();
    let (entries, _) = fixtures.refresh(&cache, &feeds[..1]);
    write_config(dir.path(), &feeds.iter().map(|f| f.url.clone()).collect::<Vec<_>>());
    let store = Store::open(&cache).unwrap();
    let ids: Vec<_> = store
        .rows(&Scope::Sources(vec![entries[0].id]), Anchor::First, 10)
        .unwrap()
        .into_iter()
        .map(|r| r.key.id)
        .collect();
    assert_eq!(ids.len(), 4);

    let mut running: Vec<Child> =
        (0..3).map(|_| kiosque(dir.path()).arg("refresh").stderr(Stdio::piped()).spawn().unwrap()).collect();
    let mut outputs = Vec::new();
    let mut writes = 0;
    while !running.is_empty() || writes < 50 {
        let id = ids[writes % ids.len()];
        store.set_read(id, writes % 2 == 0).unwrap();
        store.set_bookmark(id, writes % 3 != 0, 1_764_335_100).unwrap();
        writes += 1;
        let mut still = Vec::new();
        for mut child in running {
            match child.try_wait().unwrap() {
                Some(_) => outputs.push(child.wait_with_output().unwrap()),
                None => still.push(child),
            }
        }
        running = still;
    }
    assert_eq!(outputs.len(), 3);
    for output in &outputs {
        succeeded(output);
    }
    assert_eq!(store.stats().unwrap().articles, 10, "each article once, whoever saved it first");
}

/// `kill -9` while a refresh writes a big feed: the cache opens sound, the feed's
/// articles are all there or none, and the bookmark made before is kept.
#[test]
fn a_refresh_killed_mid_write_leaves_a_sound_cache() {
    let fixtures = Fixtures::start();
    let big = fixtures.serve_big_feed("big.rss", 3000);
    let (dir, cache) = temp_cache();
    let (entries, _) = fixtures.refresh(&cache, &[fixtures.feed("actualites.rss", None, None)]);
    let store = Store::open(&cache).unwrap();
    let kept = store.rows(&Scope::Sources(vec![entries[0].id]), Anchor::First, 1).unwrap()[0].key.id;
    assert!(store.set_bookmark(kept, true, 1_764_335_100).unwrap());
    drop(store);
    write_config(dir.path(), &[big]);

    let mut child = kiosque(dir.path()).arg("refresh").stderr(Stdio::null()).spawn().unwrap();
    let log = cache.with_file_name("cache.sqlite-wal");
    let started = Instant::now();
    // Uncommitted pages spill into the log as the transaction grows: kill in the middle.
    while std::fs::metadata(&log).map_or(0, |m| m.len()) < 1 << 20 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let mut store = Store::open(&cache).unwrap();
    assert!(store.take_recovery().is_none());
    let check: String =
        rusqlite::Connection::open(&cache).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let big = store.sources().unwrap().into_iter().find(|s| s.url.ends_with("/big.rss")).unwrap();
    assert!([0, 3000].contains(&big.total), "all or nothing: {}", big.total);
    assert_eq!(store.bookmarked().unwrap().len(), 1);
    assert!(store.article(kept).unwrap().unwrap().bookmarked);
}

const FEED: &str = "https://c.example/feed";

/// Not a test by itself: the child process of the next one. It bookmarks one article
/// after another through the reader and prints how many the screen has confirmed.
#[test]
#[ignore = "run by a_reader_killed_while_bookmarking_keeps_every_confirmed_bookmark"]
fn child_bookmarking_until_killed() {
    let cache = std::env::var("KIOSQUE_TEST_CACHE").expect("run by its parent test");
    let cache = Path::new(&cache);
    let feed = FeedConfig { url: FEED.to_owned(), name: None, folder: None, kind: SourceKind::Feed, prefetch: false };
    let entries = sources::register(&[feed], &Store::open(cache).unwrap()).unwrap();
    let (_runtime, engine, events) = common::writing_engine(cache);
    let mut app = App::new(common::setup(cache, engine, entries), 120, 30).unwrap();
    app.update(Action::Right);
    let mut confirmed = 0;
    loop {
        app.update(Action::Bookmark);
        common::confirm_marks(&mut app, &events);
        let screen = screen_text(&mut app);
        assert!(screen.contains("bookmarked: kept for offline reading"), "{screen}");
        confirmed += 1;
        println!("{confirmed}");
        app.update(Action::Down);
    }
}

#[test]
fn a_reader_killed_while_bookmarking_keeps_every_confirmed_bookmark() {
    let (_dir, cache) = temp_cache();
    let mut store = Store::open(&cache).unwrap();
    let source = store.ensure_source(FEED).unwrap();
    let articles: Vec<NewArticle> = (0..3000)
        .map(|i| NewArticle {
            guid: format!("c{i}"),
            url: Some(format!("https://c.example/{i}")),
            title: format!("Brève {i}"),
            author: None,
            published: DateTime::<Utc>::from_timestamp(1_764_335_100 - i * 60, 0),
            section: None,
            summary: None,
            content: Some("<p>Texte.</p>".to_owned()),
            enclosures: Vec::new(),
        })
        .collect();
    store.save_articles(source, &articles, 1_764_335_100).unwrap();
    drop(store);

    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["child_bookmarking_until_killed", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
        .env("KIOSQUE_TEST_CACHE", &cache)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut confirmed = 0;
    while confirmed < 150 {
        let line = lines.next().expect("the child bookmarks until killed").unwrap();
        if let Ok(n) = line.trim().parse::<usize>() {
            confirmed = n;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();

    let mut store = Store::open(&cache).unwrap();
    assert!(store.take_recovery().is_none());
    let mut kept: Vec<usize> = store
        .bookmarked()
        .unwrap()
        .into_iter()
        .map(|(a, _)| a.title.strip_prefix("Brève ").unwrap().parse().unwrap())
        .collect();
    kept.sort();
    // The child may have gone on a little while its last lines were on their way.
    assert!(kept.len() >= confirmed, "{} bookmarks, {confirmed} confirmed", kept.len());
    assert_eq!(kept, (0..kept.len()).collect::<Vec<_>>(), "the first ones in the list, none missing");
}
