//! Feed parsing on the project's fixtures: each format, entities, CDATA, relative links,
//! charsets, missing fields, and inputs that are not feeds at all.

use kiosque::sources::feed::{self, FeedError, ParsedFeed};
use url::Url;

fn parse_with(name: &str, charset: Option<&str>) -> Result<ParsedFeed, FeedError> {
    let bytes = std::fs::read(format!("tests/fixtures/feeds/{name}")).unwrap();
    feed::parse(&bytes, &Url::parse("https://kiosque-du-midi.example/feed/").unwrap(), charset)
}

fn parse(name: &str) -> ParsedFeed {
    parse_with(name, None).unwrap()
}

#[test]
fn rss2_gives_titles_links_authors_dates_and_full_content() {
    let feed = parse("actualites.rss");
    assert_eq!(feed.title.as_deref(), Some("Le Kiosque du Midi – Actualités"));
    assert_eq!(feed.site_url.as_deref(), Some("https://kiosque-du-midi.example/"));
    assert_eq!(feed.articles.len(), 4);
    let first = &feed.articles[0];
    assert_eq!(first.title, "Les bibliothèques de Lyon ouvriront le dimanche dès janvier");
    assert_eq!(first.guid, "https://kiosque-du-midi.example/?p=1201");
    assert_eq!(first.author.as_deref(), Some("Camille Durand"));
    assert_eq!(first.published.unwrap().to_rfc3339(), "2025-11-28T13:05:00+00:00");
    assert!(first.content.as_deref().unwrap().contains("<h2>Ce qui change</h2>"));
    assert!(first.summary.as_deref().unwrap().starts_with("<p>Après deux ans"));
}

#[test]
fn markup_and_double_escaped_entities_leave_titles() {
    let feed = parse("actualites.rss");
    assert_eq!(feed.articles[1].title, "Direct & analyses : le budget 2026 adopté en première lecture");
    assert_eq!(feed.articles[2].title, "Tom & Jerry : la série revient en version restaurée");
}

#[test]
fn relative_links_resolve_against_the_feed() {
    let feed = parse("actualites.rss");
    assert_eq!(
        feed.articles[1].url.as_deref(),
        Some("https://kiosque-du-midi.example/2025/11/27/budget-2026-premiere-lecture/")
    );
    let atom = parse("tech.atom");
    assert_eq!(atom.articles[0].url.as_deref(), Some("https://tech-notes.example/blog/plain-text-wins.html"));
    assert_eq!(atom.articles[1].url.as_deref(), Some("https://tech-notes.example/archive/terminal-colours"));
}

#[test]
fn undated_entries_have_no_date_and_a_stable_identity() {
    let feed = parse("actualites.rss");
    let undated = &feed.articles[3];
    assert_eq!(undated.published, None);
    assert_eq!(undated.guid, "https://kiosque-du-midi.example/2025/11/25/sans-date/");
    assert_eq!(parse("actualites.rss").articles[3].guid, undated.guid);
}

#[test]
fn untitled_entries_show_their_first_words() {
    let feed = parse("untitled.rss");
    assert_eq!(feed.articles[0].title, "Une brève sans titre ni lien ni date, dont on montre les…");
    assert_eq!(feed.articles[1].title, "Deuxième brève, avec un lien mais sans titre.");
    // Without a guid or a link, the identity is a hash of the text: the same on every refresh.
    assert!(feed.articles[0].guid.starts_with("hash:"));
    assert_eq!(parse("untitled.rss").articles[0].guid, feed.articles[0].guid);
}

#[test]
fn rss1_atom_and_json_feed_parse() {
    let rdf = parse("culture.rdf");
    assert_eq!(rdf.articles.len(), 2);
    assert_eq!(rdf.articles[0].author.as_deref(), Some("Léa Martin"));
    assert_eq!(rdf.articles[0].published.unwrap().to_rfc3339(), "2025-11-28T08:30:00+00:00");

    let atom = parse("tech.atom");
    assert_eq!(atom.title.as_deref(), Some("Tech Notes"));
    assert_eq!(atom.articles[0].title, "Why plain text still wins");
    assert_eq!(atom.articles[0].published.unwrap().to_rfc3339(), "2025-11-28T07:00:00+00:00");
    // Updated stands in for a missing published date.
    assert_eq!(atom.articles[1].published.unwrap().to_rfc3339(), "2025-11-21T12:00:00+00:00");
    // A text/plain body becomes paragraphs, escaped.
    assert_eq!(
        atom.articles[1].content.as_deref(),
        Some("<p>Sixteen colours, then 256, then 16 million.</p><p>Each step kept the old ones working.</p>")
    );

    let json = parse("monde.json");
    assert_eq!(json.articles.len(), 2);
    assert_eq!(json.articles[0].guid, "monde-2025-11-28-cop");
    assert_eq!(json.articles[0].author.as_deref(), Some("Inès Benali"));
    assert!(json.articles[1].content.as_deref().unwrap().contains("se départageront"));
}

#[test]
fn latin1_feeds_decode_from_the_prolog_or_the_http_header() {
    let declared = parse("latin1.rss");
    assert_eq!(declared.title.as_deref(), Some("Café des sciences"));
    assert_eq!(declared.articles[0].title, "L'été le plus chaud depuis 1880");
    let header_only = parse_with("latin1-header-only.rss", Some("ISO-8859-1")).unwrap();
    assert_eq!(header_only.articles[0].title, "Noël approche");
}

#[test]
fn escape_sequences_and_script_links_are_stripped() {
    let feed = parse("hostile.rss");
    assert_eq!(feed.title.as_deref(), Some("Evil feed"));
    assert_eq!(feed.articles[0].title, "Click here now");
    assert_eq!(feed.articles[0].url, None);
}

#[test]
fn what_is_not_a_feed_says_what_it_is() {
    assert_eq!(parse_with("empty.rss", None).unwrap_err(), FeedError::Empty);
    assert_eq!(parse_with("not-a-feed.html", None).unwrap_err(), FeedError::Html);
    let truncated = parse_with("truncated.rss", None).unwrap_err();
    assert!(matches!(truncated, FeedError::Malformed(_)), "{truncated:?}");
    assert!(truncated.to_string().starts_with("broken feed: "));
    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    let err = feed::parse(&binary, &Url::parse("https://a.example/").unwrap(), None).unwrap_err();
    assert!(matches!(err, FeedError::Malformed(_) | FeedError::NoFeedRoot), "{err:?}");
    let json = feed::parse(b"{\"hello\": 1}", &Url::parse("https://a.example/").unwrap(), None).unwrap_err();
    assert!(matches!(json, FeedError::Malformed(_) | FeedError::NoFeedRoot), "{json:?}");
}

#[test]
fn enclosures_come_with_their_type_and_size_and_only_from_the_web() {
    let feed = parse("podcast.rss");
    let found = |n: usize| -> Vec<(String, Option<String>, Option<u64>)> {
        feed.articles[n].enclosures.iter().map(|e| (e.url.clone(), e.mime.clone(), e.length)).collect()
    };
    let file = |url: &str, mime: &str, length| (url.to_owned(), Some(mime.to_owned()), Some(length));
    let cdn = "https://cdn.kiosque-du-midi.example/podcast";
    assert_eq!(found(0), [file(&format!("{cdn}/episode-12.mp3"), "audio/mpeg", 28_311_552)], "once, given twice");
    assert_eq!(found(1), [], "a script is no file");
    assert_eq!(found(2), [file(&format!("{cdn}/episode-10.mp4"), "video/mp4", 104_857_600)], "Media RSS");
}
