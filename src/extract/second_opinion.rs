//! A second opinion on where the article is, for when dom_smoothie's choice is doubtful
//! (nothing, a menu, or a fraction of the page's prose). It asks the simplest question:
//! which element holds the most paragraph text that is not links? Paragraphs score for
//! their parent, half for their grandparent, a third for the next and so on (as
//! Readability.js scores), so an article split into sections is found whole.

use dom_query::{Document, NodeId, NodeRef};
use rustc_hash::FxHashMap;

/// The element the most prose sits in.
pub struct Block<'a> {
    node: NodeRef<'a>,
    /// Characters of prose (paragraphs, not links) inside it.
    pub prose: usize,
}

impl<'a> Block<'a> {
    /// The block without what a browser would not show (removed from the page).
    pub fn shown(&self) -> NodeRef<'a> {
        let hidden: Vec<_> = self.node.descendants_it().filter(is_hidden).collect();
        hidden.iter().for_each(NodeRef::remove_from_parent);
        self.node
    }
}

/// A paragraph scores for this many of its ancestors, the n-th for 1/n of its prose: an
/// article whose paragraphs each sit in a box of their own, in sections, is found whole.
const LEVELS: usize = 5;
/// Divisible by every level, so that the scores stay integers.
const WEIGHT: usize = 60;

/// Shorter paragraphs are captions, buttons and teasers, not prose.
pub const MIN_PARAGRAPH_CHARS: usize = 40;

pub fn best_block(document: &Document) -> Option<Block<'_>> {
    // Per element: its score, the prose within the levels that score, and all its prose
    // within the levels where sections start.
    let mut scores: FxHashMap<NodeId, (usize, usize, usize)> = FxHashMap::default();
    let mut nodes: FxHashMap<NodeId, NodeRef<'_>> = FxHashMap::default();
    for paragraph in document.select("p, pre").nodes() {
        let prose = prose_chars(paragraph);
        if prose < MIN_PARAGRAPH_CHARS || std::iter::successors(Some(*paragraph), |n| n.parent()).any(|n| is_hidden(&n))
        {
            continue;
        }
        let ancestors = std::iter::successors(paragraph.parent(), |n| n.parent()).take_while(NodeRef::is_element);
        for (level, node) in ancestors.take(LEVELS + SECTION_LEVELS).enumerate() {
            if node.has_name("body") {
                break;
            }
            let (score, inside, deep) = scores.entry(node.id).or_default();
            if level < LEVELS {
                *score += prose * WEIGHT / (level + 1);
                *inside += prose;
            }
            *deep += prose;
            nodes.insert(node.id, node);
        }
    }
    let (id, (_, prose, _)) = scores.iter().max_by_key(|(id, (score, ..))| (*score, std::cmp::Reverse(**id)))?;
    let best = *nodes.get(id)?;
    let prose_of = |node: &NodeRef<'_>| scores.get(&node.id).map_or(0, |s| s.2);
    Some(whole_article(best, *prose, prose_of))
}

/// Levels above the best block where the article's other sections may start.
const SECTION_LEVELS: usize = 6;

/// The best block, or the element that holds it with its sibling sections: an article
/// cut into boxes of the same kind (same name and first class, a "row" per section) deeper
/// than a paragraph's score reaches, each under a heading of its own (comments are boxes
/// of a kind too, without headings). Taken when those boxes hold most of its prose.
fn whole_article<'a>(best: NodeRef<'a>, prose: usize, prose_of: impl Fn(&NodeRef<'a>) -> usize) -> Block<'a> {
    let kind = |node: &NodeRef<'_>| {
        let class = node.attr("class").and_then(|c| c.split_whitespace().next().map(str::to_owned));
        (node.node_name(), class)
    };
    let mut at = best;
    for _ in 0..SECTION_LEVELS {
        let Some(parent) = at.parent().filter(|p| p.is_element() && !p.has_name("body")) else { break };
        let sections: Vec<usize> = parent
            .children_it(false)
            .filter(|c| c.is_element() && kind(c) == kind(&at) && c.descendants_it().any(|d| super::is_subheading(&d)))
            .map(|c| prose_of(&c))
            .filter(|&p| p >= MIN_PARAGRAPH_CHARS)
            .collect();
        let sections: usize = if sections.len() >= 2 { sections.iter().sum() } else { 0 };
        let whole = prose_of(&parent);
        if sections >= 2 * prose_of(&at) && sections * 10 >= whole * 8 {
            return Block { node: parent, prose: whole };
        }
        at = parent;
    }
    Block { node: best, prose }
}

/// Whether a browser would not show an element, as Readability.js reads it: by its
/// attributes, asked of the few elements that matter rather than of the whole page.
pub fn is_hidden(node: &NodeRef<'_>) -> bool {
    node.has_attr("hidden")
        || node.attr("aria-hidden").is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || node.attr("style").is_some_and(|style| {
            let style = style.to_ascii_lowercase();
            ["display:none", "display: none", "visibility:hidden", "visibility: hidden"]
                .iter()
                .any(|h| style.contains(h))
        })
}

/// Characters of text outside links: how blocks are measured, whoever chose them.
pub fn prose_chars(node: &NodeRef<'_>) -> usize {
    let (all, linked) = chars(node);
    all - linked
}

/// The characters of text (not white space) below `node`, and how many of them are in
/// links; in one walk, without copying the text.
pub fn chars(node: &NodeRef<'_>) -> (usize, usize) {
    fn walk(node: &NodeRef<'_>, in_link: bool, sums: &mut (usize, usize)) {
        for child in node.children_it(false) {
            let text = measure_text(&child, count);
            if let Some(n) = text {
                sums.0 += n;
                if in_link {
                    sums.1 += n;
                }
            } else if child.is_element() {
                walk(&child, in_link || child.has_name("a"), sums);
            }
        }
    }
    let mut sums = (0, 0);
    walk(node, node.has_name("a"), &mut sums);
    sums
}

/// `measure` of a text node's text, read in place; `None` for other nodes.
pub fn measure_text(node: &NodeRef<'_>, measure: impl FnOnce(&str) -> usize) -> Option<usize> {
    node.query_or(None, |n| match &n.data {
        dom_query::NodeData::Text { contents } => Some(measure(contents)),
        _ => None,
    })
}

/// Characters that are not white space; ASCII text is counted by the byte.
pub fn count(text: &str) -> usize {
    if text.is_ascii() {
        text.bytes().filter(|b| !matches!(b, b' ' | b'\t'..=b'\r')).count()
    } else {
        text.chars().filter(|c| !c.is_whitespace()).count()
    }
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
        let html = block.shown().html();
        assert!(html.starts_with("<div class=\"story\">"), "{html}");
        assert_eq!(html.matches("<p>").count(), 6);
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
        assert!(block.shown().html().starts_with("<div class=\"content\">"));
        assert_eq!(block.prose, 12 * count(PROSE));
    }

    #[test]
    fn sections_deeper_than_a_paragraph_scores_are_joined_and_comments_are_not() {
        // Each section a row of its own, its paragraphs six levels below the rows' parent.
        let row = |i: usize, n: usize| {
            let paragraphs: String =
                (0..n).map(|_| format!("<div class='t'><div class='u'><p>{PROSE}</p></div></div>")).collect();
            format!(
                "<div class='row s{i}'><div class='col'><div class='h'><h2>Partie {i}</h2></div><div class='b'>{paragraphs}</div></div></div>"
            )
        };
        let rows: String = (0..4).map(|i| row(i, 2 + i % 2)).collect();
        let document = Document::from(format!("<body><main class='story'>{rows}</main></body>").as_str());
        let block = best_block(&document).unwrap();
        assert!(block.shown().html().starts_with("<main class=\"story\">"));
        assert_eq!(block.prose, 10 * count(PROSE));

        let comment = format!(
            "<div class='row c'><div class='col'><div class='b'><div class='t'><div class='u'><p>{PROSE}</p></div></div></div></div></div>"
        );
        let html = format!("<body>{}<div class='comments'>{}</div></body>", row(0, 4), comment.repeat(6));
        let document = Document::from(html.as_str());
        let block = best_block(&document).unwrap();
        let html = block.shown().html();
        assert!(!html.contains("class=\"row c\""), "{html}");
        assert_eq!(block.prose, 4 * count(PROSE));
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
        let html = block.shown().html();
        assert!(html.starts_with("<div id=\"article\">"), "{html}");
        assert!(!html.contains("hidden"), "hidden parts are left out of the block: {html}");
        assert_eq!(block.prose, count(PROSE));
    }

    #[test]
    fn a_page_without_prose_has_no_block() {
        assert!(best_block(&Document::from("<body><p>Court.</p><ul><li>Menu</li></ul></body>")).is_none());
    }
}
