//! Keys to actions, one table per layer that takes keys: the panes (`[keys]` in the
//! config), the search prompt (`[keys.prompt]`) and questions (`[keys.question]`). The
//! defaults are below; an entry rebinds a key (`"x" = "quit"`) or unbinds it
//! (`"q" = "none"`). The help overlay is generated from the tables, so it always shows
//! the keys that really work.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::{Action, Answer, LinkAction, Named, PromptAction};
use crate::config::KeysConfig;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    mods: KeyModifiers,
}

impl Key {
    /// A key as pressed, with Shift folded into the character it produced.
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        if matches!(event.code, KeyCode::Char(_) | KeyCode::BackTab) {
            mods.remove(KeyModifiers::SHIFT);
        }
        Key { code: event.code, mods }
    }

    /// Parses names such as `j`, `G`, `?`, `space`, `pagedown`, `ctrl-c`, `alt-enter`.
    pub fn parse(name: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = name;
        loop {
            let lower = rest.to_ascii_lowercase();
            let (modifier, len) = if lower.starts_with("ctrl-") {
                (KeyModifiers::CONTROL, 5)
            } else if lower.starts_with("alt-") {
                (KeyModifiers::ALT, 4)
            } else if lower.starts_with("shift-") && rest.len() > 6 {
                (KeyModifiers::SHIFT, 6)
            } else {
                break;
            };
            mods |= modifier;
            rest = &rest[len..];
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "space" => KeyCode::Char(' '),
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" => KeyCode::PageDown,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" => KeyCode::Insert,
                f if f.starts_with('f') => KeyCode::F(f[1..].parse().ok().filter(|n| (1..=24).contains(n))?),
                _ => return None,
            },
        };
        let mut key = Key { code, mods };
        if let KeyCode::Char(c) = code {
            if mods.contains(KeyModifiers::SHIFT) {
                key.code = KeyCode::Char(c.to_ascii_uppercase());
            }
        }
        if matches!(code, KeyCode::Char(_) | KeyCode::BackTab) {
            key.mods.remove(KeyModifiers::SHIFT);
        }
        Some(key)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}

const PANES: &[(&str, Action)] = &[
    ("up", Action::Up),
    ("k", Action::Up),
    ("down", Action::Down),
    ("j", Action::Down),
    ("pageup", Action::PageUp),
    ("pagedown", Action::PageDown),
    ("space", Action::ReadOn),
    ("g", Action::Top),
    ("home", Action::Top),
    ("G", Action::Bottom),
    ("end", Action::Bottom),
    ("left", Action::Left),
    ("h", Action::Left),
    ("right", Action::Right),
    ("l", Action::Right),
    ("tab", Action::NextPane),
    ("backtab", Action::PrevPane),
    ("enter", Action::Open),
    ("esc", Action::Back),
    ("q", Action::BackOrQuit),
    ("Q", Action::Quit),
    ("ctrl-c", Action::Quit),
    ("r", Action::Refresh),
    ("R", Action::RefreshAll),
    ("o", Action::OpenInBrowser),
    ("f", Action::FetchPage),
    ("n", Action::NextUnread),
    ("p", Action::PrevUnread),
    ("b", Action::Bookmark),
    ("m", Action::ToggleRead),
    ("N", Action::ToggleRead),
    ("M", Action::MarkAllRead),
    ("U", Action::UndoMarkAll),
    ("[", Action::NarrowTree),
    ("]", Action::WidenTree),
    ("z", Action::Zoom),
    ("u", Action::Links),
    ("s", Action::Sort),
    ("/", Action::Search),
    ("?", Action::Help),
];

const PROMPT: &[(&str, PromptAction)] = &[
    ("enter", PromptAction::Search),
    ("esc", PromptAction::Close),
    ("ctrl-c", PromptAction::Quit),
    ("left", PromptAction::CursorLeft),
    ("ctrl-b", PromptAction::CursorLeft),
    ("right", PromptAction::CursorRight),
    ("ctrl-f", PromptAction::CursorRight),
    ("home", PromptAction::LineStart),
    ("ctrl-a", PromptAction::LineStart),
    ("end", PromptAction::LineEnd),
    ("ctrl-e", PromptAction::LineEnd),
    ("backspace", PromptAction::DeleteBack),
    ("ctrl-h", PromptAction::DeleteBack),
    ("delete", PromptAction::DeleteForward),
    ("ctrl-d", PromptAction::DeleteForward),
    ("ctrl-w", PromptAction::DeleteWordBack),
    ("ctrl-u", PromptAction::ClearToStart),
    ("up", PromptAction::HistoryBack),
    ("ctrl-p", PromptAction::HistoryBack),
    ("down", PromptAction::HistoryForward),
    ("ctrl-n", PromptAction::HistoryForward),
];

const LINKS: &[(&str, LinkAction)] = &[
    ("enter", LinkAction::Open),
    ("o", LinkAction::Open),
    ("y", LinkAction::Copy),
    ("up", LinkAction::Up),
    ("k", LinkAction::Up),
    ("down", LinkAction::Down),
    ("j", LinkAction::Down),
    ("g", LinkAction::Top),
    ("home", LinkAction::Top),
    ("G", LinkAction::Bottom),
    ("end", LinkAction::Bottom),
    ("esc", LinkAction::Close),
    ("q", LinkAction::Close),
    ("u", LinkAction::Close),
];

const QUESTION: &[(&str, Answer)] = &[("y", Answer::Yes), ("Y", Answer::Yes), ("enter", Answer::Yes)];

/// The keys of one layer.
#[derive(Debug, Clone)]
pub struct Table<A> {
    bindings: Vec<(Key, A)>,
}

/// One row of the help: the keys, what they do, and the action's name in `[keys]`.
pub type HelpRow = (String, &'static str, String);

impl<A: Named> Table<A> {
    fn of(defaults: &[(&str, A)]) -> Table<A> {
        Table {
            bindings: defaults.iter().map(|(name, a)| (Key::parse(name).expect("default keys parse"), *a)).collect(),
        }
    }

    /// Applies the entries of `[table]`; a bad one is told in `problems` and leaves its
    /// key as it was.
    fn set(&mut self, table: &str, overrides: &BTreeMap<String, String>, problems: &mut Vec<String>) {
        for (name, action) in overrides {
            let Some(key) = Key::parse(name) else {
                problems.push(format!("[{table}] \"{name}\": not a key name"));
                continue;
            };
            let action = match action.as_str() {
                "none" => None,
                named => match A::from_name(named) {
                    Some(action) => Some(action),
                    None => {
                        problems.push(format!(
                            "[{table}] \"{name}\" = \"{named}\": no such action (see `?` in the reader)"
                        ));
                        continue;
                    }
                },
            };
            self.bindings.retain(|(k, _)| *k != key);
            self.bindings.extend(action.map(|action| (key, action)));
        }
    }

    pub fn action(&self, event: &KeyEvent) -> Option<A> {
        let key = Key::from_event(event);
        self.bindings.iter().find(|(k, _)| *k == key).map(|(_, a)| *a)
    }

    /// One row per bound action, in `ALL` order.
    pub fn help(&self) -> Vec<HelpRow> {
        A::ALL
            .iter()
            .filter_map(|action| {
                let keys = self.keys_of(*action);
                (!keys.is_empty()).then(|| (keys.join(" "), action.describe(), action.name()))
            })
            .collect()
    }

    /// Every key bound to `action`, in the order bound.
    pub fn keys_of(&self, action: A) -> Vec<String> {
        self.bindings.iter().filter(|(_, a)| *a == action).map(|(k, _)| k.to_string()).collect()
    }

    /// The first key bound to `action`, for hints such as "press o to open it".
    pub fn keys_for(&self, action: A) -> Option<String> {
        self.bindings.iter().find(|(_, a)| *a == action).map(|(k, _)| k.to_string())
    }
}

#[derive(Debug, Clone)]
pub struct KeyMap {
    pub panes: Table<Action>,
    pub prompt: Table<PromptAction>,
    pub links: Table<LinkAction>,
    pub question: Table<Answer>,
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        KeyMap {
            panes: Table::of(PANES),
            prompt: Table::of(PROMPT),
            links: Table::of(LINKS),
            question: Table::of(QUESTION),
        }
    }
}

impl KeyMap {
    /// The default keys with the config's overrides applied, and what was wrong with the
    /// overrides left out: a bad entry leaves its key as it was, and the reader starts.
    pub fn new(config: &KeysConfig) -> (KeyMap, Vec<String>) {
        let (mut map, mut problems) = (KeyMap::default(), Vec::new());
        map.panes.set("keys", &config.panes, &mut problems);
        map.prompt.set("keys.prompt", &config.prompt, &mut problems);
        map.links.set("keys.links", &config.links, &mut problems);
        map.question.set("keys.question", &config.question, &mut problems);
        (map, problems)
    }

    /// Each layer's rows for the help, under its heading (the panes' has none).
    pub fn sections(&self) -> [(&'static str, Vec<HelpRow>); 4] {
        [
            ("", self.panes.help()),
            ("In the search prompt ([keys.prompt])", self.prompt.help()),
            ("In the link list ([keys.links])", self.links.help()),
            ("In a question ([keys.question])", self.question.help()),
        ]
    }
}

/// What the status line says of the `[keys]` entries `KeyMap::new` left out.
pub fn keys_left_out(problems: &[String]) -> Option<String> {
    match problems {
        [] => None,
        [one] => Some(format!("{one}: left out, the key keeps its default")),
        [first, rest @ ..] => Some(format!("{first}, and {} more: left out (see the log)", rest.len())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn keys(entries: &[(&str, &str)]) -> KeysConfig {
        KeysConfig {
            panes: entries.iter().map(|(k, a)| (k.to_string(), a.to_string())).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn default_keys_map_to_their_actions() {
        let map = KeyMap::default().panes;
        assert_eq!(map.action(&press(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(map.action(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(map.action(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(map.action(&press(KeyCode::BackTab, KeyModifiers::SHIFT)), Some(Action::PrevPane));
        assert_eq!(map.action(&press(KeyCode::Char(' '), KeyModifiers::NONE)), Some(Action::ReadOn));
        assert_eq!(map.action(&press(KeyCode::Char('z'), KeyModifiers::NONE)), Some(Action::Zoom));
        assert_eq!(map.action(&press(KeyCode::Char('x'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn overrides_rebind_and_unbind() {
        let (map, problems) = KeyMap::new(&keys(&[("x", "quit"), ("q", "none")]));
        assert!(problems.is_empty(), "{problems:?}");
        let map = map.panes;
        assert_eq!(map.action(&press(KeyCode::Char('x'), KeyModifiers::NONE)), Some(Action::Quit));
        assert_eq!(map.action(&press(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert!(map.help().iter().any(|(keys, what, name)| keys == "Q Ctrl-c x" && *what == "quit" && name == "quit"));
    }

    #[test]
    fn bad_overrides_name_the_entry_and_leave_the_key_as_it_was() {
        let (map, problems) = KeyMap::new(&keys(&[("hyper-x", "quit"), ("x", "quit")]));
        assert_eq!(problems, ["[keys] \"hyper-x\": not a key name"]);
        assert_eq!(
            map.panes.action(&press(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::Quit),
            "the good one holds"
        );
        let (map, problems) = KeyMap::new(&keys(&[("j", "fly")]));
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("\"j\" = \"fly\": no such action"), "{problems:?}");
        assert_eq!(
            map.panes.action(&press(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down),
            "j keeps its default"
        );
    }

    #[test]
    fn the_status_line_tells_of_the_entries_left_out() {
        let (_, problems) = KeyMap::new(&keys(&[("j", "fly")]));
        assert_eq!(
            keys_left_out(&problems).unwrap(),
            "[keys] \"j\" = \"fly\": no such action (see `?` in the reader): left out, the key keeps its default"
        );
        let two = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(keys_left_out(&two).unwrap(), "a, and 2 more: left out (see the log)");
        assert_eq!(keys_left_out(&[]), None);
    }

    #[test]
    fn key_names_round_trip_through_display() {
        for name in ["j", "G", "?", "space", "pagedown", "ctrl-c", "shift-tab", "f5", "alt-enter"] {
            let key = Key::parse(name).unwrap();
            let shown = key.to_string();
            let reparsed =
                Key::parse(&shown.replace("Ctrl-", "ctrl-").replace("Alt-", "alt-").replace("Shift-", "shift-"));
            assert_eq!(reparsed, Some(key), "{name} → {shown}");
        }
    }

    #[test]
    fn help_lists_every_bound_action_once() {
        let [(_, panes), (_, prompt), (_, links), (_, question)] = KeyMap::default().sections();
        assert_eq!(links.len(), LinkAction::ALL.len());
        assert_eq!(panes.len(), Action::ALL.len());
        assert_eq!(panes[0], ("↑ k".to_owned(), "move up / scroll up", "up".to_owned()));
        assert_eq!(prompt.len(), PromptAction::ALL.len());
        assert_eq!(prompt[2], ("Ctrl-c".to_owned(), "quit", "quit".to_owned()));
        assert_eq!(question, [("y Y Enter".to_owned(), "yes; any other key says no", "yes".to_owned())]);
    }

    /// A key means what its layer's table says: `j` moves in the panes and is typed in the
    /// prompt, Ctrl-U clears the prompt, and each table is rebound on its own.
    #[test]
    fn each_layer_has_its_own_keys() {
        let map = KeyMap::default();
        let j = press(KeyCode::Char('j'), KeyModifiers::NONE);
        assert_eq!((map.panes.action(&j), map.prompt.action(&j)), (Some(Action::Down), None));
        let ctrl_u = press(KeyCode::Char('u'), KeyModifiers::CONTROL);
        assert_eq!(map.prompt.action(&ctrl_u), Some(PromptAction::ClearToStart));
        assert_eq!(map.question.action(&press(KeyCode::Char('y'), KeyModifiers::NONE)), Some(Answer::Yes));
        assert_eq!(map.question.action(&press(KeyCode::Char('y'), KeyModifiers::CONTROL)), None);

        let config = KeysConfig {
            prompt: BTreeMap::from([("ctrl-k".to_owned(), "clear_to_start".to_owned())]),
            question: BTreeMap::from([("o".to_owned(), "yes".to_owned()), ("y".to_owned(), "quit".to_owned())]),
            ..Default::default()
        };
        let (map, problems) = KeyMap::new(&config);
        assert_eq!(problems, ["[keys.question] \"y\" = \"quit\": no such action (see `?` in the reader)"]);
        let ctrl_k = press(KeyCode::Char('k'), KeyModifiers::CONTROL);
        assert_eq!(map.prompt.action(&ctrl_k), Some(PromptAction::ClearToStart));
        assert_eq!(map.question.action(&press(KeyCode::Char('o'), KeyModifiers::NONE)), Some(Answer::Yes), "oui");
        assert_eq!(map.panes.action(&press(KeyCode::Char('o'), KeyModifiers::NONE)), Some(Action::OpenInBrowser));
    }
}
