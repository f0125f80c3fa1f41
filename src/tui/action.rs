//! Everything the user can do, as data. Keys map to actions (`keymap`), the config names
//! them, the help overlay lists them, and `App::update` is the one place they act.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    /// Space: scrolls the article, and goes on to the next one at its end.
    ReadOn,
    Top,
    Bottom,
    Left,
    Right,
    NextPane,
    PrevPane,
    Open,
    Back,
    /// Back, or quit when there is nowhere to go back to.
    BackOrQuit,
    Quit,
    Refresh,
    RefreshAll,
    OpenInBrowser,
    /// Fetches the article's page for its full text.
    FetchPage,
    Bookmark,
    ToggleRead,
    /// Marks everything the list shows read.
    MarkAllRead,
    /// Opens the search prompt.
    Search,
    Help,
}

impl Action {
    /// In the order the help lists them.
    pub const ALL: [Action; 24] = [
        Action::Up,
        Action::Down,
        Action::PageUp,
        Action::PageDown,
        Action::ReadOn,
        Action::Top,
        Action::Bottom,
        Action::Left,
        Action::Right,
        Action::NextPane,
        Action::PrevPane,
        Action::Open,
        Action::Back,
        Action::BackOrQuit,
        Action::Quit,
        Action::Refresh,
        Action::RefreshAll,
        Action::OpenInBrowser,
        Action::FetchPage,
        Action::Bookmark,
        Action::ToggleRead,
        Action::MarkAllRead,
        Action::Search,
        Action::Help,
    ];

    /// An action by its config name, such as `page_down`.
    pub fn from_name(name: &str) -> Option<Action> {
        use serde::de::IntoDeserializer;
        let deserializer: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = name.into_deserializer();
        Action::deserialize(deserializer).ok()
    }

    /// Its config name, as `[keys]` takes it.
    pub fn name(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }

    pub fn describe(self) -> &'static str {
        match self {
            Action::Up => "move up / scroll up",
            Action::Down => "move down / scroll down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::ReadOn => "scroll the article; next article at its end",
            Action::Top => "go to the top",
            Action::Bottom => "go to the bottom",
            Action::Left => "pane to the left (tree: close folder)",
            Action::Right => "pane to the right",
            Action::NextPane => "next pane",
            Action::PrevPane => "previous pane",
            Action::Open => "open the article, or open/close a folder",
            Action::Back => "close the overlay, or go back",
            Action::BackOrQuit => "go back; quit from the tree",
            Action::Quit => "quit",
            Action::Refresh => "refresh the selected source or folder",
            Action::RefreshAll => "refresh everything",
            Action::OpenInBrowser => "open the article in the browser",
            Action::FetchPage => "fetch the article's page for its full text",
            Action::Bookmark => "bookmark the article, or remove its bookmark",
            Action::ToggleRead => "mark the article unread, or read",
            Action::MarkAllRead => "mark everything listed read",
            Action::Search => "search everything cached",
            Action::Help => "show or hide this help",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_has_a_config_name() {
        assert_eq!(Action::from_name("page_down"), Some(Action::PageDown));
        assert_eq!(Action::from_name("open_in_browser"), Some(Action::OpenInBrowser));
        assert_eq!(Action::from_name("fly"), None);
        let named = Action::ALL.iter().filter(|a| Action::from_name(&format!("{a:?}").to_snake_case()) == Some(**a));
        assert_eq!(named.count(), Action::ALL.len());
        assert!(Action::ALL.iter().all(|a| Action::from_name(&a.name()) == Some(*a)), "names round-trip");
        assert_eq!(Action::OpenInBrowser.name(), "open_in_browser");
    }

    trait SnakeCase {
        fn to_snake_case(&self) -> String;
    }

    impl SnakeCase for String {
        fn to_snake_case(&self) -> String {
            let mut out = String::new();
            for (i, c) in self.chars().enumerate() {
                if c.is_uppercase() && i > 0 {
                    out.push('_');
                }
                out.push(c.to_ascii_lowercase());
            }
            out
        }
    }
}
