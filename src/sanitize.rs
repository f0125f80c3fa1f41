//! Text from the network is hostile until cleaned: a feed title can carry an escape
//! sequence that moves the cursor, recolours the screen or retitles the terminal.
//! Every string that reaches the screen or the terminal goes through here first.

/// Removes terminal escape sequences, control characters and bidi overrides,
/// keeping line breaks; tabs become spaces.
pub fn clean_text(s: &str) -> String {
    if !s.chars().any(|c| (c.is_control() && c != '\n') || is_bidi_control(c)) {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\n' => out.push('\n'),
            '\t' => out.push(' '),
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// HTML without control characters (its tabs and line breaks kept) or bidi overrides,
/// each dropped alone: in markup, a C1 control is more often mojibake ("â€\u{9d}" for
/// "”") than the start of a sequence, and skipping one as `clean_text` does would drop
/// the rest of the page. Preformatted text lays its tabs out.
pub fn clean_markup(html: &str) -> std::borrow::Cow<'_, str> {
    let dropped = |c: char| (c.is_control() && !matches!(c, '\n' | '\t' | '\r')) || is_bidi_control(c);
    if !html.contains(dropped) {
        return std::borrow::Cow::Borrowed(html);
    }
    std::borrow::Cow::Owned(html.chars().filter(|c| !dropped(*c)).collect())
}

/// JSON text with the characters `clean_text` drops escaped instead (`\u009b`, `\u202e`):
/// a program reading it gets every character, a terminal showing it gets none that acts.
/// In JSON text they can only stand inside strings, and serde_json escapes C0 itself.
pub fn escape_json(json: String) -> String {
    let acts = |c: char| (c.is_control() && !c.is_ascii()) || c == '\u{7f}' || is_bidi_control(c);
    if !json.contains(acts) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if acts(c) {
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// What kiosque writes to its log: one line for each event, cleaned as for the
/// terminal, since `tail -f` shows it there.
pub struct CleanLog<W>(pub W);

impl<W: std::io::Write> std::io::Write for CleanLog<W> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(bytes);
        self.0.write_all(clean_text(&text).as_bytes())?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Cleans `s` as one line: every run of white space (line breaks included)
/// becomes a single space, and the ends are trimmed.
pub fn clean_line(s: &str) -> String {
    let cleaned = clean_text(s);
    let mut out = String::with_capacity(cleaned.len());
    for word in cleaned.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// The first `max_words` words of `s` as one clean line, with an ellipsis when cut.
pub fn first_words(s: &str, max_words: usize) -> String {
    let line = clean_line(s);
    let mut words = line.split(' ');
    let head: Vec<&str> = words.by_ref().take(max_words).collect();
    let mut out = head.join(" ");
    if words.next().is_some() {
        out.push('…');
    }
    out
}

/// CSI: parameters and intermediates up to a final byte in `@`..=`~`.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('@'..='~').contains(&c) {
            break;
        }
    }
}

/// OSC, DCS, SOS, PM, APC: a string ended by BEL or ST (`ESC \` or U+009C).
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// Lower case without accents, for comparing words as people type them ("ecologie",
/// "Écologie").
pub fn fold(text: &str) -> String {
    text.to_lowercase().chars().map(unaccented).collect()
}

/// A lower-case letter without its accent, as `fold` writes it.
fn unaccented(c: char) -> char {
    match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'î' | 'ï' | 'í' | 'ì' => 'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' => 'o',
        'ù' | 'û' | 'ü' | 'ú' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ÿ' => 'y',
        c => c,
    }
}

/// The words of `text`, folded as `fold` folds them, one space apart: punctuation and
/// symbols out, for comparing labels as people read them ("Plus..." and "plus"). One
/// pass: reader mode folds every short line of an article.
pub fn fold_words(text: &str) -> String {
    let mut words = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase).map(unaccented) {
        if c.is_alphanumeric() {
            if gap && !words.is_empty() {
                words.push(' ');
            }
            gap = false;
            words.push(c);
        } else {
            gap = true;
        }
    }
    words
}

/// Text made safe to put between HTML tags.
pub fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Characters that reorder the text around them (LRE, RLO, FSI…).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_fold_and_lose_their_punctuation() {
        assert_eq!(fold_words("  Plus... "), "plus");
        assert_eq!(fold_words("Lire la suite →"), "lire la suite");
        assert_eq!(fold_words("/Mentions-Légales/"), "mentions legales");
        assert_eq!(fold_words("¡!"), "");
        assert_eq!(fold_words("ÉCOLOGIE—Ça  va ? 2026"), "ecologie ca va 2026");
    }

    proptest::proptest! {
        /// The one pass says what folding, then splitting the words, says (but for a
        /// word-final sigma, which `str::to_lowercase` alone writes ς).
        #[test]
        fn words_fold_as_fold_then_split(text in "[a-zA-Zàé ÉÇß.,'’İ0-9\\-]{0,40}") {
            let split = fold(&text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
            proptest::prop_assert_eq!(fold_words(&text), split);
        }
    }

    #[test]
    fn strips_csi_osc_and_c1_sequences() {
        let hostile = "Hi\u{1b}[2J\u{1b}[31mred\u{1b}]0;pwned\u{7} \u{1b}]8;;http://x\u{1b}\\link\u{9b}1;1Hend";
        assert_eq!(clean_text(hostile), "Hired linkend");
    }

    #[test]
    fn drops_controls_keeps_newlines_and_turns_tabs_into_spaces() {
        assert_eq!(clean_text("a\u{0}b\u{7f}c\td\ne\r"), "abc d\ne");
    }

    #[test]
    fn markup_loses_each_control_alone_and_keeps_its_tabs() {
        assert_eq!(
            clean_markup("<pre>\tx\u{1b}[2J</pre><p>â\u{90}suite\u{202e}</p>"),
            "<pre>\tx[2J</pre><p>âsuite</p>"
        );
        assert!(matches!(clean_markup("<p>calm</p>"), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn json_gets_what_acts_on_a_terminal_escaped() {
        let json = serde_json::to_string(&"a\u{9b}31mb\u{7f}c\u{202e}d\u{1b}[2J").unwrap();
        assert_eq!(escape_json(json), r#""a\u009b31mb\u007fc\u202ed\u001b[2J""#);
        assert_eq!(escape_json("\"été\"".to_owned()), "\"été\"");
    }

    #[test]
    fn drops_bidi_overrides() {
        assert_eq!(clean_text("abc\u{202e}fed"), "abcfed");
    }

    #[test]
    fn clean_line_folds_white_space() {
        assert_eq!(clean_line("  Le\n\n  monde \t d'aujourd'hui "), "Le monde d'aujourd'hui");
    }

    #[test]
    fn first_words_cuts_with_an_ellipsis() {
        assert_eq!(first_words("one two three four", 3), "one two three…");
        assert_eq!(first_words("one two", 3), "one two");
    }

    #[test]
    fn unterminated_sequences_do_not_swallow_more_than_the_rest() {
        assert_eq!(clean_text("ok\u{1b}]0;never ends"), "ok");
        assert_eq!(clean_text("ok\u{1b}"), "ok");
    }
}
