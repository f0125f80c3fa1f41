//! When the reader refreshes by itself while it stays open: `refresh_minutes` after the
//! last refresh ended (any refresh, the user's too), never while one runs; 0 is never.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    /// Seconds between refreshes; `None`: never.
    every: Option<i64>,
    /// When the next is due; `None` while one runs.
    next: Option<i64>,
}

impl Schedule {
    pub fn new(minutes: u32, now: i64) -> Schedule {
        let every = (minutes > 0).then(|| i64::from(minutes) * 60);
        Schedule { every, next: every.map(|every| now + every) }
    }

    pub fn every(&self) -> Option<i64> {
        self.every
    }

    /// Whether a refresh is due at `now`; once said, it is not due again until
    /// `finished`.
    pub fn due(&mut self, now: i64) -> bool {
        let due = self.next.is_some_and(|next| now >= next);
        if due {
            self.next = None;
        }
        due
    }

    /// A refresh ended at `now`: the next is an interval away.
    pub fn finished(&mut self, now: i64) {
        self.next = self.every.map(|every| now + every);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_is_due_an_interval_after_the_last_ended_and_never_twice() {
        let mut schedule = Schedule::new(30, 0);
        assert!(!schedule.due(1_799));
        assert!(schedule.due(1_800));
        assert!(!schedule.due(5_000), "not while it runs");
        schedule.finished(5_000);
        assert!(!schedule.due(6_799) && schedule.due(6_800));
        let mut never = Schedule::new(0, 0);
        assert!(!never.due(i64::MAX));
        never.finished(10);
        assert!(!never.due(i64::MAX));
    }
}
