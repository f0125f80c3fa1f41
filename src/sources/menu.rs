//! A site's sections from its main navigation menu. Pure: a page in, sections out.
//!
//! A page holds many lists of links: the site's bar, its hamburger copy, a network bar
//! above it, a section's own sub-bar, account and edition switches, share buttons,
//! "most read" boxes, the footer. Each is read as a tree (an item is an `<li>`, or one
//! of a row of like blocks in a navigation container; its first link or words are its
//! label, its nested lists its children), cleaned of what is not a section, and scored
//! on structure alone, never on a site's class names: where it sits (header and `<nav>`
//! rather than footer or a drawer), how early, whether its labels are short and its
//! links look like sections of this site, how many sections and sub-sections it names.
//! The best is the menu; sections of it that have no children there take them from
//! another copy of the menu that has (the drawer often holds the sub-menus the bar
//! hides).

use std::collections::{HashMap, HashSet};

use dom_query::{Document, NodeId, NodeRef};
use url::Url;

use super::home;
use crate::model::Section;
use crate::sanitize::{clean_line, fold_words};

/// Sections nest at most this deep.
pub const MAX_DEPTH: usize = 3;
/// A menu larger than this is cut: past it, it is a site map, not a menu.
const MAX_SECTIONS: usize = 300;
/// A menu names at least this many sections, sub-sections included: two links are a
/// breadcrumb or a switch.
const MIN_SECTIONS: usize = 3;
/// Below this score no list is a menu: a page without navigation has no sections.
const MIN_SCORE: f64 = 0.5;
/// Lists are read from this many at most.
const MAX_CANDIDATES: usize = 400;

/// Containers where a row of blocks, not only a list, can be a menu.
const NAVIGATION: &str = "nav, [role='navigation' i], header, [class*='menu' i], [id*='menu' i], [class*='nav' i], \
    [id*='nav' i]";

/// Words of labels and addresses of pages a reader does not browse: accounts,
/// subscriptions, services, legal pages, the site's own business.
const NOT_SECTIONS: &[&str] = &[
    "login",
    "logout",
    "signin",
    "signup",
    "connexion",
    "deconnexion",
    "inscription",
    "account",
    "compte",
    "register",
    "profile",
    "profil",
    "settings",
    "contact",
    "legal",
    "legales",
    "privacy",
    "confidentialite",
    "cookies",
    "cgu",
    "cgv",
    "terms",
    "newsletter",
    "newsletters",
    "subscribe",
    "subscription",
    "subscriptions",
    "subscriber",
    "abonnement",
    "abonnements",
    "abonne",
    "abonnes",
    "abonnez",
    "cart",
    "panier",
    "search",
    "recherche",
    "rss",
    "sitemap",
    "advertise",
    "advertising",
    "publicite",
    "careers",
    "jobs",
    "emploi",
    "recrutement",
    "donate",
    "faq",
    "help",
    "aide",
    "store",
    "boutique",
    "epaper",
    "replica",
    "accessibility",
    "accessibilite",
    "masthead",
    "impressum",
    "bookmarks",
    "sponsorship",
    "forums",
    "forum",
    "classifieds",
];

/// Runs of words with the same meaning.
const NOT_SECTION_PHRASES: &[&str] = &[
    "sign in",
    "log in",
    "log out",
    "sign out",
    "sign up",
    "se connecter",
    "se deconnecter",
    "my account",
    "mon compte",
    "qui sommes nous",
    "a propos",
    "about us",
    "nous contacter",
    "contact us",
    "customer service",
    "service client",
    "plan du site",
    "site map",
    "e edition",
    "media kit",
    "work with us",
    "skip to",
    "aller au",
    "mentions legales",
    "wp admin",
    "my portfolio",
    "my screeners",
];

/// Words that name the site's front page rather than a section.
const HOME_WORDS: &[&str] = &["home", "accueil", "homepage", "home page", "page d accueil", "inicio", "startseite"];

/// Language names: a link that only says one switches the site's language.
const LANGUAGES: &[&str] = &[
    "english",
    "francais",
    "espanol",
    "deutsch",
    "italiano",
    "portugues",
    "nederlands",
    "polski",
    "русский",
    "العربية",
    "中文",
    "日本語",
];

/// The menu's sections, in menu order; empty when the page has no menu.
/// `home`: the site's home; links off the site, and outside its path, are not sections.
pub fn find(document: &Document, page: &Url, home: &Url) -> Vec<Section> {
    let links: HashMap<NodeId, usize> =
        document.select("a[href]").nodes().iter().enumerate().map(|(i, a)| (a.id, i)).collect();
    let reader = Reader { page, home, links };
    let mut candidates: Vec<Candidate> =
        roots(document).iter().filter_map(|(root, items)| reader.candidate(root, items)).collect();
    let nested: HashSet<NodeId> = candidates.iter().flat_map(|c| c.nested.iter().copied()).collect();
    candidates.retain(|c| !nested.contains(&c.root));
    let best = (0..candidates.len()).max_by(|&a, &b| candidates[a].score.total_cmp(&candidates[b].score));
    let Some(best) = best.filter(|&b| candidates[b].score >= MIN_SCORE) else {
        return Vec::new();
    };
    let mut menu = candidates.swap_remove(best).sections;
    let copies = candidates.iter().filter(|c| !c.in_footer && is_copy(&menu, &c.sections));
    let others: Vec<&Section> = copies.flat_map(|c| walk(&c.sections)).collect();
    for section in menu.iter_mut().filter(|s| s.children.is_empty()) {
        let twin = others.iter().find(|o| !o.children.is_empty() && same_item(o, section));
        if let Some(twin) = twin {
            section.children = twin.children.iter().filter(|c| c.url != section.url).cloned().collect();
        }
    }
    menu
}

/// Every section of a tree, depth first.
fn walk(sections: &[Section]) -> Vec<&Section> {
    sections.iter().flat_map(|s| std::iter::once(s).chain(walk(&s.children))).collect()
}

/// Whether `other` is another copy of `menu`: it names most of its sections.
fn is_copy(menu: &[Section], other: &[Section]) -> bool {
    let all = walk(other);
    let shared = menu.iter().filter(|s| all.iter().any(|o| same_item(o, s))).count();
    shared >= 2 && shared * 5 >= menu.len() * 2
}

fn same_item(a: &Section, b: &Section) -> bool {
    match (&a.url, &b.url) {
        (Some(x), Some(y)) => x.trim_end_matches('/') == y.trim_end_matches('/'),
        _ => fold_words(&a.label) == fold_words(&b.label),
    }
}

/// The elements whose items may be a menu's top level, with their items: lists that are
/// not inside a list item, and rows of like blocks in navigation containers.
fn roots<'a>(document: &'a Document) -> Vec<(NodeRef<'a>, Vec<NodeRef<'a>>)> {
    let mut seen = HashSet::new();
    let mut roots = Vec::new();
    for list in document.select("ul, ol").nodes() {
        if !list.ancestors_it(None).any(|a| is(&a, "li")) && seen.insert(list.id) {
            roots.push((*list, items_of(list)));
        }
    }
    for container in document.select(NAVIGATION).nodes().iter().take(MAX_CANDIDATES) {
        let mut level = vec![*container];
        for _ in 0..3 {
            let mut next = Vec::new();
            for node in level {
                if let Some(items) = pseudo_items(&node) {
                    if !node.ancestors_it(None).any(|a| is(&a, "li")) && seen.insert(node.id) {
                        roots.push((node, items));
                    }
                }
                next.extend(node.element_children().into_iter().filter(|c| !is_list(c)));
            }
            level = next;
        }
    }
    roots.truncate(MAX_CANDIDATES);
    roots
}

/// The items of a row of like blocks (`<div>`, `<span>` or bare links) each with a link.
fn pseudo_items<'a>(node: &NodeRef<'a>) -> Option<Vec<NodeRef<'a>>> {
    if is_list(node) || is(node, "li") {
        return None;
    }
    let children = node.element_children();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for child in &children {
        if let Some(name) = child.node_name() {
            *counts.entry(name.to_ascii_lowercase()).or_default() += 1;
        }
    }
    let (tag, count) = counts
        .into_iter()
        .filter(|(t, _)| matches!(t.as_str(), "div" | "span" | "a" | "section"))
        .max_by_key(|(_, n)| *n)?;
    let items: Vec<NodeRef<'a>> = children
        .into_iter()
        .filter(|c| c.node_name().is_some_and(|n| n.eq_ignore_ascii_case(&tag)))
        .filter(|c| is(c, "a") || !c.find(&["a"]).is_empty())
        .collect();
    (items.len() >= 3 && items.len() * 4 >= count * 3).then_some(items)
}

fn items_of<'a>(root: &NodeRef<'a>) -> Vec<NodeRef<'a>> {
    if is_list(root) {
        root.element_children().into_iter().filter(|n| is(n, "li")).collect()
    } else {
        pseudo_items(root).unwrap_or_default()
    }
}

struct Candidate {
    root: NodeId,
    nested: Vec<NodeId>,
    sections: Vec<Section>,
    score: f64,
    in_footer: bool,
}

struct Reader<'u> {
    page: &'u Url,
    home: &'u Url,
    /// Each link's place among the page's links.
    links: HashMap<NodeId, usize>,
}

impl Reader<'_> {
    fn candidate(&self, root: &NodeRef<'_>, items: &[NodeRef<'_>]) -> Option<Candidate> {
        if items.len() < 2 {
            return None;
        }
        let mut budget = MAX_SECTIONS;
        let read = self.items(items, (None, None), 1, &mut budget);
        // Sub-sections count: a heading over two sections beside one more is a menu.
        if read.sections.len() < 2 || walk(&read.sections).len() < MIN_SECTIONS {
            return None;
        }
        let hints = Hints::of(root);
        let first_link = root.find(&["a"]).iter().find_map(|a| self.links.get(&a.id).copied());
        let position = first_link.map_or(1.0, |i| i as f64 / self.links.len().max(1) as f64);
        let top = &read.sections;
        let short =
            top.iter().filter(|s| s.label.split_whitespace().count() <= 4 && s.label.chars().count() <= 32).count();
        let section_like = top.iter().filter(|s| s.url.as_deref().is_none_or(looks_like_section)).count();
        let share = |n: usize| n as f64 / top.len() as f64;
        let children: usize = top.iter().map(|s| s.children.len()).sum();
        let size = (1.0 + top.len().min(30) as f64).ln() + 0.3 * (1.0 + children as f64).ln();
        let mut quality = share(short).powi(2) * share(section_like).powi(2) * read.kept_share * (1.0 - 0.5 * position);
        if top.len() > 30 {
            quality *= 0.5;
        }
        quality *= hints.factor();
        Some(Candidate {
            root: root.id,
            nested: read.nested,
            sections: read.sections,
            score: quality * size,
            in_footer: hints.footer,
        })
    }

    /// The sections of a list's items, with what was dropped counted.
    /// `parent`: the address and label of the item these are under.
    fn items(
        &self,
        items: &[NodeRef<'_>],
        parent: (Option<&str>, Option<&str>),
        depth: usize,
        budget: &mut usize,
    ) -> Read {
        let (parent_url, parent_label) = parent;
        let mut read = Read { sections: Vec::new(), nested: Vec::new(), kept_share: 0.0 };
        let (mut seen, mut dropped) = (0usize, 0usize);
        for item in items {
            if *budget == 0 {
                break;
            }
            seen += 1;
            let (label, href) = own_link(item);
            let url = href.and_then(|h| self.link(&h));
            let first = read.sections.is_empty() && dropped == 0;
            let verdict = match self.judge(&label, url.as_ref(), item, depth, first) {
                // A panel titled as its parent ("News" over News's topics) adds nothing.
                Verdict::Heading if parent_label.is_some_and(|p| fold_words(p) == fold_words(&label)) => {
                    Verdict::Promote
                }
                Verdict::Keep if url.as_ref().map(Url::as_str) == parent_url => Verdict::Drop,
                verdict => verdict,
            };
            if matches!(verdict, Verdict::Drop) {
                dropped += 1;
                continue;
            }
            let own = url.as_ref().map(Url::to_string);
            let lists = if depth < MAX_DEPTH && !is(item, "a") { outer_lists(item) } else { Vec::new() };
            let nested: Vec<NodeRef<'_>> = lists.iter().flat_map(items_of).collect();
            // Children that repeat this item's link ("All News") are dropped below.
            let below = self.items(&nested, (own.as_deref().or(parent_url), Some(label.as_str())), depth + 1, budget);
            let children = below.sections;
            let section = match verdict {
                Verdict::Promote => {
                    read.sections.extend(children);
                    None
                }
                Verdict::Heading if children.is_empty() => {
                    dropped += 1;
                    None
                }
                _ => Some(Section { label, url: own, remote_id: None, children }),
            };
            if let Some(section) = section {
                let duplicate = read
                    .sections
                    .iter()
                    .any(|s| fold_words(&s.label) == fold_words(&section.label) && s.url == section.url);
                if duplicate {
                    continue;
                }
                *budget = budget.saturating_sub(1);
                read.sections.push(section);
            }
            read.nested.extend(lists.iter().map(|l| l.id).chain(below.nested));
        }
        read.kept_share = if seen == 0 { 0.0 } else { (seen - dropped) as f64 / seen as f64 };
        read
    }

    /// What an item is worth in the menu.
    fn judge(&self, label: &str, url: Option<&Url>, item: &NodeRef<'_>, depth: usize, first: bool) -> Verdict {
        if label.is_empty() {
            // A nameless wrapper inside a sub-menu holds its items; at the top, or as a
            // block of a row, it holds other menus, which are read on their own.
            return if depth > 1 && is(item, "li") { Verdict::Promote } else { Verdict::Drop };
        }
        let words = fold_words(label);
        if is_service(&words) || LANGUAGES.contains(&words.as_str()) || is_edition(&words, url, item) {
            return Verdict::Drop;
        }
        match url {
            None => Verdict::Heading,
            Some(url)
                if home::is_home(url, self.home) || (depth == 1 && first && HOME_WORDS.contains(&words.as_str())) =>
            {
                Verdict::Drop
            }
            Some(url) if !self.on_site(url) || url_is_service(url) => Verdict::Drop,
            // A headline in a menu ("The Best Music of 2025") is an article, not a section.
            Some(url) if words.split(' ').count() >= 5 && !looks_like_section(url.as_str()) => Verdict::Drop,
            Some(_) => Verdict::Keep,
        }
    }

    /// A link as a section's address: http(s), without its fragment; `None` for links
    /// that go nowhere (`#`, `javascript:`), which make their item a heading.
    fn link(&self, href: &str) -> Option<Url> {
        let href = href.trim();
        if href.is_empty() || href.starts_with('#') || href.ends_with('#') {
            return None;
        }
        let mut url = crate::http::web_link(self.page, href)?;
        url.set_fragment(None);
        Some(url)
    }

    fn on_site(&self, url: &Url) -> bool {
        if self.home.path() == "/" { home::same_site(url, self.home) } else { home::is_under(url, self.home) }
    }
}

struct Read {
    sections: Vec<Section>,
    /// The lists read as sub-menus: they are not menus of their own.
    nested: Vec<NodeId>,
    /// The share of the items that were kept: a list of mostly services is not the menu.
    kept_share: f64,
}

enum Verdict {
    Keep,
    /// No link of its own: a heading, kept when it holds sections.
    Heading,
    /// Not a section itself (a nameless wrapper, a panel titled as its parent): its
    /// children take its place.
    Promote,
    Drop,
}

/// What the elements around a list say of it.
struct Hints {
    nav: bool,
    header: bool,
    main: bool,
    footer: bool,
    drawer: bool,
    minor: bool,
    aside: bool,
    /// Inside an article: links of its text, not of the site's navigation.
    article: bool,
}

impl Hints {
    fn of(root: &NodeRef<'_>) -> Hints {
        let mut hints = Hints {
            nav: false,
            header: false,
            main: false,
            footer: false,
            drawer: false,
            minor: false,
            aside: false,
            article: false,
        };
        for node in std::iter::once(*root).chain(root.ancestors_it(None)) {
            if !node.is_element() {
                continue;
            }
            let name = node.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
            let role = node.attr("role").map(|r| r.to_ascii_lowercase()).unwrap_or_default();
            let words = format!("{} {}", node.attr("class").unwrap_or_default(), node.attr("id").unwrap_or_default())
                .to_lowercase();
            let has = |w: &[&str]| w.iter().any(|w| words.contains(w));
            hints.nav |= name == "nav" || role == "navigation";
            hints.header |= name == "header" || role == "banner";
            hints.footer |= name == "footer" || role == "contentinfo" || has(&["footer"]);
            hints.aside |= name == "aside" || role == "complementary";
            hints.article |=
                name == "article" || node.attr("itemprop").is_some_and(|p| p.eq_ignore_ascii_case("articleBody"));
            hints.main |= has(&["main", "primary"]) && !has(&["main-content", "maincontent"]);
            hints.drawer |= has(&[
                "mobile",
                "drawer",
                "offcanvas",
                "off-canvas",
                "hamburger",
                "burger",
                "overlay",
                "sidepanel",
                "flyout",
                "accordion",
                "slide-out",
                "expanded",
                "all-sections",
            ]);
            hints.minor |= has(&[
                "secondary",
                "utility",
                "topbar",
                "top-bar",
                "social",
                "share",
                "breadcrumb",
                "legal",
                "account",
                "user",
                "network",
                "tools",
                "trending",
                "subnav",
                "sub-nav",
                "local",
            ]);
        }
        hints
    }

    fn factor(&self) -> f64 {
        let mut factor = 1.0;
        if self.nav {
            factor *= 1.3;
        }
        if self.header {
            factor *= 1.2;
        }
        // A drawer's "primary" list is still the drawer.
        if self.main && !self.drawer {
            factor *= 1.5;
        }
        if self.footer {
            factor *= 0.15;
        }
        if self.aside && !self.nav {
            factor *= 0.5;
        }
        if self.drawer {
            factor *= 0.4;
        }
        if self.minor {
            factor *= 0.5;
        }
        if self.article && !self.nav {
            factor *= 0.3;
        }
        factor
    }
}

/// An address that looks like a section: a few short path words, no date or id.
fn looks_like_section(url: &str) -> bool {
    let Ok(url) = Url::parse(url) else { return false };
    let segments: Vec<&str> = url.path().split('/').filter(|s| !s.is_empty()).collect();
    let long_slug = segments.iter().any(|s| s.matches(['-', '_']).count() >= 5);
    let id = segments.iter().any(|s| s.chars().filter(char::is_ascii_digit).count() >= 5);
    segments.len() <= 3 && !long_slug && !id
}

fn is_service(words: &str) -> bool {
    let list: Vec<&str> = words.split(' ').collect();
    if list.first().is_some_and(|w| matches!(*w, "about" | "contact")) {
        return true;
    }
    let padded = format!(" {words} ");
    list.iter().any(|w| NOT_SECTIONS.contains(w))
        || NOT_SECTION_PHRASES.iter().any(|p| padded.contains(&format!(" {p} ")))
}

fn url_is_service(url: &Url) -> bool {
    let path = fold_words(url.path());
    let words: Vec<&str> = path.split(' ').collect();
    words.iter().any(|w| NOT_SECTIONS.contains(w) || *w == "feed")
        || words.windows(2).any(|w| NOT_SECTION_PHRASES.contains(&format!("{} {}", w[0], w[1]).as_str()))
        || url.host_str().is_some_and(|h| {
            ["shop.", "store.", "boutique.", "jobs.", "login.", "account."].iter().any(|p| h.starts_with(p))
        })
}

/// Edition and language switches: "US edition", `?edition=uk`, a link with `hreflang`.
fn is_edition(words: &str, url: Option<&Url>, item: &NodeRef<'_>) -> bool {
    let by_words = (words.ends_with(" edition") || words.ends_with(" editions") || words.starts_with("edition "))
        && (words.split(' ').count() <= 3 || words.starts_with("switch to"));
    let by_url = url.is_some_and(|u| {
        u.query_pairs()
            .any(|(k, _)| matches!(k.as_ref(), "edition" | "country" | "lang" | "locale" | "hl" | "city" | "region"))
            || u.path_segments().is_some_and(|mut s| s.any(|s| matches!(s, "edition" | "preference" | "city")))
    });
    let by_markup = item.find(&["a"]).iter().any(|a| a.has_attr("hreflang")) || item.has_attr("hreflang");
    by_words || by_url || by_markup
}

/// The lists directly under `node`: not those inside a nested item.
fn outer_lists<'a>(node: &NodeRef<'a>) -> Vec<NodeRef<'a>> {
    let mut lists = Vec::new();
    let mut stack: Vec<NodeRef<'a>> = node.element_children().into_iter().rev().collect();
    while let Some(next) = stack.pop() {
        if is_list(&next) {
            lists.push(next);
        } else if !is(&next, "li") {
            stack.extend(next.element_children().into_iter().rev());
        }
    }
    lists
}

/// An item's label and link: its first link, or its first words when they come before
/// any link (a heading such as "Régions" over its sub-menu), nested lists aside.
fn own_link(item: &NodeRef<'_>) -> (String, Option<String>) {
    if is(item, "a") {
        return (link_label(item), item.attr("href").map(|h| h.trim().to_owned()));
    }
    let mut stack: Vec<NodeRef<'_>> = item.children().into_iter().rev().collect();
    while let Some(next) = stack.pop() {
        if next.is_text() {
            let text = label_text(&next.text());
            if !text.is_empty() {
                return (text, None);
            }
            continue;
        }
        if !next.is_element() || is_list(&next) || is(&next, "script") || is(&next, "style") {
            continue;
        }
        if is(&next, "a") {
            let label = link_label(&next);
            if !label.is_empty() {
                return (label, next.attr("href").map(|h| h.trim().to_owned()));
            }
            continue;
        }
        stack.extend(next.children().into_iter().rev());
    }
    (String::new(), None)
}

fn link_label(link: &NodeRef<'_>) -> String {
    let text = label_text(&link.text());
    if !text.is_empty() {
        return text;
    }
    link.attr("aria-label").or_else(|| link.attr("title")).map(|t| label_text(&t)).unwrap_or_default()
}

/// Words as a label: one clean line, without icon-font glyphs.
fn label_text(text: &str) -> String {
    let text: String = text.chars().filter(|c| !('\u{e000}'..='\u{f8ff}').contains(c)).collect();
    clean_line(&text).trim_end_matches(':').trim().to_owned()
}

fn is_list(node: &NodeRef<'_>) -> bool {
    is(node, "ul") || is(node, "ol")
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
            <li><a href='/economie/'>Économie</a></li><li><a href='/monde/'>Monde</a></li>\
            <li><a href='/connexion/'>Se connecter</a></li>\
            <li><a href='https://facebook.com/site'>Facebook</a></li>\
            <li><a href='mailto:a@b.example'>Écrire</a></li>\
            <li><a href='/nous-contacter/'>Nous écrire</a></li></ul></nav></header>";
        let sections = find(&Document::from(html), &page());
        assert_eq!(tree(&sections), ["Rubriques", "  Sport", "  Culture", "Économie", "Monde"]);
        assert_eq!(sections[0].children[0].url.as_deref(), Some("https://www.site.example/sport/"));
    }

    #[test]
    fn depth_is_capped_at_three() {
        let html = "<nav><ul><li><a href='/a/'>A</a><ul><li><a href='/b/'>B</a><ul><li><a href='/c/'>C</a>\
            <ul><li><a href='/d/'>D</a></li></ul></li></ul></li></ul></li><li><a href='/e/'>E</a></li>\
            <li><a href='/f/'>F</a></li></ul></nav>";
        assert_eq!(tree(&find(&Document::from(html), &page())), ["A", "  B", "    C", "E", "F"]);
    }

    #[test]
    fn a_huge_menu_is_cut() {
        let items: String = (0..2000).map(|i| format!("<li><a href='/s{i}/'>S{i}</a></li>")).collect();
        let html = format!("<nav><ul>{items}</ul></nav>");
        assert_eq!(find(&Document::from(html.as_str()), &page()).len(), MAX_SECTIONS);
    }

    #[test]
    fn a_heading_and_one_section_are_a_menu() {
        let html = "<nav><ul><li><a href='/'>Accueil</a></li>\
            <li><button>Le port</button><ul><li><a href='/culture/'>Culture</a></li><li><a href='/eco/'>Économie</a></li></ul></li>\
            <li><a href='/archives/'>Archives</a></li><li><a href='/connexion/'>Se connecter</a></li></ul></nav>";
        assert_eq!(tree(&find(&Document::from(html), &page())), ["Le port", "  Culture", "  Économie", "Archives"]);
        let breadcrumb = "<nav><ol><li><a href='/'>Accueil</a></li><li><a href='/sport/'>Sport</a></li></ol></nav>";
        assert!(find(&Document::from(breadcrumb), &page()).is_empty());
    }

    #[test]
    fn a_page_without_a_menu_has_no_sections() {
        assert!(find(&Document::from("<p>Bonjour</p>"), &page()).is_empty());
    }

    #[test]
    fn the_bar_wins_over_the_network_bar_the_footer_and_the_editions() {
        let html = "<body><div class='network'><ul><li><a href='https://other.example/'>Other paper</a></li>\
              <li><a href='https://radio.example/'>Radio</a></li><li><a href='https://tv.example/'>TV</a></li></ul></div>\
            <header><nav class='main-nav'><ul>\
              <li><a href='/news/'>News</a><ul><li><a href='/news/spokane/'>Spokane</a></li><li><a href='/news/idaho/'>Idaho</a></li></ul></li>\
              <li><a href='/sports/'>Sports</a></li><li><a href='/opinion/'>Opinion</a></li>\
              <li><a href='/?edition=uk'>UK edition</a></li><li><a href='/e-edition/'>e-Edition</a></li>\
              <li><a href='/customer-service/'>Customer Service</a></li></ul></nav></header>\
            <main><ul><li><a href='/2025/11/28/a-long-story-about-a-thing-that-happened/'>A long story about a thing that happened</a></li>\
              <li><a href='/2025/11/28/another-long-story-about-something/'>Another long story about something else</a></li></ul></main>\
            <footer><ul><li><a href='/news/'>News</a></li><li><a href='/sports/'>Sports</a></li><li><a href='/opinion/'>Opinion</a></li>\
              <li><a href='/weather/'>Weather</a></li><li><a href='/obituaries/'>Obituaries</a></li></ul></footer></body>";
        assert_eq!(tree(&find(&Document::from(html), &page())), ["News", "  Spokane", "  Idaho", "Sports", "Opinion"]);
    }

    #[test]
    fn a_row_of_blocks_is_a_menu_and_the_drawer_gives_its_sub_menus() {
        let html = "<body><div id='drawer' class='mobile-menu'><ul>\
              <li><a href='/local/'>Local News</a><ul><li><a href='/local/crime/'>Crime</a></li><li><a href='/local/schools/'>Schools</a></li></ul></li>\
              <li><a href='/biz/'>Business</a></li><li><a href='/life/'>Life</a></li><li><a href='/jobs/'>Jobs</a></li></ul></div>\
            <header><div class='nav-bar'><div class='item'><a href='/local/'>Local</a></div>\
              <div class='item'><a href='/biz/'>Biz</a></div><div class='item'><a href='/life/'>Life</a></div>\
              <div class='item'><span>More</span><div class='panel'><ul><li><a href='/travel/'>Travel</a></li></ul></div></div></div></header></body>";
        assert_eq!(
            tree(&find(&Document::from(html), &page())),
            ["Local", "  Crime", "  Schools", "Biz", "Life", "More", "  Travel"]
        );
    }
}
