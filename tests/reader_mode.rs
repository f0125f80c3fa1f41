//! Reader mode on the project's own fixture pages: metadata from OpenGraph, JSON-LD and
//! visible French dates; the body without menus, share buttons, author box, related
//! posts and comments; `kiosque read` in its three formats; and bad input.

use std::process::{Command, Output};

use chrono::DateTime;
use kiosque::extract::{self, ExtractError, Extracted};
use url::Url;

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap()
}

fn page(name: &str) -> Extracted {
    let bytes = std::fs::read(format!("tests/fixtures/pages/{name}")).unwrap();
    let (html, _) = extract::decode(&bytes, None);
    let url = Url::parse("https://kiosque-du-midi.example/2025/11/28/bibliotheques/").unwrap();
    extract::extract(&html, Some(&url), now()).unwrap()
}

fn kiosque(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_kiosque"));
    command
        .args(args)
        .env("KIOSQUE_CONFIG", home.path().join("absent.toml"))
        .env("KIOSQUE_DATA_DIR", home.path().join("data"))
        .env("LANG", "fr_FR.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_TIME");
    if let Some(input) = stdin {
        use std::io::Write;
        command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = command.spawn().unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        return child.wait_with_output().unwrap();
    }
    command.output().unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn a_wordpress_article_comes_out_alone_with_its_metadata() {
    let article = page("wordpress-article.html");
    assert_eq!(article.title, "Lyon : les bibliothèques ouvriront le dimanche dès janvier");
    assert_eq!(article.byline.as_deref(), Some("Camille Durand"));
    assert_eq!(article.published.unwrap().to_rfc3339(), "2025-11-28T13:05:00+00:00");
    assert_eq!(article.modified.unwrap().to_rfc3339(), "2025-11-28T16:40:00+00:00");
    assert_eq!(article.section.as_deref(), Some("Actualités"));
    assert_eq!(article.site_name.as_deref(), Some("Le Kiosque du Midi"));
    assert_eq!(article.lang.as_deref(), Some("fr-FR"));
    for kept in
        ["Après deux ans d’essai", "Ce qui change pour les lecteurs", "navette de retour", "Villeurbanne envisage"]
    {
        assert!(article.text().contains(kept), "{kept} is missing:\n{}", article.text());
    }
    for clutter in [
        "Partager sur",
        "Envoyer par e-mail",
        "À lire aussi",
        "commentaires",
        "Il était temps",
        "Les plus lus",
        "Newsletter",
        "Mentions légales",
        "Camille couvre",
        "High-tech",
        "dataLayer",
    ] {
        assert!(!article.text().contains(clutter), "{clutter} should be gone:\n{}", article.text());
    }
}

#[test]
fn json_ld_gives_authors_dates_and_the_breadcrumb_section() {
    let article = page("jsonld-article.html");
    assert_eq!(article.title, "Rivers return to the Rhine valley");
    assert_eq!(article.byline.as_deref(), Some("Lena Hoffmann and Tomás Ruiz"));
    assert_eq!(article.published.unwrap().to_rfc3339(), "2025-11-26T07:30:00+01:00");
    assert_eq!(article.modified.unwrap().to_rfc3339(), "2025-11-27T09:00:00+01:00");
    assert_eq!(article.section.as_deref(), Some("World › Europe"));
    assert_eq!(article.site_name.as_deref(), Some("The Daily Example"));
    assert_eq!(article.image.as_deref(), Some("https://daily.example/img/rhine.jpg"));
    assert!(article.text().contains("Salmon were seen spawning near Basel"));
    assert!(!article.text().contains("Subscribe") && !article.text().contains("morning briefing"));
}

#[test]
fn a_windows_1252_page_with_a_french_date_in_its_text() {
    let bytes = std::fs::read("tests/fixtures/pages/latin1-article.html").unwrap();
    let (html, encoding) = extract::decode(&bytes, None);
    assert_eq!(encoding, "windows-1252");
    let article = extract::extract(&html, None, now()).unwrap();
    assert_eq!(article.title, "Le cœur des cafés parisiens");
    assert_eq!(article.byline.as_deref(), Some("Élodie Lefèvre"));
    assert_eq!(article.published.unwrap().format("%Y-%m-%d %H:%M").to_string(), "2025-12-01 14:05");
    assert!(article.text().contains("1,80 € en moyenne") && article.text().contains("l’œuf mayonnaise"));
}

/// A page streamed by React keeps its article in a hidden part that a script moves into
/// place: it is read as shown, while a paragraph hidden for good stays out.
#[test]
fn a_streamed_page_is_read_as_the_browser_shows_it() {
    let article = page("streamed-article.html");
    assert_eq!(article.title, "La fibre arrive dans les villages de la Drôme");
    assert!(article.text().starts_with("Le département achève cette année"), "{}", article.text());
    assert!(article.text().contains("180 millions d'euros"), "{}", article.text());
    assert!(!article.text().contains("paragraphe caché"), "{}", article.text());
    assert!(!article.text().contains("Mentions légales"), "{}", article.text());
}

/// Regression, seen in the demo: an article of one sentence, beside a sidebar of recent
/// posts, came out as the sidebar (dom_smoothie took the longer text, all of it links).
#[test]
fn a_short_article_is_not_traded_for_a_sidebar_of_links() {
    let text = page("short-article.html").text();
    assert!(text.contains("Trois clubs se tiennent en deux points"), "{text}");
    assert!(!text.contains("Articles récents") && !text.contains("Lyon : les bibliothèques"), "{text}");
}

/// An old page writes its paragraphs between `<br><br>`, each in a `<font>`: each stays
/// a paragraph of its own, and no two words run together across the breaks. Its
/// headline, in bold above them, is the title and is not said twice.
#[test]
fn paragraphs_written_with_line_breaks_stay_apart() {
    let article = page("breaks-article.html");
    assert_eq!(article.title, "La chronique du vieux port");
    let text = article.text();
    assert!(!text.contains("La chronique"), "{text}");
    let paragraphs: Vec<&str> = text.split("\n\n").map(str::trim).collect();
    for start in ["Ce matin, les pêcheurs", "Au marché, les prix", "Les photos du port", "Demain, le vent"] {
        assert!(paragraphs.iter().any(|p| p.starts_with(start)), "{start:?} does not start a paragraph in:\n{text}");
    }
    assert!(!text.contains("hiver.Les") && !text.contains("portDemain"), "{text}");
}

/// An article whose steps sit in an accordion, closed until clicked: reader mode opens
/// them, and leaves closed the site's menu and search box that buttons open too.
#[test]
fn closed_accordion_panels_are_read_and_hidden_menus_are_not() {
    let text = page("accordion-article.html").text();
    for step in ["1. Lire sa facture", "La consommation annuelle", "trois devis au moins", "Une déclaration préalable"]
    {
        assert!(text.to_lowercase().contains(&step.to_lowercase()), "{step:?} is missing from:\n{text}");
    }
    assert!(!text.contains("Culture") && !text.contains("Votre recherche"), "{text}");
}

/// An old page laid out in a table: dom_smoothie keeps the table as a `div` with its
/// cells in it, and each cell stays a block, its words apart from the next cell's.
#[test]
fn the_cells_of_a_layout_table_do_not_run_together() {
    let text = page("table-layout.html").text();
    assert!(text.contains("Ce matin, les pêcheurs") && text.contains("comme chaque hiver"), "{text}");
    assert!(text.lines().all(|line| !(line.contains("Liens") && line.contains("marché"))), "{text}");
}

#[test]
fn titles_lose_the_site_name() {
    let html = "<html><head><title>Une réforme votée – 42mag.fr</title></head><body><article>\
                <p>Le texte a été adopté par 289 voix contre 262, après trois jours de débats animés dans l’hémicycle.</p>\
                <p>Le Sénat l’examinera à partir du 4 décembre, avec de nombreux amendements annoncés par l’opposition.</p>\
                </article></body></html>";
    let url = Url::parse("https://42mag.fr/2025/11/reforme/").unwrap();
    assert_eq!(extract::extract(html, Some(&url), now()).unwrap().title, "Une réforme votée");
}

/// Regressions: a headline escaped twice came out as "And finally&#8230;"; a headline in
/// two lines came out glued ("(US)Your"); a page without an article had no title.
#[test]
fn titles_are_read_as_the_page_shows_them() {
    let body = "<p>Un paragraphe assez long pour être un article, avec des mots et des phrases. </p>".repeat(8);
    let title = |head: &str, body: &str| {
        let html = format!("<html><head>{head}</head><body>{body}</body></html>");
        extract::extract(&html, None, now()).unwrap().title
    };
    let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"And finally&amp;#8230; trouble brewing"}</script>"#;
    assert_eq!(title(ld, &body), "And finally… trouble brewing");
    let h1 = format!("<h1>Top MBA Programs of 2025 (US)<br><span>Your Guide</span></h1><article>{body}</article>");
    assert_eq!(
        title("<title>Top MBA Programs of 2025 (US) Your Guide</title>", &h1),
        "Top MBA Programs of 2025 (US) Your Guide"
    );
    // Inline markup does not cut a word.
    let h1 = format!("<h1>Le grand <em>ré</em>aménagement<wbr>-éclair de la gare</h1><article>{body}</article>");
    assert_eq!(
        title("<title>Le grand réaménagement-éclair de la gare</title>", &h1),
        "Le grand réaménagement-éclair de la gare"
    );
    let nothing = "<meta property=\"og:title\" content=\"2025 in Review\"><title>Other</title>";
    assert_eq!(title(nothing, "<nav><a href='/'>Home</a></nav>"), "2025 in Review");
    // Several <h1>: not the logo (a link), not the blog's name; the one that says most of
    // what the page's title says.
    let several = format!(
        "<h1><a href='/'>Giordano's Catering Blog</a></h1><h1>The Blog</h1>\
         <h1>Catering 101: Catering Tips to Make Your Next Event a Success</h1><article>{body}</article>"
    );
    let head = "<title>Catering Tips for a Successful Event | Giordano's Catering Blog</title>";
    assert_eq!(title(head, &several), "Catering 101: Catering Tips to Make Your Next Event a Success");
    // The <h1> agrees with OpenGraph where the JSON-LD headline, which dom_smoothie takes,
    // is another one.
    let other_ld = r#"<script type="application/ld+json">{"@type":"Article","headline":"Sample menus"}</script>
        <meta property="og:title" content="7 days of healthy meals on a budget">"#;
    let h1 = format!("<h1>7 days of healthy meals on a budget</h1><article>{body}</article>");
    assert_eq!(title(other_ld, &h1), "7 days of healthy meals on a budget");
}

#[test]
fn read_text_at_80_columns() {
    let out = kiosque(
        &[
            "read",
            "--width",
            "80",
            "--base-url",
            "https://kiosque-du-midi.example/2025/11/28/x/",
            "tests/fixtures/pages/wordpress-article.html",
        ],
        None,
    );
    insta::assert_snapshot!(stdout(&out));
}

#[test]
fn read_text_at_40_columns() {
    let out = kiosque(
        &[
            "read",
            "--width",
            "40",
            "--base-url",
            "https://kiosque-du-midi.example/2025/11/28/x/",
            "tests/fixtures/pages/wordpress-article.html",
        ],
        None,
    );
    let text = stdout(&out);
    assert!(text.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 40));
    insta::assert_snapshot!(text);
}

#[test]
fn read_json_has_every_field() {
    let out = kiosque(&["read", "--format", "json", "tests/fixtures/pages/jsonld-article.html"], None);
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for field in
        ["url", "title", "byline", "published", "modified", "site_name", "lang", "section", "image", "text", "html"]
    {
        assert!(json.get(field).is_some(), "{field} missing in {json}");
    }
    assert_eq!(json["url"], serde_json::Value::Null, "a file without --base-url has no URL");
    assert_eq!(json["published"], "2025-11-26T07:30:00+01:00");
    assert!(json["html"].as_str().unwrap().contains("<p>Salmon were seen spawning"));
}

#[test]
fn read_markdown_from_stdin() {
    let html = std::fs::read("tests/fixtures/pages/wordpress-article.html").unwrap();
    let out = kiosque(
        &["read", "--format", "markdown", "--base-url", "https://kiosque-du-midi.example/a/", "-"],
        Some(&html),
    );
    let markdown = stdout(&out);
    assert!(markdown.starts_with("# Lyon : les bibliothèques ouvriront le dimanche dès janvier\n"), "{markdown}");
    assert!(markdown.contains("## Ce qui change pour les lecteurs"), "{markdown}");
    assert!(markdown.contains("- les salles d’étude"), "{markdown}");
    assert!(
        markdown.contains("[navette de retour des livres](https://kiosque-du-midi.example/services/navette/)"),
        "{markdown}"
    );
    assert!(markdown.contains("> «\u{a0}Le dimanche"), "{markdown}");
    assert!(markdown.contains("**douze bibliothèques**"), "{markdown}");
}

#[test]
fn bad_input_gets_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.html");
    std::fs::write(&empty, "").unwrap();
    let binary = dir.path().join("binary.html");
    std::fs::write(&binary, (0..=255u8).cycle().take(100_000).collect::<Vec<_>>()).unwrap();
    let nothing = dir.path().join("menu.html");
    std::fs::write(&nothing, "<html><body><nav><a href='/'>Accueil</a></nav></body></html>").unwrap();
    for (file, message) in
        [(&empty, "empty page in"), (&binary, "binary data, not a web page, in"), (&nothing, "no article found in")]
    {
        let out = kiosque(&["read", file.to_str().unwrap()], None);
        assert_eq!(out.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(&format!("kiosque: {message} {}", file.display())), "{stderr}");
    }
    let out = kiosque(&["read", "--base-url", "ftp://example.com/", empty.to_str().unwrap()], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--base-url ftp://example.com/: only http and https"));
    let out = kiosque(&["read", &dir.path().join("missing.html").display().to_string()], None);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

#[test]
fn hostile_pages_are_bounded_and_cannot_reach_the_terminal() {
    let deep = "<html><body><article>".to_owned()
        + &"<div>".repeat(10_000)
        + "<p>Un paragraphe enfoui sous dix mille blocs, avec assez de mots pour être un article entier à lui seul, vraiment.</p>"
        + &"</div>".repeat(10_000)
        + "</article></body></html>";
    let started = std::time::Instant::now();
    let article = extract::extract(&deep, None, now()).unwrap();
    assert!(article.text().contains("enfoui sous dix mille blocs"));
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "bounded, not quadratic");

    let escapes = "<html><head><title>Titre\u{1b}]0;pwned\u{7}</title></head><body><article><p>Texte \u{1b}[2J\u{1b}[31mrouge \
                   avec assez de mots pour passer pour un article de presse ordinaire, et même un peu plus long.</p></article></body></html>";
    let article = extract::extract(escapes, None, now()).unwrap();
    for text in [&article.title, &article.text()] {
        assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'), "{text:?}");
    }
    assert_eq!(extract::extract("   ", None, now()).unwrap_err(), ExtractError::Empty);
}

#[test]
fn a_fifty_megabyte_page_is_cut_not_choked_on() {
    let paragraph =
        "<p>Une phrase ordinaire qui se répète, comme dans une page interminable générée par un serveur en boucle.</p>";
    let huge = "<html><body><article>".to_owned()
        + &paragraph.repeat(50 * 1024 * 1024 / paragraph.len() + 1)
        + "</article></body></html>";
    assert!(huge.len() >= 50 * 1024 * 1024);
    let article = extract::extract(&huge, None, now()).unwrap();
    assert!(article.text().len() <= extract::MAX_PAGE_BYTES);
    assert!(article.text().starts_with("Une phrase ordinaire"));
}
