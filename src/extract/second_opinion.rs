//! A second opinion on where the article is, for when dom_smoothie's choice is doubtful
//! (nothing, a menu, or a fraction of the page's prose). It asks the simplest question:
//! which element holds the most paragraph text that is not links? Paragraphs score for
//! their parent, half for their grandparent, a third for the next and so on (as
//! Readability.js scores), so an article split into sections is found whole.

use std::collections::{HashMap, HashSet};

use dom_query::{Document, NodeId, NodeRef};

/// The element the most prose sits in.
pub struct Block<'a> {
    node: NodeRef<'a>,
    /// Characters of prose (paragraphs, not links) inside it.
    pub prose: usize,
}

impl Block<'_> {
    /// The block as HTML, without what a browser would not show.
    pub fn html(&self) -> String {
        let block = Document::fragment(self.node.html());
        block.select(HIDDEN).remove();
        block.select("html").inner_html().to_string()
    }
}

/// A paragraph scores for this many of its ancestors, the n-th for 1/n of its prose: an
/// article whose paragraphs each sit in a box of their own, in sections, is found whole.
const LEVELS: usize = 5;
/// Divisible by every level, so that the scores stay integers.
const WEIGHT: usize = 60;

/// Shorter paragraphs are captions, buttons and teasers, not prose.
const MIN_PARAGRAPH_CHARS: usize = 40;

pub fn best_block(document: &Document) -> Option<Block<'_>> {
    // Per element: its score, and the prose inside it.
    let mut scores: HashMap<NodeId, (usize, usize)> = HashMap::new();
    let mut nodes: HashMap<NodeId, NodeRef<'_>> = HashMap::new();
    let hidden: HashSet<NodeId> = document.select(HIDDEN).nodes().iter().map(|n| n.id).collect();
    let is_hidden = |node: &NodeRef<'_>| {
        !hidden.is_empty() && std::iter::successors(Some(*node), |n| n.parent()).any(|n| hidden.contains(&n.id))
    };
    for paragraph in document.select("p, pre").nodes() {
        let prose = prose_chars(paragraph);
        if prose < MIN_PARAGRAPH_CHARS || is_hidden(paragraph) {
            continue;
        }
        let ancestors = std::iter::successors(paragraph.parent(), |n| n.parent()).take_while(NodeRef::is_element);
        for (level, node) in ancestors.take(LEVELS).enumerate() {
            if node.has_name("body") {
                break;
            }
            let (score, inside) = scores.entry(node.id).or_default();
            *score += prose * WEIGHT / (level + 1);
            *inside += prose;
            nodes.insert(node.id, node);
        }
    }
    let (id, (_, prose)) = scores.into_iter().max_by_key(|(id, (score, _))| (*score, std::cmp::Reverse(*id)))?;
    Some(Block { node: nodes.remove(&id)?, prose })
}

/// What a browser would not show, as Readability.js reads it.
const HIDDEN: &str = "[hidden], [aria-hidden='true' i], [style*='display:none' i], [style*='display: none' i], \
    [style*='visibility:hidden' i], [style*='visibility: hidden' i]";

/// Characters of text outside links.
fn prose_chars(node: &NodeRef<'_>) -> usize {
    let all = count(&node.text());
    let links: usize = node.find(&["a"]).iter().map(|a| count(&a.text())).sum();
    all.saturating_sub(links)
}

pub fn count(text: &str) -> usize {
    text.chars().filter(|c| !c.is_whitespace()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "Une phrase assez longue pour compter comme de la prose, et pas comme une légende.";

    #[test]
    fn the_block_with_the_most_prose_wins_whole() {
        let sections: String =
            (0..6).map(|i| format!("<section><h2>Partie {i}</h2><p>{PROSE}</p></section>")).collect();
        let html = format!(
            "<body><div class='aside'><p>{PROSE} {PROSE}</p></div><div class='story'>{sections}</div>\
             <ul><li><p><a href='/a'>{PROSE}</a></p></li></ul></body>"
        );
        let document = Document::from(html.as_str());
        let block = best_block(&document).unwrap();
        assert!(block.html().starts_with("<div class=\"story\">"), "{}", block.html());
        assert_eq!(block.html().matches("<p>").count(), 6);
        assert_eq!(block.prose, 6 * count(PROSE));
    }

    #[test]
    fn an_article_whose_paragraphs_each_sit_in_a_box_of_their_own_is_found_whole() {
        // As AsciiDoc writes it: sections, each a body of boxes of one paragraph.
        let section = |i: usize, n: usize| {
            let paragraphs: String = (0..n).map(|_| format!("<div class='paragraph'><p>{PROSE}</p></div>")).collect();
            format!("<div class='sect1'><h2>Partie {i}</h2><div class='sectionbody'>{paragraphs}</div></div>")
        };
        let sections: String = (0..5).map(|i| section(i, 2 + i % 2)).collect();
        let html = format!("<body><div class='content'>{sections}</div><div class='aside'><p>{PROSE}</p></div></body>");
        let document = Document::from(html.as_str());
        let block = best_block(&document).unwrap();
        assert!(block.html().starts_with("<div class=\"content\">"), "{}", &block.html()[..80]);
        assert_eq!(block.prose, 12 * count(PROSE));
    }

    #[test]
    fn hidden_short_and_linked_paragraphs_do_not_count() {
        let html = format!(
            "<body><div id='menu'><p><a href='/a'>{PROSE}</a></p><p><a href='/b'>{PROSE}</a></p></div>\
             <div id='hidden' style='display: none'><p>{PROSE}</p><p>{PROSE}</p></div>\
             <div id='captions'><p>Photo : AFP</p><p>Photo : AFP</p><p>Photo : AFP</p></div>\
             <div id='article'><p>{PROSE}</p><p hidden>{PROSE} {PROSE}</p></div></body>"
        );
        let document = Document::from(html.as_str());
        let block = best_block(&document).unwrap();
        assert!(block.html().starts_with("<div id=\"article\">"), "{}", block.html());
        assert!(!block.html().contains("hidden"), "hidden parts are left out of the block: {}", block.html());
        assert_eq!(block.prose, count(PROSE));
    }

    #[test]
    fn a_page_without_prose_has_no_block() {
        assert!(best_block(&Document::from("<body><p>Court.</p><ul><li>Menu</li></ul></body>")).is_none());
    }
}
