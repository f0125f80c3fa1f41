//! News sites as sources: what a URL is, a WordPress site's category tree from its API
//! shaped by its menu, the fallback when the API is closed, and menus of three markups.
//! The WordPress site is the project's sample site (`kiosque::demo`) on 127.0.0.1.

mod common;

use std::process::Command;
use std::time::Duration;

use dom_query::Document;
use kiosque::config::FeedConfig;
use kiosque::demo::{self, DemoServer, Options};
use kiosque::engine::Event;
use kiosque::http::{Http, HttpSettings};
use kiosque::model::{Scope, Section, SourceKind};
use kiosque::sources::discover::{self, Found};
use kiosque::sources::home;
use kiosque::sources::menu;
use kiosque::sources::site::{self, SiteInfo, SiteKind};
use kiosque::store::{Anchor, Store};
use kiosque::tui::{Action, App, AppEvent};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use url::Url;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Demo {
    runtime: tokio::runtime::Runtime,
    server: DemoServer,
}

impl Demo {
    fn start(options: Options) -> Demo {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(demo::serve(options)).unwrap();
        Demo { runtime, server }
    }

    fn discover(&self, path: &str) -> Result<Found, site::SiteError> {
        let http = Http::new(HttpSettings { timeout: Duration::from_secs(5), ..HttpSettings::default() }).unwrap();
        self.runtime.block_on(discover::discover(&http, &format!("{}{path}", self.server.url)))
    }

    fn site(&self, path: &str) -> SiteInfo {
        match self.discover(path) {
            Ok(Found::Site(info)) => info,
            Ok(Found::Feed { url, .. }) => panic!("{url} is a feed"),
            Err(e) => panic!("{e}"),
        }
    }
}

/// Labels, indented by depth: the shape of a tree without its URLs.
fn shape(sections: &[Section]) -> String {
    fn walk(sections: &[Section], depth: usize, out: &mut String) {
        for s in sections {
            out.push_str(&format!("{}{}\n", "  ".repeat(depth), s.label));
            walk(&s.children, depth + 1, out);
        }
    }
    let mut out = String::new();
    walk(sections, 0, &mut out);
    out
}

fn menu_of(html: &str, url: &str) -> Vec<Section> {
    let page = Url::parse(url).unwrap();
    menu::find(&Document::from(html), &page, &home::root_of(&page))
}

#[test]
fn the_rest_tree_reads_like_the_sites_menu() {
    let demo = Demo::start(Options::default());
    let info = demo.site("/");
    assert!(matches!(&info.kind, SiteKind::WordPress { closed: None, api } if api.path() == "/wp-json/"), "{info:?}");
    assert_eq!(info.title.as_deref(), Some("Le Kiosque du Midi"));
    let home = demo.runtime.block_on(async { reqwest_free_get(&demo.server.url).await });
    assert_eq!(shape(&info.sections), shape(&menu_of(&home, &demo.server.url)));
    // Labels come from the menu ("In English", where the API says "English"), entities
    // are decoded, and every section keeps its category id for listing it.
    let decouvertes = info.sections.iter().find(|s| s.label == "Découvertes").unwrap();
    let labels: Vec<&str> = decouvertes.children.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Insolite", "Voyages", "Animaux", "Blagues & histoires drôles", "In English"]);
    assert!(decouvertes.children.iter().all(|s| s.remote_id.is_some()));
    assert_eq!(info.sections.len(), 6, "Uncategorized, empty and not in the menu, is left out");
}

/// The home page as text, over the project's own HTTP client.
async fn reqwest_free_get(base: &str) -> String {
    let http = Http::new(HttpSettings::default()).unwrap();
    match http.fetch(&format!("{base}/"), &Default::default()).await.unwrap() {
        kiosque::http::Fetched::Body(body) => String::from_utf8(body.bytes).unwrap(),
        kiosque::http::Fetched::NotModified => unreachable!("no validators were sent"),
    }
}

#[test]
fn any_page_of_the_site_gives_the_whole_site() {
    let demo = Demo::start(Options::default());
    let from_article = demo.site("/2025/11/28/bibliotheques-lyon-dimanche/");
    assert_eq!(shape(&from_article.sections), shape(&demo.site("/").sections));
}

#[test]
fn a_closed_api_falls_back_to_the_menu() {
    let demo = Demo::start(Options { api_status: 401, ..Options::default() });
    let info = demo.site("/");
    assert!(
        matches!(&info.kind, SiteKind::WordPress { closed: Some(why), .. } if why == "HTTP 401 Unauthorized"),
        "{:?}",
        info.kind
    );
    let open = Demo::start(Options::default()).site("/");
    assert_eq!(shape(&info.sections), shape(&open.sections));
    assert!(info.sections.iter().all(|s| s.remote_id.is_none()));
}

#[test]
fn a_feed_url_is_a_feed_and_a_missing_page_says_so() {
    let demo = Demo::start(Options::default());
    assert!(matches!(demo.discover("/category/actualites/high-tech/feed/"), Ok(Found::Feed { .. })));
    let missing = demo.discover("/nulle-part/").err().unwrap().to_string();
    assert!(missing.ends_with("/nulle-part/: HTTP 404 Not Found"), "{missing}");
}

#[test]
fn menus_of_three_markups() {
    let demo = Demo::start(Options::default());
    let wordpress = demo.runtime.block_on(reqwest_free_get(&demo.server.url));
    insta::assert_snapshot!("menu_wordpress_classic", shape(&menu_of(&wordpress, &demo.server.url)));
    let plain = std::fs::read_to_string("tests/fixtures/menus/plain-nav.html").unwrap();
    insta::assert_snapshot!("menu_plain_nav", shape(&menu_of(&plain, "https://harbour-gazette.example/")));
    let mega = std::fs::read_to_string("tests/fixtures/menus/mega-menu.html").unwrap();
    insta::assert_snapshot!("menu_mega_menu", shape(&menu_of(&mega, "https://quotidien-des-alpes.example/")));
}

fn kiosque(args: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(args)
        .env("KIOSQUE_CONFIG", home.path().join("absent.toml"))
        .env("KIOSQUE_DATA_DIR", home.path().join("data"))
        .output()
        .unwrap()
}

#[test]
fn kiosque_tree_prints_the_sites_sections() {
    let demo = Demo::start(Options::default());
    let url = format!("{}/", demo.server.url);
    let text = kiosque(&["tree", &url]);
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    insta::assert_snapshot!("tree_text", String::from_utf8(text.stdout).unwrap());
    let json = kiosque(&["tree", &url, "--json"]);
    let json = String::from_utf8(json.stdout).unwrap().replace(&demo.server.url, "http://demo");
    insta::assert_snapshot!("tree_json", json);
    let nodes: serde_json::Value = serde_json::from_str(&json.replace("http://demo", "")).unwrap();
    assert_eq!(nodes[0]["label"], "Actualités");
    assert_eq!(nodes[0]["children"][0]["url"], "/category/actualites/high-tech/");
}

#[test]
fn kiosque_tree_names_what_it_could_not_find() {
    let demo = Demo::start(Options::default());
    let out = kiosque(&["tree", &format!("{}/nulle-part/", demo.server.url)]);
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("kiosque: ") && err.contains("/nulle-part/: HTTP 404 Not Found"), "{err}");
    let unknown = kiosque(&["tree", "Le Monde"]);
    assert!(String::from_utf8(unknown.stderr).unwrap().contains("no source named \"Le Monde\""));
}

/// Hands engine events to the app until `done` says so.
fn pump_until(app: &mut App, events: &std::sync::mpsc::Receiver<Event>, done: impl Fn(&Event) -> bool) {
    loop {
        let event = events.recv_timeout(Duration::from_secs(20)).expect("the engine answers");
        let last = done(&event);
        app.handle(AppEvent::Engine(event));
        if last {
            app.settle();
            return;
        }
    }
}

fn screen(app: &mut App, terminal: &mut Terminal<TestBackend>) -> String {
    app.settle();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().to_string()
}

/// The reader on the sample site: the site is one node whose children are its sections,
/// its newest articles first; a section lists through the API when selected, and the
/// next page loads when the selection passes the end of what is loaded.
#[test]
fn the_reader_browses_a_site_by_its_sections() {
    let demo = Demo::start(Options::default());
    let (_dir, cache) = common::temp_cache();
    let entries = register_demo(&demo, &cache);
    let (engine, events) = common::engine(demo.runtime.handle(), &cache);
    let mut app = App::new(common::setup(&cache, engine, entries), 120, 40).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    app.refresh_all();
    pump_until(&mut app, &events, |e| matches!(e, Event::Finished(_)));
    let shown = screen(&mut app, &mut terminal);
    insta::assert_snapshot!("reader_on_the_sample_site", shown);

    // Down to "À la une", the site's newest: a first page of 20 of its 22 articles.
    app.update(Action::Down);
    app.update(Action::Down);
    pump_until(&mut app, &events, |e| matches!(e, Event::SectionDone { .. }));
    let shown = screen(&mut app, &mut terminal);
    assert!(shown.contains("À la une · 20 unread"), "{shown}");
    app.update(Action::Right);
    app.update(Action::Bottom);
    pump_until(&mut app, &events, |e| matches!(e, Event::SectionDone { .. }));
    let shown = screen(&mut app, &mut terminal);
    assert!(shown.contains("À la une · 22 unread"), "the next page came: {shown}");

    // A section lists its own articles and those of its subsections.
    app.update(Action::Left);
    app.update(Action::Down);
    pump_until(&mut app, &events, |e| matches!(e, Event::SectionDone { .. }));
    let shown = screen(&mut app, &mut terminal);
    assert!(shown.contains("Actualités · 9 unread"), "nine articles in Actualités and below: {shown}");
    assert!(shown.contains("La fibre arrive enfin"), "{shown}");
}

/// Moving down a site's sections asks for each in passing. On a slow site, a newer one
/// stops the listing of the one passed, so that where the reader stops does not wait
/// behind the others.
#[test]
fn on_a_slow_site_passing_sections_leaves_only_the_last_one_listing() {
    let demo = Demo::start(Options { api_delay: Duration::from_millis(200), ..Options::default() });
    let (_dir, cache) = common::temp_cache();
    let entries = register_demo(&demo, &cache);
    let (engine, events) = common::engine(demo.runtime.handle(), &cache);
    engine.refresh(vec![entries[0].id]);
    assert_eq!(common::wait_for_finish(&events).failed, 0);
    let sections = Store::open(&cache).unwrap().sections(entries[0].id).unwrap();
    let passed: Vec<_> = sections.iter().filter(|s| !s.home).take(5).map(|s| s.id).collect();
    for &id in &passed {
        engine.glance_section(id);
    }
    let mut done = std::collections::HashMap::new();
    while done.len() < passed.len() {
        if let Event::SectionDone { id, result } = events.recv_timeout(Duration::from_secs(20)).unwrap() {
            done.insert(id, result);
        }
    }
    let (last, before) = passed.split_last().unwrap();
    assert!(done[last].is_ok(), "{:?}", done[last]);
    let listed = Store::open(&cache).unwrap().rows(&Scope::Section(*last), Anchor::First, 50).unwrap();
    assert!(!listed.is_empty(), "the last section is listed");
    for id in before {
        assert_eq!(done[id], Err(kiosque::engine::JobError::Superseded), "section {id}");
    }
}

/// `kiosque refresh` lists a site's newest articles, and says how many it listed.
#[test]
fn refresh_from_the_shell_lists_a_site() {
    let demo = Demo::start(Options::default());
    let home = tempfile::tempdir().unwrap();
    let config = format!("keep_days = 0\n[[site]]\nurl = \"{}/\"\nname = \"Démo\"\n", demo.server.url);
    std::fs::write(home.path().join("config.toml"), config).unwrap();
    let refresh = || {
        let out = Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .arg("refresh")
            .env("KIOSQUE_CONFIG", home.path().join("config.toml"))
            .env("KIOSQUE_DATA_DIR", home.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stderr).unwrap()
    };
    assert!(refresh().contains("ok      Démo: 20 new (20 listed on the site)\n"));
    assert!(refresh().contains("ok      Démo: 0 new (20 listed on the site)\n"));
}

/// The demo site as the one source of the cache at `cache`.
fn register_demo(demo: &Demo, cache: &std::path::Path) -> Vec<kiosque::sources::SourceEntry> {
    let url = format!("{}/", demo.server.url);
    let site = FeedConfig { url, name: None, folder: None, kind: SourceKind::Site, prefetch: false };
    kiosque::sources::register(&[site], &Store::open(cache).unwrap()).unwrap()
}

/// Refreshes the site of `demo` into a new cache, then lists its "High-tech" section;
/// returns the titles listed there, and the site's kind as stored.
fn list_high_tech(demo: &Demo) -> (Vec<String>, kiosque::store::SiteAccess) {
    let (_dir, cache) = common::temp_cache();
    let entries = register_demo(demo, &cache);
    let (engine, events) = common::engine(demo.runtime.handle(), &cache);
    engine.refresh(vec![entries[0].id]);
    let summary = common::wait_for_finish(&events);
    assert_eq!(summary.failed, 0, "{summary:?}");
    let store = Store::open(&cache).unwrap();
    let high_tech = store.sections(entries[0].id).unwrap().into_iter().find(|s| s.label == "High-tech").unwrap();
    engine.list_section(high_tech.id, 1);
    loop {
        match events.recv_timeout(Duration::from_secs(20)).unwrap() {
            Event::SectionDone { id, result } if id == high_tech.id => {
                result.unwrap();
                break;
            }
            _ => continue,
        }
    }
    let rows = store.rows(&kiosque::model::Scope::Section(high_tech.id), kiosque::store::Anchor::First, 50).unwrap();
    (rows.into_iter().map(|r| r.title).collect(), store.site_access(entries[0].id).unwrap())
}

const HIGH_TECH: [&str; 3] = [
    "La fibre arrive enfin dans les derniers villages de la Drôme",
    "Téléphones : l’indice de réparabilité devient un indice de durabilité",
    "Le Parlement européen vote la fin des frais d’itinérance pour les données",
];

#[test]
fn a_section_lists_through_the_api_then_feeds_then_its_page() {
    let (open, access) = list_high_tech(&Demo::start(Options::default()));
    assert_eq!(open, HIGH_TECH);
    assert!(access.wordpress && access.api.is_some_and(|a| a.ends_with("/wp-json/")));

    let (closed, access) = list_high_tech(&Demo::start(Options { api_status: 403, ..Options::default() }));
    assert_eq!(closed, HIGH_TECH, "through the category's feed");
    assert!(access.wordpress && access.api.is_none());

    let no_feeds = Options { api_status: 401, no_feeds: true, ..Options::default() };
    let (without_feeds, access) = list_high_tech(&Demo::start(no_feeds));
    assert_eq!(without_feeds, HIGH_TECH, "through the links of the category's page");
    assert!(access.wordpress && access.api.is_none());

    let (plain, access) = list_high_tech(&Demo::start(Options { plain: true, ..Options::default() }));
    assert_eq!(plain, HIGH_TECH, "through the links of the section's page");
    assert!(!access.wordpress && access.api.is_none());
}

/// A WordPress site installed under `/blog/` keeps its path: its API, menu, feeds and
/// pages are found under it, from its home or any page, whatever the API allows.
#[test]
fn a_site_under_a_path_keeps_it() {
    let root = Demo::start(Options::default()).site("/");
    for options in [
        Options { prefix: "/blog", ..Options::default() },
        Options { prefix: "/blog", api_status: 403, ..Options::default() },
        Options { prefix: "/blog", api_status: 401, no_feeds: true, ..Options::default() },
        Options { prefix: "/blog", plain: true, ..Options::default() },
    ] {
        let demo = Demo::start(options);
        assert!(demo.server.url.ends_with("/blog"));
        for page in ["/", "/2025/11/28/bibliotheques-lyon-dimanche/", "/category/actualites/high-tech/"] {
            let info = demo.site(page);
            assert_eq!(info.home(), format!("{}/", demo.server.url), "{options:?} {page}");
            assert_eq!(shape(&info.sections), shape(&root.sections), "{options:?} {page}");
            assert_eq!(info.title.as_deref(), Some("Le Kiosque du Midi"));
        }
        let (listed, access) = list_high_tech(&demo);
        assert_eq!(listed, HIGH_TECH, "{options:?}");
        match options.api_status {
            200 if !options.plain => {
                assert_eq!(access.api, Some(format!("{}/wp-json/", demo.server.url)));
            }
            _ => assert!(access.api.is_none()),
        }
        // The site's own feed, kept for exporting it: WordPress's, under the path.
        let feed = (!options.plain).then(|| format!("{}/feed/", demo.server.url));
        assert_eq!(access.feed, feed, "{options:?}");
    }
}

/// A site that claims a thousand pages of categories, one whose API answers broken JSON,
/// and one that redirects to itself: each gets a bounded, clear outcome.
#[test]
fn hostile_sites_get_bounded_clear_outcomes() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let server = runtime.block_on(MockServer::start());
    let home = |api: &str| {
        format!(
            "<html><head><link rel='https://api.w.org/' href='{api}'></head><body><nav><ul>\
                 <li><a href='/category/a/'>Rubrique A</a></li></ul></nav></body></html>"
        )
    };
    let categories: Vec<serde_json::Value> = (0..100)
        .map(|i| {
            serde_json::json!({"id": i + 2, "parent": 0, "name": format!("Catégorie {i}"),
            "link": format!("{}/category/c{i}/", server.uri()), "count": 1})
        })
        .collect();
    runtime.block_on(async {
        for (route, body, mime, headers) in [
            ("/big/", home("/big/wp-json/"), "text/html", vec![]),
            (
                "/big/wp-json/wp/v2/categories",
                serde_json::to_string(&categories).unwrap(),
                "application/json",
                vec![("x-wp-totalpages", "1000"), ("x-wp-total", "100000")],
            ),
            ("/broken/", home("/broken/wp-json/"), "text/html", vec![]),
            ("/broken/wp-json/wp/v2/categories", "[{\"id\": 2, \"name\":".to_owned(), "application/json", vec![]),
        ] {
            let mut response = ResponseTemplate::new(200).set_body_raw(body, mime);
            for (name, value) in headers {
                response = response.insert_header(name, value);
            }
            Mock::given(method("GET")).and(path(route)).respond_with(response).mount(&server).await;
        }
        Mock::given(method("GET"))
            .and(path("/loop/"))
            .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop/"))
            .mount(&server)
            .await;
    });
    let http = Http::new(HttpSettings { timeout: Duration::from_secs(5), ..HttpSettings::default() }).unwrap();
    let discover = |route: &str| runtime.block_on(discover::discover(&http, &format!("{}{route}", server.uri())));

    let Ok(Found::Site(big)) = discover("/big/") else { panic!("the big site is read") };
    assert_eq!(big.sections.len(), 2000, "twenty pages of a hundred, then it stops");
    let asked = runtime.block_on(server.received_requests()).unwrap();
    assert_eq!(asked.iter().filter(|r| r.url.path().ends_with("/categories")).count(), 20);

    let broken = discover("/broken/").err().unwrap().to_string();
    assert!(broken.contains("/broken/wp-json/wp/v2/categories") && broken.contains("categories:"), "{broken}");
    let looping = discover("/loop/").err().unwrap().to_string();
    assert!(looping.ends_with("/loop/: too many redirects or a redirect loop"), "{looping}");
}

/// Categories a WordPress site's menu does not show go under one last node, in the
/// site's language, instead of mixing with the menu's sections.
#[test]
fn categories_off_the_menu_go_under_one_last_node() {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let server = runtime.block_on(MockServer::start());
    let home = format!(
        "<html lang='fr-FR'><head><link rel='https://api.w.org/' href='{base}/wp-json/'></head><body><header><nav><ul>\
         <li><a href='{base}/'>Accueil</a></li><li><a href='{base}/category/sport/'>Sport</a></li>\
         <li><a href='{base}/category/culture/'>Culture</a></li><li><a href='{base}/category/monde/'>Monde</a></li>\
         </ul></nav></header></body></html>",
        base = server.uri()
    );
    let category = |id: i64, parent: i64, name: &str, slug: &str, count: u64| {
        serde_json::json!({"id": id, "parent": parent, "name": name, "count": count,
            "link": format!("{}/category/{slug}/", server.uri())})
    };
    let categories = serde_json::json!([
        category(1, 0, "Non classé", "non-classe", 0),
        category(2, 0, "Sport", "sport", 4),
        category(3, 0, "Culture", "culture", 2),
        category(4, 0, "Monde", "monde", 3),
        category(5, 2, "Rugby", "sport/rugby", 1),
        category(6, 0, "Archives 2019", "archives-2019", 12),
        category(7, 0, "Jeux", "jeux", 1),
    ]);
    runtime.block_on(async {
        Mock::given(method("GET"))
            .and(path("/"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(home, "text/html"))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/wp-json/wp/v2/categories"))
            .respond_with(ResponseTemplate::new(200).set_body_json(categories))
            .mount(&server)
            .await;
    });
    let http = Http::new(HttpSettings { timeout: Duration::from_secs(5), ..HttpSettings::default() }).unwrap();
    let Ok(Found::Site(info)) = runtime.block_on(discover::discover(&http, &format!("{}/", server.uri()))) else {
        panic!("a WordPress site")
    };
    assert_eq!(shape(&info.sections), "Sport\n  Rugby\nCulture\nMonde\nAutres rubriques\n  Archives 2019\n  Jeux\n");
    let others = info.sections.last().unwrap();
    assert!(others.url.is_none() && others.children.iter().all(|c| c.remote_id.is_some()));
}
