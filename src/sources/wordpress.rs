//! WordPress sites, read through their REST API: where the API is, the category tree, and
//! posts with their full text. Pure parsing; `site` does the fetching.
//!
//! The API lists categories by name and knows nothing of the site's menu, so the tree is
//! shaped by `parent` but labelled and ordered by the menu wherever a menu item links to
//! a category page: it then reads like the site.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use url::Url;

use crate::model::{NewArticle, Section};
use crate::render::inline_text;

/// The relation that marks a WordPress REST API root, in a `Link` header or a `<link>`.
pub const API_REL: &str = "https://api.w.org/";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WpError {
    #[error("the WordPress API answered something that is not what it should be: {0}")]
    Malformed(String),
}

/// The API root from a `Link` header such as `<https://site/wp-json/>; rel="https://api.w.org/"`.
pub fn api_from_link_header(value: &str, base: &Url) -> Option<Url> {
    value.split(',').find_map(|link| {
        let (target, params) = link.split_once(';')?;
        let rel = params.split(';').filter_map(|p| p.trim().strip_prefix("rel=")).next()?;
        let target = target.trim().strip_prefix('<')?.strip_suffix('>')?;
        (rel.trim_matches('"') == API_REL).then(|| base.join(target).ok()).flatten()
    })
}

/// The API root from a page's `<link rel="https://api.w.org/" href="…">`.
pub fn api_from_html(document: &dom_query::Document, base: &Url) -> Option<Url> {
    let link = document.select(&format!("link[rel='{API_REL}'][href]"));
    link.attr("href").and_then(|href| base.join(href.trim()).ok())
}

/// A category as the API gives it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    #[serde(default)]
    pub parent: i64,
    /// HTML: names come with entities ("Blagues &amp; histoires drôles").
    pub name: String,
    pub link: String,
    #[serde(default)]
    pub count: u64,
}

/// One page of `/wp/v2/categories`.
pub fn parse_categories(bytes: &[u8]) -> Result<Vec<Category>, WpError> {
    serde_json::from_slice(bytes).map_err(|e| WpError::Malformed(format!("categories: {e}")))
}

/// The category tree. Categories come in the menu's order and under the menu's labels
/// when the menu links to them; top categories the menu does not show, when they hold
/// articles, go by name under one last node, `others` ("Autres rubriques"), so the tree
/// reads like the site; without a menu, they are the tree. Categories under a menu's
/// category stay under it. Empty categories that the menu leaves out ("Uncategorized")
/// are left out too.
pub fn category_tree(categories: &[Category], menu: &[Section], others: &str) -> Vec<Section> {
    let mut in_menu: HashMap<String, (usize, String)> = HashMap::new();
    let mut position = 0;
    walk_menu(menu, &mut |item| {
        if let Some(url) = &item.url {
            in_menu.entry(path_key(url)).or_insert_with(|| (position, item.label.clone()));
            position += 1;
        }
    });
    let ids: std::collections::HashSet<i64> = categories.iter().map(|c| c.id).collect();
    let mut children: HashMap<i64, Vec<&Category>> = HashMap::new();
    for category in categories {
        // A parent the API did not list (a page cut short) makes its child a top category.
        let parent = if ids.contains(&category.parent) { category.parent } else { 0 };
        children.entry(parent).or_default().push(category);
    }
    let mut tree = build(0, &children, &in_menu, &mut Vec::new());
    if !in_menu.is_empty() {
        let unshown: Vec<Section> = tree.iter().filter(|s| !shown(s, &in_menu)).cloned().collect();
        if !unshown.is_empty() {
            tree.retain(|s| shown(s, &in_menu));
            tree.push(Section { label: others.to_owned(), url: None, remote_id: None, children: unshown });
        }
    }
    tree
}

fn shown(section: &Section, in_menu: &HashMap<String, (usize, String)>) -> bool {
    section.url.as_deref().is_some_and(|u| in_menu.contains_key(&path_key(u)))
}

fn build(
    parent: i64,
    children: &HashMap<i64, Vec<&Category>>,
    in_menu: &HashMap<String, (usize, String)>,
    path: &mut Vec<i64>,
) -> Vec<Section> {
    let Some(list) = children.get(&parent) else { return Vec::new() };
    path.push(parent);
    let mut sections: Vec<(Option<usize>, Section)> = Vec::new();
    for category in list {
        if path.contains(&category.id) {
            continue; // a cycle in `parent`
        }
        let menu = in_menu.get(&path_key(&category.link));
        let below = build(category.id, children, in_menu, path);
        if menu.is_none() && category.count == 0 && below.is_empty() {
            continue;
        }
        let label = menu.map_or_else(|| inline_text(&category.name), |(_, label)| label.clone());
        // A category's page goes by the one URL policy, like any link the API gives.
        let url = crate::http::checked_url(&category.link).ok().map(String::from);
        let section = Section { label, url, remote_id: Some(category.id), children: below };
        sections.push((menu.map(|(position, _)| *position), section));
    }
    path.pop();
    // Menu order first, then the others by name.
    sections.sort_by_cached_key(|(position, s)| (position.is_none(), *position, s.label.to_lowercase()));
    sections.into_iter().map(|(_, s)| s).collect()
}

fn walk_menu(sections: &[Section], visit: &mut impl FnMut(&Section)) {
    for section in sections {
        visit(section);
        walk_menu(&section.children, visit);
    }
}

/// Links to the same page compare equal whatever their host spelling or trailing slash.
fn path_key(url: &str) -> String {
    let path = Url::parse(url).map(|u| u.path().to_owned()).unwrap_or_else(|_| url.to_owned());
    path.trim_end_matches('/').to_lowercase()
}

#[derive(Deserialize)]
struct Post {
    id: i64,
    date_gmt: Option<String>,
    link: Option<String>,
    title: Rendered,
    content: Option<Rendered>,
    excerpt: Option<Rendered>,
    #[serde(default)]
    _embedded: Option<Embedded>,
}

#[derive(Deserialize)]
struct Rendered {
    rendered: String,
}

#[derive(Deserialize)]
struct Embedded {
    #[serde(default)]
    author: Vec<Author>,
    /// Terms by taxonomy: categories first, then tags.
    #[serde(default, rename = "wp:term")]
    terms: Vec<Vec<Term>>,
}

#[derive(Deserialize)]
struct Term {
    name: Option<String>,
    taxonomy: Option<String>,
}

#[derive(Deserialize)]
struct Author {
    name: Option<String>,
}

/// One page of `/wp/v2/posts?_embed`, as articles with their full text. The guid is the
/// post's id, stable across edits of its slug.
pub fn parse_posts(bytes: &[u8], base: &Url) -> Result<Vec<NewArticle>, WpError> {
    let posts: Vec<Post> = serde_json::from_slice(bytes).map_err(|e| WpError::Malformed(format!("posts: {e}")))?;
    Ok(posts
        .into_iter()
        .map(|post| {
            let (author, section) = match post._embedded {
                Some(embedded) => {
                    let section = embedded
                        .terms
                        .into_iter()
                        .flatten()
                        .filter(|t| t.taxonomy.as_deref() == Some("category"))
                        .find_map(|t| t.name);
                    (embedded.author.into_iter().find_map(|a| a.name), section)
                }
                None => (None, None),
            };
            NewArticle {
                guid: format!("wp:{}", post.id),
                url: post.link.and_then(|l| crate::http::web_link(base, &l)).map(String::from),
                title: inline_text(&post.title.rendered),
                author: author.map(|a| inline_text(&a)).filter(|a| !a.is_empty()),
                published: post.date_gmt.as_deref().and_then(gmt_date),
                section: section.map(|s| inline_text(&s)).filter(|s| !s.is_empty()),
                summary: post.excerpt.map(|e| e.rendered).filter(|e| !e.trim().is_empty()),
                content: post.content.map(|c| c.rendered).filter(|c| !c.trim().is_empty()),
                enclosures: Vec::new(),
            }
        })
        .collect())
}

/// `date_gmt` has no zone: it is UTC.
fn gmt_date(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S").ok().map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Url {
        Url::parse("https://kiosque-du-midi.example/").unwrap()
    }

    #[test]
    fn the_api_is_found_in_a_link_header_or_tag() {
        let header = "<https://kiosque-du-midi.example/wp-json/>; rel=\"https://api.w.org/\", </?p=12>; rel=shortlink";
        assert_eq!(api_from_link_header(header, &base()).unwrap().as_str(), "https://kiosque-du-midi.example/wp-json/");
        assert_eq!(api_from_link_header("</feed/>; rel=\"alternate\"", &base()), None);
        let page = dom_query::Document::from("<head><link rel='https://api.w.org/' href='/wp-json/'></head>");
        assert_eq!(api_from_html(&page, &base()).unwrap().as_str(), "https://kiosque-du-midi.example/wp-json/");
    }

    fn category(id: i64, parent: i64, name: &str, path: &str, count: u64) -> Category {
        Category { id, parent, name: name.to_owned(), link: format!("https://kiosque-du-midi.example/{path}/"), count }
    }

    fn menu(label: &str, path: &str, children: Vec<Section>) -> Section {
        Section { label: label.to_owned(), url: Some(format!("/{path}/")), remote_id: None, children }
    }

    #[test]
    fn the_tree_follows_parents_and_takes_the_menus_order_and_labels() {
        let categories = [
            category(1, 0, "Non classé", "category/non-classe", 0),
            category(2, 0, "Actu", "category/actu", 3),
            category(3, 2, "Blagues &amp; histoires drôles", "category/actu/blagues", 1),
            category(4, 2, "High-tech", "category/actu/high-tech", 2),
            category(5, 0, "Archives", "category/archives", 7),
            category(6, 0, "Politique", "category/politique", 1),
        ];
        let site_menu = [
            menu("Politique", "category/politique", vec![]),
            menu("Actualités", "category/actu", vec![menu("High-tech", "category/actu/high-tech", vec![])]),
        ];
        let tree = category_tree(&categories, &site_menu, "Autres rubriques");
        let labels: Vec<(&str, Vec<&str>)> =
            tree.iter().map(|s| (s.label.as_str(), s.children.iter().map(|c| c.label.as_str()).collect())).collect();
        assert_eq!(
            labels,
            [
                ("Politique", vec![]),
                ("Actualités", vec!["High-tech", "Blagues & histoires drôles"]),
                ("Autres rubriques", vec!["Archives"]),
            ]
        );
        assert_eq!(tree[2].children[0].remote_id, Some(5), "listed through its category");
        let without_menu = category_tree(&categories, &[], "Autres rubriques");
        let labels: Vec<&str> = without_menu.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(labels, ["Actu", "Archives", "Politique"], "without a menu, the categories are the tree");
        assert_eq!(tree[1].remote_id, Some(2));
    }

    #[test]
    fn cycles_and_missing_parents_do_not_lose_or_loop() {
        let categories = [category(2, 3, "A", "a", 1), category(3, 2, "B", "b", 1), category(4, 99, "C", "c", 1)];
        let tree = category_tree(&categories, &[], "More sections");
        assert_eq!(tree.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["C"]);
    }

    #[test]
    fn posts_come_with_author_date_and_full_text() {
        let json = r#"[{"id": 1201, "date_gmt": "2025-11-28T13:05:00", "link": "https://kiosque-du-midi.example/2025/11/28/a/",
            "title": {"rendered": "L&#8217;informaticien &amp; la baguette"},
            "content": {"rendered": "<p>Texte entier.</p>"}, "excerpt": {"rendered": "<p>Texte</p>"},
            "_embedded": {"author": [{"id": 3, "name": "Théo Martin"}],
                "wp:term": [[{"name": "Blagues &amp; histoires drôles", "taxonomy": "category"}], []]}}]"#;
        let posts = parse_posts(json.as_bytes(), &base()).unwrap();
        assert_eq!(posts[0].guid, "wp:1201");
        assert_eq!(posts[0].title, "L’informaticien & la baguette");
        assert_eq!(posts[0].author.as_deref(), Some("Théo Martin"));
        assert_eq!(posts[0].section.as_deref(), Some("Blagues & histoires drôles"));
        assert_eq!(posts[0].published.unwrap().to_rfc3339(), "2025-11-28T13:05:00+00:00");
        assert_eq!(posts[0].content.as_deref(), Some("<p>Texte entier.</p>"));
        assert!(parse_posts(b"{\"code\": \"rest_forbidden\"}", &base()).is_err());
    }
}
