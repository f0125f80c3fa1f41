//! Sync through the Google Reader API, against the project's loopback server written from
//! FreshRSS's and Miniflux's API documentation (`common/greader.rs`): the same round as
//! with tt-rss, through the other protocol.

use kiosque::model::ArticleId;

#[path = "common/greader.rs"]
mod greader;
#[path = "common/sync_reader.rs"]
mod sync_reader;
use greader::{Greader, LOGIN};
use sync_reader::Reader;

struct Server {
    _runtime: tokio::runtime::Runtime,
    server: wiremock::MockServer,
    greader: Greader,
}

fn start() -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let (server, greader) = runtime.block_on(Greader::start());
    Server { _runtime: runtime, server, greader }
}

#[test]
fn a_greader_server_is_synced_both_ways_and_its_faults_lose_nothing() {
    let Server { server, greader: g, .. } = &start();
    g.add_feed("http://example.org/alpha.xml", "Alpha", Some("Tech"), 1_200);
    g.add_feed("http://example.org/beta.xml", "Beta", None, 3);
    let reader = Reader::new("greader", LOGIN, &server.uri());

    let check = reader.kiosque(&["sync", "--check"]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{said}{}", String::from_utf8_lossy(&check.stderr));
    assert!(
        said.contains("logged in as ana") && said.contains("2 feeds in 1 category, 1,203 unread, 0 starred"),
        "{said}"
    );

    let said = reader.sync();
    assert!(said.contains("1203 new"), "{said}");
    let store = reader.store();
    let server_source = reader.server();
    let feeds = store.remote_feeds(server_source.id).unwrap();
    let shown: Vec<(&str, Option<&str>)> = feeds.iter().map(|f| (f.title.as_str(), f.folder.as_deref())).collect();
    assert_eq!(shown, vec![("Alpha", Some("Tech")), ("Beta", None)]);
    let article = store.article(reader.article("Alpha item 999")).unwrap().unwrap();
    assert!(article.content.unwrap().contains("zanzibar"));
    drop(store);

    // Marks both ways.
    let store = reader.store();
    store.set_read(reader.article("Beta item 0"), true).unwrap();
    store.set_bookmark(reader.article("Beta item 1"), true, 1).unwrap();
    drop(store);
    g.set("Beta item 2", Some(true), None);
    g.set("Alpha item 5", None, Some(true));
    let calls_before = g.state.lock().unwrap().calls.len();
    reader.sync();
    assert!(g.item("Beta item 0").read && g.item("Beta item 1").starred);
    let here = |title: &str| reader.store().article(reader.article(title)).unwrap().unwrap();
    assert!(here("Beta item 2").read && here("Alpha item 5").bookmarked);
    let calls = g.state.lock().unwrap().calls.len() - calls_before;
    assert!(calls < 20, "a sync with little new takes a few requests, not {calls}");

    // The server down: the mark waits; back up: it goes.
    let id: ArticleId = reader.article("Alpha item 7");
    reader.store().set_read(id, true).unwrap();
    g.state.lock().unwrap().down = true;
    let out = reader.kiosque(&["sync"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("HTTP 503"), "{said}");
    assert_eq!(reader.store().outbox_len(server_source.id).unwrap(), 1);
    g.state.lock().unwrap().down = false;
    reader.sync();
    assert!(g.item("Alpha item 7").read);
    assert_eq!(reader.store().outbox_len(server_source.id).unwrap(), 0);

    // Every session ends: the next sync logs in again.
    g.end_sessions();
    reader.store().set_read(reader.article("Alpha item 8"), true).unwrap();
    reader.sync();
    assert!(g.item("Alpha item 8").read);

    // A wrong password is told, never shown.
    std::fs::write(reader.dir.path().join("password"), "not it\n").unwrap();
    let out = reader.kiosque(&["sync", "--check"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("wrong user name or password for ana"), "{said}");
    assert!(!said.contains("not it"));
}

#[test]
fn feeds_are_subscribed_and_unsubscribed_through_a_greader_server() {
    let Server { server, greader: g, .. } = &start();
    g.add_feed("http://example.org/alpha.xml", "Alpha", Some("Tech"), 2);
    let reader = Reader::new("greader", LOGIN, &server.uri());
    let url = format!("{}/new.xml", server.uri());
    let out = reader.kiosque(&["add", &url, "--folder", "Tech"]);
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && said.contains("in “Tech”"), "{said}{}", String::from_utf8_lossy(&out.stderr));
    let feed = g.state.lock().unwrap().feeds.iter().find(|f| f.url == url).cloned().unwrap();
    assert_eq!(feed.label.as_deref(), Some("Tech"));
    let out = reader.kiosque(&["remove", &feed.title]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!g.state.lock().unwrap().feeds.iter().any(|f| f.url == url));
}

#[test]
fn a_server_that_goes_down_mid_sync_loses_nothing_and_the_next_sync_ends_it() {
    let Server { server, greader: g, .. } = &start();
    g.add_feed("http://example.org/alpha.xml", "Alpha", None, 1_200);
    let reader = Reader::new("greader", LOGIN, &server.uri());
    // Login, token, tag and subscription lists, three pages of ids, then two pages of
    // contents: down in the middle of the articles.
    g.state.lock().unwrap().down_after = Some(9);
    let out = reader.kiosque(&["sync"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success() && said.contains("HTTP 503"), "{said}");
    let store = reader.store();
    let kept: u32 = store.sources().unwrap().iter().map(|s| s.total).sum();
    assert!(kept > 0 && kept < 1_200, "the pages read before stay: {kept}");
    drop(store);

    g.state.lock().unwrap().down = false;
    assert!(reader.sync().contains(&format!("{} new", 1_200 - kept)));
    let total: u32 = reader.store().sources().unwrap().iter().map(|s| s.total).sum();
    assert_eq!(total, 1_200, "each article once");
}
