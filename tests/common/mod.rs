//! Shared by the integration tests: the project's fixtures served over loopback, and a
//! cache filled by the real engine from them. Nothing here reaches the internet.
#![allow(dead_code)] // each test binary uses its own part

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use chrono::DateTime;
use kiosque::config::FeedConfig;
use kiosque::engine::{Engine, Event, Summary};
use kiosque::http::{Http, HttpSettings};
use kiosque::sources::{self, SourceEntry};
use kiosque::store::Store;
use kiosque::timefmt::{Clock, Lang};
use kiosque::tui::{App, AppEvent, KeyMap, Setup, Theme};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Friday 28 November 2025, 15:00 in Paris: the day the fixtures were written for.
pub fn fixed_clock() -> Clock {
    Clock::Fixed(DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap())
}

/// A server on 127.0.0.1 serving every file of `tests/fixtures/feeds` at `/<name>` and of
/// `tests/fixtures/pages` at `/pages/<name>`; any other path answers 404.
pub struct Fixtures {
    pub runtime: tokio::runtime::Runtime,
    pub server: MockServer,
}

impl Fixtures {
    pub fn start() -> Fixtures {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(async {
            // Not from wiremock's pool: dropping it really closes the port.
            let server = MockServer::builder().start().await;
            let feeds = std::fs::read_dir("tests/fixtures/feeds").unwrap().map(|e| (e.unwrap().path(), ""));
            let pages = std::fs::read_dir("tests/fixtures/pages").unwrap().map(|e| (e.unwrap().path(), "pages/"));
            for (file, folder) in feeds.chain(pages) {
                let name = format!("{folder}{}", file.file_name().unwrap().to_str().unwrap());
                let mime = match file.extension().and_then(|e| e.to_str()) {
                    Some("json") => "application/feed+json",
                    // No charset: pages declare their own, as the windows-1252 one does.
                    Some("html") => "text/html",
                    Some("atom") => "application/atom+xml",
                    _ if name.contains("header-only") => "application/rss+xml; charset=ISO-8859-1",
                    _ => "application/rss+xml",
                };
                Mock::given(method("GET"))
                    .and(path(format!("/{name}")))
                    .respond_with(ResponseTemplate::new(200).set_body_raw(std::fs::read(&file).unwrap(), mime))
                    .mount(&server)
                    .await;
            }
            server
        });
        Fixtures { runtime, server }
    }

    pub fn url(&self, name: &str) -> String {
        format!("{}/{name}", self.server.uri())
    }

    pub fn feed(&self, name: &str, label: Option<&str>, folder: Option<&str>) -> FeedConfig {
        FeedConfig {
            url: self.url(name),
            name: label.map(str::to_owned),
            folder: folder.map(str::to_owned),
            kind: kiosque::model::SourceKind::Feed,
            prefetch: false,
        }
    }

    /// Serves at `/{name}` a feed of `count` items of 3 KB of text each, and returns its
    /// address: with 3,000 items, more than a small disk holds, and long enough to save
    /// that a kill lands in the middle.
    pub fn serve_big_feed(&self, name: &str, count: usize) -> String {
        let items: String = (0..count)
            .map(|i| {
                format!(
                    "<item><title>Dépêche {i}</title><link>https://b.example/{i}</link><guid>b{i}</guid>\
                     <pubDate>Fri, 28 Nov 2025 10:{:02}:00 +0000</pubDate>\
                     <description><![CDATA[<p>Texte de la dépêche {i}. {}</p>]]></description></item>",
                    i % 60,
                    filler(i as u64, 3000)
                )
            })
            .collect();
        let feed = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Dépêches</title>{items}</channel></rss>"
        );
        self.runtime.block_on(
            Mock::given(method("GET"))
                .and(path(format!("/{name}")))
                .respond_with(ResponseTemplate::new(200).set_body_raw(feed, "application/rss+xml"))
                .mount(&self.server),
        );
        self.url(name)
    }

    /// The sources the UI tests use: three folders' worth, one of them broken.
    pub fn sample_feeds(&self) -> Vec<FeedConfig> {
        vec![
            self.feed("actualites.rss", Some("Actualités"), Some("Kiosque du Midi")),
            self.feed("culture.rdf", Some("Culture"), Some("Kiosque du Midi")),
            self.feed("monde.json", Some("Monde"), Some("Kiosque du Midi")),
            self.feed("tech.atom", None, Some("Tech")),
            self.feed("missing.rss", Some("Disparu"), Some("Tech")),
        ]
    }

    /// Starts an engine writing to the cache at `cache`; its events arrive on the receiver.
    pub fn engine(&self, cache: &Path) -> (Engine, mpsc::Receiver<Event>) {
        engine(self.runtime.handle(), cache)
    }

    /// Registers `feeds` in the cache at `cache` and refreshes them all, returning the
    /// sources and the refresh's summary.
    pub fn refresh(&self, cache: &Path, feeds: &[FeedConfig]) -> (Vec<SourceEntry>, Summary) {
        let entries = sources::register(feeds, &Store::open(cache).unwrap()).unwrap();
        let (engine, events) = self.engine(cache);
        engine.refresh(entries.iter().map(|e| e.id).collect());
        (entries, wait_for_finish(&events))
    }
}

/// A runtime and an engine on it for the cache at `cache`, to write what a reader asks
/// without a server to fetch from.
pub fn writing_engine(cache: &Path) -> (tokio::runtime::Runtime, Engine, mpsc::Receiver<Event>) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let (engine, events) = engine(runtime.handle(), cache);
    (runtime, engine, events)
}

/// An engine on `runtime` writing to the cache at `cache`, with the fixed clock.
pub fn engine(runtime: &tokio::runtime::Handle, cache: &Path) -> (Engine, mpsc::Receiver<Event>) {
    // Nothing is dropped: the fixtures' dates are fixed and the tests' clock with them.
    engine_with(runtime, cache, (fixed_clock(), 0))
}

/// An engine with its clock and the days unread articles are kept (0: all).
pub fn engine_with(
    runtime: &tokio::runtime::Handle,
    cache: &Path,
    policy: (Clock, u32),
) -> (Engine, mpsc::Receiver<Event>) {
    let (sender, events) = mpsc::channel();
    let http = Http::new(HttpSettings { timeout: Duration::from_secs(5), ..HttpSettings::default() }).unwrap();
    let engine = Engine::start(runtime, http, Store::open(cache).unwrap(), policy, move |e| {
        let _ = sender.send(e);
    });
    (engine, events)
}

/// The setup of an app on the cache at `cache`, with the fixed clock and French dates.
pub fn setup(cache: &Path, engine: Engine, entries: Vec<SourceEntry>) -> Setup {
    Setup {
        store: Store::open(cache).unwrap(),
        engine,
        entries,
        keymap: KeyMap::default(),
        theme: Theme::default(),
        lang: Lang::Fr,
        clock: fixed_clock(),
        browser: Default::default(),
        layout: Default::default(),
        refresh_minutes: 0,
    }
}

/// Hands the engine's events to the app until the refresh finishes, as the reader's loop
/// does, and returns the refresh's summary.
pub fn pump(app: &mut App, events: &mpsc::Receiver<Event>) -> Summary {
    loop {
        let event = events.recv_timeout(Duration::from_secs(20)).expect("the refresh finishes");
        let finished = match &event {
            Event::Finished(summary) => Some(*summary),
            _ => None,
        };
        app.handle(AppEvent::Engine(event));
        if let Some(summary) = finished {
            app.settle();
            return summary;
        }
    }
}

/// Hands the engine's answers to the marks the app sent, until it has one for each, as
/// the reader's loop does. Other events (a page fetched meanwhile) are left out, so that
/// a screen does not depend on how fast the fixture server answers.
pub fn confirm_marks(app: &mut App, events: &mpsc::Receiver<Event>) {
    while app.marks_waiting() {
        let event = events.recv_timeout(Duration::from_secs(20)).expect("the engine answers for every mark");
        if matches!(event, Event::Marked { .. }) {
            app.handle(AppEvent::Engine(event));
        }
    }
}

pub fn wait_for_finish(events: &mpsc::Receiver<Event>) -> Summary {
    loop {
        match events.recv_timeout(Duration::from_secs(20)).expect("the refresh finishes") {
            Event::Finished(summary) => return summary,
            _ => continue,
        }
    }
}

pub fn temp_cache() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache.sqlite");
    (dir, cache)
}

/// `len` bytes of punctuation, the same for the same `seed`: text that weighs in the cache
/// as it does here, since the index leaves it out and packing barely shrinks it.
pub fn filler(seed: u64, len: usize) -> String {
    const MARKS: &[u8; 16] = b".,;:!?-()[]/#%+=";
    let mut state = seed;
    (0..len)
        .map(|_| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            MARKS[(state >> 60) as usize] as char
        })
        .collect()
}
