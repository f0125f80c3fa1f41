//! Article rendering: structure kept (headings, lists, quotes, code), links as numbered
//! footnotes, images as `[image: alt]`, no line wider than asked, no escape sequence.

use kiosque::render::{self, Header, Line, Role};
use kiosque::sources::feed;
use unicode_width::UnicodeWidthStr;
use url::Url;

fn fixture_article() -> (String, Option<String>, String) {
    let bytes = std::fs::read("tests/fixtures/feeds/actualites.rss").unwrap();
    let parsed = feed::parse(&bytes, &Url::parse("https://kiosque-du-midi.example/feed/").unwrap(), None).unwrap();
    let a = parsed.articles.into_iter().next().unwrap();
    (a.title, a.url, a.content.unwrap())
}

fn render_at(width: usize) -> Vec<Line> {
    let (title, url, html) = fixture_article();
    let meta = vec!["Camille Durand · Le Kiosque du Midi · vendredi 28 novembre 2025 à 14:05".to_owned()];
    let base = url.as_deref().map(|u| Url::parse(u).unwrap());
    render::article(&Header { title: &title, meta: &meta }, Some(&html), base.as_ref(), width)
}

#[test]
fn article_at_80_columns() {
    insta::assert_snapshot!(render::plain(&render_at(80)));
}

#[test]
fn article_at_40_columns() {
    insta::assert_snapshot!(render::plain(&render_at(40)));
}

fn roles_of(lines: &[Line], needle: &str) -> Vec<Role> {
    lines.iter().flat_map(|l| &l.spans).filter(|s| s.text.contains(needle)).map(|s| s.style.role).collect()
}

#[test]
fn structure_is_kept_as_styles() {
    let lines = render_at(80);
    assert_eq!(roles_of(&lines, "Les bibliothèques de Lyon"), [Role::Title]);
    assert_eq!(roles_of(&lines, "Camille Durand"), [Role::Meta]);
    assert_eq!(roles_of(&lines, "Ce qui change"), [Role::Heading]);
    assert_eq!(roles_of(&lines, "navette de retour"), [Role::Link]);
    assert_eq!(roles_of(&lines, "[1]"), [Role::LinkRef, Role::Footnote]);
    assert_eq!(roles_of(&lines, "familles"), [Role::Quote]);
    assert_eq!(roles_of(&lines, "[image: La salle"), [Role::Image]);
    let strong = lines.iter().flat_map(|l| &l.spans).find(|s| s.text == "douze bibliothèques").unwrap();
    assert!(strong.style.strong);
}

#[test]
fn no_line_is_wider_than_asked_at_any_width() {
    let (title, url, html) = fixture_article();
    let wide = "<table><tr><td>averyveryveryverylongwordwithoutanyspaceatallthatmustbesplit</td><td>x</td></tr></table>\
                <pre>let code = \"a line of preformatted code that is much longer than the pane\";</pre>\
                <ul><li><ul><li><ul><li>nested deeply 日本語のニュースを読む</li></ul></li></ul></li></ul>";
    let meta = vec!["日本語 · un auteur au nom très long · vendredi 28 novembre 2025 à 14:05".to_owned()];
    let base = url.as_deref().map(|u| Url::parse(u).unwrap());
    for body in [html.as_str(), wide] {
        for width in (1..=24).chain([31, 40, 57, 80, 99, 120]) {
            let lines = render::article(&Header { title: &title, meta: &meta }, Some(body), base.as_ref(), width);
            for line in &lines {
                assert!(line.width() <= width, "width {width}: {:?} is {} wide", line.text(), line.text().width());
            }
        }
    }
}

#[test]
fn page_text_cannot_inject_escapes_or_forge_headings() {
    let html = "<p>\x01Not a heading \x1b[2J\x1b]0;title\x07cleared</p><p>\x02 nor a quote</p>";
    let lines = render::body(html, None, 60);
    let text = render::plain(&lines);
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'), "{text:?}");
    assert!(lines.iter().flat_map(|l| &l.spans).all(|s| s.style.role == Role::Body), "{lines:?}");
    assert!(text.contains("Not a heading"));
}

#[test]
fn empty_and_broken_markup_render_without_panicking() {
    assert!(render::body("", None, 40).is_empty());
    let broken = "<div><p>Unclosed <b>bold <i>and <a href='x'>link";
    assert!(render::plain(&render::body(broken, None, 40)).contains("Unclosed bold and link"));
    let nested = "<div>".repeat(10_000) + "deep" + &"</div>".repeat(10_000);
    assert!(render::plain(&render::body(&nested, None, 40)).contains("deep"));
}

#[test]
fn quotes_lists_tables_and_preformatted_text() {
    let html = "<blockquote><p>Un.</p><p>Deux.</p></blockquote><p>Après.</p>\
        <ol start=\"9\"><li>neuf</li><li>dix<ul><li>imbriqué, assez long pour passer à la ligne</li></ul></li></ol>\
        <table><tr><th>Ville</th><th>Habitants</th></tr><tr><td>Lyon</td><td><p>522 000</p></td></tr></table>\
        <pre>  fn main() {\n\tprintln!(\"x\");\n  }</pre><p>Fin<br>ligne suivante</p>\
        <script>alert(1)</script><p>Un <a href=\"#note\">renvoi interne</a> et <a href=\"javascript:x()\">un script</a>.</p>";
    insta::assert_snapshot!(render::plain(&render::body(html, None, 30)));
}

fn layout_page(width: usize) -> Vec<Line> {
    let html = std::fs::read_to_string("tests/fixtures/pages/layout.html").unwrap();
    let base = Url::parse("https://lyon.example/2025/12/02/budget/").unwrap();
    render::body(&html, Some(&base), width)
}

/// html2text's layout of a page with a table, nested lists, quotes, code, a figure,
/// right-to-left and wide characters: columns aligned, every line within the width.
#[test]
fn layout_page_at_40_columns() {
    insta::assert_snapshot!(render::plain(&layout_page(40)));
}

#[test]
fn layout_page_at_80_columns() {
    insta::assert_snapshot!(render::plain(&layout_page(80)));
}

#[test]
fn layout_page_roles_and_widths() {
    for width in [20, 40, 57, 80, 120] {
        for line in layout_page(width) {
            assert!(line.width() <= width, "width {width}: {:?} is {} wide", line.text(), line.width());
        }
    }
    let lines = layout_page(80);
    assert_eq!(roles_of(&lines, "Budget : ce que"), [Role::Heading]);
    assert_eq!(roles_of(&lines, "Dépenses par poste"), [Role::Meta], "the table's caption");
    assert_eq!(roles_of(&lines, "Le conseil municipal, le"), [Role::Meta], "the figure's caption");
    assert_eq!(roles_of(&lines, "┼"), [Role::Meta; 3], "the table's rules");
    assert_eq!(roles_of(&lines, "budget-2026.csv"), [Role::Code]);
    assert_eq!(roles_of(&lines, "if total > plafond"), [Role::Code]);
    assert_eq!(roles_of(&lines, "Citation dans la citation"), [Role::Quote]);
    assert_eq!(roles_of(&lines, "[image: Le conseil"), [Role::Image]);
    let strike = lines.iter().flat_map(|l| &l.spans).find(|s| s.text.contains("encore provisoire")).unwrap();
    assert!(strike.style.strike, "struck out by style, not by combining characters");
    // The columns line up: each row's bars stand where the header's do.
    let rows: Vec<String> = lines
        .iter()
        .map(Line::text)
        .filter(|t| t.contains('│') && ["2025", "312,4", "84,2"].iter().any(|v| t.contains(v)))
        .collect();
    let bars = |row: &str| row.chars().enumerate().filter(|(_, c)| *c == '│').map(|(i, _)| i).collect::<Vec<_>>();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(rows.iter().all(|r| bars(r) == bars(&rows[0]) && bars(r).len() == 3), "{rows:#?}");
}

/// The same page for `kiosque read --format markdown` and `--format json`'s text.
#[test]
fn layout_page_as_markdown_and_as_text() {
    let html = std::fs::read_to_string("tests/fixtures/pages/layout.html").unwrap();
    let base = Url::parse("https://lyon.example/2025/12/02/budget/").unwrap();
    insta::assert_snapshot!("layout_page_markdown", render::markdown(&html, Some(&base)));
    let text = render::text(&html);
    insta::assert_snapshot!("layout_page_text", text);
    assert!(!text.contains("[image") && !text.contains("[1]") && !text.contains('─'), "words only: {text}");
}

/// Regression: a page without a title began with two blank lines (`kiosque read` on a
/// fragment).
#[test]
fn an_article_without_a_title_starts_with_its_text() {
    let lines = render::article(&Header { title: " ", meta: &[] }, Some("<p>Le texte.</p>"), None, 40);
    assert_eq!(render::plain(&lines), "Le texte.\n");
}
