//! The user's settings. TOML is read into raw serde structs, then checked into a `Config`
//! in which every value is valid (ripgrep's two steps), with errors that name the file
//! and the entry. Paths come from the command line, the environment, or the platform's
//! folders (`directories`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::http::{HttpSettings, checked_url};
use crate::model::SourceKind;
use crate::timefmt::Lang;

/// Unread articles are kept this long unless the config says otherwise.
pub const DEFAULT_KEEP_DAYS: u32 = 90;
/// Minutes between refreshes while the reader stays open, unless the config says.
const DEFAULT_REFRESH_MINUTES: u32 = 30;

/// The config written on first run.
pub const DEFAULT_CONFIG: &str = include_str!("default_config.toml");

/// An `[[ignore]]` rule as the config gives it: patterns, all of those given to match,
/// and the source it is for (a name or a URL of the config). `sources::ignore` applies it.
#[derive(Debug, Clone)]
pub struct IgnoreRule {
    pub title: Option<regex::Regex>,
    pub author: Option<regex::Regex>,
    pub source: Option<String>,
}

impl PartialEq for IgnoreRule {
    fn eq(&self, other: &IgnoreRule) -> bool {
        let pattern = |r: &Option<regex::Regex>| r.as_ref().map(|r| r.as_str().to_owned());
        (pattern(&self.title), pattern(&self.author), &self.source)
            == (pattern(&other.title), pattern(&other.author), &other.source)
    }
}

/// `[keys]`: the panes' keys, and a table of its own for each layer with other keys.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct KeysConfig {
    /// `[keys.prompt]`: the search prompt's.
    #[serde(default)]
    pub prompt: BTreeMap<String, String>,
    /// `[keys.links]`: the link list's.
    #[serde(default)]
    pub links: BTreeMap<String, String>,
    /// `[keys.question]`: the answers to a question.
    #[serde(default)]
    pub question: BTreeMap<String, String>,
    #[serde(flatten)]
    pub panes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub lang: Lang,
    pub refresh_on_start: bool,
    /// Unread articles older than this many days are dropped at refresh; 0 keeps all.
    pub keep_days: u32,
    pub http: HttpSettings,
    /// Key overrides, checked by the reader's key map.
    pub keys: KeysConfig,
    /// What opens links (`browser`, `browser_in_terminal`).
    pub browser: crate::browser::Choice,
    /// A built-in theme's name, or the path of a theme file.
    pub theme: Option<String>,
    /// Whether the reader takes the mouse.
    pub mouse: bool,
    /// Minutes between refreshes while the reader is open; 0: never.
    pub refresh_minutes: u32,
    /// Articles not to keep (`[[ignore]]`).
    pub ignore: Vec<IgnoreRule>,
    /// Sites first, then feeds, each in the order of the file.
    pub feeds: Vec<FeedConfig>,
    /// The feed server to sync with, if any (`[sync]`).
    pub sync: Option<crate::sync::Settings>,
}

impl Config {
    /// The folder `path` as the config already spells it ("tech / radio" finds "Tech"),
    /// `None` when it names no folder.
    pub fn folder_named(&self, path: &str) -> Option<String> {
        crate::folder::spelled_as(path, self.feeds.iter().filter_map(|f| f.folder.as_deref()))
    }
}

/// A configured source: a feed (`[[feed]]`) or a site (`[[site]]`).
#[derive(Debug, Clone, PartialEq)]
pub struct FeedConfig {
    pub url: String,
    pub name: Option<String>,
    pub folder: Option<String>,
    pub kind: SourceKind,
    /// Fetch the page of each new article at refresh, so that it reads in full offline.
    pub prefetch: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config {}: {reason}", path.display())]
    Read { path: PathBuf, reason: String },
    #[error("cannot write the config {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
    #[error("bad config {}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("no folder for {0}: set --{0} or ${1}, or HOME")]
    NoHome(&'static str, &'static str),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    language: Option<String>,
    refresh_on_start: Option<bool>,
    keep_days: Option<u32>,
    browser: Option<String>,
    browser_in_terminal: Option<bool>,
    theme: Option<String>,
    mouse: Option<bool>,
    refresh_minutes: Option<u32>,
    #[serde(default)]
    http: RawHttp,
    #[serde(default)]
    keys: KeysConfig,
    #[serde(default)]
    site: Vec<RawFeed>,
    #[serde(default)]
    feed: Vec<RawFeed>,
    #[serde(default)]
    ignore: Vec<RawIgnore>,
    sync: Option<RawSync>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSync {
    kind: String,
    url: String,
    user: String,
    password_file: Option<PathBuf>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIgnore {
    title: Option<String>,
    author: Option<String>,
    source: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    timeout_secs: Option<u64>,
    concurrency: Option<u64>,
    per_host: Option<u64>,
    max_mb: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeed {
    url: String,
    name: Option<String>,
    folder: Option<String>,
    #[serde(default)]
    prefetch: bool,
}

/// Parses and checks config text; `path` is only named in errors.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid { path: path.to_owned(), message };
    let raw: RawConfig = toml::from_str(text).map_err(|e| invalid(e.to_string().trim_end().to_owned()))?;
    let lang = match raw.language.as_deref().unwrap_or("auto") {
        "auto" => Lang::from_env(),
        "fr" => Lang::Fr,
        "en" => Lang::En,
        other => return Err(invalid(format!("language = \"{other}\": expected \"fr\", \"en\" or \"auto\""))),
    };
    let defaults = HttpSettings::default();
    // Each number within what makes sense: 0 would fail every fetch, and past the top a
    // semaphore or a shift overflows.
    let within = |name: &str, value: Option<u64>, default: u64, (low, high): (u64, u64)| match value {
        Some(n) if n < low => Err(invalid(format!("http.{name} must be at least {low}"))),
        Some(n) if n > high => Err(invalid(format!("http.{name} must be at most {high}"))),
        Some(n) => Ok(n),
        None => Ok(default),
    };
    let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
    let timeout = within("timeout_secs", raw.http.timeout_secs, defaults.timeout.as_secs(), (1, 600))?;
    let concurrency = within("concurrency", raw.http.concurrency, defaults.concurrency as u64, (1, 256))?;
    let per_host = within("per_host", raw.http.per_host, defaults.per_host as u64, (1, 64))?;
    let max_mb = within("max_mb", raw.http.max_mb, (defaults.max_bytes >> 20) as u64, (1, 1024))?;
    let http = HttpSettings {
        timeout: Duration::from_secs(timeout),
        concurrency: count(concurrency),
        per_host: count(per_host),
        max_bytes: count(max_mb) << 20,
        ..defaults
    };
    let mut feeds: Vec<FeedConfig> = Vec::with_capacity(raw.site.len() + raw.feed.len());
    let mut positions: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let sites = raw.site.into_iter().enumerate().map(|(i, raw)| (i, raw, SourceKind::Site));
    let listed = raw.feed.into_iter().enumerate().map(|(i, raw)| (i, raw, SourceKind::Feed));
    for (i, raw, kind) in sites.chain(listed) {
        let table = kind.name();
        let shown = crate::wording::shorten(&raw.url, crate::wording::URL_SHOWN);
        let url = checked_url(&raw.url).map_err(|e| invalid(format!("{table} {} ({shown}): {e}", i + 1)))?.to_string();
        if let Some(first) = positions.get(&url) {
            return Err(invalid(format!("{table} {} ({url}) is already listed as source {}", i + 1, first + 1)));
        }
        positions.insert(url.clone(), feeds.len());
        let tidy = |s: Option<String>| s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
        let folder = raw.folder.as_deref().and_then(crate::folder::tidy);
        if let Some(why) = folder.as_deref().and_then(crate::folder::refused) {
            return Err(invalid(format!("{table} {} ({url}): {why}", i + 1)));
        }
        feeds.push(FeedConfig { url, name: tidy(raw.name), folder, kind, prefetch: raw.prefetch });
    }
    let mut ignore = Vec::with_capacity(raw.ignore.len());
    for (i, rule) in raw.ignore.into_iter().enumerate() {
        let pattern = |field: &str, text: Option<String>| -> Result<Option<regex::Regex>, ConfigError> {
            text.map(|text| {
                regex::RegexBuilder::new(&text).size_limit(1 << 20).build().map_err(|e| {
                    invalid(format!("ignore {} {field}: {}", i + 1, e.to_string().lines().last().unwrap_or_default()))
                })
            })
            .transpose()
        };
        let (title, author) = (pattern("title", rule.title)?, pattern("author", rule.author)?);
        if title.is_none() && author.is_none() {
            return Err(invalid(format!("ignore {}: give a title or an author pattern", i + 1)));
        }
        if let Some(source) = &rule.source
            && !feeds
                .iter()
                .any(|f| f.url == *source || f.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(source)))
        {
            return Err(invalid(format!("ignore {}: no source \"{source}\" in the config (a name or a URL)", i + 1)));
        }
        ignore.push(IgnoreRule { title, author, source: rule.source });
    }
    let sync = raw.sync.map(|raw| sync_settings(raw, path)).transpose().map_err(invalid)?;
    Ok(Config {
        lang,
        refresh_on_start: raw.refresh_on_start.unwrap_or(true),
        keep_days: raw.keep_days.unwrap_or(DEFAULT_KEEP_DAYS),
        http,
        keys: raw.keys,
        browser: crate::browser::Choice { command: raw.browser, in_terminal: raw.browser_in_terminal },
        theme: raw.theme,
        mouse: raw.mouse.unwrap_or(true),
        refresh_minutes: raw.refresh_minutes.unwrap_or(DEFAULT_REFRESH_MINUTES),
        ignore,
        feeds,
        sync,
    })
}

/// `[sync]`, checked; a relative `password_file` is beside the config.
fn sync_settings(raw: RawSync, path: &Path) -> Result<crate::sync::Settings, String> {
    use crate::sync::{ServerKind, password};
    let kind = match raw.kind.as_str() {
        "ttrss" => ServerKind::Ttrss,
        "greader" => ServerKind::Greader,
        other => {
            let other = crate::sanitize::clean_line(other);
            return Err(format!("sync.kind = \"{other}\": expected \"ttrss\" or \"greader\""));
        }
    };
    let shown = crate::wording::shorten(&raw.url, crate::wording::URL_SHOWN);
    let url = checked_url(&raw.url).map_err(|e| format!("sync.url ({shown}): {e}"))?;
    let user = raw.user.trim().to_owned();
    if user.is_empty() {
        return Err("sync.user is empty".to_owned());
    }
    let password = match raw.password_file {
        Some(file) if file.is_relative() => password::From::File(path.parent().unwrap_or(Path::new(".")).join(file)),
        Some(file) => password::From::File(file),
        None => password::From::Variable,
    };
    let name = raw.name.map(|n| crate::sanitize::clean_line(&n)).filter(|n| !n.is_empty());
    Ok(crate::sync::Settings { kind, url, user, password, name })
}

/// Reads the config at `path`, first writing the default one there if there is none.
/// Returns whether it was just written.
pub fn load_or_create(path: &Path) -> Result<(Config, bool), ConfigError> {
    load_or_create_with(path, Defaults::Sources)
}

/// What a config written anew holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Defaults {
    /// The default config whole, its sample sources included.
    Sources,
    /// Its settings (all commented out) without a source: for `add` and `import
    /// --no-defaults`, whose user brings their own.
    NoSources,
}

/// The default config without its sources.
pub fn default_settings() -> &'static str {
    let sources =
        DEFAULT_CONFIG.find("\n# Sites, browsed by their own sections").expect("the default config lists sources");
    &DEFAULT_CONFIG[..sources + 1]
}

/// As `load_or_create`, with what a new config holds.
pub fn load_or_create_with(path: &Path, defaults: Defaults) -> Result<(Config, bool), ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((parse(&text, path)?, false)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let text = match defaults {
                Defaults::Sources => DEFAULT_CONFIG,
                Defaults::NoSources => default_settings(),
            };
            write_config(path, text)?;
            Ok((parse(text, path)?, true))
        }
        Err(e) => Err(ConfigError::Read { path: path.to_owned(), reason: e.to_string() }),
    }
}

/// Reads the config at `path` if there is one, writing nothing: for commands that only
/// borrow settings.
pub fn load_if_present(path: &Path) -> Result<Option<Config>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse(&text, path).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ConfigError::Read { path: path.to_owned(), reason: e.to_string() }),
    }
}

/// Appends a source to the config file, keeping everything already in it (comments too).
/// The result is checked before it replaces the file.
pub fn append_feed(path: &Path, feed: &FeedConfig) -> Result<Config, ConfigError> {
    append_feeds(path, std::slice::from_ref(feed))
}

/// Appends sources to the config file in one write: all of them or, on any error, none.
pub fn append_feeds(path: &Path, feeds: &[FeedConfig]) -> Result<Config, ConfigError> {
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    let mut updated = read_text(path)?;
    if !updated.is_empty() && !updated.ends_with('\n') {
        updated.push('\n');
    }
    for feed in feeds {
        // Blocks are set apart by a blank line, not the first of an empty file.
        if !updated.trim().is_empty() {
            updated.push('\n');
        }
        updated.push_str(&format!("[[{}]]\nurl = {}\n", feed.kind.name(), quote(&feed.url)));
        if let Some(name) = &feed.name {
            updated.push_str(&format!("name = {}\n", quote(name)));
        }
        if let Some(folder) = &feed.folder {
            updated.push_str(&format!("folder = {}\n", quote(folder)));
        }
        if feed.prefetch {
            updated.push_str("prefetch = true\n");
        }
    }
    let config = parse(&updated, path)?;
    write_config(path, &updated)?;
    Ok(config)
}

/// Removes the source at `url` from the config file, keeping everything else as it is
/// written, comments included. The result must hold exactly the other sources, or the
/// file is left alone.
pub fn remove_source(path: &Path, url: &str) -> Result<Config, ConfigError> {
    let text = read_text(path)?;
    let before = parse(&text, path)?;
    let invalid = |message: String| ConfigError::Invalid { path: path.to_owned(), message };
    // A block runs from its `[[feed]]`/`[[site]]` line to its last line of settings:
    // the comments and blank lines after it belong to what follows.
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let is_header = |line: &str| line.trim_start().starts_with('[');
    let mut removed = None;
    let mut i = 0;
    while i < lines.len() {
        let header = lines[i].trim();
        if matches!(header, "[[feed]]" | "[[site]]") {
            let mut end = i + 1;
            let mut last = i;
            while end < lines.len() && !is_header(lines[end]) {
                let line = lines[end].trim();
                if !line.is_empty() && !line.starts_with('#') {
                    last = end;
                }
                end += 1;
            }
            let block: String = lines[i..=last].concat();
            let names_url = parse(&block, path).ok().is_some_and(|c| c.feeds.first().is_some_and(|f| f.url == url));
            if names_url {
                removed = Some((i, last));
                break;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    let Some((first, last)) = removed else {
        return Err(invalid(format!("no source at {url}")));
    };
    // The blank line that separated it from what follows goes with it.
    let rest = if lines.get(last + 1).is_some_and(|l| l.trim().is_empty()) { last + 2 } else { last + 1 };
    let updated: String = lines[..first].concat() + &lines[rest.min(lines.len())..].concat();
    let after = parse(&updated, path)?;
    let expected: Vec<&FeedConfig> = before.feeds.iter().filter(|f| f.url != url).collect();
    if after.feeds.iter().collect::<Vec<_>>() != expected {
        return Err(invalid(format!("cannot remove {url} without changing other entries; edit the file by hand")));
    }
    write_config(path, &updated)?;
    Ok(after)
}

fn read_text(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|e| ConfigError::Read { path: path.to_owned(), reason: e.to_string() })
}

/// Writes the config through `write_atomically`.
fn write_config(path: &Path, text: &str) -> Result<(), ConfigError> {
    write_atomically(path, text).map_err(|e| ConfigError::Write { path: path.to_owned(), reason: e.to_string() })
}

/// Writes through a temporary file and a rename, so a crash leaves the old file or the
/// new, never half of one.
pub fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    let mut file = std::fs::File::create(&tmp)?;
    let written =
        file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Where kiosque keeps its files.
#[derive(Debug, Clone, PartialEq)]
pub struct Paths {
    pub config_file: PathBuf,
    pub data_dir: PathBuf,
}

impl Paths {
    /// From the command line or environment when given, else the platform's folders.
    pub fn resolve(config_file: Option<PathBuf>, data_dir: Option<PathBuf>) -> Result<Paths, ConfigError> {
        let dirs = directories::ProjectDirs::from("", "", "kiosque");
        let config_file = match config_file {
            Some(path) => path,
            None => {
                dirs.as_ref().ok_or(ConfigError::NoHome("config", "KIOSQUE_CONFIG"))?.config_dir().join("config.toml")
            }
        };
        let data_dir = match data_dir {
            Some(path) => path,
            None => dirs.as_ref().ok_or(ConfigError::NoHome("data-dir", "KIOSQUE_DATA_DIR"))?.data_dir().to_owned(),
        };
        Ok(Paths { config_file, data_dir })
    }

    pub fn cache_file(&self) -> PathBuf {
        self.data_dir.join("cache.sqlite")
    }

    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("kiosque.log")
    }

    /// What the reader remembers between runs (the panes' widths).
    pub fn state_file(&self) -> PathBuf {
        self.data_dir.join("state.toml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path() -> &'static Path {
        Path::new("/tmp/k.toml")
    }

    #[test]
    fn the_default_config_is_valid_and_lists_42mag_first() {
        let config = parse(DEFAULT_CONFIG, path()).unwrap();
        assert_eq!((config.feeds[0].url.as_str(), config.feeds[0].kind), ("https://42mag.fr/", SourceKind::Site));
        assert!(config.feeds.len() >= 6);
        assert!(config.refresh_on_start);
        let folders: Vec<_> = config.feeds.iter().filter_map(|f| f.folder.as_deref()).collect();
        assert!(folders.contains(&"En français") && folders.contains(&"In English"));
    }

    #[test]
    fn each_layer_has_its_own_keys_table() {
        let text = "[keys]\n\"x\" = \"quit\"\n[keys.prompt]\n\"ctrl-k\" = \"clear_to_start\"\n\
                    [keys.question]\n\"o\" = \"yes\"\n";
        let keys = parse(text, path()).unwrap().keys;
        let table = |entries: &[(&str, &str)]| -> BTreeMap<String, String> {
            entries.iter().map(|(k, a)| (k.to_string(), a.to_string())).collect()
        };
        assert_eq!(keys.panes, table(&[("x", "quit")]));
        assert_eq!(keys.prompt, table(&[("ctrl-k", "clear_to_start")]));
        assert_eq!(keys.question, table(&[("o", "yes")]));
        let err = parse("[keys]\n\"x\" = 3\n", path()).unwrap_err().to_string();
        assert!(err.starts_with("bad config /tmp/k.toml") && err.contains("keys"), "{err}");
    }

    #[test]
    fn ignore_rules_are_checked_and_name_what_is_wrong() {
        let feed = "[[feed]]\nurl = \"https://a.example/feed\"\nname = \"A\"\n";
        let config = parse(&format!("{feed}[[ignore]]\ntitle = \"(?i)horoscope\"\nsource = \"a\"\n"), path()).unwrap();
        assert_eq!(config.ignore[0].title.as_ref().unwrap().as_str(), "(?i)horoscope");
        let bad = |rule: &str| parse(&format!("{feed}[[ignore]]\n{rule}\n"), path()).unwrap_err().to_string();
        assert!(bad("title = \"(unclosed\"").contains("ignore 1 title: "), "{}", bad("title = \"(unclosed\""));
        assert!(bad("source = \"A\"").ends_with("ignore 1: give a title or an author pattern"));
        assert!(
            bad("author = \"x\"\nsource = \"B\"")
                .ends_with("ignore 1: no source \"B\" in the config (a name or a URL)")
        );
        assert!(bad("titel = \"x\"").contains("unknown field `titel`"));
    }

    #[test]
    fn the_sync_table_is_checked_and_its_password_file_is_beside_the_config() {
        let text = "[sync]\nkind = \"greader\"\nurl = \"https://rss.example.org/api/greader.php\"\n\
                    user = \"ana\"\npassword_file = \"pw\"\nname = \"Home\"\n";
        let sync = parse(text, Path::new("/home/ana/.config/kiosque/config.toml")).unwrap().sync.unwrap();
        assert_eq!(sync.kind, crate::sync::ServerKind::Greader);
        assert_eq!(sync.password, crate::sync::password::From::File("/home/ana/.config/kiosque/pw".into()));
        assert_eq!(sync.label(), "Home");
        let unnamed = parse(&text.replace("name = \"Home\"\n", ""), path()).unwrap().sync.unwrap();
        assert_eq!(unnamed.label(), "Google Reader API (rss.example.org)");
        let wrong = parse(&text.replace("greader", "fever"), path()).unwrap_err().to_string();
        assert!(wrong.contains("sync.kind = \"fever\": expected \"ttrss\" or \"greader\""), "{wrong}");
        let mail = parse(&text.replace("https://rss", "mailto:rss"), path()).unwrap_err().to_string();
        assert!(mail.contains("sync.url"), "{mail}");
    }

    #[test]
    fn errors_name_the_file_and_the_entry() {
        let text = "[[feed]]\nurl = \"https://a.example/feed\"\n[[feed]]\nurl = \"https://a.example/feed\"\n";
        let err = parse(text, path()).unwrap_err().to_string();
        assert_eq!(err, "bad config /tmp/k.toml: feed 2 (https://a.example/feed) is already listed as source 1");
        let err = parse("[[feed]]\nurl = \"ftp://a.example/\"\n", path()).unwrap_err().to_string();
        assert!(err.contains("feed 1 (ftp://a.example/): only http and https"), "{err}");
        let err = parse("[[feed]]\nurl = \"https://a.example/\"\ncolour = 1\n", path()).unwrap_err().to_string();
        assert!(err.contains("unknown field `colour`") && err.contains("line 3"), "{err}");
        let err = parse("[http]\nper_host = 0\n", path()).unwrap_err().to_string();
        assert!(err.ends_with("http.per_host must be at least 1"), "{err}");
        for (setting, said) in [
            ("timeout_secs = 0", "http.timeout_secs must be at least 1"),
            ("concurrency = 18446744073709551615", "http.concurrency must be at most 256"),
            ("per_host = 100000", "http.per_host must be at most 64"),
            ("max_mb = 17592186044416", "http.max_mb must be at most 1024"),
        ] {
            let err = parse(&format!("[http]\n{setting}\n"), path()).unwrap_err().to_string();
            assert!(err.ends_with(said), "{setting}: {err}");
        }
    }

    #[test]
    fn appending_a_feed_keeps_comments_and_escapes_values() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(&file, "# my notes\n[[feed]]\nurl = \"https://a.example/feed\"").unwrap();
        let feed = FeedConfig {
            url: "https://b.example/rss".into(),
            name: Some("Quote \" and \\ back".into()),
            folder: Some("Tech".into()),
            kind: SourceKind::Feed,
            prefetch: false,
        };
        let config = append_feed(&file, &feed).unwrap();
        assert_eq!(config.feeds[1], feed);
        let site = FeedConfig {
            url: "https://c.example/".into(),
            name: None,
            folder: None,
            kind: SourceKind::Site,
            prefetch: true,
        };
        let config = append_feed(&file, &site).unwrap();
        assert_eq!(config.feeds[0], site, "sites come first");
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            text.starts_with("# my notes\n")
                && text.contains("[[site]]\nurl = \"https://c.example/\"\nprefetch = true\n")
        );
        assert_eq!(parse(&text, &file).unwrap().feeds, config.feeds);
        std::fs::write(&file, "").unwrap();
        append_feed(&file, &site).unwrap();
        assert!(std::fs::read_to_string(&file).unwrap().starts_with("[[site]]\n"), "no blank line first");
    }

    #[test]
    fn removing_a_source_keeps_every_other_line() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        let text = "# notes\nkeep_days = 3\n\n[[site]]\nurl = \"https://s.example/blog/\"\n# about the feeds\n\n\
            [[feed]]\nurl = \"https://a.example/feed\"\nname = \"A\"\n\n[[feed]]\nurl = \"https://b.example/feed\"\n\n\
            [keys]\n\"x\" = \"quit\"\n";
        std::fs::write(&file, text).unwrap();
        let config = remove_source(&file, "https://a.example/feed").unwrap();
        let urls: Vec<&str> = config.feeds.iter().map(|f| f.url.as_str()).collect();
        assert_eq!(urls, ["https://s.example/blog/", "https://b.example/feed"]);
        let written = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            written,
            "# notes\nkeep_days = 3\n\n[[site]]\nurl = \"https://s.example/blog/\"\n# about the feeds\n\n\
             [[feed]]\nurl = \"https://b.example/feed\"\n\n[keys]\n\"x\" = \"quit\"\n"
        );
        let config = remove_source(&file, "https://s.example/blog/").unwrap();
        assert_eq!(config.feeds.len(), 1);
        assert!(std::fs::read_to_string(&file).unwrap().contains("# about the feeds"), "comments stay");
        let missing = remove_source(&file, "https://nowhere.example/").unwrap_err().to_string();
        assert!(missing.ends_with("no source at https://nowhere.example/"), "{missing}");
    }

    #[test]
    fn a_missing_config_is_created_from_the_default() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub").join("config.toml");
        let (config, created) = load_or_create(&file).unwrap();
        assert!(created);
        assert_eq!(std::fs::read_to_string(&file).unwrap(), DEFAULT_CONFIG);
        let (again, created) = load_or_create(&file).unwrap();
        assert!(!created);
        assert_eq!(again, config);
    }
}
