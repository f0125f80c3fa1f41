//! The date parser (French and English, relative and absolute) on any text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let now = chrono::DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap();
    let _ = kiosque::extract::parse_date(text, now);
});
