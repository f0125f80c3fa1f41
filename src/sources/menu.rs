//! A site's sections from its navigation menu: nested `<ul>/<li>` in a `<nav>`, a
//! `<header>` or a menu container. Pure: a page in, sections out.
//!
//! Markups differ (WordPress's `sub-menu`, plain nested lists, mega-menus whose sub-lists
//! sit in `<div>` columns), but each item is an `<li>` whose own link is its label and
//! whose nearest lists are its children. Every candidate container is read that way and
//! the one with the most sections wins. Links off the site, and those a reader does not
//! browse (login, contact, legal pages, newsletters), are left out.

use dom_query::{Document, NodeRef};
use url::Url;

use crate::model::Section;
use crate::sanitize::clean_line;

/// Sections nest at most this deep.
pub const MAX_DEPTH: usize = 3;
/// A menu larger than this is cut: past it, it is a site map, not a menu.
const MAX_SECTIONS: usize = 300;

const CONTAINERS: &str = "nav, [role='navigation'], header, [class*='menu' i], [id*='menu' i], [class*='nav' i], \
    [id*='nav' i]";

/// Words in a link's label or path that mark pages a reader does not browse.
const NOT_SECTIONS: &[&str] = &[
    "login",
    "log-in",
    "signin",
    "sign-in",
    "connexion",
    "se-connecter",
    "account",
    "compte",
    "register",
    "inscription",
    "contact",
    "mentions-legales",
    "legal",
    "privacy",
    "confidentialite",
    "cookies",
    "cgu",
    "cgv",
    "terms",
    "newsletter",
    "abonnement",
    "subscribe",
    "abonnez",
    "cart",
    "panier",
    "search",
    "recherche",
    "rss",
    "feed",
    "wp-admin",
    "about-us",
    "a-propos",
    "qui-sommes-nous",
    "plan-du-site",
    "sitemap",
];

/// The menu's sections, in menu order; empty when the page has no menu.
/// `home`: the site's home; links outside it are not its sections.
pub fn find(document: &Document, page: &Url, home: &Url) -> Vec<Section> {
    let mut best: Vec<Section> = Vec::new();
    let mut best_size = 0;
    for container in document.select(CONTAINERS).nodes() {
        let mut budget = MAX_SECTIONS;
        let sections: Vec<Section> =
            outer_lists(container).iter().flat_map(|list| items(list, page, home, 1, &mut budget)).collect();
        let size = count(&sections);
        if size > best_size {
            (best, best_size) = (sections, size);
        }
    }
    best
}

fn count(sections: &[Section]) -> usize {
    sections.iter().map(|s| 1 + count(&s.children)).sum()
}

/// The `<li>` of a list as sections. An item without a link of its own keeps its label
/// when it has children (a heading in a mega-menu), else it is dropped.
fn items(list: &NodeRef<'_>, page: &Url, home: &Url, depth: usize, budget: &mut usize) -> Vec<Section> {
    let mut sections = Vec::new();
    for item in list.element_children().iter().filter(|n| is(n, "li")) {
        if *budget == 0 {
            break;
        }
        let children = if depth < MAX_DEPTH {
            outer_lists(item).iter().flat_map(|l| items(l, page, home, depth + 1, budget)).collect()
        } else {
            Vec::new()
        };
        let (label, href) = own_link(item);
        let url = href.and_then(|h| page.join(&h).ok());
        let kept = match &url {
            Some(url) => is_section(url, home, &label),
            None => !children.is_empty(),
        };
        if kept && !label.is_empty() {
            *budget -= 1;
            sections.push(Section { label, url: url.map(String::from), remote_id: None, children });
        } else {
            sections.extend(children);
        }
    }
    sections
}

/// The lists directly under `node`: not those inside a nested item.
fn outer_lists<'a>(node: &NodeRef<'a>) -> Vec<NodeRef<'a>> {
    let mut lists = Vec::new();
    let mut stack: Vec<NodeRef<'a>> = node.element_children().into_iter().rev().collect();
    while let Some(next) = stack.pop() {
        if is(&next, "ul") || is(&next, "ol") {
            lists.push(next);
        } else if !is(&next, "li") {
            stack.extend(next.element_children().into_iter().rev());
        }
    }
    lists
}

/// An item's label and link: its first link outside its sub-lists, else its first text.
fn own_link(item: &NodeRef<'_>) -> (String, Option<String>) {
    let mut stack: Vec<NodeRef<'_>> = item.element_children().into_iter().rev().collect();
    let mut first_text = None;
    while let Some(next) = stack.pop() {
        if is(&next, "ul") || is(&next, "ol") {
            continue;
        }
        if is(&next, "a") {
            return (clean_line(&next.text()), next.attr("href").map(|h| h.trim().to_owned()));
        }
        if first_text.is_none() && next.element_children().is_empty() {
            first_text = Some(clean_line(&next.text())).filter(|t| !t.is_empty());
        }
        stack.extend(next.element_children().into_iter().rev());
    }
    if first_text.is_none() {
        let own: String = item.children().iter().filter(|n| n.is_text()).map(|n| n.text().to_string()).collect();
        first_text = Some(clean_line(&own)).filter(|t| !t.is_empty());
    }
    (first_text.unwrap_or_default(), None)
}

/// A link worth a node: on the site, under its home, over http(s), not its home page,
/// not a page of the kind readers do not browse.
fn is_section(url: &Url, home: &Url, label: &str) -> bool {
    if !matches!(url.scheme(), "http" | "https") || !super::home::is_under(url, home) || super::home::is_home(url, home)
    {
        return false;
    }
    let words = format!("{} {}", url.path().to_lowercase(), crate::sanitize::fold(label).replace(' ', "-"));
    !NOT_SECTIONS.iter().any(|w| words.contains(w))
}

fn is(node: &NodeRef<'_>, name: &str) -> bool {
    node.node_name().is_some_and(|n| n.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(sections: &[Section]) -> Vec<String> {
        let mut lines = Vec::new();
        fn walk(sections: &[Section], depth: usize, lines: &mut Vec<String>) {
            for s in sections {
                lines.push(format!("{}{}", "  ".repeat(depth), s.label));
                walk(&s.children, depth + 1, lines);
            }
        }
        walk(sections, 0, &mut lines);
        lines
    }

    fn page() -> Url {
        Url::parse("https://www.site.example/2025/11/28/article/").unwrap()
    }

    fn find(document: &Document, page: &Url) -> Vec<Section> {
        super::find(document, page, &crate::sources::home::root_of(page))
    }

    #[test]
    fn labels_without_links_head_their_children_and_login_links_go() {
        let html = "<header><nav><ul>\
            <li><a href='/'>Accueil</a></li>\
            <li><span>Rubriques</span><ul><li><a href='/sport/'>Sport</a></li><li><a href='/culture/'>Culture</a></li></ul></li>\
            <li><a href='/connexion/'>Se connecter</a></li>\
            <li><a href='https://facebook.com/site'>Facebook</a></li>\
            <li><a href='mailto:a@b.example'>Écrire</a></li>\
            <li><a href='/nous-contacter/'>Nous écrire</a></li></ul></nav></header>";
        let sections = find(&Document::from(html), &page());
        assert_eq!(tree(&sections), ["Rubriques", "  Sport", "  Culture"]);
        assert_eq!(sections[0].children[0].url.as_deref(), Some("https://www.site.example/sport/"));
    }

    #[test]
    fn depth_is_capped_at_three() {
        let html = "<nav><ul><li><a href='/a/'>A</a><ul><li><a href='/b/'>B</a><ul><li><a href='/c/'>C</a>\
            <ul><li><a href='/d/'>D</a></li></ul></li></ul></li></ul></li></ul></nav>";
        assert_eq!(tree(&find(&Document::from(html), &page())), ["A", "  B", "    C"]);
    }

    #[test]
    fn a_huge_menu_is_cut() {
        let items: String = (0..2000).map(|i| format!("<li><a href='/s{i}/'>S{i}</a></li>")).collect();
        let html = format!("<nav><ul>{items}</ul></nav>");
        assert_eq!(find(&Document::from(html.as_str()), &page()).len(), MAX_SECTIONS);
    }

    #[test]
    fn a_page_without_a_menu_has_no_sections() {
        assert!(find(&Document::from("<p>Bonjour</p>"), &page()).is_empty());
    }
}
