//! Where a site lives and what it is called, from any of its pages. A site may sit under
//! a path (`https://example.org/blog/`): its home is where its API, its home link or its
//! logo point, never simply the host's root. Its name is the one it gives itself
//! (OpenGraph, JSON-LD), else its home page's title without the tagline, never the title
//! of the page the user happened to paste. Pure: `discover` fetches.

use dom_query::Document;
use url::Url;

use crate::sanitize::{clean_line, fold, fold_words};

/// The site's home from its WordPress API root: `…/blog/wp-json/` or `…/blog/?rest_route=/`.
pub fn from_api(api: &Url) -> Url {
    let mut home = api.clone();
    home.set_query(None);
    home.set_fragment(None);
    let path = home.path().to_owned();
    let path = path.strip_suffix("wp-json/").or_else(|| path.strip_suffix("wp-json")).unwrap_or(&path);
    home.set_path(&directory(path));
    home
}

/// The site's home as a page shows it: its `rel="home"` link, else the link of its logo
/// (an image: drawings are taken out of pages before they are read), when that is on the
/// same host and above the page; else the host's root.
pub fn from_page(document: &Document, page: &Url) -> Url {
    const CANDIDATES: &str = "link[rel~='home' i][href], a[rel~='home' i][href], header a[href]:has(img), \
        a[href][class*='logo' i], a[href][class*='brand' i], [class*='logo' i] > a[href], [class*='site-title' i] a[href]";
    for link in document.select(CANDIDATES).nodes() {
        let href = link.attr("href").map(|h| h.trim().to_owned()).unwrap_or_default();
        // A button (`#`) says nothing of the home.
        if href.is_empty() || href.starts_with('#') {
            continue;
        }
        let Ok(url) = page.join(&href) else { continue };
        if let Some(home) = above(&url, page) {
            return home;
        }
    }
    root_of(page)
}

/// The host's root: `https://example.org/`.
pub fn root_of(page: &Url) -> Url {
    let mut root = page.clone();
    root.set_path("/");
    root.set_query(None);
    root.set_fragment(None);
    root
}

/// Whether `page` is the home page itself (`/blog/`, `/blog/index.php`, `/blog`).
pub fn is_home(page: &Url, home: &Url) -> bool {
    same_host(page, home)
        && directory(page.path().trim_end_matches("index.php").trim_end_matches("index.html")) == home.path()
}

/// Whether `url` is `home` or a page below it.
pub fn is_under(url: &Url, home: &Url) -> bool {
    same_host(url, home) && (url.path().starts_with(home.path()) || directory(url.path()) == home.path())
}

/// `url` as a home, when it is on the page's host and the page is at or below it.
fn above(url: &Url, page: &Url) -> Option<Url> {
    if !crate::http::is_web(url) || !same_host(url, page) {
        return None;
    }
    let dir = directory(url.path().trim_end_matches("index.php").trim_end_matches("index.html"));
    if !page.path().starts_with(&dir) && directory(page.path()) != dir {
        return None;
    }
    let mut home = page.clone();
    home.set_path(&dir);
    home.set_query(None);
    home.set_fragment(None);
    Some(home)
}

/// Whether two addresses belong to the same site: the same registrable domain
/// (`sport.aktualne.cz` and `zpravy.aktualne.cz`, `www.bbc.co.uk` and `bbc.co.uk`), or
/// the same host and port where the host is an address.
pub fn same_site(a: &Url, b: &Url) -> bool {
    let site = |u: &Url| -> Option<(String, Option<u16>)> {
        let host = u.host_str()?.to_ascii_lowercase();
        if matches!(u.host(), Some(url::Host::Ipv4(_) | url::Host::Ipv6(_))) || !host.contains('.') {
            return Some((host, u.port_or_known_default()));
        }
        let labels: Vec<&str> = host.split('.').collect();
        let n = labels.len();
        // A second level under a country ("co.uk", "com.au") belongs to the country.
        let keep = if n >= 3 && labels[n - 1].len() == 2 && labels[n - 2].len() <= 3 { 3 } else { 2 };
        Some((labels[n.saturating_sub(keep)..].join("."), None))
    };
    site(a).is_some() && site(a) == site(b)
}

fn same_host(a: &Url, b: &Url) -> bool {
    let host = |u: &Url| u.host_str().map(|h| h.trim_start_matches("www.").to_ascii_lowercase());
    host(a) == host(b) && a.port_or_known_default() == b.port_or_known_default()
}

/// A path as a folder: `/blog` and `/blog/` are `/blog/`; a file's folder is its own.
fn directory(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or_default();
    let dir = if last.contains('.') { &path[..path.len() - last.len()] } else { path };
    let dir = dir.trim_end_matches('/');
    format!("{dir}/")
}

/// The name a site gives itself on a page: `og:site_name`, else JSON-LD's `WebSite` or
/// publisher.
pub fn declared_name(document: &Document) -> Option<String> {
    let og = document.select("meta[property='og:site_name' i]").attr("content").map(|c| clean_line(&c));
    og.filter(|n| !n.is_empty()).or_else(|| crate::extract::site_name(document))
}

/// A home page's title without its tagline: of "Le Kiosque du Midi – L’actualité du Sud",
/// the part that names the host, else the first that is not "Accueil"/"Home".
pub fn title_name(document: &Document, home: &Url) -> Option<String> {
    let title = clean_line(&document.select("title").first().text());
    let parts: Vec<&str> = split_title(&title).into_iter().filter(|p| !is_home_word(p)).collect();
    let key = |s: &str| fold_words(s).replace(' ', "");
    let host = home.host_str().unwrap_or_default().trim_start_matches("www.");
    let host_key = key(host.split('.').next().unwrap_or_default());
    let names_host = |part: &&&str| {
        let part = key(part);
        part.len() >= 3 && host_key.len() >= 3 && (part.contains(&host_key) || host_key.contains(&part))
    };
    parts.iter().find(names_host).or(parts.first()).map(|p| (*p).to_owned())
}

fn split_title(title: &str) -> Vec<&str> {
    const SEPARATORS: &[&str] = &[" | ", " – ", " — ", " - ", " · ", " :: ", " » ", " : ", ": "];
    let mut parts = vec![title];
    for separator in SEPARATORS {
        parts = parts.into_iter().flat_map(|p| p.split(separator)).collect();
    }
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).collect()
}

fn is_home_word(part: &str) -> bool {
    matches!(fold(part).as_str(), "accueil" | "home" | "homepage" | "home page" | "page d'accueil" | "bienvenue")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_api_root_gives_the_home_with_its_path() {
        assert_eq!(from_api(&url("https://example.org/blog/wp-json/")).as_str(), "https://example.org/blog/");
        assert_eq!(from_api(&url("https://example.org/blog/?rest_route=/")).as_str(), "https://example.org/blog/");
        assert_eq!(from_api(&url("https://example.org/index.php?rest_route=/")).as_str(), "https://example.org/");
        assert_eq!(from_api(&url("https://example.org/wp-json/")).as_str(), "https://example.org/");
    }

    #[test]
    fn a_page_names_its_home_by_rel_home_or_its_logo() {
        let page = url("https://example.org/blog/2025/11/28/un-article/");
        let rel = Document::from("<a href='/' >Example Corp</a><a rel='home' href='/blog/'>Le blog</a>");
        assert_eq!(from_page(&rel, &page).as_str(), "https://example.org/blog/");
        let logo = Document::from("<header><a href='/blog/index.php'><img alt='Le blog'></a></header>");
        assert_eq!(from_page(&logo, &page).as_str(), "https://example.org/blog/");
        let button = Document::from("<header><a href='#'><svg></svg></a><a href=''><img></a></header>");
        assert_eq!(from_page(&button, &page).as_str(), "https://example.org/");
        let elsewhere = Document::from("<a rel='home' href='https://other.example/blog/'>x</a>");
        assert_eq!(from_page(&elsewhere, &page).as_str(), "https://example.org/");
        let beside = Document::from("<a rel='home' href='/shop/'>x</a>");
        assert_eq!(from_page(&beside, &page).as_str(), "https://example.org/", "not above the page");
        assert!(is_home(&url("https://example.org/blog"), &url("https://example.org/blog/")));
        assert!(!is_home(&page, &url("https://example.org/blog/")));
        assert!(is_under(&page, &url("https://www.example.org/blog/")));
        assert!(!is_under(&url("https://example.org/shop/"), &url("https://example.org/blog/")));
        assert!(same_site(&url("https://sport.aktualne.cz/"), &url("https://zpravy.aktualne.cz/a/")));
        assert!(same_site(&url("https://www.bbc.co.uk/news"), &url("https://bbc.co.uk/")));
        assert!(!same_site(&url("https://shop.bbc.com/"), &url("https://www.bbc.co.uk/")));
        assert!(!same_site(&url("http://127.0.0.1:4000/"), &url("http://127.0.0.1:4001/")));
    }

    #[test]
    fn a_name_is_declared_or_the_title_without_its_tagline() {
        let og =
            Document::from("<meta property='og:site_name' content='Le Kiosque du Midi'><title>Sport – LKM</title>");
        assert_eq!(declared_name(&og).as_deref(), Some("Le Kiosque du Midi"));
        let ld = Document::from(
            r#"<script type="application/ld+json">{"@graph": [{"@type": "WebSite", "name": "Le Petit Blog"}]}</script>"#,
        );
        assert_eq!(declared_name(&ld).as_deref(), Some("Le Petit Blog"));
        let home = url("https://www.lemonde.fr/");
        let title = Document::from("<title>Le Monde.fr - Actualités et Infos en France et dans le monde</title>");
        assert_eq!(title_name(&title, &home).as_deref(), Some("Le Monde.fr"));
        let reversed = Document::from("<title>News, sport and opinion | The Guardian</title>");
        assert_eq!(title_name(&reversed, &url("https://www.theguardian.com/")).as_deref(), Some("The Guardian"));
        let accueil = Document::from("<title>Accueil – Le Kiosque du Midi</title>");
        assert_eq!(title_name(&accueil, &url("http://127.0.0.1:4000/")).as_deref(), Some("Le Kiosque du Midi"));
    }
}
