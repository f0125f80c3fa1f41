//! The reader's budgets (DESIGN.md) on a cache of 100,000 articles in 50 feeds, with
//! bodies of 3–5 KB: start to first full frame (≤ 50 ms), key press to next frame on the
//! 100,000-article list (≤ 2 ms p99), search (≤ 20 ms), and resident memory (≤ 40 MB).
//! Then key presses through long articles (the readability corpus's, up to 200 KB),
//! laid out on the key press or ahead, as the reader does once a frame is drawn.
//!
//! `cargo bench --bench reader`. The cache is generated once into
//! target/bench-data/ and reused.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::DateTime;
use kiosque::config::FeedConfig;
use kiosque::engine::Engine;
use kiosque::model::{NewArticle, Order, Scope};
use kiosque::sources;
use kiosque::store::{Anchor, Store};
use kiosque::timefmt::{Clock, Lang};
use kiosque::tui::{Action, App, KeyMap, Setup, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

mod common;
use common::{Item, report, resident_mb, word};

const FEEDS: usize = 50;
const PER_FEED: usize = 2_000;
const NOW: i64 = 1_764_338_400; // 2025-11-28 15:00 +01:00

fn main() {
    let cache = generated_cache();
    let feeds = feed_configs();

    // Start to first full frame: open the cache, register the sources, build the app
    // (tree, counts, first list window, first article) and draw it.
    let mut starts = Vec::new();
    for _ in 0..30 {
        let started = Instant::now();
        let (mut app, mut terminal) = start(&cache, &feeds);
        terminal.draw(|f| app.draw(f)).unwrap();
        starts.push(started.elapsed());
    }
    report("start to first full frame (120x40)", &mut starts, Duration::from_millis(50));

    // Key presses on the 100,000-article list: each is an update, then a frame.
    let (mut app, mut terminal) = start(&cache, &feeds);
    app.update(Action::Right);
    let mut presses = Vec::new();
    let mut press = |app: &mut App, terminal: &mut Terminal<TestBackend>, action: Action| {
        let started = Instant::now();
        app.update(action);
        app.settle();
        terminal.draw(|f| app.draw(f)).unwrap();
        presses.push(started.elapsed());
    };
    for _ in 0..3_000 {
        press(&mut app, &mut terminal, Action::Down);
    }
    for _ in 0..500 {
        press(&mut app, &mut terminal, Action::PageDown);
    }
    press(&mut app, &mut terminal, Action::Bottom);
    for _ in 0..1_000 {
        press(&mut app, &mut terminal, Action::Up);
    }
    for _ in 0..200 {
        press(&mut app, &mut terminal, Action::PageUp);
    }
    press(&mut app, &mut terminal, Action::Top);
    for _ in 0..20 {
        press(&mut app, &mut terminal, Action::Bottom);
        press(&mut app, &mut terminal, Action::Top);
    }
    report("key press to next frame, 100,000-article list", &mut presses, Duration::from_millis(2));

    // The same list in the orders `s` gives: the grouped ones have no index to follow.
    for (order, name) in
        [(Order::Oldest, "oldest first"), (Order::UnreadFirst, "unread first"), (Order::BySource, "by source")]
    {
        let (mut app, mut terminal) = start(&cache, &feeds);
        app.update(Action::Right);
        while app_order(&mut app, &mut terminal) != order {}
        let mut presses = Vec::new();
        for step in 0..400 {
            let action = if step % 100 == 99 {
                Action::Bottom
            } else if step % 100 == 49 {
                Action::Top
            } else {
                Action::PageDown
            };
            let started = Instant::now();
            app.update(action);
            app.settle();
            terminal.draw(|f| app.draw(f)).unwrap();
            presses.push(started.elapsed());
        }
        report(&format!("  key press to next frame, the list {name}"), &mut presses, Duration::from_millis(2));
    }

    // Moving through the tree re-lists each node (2,000 to 100,000 articles).
    let mut tree = Vec::new();
    app.update(Action::Left);
    for step in 0..200 {
        let action = if (step / 60) % 2 == 0 { Action::Down } else { Action::Up };
        let started = Instant::now();
        app.update(action);
        terminal.draw(|f| app.draw(f)).unwrap();
        tree.push(started.elapsed());
    }
    report("key press to next frame, moving through the tree", &mut tree, Duration::from_millis(2));

    // Where a key press goes: the pieces of the above, apart.
    let store = Store::open(&cache).unwrap();
    let scope = Scope::Sources(store.sources().unwrap().iter().map(|s| s.id).collect());
    let middle = store.rows(&scope, Anchor::Offset(50_000), 1).unwrap()[0].key;
    let mut pieces = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for i in 0..500 {
        let anchor = if i % 2 == 0 { Anchor::After(middle) } else { Anchor::Before(middle) };
        let t = Instant::now();
        assert_eq!(store.rows(&scope, anchor, 114).unwrap().len(), 114);
        pieces.0.push(t.elapsed());
        let t = Instant::now();
        let article = store.article(kiosque::model::ArticleId(middle.id.0 - i)).unwrap().unwrap();
        pieces.1.push(t.elapsed());
        let html = article.content.unwrap();
        let t = Instant::now();
        assert!(!kiosque::render::body(&html, None, 50).is_empty());
        pieces.2.push(t.elapsed());
        let t = Instant::now();
        terminal.draw(|f| app.draw(f)).unwrap();
        pieces.3.push(t.elapsed());
    }
    report("  of which: a 114-row window from the cache", &mut pieces.0, Duration::from_millis(2));
    report("  of which: an article from the cache", &mut pieces.1, Duration::from_millis(2));
    report("  of which: laying out a 5 KB article at 50 columns", &mut pieces.2, Duration::from_millis(2));
    report("  of which: drawing a frame", &mut pieces.3, Duration::from_millis(2));

    // Searches of two words, with the first window of hits, as the reader shows them:
    // words of middling frequency (what people search for), then two of the commonest.
    for (what, ranks) in [("two words", 60..3_000), ("two of the commonest words", 0..12)] {
        let mut searches = Vec::new();
        let (mut hits, mut matched, mut beyond) = (0, Vec::new(), Vec::new());
        for i in 0..100 {
            let pick = |k: usize| word(ranks.start + (i * k) % ranks.len());
            let query = format!("{} {}", pick(7), pick(13));
            let t = Instant::now();
            let found = store.search(&query).unwrap();
            let rows = store.rows(&Scope::Search, Anchor::First, 38).unwrap();
            searches.push(t.elapsed());
            hits += found;
            matched.push(found);
            assert_eq!(rows.len(), found.min(38));
            // Then the list's end, which ranks every hit.
            let t = Instant::now();
            let last = store.rows(&Scope::Search, Anchor::Last, 38).unwrap();
            beyond.push(t.elapsed());
            assert_eq!(last.len(), found.min(38));
        }
        report(&format!("search, {what}, 100,000 articles"), &mut searches, Duration::from_millis(20));
        let most = matched.iter().max().unwrap_or(&0);
        println!("  ({} hits a search on average, at most {most}, every one counted)", hits / 100);
        report("  then going to the end of its list", &mut beyond, Duration::from_millis(200));
    }

    println!("resident memory after the runs: {:.1} MB (budget 40 MB)", resident_mb());

    while_saving(&cache, &feeds);
    long_articles();
}

/// Key presses down a list of long articles: each shows one, laid out on the key press,
/// or ahead (`lay_out_ahead` once the frame is drawn, then a pause of 30 ms, a fast
/// reader's pace: key repeat).
fn long_articles() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/readability");
    let mut bodies: Vec<String> = std::fs::read_dir(&corpus)
        .into_iter()
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.ok()?.path().join("expected.html")).ok())
        .collect();
    if bodies.is_empty() {
        let page =
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pages/layout.html"));
        bodies = vec![page.unwrap().repeat(10); 100];
    }
    let sizes: Vec<usize> = bodies.iter().map(String::len).collect();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let feeds = vec![FeedConfig {
        url: "https://long.example/feed/".to_owned(),
        name: Some("Long reads".to_owned()),
        folder: None,
        kind: kiosque::model::SourceKind::Feed,
        prefetch: false,
    }];
    {
        let mut store = Store::open(&path).unwrap();
        let entries = sources::register(&feeds, &store).unwrap();
        let articles: Vec<NewArticle> = bodies
            .into_iter()
            .enumerate()
            .map(|(i, html)| NewArticle { content: Some(html), ..article(i, format!("long-{i}"), i as i64 * 60) })
            .collect();
        store.save_articles(entries[0].id, &articles, NOW).unwrap();
    }
    println!(
        "key presses through {} long articles ({} KB on average, {} KB at most):",
        sizes.len(),
        sizes.iter().sum::<usize>() / sizes.len() / 1000,
        sizes.iter().max().unwrap_or(&0) / 1000
    );
    for ahead in [false, true] {
        let (mut app, mut terminal) = start(&path, &feeds);
        app.update(Action::Down);
        app.update(Action::Right);
        let mut presses = Vec::new();
        for step in 0..2 * sizes.len() {
            let action = if step < sizes.len() { Action::Down } else { Action::Up };
            let started = Instant::now();
            app.update(action);
            app.settle();
            terminal.draw(|f| app.draw(f)).unwrap();
            presses.push(started.elapsed());
            if ahead {
                app.lay_out_ahead().unwrap();
                std::thread::sleep(Duration::from_millis(30));
            }
        }
        let how = if ahead { "laid out ahead" } else { "laid out on the key press" };
        report(&format!("  key press to next frame, {how}"), &mut presses, Duration::from_millis(2));
    }
}

/// Presses `s` once; the order the list's title then names.
fn app_order(app: &mut App, terminal: &mut Terminal<TestBackend>) -> Order {
    app.update(Action::Sort);
    terminal.draw(|f| app.draw(f)).unwrap();
    let title: String = (0..terminal.backend().buffer().area.width)
        .map(|x| terminal.backend().buffer()[(x, 0)].symbol().to_owned())
        .collect();
    [(Order::Oldest, "oldest first"), (Order::UnreadFirst, "unread first"), (Order::BySource, "by source")]
        .into_iter()
        .find(|(_, name)| title.contains(name))
        .map_or(Order::Newest, |(order, _)| order)
}

fn start(cache: &Path, feeds: &[FeedConfig]) -> (App, Terminal<TestBackend>) {
    let store = Store::open(cache).unwrap();
    let entries = sources::register(feeds, &store).unwrap();
    let setup = Setup {
        store,
        engine: Engine::detached().0,
        entries,
        keymap: KeyMap::default(),
        theme: Theme::default(),
        lang: Lang::Fr,
        clock: Clock::Fixed(DateTime::from_timestamp(NOW, 0).unwrap().fixed_offset()),
        browser: Default::default(),
        layout: Default::default(),
        refresh_minutes: 0,
    };
    let app = App::new(setup, 120, 40).unwrap();
    (app, Terminal::new(TestBackend::new(120, 40)).unwrap())
}

/// Key presses on the 100,000-article list while another connection saves a feed of
/// 2,000 new articles every 100 ms, as the engine does in a big refresh, each followed
/// by the event the engine sends: the reader reads its counts and list again as it goes.
fn while_saving(cache: &Path, feeds: &[FeedConfig]) {
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("cache.sqlite");
    std::fs::copy(cache, &copy).unwrap();
    let (mut app, mut terminal) = start(&copy, feeds);
    app.update(Action::Right);
    let saved = std::sync::mpsc::channel();
    let writer = {
        let (copy, saved) = (copy.clone(), saved.0);
        let source = Store::open(&copy).unwrap().sources().unwrap()[0].id;
        let batches: Vec<Vec<NewArticle>> = (0..20)
            .map(|b| (0..2_000).map(|i| article(1_000_000 + b * 2_000 + i, format!("new-{b}-{i}"), i as i64)).collect())
            .collect();
        std::thread::spawn(move || {
            let mut store = Store::open(&copy).unwrap();
            for batch in batches {
                let started = Instant::now();
                store.save_articles(source, &batch, NOW).unwrap();
                let _ = saved.send(source);
                std::thread::sleep(Duration::from_millis(100).saturating_sub(started.elapsed()));
            }
        })
    };
    let mut presses = Vec::new();
    let mut step = 0;
    while !writer.is_finished() {
        let action = if (step / 200) % 2 == 0 { Action::Down } else { Action::Up };
        step += 1;
        let started = Instant::now();
        while let Ok(id) = saved.1.try_recv() {
            let outcome = kiosque::engine::Outcome::Updated { new: 2_000, items: 2_000, pages: Default::default() };
            app.handle(kiosque::tui::AppEvent::Engine(kiosque::engine::Event::SourceDone { id, outcome }));
        }
        app.update(action);
        app.settle();
        terminal.draw(|f| app.draw(f)).unwrap();
        presses.push(started.elapsed());
        std::thread::sleep(Duration::from_millis(2));
    }
    writer.join().unwrap();
    report(
        "key press to next frame while a 2,000-article feed is saved every 100 ms",
        &mut presses,
        Duration::from_millis(5),
    );
}

fn feed_configs() -> Vec<FeedConfig> {
    (0..FEEDS)
        .map(|i| FeedConfig {
            url: format!("https://site{i}.example/feed/"),
            name: Some(format!("Site {i}")),
            folder: Some(format!("Dossier {}", i / 10)),
            kind: kiosque::model::SourceKind::Feed,
            prefetch: false,
        })
        .collect()
}

/// The cache of 100,000 articles, generated once.
fn generated_cache() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target").join("bench-data");
    let path = dir.join("cache-100k-zipf.sqlite");
    let ready = dir.join("cache-100k-zipf.ready");
    if ready.exists() {
        return path;
    }
    std::fs::create_dir_all(&dir).unwrap();
    let _ = std::fs::remove_file(&path);
    let started = Instant::now();
    let mut store = Store::open(&path).unwrap();
    let entries = sources::register(&feed_configs(), &store).unwrap();
    for (f, entry) in entries.iter().enumerate() {
        let articles: Vec<NewArticle> =
            (0..PER_FEED).map(|i| article(f * PER_FEED + i, format!("{f}-{i}"), (i * 1_800 + f * 60) as i64)).collect();
        store.save_articles(entry.id, &articles, NOW).unwrap();
    }
    std::fs::write(&ready, "").unwrap();
    println!("generated {} articles in {:.1} s", FEEDS * PER_FEED, started.elapsed().as_secs_f64());
    path
}

/// The `n`th generated article, published `age` seconds before `NOW`.
fn article(n: usize, guid: String, age: i64) -> NewArticle {
    let item = Item::new(n);
    NewArticle {
        url: Some(format!("https://example.org/{guid}/")),
        guid,
        title: item.title,
        author: Some(item.author),
        published: DateTime::from_timestamp(NOW - age, 0),
        section: Some(item.section),
        summary: Some(item.summary),
        content: Some(item.content),
        enclosures: Vec::new(),
    }
}
