//! Subscriptions brought from another reader: an OPML file (most readers export one) or
//! newsboat's `urls` file, told apart by their content. Reading is pure and bounded: a
//! file in, entries and the lines refused (with why) out; `plan` then decides against
//! the config what is new, so nothing is written until the whole file has been read.

use std::collections::HashSet;

use super::subscriptions::shorten;
use super::subscriptions::{Entry, ImportError, MAX_FILE_BYTES, Read, Skipped};
use crate::config::{Config, FeedConfig};
use crate::http::checked_url;

/// Reads an OPML file or a newsboat `urls` file, whichever `bytes` is.
pub fn read(bytes: &[u8]) -> Result<Read, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge);
    }
    let text = super::opml::xml_text(bytes);
    let start = text.trim_start_matches('\u{feff}').trim_start();
    if start.is_empty() {
        return Err(ImportError::Empty);
    }
    if start.starts_with('<') { super::opml::read(&text) } else { super::newsboat::read(&text) }
}

/// What importing `read` into `config` adds.
#[derive(Debug, Default, PartialEq)]
pub struct Plan {
    pub add: Vec<FeedConfig>,
    pub skipped: Vec<Skipped>,
    /// Entries the config (or the file, earlier) already has.
    pub already: usize,
}

impl Plan {
    /// Folders the new sources go in.
    pub fn folders(&self) -> usize {
        self.add.iter().filter_map(|f| f.folder.as_deref()).collect::<HashSet<_>>().len()
    }
}

/// Checks every entry: only http and https, never twice, folders spelled as the config
/// (or the file, first) spells them whatever their case.
pub fn plan(read: Read, config: &Config) -> Plan {
    let mut known: HashSet<String> = config.feeds.iter().map(|f| f.url.clone()).collect();
    let mut folders: Vec<String> = config.feeds.iter().filter_map(|f| f.folder.clone()).collect();
    let mut plan = Plan { skipped: read.skipped, ..Plan::default() };
    for Entry { source, line } in read.entries {
        let url = match checked_url(&source.url) {
            Ok(url) => url.to_string(),
            Err(e) => {
                plan.skipped.push(Skipped { line, what: shorten(&source.url), reason: e.to_string() });
                continue;
            }
        };
        if let Some(reason) = source.folder.as_deref().and_then(crate::folder::refused) {
            plan.skipped.push(Skipped { line, what: shorten(&source.url), reason });
            continue;
        }
        if !known.insert(url.clone()) {
            plan.already += 1;
            continue;
        }
        let folder =
            source.folder.and_then(|path| crate::folder::spelled_as(&path, folders.iter().map(String::as_str)));
        if let Some(folder) = folder.as_ref().filter(|f| !folders.contains(f)) {
            folders.push(folder.clone());
        }
        plan.add.push(FeedConfig { url, folder, ..source });
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;

    fn entry(url: &str, folder: Option<&str>, line: usize) -> Entry {
        let source = FeedConfig {
            url: url.to_owned(),
            name: None,
            folder: folder.map(str::to_owned),
            kind: SourceKind::Feed,
            prefetch: false,
        };
        Entry { source, line }
    }

    #[test]
    fn a_plan_refuses_other_schemes_skips_known_feeds_and_matches_folders() {
        let config =
            crate::config::parse("[[feed]]\nurl = \"https://a.example/feed\"\nfolder = \"Tech\"\n", "c.toml".as_ref())
                .unwrap();
        let read = Read {
            entries: vec![
                entry("https://a.example/feed", None, 1),
                entry("https://b.example/rss", Some("tech"), 2),
                entry("file:///etc/passwd", None, 3),
                entry("https://c.example/atom", Some("Sciences"), 4),
                entry("https://d.example/rss", Some("SCIENCES"), 5),
                entry("https://b.example/rss", None, 6),
            ],
            skipped: Vec::new(),
        };
        let plan = plan(read, &config);
        let added: Vec<(&str, Option<&str>)> = plan.add.iter().map(|f| (f.url.as_str(), f.folder.as_deref())).collect();
        assert_eq!(
            added,
            [
                ("https://b.example/rss", Some("Tech")),
                ("https://c.example/atom", Some("Sciences")),
                ("https://d.example/rss", Some("Sciences"))
            ]
        );
        assert_eq!(plan.already, 2);
        assert_eq!(plan.folders(), 2);
        assert_eq!(plan.skipped.len(), 1);
        assert_eq!(plan.skipped[0].line, 3);
        assert_eq!(plan.skipped[0].reason, "only http and https links are fetched");
    }
}
