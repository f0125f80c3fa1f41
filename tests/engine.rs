//! The refresh engine: outcomes per source, conditional refreshes, coalesced requests,
//! and "offline" when the network itself is gone.

mod common;

use std::time::Duration;

use chrono::DateTime;

use common::{Fixtures, pump, temp_cache};
use kiosque::engine::{Engine, Event, Outcome, Prefetched};
use kiosque::http::{Http, HttpSettings};
use kiosque::model::Scope;
use kiosque::sources;
use kiosque::store::{Anchor, Store};
use kiosque::timefmt::Clock;
use kiosque::tui::App;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, ResponseTemplate};

fn outcomes(events: &std::sync::mpsc::Receiver<Event>) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    loop {
        match events.recv_timeout(Duration::from_secs(20)).unwrap() {
            Event::SourceDone { outcome, .. } => outcomes.push(outcome),
            Event::Finished(_) => return outcomes,
            Event::Progress { .. }
            | Event::PageDone { .. }
            | Event::SectionDone { .. }
            | Event::Marked { .. }
            | Event::Syncing { .. }
            | Event::Synced { .. } => {}
        }
    }
}

/// An engine on a new cache that holds one feed, `name` on the fixtures' server, and a
/// refresh of that feed, giving its outcomes.
fn one_feed(fixtures: &Fixtures, name: &str) -> (tempfile::TempDir, impl Fn() -> Vec<Outcome>) {
    let (dir, cache) = temp_cache();
    let entries = sources::register(&[fixtures.feed(name, None, None)], &Store::open(&cache).unwrap()).unwrap();
    let (engine, events) = fixtures.engine(&cache);
    let id = entries[0].id;
    let refresh = move || {
        engine.refresh(vec![id]);
        outcomes(&events)
    };
    (dir, refresh)
}

#[test]
fn an_unchanged_feed_is_not_downloaded_again() {
    let fixtures = Fixtures::start();
    let feed = std::fs::read("tests/fixtures/feeds/monde.json").unwrap();
    fixtures.runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path("/etag.json"))
            .and(header("If-None-Match", "\"monde-1\""))
            .respond_with(ResponseTemplate::new(304))
            .mount(&fixtures.server)
            .await;
        Mock::given(method("GET"))
            .and(path("/etag.json"))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("ETag", "\"monde-1\"")
                    .set_body_raw(feed, "application/feed+json"),
            )
            .mount(&fixtures.server)
            .await;
    });
    let (_dir, refresh) = one_feed(&fixtures, "etag.json");
    assert_eq!(refresh(), [Outcome::Updated { new: 2, items: 2, pages: Prefetched::default() }]);
    assert_eq!(refresh(), [Outcome::Unchanged]);
}

/// A server without validators serves the same feed again: it is known by its bytes and
/// not parsed or saved again; once it changes, it is.
#[test]
fn a_feed_served_again_as_it_was_is_unchanged_without_validators() {
    let fixtures = Fixtures::start();
    let feed = std::fs::read("tests/fixtures/feeds/monde.json").unwrap();
    let changed = String::from_utf8(feed.clone()).unwrap().replacen("\"title\"", "\"summary\": \"x\", \"title\"", 1);
    let mount = |body: Vec<u8>| {
        fixtures.runtime.block_on(async {
            fixtures.server.reset().await;
            Mock::given(method("GET"))
                .and(path("/plain.json"))
                .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/feed+json"))
                .mount(&fixtures.server)
                .await;
        })
    };
    mount(feed.clone());
    let (_dir, refresh) = one_feed(&fixtures, "plain.json");
    assert_eq!(refresh(), [Outcome::Updated { new: 2, items: 2, pages: Prefetched::default() }]);
    assert_eq!(refresh(), [Outcome::Unchanged]);
    mount(changed.into_bytes());
    assert_eq!(refresh(), [Outcome::Updated { new: 0, items: 2, pages: Prefetched::default() }]);
}

#[test]
fn a_source_asked_for_twice_is_refreshed_once() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let feeds = [fixtures.feed("actualites.rss", None, None), fixtures.feed("culture.rdf", None, None)];
    let entries = sources::register(&feeds, &Store::open(&cache).unwrap()).unwrap();
    let ids: Vec<_> = entries.iter().map(|e| e.id).collect();
    let (engine, events) = fixtures.engine(&cache);
    engine.refresh(ids.clone());
    engine.refresh(ids.clone());
    let mut done = Vec::new();
    let mut last_total = 0;
    loop {
        match events.recv_timeout(Duration::from_secs(20)).unwrap() {
            Event::SourceDone { id, .. } => done.push(id),
            Event::Progress { total, .. } => last_total = total,
            Event::PageDone { .. }
            | Event::SectionDone { .. }
            | Event::Marked { .. }
            | Event::Syncing { .. }
            | Event::Synced { .. } => {}
            Event::Finished(summary) => {
                assert_eq!(summary.sources, done.len());
                break;
            }
        }
    }
    // The second request may arrive after the first finished; then it is a new refresh.
    assert!(done.len() == 2 || done.len() == 4, "{done:?}");
    assert_eq!(last_total, 2);
}

#[test]
fn a_failed_source_recovers_when_it_answers_again() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let entries = sources::register(&[fixtures.feed("later.rss", None, None)], &Store::open(&cache).unwrap()).unwrap();
    let (engine, events) = fixtures.engine(&cache);
    engine.refresh(vec![entries[0].id]);
    let failed = outcomes(&events);
    assert_eq!(failed, [Outcome::Failed { reason: "HTTP 404 Not Found".into(), network: false }]);
    assert_eq!(Store::open(&cache).unwrap().sources().unwrap()[0].error.as_deref(), Some("HTTP 404 Not Found"));
    let feed = std::fs::read("tests/fixtures/feeds/culture.rdf").unwrap();
    fixtures.runtime.block_on(
        Mock::given(method("GET"))
            .and(path("/later.rss"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(feed, "application/rdf+xml"))
            .mount(&fixtures.server),
    );
    engine.refresh(vec![entries[0].id]);
    assert_eq!(outcomes(&events), [Outcome::Updated { new: 2, items: 2, pages: Prefetched::default() }]);
    let state = &Store::open(&cache).unwrap().sources().unwrap()[0];
    assert_eq!((state.error.as_deref(), state.title.as_deref()), (None, Some("Le Kiosque du Midi – Culture")));
}

/// Without a network, the reader keeps showing the cache and says it is offline.
#[test]
fn without_network_the_cache_stays_readable_and_the_status_says_offline() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let (entries, _) = fixtures.refresh(&cache, &fixtures.sample_feeds());
    // The network goes: the same URLs now refuse connections.
    let Fixtures { runtime, server } = fixtures;
    runtime.block_on(async move { drop(server) });

    let (engine, events) = common::engine(runtime.handle(), &cache);
    let setup = common::setup(&cache, engine, entries);
    let mut app = App::new(setup, 120, 40).unwrap();
    app.refresh_all();
    let summary = pump(&mut app, &events);
    assert!(summary.offline(), "{summary:?}");
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    let screen = terminal.backend().to_string();
    let status = screen.lines().last().unwrap();
    assert!(status.contains("offline: showing the cached articles") && status.contains("offline  ? help"), "{status}");
    assert!(screen.contains("Les bibliothèques de Lyon"), "cached articles still listed:\n{screen}");
}

/// After a refresh, unread articles older than `keep_days` go; a read one and a
/// bookmarked one stay, and so does everything when `keep_days` is 0.
#[test]
fn a_refresh_drops_unread_articles_older_than_keep_days() {
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let feeds = [fixtures.feed("actualites.rss", None, None)];
    let (entries, _) = fixtures.refresh(&cache, &feeds);
    let store = Store::open(&cache).unwrap();
    let scope = Scope::Sources(vec![entries[0].id]);
    let rows = store.rows(&scope, Anchor::First, 10).unwrap();
    assert_eq!(rows.len(), 4);
    store.set_read(rows[0].key.id, true).unwrap();
    store.set_bookmark(rows[1].key.id, true, 1_764_335_100).unwrap();

    // A hundred days after the fixtures' day, keeping everything, then thirty days.
    let later = Clock::Fixed(DateTime::parse_from_rfc3339("2026-03-08T12:00:00+01:00").unwrap());
    for (keep_days, left) in [(0, 4), (30, 2)] {
        let (engine, events) = common::engine_with(fixtures.runtime.handle(), &cache, (later, keep_days));
        engine.refresh(vec![entries[0].id]);
        assert_eq!(outcomes(&events).len(), 1);
        let kept: Vec<_> = store.rows(&scope, Anchor::First, 10).unwrap().iter().map(|r| r.key.id).collect();
        assert_eq!(kept.len(), left, "keep_days = {keep_days}");
        assert!(kept.contains(&rows[0].key.id) && kept.contains(&rows[1].key.id));
    }
}

/// Feeds that together are far more than the bytes a refresh holds at once
/// (`http::BOUND`), all downloading at once: each waits its turn for room, none waits
/// forever on another, and every article is saved.
#[test]
fn feeds_larger_together_than_the_bodies_held_at_once_are_all_saved() {
    let fixtures = Fixtures::start();
    let (feeds, items) = (6, 1_000);
    assert!(kiosque::http::BOUND < feeds * items * 3_000, "the feeds do not fill the bound");
    let configs: Vec<_> = (0..feeds)
        .map(|i| {
            let name = format!("big{i}.rss");
            fixtures.serve_big_feed(&name, items);
            fixtures.feed(&name, None, None)
        })
        .collect();
    let (_dir, cache) = temp_cache();
    let entries = sources::register(&configs, &Store::open(&cache).unwrap()).unwrap();
    let settings = HttpSettings { concurrency: feeds, per_host: feeds, ..HttpSettings::default() };
    let (sender, events) = std::sync::mpsc::channel();
    let engine = Engine::start(
        fixtures.runtime.handle(),
        Http::new(settings).unwrap(),
        Store::open(&cache).unwrap(),
        (common::fixed_clock(), 0),
        move |e| {
            let _ = sender.send(e);
        },
    );
    engine.refresh(entries.iter().map(|e| e.id).collect());
    let outcomes = outcomes(&events);
    assert_eq!(outcomes.len(), feeds);
    for outcome in outcomes {
        assert!(matches!(outcome, Outcome::Updated { new: 1_000, .. }), "{outcome:?}");
    }
    assert_eq!(Store::open(&cache).unwrap().stats().unwrap().articles, (feeds * items) as i64);
}

/// The reader's marks are written by the engine, in the order sent, each answered once
/// committed: while another process holds the cache's lock past the busy timeout they
/// wait, and they are kept once it lets go.
#[test]
fn marks_are_written_in_order_and_wait_out_another_writer() {
    use kiosque::engine::Mark;
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let (entries, _) = fixtures.refresh(&cache, &[fixtures.feed("actualites.rss", None, None)]);
    let store = Store::open(&cache).unwrap();
    let scope = Scope::Sources(vec![entries[0].id]);
    let ids: Vec<_> = store.rows(&scope, Anchor::First, 3).unwrap().iter().map(|r| r.key.id).collect();
    let (engine, events) = fixtures.engine(&cache);
    let answers = |n: usize| -> Vec<(Mark, Result<usize, kiosque::engine::JobError>)> {
        (0..n)
            .map(|_| {
                loop {
                    if let Event::Marked { mark, result } = events.recv_timeout(Duration::from_secs(20)).unwrap() {
                        break (mark, result);
                    }
                }
            })
            .collect()
    };

    let other = rusqlite::Connection::open(&cache).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let sent = [
        Mark::Many { ids: ids.clone(), read: true },
        Mark::Read { id: ids[1], read: false },
        Mark::Bookmark { id: ids[2], on: true, at: 1_764_335_100 },
    ];
    for mark in &sent {
        engine.mark(mark.clone());
    }
    // Past the writer's busy timeout of 5 s: the marks wait on, they are not given up.
    std::thread::sleep(Duration::from_millis(5_500));
    assert!(events.try_recv().is_err(), "nothing answered while the lock is held");
    other.execute_batch("COMMIT").unwrap();
    let answered = answers(3);
    let expected: Vec<_> = sent.iter().cloned().zip([Ok(3), Ok(1), Ok(1)]).collect();
    assert_eq!(answered, expected, "in the order sent, with what each changed");

    let read: Vec<bool> = ids.iter().map(|id| store.article(*id).unwrap().unwrap().read).collect();
    assert_eq!(read, [true, false, true], "the unread mark sent after the list's stands");
    assert!(store.article(ids[2]).unwrap().unwrap().bookmarked);
    engine.stop(Duration::from_secs(5));
}

/// `[[ignore]]`: an article a rule matches is not kept when the refresh brings it; the
/// others are, and the rule for another source leaves this one alone.
#[test]
fn articles_an_ignore_rule_matches_are_not_kept() {
    use kiosque::config::IgnoreRule;
    use kiosque::sources::ignore::Ignore;
    let fixtures = Fixtures::start();
    let (_dir, cache) = temp_cache();
    let feeds = [fixtures.feed("actualites.rss", Some("Actualités"), None), fixtures.feed("tech.atom", None, None)];
    let entries = sources::register(&feeds, &Store::open(&cache).unwrap()).unwrap();
    let rule = |title: &str, source: Option<&str>| IgnoreRule {
        title: Some(regex::Regex::new(title).unwrap()),
        author: None,
        source: source.map(str::to_owned),
    };
    let rules = [rule("(?i)^tom & jerry", Some("actualités")), rule("(?i)colours", Some("Actualités"))];
    let (engine, events) = fixtures.engine(&cache);
    engine.ignore(Ignore::new(&rules, &entries));
    engine.refresh(entries.iter().map(|e| e.id).collect());
    common::wait_for_finish(&events);
    let store = Store::open(&cache).unwrap();
    let titles = |id| -> Vec<String> {
        store.rows(&Scope::Sources(vec![id]), Anchor::First, 50).unwrap().into_iter().map(|r| r.title).collect()
    };
    let news = titles(entries[0].id);
    assert!(!news.iter().any(|t| t.starts_with("Tom & Jerry")), "{news:?}");
    assert_eq!(news.len(), 3, "the others are kept: {news:?}");
    assert!(titles(entries[1].id).iter().any(|t| t.contains("colours")), "another source's rule");
}

/// `f` never makes an article worse: a page whose reader-mode text is a fifth shorter
/// than the feed's text (here its description), in no more paragraphs, is not kept, and the event says the
/// feed's text stays; a page that gives more is kept.
#[test]
fn a_page_poorer_than_the_feeds_text_is_not_kept() {
    let fixtures = Fixtures::start();
    let paragraph = |i: usize| {
        format!(
            "<p>Paragraphe {i} du texte entier, avec assez de mots pour compter comme un vrai paragraphe de l'article.</p>"
        )
    };
    let full: String = (0..6).map(paragraph).collect();
    let page = |paragraphs: usize| {
        let body: String = (0..paragraphs).map(paragraph).collect();
        format!(
            "<html><head><title>Un article</title></head><body><article><h1>Un article</h1>{body}</article></body></html>"
        )
    };
    let item = |n: usize| {
        format!(
            "<item><title>Article {n}</title><link>{}</link><guid>a{n}</guid><description><![CDATA[{full}]]></description></item>",
            fixtures.url(&format!("pages/page-{n}.html"))
        )
    };
    let feed = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Long</title>{}{}</channel></rss>",
        item(1),
        item(2)
    );
    fixtures.runtime.block_on(async {
        use wiremock::matchers::{method, path};
        use wiremock::{Mock, ResponseTemplate};
        Mock::given(method("GET"))
            .and(path("/long.rss"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(feed, "application/rss+xml"))
            .mount(&fixtures.server)
            .await;
        for (n, paragraphs) in [(1, 2), (2, 12)] {
            let name = format!("/pages/page-{n}.html");
            Mock::given(method("GET"))
                .and(path(name))
                .respond_with(ResponseTemplate::new(200).set_body_raw(page(paragraphs), "text/html"))
                .mount(&fixtures.server)
                .await;
        }
    });
    let (_dir, cache) = temp_cache();
    let (entries, _) = fixtures.refresh(&cache, &[fixtures.feed("long.rss", None, None)]);
    let store = Store::open(&cache).unwrap();
    let rows = store.rows(&Scope::Sources(vec![entries[0].id]), Anchor::First, 2).unwrap();
    let id_of = |title: &str| rows.iter().find(|r| r.title == title).unwrap().key.id;
    let ids = [id_of("Article 2"), id_of("Article 1")];
    let (engine, events) = fixtures.engine(&cache);
    let mut results = Vec::new();
    for id in [ids[1], ids[0]] {
        engine.fetch_page(id);
        loop {
            if let Event::PageDone { id: done, result } = events.recv_timeout(Duration::from_secs(20)).unwrap() {
                results.push((done, result));
                break;
            }
        }
    }
    use kiosque::engine::PageKept;
    assert_eq!(results, [(ids[1], Ok(PageKept::Held { summary: true })), (ids[0], Ok(PageKept::Page))]);
    assert!(store.article(ids[1]).unwrap().unwrap().page.is_none(), "the feed's text stays");
    assert!(store.article(ids[0]).unwrap().unwrap().page.is_some(), "the longer page is kept");
}
