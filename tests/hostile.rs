//! Hostile input, one case per class of fault found: work superlinear in the input,
//! links of other schemes, output that could act on a terminal, panics on odd but legal
//! input, reads and waits without end. Inputs are generated here. Time is judged as a
//! ratio against an input of the same kind sixteen times smaller (linear work takes
//! about 16 times longer, quadratic 256), never as an absolute time.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use kiosque::model::NewArticle;
use kiosque::sources::{feed, wordpress};
use kiosque::store::Store;
use url::Url;

/// How much longer the input 16 times larger may take: linear is 16, quadratic 256.
const MOST_RATIO: f64 = 64.0;

/// The fastest of three runs of `f` on `input`.
fn fastest<T>(input: &T, f: impl Fn(&T)) -> Duration {
    (0..3)
        .map(|_| {
            let started = Instant::now();
            f(input);
            started.elapsed()
        })
        .min()
        .unwrap()
}

/// Asserts that `f` on `make(16 n)` takes at most `MOST_RATIO` times as long as on
/// `make(n)`.
fn grows_linearly<T>(what: &str, n: usize, make: impl Fn(usize) -> T, f: impl Fn(&T)) {
    let (small, large) = (make(n), make(16 * n));
    f(&small); // warm up
    let (a, b) = (fastest(&small, &f), fastest(&large, &f));
    let ratio = b.as_secs_f64() / a.as_secs_f64().max(1e-6);
    assert!(ratio < MOST_RATIO, "{what}: 16 times the input took {ratio:.0} times as long ({a:?} → {b:?})");
}

fn base() -> Url {
    Url::parse("https://hostile.example/feed/").unwrap()
}

fn rss_with_title(title: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{title}</title>\
         <item><title>{title}</title><link>https://hostile.example/1</link></item></channel></rss>"
    )
    .into_bytes()
}

/// Regression: a title of many `<` or `&` (escaped in the XML, so text to the feed)
/// rescanned the rest of itself at each one.
#[test]
fn feed_titles_of_any_markup_take_time_in_proportion() {
    grows_linearly(
        "'<' without '>'",
        20_000,
        |n| rss_with_title(&"&lt;a".repeat(n)),
        |xml| {
            feed::parse(xml, &base(), None).unwrap();
        },
    );
    grows_linearly(
        "'&' without ';'",
        20_000,
        |n| rss_with_title(&"&amp;x".repeat(n)),
        |xml| {
            feed::parse(xml, &base(), None).unwrap();
        },
    );
}

/// Regression: indexing a body lowercased the rest of it at each `<script>`, inside the
/// write transaction, so other writers failed with "database is locked".
#[test]
fn bodies_full_of_scripts_are_indexed_in_proportion() {
    let article = |n: usize| NewArticle {
        guid: format!("scripts-{n}"),
        url: None,
        title: "Scripts".to_owned(),
        author: None,
        published: None,
        section: None,
        summary: None,
        content: Some("<p>mot</p><script>x</script><style>y</style>".repeat(n)),
        enclosures: Vec::new(),
    };
    grows_linearly("scripts and styles", 1_000, article, |a| {
        let mut store = Store::open_in_memory().unwrap();
        let source = store.ensure_source("https://hostile.example/").unwrap();
        store.save_articles(source, std::slice::from_ref(a), 1_764_335_100).unwrap();
    });
}

/// Regression: links from the WordPress REST API were kept whatever their scheme, then
/// printed by `search` and exported as Markdown links.
#[test]
fn links_of_other_schemes_are_not_kept() {
    let posts = r#"[
        {"id": 1, "date_gmt": "2025-11-28T13:05:00", "link": "javascript:alert(1)", "title": {"rendered": "Un"}},
        {"id": 2, "date_gmt": "2025-11-28T13:05:00", "link": "file:///etc/passwd", "title": {"rendered": "Deux"}},
        {"id": 3, "date_gmt": "2025-11-28T13:05:00", "link": "data:text/html,<b>x</b>", "title": {"rendered": "Trois"}},
        {"id": 4, "date_gmt": "2025-11-28T13:05:00", "link": "/2025/11/28/quatre/", "title": {"rendered": "Quatre"}}
    ]"#;
    let found = wordpress::parse_posts(posts.as_bytes(), &base()).unwrap();
    let urls: Vec<Option<&str>> = found.iter().map(|a| a.url.as_deref()).collect();
    assert_eq!(urls, [None, None, None, Some("https://hostile.example/2025/11/28/quatre/")]);
}

fn kiosque(args: &[&str], stdin: Option<&[u8]>, home: &std::path::Path) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(args)
        .env("KIOSQUE_CONFIG", home.join("config.toml"))
        .env("KIOSQUE_DATA_DIR", home.join("data"))
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        use std::io::Write;
        // A command that stops reading early closes the pipe: not a failure here.
        let _ = child.stdin.take().unwrap().write_all(bytes);
    }
    // A command that hangs fails the test instead of hanging it.
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("kiosque {args:?} did not end");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.wait_with_output().unwrap()
}

/// What would act on a terminal: C0 controls but the line break, C1, DEL, bidi overrides.
fn acts_on_a_terminal(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Regression: `read --format json`'s `html` carried C1 controls, DEL and bidi
/// overrides raw; text output must carry none of them either.
#[test]
fn nothing_that_acts_on_a_terminal_comes_out() {
    let home = tempfile::tempdir().unwrap();
    let hostile = "<html><head><title>T\u{9b}31m\u{202e}itre</title></head><body><article>\
        <h1>Un titre\u{1b}]0;pwned\u{7}</h1>"
        .to_owned()
        + &"<p>Un paragraphe \u{9d}assez long\u{7f} pour un article, avec \u{2066}des mots\u{2069} et des phrases.</p>"
            .repeat(6)
        + "</article></body></html>";
    for format in ["text", "markdown", "json"] {
        let out = kiosque(&["read", "--format", format, "-"], Some(hostile.as_bytes()), home.path());
        assert!(out.status.success(), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("paragraphe"), "{format}: {text}");
        assert!(!text.chars().any(acts_on_a_terminal), "{format}: {text:?}");
        if format == "json" {
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert!(value["html"].as_str().unwrap().contains('\u{9d}'), "escaped, not lost: {text}");
        }
    }
}

/// Regression: a UTF-16BE feed panicked the XML parser, and `tree`/`add` exited 101.
#[test]
fn a_utf16_feed_is_read_not_a_panic() {
    let home = tempfile::tempdir().unwrap();
    let xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss version=\"2.0\"><channel><title>Été</title>\
               <item><title>Un</title><link>https://hostile.example/1</link></item></channel></rss>";
    let bytes: Vec<u8> = [0xfe, 0xff].into_iter().chain(xml.encode_utf16().flat_map(u16::to_be_bytes)).collect();
    let file = home.path().join("feed.xml");
    std::fs::write(&file, bytes).unwrap();
    let out = kiosque(&["read", file.to_str().unwrap()], None, home.path());
    assert_eq!(out.status.code(), Some(1), "refused, not a panic (101)");
    assert!(String::from_utf8_lossy(&out.stderr).contains("is a feed, not an article"));
}

/// Regression: huge numbers panicked tokio's semaphore or overflowed a shift, and 0
/// failed every fetch; each is refused with what the range is.
#[test]
fn config_numbers_out_of_range_are_refused_by_name() {
    let home = tempfile::tempdir().unwrap();
    for (setting, said) in [
        ("concurrency = 99999999999", "http.concurrency must be at most 256"),
        ("max_mb = 99999999999999", "http.max_mb must be at most 1024"),
        ("timeout_secs = 0", "http.timeout_secs must be at least 1"),
    ] {
        std::fs::write(home.path().join("config.toml"), format!("[http]\n{setting}\n")).unwrap();
        let out = kiosque(&["refresh"], None, home.path());
        assert_eq!(out.status.code(), Some(1), "{setting}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(said),
            "{setting}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Regression: `read` had no cap on its input (`read /dev/zero` grew until memory ran
/// out), and a pipe in place of the cache made every command wait forever.
#[test]
fn reads_are_capped_and_a_pipe_is_no_cache() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), "[http]\nmax_mb = 1\n").unwrap();
    let big = vec![b'a'; 3 << 20];
    let out = kiosque(&["read", "-"], Some(&big), home.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("larger than 1 MB"));
    if std::path::Path::new("/dev/zero").exists() {
        let out = kiosque(&["read", "/dev/zero"], None, home.path());
        assert!(String::from_utf8_lossy(&out.stderr).contains("larger than 1 MB"), "ends, refused");
    }
    std::fs::create_dir_all(home.path().join("data")).unwrap();
    let pipe = home.path().join("data/cache.sqlite");
    if Command::new("mkfifo").arg(&pipe).status().is_ok_and(|s| s.success()) {
        let out = kiosque(&["stats"], None, home.path());
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains("not a regular file"));
    }
}
