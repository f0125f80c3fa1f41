//! Words the shell and the reader share in what they tell the user.

/// "1 article", "2 articles": `noun` (a regular English plural) counted.
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_is_singular_and_every_other_number_plural() {
        assert_eq!(super::count(1, "source"), "1 source");
        assert_eq!(super::count(0, "new article"), "0 new articles");
        assert_eq!(super::count(12, "bookmark"), "12 bookmarks");
    }
}
