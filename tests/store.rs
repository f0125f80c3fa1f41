//! The cache: schema creation and refusal of newer ones, saving and updating articles,
//! read state and the counts kept for the tree, and list windows from every anchor.

use chrono::{DateTime, Utc};
use kiosque::model::{ArticleRow, NewArticle, Scope, SortKey, SourceKind, TextSource};
use kiosque::store::{Anchor, FeedRows, FetchInfo, PageText, Ready, Store, StoreError};

fn article(guid: &str, title: &str, published: Option<i64>) -> NewArticle {
    NewArticle {
        guid: guid.to_owned(),
        url: Some(format!("https://a.example/{guid}")),
        title: title.to_owned(),
        author: None,
        published: published.map(|t| DateTime::<Utc>::from_timestamp(t, 0).unwrap()),
        section: None,
        summary: Some(format!("<p>summary of {title}</p>")),
        content: None,
        enclosures: Vec::new(),
    }
}

const NOW: i64 = 1_764_335_100; // 2025-11-28 13:05 UTC

#[test]
fn a_new_file_gets_the_schema_and_reopens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("cache.sqlite");
    let store = Store::open(&path).unwrap();
    let id = store.ensure_source("https://a.example/feed").unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    assert_eq!(store.ensure_source("https://a.example/feed").unwrap(), id);
    let version: i64 =
        rusqlite::Connection::open(&path).unwrap().pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(version, 17);
}

/// A cache written at schema 1, whose time index lacks `source_id`, gets the new index
/// and the columns added since.
#[test]
fn a_schema_1_cache_is_migrated_forward() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP INDEX articles_by_time; CREATE INDEX articles_by_time ON articles (sort_time DESC, id DESC);
         ALTER TABLE article_bodies DROP COLUMN page; ALTER TABLE article_bodies DROP COLUMN page_fetched_at;
         DROP TRIGGER articles_count_read_in_sections; DROP TRIGGER articles_leave_sections;
         DROP TABLE section_articles; DROP TABLE sections;
         DROP TABLE articles_fts; DROP TABLE bookmarks; DROP INDEX articles_unread; ALTER TABLE articles DROP COLUMN section; ALTER TABLE sources DROP COLUMN kind; ALTER TABLE sources DROP COLUMN api_url; ALTER TABLE sources DROP COLUMN wordpress; ALTER TABLE sources DROP COLUMN feed_url; ALTER TABLE sources DROP COLUMN body_hash; ALTER TABLE sources DROP COLUMN failures; ALTER TABLE sources DROP COLUMN retry_at; DROP TABLE enclosures;
         DROP TABLE outbox; DROP INDEX articles_by_remote; ALTER TABLE articles DROP COLUMN remote_id; ALTER TABLE sources DROP COLUMN server_id; ALTER TABLE sources DROP COLUMN remote_id; ALTER TABLE sources DROP COLUMN remote_folder; ALTER TABLE sources DROP COLUMN remote_cursor; ALTER TABLE sources DROP COLUMN remote_marks_at;
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    drop(Store::open(&path).unwrap());
    let conn = rusqlite::Connection::open(&path).unwrap();
    let columns: Vec<String> = conn
        .prepare("SELECT name FROM pragma_index_info('articles_by_time')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(columns, ["sort_time", "id", "source_id"]);
    let page_column: i64 = conn
        .query_row("SELECT count(*) FROM pragma_table_info('article_bodies') WHERE name = 'page'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(page_column, 1);
    assert_eq!(conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0)).unwrap(), 17);
}

#[test]
fn a_cache_from_a_newer_kiosque_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    drop(Store::open(&path).unwrap());
    rusqlite::Connection::open(&path).unwrap().pragma_update(None, "user_version", 99).unwrap();
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { found: 99, known: 17, .. }), "{err:?}");
    assert!(err.to_string().contains("written by a newer kiosque (schema 99; this one knows up to 17)"));
}

#[test]
fn an_unopenable_path_names_itself() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let err = Store::open(&file.join("cache.sqlite")).err().unwrap().to_string();
    assert!(err.starts_with(&format!("cannot open the cache {}", file.join("cache.sqlite").display())), "{err}");
}

#[test]
fn saving_adds_new_articles_and_updates_known_ones() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let first = [article("a", "A", Some(NOW - 60)), article("b", "B", Some(NOW - 120))];
    assert_eq!(store.save_articles(source, &first, NOW).unwrap(), 2);
    let again = [article("a", "A, corrected", Some(NOW - 60)), article("c", "C", Some(NOW - 30))];
    assert_eq!(store.save_articles(source, &again, NOW).unwrap(), 1);

    let rows = store.rows(&Scope::Sources(vec![source]), Anchor::First, 10).unwrap();
    let titles: Vec<_> = rows.iter().map(|r| r.title.as_str()).collect();
    assert_eq!(titles, ["C", "A, corrected", "B"]);
    let full = store.article(rows[1].key.id).unwrap().unwrap();
    assert_eq!(full.summary.as_deref(), Some("<p>summary of A, corrected</p>"));
    assert_eq!(full.published, Some(NOW - 60));
    assert!(!full.read);
    let state = &store.sources().unwrap()[0];
    assert_eq!((state.total, state.unread), (3, 3));
}

/// Feeds saved together in one transaction: one that cannot be saved (its source is gone)
/// keeps nothing, and takes nothing of the others with it.
#[test]
fn feeds_saved_together_are_each_saved_whole_or_not_at_all() {
    let mut store = Store::open_in_memory().unwrap();
    let (a, b) = (
        store.ensure_source("https://a.example/feed").unwrap(),
        store.ensure_source("https://b.example/feed").unwrap(),
    );
    let rows = |source, prefix: &str, n: usize| FeedRows {
        source,
        articles: (0..n)
            .map(|i| {
                Ready::new(article(&format!("{prefix}{i}"), &format!("{prefix} quokka {i}"), Some(NOW - i as i64)))
            })
            .collect(),
        title: Some(format!("Feed {prefix}")),
        site_url: None,
        validators: Default::default(),
        body_hash: None,
        at: NOW,
    };
    let gone = kiosque::model::SourceId(a.0 + b.0 + 100);
    let results = store.save_feeds(&[rows(a, "a", 3), rows(gone, "x", 4), rows(b, "b", 2)]).unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0].as_ref().ok(), Some(&3));
    assert!(results[1].is_err(), "{:?}", results[1]);
    assert_eq!(results[2].as_ref().ok(), Some(&2));
    let states = store.sources().unwrap();
    let counts: Vec<_> = states.iter().map(|s| (s.id, s.total, s.title.clone())).collect();
    assert_eq!(counts, [(a, 3, Some("Feed a".to_owned())), (b, 2, Some("Feed b".to_owned()))]);
    assert_eq!(store.search("quokka").unwrap(), 5, "the index holds the saved ones, and only them");
    let again = store.save_feeds(&[rows(a, "a", 4)]).unwrap();
    assert_eq!(again[0].as_ref().ok(), Some(&1), "known articles are not new");
    let a_state = store.sources().unwrap().into_iter().find(|s| s.id == a).unwrap();
    assert_eq!((a_state.total, a_state.unread), (4, 4), "the counts grow by the new ones only");
}

/// The summary of an article with a full text is never shown: it is not kept, and its
/// words are searched in the full text.
#[test]
fn an_article_with_its_full_text_keeps_no_summary() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let mut full = article("full", "Full", Some(NOW));
    full.content = Some("<p>The whole text, about a quokka.</p>".to_owned());
    let short = article("short", "Short", Some(NOW - 1));
    store.save_articles(source, &[full, short], NOW).unwrap();
    let rows = store.rows(&Scope::Sources(vec![source]), Anchor::First, 10).unwrap();
    let (full, short) =
        (store.article(rows[0].key.id).unwrap().unwrap(), store.article(rows[1].key.id).unwrap().unwrap());
    assert_eq!((full.summary, full.content.as_deref()), (None, Some("<p>The whole text, about a quokka.</p>")));
    assert_eq!(short.summary.as_deref(), Some("<p>summary of Short</p>"));
    assert_eq!(store.search("quokka").unwrap(), 1);
    assert_eq!(store.search("summary").unwrap(), 1, "a summary alone is searched");
}

#[test]
fn undated_articles_sort_by_first_seen_in_feed_order_and_future_dates_are_not_believed() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    store.save_articles(source, &[article("old", "Old", Some(NOW - 86_400))], NOW - 3600).unwrap();
    let batch = [
        article("u1", "Undated first", None),
        article("u2", "Undated second", None),
        article("future", "Claims next year", Some(NOW + 365 * 86_400)),
    ];
    store.save_articles(source, &batch, NOW).unwrap();
    let titles: Vec<_> =
        store.rows(&Scope::Sources(vec![source]), Anchor::First, 10).unwrap().into_iter().map(|r| r.title).collect();
    assert_eq!(titles, ["Undated first", "Undated second", "Claims next year", "Old"]);
}

#[test]
fn read_state_round_trips_and_keeps_counts() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    store.save_articles(source, &[article("a", "A", Some(NOW)), article("b", "B", Some(NOW - 1))], NOW).unwrap();
    let id = store.rows(&Scope::Sources(vec![source]), Anchor::First, 1).unwrap()[0].key.id;
    assert!(store.set_read(id, true).unwrap());
    assert!(!store.set_read(id, true).unwrap(), "already read: nothing changes");
    assert!(store.article(id).unwrap().unwrap().read);
    assert_eq!(store.sources().unwrap()[0].unread, 1);
    assert!(store.set_read(id, false).unwrap());
    assert_eq!(store.sources().unwrap()[0].unread, 2);
}

/// The automatic refresh leaves alone a source that failed lately (longer after each
/// failure in a row, a day at most) and one whose server asked to wait; a success, or
/// a "not modified", makes it due again at once.
#[test]
fn failing_and_rate_limited_sources_back_off() {
    let store = Store::open_in_memory().unwrap();
    let ids: Vec<_> =
        ["a", "b", "c"].iter().map(|n| store.ensure_source(&format!("https://{n}.example/")).unwrap()).collect();
    let every = 1_800;
    assert_eq!(store.due(&ids, NOW, every).unwrap(), ids, "nothing failed yet");
    store.record_failed(ids[0], "timed out", NOW, None).unwrap();
    store.record_failed(ids[1], "rate limited", NOW, Some(NOW + 7_200)).unwrap();
    assert_eq!(store.due(&ids, NOW + 60, every).unwrap(), [ids[2]]);
    assert_eq!(store.due(&ids, NOW + every, every).unwrap(), [ids[0], ids[2]], "one failure: one interval");
    store.record_failed(ids[0], "timed out", NOW + every, None).unwrap();
    store.record_failed(ids[0], "timed out", NOW + every, None).unwrap();
    assert_eq!(store.due(&ids, NOW + 3 * every, every).unwrap(), [ids[2]], "three: four intervals");
    assert_eq!(store.due(&ids, NOW + 5 * every, every).unwrap(), ids, "and b's server said two hours");
    for _ in 0..30 {
        store.record_failed(ids[0], "timed out", NOW, None).unwrap();
    }
    assert_eq!(store.due(&ids[..1], NOW + 86_400, every).unwrap(), [ids[0]], "a day at most");
    store.record_unchanged(ids[0], NOW).unwrap();
    assert_eq!(store.due(&ids[..1], NOW + 1, every).unwrap(), [ids[0]], "well again");
}

#[test]
fn fetch_results_are_recorded_on_the_source() {
    let store = Store::open_in_memory().unwrap();
    let id = store.ensure_source("https://a.example/feed").unwrap();
    store.record_failed(id, "HTTP 404 Not Found", NOW, None).unwrap();
    assert_eq!(store.sources().unwrap()[0].error.as_deref(), Some("HTTP 404 Not Found"));
    let validators = kiosque::http::Validators { etag: Some("\"v1\"".into()), last_modified: None };
    store.record_fetched(id, Some("A feed"), Some("https://a.example/"), &validators, NOW).unwrap();
    let state = &store.sources().unwrap()[0];
    assert_eq!((state.title.as_deref(), state.error.as_deref()), (Some("A feed"), None));
    let url = "https://a.example/feed".to_owned();
    assert_eq!(
        store.source_fetch_info(id).unwrap().unwrap(),
        FetchInfo { url, kind: SourceKind::Feed, validators, body_hash: None }
    );
    let site = store.ensure_source_of_kind("https://b.example/", SourceKind::Site).unwrap();
    assert_eq!(store.source_fetch_info(site).unwrap().unwrap().kind, SourceKind::Site);
}

/// Every anchor gives the same rows as slicing the whole list.
#[test]
fn windows_from_every_anchor_match_the_whole_list() {
    let mut store = Store::open_in_memory().unwrap();
    let a = store.ensure_source("https://a.example/feed").unwrap();
    let b = store.ensure_source("https://b.example/feed").unwrap();
    let c = store.ensure_source("https://c.example/feed").unwrap();
    for (source, step) in [(a, 7), (b, 11), (c, 5)] {
        // Equal times on purpose: ties are broken by id.
        let batch: Vec<_> =
            (0..300).map(|i| article(&format!("{i}"), &format!("{source}-{i}"), Some(NOW - (i / 3) * step))).collect();
        store.save_articles(source, &batch, NOW).unwrap();
    }
    let scope = Scope::Sources(vec![a, b]);
    let all: Vec<ArticleRow> = store.rows(&scope, Anchor::First, 10_000).unwrap();
    assert_eq!(all.len(), 600);
    assert!(all.windows(2).all(|w| (w[0].key.time, w[0].key.id) > (w[1].key.time, w[1].key.id)));
    assert!(all.iter().all(|r| r.source_id != c));
    let key = |i: usize| all[i].key;
    assert_eq!(store.rows(&scope, Anchor::After(key(99)), 50).unwrap(), all[100..150]);
    assert_eq!(store.rows(&scope, Anchor::Before(key(300)), 50).unwrap(), all[250..300]);
    assert_eq!(store.rows(&scope, Anchor::Before(key(10)), 50).unwrap(), all[0..10]);
    assert_eq!(store.rows(&scope, Anchor::Last, 40).unwrap(), all[560..600]);
    assert_eq!(store.rows(&scope, Anchor::Offset(333), 20).unwrap(), all[333..353]);
    assert_eq!(store.rows(&scope, Anchor::After(key(599)), 10).unwrap(), []);
    for i in [0, 1, 299, 599] {
        assert_eq!(store.position(&scope, key(i)).unwrap(), i);
    }
    let missing = SortKey { group: 0, time: NOW + 1, id: kiosque::model::ArticleId(0) };
    assert_eq!(store.position(&scope, missing).unwrap(), 0);
    assert_eq!(store.rows(&Scope::Sources(vec![]), Anchor::First, 10).unwrap(), []);
}

/// Regression: `Anchor::Offset(0)` bound one parameter to a query that takes two.
#[test]
fn an_offset_of_zero_reads_from_the_top() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    store.save_articles(source, &[article("a", "A", Some(NOW)), article("b", "B", Some(NOW - 1))], NOW).unwrap();
    assert_eq!(
        store.rows(&Scope::Sources(vec![source]), Anchor::Offset(0), 5).unwrap(),
        store.rows(&Scope::Sources(vec![source]), Anchor::First, 5).unwrap()
    );
}

/// A page read by reader mode is shown instead of the feed's summary, fills in the byline
/// and date the feed left out without overriding those it gave, and survives the next
/// refresh of the feed.
#[test]
fn a_fetched_page_replaces_the_summary_and_survives_refreshes() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let mut dated = article("a", "Dated", Some(NOW - 60));
    dated.author = Some("Camille Durand".to_owned());
    let undated = article("b", "Undated", None);
    store.save_articles(source, &[dated.clone(), undated.clone()], NOW).unwrap();
    let rows = store.rows(&Scope::Sources(vec![source]), Anchor::First, 10).unwrap();
    // Undated, "Undated" sorts as first seen: now, after "Dated".
    let ids: Vec<_> = rows.iter().rev().map(|r| r.key.id).collect();
    let before = store.article(ids[0]).unwrap().unwrap();
    assert_eq!(before.text(), (Some("<p>summary of Dated</p>"), TextSource::Summary));

    for id in &ids {
        let page =
            PageText { html: "<p>The whole article.</p>", byline: Some("Hugo Lambert"), published: Some(NOW - 7200) };
        store.save_page(*id, &page, NOW).unwrap();
    }
    store.save_articles(source, &[dated, undated], NOW + 60).unwrap();
    let dated = store.article(ids[0]).unwrap().unwrap();
    assert_eq!(dated.text(), (Some("<p>The whole article.</p>"), TextSource::Page));
    assert_eq!((dated.author.as_deref(), dated.published), (Some("Camille Durand"), Some(NOW - 60)));
    let undated = store.article(ids[1]).unwrap().unwrap();
    assert_eq!((undated.author.as_deref(), undated.published), (Some("Hugo Lambert"), Some(NOW - 7200)));
    assert_eq!(
        store.rows(&Scope::Sources(vec![source]), Anchor::First, 10).unwrap(),
        rows,
        "a page's date does not move an article"
    );
}

/// Search: accents folded, phrases, prefixes, title words first, and everything in the
/// cache (a page's text too) searched.
#[test]
fn search_folds_accents_and_ranks_titles_first() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let mut a = article("a", "Écologie : la ville plante mille arbres", Some(NOW - 10));
    a.content = Some("<p>Le maire veut faire place nette avant l’été.</p>".to_owned());
    let mut b = article("b", "Opération place nette contre le narcotrafic", Some(NOW - 20));
    b.content = Some("<p>Une opération d’écologie urbaine, disent les riverains.</p>".to_owned());
    let c = article("c", "Un article sans rapport", Some(NOW - 30));
    store.save_articles(source, &[a, b, c], NOW).unwrap();
    let titles = |store: &Store, query: &str| -> Vec<String> {
        let found = store.search(query).unwrap();
        let rows = store.rows(&Scope::Search, Anchor::First, 10).unwrap();
        assert_eq!(rows.len(), found);
        rows.into_iter().map(|r| r.title).collect()
    };
    let ecologie = titles(&store, "ecologie");
    assert_eq!(ecologie, ["Écologie : la ville plante mille arbres", "Opération place nette contre le narcotrafic"]);
    assert_eq!(titles(&store, "\"place nette\""), [ecologie[1].clone(), ecologie[0].clone()], "title first");
    assert_eq!(titles(&store, "narco*"), [ecologie[1].clone()]);
    assert!(titles(&store, "narco").is_empty(), "a word is a whole word without its *");
    assert!(titles(&store, "nette arbres").contains(&ecologie[0]), "every word, anywhere");
    assert!(titles(&store, "\"nette place\"").is_empty(), "a phrase keeps its order");

    let id = store.rows(&Scope::Sources(vec![source]), Anchor::Last, 1).unwrap()[0].key.id;
    let page = PageText { html: "<p>Le texte entier parle de géothermie.</p>", byline: None, published: None };
    store.save_page(id, &page, NOW).unwrap();
    assert_eq!(titles(&store, "geothermie"), ["Un article sans rapport"]);
    assert!(
        titles(&store, "\"").is_empty() && titles(&store, "title:(").is_empty(),
        "odd input finds nothing, fails nothing"
    );
}

/// A word that few articles hold says more than one most hold: of two articles with both,
/// the one where the rare word comes often ranks first.
#[test]
fn search_weighs_rare_words_over_common_ones() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let with = |guid: &str, title: &str, body: &str| {
        let mut a = article(guid, title, Some(NOW));
        a.content = Some(format!("<p>{body}</p>"));
        a
    };
    let mut articles: Vec<NewArticle> =
        (0..60).map(|i| with(&format!("m{i}"), &format!("Brève {i}"), "Le marché du samedi.")).collect();
    // Longer, so that it would come second if every word weighed the same.
    let rare = "Géothermie, géothermie, géothermie : le marché s’ouvre dans toute la vallée du Rhône cette année.";
    articles.push(with("rare", "Forages", rare));
    articles.push(with("common", "Énergie", "Le marché, le marché, le marché : et la géothermie."));
    store.save_articles(source, &articles, NOW).unwrap();
    assert_eq!(store.search("marche geothermie").unwrap(), 2);
    let titles: Vec<String> =
        store.rows(&Scope::Search, Anchor::First, 2).unwrap().into_iter().map(|r| r.title).collect();
    assert_eq!(titles, ["Forages", "Énergie"]);
}

/// Searches begin with the newest articles: one old match must still be found, and with
/// many matches the newest come first.
#[test]
fn search_widens_to_old_articles_and_prefers_recent_ones() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let mut articles: Vec<NewArticle> =
        (0..6_000).map(|i| article(&format!("n{i}"), &format!("Brève numéro {i} du marché"), Some(NOW - i))).collect();
    articles[5_999].title = "Géothermie : le vieux forage reprend".to_owned();
    // Saved oldest first, as years of refreshes would have.
    for chunk in articles.chunks(500).rev() {
        store.save_articles(source, chunk, NOW).unwrap();
    }
    assert_eq!(store.search("geothermie").unwrap(), 1, "the oldest article is still found");
    let found = store.search("marché").unwrap();
    assert!(found >= 50, "{found}");
    let first = store.rows(&Scope::Search, Anchor::First, 1).unwrap();
    assert!(first[0].time > NOW - 4_000, "a recent one first: {:?}", first[0]);
}

/// Every match is found and counted, whatever order the articles came in, and paging
/// through the list gives each one once: here more matches than a search ranks at first.
#[test]
fn search_finds_counts_and_pages_through_every_match() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let title = |i: usize| {
        let mut words = vec![format!("Dépêche {i}")];
        if i % 3 != 0 {
            words.push("quokka".to_owned());
        }
        if i % 7 == 0 {
            words.push("frost".to_owned());
        }
        words.join(" ")
    };
    let articles: Vec<NewArticle> =
        (0..12_000).map(|i| article(&format!("n{i}"), &title(i), Some(NOW - i as i64 * 60))).collect();
    // Saved in an order that is neither the newest nor the oldest first.
    let chunks: Vec<&[NewArticle]> = articles.chunks(700).collect();
    assert_eq!(chunks.len(), 18);
    for i in 0..18 {
        store.save_articles(source, chunks[i * 7 % 18], NOW).unwrap();
    }
    for (query, word, wanted) in [
        ("quokka", vec!["quokka"], (0..12_000).filter(|i| i % 3 != 0).count()),
        ("frost quokka", vec!["frost", "quokka"], (0..12_000).filter(|i| i % 3 != 0 && i % 7 == 0).count()),
    ] {
        assert_eq!(store.search(query).unwrap(), wanted, "{query}");
        let mut seen = std::collections::HashSet::new();
        let mut page = store.rows(&Scope::Search, Anchor::First, 38).unwrap();
        while let Some(last) = page.last() {
            let key = last.key;
            for row in &page {
                assert!(word.iter().all(|w| row.title.contains(w)), "{query}: {}", row.title);
                assert!(seen.insert(row.key.id), "{query}: {} twice", row.title);
            }
            page = store.rows(&Scope::Search, Anchor::After(key), 38).unwrap();
        }
        assert_eq!(seen.len(), wanted, "{query}: every hit, once");
        let last = store.rows(&Scope::Search, Anchor::Last, 1).unwrap();
        assert_eq!(store.position(&Scope::Search, last[0].key).unwrap(), wanted - 1);
    }
}

/// Marking a search's hits read marks all of them, not only those its list has shown
/// (ranked) so far, and says beforehand how many it will mark.
#[test]
fn every_hit_of_a_search_is_marked_read_at_once() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let articles: Vec<NewArticle> = (0..1_500)
        .map(|i| article(&format!("n{i}"), &format!("Dépêche {i} quokka"), Some(NOW - i as i64 * 60)))
        .collect();
    store.save_articles(source, &articles, NOW).unwrap();
    store.save_articles(source, &[article("other", "Autre chose", Some(NOW))], NOW).unwrap();
    assert_eq!(store.search("quokka").unwrap(), 1_500);
    assert_eq!(store.rows(&Scope::Search, Anchor::First, 38).unwrap().len(), 38, "a first page is shown");
    let hits = store.unread_ids(&Scope::Search).unwrap();
    assert_eq!(hits.len(), 1_500);
    assert_eq!(store.set_read_many(&hits, true).unwrap(), 1_500);
    assert_eq!(store.set_read_many(&hits, true).unwrap(), 0, "read already");
    assert_eq!(store.unread_ids(&Scope::Search).unwrap(), []);
    assert_eq!(store.unread_ids(&Scope::Sources(vec![source])).unwrap().len(), 1, "the article that is no hit");
}

/// Housekeeping drops old unread articles, and never a bookmarked or a read one, nor an
/// old one only just seen.
#[test]
fn old_unread_articles_go_and_bookmarks_stay() {
    let mut store = Store::open_in_memory().unwrap();
    let source = store.ensure_source("https://a.example/feed").unwrap();
    let year = 365 * 86_400;
    let old = ["kept by a bookmark", "kept as read", "dropped"].map(|t| article(t, t, Some(NOW - year)));
    store.save_articles(source, &old, NOW - year).unwrap();
    store.save_articles(source, &[article("late", "seen only now", Some(NOW - year))], NOW).unwrap();
    let id = |store: &Store, title: &str| {
        let rows = store.rows(&Scope::Sources(vec![source]), Anchor::First, 10).unwrap();
        rows.into_iter().find(|r| r.title == title).map(|r| r.key.id)
    };
    store.set_bookmark(id(&store, "kept by a bookmark").unwrap(), true, NOW).unwrap();
    store.set_read(id(&store, "kept as read").unwrap(), true).unwrap();
    assert_eq!(store.forget_unread_before(NOW - 90 * 86_400).unwrap(), 1);
    assert_eq!(id(&store, "dropped"), None);
    for kept in ["kept by a bookmark", "kept as read", "seen only now"] {
        assert!(id(&store, kept).is_some(), "{kept}");
    }
    assert_eq!(store.search("dropped").unwrap(), 0, "gone from the index too");
    assert_eq!(store.sources().unwrap()[0].total, 3, "the counts follow");
}

/// A section's counts follow its articles, as the tree shows them: listed, read, marked
/// unread again, all marked read, dropped by housekeeping, and listed in two sections.
#[test]
fn section_counts_follow_their_articles() {
    let mut store = Store::open_in_memory().unwrap();
    let site = store.ensure_source_of_kind("https://s.example/", SourceKind::Site).unwrap();
    let monde = kiosque::model::Section {
        label: "Monde".to_owned(),
        url: Some("https://s.example/monde/".to_owned()),
        remote_id: None,
        children: Vec::new(),
    };
    let home = store.save_sections(site, "https://s.example/", &[monde]).unwrap();
    let monde = store.sections(site).unwrap().iter().find(|s| !s.home).unwrap().id;
    let counts = |store: &Store| -> Vec<(u32, u32)> {
        let rows = store.sections(site).unwrap();
        [home, monde].iter().map(|id| rows.iter().find(|s| s.id == *id).map(|s| (s.total, s.unread)).unwrap()).collect()
    };
    let year_ago = NOW - 365 * 86_400;
    let articles: Vec<NewArticle> = (0..4).map(|i| article(&format!("m{i}"), "Brève", Some(year_ago - i))).collect();
    store.save_section_page(monde, &articles, 1, true, year_ago).unwrap();
    store.save_section_page(home, &articles[..2], 1, false, year_ago).unwrap();
    assert_eq!(counts(&store), [(2, 2), (4, 4)]);

    let ids: Vec<_> = store.rows(&Scope::Section(monde), Anchor::First, 4).unwrap().iter().map(|r| r.key.id).collect();
    store.set_read(ids[0], true).unwrap();
    assert_eq!(counts(&store), [(2, 1), (4, 3)], "read in both sections it is listed in");
    store.set_read_many(&store.unread_ids(&Scope::Section(monde)).unwrap(), true).unwrap();
    assert_eq!(counts(&store), [(2, 0), (4, 0)]);
    store.set_read(ids[3], false).unwrap();
    assert_eq!(counts(&store), [(2, 0), (4, 1)]);
    assert_eq!(store.forget_unread_before(NOW).unwrap(), 1);
    assert_eq!(counts(&store), [(2, 0), (3, 0)], "the dropped unread article leaves both counts");
}

/// A cache of schema 7, whose sections did not count their articles, gets the counts.
#[test]
fn a_schema_7_cache_counts_its_sections_articles() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let mut store = Store::open(&path).unwrap();
    let site = store.ensure_source_of_kind("https://s.example/", SourceKind::Site).unwrap();
    let home = store.save_sections(site, "https://s.example/", &[]).unwrap();
    let articles: Vec<NewArticle> = (0..3).map(|i| article(&format!("h{i}"), "Brève", Some(NOW - i))).collect();
    store.save_section_page(home, &articles, 1, true, NOW).unwrap();
    let first = store.rows(&Scope::Section(home), Anchor::First, 1).unwrap()[0].key.id;
    store.set_read(first, true).unwrap();
    drop(store);
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "DROP TRIGGER section_articles_count_insert; DROP TRIGGER section_articles_count_delete;
             DROP TRIGGER articles_count_read_in_sections; DROP TRIGGER articles_leave_sections;
             ALTER TABLE sections DROP COLUMN total; ALTER TABLE sections DROP COLUMN unread;
             ALTER TABLE sources DROP COLUMN feed_url; ALTER TABLE sources DROP COLUMN body_hash; ALTER TABLE sources DROP COLUMN failures; ALTER TABLE sources DROP COLUMN retry_at; DROP TABLE enclosures;
             DROP TABLE outbox; DROP INDEX articles_by_remote; ALTER TABLE articles DROP COLUMN remote_id; ALTER TABLE sources DROP COLUMN server_id; ALTER TABLE sources DROP COLUMN remote_id; ALTER TABLE sources DROP COLUMN remote_folder; ALTER TABLE sources DROP COLUMN remote_cursor; ALTER TABLE sources DROP COLUMN remote_marks_at;
             PRAGMA user_version = 7;",
        )
        .unwrap();
    let row = Store::open(&path).unwrap().sections(site).unwrap().remove(0);
    assert_eq!((row.total, row.unread), (3, 2));
}

/// Every order reads the same list whichever way it is paged: forward from the top by
/// windows of 3, backward from the end, by offset; every row's position is its index;
/// and the next unread follows the order.
#[test]
fn every_order_pages_consistently_and_knows_each_rows_place() {
    use kiosque::model::Order;
    let mut store = Store::open_in_memory().unwrap();
    let a = store.ensure_source("https://a.example/feed").unwrap();
    let b = store.ensure_source("https://b.example/feed").unwrap();
    let of = |prefix: &str, n: i64| -> Vec<NewArticle> {
        (0..n)
            .map(|i| {
                article(&format!("{prefix}{i}"), &format!("{prefix} {i}"), Some(NOW - i * 300 - prefix.len() as i64))
            })
            .collect()
    };
    store.save_articles(b, &of("b", 6), NOW).unwrap();
    store.save_articles(a, &of("aa", 5), NOW).unwrap();
    let scope = Scope::Sources(vec![a, b]);
    let all = store.rows(&scope, Anchor::First, 50).unwrap();
    for row in all.iter().step_by(3) {
        store.set_read(row.key.id, true).unwrap();
    }
    for order in [Order::Newest, Order::Oldest, Order::UnreadFirst, Order::BySource] {
        let whole = store.rows_in(&scope, order, Anchor::First, 50).unwrap();
        assert_eq!(whole.len(), 11, "{order:?}");
        let mut paged = store.rows_in(&scope, order, Anchor::First, 3).unwrap();
        while paged.len() < whole.len() {
            let last = paged.last().unwrap().key;
            paged.extend(store.rows_in(&scope, order, Anchor::After(last), 3).unwrap());
        }
        assert_eq!(paged, whole, "{order:?}: forward by windows");
        let mut back = store.rows_in(&scope, order, Anchor::Last, 3).unwrap();
        while back.len() < whole.len() {
            let first = back[0].key;
            let mut before = store.rows_in(&scope, order, Anchor::Before(first), 3).unwrap();
            before.append(&mut back);
            back = before;
        }
        assert_eq!(back, whole, "{order:?}: backward by windows");
        assert_eq!(store.rows_in(&scope, order, Anchor::Offset(4), 3).unwrap(), whole[4..7], "{order:?}");
        for (i, row) in whole.iter().enumerate() {
            assert_eq!(store.position_in(&scope, order, row.key).unwrap(), i, "{order:?}: {}", row.title);
        }
        let unread: Vec<_> = whole.iter().filter(|r| !r.read).map(|r| r.key).collect();
        assert_eq!(store.unread_beside((&scope, order), None, true, 50).unwrap(), unread, "{order:?}");
        let from = unread[2];
        assert_eq!(store.unread_beside((&scope, order), Some(from), true, 1).unwrap(), [unread[3]], "{order:?}");
        assert_eq!(store.unread_beside((&scope, order), Some(from), false, 1).unwrap(), [unread[1]], "{order:?}");
    }
    let times = |order| -> Vec<i64> {
        store.rows_in(&scope, order, Anchor::First, 50).unwrap().iter().map(|r| r.time).collect()
    };
    let newest = times(Order::Newest);
    assert!(newest.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(times(Order::Oldest), newest.iter().rev().copied().collect::<Vec<_>>());
    let reads: Vec<bool> =
        store.rows_in(&scope, Order::UnreadFirst, Anchor::First, 50).unwrap().iter().map(|r| r.read).collect();
    assert_eq!(reads, [vec![false; 7], vec![true; 4]].concat(), "the unread first");
    let sources: Vec<_> =
        store.rows_in(&scope, Order::BySource, Anchor::First, 50).unwrap().iter().map(|r| r.source_id).collect();
    assert_eq!(sources, [vec![a; 5], vec![b; 6]].concat(), "source by source, as added");
}
