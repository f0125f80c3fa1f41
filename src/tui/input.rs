//! Terminal input, read on its own thread so the loop can wait on one channel. While a
//! text browser has the terminal the thread is paused (`Gate`): the keys typed are the
//! browser's, none is read away from it.

use std::io;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use ratatui::crossterm::event::{self, Event as TermEvent, KeyEventKind};

use super::AppEvent;

/// How long the thread waits for input before it looks whether it must pause.
const POLL: Duration = Duration::from_millis(50);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Reading,
    /// Asked to pause; the thread has not stopped reading yet.
    Pausing,
    Paused,
}

/// Pauses and resumes the input thread.
pub struct Gate {
    state: Mutex<State>,
    changed: Condvar,
}

impl Gate {
    /// Starts the thread, which sends what is typed to `sender`.
    pub fn start(sender: Sender<AppEvent>) -> Arc<Gate> {
        let gate = Arc::new(Gate { state: Mutex::new(State::Reading), changed: Condvar::new() });
        let reader = Arc::clone(&gate);
        std::thread::spawn(move || reader.forward(&sender));
        gate
    }

    /// Returns once the thread reads no more, until `resume`.
    pub fn pause(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        *state = State::Pausing;
        while *state == State::Pausing {
            let (next, timeout) = self.changed.wait_timeout(state, POLL * 20).unwrap_or_else(|e| e.into_inner());
            state = next;
            // The thread has ended (the terminal went away): nothing reads any more.
            if timeout.timed_out() {
                break;
            }
        }
    }

    pub fn resume(&self) {
        *self.state.lock().unwrap_or_else(|e| e.into_inner()) = State::Reading;
        self.changed.notify_all();
    }

    /// Waits, while paused.
    fn hold(&self) {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if *state == State::Reading {
            return;
        }
        *state = State::Paused;
        self.changed.notify_all();
        while *state != State::Reading {
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    fn forward(&self, sender: &Sender<AppEvent>) -> io::Result<()> {
        loop {
            self.hold();
            if !event::poll(POLL)? {
                continue;
            }
            let event = match event::read()? {
                TermEvent::Key(key) if key.kind != KeyEventKind::Release => AppEvent::Key(key),
                TermEvent::Mouse(mouse) => AppEvent::Mouse(mouse),
                TermEvent::Resize(w, h) => AppEvent::Resize(w, h),
                _ => continue,
            };
            if sender.send(event).is_err() {
                return Ok(());
            }
        }
    }
}
