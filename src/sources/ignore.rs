//! `[[ignore]]` rules, as newsboat's `ignore-article`: articles whose title or author
//! matches a regular expression, from one source or any, are not kept when a refresh
//! brings them. Checked when the config is read, so a bad pattern is named there.

use super::SourceEntry;
use crate::config::IgnoreRule;
use crate::model::{NewArticle, SourceId};

/// The rules with their sources found among the configured ones.
#[derive(Debug, Clone, Default)]
pub struct Ignore {
    rules: Vec<(Option<SourceId>, IgnoreRule)>,
}

impl PartialEq for Ignore {
    fn eq(&self, other: &Ignore) -> bool {
        self.rules == other.rules
    }
}

impl Eq for Ignore {}

impl Ignore {
    /// A rule for a source that is not in `entries` applies to none.
    pub fn new(rules: &[IgnoreRule], entries: &[SourceEntry]) -> Ignore {
        let rules = rules
            .iter()
            .filter_map(|rule| match &rule.source {
                None => Some((None, rule.clone())),
                Some(named) => entries
                    .iter()
                    .find(|e| e.url == *named || e.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(named)))
                    .map(|e| (Some(e.id), rule.clone())),
            })
            .collect();
        Ignore { rules }
    }

    /// Whether a rule hides `article` of `source`.
    pub fn hides(&self, source: SourceId, article: &NewArticle) -> bool {
        self.rules.iter().any(|(only, rule)| {
            only.is_none_or(|only| only == source)
                && rule.title.as_ref().is_none_or(|r| r.is_match(&article.title))
                && rule.author.as_ref().is_none_or(|r| article.author.as_deref().is_some_and(|a| r.is_match(a)))
        })
    }

    /// Leaves out of `articles` those a rule hides; how many it left out.
    pub fn filter(&self, source: SourceId, articles: &mut Vec<NewArticle>) -> usize {
        let before = articles.len();
        if !self.rules.is_empty() {
            articles.retain(|a| !self.hides(source, a));
        }
        before - articles.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::SourceKind;
    use regex::Regex;

    fn article(title: &str, author: Option<&str>) -> NewArticle {
        NewArticle {
            guid: title.to_owned(),
            url: None,
            title: title.to_owned(),
            author: author.map(str::to_owned),
            published: None,
            section: None,
            summary: None,
            content: None,
            enclosures: Vec::new(),
        }
    }

    #[test]
    fn a_rule_hides_what_all_its_patterns_match_in_its_source() {
        let entry = |id, name: &str| SourceEntry {
            id: SourceId(id),
            url: format!("https://{name}.example/feed"),
            name: Some(name.to_owned()),
            folder: None,
            kind: SourceKind::Feed,
            prefetch: false,
        };
        let entries = [entry(1, "Monde"), entry(2, "Tech")];
        let rule = |title: Option<&str>, author: Option<&str>, source: Option<&str>| IgnoreRule {
            title: title.map(|t| Regex::new(t).unwrap()),
            author: author.map(|a| Regex::new(a).unwrap()),
            source: source.map(str::to_owned),
        };
        let ignore = Ignore::new(
            &[
                rule(Some("(?i)horoscope"), None, None),
                rule(Some("^Sponsored"), Some("AFP"), Some("monde")),
                rule(None, Some("Bot"), Some("https://nowhere.example/")),
            ],
            &entries,
        );
        assert!(ignore.hides(SourceId(2), &article("Votre HOROSCOPE du jour", None)), "any source");
        assert!(ignore.hides(SourceId(1), &article("Sponsored: a bank", Some("AFP"))));
        assert!(!ignore.hides(SourceId(1), &article("Sponsored: a bank", Some("Reuters"))), "both must match");
        assert!(!ignore.hides(SourceId(2), &article("Sponsored: a bank", Some("AFP"))), "only in Monde");
        assert!(!ignore.hides(SourceId(2), &article("News", Some("Bot"))), "a source not configured: none");
        let mut articles = vec![article("Horoscope", None), article("News", None)];
        assert_eq!(ignore.filter(SourceId(1), &mut articles), 1);
        assert_eq!(articles[0].title, "News");
    }
}
