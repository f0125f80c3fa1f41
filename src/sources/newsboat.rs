//! newsboat's `urls` file: one feed per line, its address then its tags, quoted when they
//! hold spaces. The first plain tag is the folder; `"~Name"` names the feed; `!tags` are
//! hidden ones. Lines of newsboat's own (`query:` feeds, `exec:` and `filter:` commands)
//! are skipped with a note, as is any line that cannot be a feed.

use super::subscriptions::{Entry, ImportError, MAX_ENTRIES, Read, Skipped, shorten};
use crate::config::FeedConfig;
use crate::model::SourceKind;

/// A line longer than this is not a feed's.
const MAX_LINE_BYTES: usize = 64 * 1024;

pub fn read(text: &str) -> Result<Read, ImportError> {
    let mut read = Read::default();
    for (i, line) in text.lines().enumerate() {
        let number = i + 1;
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let skip = |reason: &str| Skipped { line: number, what: shorten(line), reason: reason.to_owned() };
        if line.len() > MAX_LINE_BYTES {
            read.skipped.push(skip(&format!(
                "a line of {} bytes, longer than a feed's {} KB",
                line.len(),
                MAX_LINE_BYTES >> 10
            )));
            continue;
        }
        if line.chars().any(|c| c.is_control() && c != '\t') {
            read.skipped.push(skip("control characters in the line"));
            continue;
        }
        let words = split(line);
        let Some(url) = words.first() else { continue };
        let lower = url.to_ascii_lowercase();
        if lower.starts_with("query:") {
            read.skipped.push(skip("a newsboat query feed (a filter over other feeds), not a feed"));
            continue;
        }
        if lower.starts_with("exec:") || lower.starts_with("filter:") {
            read.skipped.push(skip("runs a command to make its feed; kiosque runs no commands"));
            continue;
        }
        if read.entries.len() == MAX_ENTRIES {
            return Err(ImportError::TooMany { line: number });
        }
        let mut name = None;
        let mut folder = None;
        for tag in &words[1..] {
            if let Some(title) = tag.strip_prefix('~') {
                name = name.or(Some(title.trim().to_owned()).filter(|t| !t.is_empty()));
            } else if !tag.starts_with('!') && folder.is_none() {
                folder = Some(tag.trim().to_owned()).filter(|t| !t.is_empty());
            }
        }
        let source = FeedConfig { url: url.clone(), name, folder, kind: SourceKind::Feed, prefetch: false };
        read.entries.push(Entry { source, line: number });
    }
    Ok(read)
}

/// Words separated by white space; a word may be quoted to hold spaces, with `\"` inside.
fn split(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        if c == '"' {
            chars.next();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => word.extend(chars.next()),
                    '"' => break,
                    c => word.push(c),
                }
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
        }
        words.push(word);
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_give_the_folder_and_tilde_the_name() {
        let text = "# my feeds\n\
            https://a.example/rss tech \"~Ars Technica\" news\n\
            \n\
            https://b.example/atom \"Science et nature\" !hidden\n\
            \"query:Unread:unread = \\\"yes\\\"\"\n\
            exec:~/bin/make-feed.sh\n\
            \"filter:~/bin/f.sh:https://c.example/rss\" tech\n\
            https://d.example/feed\n";
        let read = read(text).unwrap();
        let entries: Vec<(&str, Option<&str>, Option<&str>, usize)> = read
            .entries
            .iter()
            .map(|e| (e.source.url.as_str(), e.source.name.as_deref(), e.source.folder.as_deref(), e.line))
            .collect();
        assert_eq!(
            entries,
            [
                ("https://a.example/rss", Some("Ars Technica"), Some("tech"), 2),
                ("https://b.example/atom", None, Some("Science et nature"), 4),
                ("https://d.example/feed", None, None, 8),
            ]
        );
        let skipped: Vec<usize> = read.skipped.iter().map(|s| s.line).collect();
        assert_eq!(skipped, [5, 6, 7]);
        assert!(read.skipped[1].reason.contains("runs a command"));
    }

    #[test]
    fn control_characters_and_huge_lines_are_skipped_by_line() {
        let huge = format!("https://a.example/{}", "x".repeat(1 << 20));
        let text = format!("https://ok.example/rss\nhttps://b.example/\u{1b}[2Jrss\n{huge}\n");
        let read = read(&text).unwrap();
        assert_eq!(read.entries.len(), 1);
        assert_eq!(read.skipped.iter().map(|s| s.line).collect::<Vec<_>>(), [2, 3]);
        assert!(read.skipped[0].what.chars().all(|c| !c.is_control()), "the note itself is clean");
        assert!(read.skipped[1].reason.contains("longer than a feed's 64 KB"));
        assert!(read.skipped[1].what.chars().count() <= 81);
    }
}
