//! Keys to actions. The defaults are below; `[keys]` in the config rebinds a key
//! (`"x" = "quit"`) or unbinds it (`"q" = "none"`). The help overlay is generated from
//! the map, so it always shows the keys that really work.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;

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

const DEFAULTS: &[(&str, Action)] = &[
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
    ("b", Action::Bookmark),
    ("m", Action::ToggleRead),
    ("M", Action::MarkAllRead),
    ("/", Action::Search),
    ("?", Action::Help),
];

#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: Vec<(Key, Action)>,
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        let bindings =
            DEFAULTS.iter().map(|(name, action)| (Key::parse(name).expect("default keys parse"), *action)).collect();
        KeyMap { bindings }
    }
}

impl KeyMap {
    /// The default keys with the config's overrides applied, and what was wrong with the
    /// overrides left out: a bad entry leaves its key as it was, and the reader starts.
    pub fn new(overrides: &BTreeMap<String, String>) -> (KeyMap, Vec<String>) {
        let (mut map, mut problems) = (KeyMap::default(), Vec::new());
        for (name, action) in overrides {
            let Some(key) = Key::parse(name) else {
                problems.push(format!("[keys] \"{name}\": not a key name"));
                continue;
            };
            let action = match action.as_str() {
                "none" => None,
                named => match Action::from_name(named) {
                    Some(action) => Some(action),
                    None => {
                        problems
                            .push(format!("[keys] \"{name}\" = \"{named}\": no such action (see `?` in the reader)"));
                        continue;
                    }
                },
            };
            map.bindings.retain(|(k, _)| *k != key);
            map.bindings.extend(action.map(|action| (key, action)));
        }
        (map, problems)
    }

    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(event);
        self.bindings.iter().find(|(k, _)| *k == key).map(|(_, a)| *a)
    }

    /// One row per bound action, in `Action::ALL` order: its keys, what it does, and its
    /// name in `[keys]`.
    pub fn help(&self) -> Vec<(String, &'static str, String)> {
        Action::ALL
            .iter()
            .filter_map(|action| {
                let keys: Vec<String> =
                    self.bindings.iter().filter(|(_, a)| a == action).map(|(k, _)| k.to_string()).collect();
                (!keys.is_empty()).then(|| (keys.join(" "), action.describe(), action.name()))
            })
            .collect()
    }

    /// The keys bound to `action`, for hints such as "press o to open it in the browser".
    pub fn keys_for(&self, action: Action) -> Option<String> {
        self.bindings.iter().find(|(_, a)| *a == action).map(|(k, _)| k.to_string())
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

    #[test]
    fn default_keys_map_to_their_actions() {
        let map = KeyMap::default();
        assert_eq!(map.action(&press(KeyCode::Char('j'), KeyModifiers::NONE)), Some(Action::Down));
        assert_eq!(map.action(&press(KeyCode::Char('G'), KeyModifiers::SHIFT)), Some(Action::Bottom));
        assert_eq!(map.action(&press(KeyCode::Char('c'), KeyModifiers::CONTROL)), Some(Action::Quit));
        assert_eq!(map.action(&press(KeyCode::BackTab, KeyModifiers::SHIFT)), Some(Action::PrevPane));
        assert_eq!(map.action(&press(KeyCode::Char(' '), KeyModifiers::NONE)), Some(Action::ReadOn));
        assert_eq!(map.action(&press(KeyCode::Char('z'), KeyModifiers::NONE)), None);
    }

    #[test]
    fn overrides_rebind_and_unbind() {
        let overrides = BTreeMap::from([("x".to_owned(), "quit".to_owned()), ("q".to_owned(), "none".to_owned())]);
        let (map, problems) = KeyMap::new(&overrides);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(map.action(&press(KeyCode::Char('x'), KeyModifiers::NONE)), Some(Action::Quit));
        assert_eq!(map.action(&press(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert!(map.help().iter().any(|(keys, what, name)| keys == "Q Ctrl-c x" && *what == "quit" && name == "quit"));
    }

    #[test]
    fn bad_overrides_name_the_entry_and_leave_the_key_as_it_was() {
        let bad_key = BTreeMap::from([("hyper-x".to_owned(), "quit".to_owned()), ("x".to_owned(), "quit".to_owned())]);
        let (map, problems) = KeyMap::new(&bad_key);
        assert_eq!(problems, ["[keys] \"hyper-x\": not a key name"]);
        assert_eq!(
            map.action(&press(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::Quit),
            "the good one holds"
        );
        let bad_action = BTreeMap::from([("j".to_owned(), "fly".to_owned())]);
        let (map, problems) = KeyMap::new(&bad_action);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].contains("\"j\" = \"fly\": no such action"), "{problems:?}");
        assert_eq!(
            map.action(&press(KeyCode::Char('j'), KeyModifiers::NONE)),
            Some(Action::Down),
            "j keeps its default"
        );
    }

    #[test]
    fn the_status_line_tells_of_the_entries_left_out() {
        let (_, problems) = KeyMap::new(&BTreeMap::from([("j".to_owned(), "fly".to_owned())]));
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
        let help = KeyMap::default().help();
        assert_eq!(help.len(), Action::ALL.len());
        assert_eq!(help[0], ("↑ k".to_owned(), "move up / scroll up", "up".to_owned()));
    }
}
