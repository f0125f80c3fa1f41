//! The command line through the built binary: `add`, `refresh`, their errors and exit
//! codes, and `--help`. Feeds come from the fixture server on 127.0.0.1.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::Fixtures;
use kiosque::store::{Anchor, Store};

fn kiosque(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(args)
        .env("KIOSQUE_CONFIG", home.join("config.toml"))
        .env("KIOSQUE_DATA_DIR", home.join("data"))
        .env_remove("KIOSQUE_LOG")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write_config(home: &Path, feeds: &[(&str, &str)]) {
    let mut config = String::new();
    for (url, name) in feeds {
        config.push_str(&format!("[[feed]]\nurl = \"{url}\"\nname = \"{name}\"\n\n"));
    }
    std::fs::write(home.join("config.toml"), config).unwrap();
}

#[test]
fn add_checks_the_feed_learns_its_title_and_keeps_the_default_config() {
    let fixtures = Fixtures::start();
    let home = tempfile::tempdir().unwrap();
    let url = fixtures.url("actualites.rss");
    let out = kiosque(home.path(), &["add", &url, "--folder", "Midi"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!(
            "added the feed “Le Kiosque du Midi – Actualités” (4 articles) in folder “Midi” to {}\n",
            home.path().join("config.toml").display()
        )
    );
    let config = std::fs::read_to_string(home.path().join("config.toml")).unwrap();
    assert!(config.starts_with(kiosque::config::DEFAULT_CONFIG), "the default config was written first, then kept");
    let parsed = kiosque::config::parse(&config, Path::new("config.toml")).unwrap();
    let added = parsed.feeds.last().unwrap();
    assert_eq!(added.url, url);
    assert_eq!(added.name.as_deref(), Some("Le Kiosque du Midi – Actualités"));
    assert_eq!(added.folder.as_deref(), Some("Midi"));

    let again = kiosque(home.path(), &["add", &url, "--name", "Encore"]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("is already in"), "{}", text(&again.stderr));
}

#[test]
fn add_says_why_a_url_is_not_a_feed_and_leaves_the_config_alone() {
    let fixtures = Fixtures::start();
    let home = tempfile::tempdir().unwrap();
    write_config(home.path(), &[]);
    let cases = [
        (fixtures.url("not-a-feed.html"), "not-a-feed.html: a web page, but neither a feed nor a site with sections"),
        (fixtures.url("missing.rss"), "missing.rss: HTTP 404 Not Found"),
        (fixtures.url("truncated.rss"), "truncated.rss: broken feed:"),
        (fixtures.url("empty.rss"), "empty.rss: empty response, not a feed"),
        ("ftp://example.com/feed".to_owned(), "ftp://example.com/feed: only http and https links are fetched"),
        ("not a url".to_owned(), "not a url: not a valid URL"),
    ];
    for (url, expected) in cases {
        let out = kiosque(home.path(), &["add", &url]);
        assert_eq!(out.status.code(), Some(1), "{url}");
        let stderr = text(&out.stderr);
        assert!(stderr.starts_with("kiosque: ") && stderr.contains(expected), "{url}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    }
    assert_eq!(std::fs::read_to_string(home.path().join("config.toml")).unwrap(), "");
}

#[test]
fn refresh_fills_the_cache_and_reports_each_source() {
    let fixtures = Fixtures::start();
    let home = tempfile::tempdir().unwrap();
    let feeds = [
        (fixtures.url("actualites.rss"), "Actualités"),
        (fixtures.url("monde.json"), "Monde"),
        (fixtures.url("missing.rss"), "Disparu"),
    ];
    write_config(home.path(), &feeds.iter().map(|(u, n)| (u.as_str(), *n)).collect::<Vec<_>>());
    let out = kiosque(home.path(), &["refresh"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("ok      Actualités: 4 new (4 in the feed)"), "{stderr}");
    assert!(stderr.contains("ok      Monde: 2 new (2 in the feed)"), "{stderr}");
    assert!(stderr.contains(&format!("failed  Disparu: HTTP 404 Not Found ({})", feeds[2].0)), "{stderr}");
    assert!(stderr.ends_with("refreshed 3 sources: 6 new articles, 1 failed\n"), "{stderr}");
    assert!(out.stdout.is_empty());
    // Closed before the process ended: no write-ahead log is left beside the cache.
    assert!(!home.path().join("data").join("cache.sqlite-wal").exists(), "the cache was not closed");

    let store = Store::open(&home.path().join("data").join("cache.sqlite")).unwrap();
    let ids: Vec<_> = store.sources().unwrap().iter().map(|s| s.id).collect();
    assert_eq!(store.rows(&kiosque::model::Scope::Sources(ids), Anchor::First, 100).unwrap().len(), 6);
    assert!(home.path().join("data").join("kiosque.log").exists(), "logs go to the data folder");

    let again = kiosque(home.path(), &["refresh"]);
    // Served again as it was: known by its bytes, not parsed again.
    assert!(text(&again.stderr).contains("same    Actualités: not modified"), "{}", text(&again.stderr));

    let stats = text(&kiosque(home.path(), &["stats"]).stdout);
    assert!(stats.contains("sources     3 (0 site sections)"), "{stats}");
    assert!(stats.contains("articles    6 (6 unread, 0 with their page's full text)"), "{stats}");
    assert!(stats.contains("bookmarks   0") && stats.contains(" MB\n"), "{stats}");
}

#[test]
fn refresh_fails_when_every_source_fails() {
    let fixtures = Fixtures::start();
    let home = tempfile::tempdir().unwrap();
    write_config(home.path(), &[(&fixtures.url("missing.rss"), "Disparu"), (&fixtures.url("not-a-feed.html"), "Page")]);
    let out = kiosque(home.path(), &["refresh"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("failed  Page: an HTML page, not a feed"), "{stderr}");
    assert!(stderr.ends_with("refreshed 2 sources: 0 new articles, 2 failed\n"), "{stderr}");
}

/// `--prefetch`, or `prefetch = true` on a source, fetches the pages of new articles that
/// came with a summary only, so that they read in full from the cache alone.
#[test]
fn refresh_prefetch_keeps_the_full_text_of_new_articles() {
    let fixtures = Fixtures::start();
    let pages_asked = || {
        let requests = fixtures.runtime.block_on(fixtures.server.received_requests()).unwrap();
        requests.iter().filter(|r| r.url.path().starts_with("/pages/")).count()
    };
    let feed = fixtures.url("resumes.rss");
    let prefetched = "ok      Résumés: 3 new (3 in the feed), pages: 1 read, 1 failed (see the log)\n";

    let plain = tempfile::tempdir().unwrap();
    write_config(plain.path(), &[(&feed, "Résumés")]);
    let out = kiosque(plain.path(), &["refresh"]);
    assert!(text(&out.stderr).contains("ok      Résumés: 3 new (3 in the feed)\n"), "{}", text(&out.stderr));
    assert_eq!(pages_asked(), 0, "no page without prefetch");

    let flag = tempfile::tempdir().unwrap();
    write_config(flag.path(), &[(&feed, "Résumés")]);
    let out = kiosque(flag.path(), &["refresh", "--prefetch"]);
    assert!(text(&out.stderr).contains(prefetched), "{}", text(&out.stderr));
    assert_eq!(pages_asked(), 2, "the pages of the two summaries, not of the article the feed gives whole");

    let setting = tempfile::tempdir().unwrap();
    let config = format!("[[feed]]\nurl = \"{feed}\"\nname = \"Résumés\"\nprefetch = true\n");
    std::fs::write(setting.path().join("config.toml"), config).unwrap();
    let out = kiosque(setting.path(), &["refresh"]);
    assert!(text(&out.stderr).contains(prefetched), "{}", text(&out.stderr));
    assert_eq!(pages_asked(), 4);
    let again = kiosque(setting.path(), &["refresh"]);
    assert!(text(&again.stderr).contains("same    Résumés: not modified\n"), "{}", text(&again.stderr));
    assert_eq!(pages_asked(), 4, "nothing new, nothing fetched");
    drop(fixtures);

    let stats = text(&kiosque(setting.path(), &["stats"]).stdout);
    assert!(stats.contains("articles    3 (3 unread, 1 with their page's full text)"), "{stats}");
    let store = Store::open(&setting.path().join("data").join("cache.sqlite")).unwrap();
    let ids: Vec<_> = store.sources().unwrap().iter().map(|s| s.id).collect();
    let rows = store.rows(&kiosque::model::Scope::Sources(ids), Anchor::First, 10).unwrap();
    let article = store.article(rows[0].key.id).unwrap().unwrap();
    assert_eq!(article.text().1, kiosque::model::TextSource::Page);
    assert!(article.text().0.unwrap().contains("votée lundi soir en conseil municipal"));
}

#[test]
fn a_broken_config_is_named_with_its_line() {
    let home = tempfile::tempdir().unwrap();
    std::fs::write(home.path().join("config.toml"), "[[feed]]\nurl = \"https://a.example/\"\nfolder = 3\n").unwrap();
    let out = kiosque(home.path(), &["refresh"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.starts_with(&format!("kiosque: bad config {}", home.path().join("config.toml").display())));
    assert!(stderr.contains("line 3"), "{stderr}");
}

#[test]
fn every_command_has_help() {
    let home = tempfile::tempdir().unwrap();
    for args in [&["--help"][..], &["add", "--help"], &["refresh", "--help"]] {
        let out = kiosque(home.path(), args);
        assert!(out.status.success(), "{args:?}");
        let help = text(&out.stdout);
        assert!(help.contains("Usage: kiosque"), "{help}");
        assert!(help.contains("--config <PATH>") && help.contains("--data-dir <PATH>"), "{help}");
    }
    let add = text(&kiosque(home.path(), &["add", "--help"]).stdout);
    assert!(add.contains("--folder <NAME>") && add.contains("--name <NAME>"), "{add}");
    assert!(!home.path().join("config.toml").exists(), "--help writes nothing");
}

#[test]
fn themes_lists_the_built_in_themes_and_how_to_choose_one() {
    let home = tempfile::tempdir().unwrap();
    let out = kiosque(home.path(), &["themes"]);
    assert!(out.status.success());
    let listed = text(&out.stdout);
    let names: Vec<&str> = listed.lines().take(4).filter_map(|l| l.split_whitespace().next()).collect();
    assert_eq!(names, ["default", "light", "gruvbox", "mono"]);
    assert!(listed.contains("theme = \"name\" in the config, or --theme name"), "{listed}");
}

/// `read` takes an article: a feed is refused with what to do instead, and a section's
/// page is said to be one, with the articles it lists.
#[test]
fn read_refuses_a_feed_and_lists_a_section_pages_articles() {
    let home = tempfile::tempdir().unwrap();
    let out = kiosque(home.path(), &["read", "tests/fixtures/feeds/actualites.rss"]);
    assert!(!out.status.success());
    let said = text(&out.stderr);
    assert!(said.contains("actualites.rss is a feed, not an article: `kiosque add` follows it by its URL"), "{said}");

    let out = kiosque(home.path(), &["read", "tests/fixtures/sites/gazette/culture.html"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("culture.html is a list of 3 articles, not one; read one of them:"));
    let listed = text(&out.stdout);
    assert!(
        listed.starts_with("Le festival Lumière ouvre ses portes\n  /culture/le-festival-lumiere-ouvre-ses-portes\n"),
        "{listed}"
    );

    let out = kiosque(home.path(), &["read", "tests/fixtures/pages/wordpress-article.html", "--width", "60"]);
    assert!(out.status.success(), "an article is read as ever: {}", text(&out.stderr));
}
