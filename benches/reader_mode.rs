//! Reader mode's throughput: extraction plus rendering, in MB of HTML per second on one
//! core (DESIGN.md's budget: 50). Pages: the project's WordPress fixture, and the
//! readability corpus from `../shared/corpus` when it is there (or `KIOSQUE_CORPUS`).
//!
//! `cargo bench --bench reader_mode`.

use std::path::PathBuf;
use std::time::Instant;

use kiosque::extract;
use kiosque::render::{self, Header};
use url::Url;

fn main() {
    let fixture =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/pages/wordpress-article.html")).unwrap();
    measure("WordPress fixture page, 200 times", &vec![fixture; 200]);
    let corpus = std::env::var_os("KIOSQUE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"))
        .join("readability");
    let pages: Vec<Vec<u8>> = std::fs::read_dir(&corpus)
        .into_iter()
        .flatten()
        .filter_map(|e| std::fs::read(e.ok()?.path().join("source.html")).ok())
        .collect();
    if pages.is_empty() {
        println!("readability corpus not found at {}: skipped", corpus.display());
    } else {
        measure(&format!("readability corpus, {} pages", pages.len()), &pages);
    }
}

fn measure(what: &str, pages: &[Vec<u8>]) {
    let url = Url::parse("https://kiosque-du-midi.example/2025/11/28/article/").unwrap();
    let now = chrono::Local::now().fixed_offset();
    let bytes: usize = pages.iter().map(Vec::len).sum();
    let mut best = f64::MAX;
    for _ in 0..3 {
        let started = Instant::now();
        for page in pages {
            let (html, _) = extract::decode(page, None);
            if let Ok(article) = extract::extract(&html, Some(&url), now) {
                let header = Header { title: &article.title, meta: &[] };
                std::hint::black_box(render::article(&header, Some(&article.html), Some(&url), 80));
            }
        }
        best = best.min(started.elapsed().as_secs_f64());
    }
    println!(
        "{what}: {:.1} MB in {:.2} s, {:.1} MB/s of HTML per core (budget 50), {:.2} ms a page",
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best,
        best * 1000.0 / pages.len() as f64
    );
}
