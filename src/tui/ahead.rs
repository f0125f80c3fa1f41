//! Articles laid out ahead of need, on a thread of their own: the ones beside the
//! selection, so that moving to one shows a layout already made. html2text takes about a
//! millisecond for an article of 10 KB, half the key press's budget, and a long article
//! takes several.
//!
//! A newer request replaces the older one not yet done (the selection moved on), and a
//! layout made from texts the cache has since changed is dropped (`forget`).

use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::time::{Duration, Instant};

use super::article_layout::{Layout, article_lines};
use crate::model::{Article, ArticleId};
use crate::render::Laid;

/// An article laid out (its lines and its links), shared between the screen and the
/// layouts kept.
pub type Lines = Arc<Laid>;

/// A layout's article and width.
pub type Key = (ArticleId, usize);

/// An article to lay out, with the name of its source for its header.
pub struct Job {
    pub article: Article,
    pub source: String,
}

/// A layout made, with the generation of the texts it was made from.
type Made = (u64, Key, Lines);

struct Batch {
    jobs: Vec<Job>,
    layout: Layout,
    generation: u64,
}

#[derive(Default)]
pub struct Ahead {
    /// Started at the first request.
    worker: Option<(Sender<Batch>, Receiver<Made>)>,
    /// Moves on when the texts change: layouts of an older one are stale.
    generation: u64,
    /// What was last asked for, done or not: an older request may have been dropped.
    asked: Vec<Key>,
}

impl Ahead {
    /// Whether the article at this width is asked for already.
    pub fn asked(&self, key: Key) -> bool {
        self.asked.contains(&key)
    }

    /// Lays `jobs` out at `layout`, in place of what was asked before and is not done.
    pub fn ask(&mut self, jobs: Vec<Job>, layout: &Layout) {
        if jobs.is_empty() {
            return;
        }
        self.asked = jobs.iter().map(|job| (job.article.id, layout.width)).collect();
        let (to_worker, _) = self.worker.get_or_insert_with(start);
        let batch = Batch { jobs, layout: layout.clone(), generation: self.generation };
        if to_worker.send(batch).is_err() {
            // The thread ended (a panic in a layout, logged): layouts are made on the key
            // press again, and the next request starts a new thread.
            tracing::error!("the thread laying articles out ahead stopped");
            self.worker = None;
        }
    }

    /// The layouts made since last taken, from the texts as they are now.
    pub fn take(&mut self) -> Vec<(Key, Lines)> {
        let Some((_, done)) = &self.worker else { return Vec::new() };
        done.try_iter().filter(|(generation, _, _)| *generation == self.generation).map(|(_, k, l)| (k, l)).collect()
    }

    /// The layouts made until `key`'s, which was asked for: the thread started on it
    /// before the key press, so waiting for it is shorter than laying it out again.
    /// Past `patience`, what came.
    pub fn wait_for(&mut self, key: Key, patience: Duration) -> Vec<(Key, Lines)> {
        let Some((_, done)) = &self.worker else { return Vec::new() };
        let until = Instant::now() + patience;
        let mut made = Vec::new();
        while let Ok((generation, k, lines)) = done.recv_timeout(until.saturating_duration_since(Instant::now())) {
            if generation == self.generation {
                made.push((k, lines));
                if k == key {
                    break;
                }
            }
        }
        made
    }

    /// The articles' texts changed: what is laid out, or on its way, is not theirs.
    pub fn forget(&mut self) {
        self.generation += 1;
        self.asked.clear();
    }
}

fn start() -> (Sender<Batch>, Receiver<Made>) {
    let (to_worker, batches) = channel::<Batch>();
    let (to_app, done) = channel();
    let spawned = std::thread::Builder::new().name("kiosque-layout".to_owned()).spawn(move || {
        let mut next = batches.recv().ok();
        while let Some(batch) = next.take() {
            for job in batch.jobs {
                let key = (job.article.id, batch.layout.width);
                let lines = Arc::new(article_lines(&job.article, &job.source, &batch.layout));
                if to_app.send((batch.generation, key, lines)).is_err() {
                    return;
                }
                match batches.try_recv() {
                    Ok(newer) => {
                        next = Some(newer);
                        break;
                    }
                    Err(TryRecvError::Disconnected) => return,
                    Err(TryRecvError::Empty) => {}
                }
            }
            next = next.or_else(|| batches.recv().ok());
        }
    });
    if let Err(e) = spawned {
        // Without the thread, requests fail to send and layouts are made on the key press.
        tracing::error!("cannot start the thread laying articles out ahead: {e}");
    }
    (to_worker, done)
}
