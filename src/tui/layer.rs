//! What takes the keys above the panes, and is drawn over them: the help, the search
//! prompt, or a question to answer before an action that cannot be undone in one key
//! runs. One at a time; without one, keys go to the panes through the key map.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::model::ArticleId;

pub enum Layer {
    Help {
        scroll: usize,
    },
    /// The search prompt: keys edit the query.
    Prompt,
    /// `question`, answered y (or Enter) to run `action`; any other key says no.
    Confirm {
        question: String,
        action: Confirmable,
    },
}

/// The actions asked about first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmable {
    /// These articles, the unread ones listed when asked, read.
    MarkRead(Vec<ArticleId>),
}

/// The answer a key gives to a question: yes, or no.
pub fn yes(key: &KeyEvent) -> bool {
    let plain = !key.modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    plain && matches!(key.code, KeyCode::Char('y' | 'Y') | KeyCode::Enter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn y_and_enter_say_yes_and_every_other_key_no() {
        let key = |code| KeyEvent::new(code, KeyModifiers::NONE);
        for code in [KeyCode::Char('y'), KeyCode::Char('Y'), KeyCode::Enter] {
            assert!(yes(&key(code)), "{code:?}");
        }
        for code in [KeyCode::Char('n'), KeyCode::Esc, KeyCode::Char('o'), KeyCode::Char('M'), KeyCode::Down] {
            assert!(!yes(&key(code)), "{code:?}");
        }
        assert!(!yes(&KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL)));
    }
}
