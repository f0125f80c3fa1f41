//! The command line. With no subcommand, the reader; `add` and `refresh` for the shell and
//! for cron. Errors come out as one line that says what was wrong and where.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc;

use anyhow::{Context, anyhow, bail};
use clap::{Parser, Subcommand};

use crate::config::{self, Config, FeedConfig, Paths};
use crate::engine::{Engine, Event, Outcome};
use crate::extract;
use crate::http::{Http, checked_url};
use crate::model::{Section, SourceId, SourceKind};
use crate::sources::discover::{self, Found, How};
use crate::sources::site::SiteKind;
use crate::sources::{self, page};
use crate::store::{Recovery, Store};
use crate::timefmt::{Clock, Lang};
use crate::tui::{self, AppEvent, KeyMap, Setup, Startup, Theme};
use crate::wording::{count, number, progress};

mod sync;

#[derive(Parser)]
#[command(
    name = "kiosque",
    version,
    about = "Read news sites in the terminal: sections as a tree, clean article text, offline cache."
)]
struct Cli {
    /// Config file [default: config.toml in the platform's config folder, e.g. ~/.config/kiosque]
    #[arg(long, global = true, env = "KIOSQUE_CONFIG", value_name = "PATH")]
    config: Option<PathBuf>,
    /// Folder for the cache and the log [default: the platform's data folder, e.g. ~/.local/share/kiosque]
    #[arg(long, global = true, env = "KIOSQUE_DATA_DIR", value_name = "PATH")]
    data_dir: Option<PathBuf>,
    /// Open the reader on kiosque's own sample news site, served on 127.0.0.1, with a
    /// cache of its own that goes when you quit: kiosque without network or setup.
    #[arg(long)]
    demo: bool,
    /// The reader's colours: a built-in theme (see `kiosque themes`) or a theme file;
    /// over `theme` in the config.
    #[arg(long, value_name = "NAME|PATH")]
    theme: Option<String>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Add a site or a feed to the config, after fetching it once to see what it is: a
    /// WordPress site, a site with a menu of sections, or a feed. Prints what it found.
    Add {
        /// A site's home page or any page of it, or a feed's URL (http or https).
        url: String,
        /// Folder of the tree to put it in.
        #[arg(long, value_name = "NAME")]
        folder: Option<String>,
        /// Name to show instead of the feed's own title.
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// When there is no config yet, write one without kiosque's sample sources.
        #[arg(long)]
        no_defaults: bool,
    },
    /// Bring subscriptions from another reader: an OPML file, or newsboat's `urls` file
    /// (told apart by their content). Folders come along; feeds already in the config are
    /// not added twice; every entry left out is named, with why. Nothing is fetched.
    Import {
        /// The OPML or urls file.
        file: PathBuf,
        /// When there is no config yet, write one without kiosque's sample sources.
        #[arg(long)]
        no_defaults: bool,
    },
    /// Write every feed and site, with their folders, for another reader: OPML, where a
    /// site is given as its feed.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Opml)]
        format: ExportFormat,
        /// Write to this file instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Remove a source from the config, by its name or its URL. Its cached articles stay
    /// until housekeeping drops them; its bookmarks stay.
    Remove {
        /// A source's name in the config (any case) or its URL.
        source: String,
    },
    /// Refresh every source into the cache without opening the reader (for cron). Prints a
    /// line per source on stderr; exits non-zero when every source failed.
    Refresh {
        /// Also fetch the page of every new article whose feed gives only a summary, so
        /// that it reads in full offline (as `prefetch = true` does for one source).
        #[arg(long)]
        prefetch: bool,
    },
    /// Sync with the feed server of `[sync]` (Tiny Tiny RSS): send the marks made here,
    /// then read its feeds, new articles and marks. `kiosque refresh` and the reader's
    /// refresh do the same, with every other source.
    Sync {
        /// Only log in and say what the server holds, or exactly what failed.
        #[arg(long)]
        check: bool,
    },
    /// Print a source's sections as a tree: a site's (from its WordPress API or its menu),
    /// or a feed's single node.
    Tree {
        /// A source's name in the config, or the URL of a site's page or of a feed.
        source: String,
        /// Print JSON: a list of nodes {"label", "url", "children"} in menu order.
        #[arg(long)]
        json: bool,
    },
    /// Search everything cached (titles, bylines, sections, full text), best match first.
    /// Accents are folded; "a phrase" and prefix* work.
    Search {
        /// Words, "phrases" and prefixes*, all required.
        query: String,
        /// Print JSON: a list of {"title", "url", "source", "section", "published"}.
        #[arg(long)]
        json: bool,
        /// Print only the N best (all of them by default).
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// List the built-in colour themes, for `theme = "name"` in the config or `--theme`.
    Themes,
    /// What the cache holds and how big it is on disk.
    Stats,
    /// Check every page of the cache; if some are damaged, move it aside and start a
    /// fresh one with what can be read of it, bookmarks first. Quit the reader first.
    Repair,
    /// Export the bookmarks, the last bookmarked first: title, link, source, section,
    /// date and when it was bookmarked (JSON adds the full text).
    Bookmarks {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Reader mode: print the article alone from a web page (a URL, a file, or - for stdin).
    Read {
        /// http(s) URL, HTML file, or - to read stdin.
        input: String,
        /// Where the page came from, for its relative links (http or https).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Width to wrap text to [default: the terminal's, else 80].
        #[arg(long, value_name = "N")]
        width: Option<usize>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ExportFormat {
    /// OPML 2.0, which every feed reader imports.
    Opml,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// Wrapped text, as the reader shows it.
    Text,
    /// The article as Markdown.
    Markdown,
    /// Every field, for programs.
    Json,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            // Errors carry what feeds and pages said (titles, addresses, reasons).
            eprintln!("kiosque: {}", crate::sanitize::clean_text(&format!("{e:#}")));
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if cli.demo {
        if cli.command.is_some() {
            bail!("--demo opens the reader on the sample site; it takes no command");
        }
        return demo(cli.theme);
    }
    let paths = Paths::resolve(cli.config, cli.data_dir)?;
    match cli.command {
        None => reader(&paths, cli.theme),
        Some(Command::Themes) => themes(),
        Some(Command::Add { url, folder, name, no_defaults }) => add(&paths, &url, (folder, name), no_defaults),
        Some(Command::Import { file, no_defaults }) => import(&paths, &file, no_defaults),
        Some(Command::Export { format: ExportFormat::Opml, output }) => export(&paths, output.as_deref()),
        Some(Command::Remove { source }) => remove(&paths, &source),
        Some(Command::Refresh { prefetch }) => refresh(&paths, prefetch, false),
        Some(Command::Sync { check: true }) => {
            let (config, _) = config::load_or_create(&paths.config_file)?;
            let _log = start_log(&paths);
            sync::check(&paths, &config)
        }
        Some(Command::Sync { check: false }) => refresh(&paths, false, true),
        Some(Command::Tree { source, json }) => tree(&paths, &source, json),
        Some(Command::Bookmarks { format }) => bookmarks(&paths, format),
        Some(Command::Search { query, json, limit }) => search(&paths, &query, json, limit),
        Some(Command::Stats) => stats(&paths),
        Some(Command::Repair) => repair(&paths),
        Some(Command::Read { input, base_url, width, format }) => {
            read(&paths, &input, base_url.as_deref(), width, format)
        }
    }
}

fn reader(paths: &Paths, theme: Option<String>) -> anyhow::Result<ExitCode> {
    let (mut config, created) = config::load_or_create(&paths.config_file)?;
    config.theme = theme.or(config.theme);
    let message = created.then(|| format!("wrote the default config to {}", paths.config_file.display()));
    let runtime = runtime()?;
    open_reader(paths, &config, &runtime, message)?;
    runtime.shutdown_background();
    Ok(ExitCode::SUCCESS)
}

/// The panes as the reader left them (`state.toml`); as new when there is none or it
/// cannot be read, which the log says.
fn remembered_layout(file: &std::path::Path) -> tui::Layout {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return tui::Layout::default(),
        Err(e) => {
            tracing::warn!("{}: {e}", file.display());
            return tui::Layout::default();
        }
    };
    let tree_width = match toml::from_str::<toml::Table>(&text) {
        Ok(table) => table.get("tree_width").and_then(toml::Value::as_integer),
        Err(e) => {
            tracing::warn!("{}: {e}, left aside", file.display());
            None
        }
    };
    tui::Layout { tree_width: tree_width.and_then(|w| u16::try_from(w).ok()), zoomed: false }
}

/// Keeps the panes' widths for the next run: written whole or not at all.
fn remember_layout(file: &std::path::Path, layout: tui::Layout) {
    let Some(width) = layout.tree_width else { return };
    let text =
        format!("# The reader's panes as it left them; [ and ] change the tree's width.\ntree_width = {width}\n");
    let partial = file.with_extension("toml.part");
    let written = std::fs::write(&partial, text).and_then(|()| std::fs::rename(&partial, file));
    if let Err(e) = written {
        tracing::warn!("cannot keep the panes' widths in {}: {e}", file.display());
    }
}

/// The theme `spec` names (the default without one), without colours under `NO_COLOR`;
/// and what was wrong with it, which leaves the default or the keys it misspelled out.
fn choose_theme(spec: Option<&str>) -> (Theme, Option<String>) {
    let (theme, problem) = match Theme::load(spec.unwrap_or("default")) {
        Ok((theme, unknown)) => {
            let problem = match unknown.as_slice() {
                [] => None,
                [one] => Some(one.clone()),
                [first, rest @ ..] => Some(format!("{first}, and {} more (see the log)", rest.len())),
            };
            for key in &unknown {
                tracing::warn!("{key}");
            }
            (theme, problem)
        }
        Err(e) => (Theme::default(), Some(format!("{e}: the default theme is used"))),
    };
    // https://no-color.org: set and not empty.
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    (if no_color { theme.without_colour() } else { theme }, problem)
}

fn themes() -> anyhow::Result<ExitCode> {
    for (name, what, _) in crate::tui::theme::BUILT_IN {
        println!("{name:<9} {what}");
    }
    println!("\nChoose one with theme = \"name\" in the config, or --theme name; or give the path of a");
    println!("theme file of your own, with the keys of themes/default.toml it changes.");
    Ok(ExitCode::SUCCESS)
}

/// The sample site on a free port, its config and cache in a folder of their own.
fn demo(theme: Option<String>) -> anyhow::Result<ExitCode> {
    let runtime = runtime()?;
    let server = runtime
        .block_on(crate::demo::serve(crate::demo::Options { now: Some(chrono::Utc::now()), ..Default::default() }))
        .context("cannot start the sample site")?;
    // A folder of its own, made for this run (never one found there): it goes when the
    // reader closes, on `q` or on SIGTERM/SIGHUP (`forward_signals`).
    let folder = tempfile::Builder::new().prefix("kiosque-demo-").tempdir().context("cannot make the demo's folder")?;
    let paths = Paths { config_file: folder.path().join("config.toml"), data_dir: folder.path().to_owned() };
    let mut config = config::parse(&format!("[[site]]\nurl = \"{}/\"\n", server.url), &paths.config_file)?;
    config.theme = theme;
    let message = format!("the sample site is at {}; nothing here reaches the internet", server.url);
    let result = open_reader(&paths, &config, &runtime, Some(message));
    drop(server);
    runtime.shutdown_background();
    if let Err(e) = folder.close() {
        tracing::info!("the demo's folder was not removed whole: {e}");
    }
    result.map(|()| ExitCode::SUCCESS)
}

fn open_reader(
    paths: &Paths,
    config: &Config,
    runtime: &tokio::runtime::Runtime,
    message: Option<String>,
) -> anyhow::Result<()> {
    let _log = start_log(paths);
    let (keymap, bad_keys) = KeyMap::new(&config.keys);
    for problem in &bad_keys {
        tracing::warn!("{}: {problem}, left out", paths.config_file.display());
    }
    let (theme, theme_problem) = choose_theme(config.theme.as_deref());
    if let Some(problem) = &theme_problem {
        tracing::warn!("{problem}");
    }
    let (store, entries, recovery) = open_cache(paths, config)?;
    let (sender, events) = mpsc::channel();
    let to_app = sender.clone();
    let engine = start_engine(paths, config, runtime, (&entries, false), move |e| {
        let _ = to_app.send(AppEvent::Engine(e));
    })?;
    runtime.spawn(forward_signals(sender.clone()));
    let read_only = store.read_only().map(|why| format!("{why}: showing what it holds, nothing new is kept"));
    let startup = Startup {
        mouse: config.mouse,
        refresh: config.refresh_on_start && read_only.is_none(),
        message,
        warning: recovery.map(|r| r.brief()).or(read_only).or_else(|| tui::keys_left_out(&bad_keys)).or(theme_problem),
    };
    let setup = Setup {
        store,
        engine,
        entries,
        keymap,
        theme,
        lang: config.lang,
        clock: Clock::System,
        browser: config.browser.clone(),
        layout: remembered_layout(&paths.state_file()),
        refresh_minutes: config.refresh_minutes,
    };
    let layout = tui::run(setup, events, sender, startup)?;
    remember_layout(&paths.state_file(), layout);
    Ok(())
}

/// The engine, on its own connection to the cache, with the config's network settings and
/// keep_days; `prefetch`: the sources whose new articles it reads in full.
fn start_engine(
    paths: &Paths,
    config: &Config,
    runtime: &tokio::runtime::Runtime,
    (entries, prefetch_all): (&[sources::SourceEntry], bool),
    sink: impl Fn(Event) + Send + Sync + 'static,
) -> anyhow::Result<Engine> {
    let http = Http::new(config.http.clone()).map_err(anyhow::Error::msg)?;
    let policy = (Clock::System, config.keep_days);
    let engine = Engine::start(runtime.handle(), http, Store::open(&paths.cache_file())?, policy, sink);
    engine.prefetch(entries.iter().filter(|e| prefetch_all || e.prefetch).map(|e| e.id).collect());
    engine.ignore(sources::ignore::Ignore::new(&config.ignore, entries));
    let server = entries.iter().find(|e| e.kind == SourceKind::Server);
    if let (Some(settings), Some(server)) = (&config.sync, server) {
        engine.sync(settings.clone(), server.id);
    }
    Ok(engine)
}

/// The config, written anew when there is none, which is said: with the sample sources,
/// or without them (`no_defaults`).
fn config_for_writing(paths: &Paths, no_defaults: bool) -> anyhow::Result<Config> {
    let defaults = if no_defaults { config::Defaults::NoSources } else { config::Defaults::Sources };
    let (config, created) = config::load_or_create_with(&paths.config_file, defaults)?;
    if created {
        let sources = count(config.feeds.len(), "sample source");
        eprintln!(
            "{}",
            match defaults {
                config::Defaults::Sources => format!(
                    "wrote a new config to {}, with kiosque's {sources} (--no-defaults leaves them out)",
                    paths.config_file.display()
                ),
                config::Defaults::NoSources => {
                    format!("wrote a new config to {}, without sample sources", paths.config_file.display())
                }
            }
        );
    }
    Ok(config)
}

fn add(
    paths: &Paths,
    url: &str,
    (folder, name): (Option<String>, Option<String>),
    no_defaults: bool,
) -> anyhow::Result<ExitCode> {
    let config = config_for_writing(paths, no_defaults)?;
    let _log = start_log(paths);
    let url = checked_url(url).map_err(|e| anyhow!("{url}: {e}"))?.to_string();
    let already = |url: &str| match config.feeds.iter().position(|f| f.url == url) {
        Some(i) => Err(anyhow!("{url} is already in {} (source {})", paths.config_file.display(), i + 1)),
        None => Ok(()),
    };
    already(&url)?;
    let folder = folder.and_then(|f| config.folder_named(&f));
    let http = Http::new(config.http.clone()).map_err(anyhow::Error::msg)?;
    let place = folder.as_ref().map(|f| format!(" in folder “{f}”")).unwrap_or_default();
    match runtime()?.block_on(discover::discover(&http, &url))? {
        Found::Feed { url: found, feed, how } => {
            let why = how.explain(&found);
            // A feed given as such keeps the address the user wrote; a found one, its own.
            let url = if how == How::Given { url } else { found.to_string() };
            already(&url)?;
            if let Some(settings) = &config.sync {
                let said = sync::subscribe(&config, settings, &url, folder.as_deref())?;
                let named = name.map(|_| "the server names its feeds itself: --name is not used\n").unwrap_or_default();
                return write_out(&format!(
                    "{}{named}{said}",
                    if why.is_empty() { String::new() } else { format!("{why}\n") }
                ));
            }
            let name = name.or(feed.title);
            let source =
                FeedConfig { url: url.clone(), name: name.clone(), folder, kind: SourceKind::Feed, prefetch: false };
            config::append_feed(&paths.config_file, &source)?;
            let shown = name.as_deref().unwrap_or(&url);
            let articles = count(feed.articles.len(), "article");
            let mut out = if why.is_empty() { String::new() } else { format!("{why}\n") };
            out.push_str(&format!("added the feed “{shown}” ({articles}){place} to {}\n", paths.config_file.display()));
            write_out(&out)?;
        }
        Found::Site(info) => {
            let home = info.home();
            already(&home)?;
            let name = name.or_else(|| info.title.clone());
            let source =
                FeedConfig { url: home.clone(), name: name.clone(), folder, kind: SourceKind::Site, prefetch: false };
            config::append_feed(&paths.config_file, &source)?;
            let shown = name.as_deref().unwrap_or(&home);
            let mut out = format!(
                "added the site “{shown}” ({home}){place} to {}, with its sections:\n",
                paths.config_file.display()
            );
            outline(&info.sections, "", &mut out);
            write_out(&out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn import(paths: &Paths, file: &std::path::Path, no_defaults: bool) -> anyhow::Result<ExitCode> {
    use crate::sources::import;
    let config = config_for_writing(paths, no_defaults)?;
    let shown = file.display();
    let bytes = read_capped(file, crate::sources::subscriptions::MAX_FILE_BYTES)
        .with_context(|| format!("cannot import {shown}"))?;
    let read = import::read(&bytes).map_err(|e| anyhow!("cannot import {shown}: {e}"))?;
    let mut plan = import::plan(read, &config);
    // With a server, its feeds are the server's; sites stay here.
    let to_server = match &config.sync {
        Some(settings) => {
            let feeds: Vec<FeedConfig> = plan.add.iter().filter(|f| f.kind == SourceKind::Feed).cloned().collect();
            plan.add.retain(|f| f.kind != SourceKind::Feed);
            (!feeds.is_empty()).then(|| sync::subscribe_all(&config, settings, &feeds)).transpose()?
        }
        None => None,
    };
    if !plan.add.is_empty() {
        config::append_feeds(&paths.config_file, &plan.add)?;
    }
    let sites = plan.add.iter().filter(|f| f.kind == SourceKind::Site).count();
    let what = match sites {
        0 => count(plan.add.len(), "feed"),
        n => format!("{} and {}", count(plan.add.len() - n, "feed"), count(n, "site")),
    };
    let mut out = if plan.add.is_empty() && to_server.is_some() {
        format!("read {shown}")
    } else if plan.add.is_empty() {
        format!("nothing new to import from {shown}")
    } else {
        format!(
            "imported {what} in {} from {shown} to {}",
            count(plan.folders(), "folder"),
            paths.config_file.display()
        )
    };
    if plan.already > 0 {
        out.push_str(&format!("; {} already subscribed", count(plan.already, "feed")));
    }
    if !plan.skipped.is_empty() {
        out.push_str(&format!("; skipped {}:", plan.skipped.len()));
        for skipped in &plan.skipped {
            out.push_str(&format!("\n  line {}: {}: {}", skipped.line, skipped.what, skipped.reason));
        }
    }
    write_out(&(out + "\n" + to_server.as_deref().unwrap_or_default()))
}

/// A file's bytes, refusing one larger than `cap` (or one that never ends, as /dev/zero).
fn read_capped(file: &std::path::Path, cap: usize) -> anyhow::Result<Vec<u8>> {
    read_all_capped(std::fs::File::open(file)?, cap)
}

/// What `input` holds, up to `cap` bytes: more is refused, and never read.
fn read_all_capped(input: impl std::io::Read, cap: usize) -> anyhow::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    input.take(cap as u64 + 1).read_to_end(&mut bytes)?;
    if bytes.len() > cap {
        bail!("larger than {} MB", cap >> 20);
    }
    Ok(bytes)
}

fn export(paths: &Paths, output: Option<&std::path::Path>) -> anyhow::Result<ExitCode> {
    use crate::sources::opml::{self, Exported};
    let Some(config) = config::load_if_present(&paths.config_file)? else {
        bail!("no config at {}: nothing to export", paths.config_file.display());
    };
    let (store, _) = cache(paths)?;
    let states: std::collections::HashMap<String, crate::model::SourceState> =
        store.sources()?.into_iter().map(|s| (s.url.clone(), s)).collect();
    let mut sources = Vec::with_capacity(config.feeds.len());
    for feed in &config.feeds {
        let name = sources::config_label(feed, states.get(&feed.url));
        let links = store.source_links(&feed.url)?;
        let source = match feed.kind {
            // The server's feeds are the server's to export.
            SourceKind::Server | SourceKind::Remote => continue,
            SourceKind::Feed => Exported {
                name,
                folder: feed.folder.clone(),
                xml_url: feed.url.clone(),
                html_url: links.page,
                site_home: None,
                prefetch: feed.prefetch,
            },
            SourceKind::Site => {
                let xml_url = links.feed.unwrap_or_else(|| {
                    let why = if links.checked {
                        "the site names no feed"
                    } else {
                        "not refreshed yet, so its feed is not known"
                    };
                    eprintln!("kiosque: {name}: {why}; exported with its home page as the address");
                    feed.url.clone()
                });
                Exported {
                    name,
                    folder: feed.folder.clone(),
                    xml_url,
                    html_url: Some(feed.url.clone()),
                    site_home: Some(feed.url.clone()),
                    prefetch: feed.prefetch,
                }
            }
        };
        sources.push(source);
    }
    let text = opml::write(&sources, &chrono::Utc::now().to_rfc2822());
    match output {
        None => write_out(&text),
        Some(file) => {
            config::write_atomically(file, &text).with_context(|| format!("cannot write {}", file.display()))?;
            eprintln!("exported {} to {}", count(sources.len(), "source"), file.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn remove(paths: &Paths, source: &str) -> anyhow::Result<ExitCode> {
    let Some(config) = config::load_if_present(&paths.config_file)? else {
        bail!("no config at {}: nothing to remove", paths.config_file.display());
    };
    let by_url = checked_url(source).ok().map(|u| u.to_string());
    let wanted = source.trim().to_lowercase();
    let matches: Vec<&FeedConfig> = config
        .feeds
        .iter()
        .filter(|f| {
            by_url.as_deref() == Some(f.url.as_str())
                || f.url == source.trim()
                || f.name.as_deref().is_some_and(|n| n.to_lowercase() == wanted)
        })
        .collect();
    let feed = match matches.as_slice() {
        [] => match &config.sync {
            Some(settings) => match sync::unsubscribe(&config, settings, source)? {
                Some(said) => return write_out(&said),
                None => bail!(
                    "no source named or at {source:?} in {}, nor on {}",
                    paths.config_file.display(),
                    settings.label()
                ),
            },
            None => bail!("no source named or at {source:?} in {}", paths.config_file.display()),
        },
        [one] => *one,
        several => {
            let urls: Vec<&str> = several.iter().map(|f| f.url.as_str()).collect();
            bail!("{} sources are named {source:?}; give the URL of one: {}", several.len(), urls.join(", "))
        }
    };
    config::remove_source(&paths.config_file, &feed.url)?;
    let shown = feed.name.as_deref().map(|n| format!("“{n}” ")).unwrap_or_default();
    eprintln!(
        "removed the {} {shown}({}) from {}; its cached articles stay until housekeeping, its bookmarks stay",
        feed.kind.name(),
        feed.url,
        paths.config_file.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `kiosque refresh`, or with `sync_only`, `kiosque sync`: the server's round alone.
fn refresh(paths: &Paths, prefetch_all: bool, sync_only: bool) -> anyhow::Result<ExitCode> {
    let (config, _) = config::load_or_create(&paths.config_file)?;
    let _log = start_log(paths);
    let (store, mut entries, _) = open_cache(paths, &config)?;
    if let Some(why) = store.read_only() {
        bail!("cannot refresh {}: {why}", paths.cache_file().display());
    }
    if sync_only {
        entries.retain(|e| e.kind == SourceKind::Server);
        if entries.is_empty() {
            bail!("no [sync] table in {}: see the README's \"Sync\" section", paths.config_file.display());
        }
    }
    if entries.is_empty() {
        eprintln!("no sources in {}: add one with `kiosque add URL`", paths.config_file.display());
        return Ok(ExitCode::SUCCESS);
    }
    let runtime = runtime()?;
    let (sender, events) = mpsc::channel();
    let engine = start_engine(paths, &config, &runtime, (&entries, prefetch_all), move |e| {
        let _ = sender.send(e);
    })?;
    engine.refresh(entries.iter().map(|e| e.id).collect());
    // On a terminal, a bar under the sources' lines; piped, the lines alone.
    let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
        let bar = indicatif::ProgressBar::new(entries.len() as u64);
        bar.set_style(indicatif::ProgressStyle::with_template("{bar:30} {msg}").expect("a valid template"));
        bar
    });
    let say = |line: &str| match &bar {
        Some(bar) => bar.println(crate::sanitize::clean_text(line)),
        None => eprintln!("{}", crate::sanitize::clean_text(line)),
    };
    for event in events {
        match event {
            Event::Progress { done, total, failed } => {
                if let Some(bar) = &bar {
                    bar.set_length(total as u64);
                    bar.set_position(done as u64);
                    bar.set_message(progress(done, total, failed));
                }
            }
            Event::SourceDone { id, outcome } => {
                let entry = entries.iter().find(|e| e.id == id).context("the engine answered for an unknown source")?;
                let label = sources::label(entry, store.source(id)?.as_ref());
                let line = match outcome {
                    Outcome::Updated { new, items, pages } => {
                        let fetched = match (pages.fetched, pages.failed) {
                            (0, 0) => String::new(),
                            (n, 0) => format!(", pages: {n} read"),
                            (n, failed) => format!(", pages: {n} read, {failed} failed (see the log)"),
                        };
                        let place = match entry.kind {
                            SourceKind::Feed => "in the feed",
                            SourceKind::Site => "listed on the site",
                            SourceKind::Server | SourceKind::Remote => "articles from the server",
                        };
                        format!("ok      {label}: {new} new ({items} {place}){fetched}")
                    }
                    Outcome::Unchanged => format!("same    {label}: not modified"),
                    Outcome::Failed { reason, .. } => format!("failed  {label}: {reason} ({})", entry.url),
                };
                say(&line);
            }
            Event::Finished(summary) => {
                if let Some(bar) = &bar {
                    bar.finish_and_clear();
                }
                let (sources, new) = (count(summary.sources, "source"), count(summary.new, "new article"));
                eprintln!("refreshed {sources}: {new}, {} failed", summary.failed);
                engine.stop(std::time::Duration::from_secs(10));
                let all_failed = summary.failed == summary.sources;
                return Ok(if all_failed { ExitCode::FAILURE } else { ExitCode::SUCCESS });
            }
            Event::Synced { summary, .. } => say(&format!("        {summary}")),
            Event::Syncing { articles, .. } => {
                if let Some(bar) = &bar {
                    bar.set_message(format!("syncing: {} articles from the server", number(articles)));
                }
            }
            Event::PageDone { .. } | Event::SectionDone { .. } | Event::Marked { .. } => {}
        }
    }
    bail!("the refresh stopped before it finished")
}

/// The cache, and each source's name (`sources::label`, also once it has left the config).
fn cache_and_names(paths: &Paths) -> anyhow::Result<(Store, std::collections::HashMap<SourceId, String>)> {
    let config = config::load_if_present(&paths.config_file)?;
    let (store, _) = cache(paths)?;
    let feeds = config.map(|c| c.feeds).unwrap_or_default();
    let names =
        sources::labels(&store.sources()?, |url| feeds.iter().find(|f| f.url == url).and_then(|f| f.name.as_deref()));
    Ok((store, names))
}

fn repair(paths: &Paths) -> anyhow::Result<ExitCode> {
    let file = paths.cache_file();
    let (mut store, dropped) = Store::repair(&file)?;
    match store.take_recovery() {
        Some(recovery) => eprintln!("kiosque: {recovery}"),
        None if dropped > 0 => {
            let (were, them) = if dropped == 1 { ("was", "it") } else { ("were", "them") };
            eprintln!(
                "the cache {} is sound, but {} did not unpack and {were} taken out: a refresh or `f` brings {them} back",
                file.display(),
                count(dropped, "article text"),
            )
        }
        None => eprintln!("the cache {} is sound: every page checked", file.display()),
    }
    Ok(ExitCode::SUCCESS)
}

fn stats(paths: &Paths) -> anyhow::Result<ExitCode> {
    let file = paths.cache_file();
    let stats = cache(paths)?.0.stats()?;
    // The write-ahead log holds what is not yet in the main file.
    let size: u64 = ["", "-wal"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", file.display())).ok())
        .map(|m| m.len())
        .sum();
    let span_end = |t: Option<i64>| t.and_then(day).unwrap_or_else(|| "–".to_owned());
    let out = format!(
        "cache       {}\nsize        {:.1} MB\nsources     {} ({} site sections)\narticles    {} ({} unread, {} with their page's full text)\nbookmarks   {}\nspan        {} to {}\n",
        file.display(),
        size as f64 / 1_048_576.0,
        stats.sources,
        stats.sections,
        stats.articles,
        stats.unread,
        stats.pages,
        stats.bookmarks,
        span_end(stats.oldest),
        span_end(stats.newest),
    );
    write_out(&out)
}

fn search(paths: &Paths, query: &str, json: bool, limit: Option<usize>) -> anyhow::Result<ExitCode> {
    let (store, names) = cache_and_names(paths)?;
    if crate::store::fts_query(query).is_none() {
        bail!("{query:?}: nothing to search for (words, \"phrases\" or prefixes*)");
    }
    let found = store.search(query)?;
    let shown = limit.unwrap_or(found).min(found);
    let rows = store.rows(&crate::model::Scope::Search, crate::store::Anchor::First, shown)?;
    let mut items = Vec::new();
    let mut out = String::new();
    for row in rows {
        let Some(article) = store.article(row.key.id)? else { continue };
        let source = names.get(&article.source_id).cloned().unwrap_or_default();
        if json {
            items.push(serde_json::json!({"title": article.title, "url": web(&article.url), "source": source,
                "section": article.section, "published": article.published.and_then(rfc3339)}));
        } else {
            let meta: Vec<String> =
                [Some(source), article.published.and_then(day), web(&article.url)].into_iter().flatten().collect();
            out.push_str(&format!("{}\n  {}\n", article.title, meta.join(" · ")));
        }
    }
    if json {
        return write_json(&items);
    }
    let code = write_out(&out)?;
    // After the list, where a long one ends.
    match found {
        0 => eprintln!("no article matches {query:?}"),
        n if shown < n => eprintln!("{} match {query:?}: the best {} shown", count(n, "article"), number(shown)),
        1 => eprintln!("1 article matches {query:?}"),
        n => eprintln!("{} match {query:?}", count(n, "article")),
    }
    Ok(code)
}

/// A link as the cache holds it, printed only when the URL policy allows it: a cache
/// filled by an older kiosque may hold a `javascript:` link.
fn web(url: &Option<String>) -> Option<String> {
    url.as_deref().filter(|u| checked_url(u).is_ok()).map(str::to_owned)
}

fn bookmarks(paths: &Paths, format: Format) -> anyhow::Result<ExitCode> {
    let (store, names) = cache_and_names(paths)?;
    let source_of = |id| names.get(&id).cloned().unwrap_or_default();
    let mut out = String::new();
    let kept = store.bookmarked()?;
    if format == Format::Json {
        let items: Vec<serde_json::Value> = kept
            .iter()
            .map(|(a, at)| {
                serde_json::json!({
                    "title": a.title, "url": web(&a.url), "source": source_of(a.source_id), "section": a.section,
                    "author": a.author, "published": a.published.and_then(rfc3339), "bookmarked_at": rfc3339(*at),
                    "text": a.text().0.map(crate::render::text).unwrap_or_default(),
                })
            })
            .collect();
        return write_json(&items);
    }
    for (article, at) in &kept {
        let meta: Vec<String> =
            [Some(source_of(article.source_id)), article.section.clone(), article.published.and_then(day)]
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect();
        let kept_on = day(*at).unwrap_or_default();
        let url = web(&article.url).unwrap_or_default();
        match format {
            Format::Markdown => out.push_str(&format!(
                "- [{}]({url}) — {} (bookmarked {kept_on})\n",
                article.title.replace(['[', ']'], ""),
                meta.join(" · ")
            )),
            _ => {
                out.push_str(&format!("{}\n  {url}\n  {} · bookmarked {kept_on}\n\n", article.title, meta.join(" · ")))
            }
        }
    }
    if kept.is_empty() {
        eprintln!("no bookmarks yet: press b on an article in the reader");
    }
    write_out(&out)
}

fn tree(paths: &Paths, source: &str, json: bool) -> anyhow::Result<ExitCode> {
    let config = config::load_if_present(&paths.config_file)?;
    let url = if source.starts_with("http://") || source.starts_with("https://") {
        source.to_owned()
    } else {
        let feeds = config.as_ref().map(|c| c.feeds.as_slice()).unwrap_or_default();
        let named = feeds.iter().find(|f| f.name.as_deref().is_some_and(|n| n.eq_ignore_ascii_case(source)));
        let Some(feed) = named else {
            bail!("no source named {source:?} in {}; give a name from it or a URL", paths.config_file.display())
        };
        feed.url.clone()
    };
    let http = Http::new(config.map(|c| c.http).unwrap_or_default()).map_err(anyhow::Error::msg)?;
    let (heading, sections) = match runtime()?.block_on(discover::discover(&http, &url))? {
        Found::Feed { url, feed, .. } => {
            let label = feed.title.unwrap_or_else(|| url.to_string());
            let node =
                Section { label: label.clone(), url: Some(url.to_string()), remote_id: None, children: Vec::new() };
            (format!("{label} · a feed"), vec![node])
        }
        Found::Site(info) => {
            let how = match &info.kind {
                SiteKind::WordPress { closed: None, .. } => "WordPress site, sections from its API".to_owned(),
                SiteKind::WordPress { closed: Some(why), .. } => {
                    format!("WordPress site whose API is closed ({why}), sections from its menu")
                }
                SiteKind::Menu => "sections from the site's menu".to_owned(),
            };
            (format!("{} · {how}", info.title.unwrap_or_else(|| info.url.to_string())), info.sections)
        }
    };
    if json {
        return write_json(&sections);
    }
    let mut out = heading + "\n";
    outline(&sections, "", &mut out);
    write_out(&out)
}

/// A unix time as RFC 3339, for programs.
fn rfc3339(t: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(t, 0).map(|d| d.to_rfc3339())
}

/// A unix time as its day in UTC: 2025-11-28.
fn day(t: i64) -> Option<String> {
    chrono::DateTime::from_timestamp(t, 0).map(|d| d.format("%Y-%m-%d").to_string())
}

/// Sections drawn as a tree, one per line.
fn outline(sections: &[Section], indent: &str, out: &mut String) {
    for (i, section) in sections.iter().enumerate() {
        let last = i + 1 == sections.len();
        out.push_str(&format!("{indent}{}{}\n", if last { "└── " } else { "├── " }, section.label));
        outline(&section.children, &format!("{indent}{}", if last { "    " } else { "│   " }), out);
    }
}

/// A page without an article, or whose "article" is mostly links, that links to this
/// many articles is taken for a list of them.
const LIST_PAGE_LINKS: usize = 3;
const LIST_PAGE_DENSITY: f64 = 0.6;

/// The share of `html`'s text that is the text of its links.
fn link_density(html: &str) -> f64 {
    let document = dom_query::Document::fragment(html);
    let all = document.root().text().chars().filter(|c| !c.is_whitespace()).count();
    let linked: usize =
        document.select("a").iter().map(|a| a.text().chars().filter(|c| !c.is_whitespace()).count()).sum();
    if all == 0 { 0.0 } else { linked as f64 / all as f64 }
}

fn read(
    paths: &Paths,
    input: &str,
    base_url: Option<&str>,
    width: Option<usize>,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let base = base_url.map(|b| checked_url(b).map_err(|e| anyhow!("--base-url {b}: {e}"))).transpose()?;
    let config = config::load_if_present(&paths.config_file)?;
    let is_url = input.starts_with("http://") || input.starts_with("https://");
    let (html, base) = if is_url {
        let http =
            Http::new(config.as_ref().map(|c| c.http.clone()).unwrap_or_default()).map_err(anyhow::Error::msg)?;
        let page = runtime()?.block_on(page::download(&http, input))?;
        (page.html, base.or(Some(page.url)))
    } else {
        // As much as a download may bring, and no more: `read /dev/zero` ends.
        let cap = config.as_ref().map_or_else(|| crate::http::HttpSettings::default().max_bytes, |c| c.http.max_bytes);
        let bytes = if input == "-" {
            read_all_capped(std::io::stdin(), cap).context("cannot read stdin")?
        } else {
            read_capped(std::path::Path::new(input), cap)
                .with_context(|| format!("cannot read {}", crate::wording::shorten(input, crate::wording::URL_SHOWN)))?
        };
        (extract::decode(&bytes, None).0, base)
    };
    let clock = Clock::System;
    let shown = crate::wording::shorten(input, crate::wording::URL_SHOWN);
    let here = base.clone().unwrap_or_else(|| url::Url::parse("https://localhost/").expect("a valid URL"));
    if crate::sources::feed::parse(html.as_bytes(), &here, None).is_ok() {
        let follow = if is_url {
            format!("follow it with `kiosque add {shown}`")
        } else {
            "`kiosque add` follows it by its URL".to_owned()
        };
        bail!("{shown} is a feed, not an article: {follow}");
    }
    let article = extract::extract(&html, base.as_ref(), clock.now()).map_err(|e| anyhow!("{e} in {shown}"))?;
    if format != Format::Json && (!article.has_article() || link_density(&article.html) > LIST_PAGE_DENSITY) {
        // A section's page: what it lists, for the user to read one.
        let document = dom_query::Document::from(html.as_str());
        let listed = crate::sources::links::articles(&document, &here, clock.now());
        if listed.len() >= LIST_PAGE_LINKS {
            eprintln!("kiosque: {shown} is a list of {}, not one; read one of them:", count(listed.len(), "article"));
            // Without the page's address, its own links are shown as the page wrote them.
            let place = |url: &str| match &base {
                Some(_) => url.to_owned(),
                None => url.strip_prefix(here.as_str().trim_end_matches('/')).unwrap_or(url).to_owned(),
            };
            let lines: String =
                listed.iter().filter_map(|a| Some(format!("{}\n  {}\n", a.title, place(a.url.as_ref()?)))).collect();
            write_out(&lines)?;
            return Ok(ExitCode::FAILURE);
        }
    }
    if !article.has_article() {
        // Programs get what is known (title, dates…) with an empty text; people, a reason.
        if format != Format::Json {
            bail!("no article found in {input}");
        }
        eprintln!("kiosque: no article found in {input}");
    }
    let lang = config.map_or_else(Lang::from_env, |c| c.lang);
    let date = article.published.map(|d| crate::timefmt::full_date(&d, lang));
    let meta =
        [article.byline.clone(), date, article.section.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let out = match format {
        Format::Json => return write_json(&article),
        Format::Markdown => {
            let meta = if meta.is_empty() { String::new() } else { format!("*{meta}*\n\n") };
            format!("# {}\n\n{meta}{}", article.title, crate::render::markdown(&article.html, base.as_ref()))
        }
        Format::Text => {
            let width = width.or_else(|| tui::terminal_width().map(usize::from)).unwrap_or(80);
            let header = crate::render::Header { title: &article.title, meta: &[meta] };
            crate::render::plain(&crate::render::article(&header, Some(&article.html), base.as_ref(), width))
        }
    };
    write_out(&out)
}

/// Writes text to stdout, cleaned of what would act on a terminal (it holds what feeds,
/// pages and the config said); a reader that stopped reading (`| head`) is not an error.
fn write_out(text: &str) -> anyhow::Result<ExitCode> {
    write_raw(&crate::sanitize::clean_text(text))
}

/// Writes `value` as JSON, what would act on a terminal escaped (`sanitize::escape_json`).
fn write_json(value: &impl serde::Serialize) -> anyhow::Result<ExitCode> {
    write_raw(&(crate::sanitize::escape_json(serde_json::to_string_pretty(value)?) + "\n"))
}

fn write_raw(text: &str) -> anyhow::Result<ExitCode> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("cannot write to stdout"),
        _ => Ok(ExitCode::SUCCESS),
    }
}

/// The cache, with the config's sources registered in it.
fn open_cache(paths: &Paths, config: &Config) -> anyhow::Result<(Store, Vec<sources::SourceEntry>, Option<Recovery>)> {
    let (store, recovery) = cache(paths)?;
    let mut entries = sources::register(&config.feeds, &store)?;
    if let Some(settings) = &config.sync {
        entries.push(sources::register_server(settings, &store)?);
    }
    Ok((store, entries, recovery))
}

/// The cache; when it was found damaged and replaced, the user is told on stderr, which
/// also shows once the reader has quit.
fn cache(paths: &Paths) -> anyhow::Result<(Store, Option<Recovery>)> {
    let mut store = Store::open(&paths.cache_file())?;
    let recovery = store.take_recovery();
    if let Some(recovery) = &recovery {
        eprintln!("kiosque: {recovery}");
    }
    Ok((store, recovery))
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// SIGTERM and SIGHUP end the reader like `Q` does, so the terminal is restored.
async fn forward_signals(sender: mpsc::Sender<AppEvent>) {
    use tokio::signal::unix::{SignalKind, signal};
    let (Ok(mut term), Ok(mut hangup)) = (signal(SignalKind::terminate()), signal(SignalKind::hangup())) else {
        return;
    };
    tokio::select! {
        _ = term.recv() => {}
        _ = hangup.recv() => {}
    }
    let _ = sender.send(AppEvent::Quit);
}

/// Logs go to `kiosque.log` in the data folder, never to the terminal. Without a
/// writable data folder there is no log, and kiosque runs on.
fn start_log(paths: &Paths) -> Option<tracing_appender::non_blocking::WorkerGuard> {
    std::fs::create_dir_all(&paths.data_dir).ok()?;
    let file = std::fs::OpenOptions::new().create(true).append(true).open(paths.log_file()).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = tracing_subscriber::EnvFilter::try_from_env("KIOSQUE_LOG").unwrap_or_else(|_| "kiosque=info".into());
    let writer = move || crate::sanitize::CleanLog(writer.clone());
    tracing_subscriber::fmt().with_writer(writer).with_ansi(false).with_env_filter(filter).try_init().ok()?;
    Some(guard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panes_widths_are_kept_between_runs_and_a_bad_file_is_left_aside() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("state.toml");
        assert_eq!(remembered_layout(&file), tui::Layout::default(), "none yet");
        remember_layout(&file, tui::Layout { tree_width: Some(30), zoomed: true });
        assert_eq!(remembered_layout(&file), tui::Layout { tree_width: Some(30), zoomed: false });
        std::fs::write(&file, "tree_width = [").unwrap();
        assert_eq!(remembered_layout(&file), tui::Layout::default());
        std::fs::write(&file, "tree_width = 999999").unwrap();
        assert_eq!(remembered_layout(&file).tree_width, None, "out of range");
    }
}
