//! A list's order in SQL. Every list is read by keyset from a known row: its rows sort
//! by a key (time, id), or (group, time, id) when the order groups them first (unread
//! before read, by source), descending or, oldest first, ascending. Orders without a
//! group keep the two-column key, which the time indexes serve.

use crate::model::{Order, SortKey};

pub(super) struct Keyed {
    pub(super) group: Option<&'static str>,
    pub(super) time: &'static str,
    pub(super) id: &'static str,
    /// Oldest first.
    ascending: bool,
}

impl Keyed {
    pub(super) fn new(order: Order, time: &'static str, id: &'static str) -> Keyed {
        let (group, ascending) = match order {
            Order::Newest => (None, false),
            Order::Oldest => (None, true),
            // Descending: unread (1) first, and the source added first, first.
            Order::UnreadFirst => (Some("(1 - a.read)"), false),
            Order::BySource => (Some("(-a.source_id)"), false),
        };
        Keyed { group, time, id, ascending }
    }

    /// The group's value as a column, `0` without one.
    pub(super) fn group(&self) -> &'static str {
        self.group.unwrap_or("0")
    }

    /// The key as a row value, for comparisons.
    pub(super) fn key(&self) -> String {
        match self.group {
            Some(group) => format!("({group}, {}, {})", self.time, self.id),
            None => format!("({}, {})", self.time, self.id),
        }
    }

    /// Placeholders for a key from `?first` on, in `key`'s shape.
    pub(super) fn placeholders(&self, first: usize) -> String {
        let n = if self.group.is_some() { 3 } else { 2 };
        let marks: Vec<String> = (first..first + n).map(|i| format!("?{i}")).collect();
        format!("({})", marks.join(", "))
    }

    /// A key's values, in `key`'s shape.
    pub(super) fn values(&self, key: SortKey) -> Vec<i64> {
        match self.group {
            Some(_) => vec![key.group, key.time, key.id.0],
            None => vec![key.time, key.id.0],
        }
    }

    /// `ORDER BY`, in list order (`forward`) or against it.
    pub(super) fn order_by(&self, forward: bool) -> String {
        let dir = if forward != self.ascending { "DESC" } else { "ASC" };
        let columns: Vec<String> =
            self.group.into_iter().chain([self.time, self.id]).map(|c| format!("{c} {dir}")).collect();
        format!("ORDER BY {}", columns.join(", "))
    }

    /// The comparison that keeps rows after a key in list order (`forward`), or before it.
    pub(super) fn beyond(&self, forward: bool) -> &'static str {
        if forward != self.ascending { "<" } else { ">" }
    }
}
