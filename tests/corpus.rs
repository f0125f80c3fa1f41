//! Reader-mode accuracy on the readability corpus (`../shared/corpus`, never copied into
//! the repository): the mean bag-of-words F1 of the extracted text against the expected
//! text must stay at 0.99 or above. score.py measures the same with its own tokenizer;
//! here both sides go through our plain-text rendering, so the comparison is even.
//!
//! The corpus lives beside the repository; `KIOSQUE_CORPUS` points elsewhere. Where it
//! is absent (a clone on its own), the test says so and checks nothing.

use std::collections::HashMap;
use std::path::PathBuf;

use kiosque::extract;
use url::Url;

fn corpus() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("KIOSQUE_CORPUS").map(PathBuf::from),
        Some(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus")),
    ];
    candidates.into_iter().flatten().map(|p| p.join("readability")).find(|p| p.is_dir())
}

fn bag(text: &str) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric() && c != '_').filter(|w| !w.is_empty()) {
        *bag.entry(word.to_lowercase()).or_insert(0) += 1;
    }
    bag
}

fn f1(predicted: &str, expected: &str) -> f64 {
    let (p, e) = (bag(predicted), bag(expected));
    let (np, ne): (usize, usize) = (p.values().sum(), e.values().sum());
    if ne == 0 {
        return if np == 0 { 1.0 } else { 0.0 };
    }
    let common: usize = p.iter().map(|(w, n)| (*n).min(*e.get(w).unwrap_or(&0))).sum();
    if common == 0 {
        return 0.0;
    }
    let (precision, recall) = (common as f64 / np as f64, common as f64 / ne as f64);
    2.0 * precision * recall / (precision + recall)
}

#[test]
fn readability_corpus_word_f1_stays_at_or_above_0_99() {
    let Some(root) = corpus() else {
        eprintln!("corpus not found beside the repository (set KIOSQUE_CORPUS): nothing scored");
        return;
    };
    let url = Url::parse("http://fakehost/test/page.html").unwrap();
    let now = chrono::DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap();
    let mut scores = Vec::new();
    for case in std::fs::read_dir(&root).unwrap() {
        let dir = case.unwrap().path();
        let (Ok(source), Ok(expected)) =
            (std::fs::read(dir.join("source.html")), std::fs::read_to_string(dir.join("expected.html")))
        else {
            continue;
        };
        let (html, _) = extract::decode(&source, None);
        let text = extract::extract(&html, Some(&url), now).map(|a| a.text()).unwrap_or_default();
        scores.push((
            f1(&text, &kiosque::render::text(&expected)),
            dir.file_name().unwrap().to_string_lossy().into_owned(),
        ));
    }
    assert!(scores.len() >= 100, "only {} pages found in {}", scores.len(), root.display());
    let mean = scores.iter().map(|(s, _)| s).sum::<f64>() / scores.len() as f64;
    scores.sort_by(|a, b| a.0.total_cmp(&b.0));
    eprintln!("readability corpus: {} pages, word F1 mean {mean:.4}; lowest {:?}", scores.len(), &scores[..3]);
    assert!(mean >= 0.99, "word F1 mean {mean:.4} < 0.99; lowest: {:?}", &scores[..5]);
}
