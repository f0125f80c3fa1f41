//! `kiosque add` on pages that are neither feeds nor sites: the feed the page announces,
//! the one it links to, the usual places of the site, or a clear "none"; and a site named
//! by its home, not by the section page pasted. Pages are the project's own fixtures,
//! served on 127.0.0.1.

use std::process::Command;
use std::time::Duration;

use kiosque::http::{Http, HttpSettings};
use kiosque::sources::discover::{self, Found, How};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

struct Site {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
}

impl Site {
    fn start() -> Site {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let server = runtime.block_on(MockServer::builder().start());
        Site { runtime, server }
    }

    fn url(&self, route: &str) -> String {
        format!("{}{route}", self.server.uri())
    }

    /// Serves `route` once or more with `response`; `times`: how often it must be asked.
    fn serve(&self, route: &str, response: ResponseTemplate, times: Option<u64>) {
        let mock = Mock::given(method("GET")).and(path(route)).respond_with(response);
        let mock = match times {
            Some(n) => mock.expect(n),
            None => mock,
        };
        self.runtime.block_on(mock.mount(&self.server));
    }

    fn page(&self, route: &str, file: &str) {
        let body = std::fs::read(format!("tests/fixtures/{file}")).unwrap();
        self.serve(route, ResponseTemplate::new(200).set_body_raw(body, "text/html; charset=utf-8"), None);
    }

    fn feed(&self, route: &str, file: &str) {
        let body = std::fs::read(format!("tests/fixtures/feeds/{file}")).unwrap();
        self.serve(route, ResponseTemplate::new(200).set_body_raw(body, "application/rss+xml"), None);
    }

    fn discover(&self, route: &str) -> Result<Found, kiosque::sources::site::SiteError> {
        let http = Http::new(HttpSettings { timeout: Duration::from_secs(5), ..HttpSettings::default() }).unwrap();
        self.runtime.block_on(discover::discover(&http, &self.url(route)))
    }

    fn found_feed(&self, route: &str) -> (String, How) {
        match self.discover(route) {
            Ok(Found::Feed { url, how, .. }) => (url.to_string(), how),
            Ok(Found::Site(info)) => panic!("{route} was taken for a site: {info:?}"),
            Err(e) => panic!("{route}: {e}"),
        }
    }
}

#[test]
fn a_page_announcing_several_feeds_gives_the_sites_and_names_the_others() {
    let site = Site::start();
    site.page("/2025/11/vendanges/", "discovery/announces.html");
    site.feed("/feed/", "actualites.rss");
    site.feed("/voyages/feed/", "actualites.rss");
    site.feed("/comments/feed/", "actualites.rss");
    let (url, how) = site.found_feed("/2025/11/vendanges/");
    assert_eq!(url, site.url("/feed/"));
    let How::Announced { page, others } = &how else { panic!("{how:?}") };
    assert_eq!(page.as_str(), site.url("/2025/11/vendanges/"));
    let others: Vec<&str> = others.iter().map(|u| u.as_str()).collect();
    assert_eq!(others, [site.url("/voyages/feed/"), site.url("/comments/feed/")], "comments last");
    let said = how.explain(&url::Url::parse(&url).unwrap());
    assert!(said.starts_with(&format!("found the feed announced by the page {}", site.url("/2025/11/vendanges/"))));
    assert!(said.contains(&site.url("/comments/feed/")), "{said}");
}

#[test]
fn an_announced_feed_that_fails_gives_way_to_the_next() {
    let site = Site::start();
    site.page("/2025/11/vendanges/", "discovery/announces.html");
    site.serve("/feed/", ResponseTemplate::new(404), Some(1));
    site.feed("/voyages/feed/", "actualites.rss");
    let (url, how) = site.found_feed("/2025/11/vendanges/");
    assert_eq!(url, site.url("/voyages/feed/"));
    assert!(matches!(how, How::Announced { .. }));
    site.runtime.block_on(site.server.verify());
}

#[test]
fn a_page_linking_its_feed_in_its_text() {
    let site = Site::start();
    site.page("/notes/", "discovery/links.html");
    site.feed("/files/news.rss", "tech.atom");
    let (url, how) = site.found_feed("/notes/");
    assert_eq!(url, site.url("/files/news.rss"));
    assert!(matches!(&how, How::Linked { others, .. } if others.is_empty()), "{how:?}");
}

#[test]
fn the_usual_places_are_asked_once_in_order_and_never_off_the_host() {
    let site = Site::start();
    let elsewhere = site.runtime.block_on(MockServer::start());
    site.runtime.block_on(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string("<rss version='2.0'><channel/></rss>"))
            .expect(0)
            .mount(&elsewhere),
    );
    site.page("/page/", "discovery/bare.html");
    let off_host = ResponseTemplate::new(302).insert_header("location", format!("{}/feed/", elsewhere.uri()));
    site.serve("/feed/", off_host, Some(1));
    let html = ResponseTemplate::new(200).set_body_raw("<html><body>Not here</body></html>", "text/html");
    site.serve("/rss.xml", html, Some(1));
    site.serve("/atom.xml", ResponseTemplate::new(404), Some(1));
    for route in ["/index.xml", "/feed.xml"] {
        let body = std::fs::read("tests/fixtures/feeds/tech.atom").unwrap();
        site.serve(route, ResponseTemplate::new(200).set_body_raw(body, "application/atom+xml"), Some(1));
    }
    site.serve("/rss/", ResponseTemplate::new(404), Some(1));
    let (url, how) = site.found_feed("/page/");
    assert_eq!(url, site.url("/index.xml"), "the first usual place, in order, that is a feed");
    assert!(matches!(how, How::Probed { .. }));
    site.runtime.block_on(site.server.verify());
    site.runtime.block_on(elsewhere.verify());
}

#[test]
fn a_page_without_any_feed_says_what_was_tried() {
    let site = Site::start();
    site.page("/page/", "discovery/bare.html");
    let error = site.discover("/page/").err().expect("no feed to find").to_string();
    assert!(error.starts_with(&site.url("/page/")), "{error}");
    assert!(error.contains("announces no feed, links to none, and none answers at"), "{error}");
    assert!(error.contains(&site.url("/{feed/, rss.xml, atom.xml, index.xml, feed.xml, rss/}")), "{error}");
}

#[test]
fn a_site_is_named_by_its_home_not_by_the_section_pasted() {
    let site = Site::start();
    site.page("/sport/", "discovery/section.html");
    site.page("/", "discovery/home.html");
    let Ok(Found::Site(info)) = site.discover("/sport/") else { panic!("a site with a menu") };
    assert_eq!(info.title.as_deref(), Some("Le Petit Journal"));
    assert_eq!(info.home(), site.url("/"));
    let labels: Vec<&str> = info.sections.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Sport", "Culture", "Économie"]);
}

#[test]
fn kiosque_add_says_which_feed_it_chose_and_why() {
    let site = Site::start();
    site.page("/2025/11/vendanges/", "discovery/announces.html");
    site.feed("/feed/", "actualites.rss");
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("config.toml");
    std::fs::write(&config, "[[feed]]\nurl = \"https://already.example/feed\"\nfolder = \"Blogs\"\n").unwrap();
    let add = |url: &str, folder: &str| {
        Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .args(["add", url, "--folder", folder])
            .env("KIOSQUE_CONFIG", &config)
            .env("KIOSQUE_DATA_DIR", home.path())
            .output()
            .unwrap()
    };
    let out = add(&site.url("/2025/11/vendanges/"), "blogs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.starts_with("found the feed announced by the page"), "{stdout}");
    assert!(stdout.contains("in folder “Blogs”"), "the folder as the config spells it: {stdout}");
    let written = std::fs::read_to_string(&config).unwrap();
    assert!(written.contains(&format!("url = \"{}\"", site.url("/feed/"))), "{written}");
    let again = add(&site.url("/2025/11/vendanges/"), "Blogs");
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("is already in"), "the found feed is not added twice: {stderr}");
}
