//! A site with a menu and nothing else (no API, no feeds): each section lists the articles
//! its page shows, whatever the markup (a list with written dates, a table with a date
//! column), without its tags, authors, pagination, sharing or sidebar; a section with no
//! articles says so. The site is the project's own fixture, served on 127.0.0.1.

mod common;

use std::time::Duration;

use chrono::DateTime;
use kiosque::config::FeedConfig;
use kiosque::engine::Event;
use kiosque::http::{Http, HttpSettings};
use kiosque::model::{Scope, SourceKind};
use kiosque::sources::discover::{self, Found};
use kiosque::store::{Anchor, Store};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn gazette(runtime: &tokio::runtime::Runtime) -> MockServer {
    runtime.block_on(async {
        let server = MockServer::builder().start().await;
        for (route, file) in [
            ("/", "home"),
            ("/culture/", "culture"),
            ("/economie/", "economie"),
            ("/archives-vides/", "archives-vides"),
        ] {
            let body = std::fs::read(format!("tests/fixtures/sites/gazette/{file}.html")).unwrap();
            Mock::given(method("GET"))
                .and(path(route))
                .respond_with(ResponseTemplate::new(200).set_body_raw(body, "text/html; charset=utf-8"))
                .mount(&server)
                .await;
        }
        server
    })
}

/// Titles and days of a section's articles, as the cache lists them.
fn listed(store: &Store, section: kiosque::model::SectionId) -> Vec<(String, String)> {
    let rows = store.rows(&Scope::Section(section), Anchor::First, 50).unwrap();
    rows.into_iter()
        .map(|r| (r.title, DateTime::from_timestamp(r.time, 0).unwrap().format("%Y-%m-%d").to_string()))
        .collect()
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items.iter().map(|(t, d)| ((*t).to_owned(), (*d).to_owned())).collect()
}

#[test]
fn a_menu_only_site_lists_each_section_whatever_its_markup() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let server = gazette(&runtime);
    let http = Http::new(HttpSettings { timeout: Duration::from_secs(5), ..HttpSettings::default() }).unwrap();
    let Ok(Found::Site(info)) = runtime.block_on(discover::discover(&http, &format!("{}/culture/", server.uri())))
    else {
        panic!("a site with a menu")
    };
    assert_eq!(info.title.as_deref(), Some("La Gazette des Quais"), "named by its home, not the section");
    let labels: Vec<&str> = info.sections.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Culture", "Économie", "Archives"]);

    let (_dir, cache) = common::temp_cache();
    let site = FeedConfig { url: info.home(), name: None, folder: None, kind: SourceKind::Site, prefetch: false };
    let entries = kiosque::sources::register(&[site], &Store::open(&cache).unwrap()).unwrap();
    let (engine, events) = common::engine(runtime.handle(), &cache);
    engine.refresh(vec![entries[0].id]);
    let summary = common::wait_for_finish(&events);
    assert_eq!(summary.failed, 0, "{summary:?}");
    let store = Store::open(&cache).unwrap();
    let sections = store.sections(entries[0].id).unwrap();
    let home = sections.iter().find(|s| s.home).unwrap();
    assert_eq!(
        listed(&store, home.id),
        pairs(&[("La Bourse termine en hausse", "2025-11-26"), ("Le festival Lumière ouvre ses portes", "2025-11-11")])
    );

    let outcome = |label: &str| {
        let section = sections.iter().find(|s| s.label == label).unwrap().id;
        engine.list_section(section, 1);
        loop {
            match events.recv_timeout(Duration::from_secs(20)).unwrap() {
                Event::SectionDone { id, result } if id == section => return (section, result),
                _ => continue,
            }
        }
    };
    let (culture, result) = outcome("Culture");
    result.unwrap();
    assert_eq!(
        listed(&store, culture),
        pairs(&[
            ("Le festival Lumière ouvre ses portes", "2025-11-11"),
            ("Un roman venu du froid, prix des lycéens", "2025-11-02"),
            ("La chorale du port chante Noël", "2025-10-27"),
        ]),
        "tags, authors, pagination, sharing and the sidebar left out"
    );
    let (economie, result) = outcome("Économie");
    result.unwrap();
    assert_eq!(
        listed(&store, economie),
        pairs(&[
            ("La Bourse termine en hausse", "2025-11-26"),
            ("Le chômage recule encore au troisième trimestre", "2025-11-25"),
            ("Le port accueille un nouveau terminal", "2025-11-19"),
        ])
    );
    let (archives, result) = outcome("Archives");
    let error = result.expect_err("an empty section is not a success").to_string();
    assert!(error.contains("/archives-vides/: this section lists no articles: no feed"), "{error}");
    let row = store.sections(entries[0].id).unwrap().into_iter().find(|s| s.id == archives).unwrap();
    assert!(row.error.is_some_and(|e| e.contains("lists no articles")), "the tree shows why");
}

/// A heading of the menu without a page of its own ("Le port" over Culture and
/// Économie) shows what its sections list.
#[test]
fn a_menu_heading_lists_its_sections_articles() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let server = gazette(&runtime);
    let home = "<html lang='fr'><head><title>La Gazette des Quais</title></head><body><header><nav><ul>\
        <li><a href='/'>Accueil</a></li>\
        <li><button>Le port</button><ul><li><a href='/culture/'>Culture</a></li><li><a href='/economie/'>Économie</a></li></ul></li>\
        <li><a href='/archives-vides/'>Archives</a></li></ul></nav></header></body></html>";
    runtime.block_on(
        Mock::given(method("GET"))
            .and(path("/rubriques/"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(home, "text/html; charset=utf-8"))
            .with_priority(1)
            .mount(&server),
    );
    let http = Http::new(HttpSettings { timeout: Duration::from_secs(5), ..HttpSettings::default() }).unwrap();
    let Ok(Found::Site(info)) = runtime.block_on(discover::discover(&http, &format!("{}/rubriques/", server.uri())))
    else {
        panic!("a site with a menu")
    };
    let heading = &info.sections[0];
    assert_eq!((heading.label.as_str(), heading.url.as_deref()), ("Le port", None));
    assert_eq!(heading.children.len(), 2);

    let (_dir, cache) = common::temp_cache();
    let mut store = Store::open(&cache).unwrap();
    let source = store.ensure_source_of_kind(&info.home(), SourceKind::Site).unwrap();
    store.save_sections(source, &info.home(), &info.sections).unwrap();
    let sections = store.sections(source).unwrap();
    let heading = sections.iter().find(|s| s.label == "Le port").unwrap().id;
    let (engine, events) = common::engine(runtime.handle(), &cache);
    engine.list_section(heading, 1);
    let result = loop {
        match events.recv_timeout(Duration::from_secs(20)).unwrap() {
            Event::SectionDone { id, result } if id == heading => break result,
            _ => continue,
        }
    };
    result.unwrap();
    let titles: Vec<String> = listed(&store, heading).into_iter().map(|(t, _)| t).collect();
    assert_eq!(titles.len(), 6, "the three of Culture and the three of Économie: {titles:?}");
    assert_eq!(titles[0], "La Bourse termine en hausse", "newest first");
    let culture = sections.iter().find(|s| s.label == "Culture").unwrap().id;
    assert_eq!(listed(&store, culture).len(), 3, "each section keeps its own");
}
