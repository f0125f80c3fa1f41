//! Everything the user can do, as data, one enum per layer that takes keys: `Action` in
//! the panes (and the help), `PromptAction` in the search prompt, `Answer` to a
//! question. Keys map to them (`keymap`), `[keys]` in the config names them, the help
//! lists them, and each is acted on in one place: `App::apply`, `App::edit_search`,
//! `App::answer`.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// An action as the config names it and the help describes it.
pub trait Named: Copy + Eq + Serialize + DeserializeOwned + 'static {
    /// In the order the help lists them.
    const ALL: &'static [Self];

    fn describe(self) -> &'static str;

    /// An action by its config name, such as `page_down`.
    fn from_name(name: &str) -> Option<Self> {
        use serde::de::IntoDeserializer;
        let deserializer: serde::de::value::StrDeserializer<'_, serde::de::value::Error> = name.into_deserializer();
        Self::deserialize(deserializer).ok()
    }

    /// Its config name, as `[keys]` takes it.
    fn name(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Up,
    Down,
    PageUp,
    PageDown,
    /// Space: scrolls the article, and goes on to the next unread one at its end.
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
    /// The next unread article, in the list, then in the sources after it; opened.
    NextUnread,
    PrevUnread,
    Bookmark,
    ToggleRead,
    /// Marks everything the list shows read.
    MarkAllRead,
    /// Marks the articles of the last `MarkAllRead` unread again.
    UndoMarkAll,
    /// The tree a little narrower, or wider; remembered between runs.
    NarrowTree,
    WidenTree,
    /// The article alone at full width, or the panes back.
    Zoom,
    /// Lists the article's links, to open or copy one.
    Links,
    /// The list's next order: newest, oldest, unread first, by source.
    Sort,
    /// Opens the search prompt.
    Search,
    Help,
}

impl Named for Action {
    const ALL: &'static [Action] = &[
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
        Action::NextUnread,
        Action::PrevUnread,
        Action::Bookmark,
        Action::ToggleRead,
        Action::MarkAllRead,
        Action::UndoMarkAll,
        Action::NarrowTree,
        Action::WidenTree,
        Action::Zoom,
        Action::Links,
        Action::Sort,
        Action::Search,
        Action::Help,
    ];

    fn describe(self) -> &'static str {
        match self {
            Action::Up => "move up / scroll up",
            Action::Down => "move down / scroll down",
            Action::PageUp => "page up",
            Action::PageDown => "page down",
            Action::ReadOn => "scroll the article; the next unread one at its end",
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
            Action::NextUnread => "next unread article, across sources",
            Action::PrevUnread => "previous unread article, across sources",
            Action::Bookmark => "bookmark the article, or remove its bookmark",
            Action::ToggleRead => "mark the article unread, or read",
            Action::MarkAllRead => "mark everything listed read (asks first past 20)",
            Action::UndoMarkAll => "undo the last mark-everything-read",
            Action::NarrowTree => "narrow the tree",
            Action::WidenTree => "widen the tree",
            Action::Zoom => "the article alone at full width, or back",
            Action::Links => "the article's links, to open or copy",
            Action::Sort => "list order: newest, oldest, unread first, by source",
            Action::Search => "search everything cached",
            Action::Help => "show or hide this help",
        }
    }
}

impl Action {
    /// How many rows a move goes in a pane whose page is `page` rows (up is negative,
    /// the ends are the farthest there are); `None` for what is no move.
    pub fn moves(self, page: isize) -> Option<isize> {
        Some(match self {
            Action::Up => -1,
            Action::Down => 1,
            Action::PageUp => -page,
            Action::PageDown => page,
            Action::Top => isize::MIN,
            Action::Bottom => isize::MAX,
            _ => return None,
        })
    }
}

/// What a key does in the search prompt, `[keys.prompt]` in the config. A key bound to
/// none of these types its character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptAction {
    Search,
    Close,
    Quit,
    CursorLeft,
    CursorRight,
    LineStart,
    LineEnd,
    DeleteBack,
    DeleteForward,
    DeleteWordBack,
    ClearToStart,
    HistoryBack,
    HistoryForward,
}

impl Named for PromptAction {
    const ALL: &'static [PromptAction] = &[
        PromptAction::Search,
        PromptAction::Close,
        PromptAction::Quit,
        PromptAction::CursorLeft,
        PromptAction::CursorRight,
        PromptAction::LineStart,
        PromptAction::LineEnd,
        PromptAction::DeleteBack,
        PromptAction::DeleteForward,
        PromptAction::DeleteWordBack,
        PromptAction::ClearToStart,
        PromptAction::HistoryBack,
        PromptAction::HistoryForward,
    ];

    fn describe(self) -> &'static str {
        match self {
            PromptAction::Search => "search",
            PromptAction::Close => "close the prompt",
            PromptAction::Quit => "quit",
            PromptAction::CursorLeft => "cursor left",
            PromptAction::CursorRight => "cursor right",
            PromptAction::LineStart => "cursor to the start",
            PromptAction::LineEnd => "cursor to the end",
            PromptAction::DeleteBack => "delete before the cursor",
            PromptAction::DeleteForward => "delete under the cursor",
            PromptAction::DeleteWordBack => "delete the word before the cursor",
            PromptAction::ClearToStart => "delete all before the cursor",
            PromptAction::HistoryBack => "the search typed before",
            PromptAction::HistoryForward => "the search typed after",
        }
    }
}

/// What a key does in the link list, `[keys.links]` in the config. A digit bound to none
/// of these jumps to the link of that number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkAction {
    Open,
    Copy,
    Up,
    Down,
    Top,
    Bottom,
    Close,
}

impl Named for LinkAction {
    const ALL: &'static [LinkAction] = &[
        LinkAction::Open,
        LinkAction::Copy,
        LinkAction::Up,
        LinkAction::Down,
        LinkAction::Top,
        LinkAction::Bottom,
        LinkAction::Close,
    ];

    fn describe(self) -> &'static str {
        match self {
            LinkAction::Open => "open the link in the browser",
            LinkAction::Copy => "copy the link (to the terminal's clipboard)",
            LinkAction::Up => "previous link",
            LinkAction::Down => "next link",
            LinkAction::Top => "first link",
            LinkAction::Bottom => "last link",
            LinkAction::Close => "close the list; digits jump to [n]",
        }
    }
}

/// What a key answers to a question such as "Mark 300 articles read?",
/// `[keys.question]` in the config. Any key bound to none of these says no.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
}

impl Named for Answer {
    const ALL: &'static [Answer] = &[Answer::Yes];

    fn describe(self) -> &'static str {
        match self {
            Answer::Yes => "yes; any other key says no",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_layers_actions_have_config_names() {
        assert_eq!(PromptAction::from_name("clear_to_start"), Some(PromptAction::ClearToStart));
        assert!(PromptAction::ALL.iter().all(|a| PromptAction::from_name(&a.name()) == Some(*a)));
        assert_eq!(Answer::from_name("yes"), Some(Answer::Yes));
        assert_eq!(Answer::from_name("page_down"), None, "a table's names are its own");
    }

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
