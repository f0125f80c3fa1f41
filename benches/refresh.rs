//! Refresh at scale: the `kiosque refresh` binary, as a user runs it, against feeds that
//! this bench generates and serves on 127.0.0.1. Measured: wall time, the process's peak
//! resident memory, and the cache's size on disk.
//!
//! - 50 feeds of 2,000 articles of 3–5 KB (100,000 articles): the first refresh
//!   (≤ 5 s, ≤ 150 MiB), then the same feeds again, answered 200 with nothing new;
//! - 500 feeds of 20 articles, each answered after 20 ms, 16 at a time: ideally
//!   500 / 16 × 20 ms = 0.625 s (≤ 1.3 × that);
//! - peak memory over 50 and over 200 small feeds, which must not grow with their number;
//! - key presses in the reader while another process refreshes 80,000 articles into its
//!   cache (≤ 5 ms p99): moves, and articles opened, which mark them read.
//!
//! `cargo bench --bench refresh [-- big|first|slow|flat|keys]` (all but `first`, the first
//! refresh of `big` alone, by default).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

mod common;
use common::Item;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let now = chrono::Utc::now().timestamp();
    let only = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);

    if wanted("big") || only.as_deref() == Some("first") {
        big(&runtime, now, only.as_deref() == Some("first"));
    }
    if wanted("slow") {
        slow(&runtime, now);
    }
    if wanted("keys") {
        keys(&runtime, now);
    }
    if wanted("flat") {
        for feeds in [50, 200] {
            let server = runtime.block_on(serve(feeds, 200, Duration::ZERO, now));
            let home = tempfile::tempdir().unwrap();
            refresh(home.path(), &[&server], 4).print(&format!("{feeds} feeds × 200 articles, 4 at a time"), "flat");
        }
    }
}

/// `first_only`: the first refresh alone, for trying changes to it.
fn big(runtime: &tokio::runtime::Runtime, now: i64, first_only: bool) {
    let big = runtime.block_on(serve(50, 2_000, Duration::ZERO, now));
    let home = tempfile::tempdir().unwrap();
    let first = refresh(home.path(), &[&big], 16);
    first.print("first refresh, 50 feeds × 2,000 articles", "≤ 5 s, ≤ 150 MiB");
    if first_only {
        return;
    }
    let again = refresh(home.path(), &[&big], 16);
    again.print("the same 50 feeds again, answered 200, nothing new", "");
    // Memory goes with the feeds held at once, not with their number.
    let home = tempfile::tempdir().unwrap();
    refresh(home.path(), &[&big], 2).print("first refresh, 50 feeds × 2,000 articles, 2 at a time", "≤ 5 s, ≤ 150 MiB");
}

fn slow(runtime: &tokio::runtime::Runtime, now: i64) {
    let slow = runtime.block_on(serve(500, 20, Duration::from_millis(20), now));
    let home = tempfile::tempdir().unwrap();
    let run = refresh(home.path(), &[&slow], 16);
    let ideal = 500.0 / 16.0 * 0.020;
    run.print("500 feeds × 20 articles, 20 ms each, 16 at a time", "≤ 1.3 × the ideal 0.625 s");
    println!("  = {:.2} × the ideal {ideal:.3} s", run.wall.as_secs_f64() / ideal);
}

/// Reading while `kiosque refresh` writes 80,000 articles into the same cache: each key
/// press, from the action to the frame drawn, as `App` runs them. The reader reads the
/// cache while it is written (WAL), and its read marks wait for the other's write lock.
fn keys(runtime: &tokio::runtime::Runtime, now: i64) {
    let (known, coming) = runtime
        .block_on(async { (serve(10, 2_000, Duration::ZERO, now).await, serve(40, 2_000, Duration::ZERO, now).await) });
    let home = tempfile::tempdir().unwrap();
    refresh(home.path(), &[&known], 16);
    let mut app = reader(home.path(), &[&known, &coming]);
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let mut child = spawn_refresh(home.path(), &[&known, &coming], 16);
    // To the list, then the reader: Space reads on, and at an article's end opens the next.
    app.update(kiosque::tui::Action::Right);
    app.update(kiosque::tui::Action::Right);
    let (mut moves, mut opens) = (Vec::new(), Vec::new());
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        for action in [
            kiosque::tui::Action::ReadOn,
            kiosque::tui::Action::Left,
            kiosque::tui::Action::Down,
            kiosque::tui::Action::Right,
        ] {
            let t = Instant::now();
            app.update(action);
            app.settle();
            terminal.draw(|f| app.draw(f)).unwrap();
            let took = t.elapsed();
            if action == kiosque::tui::Action::Right { opens.push(took) } else { moves.push(took) }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = started.elapsed();
    assert!(child.wait().unwrap().success(), "the refresh failed");
    println!("while another process refreshed 80,000 articles ({:.1} s):", wall.as_secs_f64());
    common::report("  a move in the list or the article", &mut moves, Duration::from_millis(5));
    common::report("  an article opened (marked read)", &mut opens, Duration::from_millis(5));
}

/// `kiosque refresh` started on every feed of `feeds`, its errors piped.
fn spawn_refresh(home: &Path, feeds: &[&Feeds], at_once: usize) -> std::process::Child {
    let mut config = format!("keep_days = 0\n\n[http]\nconcurrency = {at_once}\nper_host = {at_once}\n");
    for url in feed_urls(feeds) {
        config.push_str(&format!("\n[[feed]]\nurl = \"{url}\"\n"));
    }
    std::fs::write(home.join("config.toml"), config).unwrap();
    Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .arg("refresh")
        .env("KIOSQUE_CONFIG", home.join("config.toml"))
        .env("KIOSQUE_DATA_DIR", home.join("data"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

fn feed_urls<'a>(feeds: &'a [&Feeds]) -> impl Iterator<Item = String> + 'a {
    feeds.iter().flat_map(|f| (0..f.count).map(move |n| format!("{}/feed/{n}.xml", f.server.uri())))
}

/// The reader on the cache in `home`, its sources those of `feeds`.
fn reader(home: &Path, feeds: &[&Feeds]) -> kiosque::tui::App {
    let configs: Vec<kiosque::config::FeedConfig> = feed_urls(feeds)
        .map(|url| kiosque::config::FeedConfig {
            url,
            name: None,
            folder: None,
            kind: kiosque::model::SourceKind::Feed,
            prefetch: false,
        })
        .collect();
    let store = kiosque::store::Store::open(&home.join("data/cache.sqlite")).unwrap();
    let entries = kiosque::sources::register(&configs, &store).unwrap();
    let setup = kiosque::tui::Setup {
        store,
        engine: kiosque::engine::Engine::detached().0,
        entries,
        keymap: kiosque::tui::KeyMap::default(),
        theme: kiosque::tui::Theme::default(),
        lang: kiosque::timefmt::Lang::Fr,
        clock: kiosque::timefmt::Clock::System,
        browser: Default::default(),
        layout: Default::default(),
        refresh_minutes: 0,
    };
    kiosque::tui::App::new(setup, 120, 40).unwrap()
}

/// Feeds on 127.0.0.1, at `/feed/<n>.xml`, each answered after `delay`.
struct Feeds {
    server: MockServer,
    count: usize,
}

async fn serve(count: usize, per_feed: usize, delay: Duration, now: i64) -> Feeds {
    let server = MockServer::builder().start().await;
    for f in 0..count {
        let body = rss(f, per_feed, now);
        Mock::given(method("GET"))
            .and(path(format!("/feed/{f}.xml")))
            .respond_with(
                ResponseTemplate::new(200)
                    .insert_header("content-type", "application/rss+xml; charset=utf-8")
                    .set_body_bytes(body)
                    .set_delay(delay),
            )
            .mount(&server)
            .await;
    }
    Feeds { server, count }
}

/// An RSS feed of `items` generated articles, the newest first, with full text and summary.
fn rss(f: usize, items: usize, now: i64) -> Vec<u8> {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <channel><title>Site {f}</title><link>https://site{f}.example/</link><description>Bench</description>\n"
    );
    for i in 0..items {
        let item = Item::new(f * items + i);
        let date = chrono::DateTime::from_timestamp(now - i as i64 * 1_800 - f as i64 * 60, 0).unwrap();
        out.push_str(&format!(
            "<item><title>{}</title><link>https://site{f}.example/{i}/</link><guid>https://site{f}.example/{i}/</guid>\
             <pubDate>{}</pubDate><dc:creator>{}</dc:creator><category>{}</category>\
             <description><![CDATA[{}]]></description><content:encoded><![CDATA[{}]]></content:encoded></item>\n",
            item.title,
            date.to_rfc2822(),
            item.author,
            item.section,
            item.summary,
            item.content
        ));
    }
    out.push_str("</channel></rss>\n");
    out.into_bytes()
}

struct Run {
    wall: Duration,
    /// The process's own CPU time, user and system.
    cpu: Duration,
    peak_mib: f64,
    cache_mib: f64,
}

impl Run {
    fn print(&self, what: &str, budget: &str) {
        let budget = if budget.is_empty() { String::new() } else { format!(" (budget {budget})") };
        println!(
            "{what}: {:.2} s ({:.1} s of CPU), peak RSS {:.0} MiB, cache {:.0} MB{budget}",
            self.wall.as_secs_f64(),
            self.cpu.as_secs_f64(),
            self.peak_mib,
            self.cache_mib
        );
    }
}

/// Runs `kiosque refresh` on every feed of `feeds`, with the config and cache in `home`.
fn refresh(home: &Path, feeds: &[&Feeds], at_once: usize) -> Run {
    let started = Instant::now();
    let mut child = spawn_refresh(home, feeds, at_once);
    // Read as it comes: a full pipe would stop the refresh.
    let mut stderr = child.stderr.take().unwrap();
    let errors = std::thread::spawn(move || {
        let mut errors = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut errors).unwrap();
        errors
    });
    let (status, cpu, peak_kb) = common::watch(&mut child);
    let wall = started.elapsed();
    let errors = errors.join().unwrap();
    assert!(status.success(), "kiosque refresh failed: {errors}");
    assert!(!errors.contains("failed  "), "a feed failed: {errors}");
    let cache: u64 = std::fs::read_dir(home.join("data"))
        .unwrap()
        .filter_map(|e| e.ok()?.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    Run { wall, cpu, peak_mib: peak_kb / 1024.0, cache_mib: cache as f64 / 1e6 }
}
