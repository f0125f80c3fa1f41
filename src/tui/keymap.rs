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

impl KeyMap {
    /// The default keys with the config's overrides applied; an error names the bad entry.
    pub fn new(overrides: &BTreeMap<String, String>) -> Result<KeyMap, String> {
        let mut bindings: Vec<(Key, Action)> =
            DEFAULTS.iter().map(|(name, action)| (Key::parse(name).expect("default keys parse"), *action)).collect();
        for (name, action) in overrides {
            let key = Key::parse(name).ok_or_else(|| format!("[keys] \"{name}\": not a key name"))?;
            bindings.retain(|(k, _)| *k != key);
            if action != "none" {
                let action = Action::from_name(action).ok_or_else(|| {
                    format!("[keys] \"{name}\" = \"{action}\": no such action (see `?` in the reader)")
                })?;
                bindings.push((key, action));
            }
        }
        Ok(KeyMap { bindings })
    }

    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(event);
        self.bindings.iter().find(|(k, _)| *k == key).map(|(_, a)| *a)
    }

    /// One row per bound action, in `Action::ALL` order: its keys and what it does.
    pub fn help(&self) -> Vec<(String, &'static str)> {
        Action::ALL
            .iter()
            .filter_map(|action| {
                let keys: Vec<String> =
                    self.bindings.iter().filter(|(_, a)| a == action).map(|(k, _)| k.to_string()).collect();
                (!keys.is_empty()).then(|| (keys.join(" "), action.describe()))
            })
            .collect()
    }

    /// The keys bound to `action`, for hints such as "press o to open it in the browser".
    pub fn keys_for(&self, action: Action) -> Option<String> {
        self.bindings.iter().find(|(_, a)| *a == action).map(|(k, _)| k.to_string())
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
        let map = KeyMap::new(&BTreeMap::new()).unwrap();
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
        let map = KeyMap::new(&overrides).unwrap();
        assert_eq!(map.action(&press(KeyCode::Char('x'), KeyModifiers::NONE)), Some(Action::Quit));
        assert_eq!(map.action(&press(KeyCode::Char('q'), KeyModifiers::NONE)), None);
        assert!(map.help().iter().any(|(keys, what)| keys == "Q Ctrl-c x" && *what == "quit"));
    }

    #[test]
    fn bad_overrides_name_the_entry() {
        let bad_key = BTreeMap::from([("hyper-x".to_owned(), "quit".to_owned())]);
        assert_eq!(KeyMap::new(&bad_key).unwrap_err(), "[keys] \"hyper-x\": not a key name");
        let bad_action = BTreeMap::from([("x".to_owned(), "fly".to_owned())]);
        assert!(KeyMap::new(&bad_action).unwrap_err().contains("\"fly\": no such action"));
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
        let help = KeyMap::new(&BTreeMap::new()).unwrap().help();
        assert_eq!(help.len(), Action::ALL.len());
        assert_eq!(help[0], ("↑ k".to_owned(), "move up / scroll up"));
    }
}
