use kiosque::config::FeedConfig;
use kiosque::engine::Engine;
use kiosque::sources;
use kiosque::store::Store;
use kiosque::timefmt::{Clock, Lang};
use kiosque::tui::{Action, App, KeyMap, Setup, Theme};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::collections::BTreeMap;
use std::time::Instant;
fn main() {
    let store = Store::open(std::path::Path::new("target/bench-data/cache-100k-zipf.sqlite")).unwrap();
    let feeds: Vec<FeedConfig> = (0..50)
        .map(|i| FeedConfig {
            url: format!("https://site{i}.example/feed/"),
            name: Some(format!("Site {i}")),
            folder: Some(format!("Dossier {}", i / 10)),
            kind: kiosque::model::SourceKind::Feed,
            prefetch: false,
        })
        .collect();
    let entries = sources::register(&feeds, &store).unwrap();
    let setup = Setup {
        store,
        engine: Engine::detached().0,
        entries,
        keymap: KeyMap::new(&BTreeMap::new()).unwrap(),
        theme: Theme::default(),
        lang: Lang::Fr,
        clock: Clock::Fixed(chrono::DateTime::from_timestamp(1_764_335_100, 0).unwrap().fixed_offset()),
    };
    let mut app = App::new(setup, 120, 40).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    app.update(Action::Right);
    let mode = std::env::args().nth(1).unwrap_or_default();
    let t = Instant::now();
    for i in 0..5000 {
        if mode == "keys" {
            app.update(if (i / 500) % 2 == 0 { Action::Down } else { Action::Up });
            app.settle();
        }
        terminal.draw(|f| app.draw(f)).unwrap();
    }
    println!("{mode}: {:.3} ms per frame", t.elapsed().as_secs_f64() * 1000.0 / 5000.0);
}
