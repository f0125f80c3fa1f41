//! The parsers' entry points on arbitrary input, a short run in `cargo test` of what
//! the fuzz targets search at length: the feed parser, reader mode, the date parser,
//! the menu finder, the config parser and OPML import. None may panic, and what they
//! give back is clean (no control characters in titles).

use proptest::prelude::*;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap()
}

/// Bytes that look enough like markup to reach past the first checks.
fn markup() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<".to_owned()),
        Just(">".to_owned()),
        Just("&amp;".to_owned()),
        Just("&#x1b;".to_owned()),
        Just("<rss version=\"2.0\"><channel>".to_owned()),
        Just("<item><title>".to_owned()),
        Just("</title></item>".to_owned()),
        Just("<feed xmlns=\"http://www.w3.org/2005/Atom\">".to_owned()),
        Just("<nav><ul><li><a href=\"/a\">".to_owned()),
        Just("<p>".to_owned()),
        Just("<table><tr><td>".to_owned()),
        Just("<![CDATA[".to_owned()),
        "[a-zé \\x00-\\x1f\\u{9b}\\u{202e}]{0,12}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn feeds(text in markup(), raw in prop::collection::vec(any::<u8>(), 0..200)) {
        let base = url::Url::parse("https://a.example/feed").unwrap();
        for bytes in [text.as_bytes(), raw.as_slice()] {
            if let Ok(feed) = kiosque::sources::feed::parse(bytes, &base, None) {
                for title in feed.title.iter().chain(feed.articles.iter().map(|a| &a.title)) {
                    prop_assert!(!title.chars().any(char::is_control), "{title:?}");
                }
            }
        }
    }

    #[test]
    fn reader_mode_and_layout(text in markup()) {
        if let Ok(found) = kiosque::extract::extract(&text, None, now()) {
            prop_assert!(!found.title.chars().any(char::is_control));
            let _ = found.text();
        }
        for line in kiosque::render::body(&text, None, 30) {
            prop_assert!(line.width() <= 30);
            prop_assert!(!line.text().chars().any(char::is_control), "{line:?}");
        }
    }

    #[test]
    fn dates(text in "[0-9a-zéû :/,.+TZ-]{0,40}") {
        let _ = kiosque::extract::parse_date(&text, now());
    }

    #[test]
    fn menus(text in markup()) {
        let page = url::Url::parse("https://a.example/").unwrap();
        let _ = kiosque::sources::menu::find(&dom_query::Document::from(text.as_str()), &page, &page);
    }

    #[test]
    fn configs(text in "[a-z_\\[\\]=\"0-9 \\n.:/]{0,120}") {
        let _ = kiosque::config::parse(&text, std::path::Path::new("config.toml"));
    }

    #[test]
    fn opml(text in markup()) {
        let _ = kiosque::sources::opml::read(&text);
    }
}
