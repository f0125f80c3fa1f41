//! A line being typed, edited as readline edits it (the keys newsboat's and a shell's users
//! have in their fingers, the prompt's defaults in `keymap`): a cursor, words, and the
//! lines typed before, for the search prompt. Pure state: edits come in, text and
//! cursor go out.

/// What a key does to the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Left,
    Right,
    Start,
    End,
    DeleteBack,
    DeleteForward,
    /// Everything before the cursor goes (Ctrl-U).
    ClearToStart,
    /// The word before the cursor goes (Ctrl-W).
    DeleteWordBack,
    /// The line typed before this one (↑), or after it (↓).
    Previous,
    Next,
}

#[derive(Debug, Default)]
pub struct LineEdit {
    text: Vec<char>,
    /// Where the next character goes, in characters.
    cursor: usize,
    history: Vec<String>,
    /// While going through the history: which line, and the one being typed before.
    browsing: Option<(usize, String)>,
}

impl LineEdit {
    pub fn text(&self) -> String {
        self.text.iter().collect()
    }

    /// The text before the cursor, and from it on.
    pub fn split(&self) -> (String, String) {
        (self.text[..self.cursor].iter().collect(), self.text[self.cursor..].iter().collect())
    }

    /// Starts over with `text`, the cursor at its end.
    pub fn set(&mut self, text: &str) {
        self.text = text.chars().collect();
        self.cursor = self.text.len();
        self.browsing = None;
    }

    /// Keeps the line in the history, once, as the newest.
    pub fn remember(&mut self) {
        let line = self.text();
        if !line.trim().is_empty() {
            self.history.retain(|old| *old != line);
            self.history.push(line);
        }
        self.browsing = None;
    }

    pub fn apply(&mut self, edit: Edit) {
        let len = self.text.len();
        match edit {
            Edit::Insert(c) => {
                self.text.insert(self.cursor, c);
                self.cursor += 1;
            }
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(len),
            Edit::Start => self.cursor = 0,
            Edit::End => self.cursor = len,
            Edit::DeleteBack if self.cursor > 0 => {
                self.cursor -= 1;
                self.text.remove(self.cursor);
            }
            Edit::DeleteForward if self.cursor < len => _ = self.text.remove(self.cursor),
            Edit::DeleteBack | Edit::DeleteForward => {}
            Edit::ClearToStart => {
                self.text.drain(..self.cursor);
                self.cursor = 0;
            }
            Edit::DeleteWordBack => {
                let mut start = self.cursor;
                while start > 0 && self.text[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !self.text[start - 1].is_whitespace() {
                    start -= 1;
                }
                self.text.drain(start..self.cursor);
                self.cursor = start;
            }
            Edit::Previous => self.browse(true),
            Edit::Next => self.browse(false),
        }
    }

    /// One line back in the history, or forward to the line that was being typed.
    fn browse(&mut self, back: bool) {
        let (at, draft) = match self.browsing.take() {
            Some(browsing) => browsing,
            None if back && !self.history.is_empty() => (self.history.len(), self.text()),
            None => return,
        };
        let to = if back { at.saturating_sub(1) } else { at + 1 };
        let line = if to < self.history.len() { self.history[to].clone() } else { draft.clone() };
        self.text = line.chars().collect();
        self.cursor = self.text.len();
        if to < self.history.len() {
            self.browsing = Some((to, draft));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(line: &mut LineEdit, text: &str) {
        text.chars().for_each(|c| line.apply(Edit::Insert(c)));
    }

    #[test]
    fn the_cursor_moves_and_edits_where_it_stands() {
        let mut line = LineEdit::default();
        typed(&mut line, "écologie ville");
        line.apply(Edit::Start);
        typed(&mut line, "l’");
        assert_eq!(line.text(), "l’écologie ville");
        line.apply(Edit::End);
        line.apply(Edit::Left);
        line.apply(Edit::DeleteBack);
        line.apply(Edit::DeleteForward);
        assert_eq!(line.text(), "l’écologie vil");
        assert_eq!(line.split(), ("l’écologie vil".to_owned(), String::new()));
        line.apply(Edit::DeleteWordBack);
        assert_eq!(line.text(), "l’écologie ");
        line.apply(Edit::Left);
        line.apply(Edit::Left);
        line.apply(Edit::ClearToStart);
        assert_eq!(line.split(), (String::new(), "e ".to_owned()));
        line.apply(Edit::DeleteBack);
        line.apply(Edit::Left);
        assert_eq!(line.split(), (String::new(), "e ".to_owned()), "nothing before the start");
    }

    #[test]
    fn the_history_goes_back_and_forward_to_what_was_being_typed() {
        let mut line = LineEdit::default();
        for query in ["budget", "climat", "budget"] {
            line.set(query);
            line.remember();
        }
        line.set("");
        typed(&mut line, "mar");
        line.apply(Edit::Previous);
        assert_eq!(line.text(), "budget", "the newest first, once");
        line.apply(Edit::Previous);
        assert_eq!(line.text(), "climat");
        line.apply(Edit::Previous);
        assert_eq!(line.text(), "climat", "no further back");
        line.apply(Edit::Next);
        assert_eq!(line.text(), "budget");
        line.apply(Edit::Next);
        assert_eq!(line.text(), "mar", "back to what was being typed");
        line.apply(Edit::Next);
        assert_eq!(line.text(), "mar");
    }
}
