//! Colours and text attributes. The built-in themes are TOML files in `themes/`,
//! embedded at build time; every style the screen uses has a name there. A theme of the
//! user's own is a TOML file of the same keys that sets those it changes, over the
//! default; a key it misspells is reported, not fatal. `NO_COLOR` takes every colour
//! out of whichever theme, leaving bold, underline and reverse video.

use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::render::{Role, SpanStyle};

const DEFAULT: &str = include_str!("../../themes/default.toml");

/// The built-in themes: name, what it is for, and its file.
pub const BUILT_IN: &[(&str, &str, &str)] = &[
    ("default", "for dark backgrounds, in the terminal's own palette", DEFAULT),
    ("light", "for light backgrounds", include_str!("../../themes/light.toml")),
    ("gruvbox", "gruvbox's warm, low-contrast colours on a dark background", include_str!("../../themes/gruvbox.toml")),
    ("mono", "high contrast without colour: bold, underline, reverse video", include_str!("../../themes/mono.toml")),
];

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
    /// The theme `spec` names: a built-in one, else the TOML file at that path, set over
    /// the default; and what was wrong in it, left out (unknown keys).
    pub fn load(spec: &str) -> Result<(Theme, Vec<String>), String> {
        if let Some((_, _, text)) = BUILT_IN.iter().find(|(name, _, _)| name.eq_ignore_ascii_case(spec)) {
            return Ok((Theme::parse(text)?, Vec::new()));
        }
        let looks_like_a_file = spec.contains('/') || spec.ends_with(".toml");
        if !looks_like_a_file {
            let names: Vec<&str> = BUILT_IN.iter().map(|(name, _, _)| *name).collect();
            return Err(format!("no theme \"{spec}\" (built in: {}; or a path to a .toml file)", names.join(", ")));
        }
        let text = std::fs::read_to_string(spec).map_err(|e| format!("theme {spec}: {e}"))?;
        let own: toml::Table = toml::from_str(&text).map_err(|e| format!("theme {spec}: {e}"))?;
        let mut merged: toml::Table = toml::from_str(DEFAULT).expect("the default theme is a table");
        let mut unknown = Vec::new();
        for (section, value) in own {
            let (Some(toml::Value::Table(known)), toml::Value::Table(styles)) = (merged.get_mut(&section), &value)
            else {
                unknown.push(format!("theme {spec}: unknown key \"{section}\", left out"));
                continue;
            };
            for (key, style) in styles {
                match known.get_mut(key) {
                    Some(slot) => *slot = style.clone(),
                    None => unknown.push(format!("theme {spec}: unknown key \"{section}.{key}\", left out")),
                }
            }
        }
        let theme = Theme::from_table(merged).map_err(|e| format!("theme {spec}: {e}"))?;
        Ok((theme, unknown))
    }

    /// The same theme without a colour, for `NO_COLOR`: what a colour set apart stays
    /// apart by reverse video.
    pub fn without_colour(mut self) -> Theme {
        let strip = |style: &mut Style| {
            if style.bg.is_some() {
                *style = style.add_modifier(Modifier::REVERSED);
            }
            style.fg = None;
            style.bg = None;
        };
        for style in [
            &mut self.border,
            &mut self.border_focused,
            &mut self.pane_title,
            &mut self.selected,
            &mut self.selected_unfocused,
            &mut self.unread,
            &mut self.read,
            &mut self.unread_mark,
            &mut self.date,
            &mut self.source,
            &mut self.count,
            &mut self.error,
            &mut self.status,
            &mut self.status_busy,
            &mut self.status_error,
            &mut self.help_key,
            &mut self.notice,
            &mut self.search_match,
        ] {
            strip(style);
        }
        let t = &mut self.text;
        for style in [
            &mut t.body,
            &mut t.title,
            &mut t.meta,
            &mut t.heading,
            &mut t.quote,
            &mut t.code,
            &mut t.link,
            &mut t.link_ref,
            &mut t.image,
            &mut t.footnote,
        ] {
            strip(style);
        }
        self
    }

    /// Parses a theme file; the error says which style is wrong.
    pub fn parse(text: &str) -> Result<Theme, String> {
        Theme::from_table(toml::from_str(text).map_err(|e| e.to_string())?)
    }

    fn from_table(table: toml::Table) -> Result<Theme, String> {
        let raw: RawTheme = table.try_into().map_err(|e: toml::de::Error| e.to_string())?;
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
    fn every_built_in_theme_parses_and_keeps_the_unread_mark_visible_when_selected() {
        for (name, _, text) in BUILT_IN {
            let theme = Theme::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            for plain in [theme.clone(), theme.without_colour()] {
                for selected in [plain.selected, plain.selected_unfocused] {
                    let mark = plain.unread_mark.patch(selected);
                    let seen = mark.add_modifier.contains(Modifier::REVERSED) || mark.fg != mark.bg;
                    assert!(seen, "{name}: the mark on a selected row: {mark:?}");
                    assert!(selected != Style::default(), "{name}: the selection shows");
                }
            }
        }
    }

    #[test]
    fn no_color_leaves_attributes_and_reverses_what_had_a_background() {
        let plain = Theme::default().without_colour();
        assert_eq!(plain.selected, Style::default().add_modifier(Modifier::REVERSED));
        assert_eq!(plain.unread, Style::default().add_modifier(Modifier::BOLD));
        assert_eq!(plain.text(SpanStyle { role: Role::Link, ..SpanStyle::default() }).fg, None);
    }

    #[test]
    fn a_theme_of_ones_own_sets_what_it_changes_and_names_what_it_misspells() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("mine.toml");
        std::fs::write(&file, "[ui]\nselected = { fg = \"white\", bg = \"red\" }\nselcted = {}\n[txt]\nbody = {}\n")
            .unwrap();
        let (theme, unknown) = Theme::load(file.to_str().unwrap()).unwrap();
        assert_eq!(theme.selected, Style::default().fg(Color::White).bg(Color::Red));
        assert_eq!(theme.border_focused, Theme::default().border_focused, "the rest is the default's");
        assert_eq!(unknown.len(), 2);
        assert!(unknown.iter().any(|u| u.ends_with("unknown key \"ui.selcted\", left out")), "{unknown:?}");
        assert!(unknown.iter().any(|u| u.ends_with("unknown key \"txt\", left out")), "{unknown:?}");
        assert!(Theme::load("Gruvbox").is_ok(), "built-in names in any case");
        let err = Theme::load("solarised").unwrap_err();
        assert!(err.starts_with("no theme \"solarised\" (built in: default, light, gruvbox, mono"), "{err}");
        let err = Theme::load("/nowhere/mine.toml").unwrap_err();
        assert!(err.starts_with("theme /nowhere/mine.toml: "), "{err}");
    }

    #[test]
    fn a_bad_colour_is_named() {
        let text = DEFAULT.replace("fg = \"cyan\", bold = true }\nquote", "fg = \"ultraviolet\", bold = true }\nquote");
        assert_eq!(Theme::parse(&text).unwrap_err(), "unknown colour \"ultraviolet\"");
    }
}
