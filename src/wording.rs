//! Words the shell and the reader share in what they tell the user.

/// "1 article", "3,376 articles": `noun` (a regular English plural) counted.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{} {noun}s", number(n)) }
}

/// `n` with its thousands apart: "3,376".
pub fn number(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A refresh under way: "refreshing 37/500 · 2 failed".
pub fn progress(done: usize, total: usize, failed: usize) -> String {
    let failed = if failed > 0 { format!(" · {} failed", number(failed)) } else { String::new() };
    format!("refreshing {}/{}{failed}", number(done), number(total))
}

/// The most of a URL an error or a line shows: enough to tell which, not a page of it.
pub const URL_SHOWN: usize = 200;

/// `text` cut to `max` characters, its cut marked `…`: a hostile link or title is not
/// echoed whole.
pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        None => text.into(),
        Some((at, _)) => format!("{}…", &text[..at]).into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_text_is_cut_where_a_character_ends() {
        assert_eq!(super::shorten("chêne", 10), "chêne");
        assert_eq!(super::shorten("chêne", 3), "chê…");
        assert_eq!(super::shorten(&"a".repeat(1_000_000), 200).chars().count(), 201);
    }

    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(super::count(1, "source"), "1 source");
        assert_eq!(super::count(0, "new article"), "0 new articles");
        assert_eq!(super::count(12, "bookmark"), "12 bookmarks");
        assert_eq!(super::count(3_376, "article"), "3,376 articles");
    }

    #[test]
    fn progress_says_how_far_and_what_failed() {
        assert_eq!(super::progress(37, 500, 0), "refreshing 37/500");
        assert_eq!(super::progress(1_037, 1_500, 2), "refreshing 1,037/1,500 · 2 failed");
    }

    #[test]
    fn thousands_stand_apart() {
        let shown: Vec<String> = [0, 999, 1_000, 65_691, 100_000, 1_234_567].into_iter().map(super::number).collect();
        assert_eq!(shown, ["0", "999", "1,000", "65,691", "100,000", "1,234,567"]);
    }
}
