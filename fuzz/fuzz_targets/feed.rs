//! The feed parser on any bytes: no panic, and titles without control characters.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let base = url::Url::parse("https://a.example/feed").unwrap();
    if let Ok(feed) = kiosque::sources::feed::parse(bytes, &base, None) {
        for title in feed.title.iter().chain(feed.articles.iter().map(|a| &a.title)) {
            assert!(!title.chars().any(char::is_control), "{title:?}");
        }
    }
});
