//! The sample site's pages, API answers and feeds, made from `demo/site.toml`. Pure: a
//! request target in, a response out. Shaped like WordPress: category ids and links, the
//! REST API's fields, paging headers and errors, the classic menu's markup, and article
//! pages wrapped in share buttons, an author box, related posts, comments and a sidebar.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::sanitize::escape_html as escape;
use crate::timefmt::{Lang, day_date};

const DATA: &str = include_str!("../../demo/site.toml");

/// How the site behaves, for tests of what kiosque does when a site is less helpful.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// The status every `/wp-json/` request answers with, when not 200: a closed API.
    pub api_status: u16,
    /// A site that is not WordPress and has no feeds: only its menu and its pages.
    pub plain: bool,
    /// A WordPress site whose feeds are turned off.
    pub no_feeds: bool,
    /// Moves every date so that the newest article came out an hour before this, for a
    /// demo that looks fresh; without it, dates are as written (for the tests).
    pub now: Option<DateTime<Utc>>,
    /// How long the site takes to answer the REST API: a slow site.
    pub api_delay: std::time::Duration,
    /// The path the site is installed under ("/blog"), or "" for the host's root.
    pub prefix: &'static str,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            api_status: 200,
            plain: false,
            no_feeds: false,
            now: None,
            api_delay: std::time::Duration::ZERO,
            prefix: "",
        }
    }
}

pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
    pub body: String,
}

impl Response {
    pub fn status(status: u16, message: &str) -> Response {
        Response {
            status,
            content_type: "text/plain; charset=utf-8",
            headers: Vec::new(),
            body: format!("{message}\n"),
        }
    }

    fn json(status: u16, value: &Value) -> Response {
        Response {
            status,
            content_type: "application/json; charset=UTF-8",
            headers: Vec::new(),
            body: value.to_string(),
        }
    }
}

#[derive(Deserialize)]
struct Data {
    name: String,
    description: String,
    section: Vec<SectionData>,
    article: Vec<ArticleData>,
}

#[derive(Deserialize)]
struct SectionData {
    slug: String,
    name: String,
    /// `[slug, name]`, or `[slug, name, menu label]` when the menu calls it otherwise.
    children: Vec<Vec<String>>,
}

#[derive(Deserialize)]
struct ArticleData {
    slug: String,
    date: DateTime<Utc>,
    author: String,
    sections: Vec<String>,
    /// HTML, as WordPress stores titles.
    title: String,
    body: String,
}

/// A category, as WordPress numbers and links it.
struct Category {
    id: i64,
    parent: i64,
    slug: String,
    /// The name, HTML-escaped as the API gives it.
    name: String,
    menu_label: String,
    path: String,
}

pub struct Site {
    base: String,
    options: Options,
    name: String,
    description: String,
    categories: Vec<Category>,
    /// Newest first.
    articles: Vec<ArticleData>,
}

/// WordPress's "Uncategorized": id 1, empty, and in no menu.
const UNCATEGORIZED: i64 = 1;
const FIRST_POST_ID: i64 = 1000;

impl Site {
    /// The site as served from `base` (such as `http://127.0.0.1:4000`).
    /// How long to wait before answering `target`.
    pub fn delay(&self, target: &str) -> std::time::Duration {
        if target.trim_start_matches(self.options.prefix).starts_with("/wp-json/") {
            self.options.api_delay
        } else {
            std::time::Duration::ZERO
        }
    }

    pub fn new(base: &str, options: Options) -> Site {
        let data: Data = toml::from_str(DATA).expect("demo/site.toml is valid");
        let mut categories = vec![Category {
            id: UNCATEGORIZED,
            parent: 0,
            slug: "non-classe".to_owned(),
            name: "Non classé".to_owned(),
            menu_label: "Non classé".to_owned(),
            path: "non-classe".to_owned(),
        }];
        for section in &data.section {
            let id = categories.len() as i64 + 1;
            categories.push(Category {
                id,
                parent: 0,
                slug: section.slug.clone(),
                name: escape(&section.name),
                menu_label: section.name.clone(),
                path: section.slug.clone(),
            });
            for child in &section.children {
                let [slug, name, rest @ ..] = child.as_slice() else { panic!("a section child is [slug, name]") };
                categories.push(Category {
                    id: categories.len() as i64 + 1,
                    parent: id,
                    slug: slug.clone(),
                    name: escape(name),
                    menu_label: rest.first().unwrap_or(name).clone(),
                    path: format!("{}/{slug}", section.slug),
                });
            }
        }
        let mut articles = data.article;
        articles.sort_by_key(|a| std::cmp::Reverse(a.date));
        if let (Some(now), Some(newest)) = (options.now, articles.first().map(|a| a.date)) {
            let shift = now - chrono::Duration::hours(1) - newest;
            articles.iter_mut().for_each(|a| a.date += shift);
        }
        Site { base: base.to_owned(), options, name: data.name, description: data.description, categories, articles }
    }

    /// Answers `target`; outside the site's path (`Options::prefix`) there is nothing.
    pub fn respond(&self, target: &str) -> Response {
        let Some(target) = target.strip_prefix(self.options.prefix).filter(|t| t.starts_with('/')) else {
            return not_found();
        };
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let param = |name: &str| {
            url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
        };
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let feed = segments.last() == Some(&"feed");
        if (self.options.plain && (path.starts_with("/wp-json/") || feed)) || (self.options.no_feeds && feed) {
            return not_found();
        }
        if let Some(route) = path.strip_prefix("/wp-json/") {
            if self.options.api_status != 200 {
                let error = json!({"code": "rest_forbidden", "message": "Sorry, you are not allowed to do that.",
                    "data": {"status": self.options.api_status}});
                return Response::json(self.options.api_status, &error);
            }
            return match route {
                "" => Response::json(
                    200,
                    &json!({"name": self.name, "description": self.description,
                    "url": self.base, "namespaces": ["wp/v2"]}),
                ),
                "wp/v2/categories" => self.categories_page(param("per_page"), param("page")),
                "wp/v2/posts" => self.posts_page(param("categories"), param("per_page"), param("page")),
                _ => Response::json(404, &json!({"code": "rest_no_route", "data": {"status": 404}})),
            };
        }
        match segments.as_slice() {
            [] => self.html(self.home()),
            ["feed"] => self.feed(None),
            ["category", rest @ ..] if rest.last() == Some(&"feed") => {
                self.category(&rest[..rest.len() - 1].join("/")).map_or_else(not_found, |c| self.feed(Some(c)))
            }
            ["category", rest @ ..] => {
                self.category(&rest.join("/")).map_or_else(not_found, |c| self.html(self.category_page(c)))
            }
            [_, _, _, slug] => self
                .articles
                .iter()
                .position(|a| a.slug == *slug)
                .map_or_else(not_found, |i| self.html(self.article_page(i))),
            _ => not_found(),
        }
    }

    /// A page, with the header by which WordPress names its API.
    fn html(&self, body: String) -> Response {
        let mut headers = Vec::new();
        if !self.options.plain {
            headers.push(("link", format!("<{}/wp-json/>; rel=\"https://api.w.org/\"", self.base)));
        }
        Response { status: 200, content_type: "text/html; charset=UTF-8", headers, body }
    }

    /// Whether `article` is in `category` or one below it, as WordPress's archives count.
    fn in_category(&self, article: &ArticleData, category: &Category) -> bool {
        self.categories_of(article).iter().any(|c| c.id == category.id || c.parent == category.id)
    }

    fn category(&self, path: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.path == path)
    }

    fn category_link(&self, category: &Category) -> String {
        format!("{}/category/{}/", self.base, category.path)
    }

    fn post_id(&self, index: usize) -> i64 {
        FIRST_POST_ID + index as i64
    }

    fn link(&self, article: &ArticleData) -> String {
        format!("{}/{}/{}/", self.base, article.date.format("%Y/%m/%d"), article.slug)
    }

    fn categories_of(&self, article: &ArticleData) -> Vec<&Category> {
        article.sections.iter().filter_map(|slug| self.categories.iter().find(|c| c.slug == *slug)).collect()
    }

    fn count(&self, category: &Category) -> usize {
        self.articles.iter().filter(|a| a.sections.contains(&category.slug)).count()
    }

    fn categories_page(&self, per_page: Option<String>, page: Option<String>) -> Response {
        // The API lists terms by name.
        let mut sorted: Vec<&Category> = self.categories.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        let items: Vec<Value> = sorted
            .iter()
            .map(|c| {
                json!({"id": c.id, "count": self.count(c), "description": "", "link": self.category_link(c),
                    "name": c.name, "slug": c.slug, "taxonomy": "category", "parent": c.parent})
            })
            .collect();
        paged(items, per_page, page)
    }

    fn posts_page(&self, categories: Option<String>, per_page: Option<String>, page: Option<String>) -> Response {
        let wanted: Option<Vec<i64>> = categories.map(|c| c.split(',').filter_map(|id| id.parse().ok()).collect());
        let items: Vec<Value> = self
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                wanted.as_ref().is_none_or(|ids| self.categories_of(a).iter().any(|c| ids.contains(&c.id)))
            })
            .map(|(i, a)| self.post_json(i, a))
            .collect();
        paged(items, per_page, page)
    }

    fn post_json(&self, index: usize, article: &ArticleData) -> Value {
        let id = self.post_id(index);
        let terms: Vec<Value> = self
            .categories_of(article)
            .iter()
            .map(|c| json!({"id": c.id, "link": self.category_link(c), "name": c.name, "slug": c.slug, "taxonomy": "category"}))
            .collect();
        let date_gmt = article.date.format("%Y-%m-%dT%H:%M:%S").to_string();
        let local = article.date.with_timezone(&chrono::FixedOffset::east_opt(3600).expect("valid offset"));
        json!({
            "id": id,
            "date": local.format("%Y-%m-%dT%H:%M:%S").to_string(),
            "date_gmt": date_gmt,
            "guid": {"rendered": format!("{}/?p={id}", self.base)},
            "modified_gmt": date_gmt,
            "slug": article.slug,
            "status": "publish",
            "type": "post",
            "link": self.link(article),
            "title": {"rendered": texturize(&article.title)},
            "content": {"rendered": article.body, "protected": false},
            "excerpt": {"rendered": format!("<p>{}</p>\n", excerpt(&article.body))},
            "author": author_id(&article.author),
            "categories": self.categories_of(article).iter().map(|c| c.id).collect::<Vec<_>>(),
            "_embedded": {
                "author": [{"id": author_id(&article.author), "name": article.author,
                    "link": format!("{}/author/{}/", self.base, author_id(&article.author))}],
                "wp:term": [terms, []],
            },
        })
    }

    /// The header every page shares: the site's name and its menu, in the markup of
    /// WordPress's classic menus.
    fn header(&self) -> String {
        let mut menu = format!(
            "<li id=\"menu-item-1\" class=\"menu-item menu-item-type-custom menu-item-object-custom menu-item-home\">\
             <a href=\"{base}/\">Accueil</a></li>\n",
            base = self.base
        );
        for top in self.categories.iter().filter(|c| c.parent == 0 && c.id != UNCATEGORIZED) {
            let children: Vec<&Category> = self.categories.iter().filter(|c| c.parent == top.id).collect();
            let item = |c: &Category, more: &str| {
                format!(
                    "<li id=\"menu-item-{}\" class=\"menu-item menu-item-type-taxonomy menu-item-object-category{more}\">\
                     <a href=\"{}\">{}</a>",
                    100 + c.id,
                    self.category_link(c),
                    escape(&c.menu_label)
                )
            };
            menu.push_str(&item(top, " menu-item-has-children"));
            menu.push_str("\n<ul class=\"sub-menu\">\n");
            for child in children {
                menu.push_str(&item(child, ""));
                menu.push_str("</li>\n");
            }
            menu.push_str("</ul>\n</li>\n");
        }
        menu.push_str(&format!(
            "<li id=\"menu-item-90\" class=\"menu-item menu-item-type-post_type menu-item-object-page\">\
             <a href=\"{base}/contact/\">Contact</a></li>\n",
            base = self.base
        ));
        format!(
            "<header id=\"masthead\" class=\"site-header\">\n<p class=\"site-title\"><a href=\"{base}/\" rel=\"home\">{name}</a></p>\n\
             <nav id=\"site-navigation\" class=\"main-navigation\">\n<ul id=\"primary-menu\" class=\"menu\">\n{menu}</ul>\n</nav>\n\
             <ul class=\"social-links\"><li><a href=\"https://www.facebook.com/kiosquedumidi\">Facebook</a></li>\
             <li><a href=\"https://x.com/kiosquedumidi\">X</a></li></ul>\n</header>\n",
            name = escape(&self.name),
            base = self.base
        )
    }

    fn page(&self, title: &str, head: &str, main: &str) -> String {
        format!(
            "<!DOCTYPE html>\n<html lang=\"fr-FR\">\n<head>\n<meta charset=\"UTF-8\">\n<title>{title} – {name}</title>\n\
             <meta property=\"og:site_name\" content=\"{name}\">\n{links}{head}\
             <script>window.dataLayer = window.dataLayer || [];</script>\n</head>\n<body>\n{header}\
             <div id=\"content\" class=\"site-content\">\n<main id=\"main\" class=\"site-main\">\n{main}</main>\n{sidebar}</div>\n\
             <footer class=\"site-footer\"><p>© {name}. <a href=\"{base}/mentions-legales/\">Mentions légales</a></p></footer>\n\
             </body>\n</html>\n",
            name = escape(&self.name),
            links = if self.options.plain {
                String::new()
            } else {
                format!(
                    "<link rel=\"https://api.w.org/\" href=\"{base}/wp-json/\">\n\
                     <link rel=\"alternate\" type=\"application/rss+xml\" href=\"{base}/feed/\">\n",
                    base = self.base
                )
            },
            header = self.header(),
            sidebar = self.sidebar(),
            base = self.base,
        )
    }

    fn sidebar(&self) -> String {
        let latest: String = self
            .articles
            .iter()
            .take(5)
            .map(|a| format!("<li><a href=\"{}\">{}</a></li>", self.link(a), a.title))
            .collect();
        format!(
            "<aside id=\"secondary\" class=\"widget-area\"><section class=\"widget widget_recent_entries\">\
             <h2 class=\"widget-title\">Articles récents</h2><ul>{latest}</ul></section>\
             <section class=\"widget widget_newsletter\"><h2>Newsletter</h2><p>Recevez nos articles chaque matin.</p>\
             <form><input type=\"email\"><button>S’inscrire</button></form></section></aside>\n"
        )
    }

    fn teaser(&self, article: &ArticleData) -> String {
        format!(
            "<article class=\"post\"><h2 class=\"entry-title\"><a href=\"{link}\">{title}</a></h2>\
             <time class=\"entry-date\" datetime=\"{date}\">{shown}</time><p>{excerpt}</p></article>\n",
            link = self.link(article),
            title = article.title,
            date = article.date.to_rfc3339(),
            shown = day_date(&article.date, Lang::Fr),
            excerpt = excerpt(&article.body),
        )
    }

    fn home(&self) -> String {
        let list: String = self.articles.iter().take(10).map(|a| self.teaser(a)).collect();
        self.page("Accueil", "", &format!("<h1 class=\"screen-reader-text\">{}</h1>\n{list}", escape(&self.name)))
    }

    fn category_page(&self, category: &Category) -> String {
        let list: String =
            self.articles.iter().filter(|a| self.in_category(a, category)).map(|a| self.teaser(a)).collect();
        let feed = if self.options.plain {
            String::new()
        } else {
            format!(
                "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Flux de la catégorie\" href=\"{}feed/\">\n",
                self.category_link(category)
            )
        };
        let main = format!("<h1 class=\"page-title\">{}</h1>\n{list}", category.name);
        self.page(&category.name, &feed, &main)
    }

    fn article_page(&self, index: usize) -> String {
        let article = &self.articles[index];
        let sections: Vec<&Category> = self.categories_of(article);
        let section = sections.first().map(|c| c.name.as_str()).unwrap_or_default();
        let related: String = self
            .articles
            .iter()
            .filter(|a| a.slug != article.slug)
            .take(3)
            .map(|a| format!("<li><a href=\"{}\">{}</a></li>", self.link(a), a.title))
            .collect();
        let head = format!(
            "<meta property=\"og:type\" content=\"article\">\n<meta property=\"og:title\" content=\"{title}\">\n\
             <meta property=\"article:published_time\" content=\"{date}\">\n\
             <meta property=\"article:section\" content=\"{section}\">\n",
            title = article.title,
            date = article.date.to_rfc3339(),
        );
        let main = format!(
            "<article id=\"post-{id}\" class=\"post type-post status-publish\">\n<header class=\"entry-header\">\
             <span class=\"cat-links\">{section}</span>\n<h1 class=\"entry-title\">{title}</h1>\n\
             <div class=\"entry-meta\"><span class=\"byline\">Par <span class=\"author vcard\">{author}</span></span> \
             <span class=\"posted-on\">Publié le <time class=\"entry-date published\" datetime=\"{date}\">{shown}</time>\
             </span></div></header>\n\
             <div class=\"share-buttons\"><a href=\"https://www.facebook.com/sharer.php\">Partager sur Facebook</a> \
             <a href=\"https://x.com/intent/tweet\">Partager sur X</a></div>\n\
             <div class=\"entry-content\">\n{body}</div>\n\
             <div class=\"author-box\"><h3>À propos de {author}</h3><p>{author} écrit pour {name} depuis 2019.</p></div>\n\
             <div class=\"related-posts\"><h3>À lire aussi</h3><ul>{related}</ul></div>\n</article>\n\
             <div id=\"comments\" class=\"comments-area\"><h2>2 commentaires</h2><ol class=\"comment-list\">\
             <li><p>Très bon article, merci !</p></li><li><p>Enfin une bonne nouvelle.</p></li></ol></div>\n",
            id = self.post_id(index),
            title = article.title,
            author = escape(&article.author),
            date = article.date.to_rfc3339(),
            shown = day_date(&article.date, Lang::Fr),
            body = article.body,
            name = escape(&self.name),
        );
        self.page(&article.title, &head, &main)
    }

    fn feed(&self, category: Option<&Category>) -> Response {
        let items: String = self
            .articles
            .iter()
            .enumerate()
            .filter(|(_, a)| category.is_none_or(|c| self.in_category(a, c)))
            .map(|(i, a)| {
                let categories: String = self
                    .categories_of(a)
                    .iter()
                    .map(|c| format!("<category><![CDATA[{}]]></category>", unescape_amp(&c.name)))
                    .collect();
                format!(
                    "<item><title>{title}</title><link>{link}</link><dc:creator><![CDATA[{author}]]></dc:creator>\
                     <pubDate>{date}</pubDate>{categories}<guid isPermaLink=\"false\">{base}/?p={id}</guid>\
                     <description><![CDATA[<p>{excerpt}</p>]]></description>\
                     <content:encoded><![CDATA[{body}]]></content:encoded></item>\n",
                    title = texturize(&a.title),
                    link = self.link(a),
                    author = a.author,
                    date = a.date.to_rfc2822(),
                    base = self.base,
                    id = self.post_id(i),
                    excerpt = excerpt(&a.body),
                    body = a.body,
                )
            })
            .collect();
        let title = match category {
            Some(c) => format!("{} – {}", escape(&self.name), c.name),
            None => escape(&self.name),
        };
        let body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" \
             xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
             <channel><title>{title}</title><link>{base}/</link><description>{description}</description>\
             <language>fr-FR</language>\n{items}</channel></rss>\n",
            base = self.base,
            description = escape(&self.description),
        );
        Response { status: 200, content_type: "application/rss+xml; charset=UTF-8", headers: Vec::new(), body }
    }
}

/// One page of a REST collection, with WordPress's paging headers and errors.
fn paged(items: Vec<Value>, per_page: Option<String>, page: Option<String>) -> Response {
    let per_page: usize = per_page.and_then(|p| p.parse().ok()).unwrap_or(10);
    let page: usize = page.and_then(|p| p.parse().ok()).unwrap_or(1);
    if !(1..=100).contains(&per_page) || page == 0 {
        return Response::json(400, &json!({"code": "rest_invalid_param", "data": {"status": 400}}));
    }
    let pages = items.len().div_ceil(per_page).max(1);
    if page > pages {
        return Response::json(400, &json!({"code": "rest_post_invalid_page_number", "data": {"status": 400}}));
    }
    let slice: Vec<Value> = items.iter().skip((page - 1) * per_page).take(per_page).cloned().collect();
    let mut response = Response::json(200, &Value::Array(slice));
    response.headers = vec![("x-wp-total", items.len().to_string()), ("x-wp-totalpages", pages.to_string())];
    response
}

fn not_found() -> Response {
    Response::status(404, "Page introuvable")
}

fn unescape_amp(text: &str) -> String {
    text.replace("&amp;", "&")
}

/// Titles as WordPress serves them: typographic apostrophes as numeric entities.
fn texturize(title: &str) -> String {
    title.replace('’', "&#8217;")
}

/// The first sentence of the body, without markup.
fn excerpt(body: &str) -> String {
    let text = regex::Regex::new("<[^>]*>").expect("valid pattern").replace_all(body, "").to_string();
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match text.find(". ") {
        Some(end) => format!("{} […]", &text[..=end]),
        None => text,
    }
}

/// Authors are numbered by name, as the API needs an id.
fn author_id(name: &str) -> u32 {
    name.bytes().fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b))) % 1000
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site::new("http://127.0.0.1:1", Options::default())
    }

    #[test]
    fn the_menu_has_six_sections_of_four_to_eight() {
        let site = site();
        let tops: Vec<&Category> = site.categories.iter().filter(|c| c.parent == 0 && c.id != UNCATEGORIZED).collect();
        assert_eq!(tops.len(), 6);
        for top in tops {
            let children = site.categories.iter().filter(|c| c.parent == top.id).count();
            assert!((4..=8).contains(&children), "{}: {children}", top.name);
        }
        let home = site.respond("/").body;
        assert!(home.contains("menu-item-object-category menu-item-has-children"), "{home}");
        assert!(home.contains(">Blagues &amp; histoires drôles</a>"));
    }

    #[test]
    fn every_article_is_in_a_known_section_and_has_a_page() {
        let site = site();
        for article in &site.articles {
            assert_eq!(site.categories_of(article).len(), article.sections.len(), "{}", article.slug);
            let path = site.link(article).replace("http://127.0.0.1:1", "");
            let page = site.respond(&path);
            assert_eq!(page.status, 200, "{path}");
            assert!(page.body.contains("class=\"entry-content\""));
        }
    }

    #[test]
    fn the_api_pages_and_refuses_pages_past_the_end() {
        let site = site();
        let first = site.respond("/wp-json/wp/v2/categories?per_page=10&page=1");
        let total: usize = first.headers.iter().find(|(n, _)| *n == "x-wp-total").unwrap().1.parse().unwrap();
        assert_eq!(total, site.categories.len());
        let pages = total.div_ceil(10);
        assert_eq!(site.respond(&format!("/wp-json/wp/v2/categories?per_page=10&page={pages}")).status, 200);
        assert_eq!(site.respond(&format!("/wp-json/wp/v2/categories?per_page=10&page={}", pages + 1)).status, 400);
        let closed = Site::new("http://127.0.0.1:1", Options { api_status: 401, ..Options::default() });
        assert_eq!(closed.respond("/wp-json/wp/v2/categories").status, 401);
        assert_eq!(closed.respond("/category/actualites/high-tech/feed/").status, 200);
    }
}
