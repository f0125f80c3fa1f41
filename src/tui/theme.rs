//! Colours and text attributes. Themes are TOML files in `themes/`, embedded at build time;
//! every style the screen uses has a name there.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::render::{Role, SpanStyle};

const DEFAULT: &str = include_str!("../../themes/default.toml");

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub border: Style,
    pub border_focused: Style,
    pub pane_title: Style,
    pub selected: Style,
    pub selected_unfocused: Style,
    pub unread: Style,
    pub read: Style,
    pub unread_mark: Style,
    pub date: Style,
    pub source: Style,
    pub count: Style,
    pub error: Style,
    pub status: Style,
    pub status_busy: Style,
    pub status_error: Style,
    pub help_key: Style,
    pub notice: Style,
    /// Words a search matched.
    pub search_match: Style,
    text: TextStyles,
}

#[derive(Debug, Clone, PartialEq)]
struct TextStyles {
    body: Style,
    title: Style,
    meta: Style,
    heading: Style,
    quote: Style,
    code: Style,
    link: Style,
    link_ref: Style,
    image: Style,
    footnote: Style,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    ui: RawUi,
    text: RawText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUi {
    border: RawStyle,
    border_focused: RawStyle,
    pane_title: RawStyle,
    selected: RawStyle,
    selected_unfocused: RawStyle,
    unread: RawStyle,
    read: RawStyle,
    unread_mark: RawStyle,
    date: RawStyle,
    source: RawStyle,
    count: RawStyle,
    error: RawStyle,
    status: RawStyle,
    status_busy: RawStyle,
    status_error: RawStyle,
    help_key: RawStyle,
    notice: RawStyle,
    search_match: RawStyle,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawText {
    body: RawStyle,
    title: RawStyle,
    meta: RawStyle,
    heading: RawStyle,
    quote: RawStyle,
    code: RawStyle,
    link: RawStyle,
    link_ref: RawStyle,
    image: RawStyle,
    footnote: RawStyle,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    italic: bool,
    #[serde(default)]
    underlined: bool,
    #[serde(default)]
    dim: bool,
    #[serde(default)]
    reversed: bool,
}

impl RawStyle {
    fn style(&self) -> Result<Style, String> {
        let colour = |c: &Option<String>| -> Result<Option<Color>, String> {
            c.as_deref().map(|name| Color::from_str(name).map_err(|_| format!("unknown colour \"{name}\""))).transpose()
        };
        let mut style = Style::default();
        if let Some(fg) = colour(&self.fg)? {
            style = style.fg(fg);
        }
        if let Some(bg) = colour(&self.bg)? {
            style = style.bg(bg);
        }
        let flags = [
            (self.bold, Modifier::BOLD),
            (self.italic, Modifier::ITALIC),
            (self.underlined, Modifier::UNDERLINED),
            (self.dim, Modifier::DIM),
            (self.reversed, Modifier::REVERSED),
        ];
        for (on, modifier) in flags {
            if on {
                style = style.add_modifier(modifier);
            }
        }
        Ok(style)
    }
}

impl Theme {
    /// Parses a theme file; the error says which style is wrong.
    pub fn parse(text: &str) -> Result<Theme, String> {
        let raw: RawTheme = toml::from_str(text).map_err(|e| e.to_string())?;
        let (u, t) = (&raw.ui, &raw.text);
        Ok(Theme {
            border: u.border.style()?,
            border_focused: u.border_focused.style()?,
            pane_title: u.pane_title.style()?,
            selected: u.selected.style()?,
            selected_unfocused: u.selected_unfocused.style()?,
            unread: u.unread.style()?,
            read: u.read.style()?,
            unread_mark: u.unread_mark.style()?,
            date: u.date.style()?,
            source: u.source.style()?,
            count: u.count.style()?,
            error: u.error.style()?,
            status: u.status.style()?,
            status_busy: u.status_busy.style()?,
            status_error: u.status_error.style()?,
            help_key: u.help_key.style()?,
            notice: u.notice.style()?,
            search_match: u.search_match.style()?,
            text: TextStyles {
                body: t.body.style()?,
                title: t.title.style()?,
                meta: t.meta.style()?,
                heading: t.heading.style()?,
                quote: t.quote.style()?,
                code: t.code.style()?,
                link: t.link.style()?,
                link_ref: t.link_ref.style()?,
                image: t.image.style()?,
                footnote: t.footnote.style()?,
            },
        })
    }

    /// The style of a piece of article text.
    pub fn text(&self, style: SpanStyle) -> Style {
        let t = &self.text;
        let mut out = match style.role {
            Role::Body => t.body,
            Role::Title => t.title,
            Role::Meta => t.meta,
            Role::Heading => t.heading,
            Role::Quote => t.quote,
            Role::Code => t.code,
            Role::Link => t.link,
            Role::LinkRef => t.link_ref,
            Role::Image => t.image,
            Role::Footnote => t.footnote,
        };
        if style.strong {
            out = out.add_modifier(Modifier::BOLD);
        }
        if style.emphasis {
            out = out.add_modifier(Modifier::ITALIC);
        }
        if style.strike {
            out = out.add_modifier(Modifier::CROSSED_OUT);
        }
        out
    }
}

impl Default for Theme {
    fn default() -> Theme {
        Theme::parse(DEFAULT).expect("themes/default.toml is checked by a test")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_theme_parses() {
        let theme = Theme::parse(DEFAULT).unwrap();
        assert_eq!(theme.border_focused, Style::default().fg(Color::Cyan));
        assert_eq!(theme.text(SpanStyle { role: Role::Heading, ..SpanStyle::default() }).fg, Some(Color::Cyan));
    }

    #[test]
    fn a_bad_colour_is_named() {
        let text = DEFAULT.replace("fg = \"cyan\", bold = true }\nquote", "fg = \"ultraviolet\", bold = true }\nquote");
        assert_eq!(Theme::parse(&text).unwrap_err(), "unknown colour \"ultraviolet\"");
    }
}
