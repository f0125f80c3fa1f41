//! A damaged cache is moved aside and replaced by a fresh one holding what could be read
//! from it, bookmarks first: an overwritten header, a truncated file, a file that was
//! never a cache, a folder in its place. The user is told in one line.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, Utc};
use kiosque::model::{ArticleId, NewArticle, Scope};
use kiosque::store::{Anchor, Store, StoreError};

const NOW: i64 = 1_764_335_100;

/// A cache of `count` articles of one feed with bodies of about 4 KB (mostly punctuation,
/// which the index leaves out and packing barely shrinks); the first
/// `bookmarked` written are bookmarked, one second apart. Their ids, in writing order.
fn filled_cache(path: &Path, count: usize, bookmarked: usize) -> Vec<ArticleId> {
    let mut store = Store::open(path).unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    store.save_articles(source, &articles(count), NOW).unwrap();
    let mut ids: Vec<ArticleId> = store
        .rows(&Scope::Sources(vec![source]), Anchor::First, count)
        .unwrap()
        .into_iter()
        .map(|r| r.key.id)
        .collect();
    ids.sort();
    for (i, &id) in ids[..bookmarked].iter().enumerate() {
        store.set_bookmark(id, true, NOW + i as i64).unwrap();
    }
    ids
}

/// The articles `filled_cache` saves, as their feed gives them.
fn articles(count: usize) -> Vec<NewArticle> {
    (0..count)
        .map(|i| NewArticle {
            guid: format!("g{i}"),
            url: Some(format!("https://a.example/{i}")),
            title: format!("Article {i} sur l’écologie"),
            author: Some("Claire".to_owned()),
            published: DateTime::<Utc>::from_timestamp(NOW - 3600 * (count - i) as i64, 0),
            section: Some("Planète".to_owned()),
            summary: None,
            content: Some(format!("<p>mot{i} texte de l’article {}</p>", common::filler(i as u64, 4000))),
            enclosures: Vec::new(),
        })
        .collect()
}

fn moved_aside(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().contains(".corrupt-"))
        .collect();
    found.sort();
    found
}

fn overwrite(path: &Path, at: u64, bytes: &[u8]) {
    use std::io::{Seek, Write};
    let mut file = std::fs::OpenOptions::new().write(true).open(path).unwrap();
    file.seek(std::io::SeekFrom::Start(at)).unwrap();
    file.write_all(bytes).unwrap();
}

/// Bytes that look random, the same at every run.
fn noise(len: usize) -> Vec<u8> {
    let mut x: u32 = 0x9e37_79b9;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

#[test]
fn random_bytes_over_the_header_lose_no_bookmark() {
    let (dir, path) = common::temp_cache();
    let ids = filled_cache(&path, 40, 3);
    overwrite(&path, 0, &noise(100));
    let damaged = std::fs::read(&path).unwrap();

    let mut store = Store::open(&path).unwrap();
    let recovery = store.take_recovery().expect("the damage is found");
    assert_eq!(recovery.reason, "its header is not SQLite's");
    assert_eq!((recovery.bookmarks, recovery.articles), (3, 37));
    assert_eq!(moved_aside(dir.path()), vec![recovery.moved_to.clone()]);
    assert_eq!(std::fs::read(&recovery.moved_to).unwrap(), damaged, "the damaged file is kept as it was");
    assert!(store.take_recovery().is_none(), "told once");

    let kept: Vec<ArticleId> = store.bookmarked().unwrap().into_iter().map(|(a, _)| a.id).collect();
    assert_eq!(kept, vec![ids[2], ids[1], ids[0]], "newest bookmark first");
    let article = store.article(ids[0]).unwrap().unwrap();
    let i = article.title.strip_prefix("Article ").and_then(|t| t.strip_suffix(" sur l’écologie")).unwrap();
    assert!(article.text().0.unwrap().contains(&format!("mot{i} texte")), "the text is kept");
    assert_eq!(store.search("ecologie").unwrap(), 40, "salvaged articles are searchable");
    assert_eq!(store.stats().unwrap().unread, 40, "counts are rebuilt");

    drop(store);
    let mut again = Store::open(&path).unwrap();
    assert!(again.take_recovery().is_none(), "the fresh cache is sound");
    assert_eq!(moved_aside(dir.path()).len(), 1);
}

#[test]
fn a_truncated_file_gives_what_can_still_be_read() {
    let (dir, path) = common::temp_cache();
    // Enough articles that their rows spread over the file, as in a cache in use.
    let ids = filled_cache(&path, 2_000, 2);
    let length = std::fs::metadata(&path).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&path).unwrap().set_len(length / 2).unwrap();

    let mut store = Store::open(&path).unwrap();
    let recovery = store.take_recovery().expect("the truncation is found");
    assert_eq!(recovery.reason, format!("truncated: {} of {length} bytes", length / 2));
    assert_eq!(recovery.bookmarks, 2, "the bookmarks were written first, in the pages that are left");
    let kept: Vec<ArticleId> = ids.iter().copied().filter(|&id| store.article(id).unwrap().is_some()).collect();
    assert_eq!(kept.len(), 2 + recovery.articles);
    assert!(recovery.articles > 500 && recovery.articles < 1_998, "the rows in the pages left: {}", recovery.articles);
    assert_eq!(std::fs::metadata(&recovery.moved_to).unwrap().len(), length / 2);
    assert!(store.article(ids[1]).unwrap().unwrap().bookmarked);
    assert_eq!(moved_aside(dir.path()).len(), 1);

    // The fresh cache takes new articles from the same feed.
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let new = NewArticle { guid: "new".to_owned(), title: "Après".to_owned(), ..Default::default() };
    assert_eq!(store.save_articles(source, &[new], NOW).unwrap(), 1);
}

#[test]
fn a_file_that_never_was_a_cache_is_moved_aside_and_kiosque_starts_empty() {
    let (dir, path) = common::temp_cache();
    std::fs::write(&path, "mes notes, écrites au mauvais endroit\n".repeat(200)).unwrap();
    let mut store = Store::open(&path).unwrap();
    let recovery = store.take_recovery().unwrap();
    assert_eq!((recovery.bookmarks, recovery.articles), (0, 0));
    assert!(
        recovery
            .to_string()
            .ends_with("; nothing could be read from it (no readable list of tables), so a fresh cache starts empty"),
        "{recovery}"
    );
    assert_eq!(std::fs::read_to_string(&recovery.moved_to).unwrap().lines().count(), 200);
    assert_eq!(store.stats().unwrap().articles, 0);
    assert_eq!(moved_aside(dir.path()).len(), 1, "no salvage copy is left behind");
}

#[test]
fn a_folder_in_place_of_the_cache_is_moved_aside() {
    let (_dir, path) = common::temp_cache();
    std::fs::create_dir_all(path.join("inside")).unwrap();
    let mut store = Store::open(&path).unwrap();
    let recovery = store.take_recovery().unwrap();
    assert_eq!(recovery.reason, "it is a folder");
    assert!(recovery.moved_to.join("inside").is_dir());
    assert!(path.is_file());
}

/// The shell says it in one line on stderr, and the command goes on.
#[test]
fn the_command_line_tells_in_one_line_and_goes_on() {
    let (dir, path) = common::temp_cache();
    filled_cache(&path, 10, 1);
    overwrite(&path, 0, &noise(100));
    let output = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["--config", &dir.path().join("none.toml").to_string_lossy(), "--data-dir"])
        .arg(path.parent().unwrap())
        .arg("bookmarks")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8(output.stderr).unwrap();
    let moved = moved_aside(dir.path()).pop().unwrap();
    assert_eq!(
        stderr,
        format!(
            "kiosque: the cache {} was damaged (its header is not SQLite's): it is now {}; \
             a fresh cache holds the 1 bookmark and 9 other articles that could be read from it\n",
            path.display(),
            moved.display()
        )
    );
    assert!(String::from_utf8(output.stdout).unwrap().contains(" sur l’écologie"));
}

#[test]
fn the_status_line_gets_the_news_in_brief() {
    let (dir, path) = common::temp_cache();
    filled_cache(&path, 3, 1);
    overwrite(&path, 0, &noise(100));
    let recovery = Store::open(&path).unwrap().take_recovery().unwrap();
    let name = moved_aside(dir.path()).pop().unwrap().file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(
        recovery.brief(),
        format!("damaged cache moved to {name} (its header is not SQLite's); kept 1 bookmark, 2 other articles")
    );
}

/// Damage inside the file, which opening does not look for: reading says so and names
/// `kiosque repair`, which checks every page, then recovers as opening would.
#[test]
fn damage_found_while_reading_is_repaired_on_demand() {
    let (dir, path) = common::temp_cache();
    let ids = filled_cache(&path, 300, 2);
    let repair = || {
        Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .args(["--config", &dir.path().join("none.toml").to_string_lossy(), "--data-dir"])
            .arg(dir.path())
            .arg("repair")
            .output()
            .unwrap()
    };
    let sound = repair();
    assert!(sound.status.success());
    assert_eq!(
        String::from_utf8_lossy(&sound.stderr),
        format!("the cache {} is sound: every page checked\n", path.display())
    );

    let pages = std::fs::metadata(&path).unwrap().len() / 4096;
    overwrite(&path, (pages / 2) * 4096, &noise(4096));
    let store = Store::open(&path).unwrap();
    let failure = ids.iter().find_map(|&id| store.article(id).err()).expect("a damaged page is read");
    assert!(matches!(failure, StoreError::Damaged(_)), "{failure:?}");
    assert!(failure.to_string().ends_with("quit kiosque, then run `kiosque repair`"), "{failure}");
    drop(store);

    let repaired = repair();
    assert!(repaired.status.success(), "{}", String::from_utf8_lossy(&repaired.stderr));
    let said = String::from_utf8_lossy(&repaired.stderr);
    assert!(
        said.contains("problems found, the first:") && said.contains("a fresh cache holds the 2 bookmarks"),
        "{said}"
    );
    assert_eq!(moved_aside(dir.path()).len(), 1);
    let mut store = Store::open(&path).unwrap();
    assert!(store.take_recovery().is_none());
    assert_eq!(store.bookmarked().unwrap().len(), 2);
}

/// An article's packed text hit inside a sound page: reading it names `kiosque repair`,
/// which takes that text out and keeps the article and everything else.
#[test]
fn a_damaged_article_text_is_found_and_taken_out_by_repair() {
    let (dir, path) = common::temp_cache();
    let ids = filled_cache(&path, 5, 1);
    let whole = Store::open(&path).unwrap().article(ids[3]).unwrap().unwrap().text().0.unwrap().to_owned();
    let conn = rusqlite::Connection::open(&path).unwrap();
    let packed: Vec<u8> =
        conn.query_row("SELECT content FROM article_bodies WHERE article_id = ?1", [ids[3]], |r| r.get(0)).unwrap();
    let mut hit = packed.clone();
    hit.truncate(packed.len() / 2);
    conn.execute("UPDATE article_bodies SET content = ?2 WHERE article_id = ?1", rusqlite::params![ids[3], hit])
        .unwrap();
    drop(conn);

    let store = Store::open(&path).unwrap();
    let failure = store.article(ids[3]).unwrap_err();
    assert!(matches!(failure, StoreError::Damaged(_)), "{failure:?}");
    assert!(failure.to_string().contains("an article's text is damaged"), "{failure}");
    assert!(store.article(ids[2]).unwrap().unwrap().text().0.is_some(), "the others read");
    drop(store);

    let repaired = Command::new(env!("CARGO_BIN_EXE_kiosque"))
        .args(["--config", &dir.path().join("none.toml").to_string_lossy(), "--data-dir"])
        .arg(dir.path())
        .arg("repair")
        .output()
        .unwrap();
    assert!(repaired.status.success());
    assert_eq!(
        String::from_utf8_lossy(&repaired.stderr),
        format!(
            "the cache {} is sound, but 1 article text did not unpack and was taken out: \
             a refresh or `f` brings it back\n",
            path.display()
        )
    );
    let mut store = Store::open(&path).unwrap();
    let article = store.article(ids[3]).unwrap().expect("the article stays");
    assert_eq!(article.text().0, None);
    assert_eq!(store.stats().unwrap().articles, 5);
    assert_eq!(store.bookmarked().unwrap().len(), 1);

    let source = article.source_id;
    store.save_articles(source, &articles(5), NOW + 60).unwrap();
    let back = store.article(ids[3]).unwrap().unwrap();
    assert_eq!(back.text().0, Some(whole.as_str()), "the next refresh brings the text back");
}
