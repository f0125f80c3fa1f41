//! The shell's side of `[sync]`: `sync --check`, and `add`, `import` and `remove` of
//! feeds, which with a server go to the server (its categories as folders), not to the
//! config. Sites stay in the config: servers know feeds, not sites' sections.

use std::process::ExitCode;

use anyhow::bail;

use super::{runtime, write_out};
use crate::config::{Config, FeedConfig, Paths};
use crate::http::Http;
use crate::sync::{self, Server, Settings, SyncError};
use crate::wording::{count, number};

/// `kiosque sync --check`: logs in and says what the server holds, or what failed.
pub(super) fn check(paths: &Paths, config: &Config) -> anyhow::Result<ExitCode> {
    let settings = settings(paths, config)?;
    let (hello, counts) = with_server(config, settings, async |client| {
        let hello = client.hello().await?;
        Ok((hello, client.counts().await?))
    })?;
    let categories = match counts.categories {
        1 => "1 category".to_owned(),
        n => format!("{} categories", number(n)),
    };
    write_out(&format!(
        "{}: logged in as {}\nserver: {}, API level {}\n{} in {categories}, {} unread, {} starred\n",
        settings.label(),
        settings.user,
        hello.version,
        hello.api_level,
        count(counts.feeds, "feed"),
        number(counts.unread.max(0) as usize),
        number(counts.starred.max(0) as usize),
    ))
}

/// `[sync]`, or a message saying there is none.
pub(super) fn settings<'c>(paths: &Paths, config: &'c Config) -> anyhow::Result<&'c Settings> {
    match &config.sync {
        Some(settings) => Ok(settings),
        None => bail!("no [sync] table in {}: see the README's \"Sync\" section", paths.config_file.display()),
    }
}

/// Runs `f` with a client of the server, on a runtime of its own.
fn with_server<T>(
    config: &Config,
    settings: &Settings,
    f: impl AsyncFnOnce(&mut sync::Client) -> Result<T, SyncError>,
) -> anyhow::Result<T> {
    let http = Http::new(config.http.clone()).map_err(anyhow::Error::msg)?;
    let mut client = sync::connect(settings, http)?;
    Ok(runtime()?.block_on(f(&mut client))?)
}

/// `add` of a feed: subscribed on the server, in the category of `folder`. What to say.
pub(super) fn subscribe(
    config: &Config,
    settings: &Settings,
    url: &str,
    folder: Option<&str>,
) -> anyhow::Result<String> {
    let done = with_server(config, settings, async |client| client.subscribe(url, folder).await)?;
    let mut out = match (&done.folder, done.already) {
        (_, true) => format!("already subscribed to {url} on {}", settings.label()),
        (Some(f), false) => format!("subscribed to {url} on {}, in “{f}”", settings.label()),
        (None, false) => format!("subscribed to {url} on {}", settings.label()),
    };
    if let Some(note) = done.note {
        out.push_str(&format!("\n{note}"));
    }
    out.push_str("\nits articles come with the next sync (kiosque sync, or a refresh in the reader)\n");
    Ok(out)
}

/// `import` of feeds: each subscribed on the server. What to say of each.
pub(super) fn subscribe_all(config: &Config, settings: &Settings, feeds: &[FeedConfig]) -> anyhow::Result<String> {
    let lines = with_server(config, settings, async |client| {
        let mut lines = Vec::new();
        for feed in feeds {
            let line = match client.subscribe(&feed.url, feed.folder.as_deref()).await {
                Ok(done) if done.already => format!("  already: {}", feed.url),
                Ok(done) => {
                    let place = done.folder.map(|f| format!(" in “{f}”")).unwrap_or_default();
                    let note = done.note.map(|n| format!(" ({n})")).unwrap_or_default();
                    format!("  subscribed: {}{place}{note}", feed.url)
                }
                Err(e) if e.is_network() => return Err(e),
                Err(e) => format!("  failed: {}: {e}", feed.url),
            };
            lines.push(line);
        }
        Ok(lines)
    })?;
    Ok(format!("{} on {}:\n{}\n", count(feeds.len(), "feed"), settings.label(), lines.join("\n")))
}

/// `remove` of a feed the server has, by its title (any case) or address: unsubscribed
/// there. `None` when the server has no such feed.
pub(super) fn unsubscribe(config: &Config, settings: &Settings, source: &str) -> anyhow::Result<Option<String>> {
    let wanted = source.trim().to_lowercase();
    let found = with_server(config, settings, async |client| {
        let feeds = client.feeds(&[]).await?;
        let matching: Vec<_> =
            feeds.into_iter().filter(|f| f.url == source.trim() || f.title.to_lowercase() == wanted).collect();
        if let [one] = matching.as_slice() {
            client.unsubscribe(one.id).await?;
        }
        Ok(matching)
    })?;
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(format!(
            "unsubscribed from “{}” ({}) on {}; its cached articles stay until housekeeping, its bookmarks stay\n",
            one.title,
            one.url,
            settings.label()
        ))),
        several => {
            let urls: Vec<&str> = several.iter().map(|f| f.url.as_str()).collect();
            bail!(
                "{} feeds on the server are named {source:?}; give the URL of one: {}",
                several.len(),
                urls.join(", ")
            )
        }
    }
}
