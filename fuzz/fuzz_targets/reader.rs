//! Reader mode and the article's layout on any page: no panic, clean titles, and lines
//! no wider than asked.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let now = chrono::DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap();
    if let Ok(found) = kiosque::extract::extract(text, None, now) {
        assert!(!found.title.chars().any(char::is_control));
        let _ = found.text();
    }
    for line in kiosque::render::body(text, None, 30) {
        assert!(line.width() <= 30);
        assert!(!line.text().chars().any(char::is_control), "{line:?}");
    }
});
