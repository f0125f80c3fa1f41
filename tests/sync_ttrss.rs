//! Sync against a real Tiny Tiny RSS (`common::ttrss`): each test has its own user and
//! its own feeds (with their own guids), so tests run side by side. Where the server
//! cannot be started (not root, no such script), these tests say why and pass, unless
//! `KIOSQUE_TTRSS_REQUIRED` is set, as `.ci/run` sets it.

use std::path::PathBuf;
use std::process::Output;

use kiosque::model::{ArticleId, SourceKind};
use serde_json::json;

#[path = "common/sync_reader.rs"]
mod sync_reader;
#[path = "common/ttrss.rs"]
mod ttrss;
use sync_reader::Reader;
use ttrss::ttrss;

#[test]
fn a_first_sync_brings_the_servers_feeds_folders_articles_and_text() {
    let Some(server) = ttrss() else { return };
    let user = server.user("first");
    user.feed("alpha", 30, Some("Tech"));
    user.feed("beta", 5, None);
    let reader = Reader::new("ttrss", &user.login, &server.base);

    let check = reader.kiosque(&["sync", "--check"]);
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(check.status.success(), "{said}{}", String::from_utf8_lossy(&check.stderr));
    assert!(said.contains(&format!("logged in as {}", user.login)), "{said}");
    assert!(said.contains("API level 15"), "{said}");
    assert!(said.contains("2 feeds in 1 category, 35 unread, 0 starred"), "{said}");

    let said = reader.sync();
    assert!(said.contains("35 new"), "{said}");
    let store = reader.store();
    let server_source = reader.server();
    let feeds = store.remote_feeds(server_source.id).unwrap();
    let shown: Vec<(&str, Option<&str>)> = feeds.iter().map(|f| (f.title.as_str(), f.folder.as_deref())).collect();
    assert_eq!(shown, vec![("alpha news", Some("Tech")), ("beta news", None)]);
    let alpha = store.source(feeds[0].id).unwrap().unwrap();
    assert_eq!((alpha.total, alpha.unread, alpha.server), (30, 30, Some(server_source.id)));
    let article = store.article(reader.article("alpha story 7")).unwrap().unwrap();
    assert_eq!(article.url.as_deref(), Some("http://example.org/alpha/7"));
    assert!(article.content.unwrap().contains("zanzibar"), "the server's text is kept");

    // Nothing new: a few requests, nothing added, nothing changed.
    let said = reader.sync();
    assert!(said.contains("0 new"), "{said}");
    assert_eq!(reader.store().source(feeds[0].id).unwrap().unwrap().total, 30);
    assert_eq!(SourceKind::from_name("remote"), SourceKind::Remote);
}

#[test]
fn marks_made_here_reach_the_server_and_marks_made_there_come_here() {
    let Some(server) = ttrss() else { return };
    let user = server.user("marks");
    user.feed("gamma", 6, None);
    let reader = Reader::new("ttrss", &user.login, &server.base);
    reader.sync();

    // Here: one read, one bookmarked. There: one read, one starred.
    let store = reader.store();
    store.set_read(reader.article("gamma story 1"), true).unwrap();
    store.set_bookmark(reader.article("gamma story 2"), true, 1).unwrap();
    drop(store);
    let (read_there, starred_there) = (user.id_of("gamma story 3"), user.id_of("gamma story 4"));
    user.call(json!({"op": "updateArticle", "article_ids": read_there.to_string(), "mode": 0, "field": 2}));
    user.call(json!({"op": "updateArticle", "article_ids": starred_there.to_string(), "mode": 1, "field": 0}));

    let said = reader.sync();
    assert!(said.contains("2 marks sent; 1 read elsewhere; 1 starred elsewhere, now a bookmark"), "{said}");
    let there = user.articles();
    let state = |title: &str| there.iter().find(|a| a.1 == title).map(|a| (a.2, a.3)).unwrap();
    assert_eq!(state("gamma story 1"), (false, false), "read here is read there");
    assert_eq!(state("gamma story 2"), (true, true), "bookmarked here is starred there");
    let store = reader.store();
    let here = |title: &str| store.article(reader.article(title)).unwrap().unwrap();
    assert!(here("gamma story 3").read, "read there is read here");
    assert!(here("gamma story 4").bookmarked, "starred there is a bookmark here");
    assert!(!here("gamma story 5").read);

    // Unstarred there: the bookmark stays here, and the server is not told to star it back.
    user.call(json!({"op": "updateArticle", "article_ids": starred_there.to_string(), "mode": 0, "field": 0}));
    drop(store);
    let said = reader.sync();
    assert!(said.contains("1 bookmark not starred there: kept"), "{said}");
    assert!(reader.store().article(reader.article("gamma story 4")).unwrap().unwrap().bookmarked);
    assert!(!user.articles().iter().find(|a| a.1 == "gamma story 4").unwrap().3);

    // Catch-up here (`M`): every article read there.
    let store = reader.store();
    let all: Vec<ArticleId> = (0..6).map(|i| reader.article(&format!("gamma story {i}"))).collect();
    store.set_read_many(&all, true).unwrap();
    drop(store);
    reader.sync();
    assert!(user.articles().iter().all(|a| !a.2), "all read there: {:?}", user.articles());
}

#[test]
fn marks_made_while_the_server_is_down_wait_in_the_outbox_and_go_once_it_is_back() {
    let Some(server) = ttrss() else { return };
    let user = server.user("outbox");
    user.feed("delta", 3, None);
    let upstream = url::Url::parse(&server.base).unwrap();
    let upstream = format!("{}:{}", upstream.host_str().unwrap(), upstream.port().unwrap());
    let proxy = Proxy::start(0, &upstream);
    let port = proxy.port;
    let reader = Reader::new("ttrss", &user.login, &format!("http://127.0.0.1:{port}/"));
    reader.sync();
    let store = reader.store();
    store.set_read(reader.article("delta story 0"), true).unwrap();
    drop(store);

    proxy.stop();
    let out = reader.kiosque(&["sync"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a sync with the server down fails: {said}");
    assert!(said.contains("cannot connect"), "{said}");
    let server_source = reader.server();
    assert_eq!(reader.store().outbox_len(server_source.id).unwrap(), 1, "the mark waits");
    assert!(user.articles().iter().find(|a| a.1 == "delta story 0").unwrap().2, "not read there yet");

    let _back = Proxy::start(port, &upstream);
    reader.sync();
    assert_eq!(reader.store().outbox_len(server_source.id).unwrap(), 0);
    assert!(!user.articles().iter().find(|a| a.1 == "delta story 0").unwrap().2, "read there once it is back");
}

/// A TCP relay to the server, which the test stops and starts: the server as the reader
/// sees it, down and back up, while other tests go on using it.
struct Proxy {
    port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Proxy {
    fn start(port: u16, upstream: &str) -> Proxy {
        use std::sync::atomic::{AtomicBool, Ordering};
        let listener = std::net::TcpListener::bind(("127.0.0.1", port)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let (stopped, upstream) = (std::sync::Arc::clone(&stop), upstream.to_owned());
        let thread = std::thread::spawn(move || {
            while !stopped.load(Ordering::Relaxed) {
                let Ok((client, _)) = listener.accept() else {
                    std::thread::sleep(std::time::Duration::from_millis(5));
                    continue;
                };
                client.set_nonblocking(false).unwrap();
                let server = std::net::TcpStream::connect(&upstream).unwrap();
                for (mut from, mut to) in [(client.try_clone().unwrap(), server.try_clone().unwrap()), (server, client)]
                {
                    std::thread::spawn(move || {
                        let _ = std::io::copy(&mut from, &mut to);
                        let _ = to.shutdown(std::net::Shutdown::Write);
                    });
                }
            }
        });
        Proxy { port, stop, thread: Some(thread) }
    }

    /// Stops listening: a new connection is refused.
    fn stop(mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.take().unwrap().join().unwrap();
    }
}

#[test]
fn an_expired_session_logs_in_again_and_bad_credentials_are_told() {
    let Some(server) = ttrss() else { return };
    let user = server.user("session");
    user.feed("epsilon", 2, None);
    let settings = kiosque::sync::Settings {
        kind: kiosque::sync::ServerKind::Ttrss,
        url: url::Url::parse(&server.base).unwrap(),
        user: user.login.clone(),
        password: kiosque::sync::password::From::File(write_password("pw")),
        name: None,
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        use kiosque::sync::Server;
        let http = kiosque::http::Http::new(Default::default()).unwrap();
        let mut client = kiosque::sync::connect(&settings, http.clone()).unwrap();
        client.hello().await.unwrap();
        // Every session of the server ends (as when they expire).
        server.sql("DELETE FROM ttrss_sessions");
        let feeds = client.feeds(&[]).await.expect("logged in again");
        assert_eq!(feeds.len(), 1);

        let wrong = kiosque::sync::Settings {
            password: kiosque::sync::password::From::File(write_password("not it")),
            ..settings.clone()
        };
        let error = kiosque::sync::connect(&wrong, http.clone()).unwrap().hello().await.unwrap_err().to_string();
        assert!(error.contains(&format!("wrong user name or password for {}", user.login)), "{error}");
        assert!(!error.contains("not it"), "the password is never shown");

        server.sql(&format!(
            "UPDATE ttrss_user_prefs SET value = 'false' WHERE pref_name = 'ENABLE_API_ACCESS'
             AND owner_uid = (SELECT id FROM ttrss_users WHERE login = '{}')",
            user.login
        ));
        let error = kiosque::sync::connect(&settings, http).unwrap().hello().await.unwrap_err().to_string();
        assert!(error.contains("API access is disabled"), "{error}");
    });
}

/// A password file only its owner reads.
fn write_password(text: &str) -> PathBuf {
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), text).unwrap();
    file.into_temp_path().keep().unwrap()
}

#[test]
fn feeds_are_added_imported_and_removed_through_the_server_in_its_categories() {
    let Some(server) = ttrss() else { return };
    let user = server.user("subscribe");
    let tech = user.category("Tech");
    let reader = Reader::new("ttrss", &user.login, &server.base);
    let said = |out: Output| {
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{text}");
        text
    };

    // As kiosque writes addresses: [::ffff:127.0.0.1] is [::ffff:7f00:1].
    let written = |url: String| url::Url::parse(&url).unwrap().to_string();
    let zeta = written(user.write_feed("zeta", 4));
    let out = said(reader.kiosque(&["add", &zeta, "--folder", "tech"]));
    assert!(out.contains(&format!("subscribed to {zeta} on Tiny Tiny RSS")) && out.contains("in “Tech”"), "{out}");
    let eta = written(user.write_feed("eta", 2));
    let out = said(reader.kiosque(&["add", &eta, "--folder", "Nowhere"]));
    assert!(out.contains("has no category “Nowhere” and its API cannot make one: subscribed uncategorized"), "{out}");
    let theta = written(user.write_feed("theta", 1));
    let opml = reader.dir.path().join("subs.opml");
    std::fs::write(
        &opml,
        format!("<opml version=\"2.0\"><body><outline text=\"Tech\"><outline type=\"rss\" text=\"t\" xmlUrl=\"{theta}\"/></outline></body></opml>"),
    )
    .unwrap();
    let out = said(reader.kiosque(&["import", opml.to_str().unwrap()]));
    assert!(out.contains(&format!("subscribed: {theta} in “Tech”")), "{out}");
    let config = std::fs::read_to_string(reader.dir.path().join("config.toml")).unwrap();
    assert!(!config.contains("[[feed]]"), "the feeds are the server's, not the config's: {config}");

    let mut feeds = user.feeds();
    feeds.sort();
    let shown: Vec<(&str, i64)> = feeds.iter().map(|f| (f.0.as_str(), f.2)).collect();
    assert_eq!(shown, vec![("eta news", 0), ("theta news", tech), ("zeta news", tech)]);
    assert!(reader.sync().contains("7 new"), "the server updated the new feeds");

    // A category renamed there is renamed here.
    server.sql(&format!("UPDATE ttrss_feed_categories SET title = 'Technology' WHERE id = {tech}"));
    reader.sync();
    let store = reader.store();
    let server_source = reader.server();
    let folders: Vec<Option<String>> =
        store.remote_feeds(server_source.id).unwrap().into_iter().map(|f| f.folder).collect();
    assert_eq!(folders, vec![Some("Technology".to_owned()), Some("Technology".to_owned()), None]);
    drop(store);

    let out = said(reader.kiosque(&["remove", "ZETA NEWS"]));
    assert!(out.contains("unsubscribed from “zeta news”"), "{out}");
    assert!(!user.feeds().iter().any(|f| f.0 == "zeta news"));
    reader.sync();
    let titles: Vec<String> =
        reader.store().remote_feeds(server_source.id).unwrap().into_iter().map(|f| f.title).collect();
    assert_eq!(titles, vec!["theta news", "eta news"]);
    let out = reader.kiosque(&["remove", "no such feed"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("nor on Tiny Tiny RSS"), "{out:?}");
}

#[test]
fn an_article_gone_from_the_server_and_one_in_two_feeds_are_met_calmly() {
    let Some(server) = ttrss() else { return };
    let user = server.user("vanish");
    user.feed("kappa", 3, None);
    // The same guids again, in a second feed: the server keys articles by guid, so it
    // gives them to the first feed only, and the cache holds each once.
    let copy = user.write_feed("kappa", 3).replace("-kappa.xml", "-kappa-copy.xml");
    std::fs::copy(
        server.feeds_dir.join(format!("{}-kappa.xml", user.run)),
        server.feeds_dir.join(format!("{}-kappa-copy.xml", user.run)),
    )
    .unwrap();
    let subscribed = user.call(json!({"op": "subscribeToFeed", "feed_url": copy}));
    user.call(json!({"op": "updateFeed", "feed_id": subscribed["status"]["feed_id"]}));
    let reader = Reader::new("ttrss", &user.login, &server.base);
    reader.sync();
    let total: u32 = reader.store().sources().unwrap().iter().map(|s| s.total).sum();
    assert_eq!(total as usize, user.articles().len());
    assert_eq!(total, 3);

    // Read here, then gone there before the mark is sent: the sync goes on, the mark goes.
    let gone = user.id_of("kappa story 0");
    reader.store().set_read(reader.article("kappa story 0"), true).unwrap();
    server.sql(&format!("DELETE FROM ttrss_entries WHERE id = {gone}"));
    let said = reader.sync();
    assert!(said.contains("1 mark sent"), "{said}");
    let server_source = reader.server();
    assert_eq!(reader.store().outbox_len(server_source.id).unwrap(), 0);
}
