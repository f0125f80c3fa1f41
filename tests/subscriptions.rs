//! Subscriptions in and out, from the shell: `import` of an OPML file and of newsboat's
//! urls file (folders kept, refused entries named, nothing twice), `export` to OPML and
//! back, `remove`, and hostile files that must leave the config as it was.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kiosque::config::{self, FeedConfig};
use kiosque::model::SourceKind;

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn with_config(text: &str) -> Home {
        let home = Home { dir: tempfile::tempdir().unwrap() };
        std::fs::write(home.config(), text).unwrap();
        home
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config.toml")
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_kiosque"))
            .args(args)
            .env("KIOSQUE_CONFIG", self.config())
            .env("KIOSQUE_DATA_DIR", self.dir.path())
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> (String, String) {
        let out = self.run(args);
        let (stdout, stderr) = (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap());
        assert!(out.status.success(), "{args:?}: {stderr}");
        (stdout, stderr)
    }

    fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(!out.status.success(), "{args:?} should fail");
        String::from_utf8(out.stderr).unwrap()
    }

    fn sources(&self) -> Vec<FeedConfig> {
        config::load_if_present(&self.config()).unwrap().unwrap().feeds
    }

    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    }
}

fn fixture(name: &str) -> String {
    Path::new("tests/fixtures/subscriptions").join(name).to_str().unwrap().to_owned()
}

fn feed(url: &str, name: Option<&str>, folder: Option<&str>) -> FeedConfig {
    FeedConfig {
        url: url.to_owned(),
        name: name.map(str::to_owned),
        folder: folder.map(str::to_owned),
        kind: SourceKind::Feed,
        prefetch: false,
    }
}

#[test]
fn an_opml_then_a_newsboat_file_come_in_with_their_folders_and_nothing_twice() {
    let home = Home::with_config("# mine\n[[feed]]\nurl = \"https://seul.example/feed\"\nfolder = \"Tech\"\n");
    let (out, _) = home.ok(&["import", &fixture("reader-export.opml")]);
    assert!(out.starts_with("imported 4 feeds in 3 folders from "), "{out}");
    assert!(
        out.contains("; 1 feed already subscribed; skipped 1:\n  line 14: file:///home/me/feed.xml: only http"),
        "{out}"
    );
    let expected = vec![
        feed("https://seul.example/feed", None, Some("Tech")),
        feed("https://kiosque-du-midi.example/feed/", Some("Le Kiosque du Midi"), Some("Actualités")),
        feed("https://depeches.example/rss.xml", Some("Dépêches & brèves"), Some("Actualités")),
        feed("https://code.example/atom.xml", Some("Le journal du code"), Some("Tech")),
        feed("https://causeries.example/podcast.rss", Some("Causeries"), Some("Tech / Podcasts")),
    ];
    assert_eq!(home.sources(), expected);
    assert!(std::fs::read_to_string(home.config()).unwrap().starts_with("# mine\n"), "the config's own lines stay");

    let (out, _) = home.ok(&["import", &fixture("urls")]);
    assert!(out.starts_with("imported 1 feed in 1 folder from "), "{out}");
    assert!(out.contains("; 3 feeds already subscribed; skipped 4:\n  line 5: "), "{out}");
    for said in ["query feed", "runs a command", "line 8: gopher://vieux.example/feed: only http and https"] {
        assert!(out.contains(said), "{said}: {out}");
    }
    let sources = home.sources();
    assert_eq!(sources.len(), 6);
    assert_eq!(sources[5], feed("https://montagne.example/rss.xml", Some("La Montagne"), Some("Plein air")));

    let (out, _) = home.ok(&["import", &fixture("urls")]);
    assert!(out.starts_with("nothing new to import from "), "{out}");
}

#[test]
fn what_is_exported_imports_back_the_same() {
    let config = "[[site]]\nurl = \"https://kiosque-du-midi.example/blog/\"\nname = \"Le Kiosque\"\nfolder = \"Sites\"\n\
        [[feed]]\nurl = \"https://a.example/rss?x=1&y=2\"\nname = \"A & \\\"B\\\" <c>\"\nfolder = \"Tech\"\nprefetch = true\n\
        [[feed]]\nurl = \"https://c.example/podcast\"\nname = \"C\"\nfolder = \"Tech/Podcasts\"\n\
        [[feed]]\nurl = \"https://b.example/atom\"\nname = \"B\"\n";
    let home = Home::with_config(config);
    let (opml, stderr) = home.ok(&["export"]);
    assert!(opml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\""), "{opml}");
    assert!(opml.contains("xmlUrl=\"https://a.example/rss?x=1&amp;y=2\""), "{opml}");
    assert!(
        opml.contains("text=\"A &amp; &quot;B&quot; &lt;c&gt;\" title=\"A &amp; &quot;B&quot; &lt;c&gt;\""),
        "{opml}"
    );
    // A folder inside a folder is an outline inside an outline.
    let tech = opml.find("<outline text=\"Tech\" title=\"Tech\">").expect(&opml);
    let podcasts = opml.find("<outline text=\"Podcasts\" title=\"Podcasts\">").expect(&opml);
    let c = opml.find("xmlUrl=\"https://c.example/podcast\"").expect(&opml);
    let tech_ends = tech + opml[tech..].find("\n    </outline>").expect(&opml);
    assert!(tech < podcasts && podcasts < c && c < tech_ends, "{opml}");
    assert!(stderr.contains("Le Kiosque: not refreshed yet, so its feed is not known"), "{stderr}");
    // Once refreshed, a site without a feed of its own is said to have none.
    let store = kiosque::store::Store::open(&home.dir.path().join("cache.sqlite")).unwrap();
    let site = store.ensure_source_of_kind("https://kiosque-du-midi.example/blog/", SourceKind::Site).unwrap();
    store.record_fetched(site, None, None, &Default::default(), 1_764_335_100).unwrap();
    drop(store);
    let (_, stderr) = home.ok(&["export"]);
    assert!(stderr.contains("Le Kiosque: the site names no feed; exported with its home page"), "{stderr}");
    let file = home.dir.path().join("out.opml");
    let (_, said) = home.ok(&["export", "--format", "opml", "--output", file.to_str().unwrap()]);
    assert!(said.contains("exported 4 sources to "), "{said}");

    let other = Home::with_config("");
    let (out, _) = other.ok(&["import", file.to_str().unwrap()]);
    assert!(out.starts_with("imported 3 feeds and 1 site in 3 folders"), "{out}");
    assert_eq!(other.sources(), home.sources());
    assert_eq!(other.sources()[2].folder.as_deref(), Some("Tech / Podcasts"));
}

#[test]
fn remove_by_name_in_any_case_or_by_url() {
    let config = "[[site]]\nurl = \"https://s.example/\"\nname = \"Le Site\"\n\
        [[feed]]\nurl = \"https://a.example/rss\"\nname = \"Twice\"\n[[feed]]\nurl = \"https://b.example/rss\"\nname = \"twice\"\n\
        [[feed]]\nurl = \"https://c.example/rss\"\n";
    let home = Home::with_config(config);
    let (_, said) = home.ok(&["remove", "le site"]);
    assert!(said.starts_with("removed the site “Le Site” (https://s.example/) from "), "{said}");
    assert!(said.contains("its bookmarks stay"), "{said}");
    let ambiguous = home.fails(&["remove", "TWICE"]);
    assert!(
        ambiguous.contains(
            "2 sources are named \"TWICE\"; give the URL of one: https://a.example/rss, https://b.example/rss"
        )
    );
    home.ok(&["remove", "https://b.example/rss"]);
    let missing = home.fails(&["remove", "nulle part"]);
    assert!(missing.contains("no source named or at \"nulle part\""), "{missing}");
    let urls: Vec<String> = home.sources().into_iter().map(|f| f.url).collect();
    assert_eq!(urls, ["https://a.example/rss", "https://c.example/rss"]);
}

#[test]
fn hostile_files_are_named_with_their_line_and_leave_the_config_alone() {
    let original = "[[feed]]\nurl = \"https://a.example/rss\"\n";
    let home = Home::with_config(original);
    let deep = home.file("deep.opml", format!("<opml><body>\n{}", "<outline text=\"f\">\n".repeat(1000)));
    let laughs = home.file(
        "laughs.opml",
        "<?xml version=\"1.0\"?>\n<!DOCTYPE opml [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>\n\
         <opml><body><outline text=\"&b;\" xmlUrl=\"https://b.example/\"/></body></opml>",
    );
    let broken = home.file("broken.opml", "<opml><body>\n<outline text=\"x\" xmlUrl=\"https://b.example/\">\n</body>");
    let not_opml = home.file("feed.xml", "<rss version=\"2.0\"><channel/></rss>");
    let cases = [
        (deep.as_str(), "line 65: outlines nested deeper than 64 levels"),
        (laughs.as_str(), "line 3: broken attribute value"),
        (broken.as_str(), "line 3: broken XML"),
        (not_opml.as_str(), "line 1: not an OPML file: its root is <rss>"),
        ("/dev/zero", "larger than 32 MB"),
        ("/nowhere/subs.opml", "No such file"),
    ];
    for (file, said) in cases {
        let error = home.fails(&["import", file]);
        assert!(error.starts_with(&format!("kiosque: cannot import {file}")), "{error}");
        assert!(error.contains(said), "{file}: {error}");
        assert_eq!(std::fs::read_to_string(home.config()).unwrap(), original, "{file}");
    }
    let mut urls = String::from("https://ok.example/rss\nhttps://bell.example/\u{7}rss\n");
    urls.push_str(&format!("https://long.example/{}\n", "x".repeat(1 << 20)));
    let urls = home.file("urls", urls);
    let (out, _) = home.ok(&["import", &urls]);
    assert!(out.starts_with("imported 1 feed in 0 folders"), "{out}");
    assert!(out.contains("line 2: https://bell.example/rss: control characters in the line"), "{out}");
    assert!(out.contains("line 3: https://long.example/xxx"), "{out}");
    assert!(out.len() < 1000, "a 1 MB line is not echoed whole");
}

#[test]
fn a_hundred_thousand_outlines_are_refused_at_the_one_too_many() {
    let outlines: String =
        (0..100_000).map(|i| format!("<outline text=\"Feed {i}\" xmlUrl=\"https://f{i}.example/rss\"/>\n")).collect();
    let home = Home::with_config("");
    let file = home.file(
        "big.opml",
        format!("<opml version=\"2.0\"><body><outline text=\"Many\">\n{outlines}</outline></body></opml>"),
    );
    let error = home.fails(&["import", &file]);
    assert!(error.contains("line 10002: more than 10000 feeds"), "{error}");
    assert_eq!(std::fs::read_to_string(home.config()).unwrap(), "", "nothing is written");
    let lines: String = (0..10_001).map(|i| format!("https://f{i}.example/rss\n")).collect();
    let urls = home.file("urls", lines);
    assert!(home.fails(&["import", &urls]).contains("line 10001: more than 10000 feeds"));
}

/// Importing with no config yet writes one and says what it holds: kiosque's sample
/// sources beside the imported ones, or, with --no-defaults, the imported ones alone.
#[test]
fn a_first_import_says_whether_it_kept_the_sample_sources() {
    let home = Home { dir: tempfile::tempdir().unwrap() };
    let urls = home.file("urls", "https://a.example/feed.xml\n");
    let (_, said) = home.ok(&["import", &urls, "--no-defaults"]);
    assert!(said.contains("wrote a new config to ") && said.contains(", without sample sources"), "{said}");
    assert_eq!(home.sources().iter().map(|s| s.url.as_str()).collect::<Vec<_>>(), ["https://a.example/feed.xml"]);
    let written = std::fs::read_to_string(home.config()).unwrap();
    assert!(written.contains("# refresh_minutes = 30"), "the settings are there to edit: {written}");

    let home = Home { dir: tempfile::tempdir().unwrap() };
    let urls = home.file("urls", "https://a.example/feed.xml\n");
    let (_, said) = home.ok(&["import", &urls]);
    assert!(said.contains("sample sources (--no-defaults leaves them out)"), "{said}");
    assert!(home.sources().len() > 1);
}
