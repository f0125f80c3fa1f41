//! What a file of subscriptions holds, in whichever format: the entries it gives and the
//! lines it refuses, with why. `opml` and `newsboat` read into it; `import` decides what
//! of it is new.

use crate::config::FeedConfig;

/// A file larger than this is not a list of subscriptions.
pub const MAX_FILE_BYTES: usize = 32 * 1024 * 1024;
/// Nor is one with more feeds than this: no one reads them, and every start would
/// register them all.
pub const MAX_ENTRIES: usize = 10_000;

/// A subscription as a file gives it, its address not checked yet.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub source: FeedConfig,
    /// Where it is in the file, from 1.
    pub line: usize,
}

/// An entry left out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub line: usize,
    /// The entry as the user would recognise it (its address or name), shortened.
    pub what: String,
    pub reason: String,
}

/// What a file holds.
#[derive(Debug, Default, PartialEq)]
pub struct Read {
    pub entries: Vec<Entry>,
    pub skipped: Vec<Skipped>,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ImportError {
    #[error("larger than {} MB: not a list of subscriptions", MAX_FILE_BYTES >> 20)]
    TooLarge,
    #[error("line {line}: {reason}")]
    Broken { line: usize, reason: String },
    #[error("empty: no subscriptions in it")]
    Empty,
    #[error("line {line}: more than {} feeds: not a list of subscriptions one reads", MAX_ENTRIES)]
    TooMany { line: usize },
}

/// A value from a file, cut for a message: a 1 MB line is not echoed whole.
pub fn shorten(text: &str) -> String {
    const MAX: usize = 80;
    let clean = crate::sanitize::clean_line(text);
    if clean.chars().count() <= MAX {
        return clean;
    }
    let cut: String = clean.chars().take(MAX).collect();
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_are_cut_in_messages() {
        let long = "https://a.example/".to_owned() + &"x".repeat(1_000_000);
        let short = shorten(&long);
        assert!(short.chars().count() == 81 && short.ends_with('…'));
    }
}
