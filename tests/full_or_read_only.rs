//! A full disk and a read-only data folder, made for real: each test runs kiosque in a
//! mount namespace of its own (`unshare`, no privileges needed) on a small tmpfs, full or
//! mounted read-only. kiosque says what is wrong in one clear line, the reader keeps
//! showing what is cached, and nothing is half-written.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{Fixtures, temp_cache};
use kiosque::config::FeedConfig;
use kiosque::engine::Engine;
use kiosque::model::{Scope, SourceKind};
use kiosque::sources;
use kiosque::store::{Anchor, Store};
use kiosque::tui::{Action, App};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// A cache refreshed from the sample feeds, with one bookmark; the bookmarked title.
fn sample_cache(fixtures: &Fixtures, cache: &Path) -> String {
    let (entries, _) = fixtures.refresh(cache, &fixtures.sample_feeds());
    let store = Store::open(cache).unwrap();
    let first = store.rows(&Scope::Sources(vec![entries[0].id]), Anchor::First, 1).unwrap()[0].key.id;
    store.set_bookmark(first, true, 1_764_335_100).unwrap();
    store.article(first).unwrap().unwrap().title
}

/// Runs `script` with sh in a mount namespace where `$D` is a fresh tmpfs of `size`, and
/// `$BIN` kiosque, `$TEST` this test binary, `$SRC` the folder of the prepared cache.
fn in_namespace(size: &str, src: &Path, script: &str) -> Output {
    let mountpoint = tempfile::tempdir().unwrap();
    let setup = format!("set -e; mount -t tmpfs -o size={size} tmpfs \"$D\"; set +e; {script}");
    let output = Command::new("unshare")
        .args(["--mount", "--map-root-user", "sh", "-c", &setup])
        .env("D", mountpoint.path())
        .env("SRC", src)
        .env("BIN", env!("CARGO_BIN_EXE_kiosque"))
        .env("TEST", std::env::current_exe().unwrap())
        .env("KIOSQUE_CONFIG", src.join("config.toml"))
        .env("KIOSQUE_DATA_DIR", mountpoint.path())
        .env_remove("KIOSQUE_LOG")
        .output()
        .expect("unshare (util-linux) runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

/// Runs the reader's child test below on the cache at `$D/cache.sqlite`.
const READER: &str =
    "KIOSQUE_TEST_CACHE=\"$D/cache.sqlite\" \"$TEST\" child_reader --exact --ignored --nocapture --test-threads=1";

/// Not a test by itself: run by the tests below inside their namespace. The reader on
/// the cache it is given: the list, then `b` and `r`, each followed by the status line.
#[test]
#[ignore = "run by the tests of this file, on a full or read-only cache"]
fn child_reader() {
    let cache = std::env::var("KIOSQUE_TEST_CACHE").expect("run by a test of this file");
    let cache = Path::new(&cache);
    let store = Store::open(cache).unwrap();
    let feeds: Vec<FeedConfig> = store
        .sources()
        .unwrap()
        .into_iter()
        .map(|s| FeedConfig { url: s.url, name: None, folder: None, kind: SourceKind::Feed, prefetch: false })
        .collect();
    let entries = sources::register(&feeds, &store).unwrap();
    let mut app = App::new(common::setup(cache, Engine::detached().0, entries), 120, 30).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    let mut screen = |app: &mut App| {
        app.settle();
        terminal.draw(|frame| app.draw(frame)).unwrap();
        terminal.backend().to_string()
    };
    app.update(Action::Right);
    println!("LIST {}", screen(&mut app));
    app.update(Action::Bookmark);
    println!("BOOKMARK {}", screen(&mut app).lines().last().unwrap());
    app.update(Action::Refresh);
    println!("REFRESH {}", screen(&mut app).lines().last().unwrap());
}

#[test]
fn a_read_only_data_folder_is_read_as_it_is() {
    let fixtures = Fixtures::start();
    let (dir, cache) = temp_cache();
    let bookmarked = sample_cache(&fixtures, &cache);
    let script = format!(
        "cp \"$SRC/cache.sqlite\" \"$D/\" && mount -o remount,ro \"$D\"
         \"$BIN\" bookmarks; echo \"bookmarks: $?\"
         \"$BIN\" refresh; echo \"refresh: $?\"
         {READER}"
    );
    let output = in_namespace("8m", dir.path(), &script);
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));

    assert!(stdout.contains(&format!("{bookmarked}\n")), "the bookmarks are read: {stdout}");
    assert!(stdout.contains("bookmarks: 0\n"), "{stdout}");
    assert!(stdout.contains("refresh: 1\n"), "{stdout}");
    let line = stderr.lines().find(|l| l.starts_with("kiosque: cannot refresh ")).expect(&stderr);
    assert!(line.starts_with("kiosque: cannot refresh /"), "{line}");
    assert!(
        line.ends_with("/cache.sqlite: the cache cannot be written (Read-only file system (os error 30))"),
        "{line}"
    );

    assert!(stdout.contains("All articles · 10 unread"), "the reader lists the cache: {stdout}");
    assert!(stdout.contains("Les bibliothèques de Lyon"), "{stdout}");
    let status = |key: &str| stdout.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        status("BOOKMARK").contains("not saved: the cache cannot be written (Read-only file system (os error 30))"),
        "{stdout}"
    );
    assert!(status("REFRESH").contains("cannot refresh: the cache cannot be written (Read-only file"), "{stdout}");
}

/// A feed too big for what is left on the disk: its refresh fails whole and says why,
/// the cache keeps what it had, and the reader, on a disk now full, still reads.
#[test]
fn a_full_disk_keeps_the_cache_whole_and_the_reader_reading() {
    let fixtures = Fixtures::start();
    let big = fixtures.serve_big_feed("big.rss", 3000);
    let (dir, cache) = temp_cache();
    let bookmarked = sample_cache(&fixtures, &cache);
    let config = format!("keep_days = 0\n[[feed]]\nurl = \"{big}\"\nname = \"Dépêches\"\n");
    std::fs::write(dir.path().join("config.toml"), config).unwrap();
    let kept = tempfile::tempdir().unwrap();
    let script = format!(
        "cp \"$SRC/cache.sqlite\" \"$D/\"
         \"$BIN\" refresh; echo \"refresh: $?\"
         dd if=/dev/zero of=\"$D/filler\" bs=4k 2>/dev/null
         {READER}
         rm \"$D/filler\"
         \"$BIN\" bookmarks; echo \"bookmarks: $?\"
         cp \"$D\"/cache.sqlite* \"{}\"/",
        kept.path().display()
    );
    let output = in_namespace("4m", dir.path(), &script);
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));

    assert!(stdout.contains("refresh: 1\n"), "{stdout}");
    assert!(
        stderr.contains("failed  Dépêches: not saved: the disk holding the cache is full (http://"),
        "one clear line: {stderr}"
    );
    let status = |key: &str| stdout.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("{stdout}"));
    assert!(stdout.contains("Les bibliothèques de Lyon"), "the reader reads: {stdout}\n{stderr}");
    // The reader opened on a disk with no room left for the log's index: read-only.
    assert!(status("BOOKMARK").contains("not saved: the cache cannot be written (the disk is full)"), "{stdout}");
    assert!(stdout.contains(&format!("{bookmarked}\n")) && stdout.contains("bookmarks: 0\n"), "{stdout}");

    let store = Store::open(&kept.path().join("cache.sqlite")).unwrap();
    let check: String = rusqlite::Connection::open(kept.path().join("cache.sqlite"))
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let stats = store.stats().unwrap();
    assert_eq!((stats.articles, stats.bookmarks), (10, 1), "what was cached, and nothing of the big feed");
}
