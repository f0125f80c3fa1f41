//! Reader mode and layout throughput, in MB of HTML per second on one core:
//!
//! - extraction (`extract::extract`: decoding, dom_smoothie and our metadata), against
//!   html5ever parsing the same pages and nothing else, in the same run: the budget is
//!   half of html5ever's speed;
//! - layout (`render::body`, html2text and our roles) of the articles extracted, at
//!   40, 80 and 120 columns. The reader lays out ahead, off the key path; this is what
//!   that costs.
//!
//! Pages: the project's WordPress fixture, and the readability corpus from
//! `../shared/corpus` when it is there (or `KIOSQUE_CORPUS`).
//!
//! `cargo bench --bench reader_mode`.

use std::path::PathBuf;
use std::time::Instant;

use kiosque::extract;
use kiosque::render;
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

/// The best of three runs of `f`, in seconds.
fn best_of_three(mut f: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            f();
            started.elapsed().as_secs_f64()
        })
        .fold(f64::MAX, f64::min)
}

fn measure(what: &str, pages: &[Vec<u8>]) {
    let url = Url::parse("https://kiosque-du-midi.example/2025/11/28/article/").unwrap();
    let now = chrono::Local::now().fixed_offset();
    let decoded: Vec<String> = pages.iter().map(|page| extract::decode(page, None).0).collect();
    let bytes: usize = decoded.iter().map(String::len).sum::<usize>();
    let mb = bytes as f64 / 1e6;
    println!("{what}: {mb:.1} MB of HTML");

    // Turn about, the best of five each: the machine's speed drifts between runs.
    let (mut parse, mut extraction, mut articles) = (f64::MAX, f64::MAX, Vec::new());
    for _ in 0..5 {
        parse = parse.min(best_of_three(|| {
            for html in &decoded {
                std::hint::black_box(dom_query::Document::from(html.as_str()));
            }
        }));
        extraction = extraction.min(best_of_three(|| {
            articles = decoded.iter().filter_map(|html| extract::extract(html, Some(&url), now).ok()).collect();
        }));
    }
    println!("  html5ever parsing alone: {:.1} MB/s", mb / parse);
    println!(
        "  reader-mode extraction: {:.1} MB/s, {:.0}% of html5ever's speed (budget ≥ 50%), {:.2} ms a page",
        mb / extraction,
        100.0 * parse / extraction,
        extraction * 1000.0 / pages.len() as f64
    );

    let article_mb = articles.iter().map(|a| a.html.len()).sum::<usize>() as f64 / 1e6;
    for width in [40, 80, 120] {
        let layout = best_of_three(|| {
            for article in &articles {
                std::hint::black_box(render::body(&article.html, Some(&url), width));
            }
        });
        println!(
            "  layout of the {} articles found ({article_mb:.1} MB) at {width} columns: {:.1} MB/s, {:.2} ms an article",
            articles.len(),
            article_mb / layout,
            layout * 1000.0 / articles.len().max(1) as f64
        );
    }
}
