//! A change the reader asks of the cache: a read mark, a bookmark, a list marked read.
//! The reader never writes the cache itself: it sends these to the engine, which writes
//! them on its one writer in the order asked and answers each with `Event::Marked` once
//! it is committed (or why not). While another process holds the cache's lock (a
//! `kiosque refresh` elsewhere, a batch at a time) a mark waits for it, up to
//! `PATIENCE`, on the engine's side: no key press waits.

use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::writer::Writer;
use super::{Event, JobError};
use crate::model::ArticleId;
use crate::store::{self, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mark {
    Read {
        id: ArticleId,
        read: bool,
    },
    /// `at`: when it was asked, the bookmark's date.
    Bookmark {
        id: ArticleId,
        on: bool,
        at: i64,
    },
    /// Many articles read, or unread again: the unread ones a list showed when `M` was
    /// pressed (those that came since stay unread), or those `U` gives back.
    Many {
        ids: Vec<ArticleId>,
        read: bool,
    },
}

impl Mark {
    /// Writes it: how many articles it changed.
    fn apply(&self, store: &Store) -> store::Result<usize> {
        Ok(match self {
            Mark::Read { id, read } => usize::from(store.set_read(*id, *read)?),
            Mark::Bookmark { id, on, at } => usize::from(store.set_bookmark(*id, *on, *at)?),
            Mark::Many { ids, read } => store.set_read_many(ids, *read)?,
        })
    }
}

/// How long a mark waits for another process's lock before it is given up and said so.
const PATIENCE: Duration = Duration::from_secs(60);
/// Between two tries at a lock another process holds.
const RETRY: Duration = Duration::from_millis(100);

/// Writes the marks sent, one after another, telling `sink` of each.
pub(super) async fn write_all(
    store: Writer,
    sink: std::sync::Arc<dyn Fn(Event) + Send + Sync>,
    mut marks: mpsc::UnboundedReceiver<Mark>,
    written: mpsc::UnboundedSender<()>,
) {
    while let Some(mark) = marks.recv().await {
        let result = write(&store, &mark).await;
        match &result {
            Err(e) => tracing::error!("{mark:?} not saved: {e}"),
            // A feed server may be waiting for it (its outbox).
            Ok(n) if *n > 0 => {
                let _ = written.send(());
            }
            Ok(_) => {}
        }
        sink(Event::Marked { mark, result });
    }
}

async fn write(store: &Writer, mark: &Mark) -> Result<usize, JobError> {
    let until = Instant::now() + PATIENCE;
    loop {
        let asked = mark.clone();
        match store.call(move |store| Ok::<_, JobError>(asked.apply(store))).await? {
            Err(e) if e.is_busy() && Instant::now() < until => tokio::time::sleep(RETRY).await,
            written => return written.map_err(JobError::from),
        }
    }
}
