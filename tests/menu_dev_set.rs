//! The main-menu finder measured on real pages: 45 pages of `../shared/corpus` (news
//! sites and magazines of both its sets), whose menus were labelled by hand in
//! `tests/menus/labels.json` (labels only, never the pages; see `tests/menus/README.md`).
//! Top-level and child F1 must stay at or above 0.9 and 0.8. Where the corpus is absent
//! (a clone on its own), the test says so and checks nothing.

use std::collections::HashSet;
use std::io::Read;
use std::path::PathBuf;

use dom_query::Document;
use kiosque::model::Section;
use kiosque::sources::{home, menu};
use url::Url;

#[derive(serde::Deserialize)]
struct Label {
    page: String,
    url: String,
    top: Vec<String>,
    /// `null`: the children were not labelled, and are not scored.
    children: Option<std::collections::BTreeMap<String, Vec<String>>>,
}

fn corpus() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("KIOSQUE_CORPUS").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")),
    ];
    candidates.into_iter().flatten().find(|p| p.join("wcxb-dev").is_dir())
}

/// Labels compare as people read them: case, accents, punctuation and spacing aside.
fn norm(label: &str) -> String {
    kiosque::sanitize::fold_words(label)
}

fn f1(predicted: &HashSet<String>, expected: &HashSet<String>) -> f64 {
    if predicted.is_empty() && expected.is_empty() {
        return 1.0;
    }
    let common = predicted.intersection(expected).count() as f64;
    if common == 0.0 {
        return 0.0;
    }
    let (p, r) = (common / predicted.len() as f64, common / expected.len() as f64);
    2.0 * p * r / (p + r)
}

fn page(root: &std::path::Path, name: &str) -> String {
    let bytes = std::fs::read(root.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    let bytes = if name.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes.as_slice()).read_to_end(&mut out).unwrap();
        out
    } else {
        bytes
    };
    kiosque::extract::decode(&bytes, None).0
}

fn pairs(sections: &[Section]) -> HashSet<String> {
    sections
        .iter()
        .flat_map(|s| s.children.iter().map(move |c| format!("{} > {}", norm(&s.label), norm(&c.label))))
        .collect()
}

#[test]
fn main_menus_of_real_pages_reach_the_target_f1() {
    let Some(root) = corpus() else {
        eprintln!("corpus not found beside the repository (set KIOSQUE_CORPUS): nothing scored");
        return;
    };
    let labels: Vec<Label> =
        serde_json::from_str(&std::fs::read_to_string("tests/menus/labels.json").unwrap()).unwrap();
    assert!(labels.len() >= 40, "the development set has {} pages", labels.len());
    let (mut tops, mut children) = (Vec::new(), Vec::new());
    for label in &labels {
        // KIOSQUE_MENU_ONLY=<part of a page's name> scores that page alone, for tuning.
        if std::env::var("KIOSQUE_MENU_ONLY").is_ok_and(|p| !label.page.contains(&p)) {
            continue;
        }
        // As `kiosque add` reads a page: depth bounded, scripts and styles out.
        let html =
            kiosque::html_limits::prepare(&page(&root, &label.page), kiosque::html_limits::MAX_DEPTH).into_owned();
        let url = Url::parse(&label.url).unwrap();
        let document = Document::from(html.as_str());
        let found = menu::find(&document, &url, &home::from_page(&document, &url));
        let predicted: HashSet<String> = found.iter().map(|s| norm(&s.label)).collect();
        let expected: HashSet<String> = label.top.iter().map(|l| norm(l)).collect();
        let top = f1(&predicted, &expected);
        tops.push(top);
        let mut line = format!("top {top:.2}");
        if let Some(labelled) = &label.children {
            let expected: HashSet<String> = labelled
                .iter()
                .flat_map(|(p, cs)| cs.iter().map(move |c| format!("{} > {}", norm(p), norm(c))))
                .collect();
            let predicted = pairs(&found);
            if !(expected.is_empty() && predicted.is_empty()) {
                let child = f1(&predicted, &expected);
                children.push(child);
                line.push_str(&format!(" child {child:.2}"));
            }
        }
        let shown: Vec<&str> = found.iter().map(|s| s.label.as_str()).collect();
        eprintln!("{line:<22} {}  {shown:?}", label.page);
        // KIOSQUE_MENU_DEBUG=<part of a page's name> prints the whole tree found there.
        if std::env::var("KIOSQUE_MENU_DEBUG").is_ok_and(|p| label.page.contains(&p)) {
            for s in &found {
                let kids: Vec<&str> = s.children.iter().map(|c| c.label.as_str()).collect();
                eprintln!("    {} <{}> {kids:?}", s.label, s.url.as_deref().unwrap_or("-"));
            }
        }
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (top, child) = (mean(&tops), mean(&children));
    if std::env::var("KIOSQUE_MENU_ONLY").is_ok() {
        return;
    }
    eprintln!(
        "menus: {} pages, top-level F1 {top:.3}; {} pages with children, child F1 {child:.3}",
        tops.len(),
        children.len()
    );
    assert!(top >= 0.9, "top-level F1 {top:.3} < 0.9");
    assert!(child >= 0.8, "child F1 {child:.3} < 0.8");
}
