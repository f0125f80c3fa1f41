//! kiosque: a terminal news reader. A site's sections as a tree, the latest articles of
//! the chosen section, the article itself as clean text, and a local cache that keeps
//! what was read for offline use. See DESIGN.md for the map; each module says why it is
//! shaped the way it is.

pub mod browser;
pub mod cli;
pub mod config;
pub mod demo;
pub mod engine;
pub mod extract;
pub mod folder;
pub mod guard;
pub mod html_limits;
pub mod http;
pub mod model;
pub mod render;
pub mod sanitize;
pub mod sources;
pub mod store;
pub mod sync;
pub mod timefmt;
pub mod tui;
pub mod wording;
