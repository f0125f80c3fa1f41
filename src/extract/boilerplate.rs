//! What reader mode keeps inside the article's element that is not the article: lists of
//! links to other pages (related, most read, tags, breadcrumbs), sharing and newsletter
//! prompts, comment counts and policies, the byline and dates the header already shows,
//! and a photo gallery's buttons. Found by structure and link density, and by the few
//! words such boxes say of themselves ("Related", "Share", "À lire aussi"), never by a
//! site's class names.
//!
//! Real content that looks like these stays: a list of links in the middle of the text,
//! or most of it, is the article's own.

use dom_query::{NodeId, NodeRef};
use rustc_hash::FxHashMap;

use crate::sanitize::fold_words;

/// What the page's metadata already says, which the text need not say again: the reader
/// shows it above the article.
pub struct Known {
    /// The headline, folded.
    title: String,
    /// The byline, folded (`fold_words`) as the lines it is compared with.
    byline: Option<String>,
    /// The days it was published and updated.
    days: Vec<chrono::NaiveDate>,
    /// Its section, folded: "France", or "Cinéma" of "Culture › Cinéma".
    section: Option<String>,
    /// For dates written "il y a 2 heures".
    now: chrono::DateTime<chrono::FixedOffset>,
}

impl Known {
    pub fn new(
        title: &str,
        byline: Option<&str>,
        days: Vec<chrono::NaiveDate>,
        section: Option<&str>,
        now: chrono::DateTime<chrono::FixedOffset>,
    ) -> Self {
        let folded = |s: &str| Some(fold_words(s)).filter(|s| !s.is_empty());
        Known {
            title: fold_words(title),
            byline: byline.and_then(folded),
            days,
            section: section.and_then(|s| s.rsplit('›').next()).and_then(folded),
            now,
        }
    }
}

/// Removes from below `root` (an article's element) what is not the article. In place:
/// the article is judged where reader mode found it, not parsed again.
pub fn strip(root: &NodeRef<'_>, known: &Known) {
    let mut sizes = Sizes::default();
    let mut parts = Parts::default();
    let total = sizes.measure(root, false, &mut parts).0;
    if total == 0 {
        return;
    }
    remove_headline(root, known, &sizes);
    let boxes = &parts.boxes;
    for parent in std::iter::once(root).chain(boxes) {
        remove_repeats(parent, &sizes);
    }
    for boxed in boxes.iter().filter(|b| is_prompted_box(b, total, &sizes)) {
        boxed.remove_from_parent();
    }
    for form in parts.forms.iter().filter(|f| is_form_to_fill(f, total, &sizes)) {
        remove_with_frame(form);
    }
    for list in &parts.lists {
        if is_link_list(list, total, &sizes) {
            remove_with_heading(list);
        }
    }
    for node in &parts.lines {
        let length = sizes.letters(node);
        if length == 0 || length > SMALL_PRINT_LETTERS {
            continue;
        }
        let text = node.text();
        // Past a prompt's length only the first words matter, to tell small print.
        let head = match text.trim_start().char_indices().nth(SMALL_PRINT_HEAD) {
            Some((end, _)) if length > PROMPT_LETTERS => &text.trim_start()[..end],
            _ => &text,
        };
        let words = fold_words(head);
        let small_print = SMALL_PRINT.iter().any(|p| words.starts_with(p));
        let chrome = length <= PROMPT_LETTERS
            && (is_prompt(&words) || is_gallery_chrome(&words) || is_known(node, &text, &words, known));
        if small_print || chrome {
            remove_with_heading(node);
        }
    }
}

/// Removes the article's first line when it is the headline again, which the reader
/// shows above the article: with the elements around it that hold nothing else.
fn remove_headline(root: &NodeRef<'_>, known: &Known, sizes: &Sizes) {
    if known.title.is_empty() {
        return;
    }
    let first_words = |n: &NodeRef<'_>| super::second_opinion::measure_text(n, letters).is_some_and(|l| l > 0);
    let Some(mut at) = root.descendants_it().find(first_words) else { return };
    let mut headline = None;
    let title_letters = letters(&known.title);
    // Up from the first words, while what holds them says no more than the headline.
    while let Some(parent) = at.parent().filter(|p| p.id != root.id && sizes.letters(p) <= title_letters) {
        let words = fold_words(&parent.text());
        if words == known.title {
            headline = Some(parent);
        } else if !known.title.starts_with(&words) {
            break;
        }
        at = parent;
    }
    if let Some(headline) = headline {
        headline.remove_from_parent();
    }
}

/// The letters inside each element, and how many of them are in links: measured once,
/// in one walk, so that judging every element costs the size of the article, not its
/// size times its depth. (Elements removed since are still counted in their parents:
/// what is judged after only looks smaller than it was.)
#[derive(Default)]
struct Sizes(FxHashMap<NodeId, (usize, usize)>);

/// The elements below an article's element that `strip` judges, by kind, in the order
/// of the page; found in the walk that measures them. (Those inside an element removed
/// before their turn are judged in a detached tree, where removing them changes nothing.)
#[derive(Default)]
struct Parts<'a> {
    /// The `BOXES`.
    boxes: Vec<NodeRef<'a>>,
    forms: Vec<NodeRef<'a>>,
    /// `ul` and `ol`.
    lists: Vec<NodeRef<'a>>,
    /// What may hold a line of chrome: paragraphs, items, headings, boxes.
    lines: Vec<NodeRef<'a>>,
}

impl<'a> Parts<'a> {
    fn sort(&mut self, node: &NodeRef<'a>) {
        let Some(name) = node.qual_name_ref() else { return };
        let name = &*name.local;
        if BOXES.contains(&name) {
            self.boxes.push(*node);
        }
        match name {
            "form" => self.forms.push(*node),
            "ul" | "ol" => self.lists.push(*node),
            _ => {}
        }
        if LINES.contains(&name) {
            self.lines.push(*node);
        }
    }
}

/// Elements that may hold no more than a line of chrome ("Share", "Image 1 of 8").
const LINES: &[&str] =
    &["p", "div", "li", "span", "h2", "h3", "h4", "h5", "h6", "figcaption", "aside", "nav", "section", "footer"];

impl Sizes {
    fn measure<'a>(&mut self, node: &NodeRef<'a>, in_link: bool, parts: &mut Parts<'a>) -> (usize, usize) {
        if let Some(n) = super::second_opinion::measure_text(node, letters) {
            return (n, if in_link { n } else { 0 });
        }
        let in_link = in_link || node.has_name("a");
        let (mut all, mut linked) = (0, 0);
        for child in node.children_it(false) {
            parts.sort(&child);
            let (a, l) = self.measure(&child, in_link, parts);
            all += a;
            linked += l;
        }
        self.0.insert(node.id, (all, linked));
        (all, linked)
    }

    fn letters(&self, node: &NodeRef<'_>) -> usize {
        self.0.get(&node.id).map_or(0, |s| s.0)
    }

    /// Letters inside links.
    fn linked(&self, node: &NodeRef<'_>) -> usize {
        self.0.get(&node.id).map_or(0, |s| s.1)
    }
}

/// Elements that hold blocks, not text: a page may hold its article once per screen size
/// in boxes of these, only one of them shown by its style sheet.
const BOXES: &[&str] = &["div", "section", "article", "main", "aside", "figure"];

/// Whether `node` is one of the `BOXES`.
fn is_box(node: &NodeRef<'_>) -> bool {
    node.node_name().is_some_and(|n| BOXES.contains(&&*n))
}

/// The fewest letters a box must hold to be judged a repeat: a short one ("Share",
/// an empty frame) may well come twice.
const REPEAT_LETTERS: usize = 200;

/// Removes each box among `parent`'s children that says, letter for letter, what an
/// earlier one said: the same article for another screen size. Paragraphs that repeat
/// (a chorus, an example) are not boxes and stay.
fn remove_repeats(parent: &NodeRef<'_>, sizes: &Sizes) {
    let mut by_size: FxHashMap<usize, Vec<NodeRef<'_>>> = FxHashMap::default();
    for child in parent.children_it(false) {
        let size = sizes.letters(&child);
        if size >= REPEAT_LETTERS && is_box(&child) {
            by_size.entry(size).or_default().push(child);
        }
    }
    // Letters are counted already: the text is read only for boxes of a size seen twice.
    for same_size in by_size.into_values().filter(|boxes| boxes.len() > 1) {
        let mut seen = Vec::new();
        for node in same_size {
            let text: String = node.text().chars().filter(|c| c.is_alphanumeric()).collect();
            if seen.contains(&text) {
                node.remove_from_parent();
            } else {
                seen.push(text);
            }
        }
    }
}

/// A box that says what it is in a heading of its own ("Related", "You may also like")
/// and closes the article: other stories, however they are laid out.
fn is_prompted_box(node: &NodeRef<'_>, total: usize, sizes: &Sizes) -> bool {
    let Some(first) = node.first_element_child() else { return false };
    super::is_subheading(&first)
        && sizes.letters(node) * 2 < total
        && sizes.letters(&first) <= PROMPT_LETTERS
        && is_prompt(&fold_words(&first.text()))
        && alone_after(node, sizes, |n| n.next_sibling())
}

/// The longest an item of a list of links runs, in letters: a title, not a paragraph.
const ITEM_LETTERS: usize = 120;

/// The longest a prompt or a line of chrome runs, in letters.
const PROMPT_LETTERS: usize = 120;

/// Letters and digits: what a reader reads, white space and punctuation aside. Counted
/// for every piece of text of every article: ASCII text is counted by the byte.
fn letters(text: &str) -> usize {
    if text.is_ascii() {
        text.bytes().filter(u8::is_ascii_alphanumeric).count()
    } else {
        text.chars().filter(|c| c.is_alphanumeric()).count()
    }
}

/// A list of links to elsewhere: its items are links and little else, and it is not
/// the article's own, which a list in the middle of the text, or most of it, is (the
/// tools a guide names, a reading list). Elsewhere's lists close the article, or open
/// it (a breadcrumb), or come after a prompt ("Related", "More games news:").
fn is_link_list(list: &NodeRef<'_>, total: usize, sizes: &Sizes) -> bool {
    let items: Vec<NodeRef<'_>> = list.children_it(false).filter(|c| c.is_element()).collect();
    if items.len() < 2 || items.iter().any(|item| sizes.letters(item) > ITEM_LETTERS) {
        return false;
    }
    let all = sizes.letters(list);
    if all == 0 || all * 2 >= total || sizes.linked(list) * 10 < all * 7 {
        return false;
    }
    let prompted = list
        .prev_element_sibling()
        .is_some_and(|before| sizes.letters(&before) <= PROMPT_LETTERS && is_prompt(&fold_words(&before.text())));
    prompted || alone_after(list, sizes, |n| n.next_sibling()) || alone_after(list, sizes, |n| n.prev_sibling())
}

/// Whether nothing the reader reads as text comes after `node` (or before, with
/// `prev_sibling`) in the article: only other links, prompts or nothing.
fn alone_after<'a>(node: &NodeRef<'a>, sizes: &Sizes, next: impl Fn(&NodeRef<'a>) -> Option<NodeRef<'a>>) -> bool {
    let mut at = *node;
    loop {
        let mut sibling = next(&at);
        while let Some(s) = sibling {
            let own = if s.is_text() { letters(&s.text()) } else { sizes.letters(&s) - sizes.linked(&s) };
            if own > PROMPT_LETTERS || (own > 0 && !is_prompt(&fold_words(&s.text()))) {
                return false;
            }
            sibling = next(&s);
        }
        match at.parent() {
            Some(parent) if parent.is_element() && parent.node_name().is_none_or(|n| &*n != "html") => at = parent,
            _ => return true,
        }
    }
}

/// A form inside the article (an ebook to request, a newsletter, a contact form) is a
/// box to fill in, not text to read: it has fields, or their labels (dom_smoothie takes
/// the fields out and leaves the labels). Not one that holds half the article, as pages
/// that wrap all they show in one form do.
fn is_form_to_fill(form: &NodeRef<'_>, total: usize, sizes: &Sizes) -> bool {
    let field = |n: &NodeRef<'_>| {
        ["label", "select", "textarea"].iter().any(|name| n.has_name(name))
            || (n.has_name("input") && n.attr("type").is_none_or(|t| !t.eq_ignore_ascii_case("hidden")))
    };
    sizes.letters(form) * 2 < total && form.descendants_it().any(|n| field(&n))
}

/// Removes `node` with the frames around it that hold nothing else but a line (a form's
/// "Fill out the form to get our ebook").
fn remove_with_frame(node: &NodeRef<'_>) {
    let mut frame = *node;
    while let Some(parent) = frame.parent().filter(is_box) {
        let others: usize = parent.children_it(false).filter(|c| c.id != frame.id).map(|c| letters(&c.text())).sum();
        if others > PROMPT_LETTERS {
            break;
        }
        frame = parent;
    }
    remove_with_heading(&frame);
}

/// Removes `node`, and the heading just before it that introduced it ("Related
/// articles"), when it introduces nothing else.
fn remove_with_heading(node: &NodeRef<'_>) {
    let heading = node.prev_element_sibling().filter(|h| {
        super::is_subheading(h) && letters(&h.text()) <= PROMPT_LETTERS && is_prompt(&fold_words(&h.text()))
    });
    if let Some(heading) = heading {
        heading.remove_from_parent();
    }
    node.remove_from_parent();
}

/// What boxes that are not the article say of themselves, folded (`fold_words`).
const PROMPTS: &[&str] = &[
    "related",
    "related articles",
    "related posts",
    "related stories",
    "related content",
    "you may also like",
    "you might also like",
    "recommended",
    "recommended for you",
    "more from",
    "more stories",
    "most read",
    "most popular",
    "read more",
    "read next",
    "read also",
    "see also",
    "trending",
    "like this",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "tweet",
    "follow us",
    "sign up",
    "subscribe",
    "newsletter",
    "tags",
    "topics",
    "filed under",
    "comments",
    "leave a comment",
    "leave a reply",
    "advertisement",
    "a lire aussi",
    "lire aussi",
    "a lire egalement",
    "sur le meme sujet",
    "partager",
    "partager cet article",
    "abonnez vous",
    "inscrivez vous",
    "publicite",
    "les plus lus",
    "commentaires",
    "mots cles",
    "skip to content",
    "skip to main content",
    "skip navigation",
    "back to top",
    "retour en haut",
    "table of contents",
    "sommaire",
    "print",
    "print this article",
    "imprimer",
];

/// How a newsletter's or a form's small print begins; it runs longer than a prompt.
const SMALL_PRINT: &[&str] =
    &["by signing up", "by subscribing", "by clicking", "by submitting", "en vous inscrivant", "en cliquant"];

/// Characters enough to tell small print by its first words.
const SMALL_PRINT_HEAD: usize = 40;

/// The longest small print runs, in letters.
const SMALL_PRINT_LETTERS: usize = 400;

/// A line that only invites to share, follow, subscribe, comment or read elsewhere.
fn is_prompt(words: &str) -> bool {
    if words.is_empty() {
        return false;
    }
    PROMPTS
        .iter()
        .any(|p| words == *p || (words.starts_with(p) && words[p.len()..].starts_with(' ') && words.len() < 40))
        || is_comment_count(words)
}

/// "12 comments", "0 commentaire", "Comments (3)".
fn is_comment_count(words: &str) -> bool {
    let mut parts = words.split(' ');
    let (Some(first), Some(second), None) = (parts.next(), parts.next(), parts.next()) else { return false };
    let comment = |w: &str| w.starts_with("comment") || w.starts_with("reaction") || w.starts_with("reponse");
    (first.chars().all(|c| c.is_ascii_digit()) && comment(second))
        || (comment(first) && second.chars().all(|c| c.is_ascii_digit()))
}

/// A photo gallery's buttons and counters: "Image 1 of 8", "Close", "Next".
fn is_gallery_chrome(words: &str) -> bool {
    const BUTTONS: &[&str] = &[
        "close",
        "next",
        "previous",
        "prev",
        "expand",
        "enlarge",
        "view gallery",
        "open gallery",
        "fermer",
        "suivant",
        "precedent",
        "agrandir",
        "voir la galerie",
    ];
    if BUTTONS.contains(&words) {
        return true;
    }
    let parts: Vec<&str> = words.split(' ').collect();
    let number = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_digit());
    match parts.as_slice() {
        [kind, n, of, m] => {
            matches!(*kind, "image" | "photo" | "slide" | "picture" | "diapo")
                && number(n)
                && matches!(*of, "of" | "sur" | "de")
                && number(m)
        }
        [n, of, m] => number(n) && matches!(*of, "of" | "sur") && number(m),
        _ => false,
    }
}

/// What the header shows already: the byline ("By Jane Doe", "Par Camille Durand"),
/// the section's name alone (not as a heading, which may name the article's own part),
/// or a line that is the day of publication or update ("Publié le 7 décembre 2026",
/// "Updated Dec. 7, 2026 5:27 am").
fn is_known(node: &NodeRef<'_>, text: &str, words: &str, known: &Known) -> bool {
    if known.byline.as_ref().is_some_and(|b| super::metadata::strip_by(words) == *b) {
        return true;
    }
    if known.section.as_ref().is_some_and(|s| s == words) && !super::is_subheading(node) {
        return true;
    }
    // A sentence that names the day ends as sentences do; a dateline does not.
    !known.days.is_empty()
        && letters(words) <= DATE_LINE_LETTERS
        && !text.trim_end().ends_with(['.', '!', '?'])
        && super::dates::parse(text, known.now).is_some_and(|d| known.days.contains(&d.date_naive()))
}

/// The longest a line that only dates the article runs, in letters.
const DATE_LINE_LETTERS: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    const PROSE: &str = "Une phrase assez longue pour compter comme de la prose, et pas comme une légende. ";

    fn now() -> chrono::DateTime<chrono::FixedOffset> {
        chrono::DateTime::parse_from_rfc3339("2026-12-07T12:00:00+01:00").unwrap()
    }

    /// The text left of `html` once stripped.
    fn strip_text(html: &str, known: &Known) -> String {
        let document = dom_query::Document::fragment(html);
        let root = document.select("html").nodes()[0];
        strip(&root, known);
        root.text().to_string()
    }

    fn stripped(html: &str) -> String {
        strip_text(html, &Known::new("", None, Vec::new(), None, now()))
    }

    #[test]
    fn the_section_and_the_day_the_header_shows_go_and_the_text_that_names_them_stays() {
        let known = Known::new("", Some("Hugo Lambert"), vec![now().date_naive()], Some("Actualités › France"), now());
        let html = format!(
            "<span class='cat'>France</span><div class='meta'><span>Par Hugo Lambert</span> \
             <span>Publié le 7 décembre 2026</span></div><p>{PROSE}</p><h2>France</h2>\
             <p>Le Sénat l'examinera le 7 décembre 2026.</p><p>Mis à jour le 8 décembre 2026</p>"
        );
        let text = strip_text(&html, &known);
        assert!(!text.contains("Publié") && !text.contains("Hugo") && text.matches("France").count() == 1, "{text}");
        assert!(text.contains("le 7 décembre 2026.") && text.contains("Mis à jour le 8 décembre"), "{text}");
    }

    #[test]
    fn the_headline_again_at_the_top_goes_and_the_same_words_further_down_stay() {
        let known = Known::new("Le port, un matin de mistral", None, Vec::new(), None, now());
        let html = format!(
            "<div><p><font><b>Le port,</b> un matin</font> de mistral</p></div><p>{PROSE}</p>\
             <p>Le port, un matin de mistral</p>"
        );
        let text = strip_text(&html, &known);
        assert_eq!(text.matches("Le port,").count(), 1, "{text}");
        assert!(text.trim_start().starts_with("Une phrase"), "{text}");
        // A first line that says more than the headline is the article's.
        let html = format!("<p>Le port, un matin de mistral : récit.</p><p>{PROSE}</p>");
        assert!(strip_text(&html, &known).contains("récit"));
    }

    #[test]
    fn a_box_that_repeats_an_earlier_one_goes_and_repeated_paragraphs_stay() {
        let story = format!("<h2>Le plan</h2><p>{PROSE}{PROSE}</p><p>{PROSE}</p><p>{PROSE}</p>");
        let html = format!("<div class='a'>{story}</div><div class='b'>{story}</div><section>{story}</section>");
        assert_eq!(stripped(&html).matches("Le plan").count(), 1);
        assert_eq!(stripped(&html).matches(PROSE.trim()).count(), 4);
        // Boxes that differ by a word, or too short to tell, stay.
        let other = story.replace("Le plan", "Le budget");
        assert_eq!(stripped(&format!("<div>{story}</div><div>{other}</div>")).matches(PROSE.trim()).count(), 8);
        let short = "<div><p>Photo : AFP</p></div><div><p>Photo : AFP</p></div>";
        assert_eq!(stripped(&format!("<p>{PROSE}</p>{short}")).matches("Photo : AFP").count(), 2);
    }

    #[test]
    fn a_form_goes_unless_it_holds_the_article() {
        let fields = "<div><label>Prénom</label><input name='a'></div><div><label>Nom</label><select></select></div>";
        let html =
            format!("<p>{PROSE}</p><p>{PROSE}</p><div class='box'><p>Recevez le guide.</p><form>{fields}</form></div>");
        let text = stripped(&html);
        assert!(!text.contains("Prénom") && !text.contains("Recevez") && text.contains(PROSE.trim()), "{text}");
        // A page wrapped whole in a form (with a search field) keeps its article.
        let html = format!("<form><label>Rechercher</label><input name='q'><p>{PROSE}</p><p>{PROSE}</p></form>");
        assert_eq!(stripped(&html).matches(PROSE.trim()).count(), 2);
        // A form of hidden fields alone has nothing to fill: its text stays.
        let html = format!("<p>{PROSE}</p><p>{PROSE}</p><form><input type='hidden'><p>Vote enregistré.</p></form>");
        assert!(stripped(&html).contains("Vote enregistré."));
    }

    #[test]
    fn a_box_headed_by_a_prompt_that_closes_the_article_goes() {
        let cards: String = (0..3)
            .map(|i| {
                format!(
                    "<div class='card'><h4><a href='/a{i}'>Un autre article numéro {i}</a></h4><p>{PROSE}</p></div>"
                )
            })
            .collect();
        let article = format!("<p>{PROSE}</p>").repeat(8);
        let html = format!("{article}<div class='box'><h3>You may also like</h3>{cards}</div>");
        let text = stripped(&html);
        assert!(!text.contains("Un autre article") && !text.contains("also like"), "{text}");
        // The same box with the article's text after it is the article's own.
        let html = format!("{article}<div class='box'><h3>Related</h3>{cards}</div><p>{PROSE} La fin.</p>");
        assert!(stripped(&html).contains("Un autre article numéro 2"));
        // A heading that is not a prompt introduces content.
        let html = format!("{article}<div class='box'><h3>Les chiffres</h3>{cards}</div>");
        assert!(stripped(&html).contains("Un autre article numéro 2"));
    }
}
