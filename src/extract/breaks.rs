//! Two line breaks in a row end a paragraph, as a browser shows them.
//!
//! Old pages and some editors write paragraphs as text between `<br><br>`. dom_smoothie
//! turns such a run into a `<p>` (as Readability.js does), but one that takes only the
//! elements on its short list of phrasing content: when the text after the breaks starts
//! with another inline element (`<font>`, `<u>`, a link around one), its `<p>` stays
//! empty and goes, and with it the breaks, so "Hello<br><br><font>world</font>" reads
//! "Helloworld". Made here first, with every inline element, its paragraphs are whole.

use dom_query::NodeRef;

use crate::html_limits::starts_block;

/// Each run of two or more `<br>` among `breaks` becomes a `<p>` holding the inline
/// content that follows it, up to the next run or block.
pub fn into_paragraphs(breaks: &[NodeRef<'_>]) {
    for br in breaks {
        // A `<br>` of a run already turned into a paragraph is out of the tree.
        if br.parent().is_none() {
            continue;
        }
        let mut run = false;
        while let Some(next) = significant(br.next_sibling()).filter(is_break) {
            next.remove_from_parent();
            run = true;
        }
        if !run {
            continue;
        }
        let paragraph = br.tree.new_element("p");
        br.replace_with(&paragraph);
        while let Some(next) = paragraph.next_sibling() {
            let next_run = is_break(&next) && significant(next.next_sibling()).is_some_and(|n| is_break(&n));
            if next_run || !is_inline(&next) {
                break;
            }
            paragraph.append_child(&next);
        }
        while let Some(last) = paragraph.last_child().filter(|n| is_break(n) || is_blank(n)) {
            last.remove_from_parent();
        }
        if let Some(parent) = paragraph.parent().filter(|p| p.has_name("p")) {
            parent.rename("div");
        }
    }
}

fn is_break(node: &NodeRef<'_>) -> bool {
    node.has_name("br")
}

fn is_blank(node: &NodeRef<'_>) -> bool {
    !node.is_element() && node.text().trim().is_empty()
}

/// `node`, or the first sibling after it that is more than white space.
fn significant<'a>(mut node: Option<NodeRef<'a>>) -> Option<NodeRef<'a>> {
    while let Some(n) = node.filter(is_blank) {
        node = n.next_sibling();
    }
    node
}

/// Text, or an element that flows within a line: not a block, a list item or a part of
/// a table.
fn is_inline(node: &NodeRef<'_>) -> bool {
    node.node_name().is_none_or(|name| {
        !starts_block(&name) && !matches!(&*name, "li" | "dt" | "dd" | "tr" | "td" | "th" | "caption" | "body")
    })
}

#[cfg(test)]
mod tests {
    use dom_query::Document;

    use super::*;

    fn paragraphs(html: &str) -> String {
        let document = Document::from(html);
        into_paragraphs(document.select("br").nodes());
        document.select("body").inner_html().to_string()
    }

    #[test]
    fn a_run_of_breaks_starts_a_paragraph_of_any_inline_element() {
        assert_eq!(
            paragraphs("<div>Hello<br>\n<br>\n<font size=-1>world</font>, <u>again</u></div>"),
            "<div>Hello<p>\n\n<font size=\"-1\">world</font>, <u>again</u></p></div>"
        );
        assert_eq!(
            paragraphs("<div>一<br><br><a href=/x><font>二</font></a><br><br>三</div>"),
            "<div>一<p><a href=\"/x\"><font>二</font></a></p><p>三</p></div>"
        );
    }

    #[test]
    fn a_paragraph_stops_at_a_block_and_a_single_break_stays() {
        assert_eq!(paragraphs("<div>a<br><br>b<br>c<div>d</div></div>"), "<div>a<p>b<br>c</p><div>d</div></div>");
        assert_eq!(paragraphs("<div>a<br>b</div>"), "<div>a<br>b</div>");
    }

    #[test]
    fn a_paragraph_made_in_a_paragraph_turns_it_into_a_division() {
        assert_eq!(paragraphs("<p>a<br><br>b</p>"), "<div>a<p>b</p></div>");
    }
}
