//! Read marks, bookmarks and lists marked read sent to the engine and not yet committed.
//! The reader never writes the cache: a mark goes to the engine's writer (`engine::Mark`)
//! and is shown at once from here, until the engine says it is in the cache (`confirm`).
//! While a refresh holds the cache's lock that takes a batch, half a second or more; a
//! key press does not wait for it.

use std::collections::VecDeque;

use crate::engine::Mark;
use crate::model::ArticleId;

#[derive(Debug, Default)]
pub struct Marks {
    /// In the order sent, which is the order the engine answers in.
    sent: VecDeque<Mark>,
}

impl Marks {
    pub fn send(&mut self, mark: Mark) {
        self.sent.push_back(mark);
    }

    /// The engine answered for `mark`: it is no longer waiting.
    pub fn confirm(&mut self, mark: &Mark) {
        if let Some(at) = self.sent.iter().position(|sent| sent == mark) {
            self.sent.remove(at);
        }
    }

    pub fn any_waiting(&self) -> bool {
        !self.sent.is_empty()
    }

    /// The read mark last sent for `id` and not yet in the cache, which therefore does
    /// not show it. The ids of a `Many` mark are sorted where `M` makes them.
    pub fn waiting(&self, id: ArticleId) -> Option<bool> {
        self.sent.iter().rev().find_map(|mark| match mark {
            Mark::Read { id: marked, read } if *marked == id => Some(*read),
            Mark::Many { ids, read } if ids.binary_search(&id).is_ok() => Some(*read),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_read_mark_sent_shows_until_the_engine_confirms_it() {
        let (a, b) = (ArticleId(1), ArticleId(2));
        let mut marks = Marks::default();
        assert_eq!(marks.waiting(a), None);
        marks.send(Mark::Read { id: a, read: true });
        marks.send(Mark::Many { ids: vec![a, b], read: true });
        assert_eq!(marks.waiting(b), Some(true), "in a list marked read");
        marks.send(Mark::Read { id: a, read: false });
        marks.send(Mark::Bookmark { id: b, on: true, at: 1 });
        assert_eq!((marks.waiting(a), marks.waiting(b)), (Some(false), Some(true)), "a bookmark is no read mark");

        // Answered in the order sent.
        marks.confirm(&Mark::Read { id: a, read: true });
        assert_eq!(marks.waiting(a), Some(false));
        marks.confirm(&Mark::Many { ids: vec![a, b], read: true });
        assert_eq!((marks.waiting(a), marks.waiting(b)), (Some(false), None), "b is in the cache now");
        marks.confirm(&Mark::Read { id: a, read: false });
        assert_eq!(marks.waiting(a), None, "in the cache now: the cache shows it");
        assert!(marks.any_waiting());
        marks.confirm(&Mark::Bookmark { id: b, on: true, at: 1 });
        assert!(!marks.any_waiting());
        marks.confirm(&Mark::Bookmark { id: b, on: true, at: 1 });
        assert!(!marks.any_waiting(), "an answer for nothing sent changes nothing");
    }
}
