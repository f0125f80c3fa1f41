//! The full-screen reader: three panes (tree, list, article), a status line and a help
//! overlay. This is the only module that knows ratatui and crossterm. The loop blocks
//! until something happens, handles every pending event, then draws once: no I/O while
//! drawing. A tick every two seconds looks for writes by another process (one query);
//! it redraws only when there were some.
//!
//! The shape: `App` routes. A key goes through the key map of the layer on top (the
//! help, the search prompt, a question) or, without one, of the panes; the action goes
//! to that layer, else to the few reader-wide arms of `App::apply`, else to a pane's
//! `update`, which changes only that pane and returns an `Effect` for the app to apply
//! (`App::apply_effect`). Events mark what is stale (`Dirty`); `settle` reloads it once
//! per batch. The UI thread reads the cache and never writes it: marks go to the
//! engine's writer (`marks`).
//!
//! How to add…
//! - **a key**: a variant of `Action` (or of `PromptAction`, `Answer` for those layers)
//!   with its doc, its line in `ALL` and in `describe` (the help and the `[keys]` name
//!   come from these), its default key in `keymap`, and its arm in the one place it
//!   acts: a pane's `update`, or `App::apply` when it acts on the whole reader.
//! - **a layer** (an overlay that takes the keys, as the help, the search prompt and
//!   questions do): a variant of `layer::Layer`, its own action enum and key table in
//!   `keymap` (and `[keys.<layer>]` in `config::KeysConfig`) when its keys are not the
//!   panes', its routing in `App::handle`, and its drawing in `app/view.rs`. A question
//!   before an action is a `Confirmable` and its arm in `App::answer`.
//! - **a pane**: its state, `update` and drawing in a file of its own (as
//!   `list_pane.rs`), a `Pane` variant, its arm in `App::route` and its place in
//!   `App::pane_rect`; what it reads from the cache is reloaded in `App::settle` when
//!   marked stale (`Dirty`).

mod action;
mod ahead;
mod app;
mod article_layout;
mod help;
mod input;
mod jobs;
mod keymap;
mod layer;
mod layout;
mod line_edit;
mod link_list;
mod list_pane;
mod marks;
mod model;
mod pane;
mod reader_pane;
mod schedule;
mod status;
mod text;
pub mod theme;
mod tree_pane;

use std::io;
use std::sync::mpsc::{Receiver, Sender};

use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{DisableMouseCapture, EnableMouseCapture};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use ratatui::{DefaultTerminal, Terminal};

pub use action::Action;
pub use app::{App, AppEvent, ForTerminal, Pane, Setup};
pub use keymap::{KeyMap, keys_left_out};
pub use layout::{Layout, WIDE};
pub use theme::Theme;

/// The terminal's width in columns, when there is a terminal.
pub fn terminal_width() -> Option<u16> {
    ratatui::crossterm::terminal::size().ok().map(|(w, _)| w).filter(|w| *w > 0)
}

/// What to do once the first frame is on screen.
pub struct Startup {
    pub refresh: bool,
    /// A line for the status bar, such as "wrote the default config to …".
    pub message: Option<String>,
    /// Something the user must know, such as a damaged cache replaced; wins over `message`.
    pub warning: Option<String>,
    /// Whether the reader takes the mouse (`mouse` in the config).
    pub mouse: bool,
}

/// Runs the reader until the user quits, and returns the panes as the user left them.
/// `events` brings engine events and signals; `sender` is where terminal input is sent.
/// The terminal is restored on every exit path, a panic on the UI thread included.
pub fn run(
    setup: Setup,
    events: Receiver<AppEvent>,
    sender: Sender<AppEvent>,
    startup: Startup,
) -> anyhow::Result<Layout> {
    install_panic_hook();
    let mouse = startup.mouse;
    take_screen(mouse)?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout())).inspect_err(|_| give_back_screen())?;
    let result = run_in(&mut terminal, setup, events, sender, startup);
    give_back_screen();
    // Once the screen is the user's again: what runs stops, and the cache is closed.
    result.map(|mut app| {
        app.stop_engine(STOP_PATIENCE);
        app.layout()
    })
}

/// How long quitting waits for the engine's writer to finish its batch and close the
/// cache; past it the process ends anyway, and the next kiosque reads the log.
const STOP_PATIENCE: std::time::Duration = std::time::Duration::from_secs(5);

/// A panic on the UI thread restores the terminal before it is reported. A panic on
/// another thread (a parser inside the engine, say) is caught there and becomes an error
/// for its source; it only goes to the log, as the screen is still in use.
fn install_panic_hook() {
    let ui_thread = std::thread::current().id();
    let report = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() == ui_thread {
            give_back_screen();
            report(info);
        } else {
            tracing::error!("panic in a background thread: {info}");
        }
    }));
}

fn run_in(
    terminal: &mut DefaultTerminal,
    setup: Setup,
    events: Receiver<AppEvent>,
    sender: Sender<AppEvent>,
    startup: Startup,
) -> anyhow::Result<App> {
    let size = terminal.size()?;
    let mut app = App::new(setup, size.width, size.height)?;
    if let Some(message) = startup.message {
        app.status().info(message);
    }
    if let Some(warning) = startup.warning {
        app.status().error(warning);
    }
    let ticks = sender.clone();
    let input = input::Gate::start(sender);
    std::thread::spawn(move || tick(&ticks));
    terminal.draw(|frame| app.draw(frame))?;
    if startup.refresh {
        app.refresh_all();
    }
    while let Ok(event) = events.recv() {
        let mut changed = app.handle(event);
        while let Ok(event) = events.try_recv() {
            changed |= app.handle(event);
        }
        if app.should_quit() {
            break;
        }
        match app.take_terminal() {
            Some(ForTerminal::Run(launch)) => {
                let ran = in_foreground(terminal, (&input, startup.mouse), || launch.in_foreground())?;
                app.foreground_done(ran);
                changed = true;
            }
            Some(ForTerminal::Copy(text)) => copy(&text)?,
            None => {}
        }
        if changed {
            app.settle();
            terminal.draw(|frame| app.draw(frame))?;
            // Once the frame is shown: what the next key press may show.
            if let Err(e) = app.lay_out_ahead() {
                tracing::info!("cannot lay out the articles beside the selection: {e}");
            }
        }
    }
    Ok(app)
}

/// How often the reader looks for what another process wrote to the cache.
const WATCH_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

fn tick(sender: &Sender<AppEvent>) {
    loop {
        std::thread::sleep(WATCH_EVERY);
        if sender.send(AppEvent::Tick).is_err() {
            return;
        }
    }
}

/// Raw mode, the alternate screen and, with `mouse`, the mouse's events.
fn take_screen(mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    let taken = execute!(io::stdout(), EnterAlternateScreen);
    let taken = taken.and_then(|()| if mouse { execute!(io::stdout(), EnableMouseCapture) } else { Ok(()) });
    taken.inspect_err(|_| give_back_screen())
}

/// The terminal as the shell had it, whatever was taken of it.
fn give_back_screen() {
    let _ = execute!(io::stdout(), DisableMouseCapture);
    ratatui::restore();
}

/// Puts `text` on the terminal's clipboard (OSC 52), which works over ssh too; a
/// terminal that does not take it ignores the sequence.
fn copy(text: &str) -> io::Result<()> {
    use base64::Engine;
    use std::io::Write;
    let encoded = base64::engine::general_purpose::STANDARD.encode(text);
    let mut out = io::stdout();
    write!(out, "\x1b]52;c;{encoded}\x07")?;
    out.flush()
}

/// Runs `program` (a text browser) with the terminal as the user's shell had it: input
/// paused, the screen and raw mode given back, then taken again and redrawn whole.
fn in_foreground<T>(
    terminal: &mut DefaultTerminal,
    (input, mouse): (&input::Gate, bool),
    program: impl FnOnce() -> T,
) -> anyhow::Result<T> {
    input.pause();
    give_back_screen();
    let ran = program();
    take_screen(mouse)?;
    terminal.clear()?;
    input.resume();
    Ok(ran)
}
