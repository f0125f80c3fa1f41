//! Hostile text, doubled: each kind at 1, 2, 4 and 8 times a size, and how much longer
//! each doubling takes. Linear work takes about twice as long at each step; work that
//! restarts from inside the input takes four times.
//!
//! Kinds: feed titles of many `<` and of many `&`, bodies full of `<script>` (indexed
//! for search), entities, and nesting (laid out by html2text and read by reader mode).
//!
//! `cargo bench --bench hostile`.

use std::time::{Duration, Instant};

use kiosque::model::NewArticle;
use kiosque::sources::feed;
use kiosque::store::Store;

fn main() {
    let base = url::Url::parse("https://hostile.example/feed/").unwrap();
    let rss = |title: String| {
        format!(
            "<rss version=\"2.0\"><channel><title>{title}</title><item><title>{title}</title></item></channel></rss>"
        )
        .into_bytes()
    };
    doubling(
        "feed titles of '<' without '>'",
        50_000,
        |n| rss("&lt;a".repeat(n)),
        |xml| {
            feed::parse(xml, &base, None).unwrap();
        },
    );
    doubling(
        "feed titles of '&' without ';'",
        50_000,
        |n| rss("&amp;x".repeat(n)),
        |xml| {
            feed::parse(xml, &base, None).unwrap();
        },
    );
    doubling("bodies full of scripts, indexed", 5_000, body("<p>mot</p><script>x</script><style>y</style>"), index);
    doubling("bodies of entities, indexed", 20_000, body("&eacute;&#233;&amp;&nbsp;&unknown;"), index);
    doubling(
        "bodies of entities, laid out",
        20_000,
        |n| "&eacute;&#233;&amp; ".repeat(n),
        |html| {
            kiosque::render::body(html, None, 80);
        },
    );
    doubling(
        "nesting, laid out",
        2_000,
        |n| "<div><blockquote><ul><li>".repeat(n) + "deep",
        |html| {
            kiosque::render::body(html, None, 80);
        },
    );
    let now = chrono::Local::now().fixed_offset();
    doubling(
        "nesting, read by reader mode",
        2_000,
        |n| "<div><p>texte ".repeat(n),
        |html| {
            let _ = kiosque::extract::extract(html, None, now);
        },
    );
}

fn body(unit: &'static str) -> impl Fn(usize) -> NewArticle {
    move |n| NewArticle {
        guid: format!("hostile-{n}"),
        url: None,
        title: "Hostile".to_owned(),
        author: None,
        published: None,
        section: None,
        summary: None,
        content: Some(unit.repeat(n)),
        enclosures: Vec::new(),
    }
}

fn index(article: &NewArticle) {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://hostile.example/").unwrap();
    store.save_articles(source, std::slice::from_ref(article), 1_764_335_100).unwrap();
}

/// Times `f` on `make(n)`, `make(2n)`, `make(4n)`, `make(8n)`, the fastest of three each,
/// and prints each time and its ratio to the one before.
fn doubling<T>(what: &str, n: usize, make: impl Fn(usize) -> T, f: impl Fn(&T)) {
    let mut line = format!("{what}:");
    let mut before: Option<Duration> = None;
    for factor in [1, 2, 4, 8] {
        let input = make(n * factor);
        let took = (0..3)
            .map(|_| {
                let started = Instant::now();
                f(&input);
                started.elapsed()
            })
            .min()
            .unwrap();
        line.push_str(&format!(" ×{factor} {:.1} ms", took.as_secs_f64() * 1000.0));
        if let Some(before) = before {
            line.push_str(&format!(" ({:.1}×)", took.as_secs_f64() / before.as_secs_f64().max(1e-9)));
        }
        before = Some(took);
    }
    println!("{line}");
}
