//! Reader mode keeps the article alone: what sits inside the article's element but is
//! not the article goes (lists of links elsewhere, sharing and newsletter prompts and
//! their small print, comment counts, the byline the header shows, a gallery's buttons,
//! breadcrumbs and tags, forms to fill in), and the real content that looks like it stays.

use chrono::DateTime;
use kiosque::extract;

fn text_of(name: &str) -> String {
    let html = std::fs::read_to_string(format!("tests/fixtures/boilerplate/{name}")).unwrap();
    let now = DateTime::parse_from_rfc3339("2025-11-28T15:00:00+01:00").unwrap();
    extract::extract(&html, None, now).unwrap().text()
}

fn assert_has(text: &str, kept: &[&str], gone: &[&str]) {
    for words in kept {
        assert!(text.contains(words), "{words:?} must stay:\n{text}");
    }
    for words in gone {
        assert!(!text.contains(words), "{words:?} must go:\n{text}");
    }
}

#[test]
fn a_list_of_links_elsewhere_goes_and_the_articles_own_list_stays() {
    assert_has(
        &text_of("related.html"),
        &["Le budget participatif", "La carte des travaux", "réunion publique le 15 janvier"],
        &["À lire aussi", "les nouvelles lignes de bus", "marché de Noël"],
    );
}

#[test]
fn sharing_newsletter_comments_and_the_byline_go() {
    assert_has(
        &text_of("sharing.html"),
        &["investissements portent", "By the end of the evening"],
        &["By Jane Doe", "Share this article", "morning briefing", "you agree", "12 comments", "Leave a reply"],
    );
}

#[test]
fn a_gallerys_buttons_go_and_its_caption_stays() {
    assert_has(
        &text_of("gallery.html"),
        &["The reading room, on the second floor.", "opens to the public on Saturday"],
        &["Image 1 of 8", "Close", "Next"],
    );
}

#[test]
fn a_form_to_fill_goes_with_its_labels_and_its_heading_line() {
    assert_has(
        &text_of("form.html"),
        &["comptoir de location", "primes d’assurance", "l’équipe prévention répond"],
        &["Remplissez le formulaire", "Prénom", "Nombre de salariés", "Champ obligatoire", "Envoyer"],
    );
}

#[test]
fn breadcrumbs_and_tags_go() {
    assert_has(&text_of("breadcrumbs.html"), &["investissements portent"], &["Accueil", "Mots-clés", "élus locaux"]);
}

#[test]
fn an_article_given_once_per_screen_size_is_read_once_and_its_chorus_twice() {
    let text = text_of("responsive.html");
    assert_eq!(text.matches("La commune a voté mardi soir").count(), 1, "{text}");
    assert_eq!(text.matches("Refrain : nous irons tous").count(), 2, "{text}");
}
