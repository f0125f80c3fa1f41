//! What the fuzz targets (`fuzz/`) found, kept as fixtures (`tests/fixtures/fuzz/<target>/`)
//! and run through the same entry point and checks: each once panicked, or was slow.
//! A parser's panic is caught by `guard` in the program, so here it is looked for in the
//! error that would have said so.

use std::path::Path;

fn findings(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new("tests/fixtures/fuzz").join(target);
    let mut found: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no findings in {}", dir.display());
    found
}

#[test]
fn feeds_the_fuzzer_broke_parse_without_a_panic() {
    let base = url::Url::parse("https://a.example/feed").unwrap();
    for (name, bytes) in findings("feed") {
        match kiosque::sources::feed::parse(&bytes, &base, None) {
            Ok(feed) => {
                for title in feed.title.iter().chain(feed.articles.iter().map(|a| &a.title)) {
                    assert!(!title.chars().any(char::is_control), "{name}: {title:?}");
                }
            }
            Err(e) => assert!(!e.to_string().contains("the feed parser failed"), "{name}: {e}"),
        }
    }
}

#[test]
fn dates_the_fuzzer_broke_read_without_a_panic() {
    let now = chrono::DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap();
    for (name, bytes) in findings("dates") {
        let text = String::from_utf8_lossy(&bytes);
        assert_eq!(kiosque::extract::parse_date(&text, now), None, "{name}");
    }
}
