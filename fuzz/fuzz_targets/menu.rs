//! The menu finder on any page.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let page = url::Url::parse("https://a.example/").unwrap();
    let _ = kiosque::sources::menu::find(&dom_query::Document::from(text), &page, &page);
});
