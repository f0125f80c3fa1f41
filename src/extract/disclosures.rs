//! Parts of the article a reader opens with a click: the panels of an accordion ("1.
//! Understand your bill ▾"), a tab's content, a "show more". The page hides them until
//! then (`display: none`, `hidden`), and dom_smoothie, like Readability.js, drops what is
//! hidden; but they are the article's text, and reader mode has no click to offer.
//! A panel is known by the control that opens it (`aria-controls`, as the WAI-ARIA
//! disclosure, accordion and tab patterns name it). Dialogs and menus stay hidden: they
//! are the site's, not the article's.

use std::collections::HashSet;

use dom_query::{Document, NodeRef};

/// Shows every hidden panel that one of `controls` (the page's elements with
/// `aria-controls`) opens. A `<button>` that opened one becomes a line of text: it is the
/// panel's title ("1. Lire sa facture"), and reader mode drops buttons.
pub fn reveal(document: &Document, controls: &[NodeRef<'_>]) {
    if controls.is_empty() {
        return;
    }
    let controlled: HashSet<String> = controls
        .iter()
        .filter_map(|n| n.attr("aria-controls"))
        .flat_map(|ids| ids.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .collect();
    let panels: Vec<NodeRef<'_>> = document
        .root()
        .descendants_it()
        .filter(|n| super::attr_is(n, "id", |id| controlled.contains(id)) && is_closed_panel(n))
        .collect();
    let opened: HashSet<String> = panels.iter().filter_map(|p| p.attr("id")).map(|id| id.to_string()).collect();
    for panel in panels {
        panel.remove_attr("hidden");
        panel.remove_attr("aria-hidden");
        panel.remove_attr("style");
    }
    for control in controls.iter().filter(|c| c.has_name("button")) {
        let ids = control.attr("aria-controls").unwrap_or_default();
        if ids.split_whitespace().any(|id| opened.contains(id)) {
            control.rename("p");
        }
    }
}

/// A hidden element that holds part of a text: not a dialog or a menu of the site, nor a
/// placeholder that a script fills ("Loading prices…").
fn is_closed_panel(node: &NodeRef<'_>) -> bool {
    const SITE_ROLES: &[&str] = &["dialog", "alertdialog", "menu", "menubar", "navigation", "listbox", "tooltip"];
    let site = node.has_name("nav")
        || node.has_name("dialog")
        || node.attr("role").is_some_and(|r| SITE_ROLES.iter().any(|s| r.eq_ignore_ascii_case(s)));
    !site
        && super::second_opinion::is_hidden(node)
        && super::second_opinion::prose_chars(node) >= super::second_opinion::MIN_PARAGRAPH_CHARS
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::second_opinion::is_hidden;

    const PROSE: &str = "Une phrase assez longue pour compter comme de la prose, et pas comme une légende.";

    fn controls(document: &Document) -> Vec<NodeRef<'_>> {
        document.select("[aria-controls]").nodes().to_vec()
    }

    /// The ids of the elements of `html` that are shown once revealed.
    fn shown(html: &str) -> Vec<String> {
        let document = Document::from(html);
        reveal(&document, &controls(&document));
        let nodes = document.select("[id]").nodes().to_vec();
        nodes.iter().filter(|n| !is_hidden(n)).filter_map(|n| n.attr("id")).map(|id| id.to_string()).collect()
    }

    #[test]
    fn an_accordion_panel_is_shown_and_a_hidden_menu_dialog_or_placeholder_is_not() {
        let html = format!(
            "<button aria-controls='panel'>1. Le budget</button>\
             <div id='panel' role='region' style='display:none;'><p>{PROSE}</p></div>\
             <button aria-controls='menu'>Menu</button><ul id='menu' role='menu' hidden><li>{PROSE}</li></ul>\
             <nav id='nav' hidden><p>{PROSE}</p></nav><button aria-controls='nav'>Plan</button>\
             <a aria-controls='letter'>Newsletter</a><div id='letter' role='dialog' aria-hidden='true'>{PROSE}</div>\
             <button aria-controls='prices'>Prix</button><div id='prices' hidden>Chargement des prix…</div>\
             <div id='other' hidden><p>{PROSE}</p></div>"
        );
        assert_eq!(shown(&html), ["panel"]);
    }

    #[test]
    fn tabs_that_name_several_panels_show_them_all() {
        let html = format!(
            "<div role='tablist' aria-controls='one two'></div>\
             <div id='one' role='tabpanel'><p>{PROSE}</p></div><div id='two' role='tabpanel' hidden><p>{PROSE}</p></div>"
        );
        assert_eq!(shown(&html), ["one", "two"]);
    }

    #[test]
    fn the_button_that_opened_a_panel_stays_as_its_title() {
        let html = format!(
            "<button aria-controls='a'>1. Le budget</button><div id='a' hidden><p>{PROSE}</p></div>\
             <button aria-controls='menu'>Menu</button><ul id='menu' role='menu' hidden><li>{PROSE}</li></ul>"
        );
        let document = Document::from(html.as_str());
        reveal(&document, &controls(&document));
        assert_eq!(document.select("p").first().text().to_string(), "1. Le budget");
        assert_eq!(document.select("button").text().to_string(), "Menu");
    }
}
