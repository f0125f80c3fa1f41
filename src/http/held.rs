//! The bytes of feed bodies held in memory, bounded. A refresh of big feeds downloads
//! them faster than it can parse them; without a bound, every download under way holds a
//! whole body at once (16 feeds of 12 MB: 200 MB before any is parsed). Bodies take room
//! as their bytes arrive and give it back when dropped; a download that finds no room
//! waits, and the server waits with it (TCP flow control).
//!
//! The oldest body held always goes on, over the bound if it must, so bodies that each
//! hold part of the room never all wait for one another, and memory stays within the
//! bound plus one body. That holds as long as no holder of a body waits for another
//! download under the same budget: the engine's refreshes parse a body, then drop it.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

/// Bytes of bodies held at once, at most, beyond the oldest body's. Downloads are not
/// what a refresh waits for: 2 MB kept 50 feeds of 10 MB as fast as 8 MB did, with 7 MiB
/// less at the peak, and 16 small feeds under way still fit in it.
pub const BOUND: usize = 2 << 20;

#[derive(Debug)]
pub struct Budget {
    bound: usize,
    state: Mutex<State>,
    freed: Notify,
}

#[derive(Debug, Default)]
struct State {
    held: usize,
    next: u64,
    /// The bodies held, by age.
    holding: BTreeSet<u64>,
}

impl Budget {
    pub fn new(bound: usize) -> Arc<Budget> {
        Arc::new(Budget { bound, state: Mutex::default(), freed: Notify::new() })
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A download starts: its body holds nothing yet.
    pub fn start(self: &Arc<Budget>) -> Held {
        let mut state = self.state();
        let ticket = state.next;
        state.next += 1;
        state.holding.insert(ticket);
        Held { budget: Arc::clone(self), ticket, bytes: 0 }
    }
}

/// The room a body holds; given back when dropped.
#[derive(Debug)]
pub struct Held {
    budget: Arc<Budget>,
    ticket: u64,
    bytes: usize,
}

impl Held {
    /// Waits for room for `more` bytes of this body.
    pub async fn grow(&mut self, more: usize) {
        loop {
            let freed = {
                let mut state = self.budget.state();
                let oldest = state.holding.first() == Some(&self.ticket);
                if oldest || state.held + more <= self.budget.bound {
                    state.held += more;
                    self.bytes += more;
                    return;
                }
                // Made before the lock goes, so a release in between is not missed.
                self.budget.freed.notified()
            };
            freed.await;
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut state = self.budget.state();
        state.held -= self.bytes;
        state.holding.remove(&self.ticket);
        drop(state);
        self.budget.freed.notify_waiters();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn held(budget: &Budget) -> usize {
        budget.state().held
    }

    #[tokio::test]
    async fn a_body_waits_for_room_unless_it_is_the_oldest() {
        let budget = Budget::new(100);
        let mut first = budget.start();
        first.grow(60).await;
        let mut second = budget.start();
        second.grow(30).await;
        let blocked = tokio::time::timeout(Duration::from_millis(50), second.grow(20)).await;
        assert!(blocked.is_err(), "the second waits while the bound is reached");
        first.grow(20).await;
        assert_eq!(held(&budget), 110, "the oldest goes over");
        drop(first);
        // Now the oldest, the second may go over in turn.
        tokio::time::timeout(Duration::from_secs(5), second.grow(80)).await.expect("room was given back");
        assert_eq!(held(&budget), 110);
        drop(second);
        assert_eq!(held(&budget), 0);
        assert!(budget.state().holding.is_empty());
    }

    /// Four downloads of 80 under a bound of 100, each body dropped once whole (parsed):
    /// none waits forever, and no more than the bound plus one body is ever held.
    #[tokio::test]
    async fn downloads_that_fill_the_bound_between_them_all_finish_within_it() {
        let budget = Budget::new(100);
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..4 {
            let (mut body, budget, most) = (budget.start(), Arc::clone(&budget), Arc::clone(&most));
            set.spawn(async move {
                for _ in 0..8 {
                    body.grow(10).await;
                    most.fetch_max(held(&budget), std::sync::atomic::Ordering::Relaxed);
                    tokio::task::yield_now().await;
                }
            });
        }
        let all = async {
            while let Some(done) = set.join_next().await {
                done.unwrap();
            }
        };
        tokio::time::timeout(Duration::from_secs(5), all).await.expect("no download waits forever on another");
        assert!(most.load(std::sync::atomic::Ordering::Relaxed) <= 100 + 80);
        assert_eq!(held(&budget), 0);
    }
}
