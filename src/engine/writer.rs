//! The engine's one writer: a thread that owns its connection to the cache and runs what
//! the jobs ask of it, in order. Feeds reach it ready to save (parsed, their words drawn,
//! on other threads), and the ones waiting are saved together in one transaction, which
//! costs far less than one each. What waits is bounded in articles, not feeds: a feed
//! takes room before it is queued and gives it back once saved, so a refresh of any
//! number of feeds holds at most `room` articles here.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc, oneshot};

use super::JobError;
use crate::sources::ignore::Ignore;
use crate::store::{FeedRows, Store};

/// Articles waiting for the writer, at most, by default; a feed with more waits alone.
pub const ROOM: usize = 2_000;
/// Jobs waiting for the writer, at most.
const QUEUED_JOBS: usize = 64;
/// The articles saved in one transaction, about: enough that the commit is cheap.
const BATCH_ARTICLES: usize = 2_000;

type Reply = oneshot::Sender<Result<usize, JobError>>;

enum Job {
    Call(Box<dyn FnOnce(&mut Store) + Send>),
    Save { rows: FeedRows, reply: Reply, room: OwnedSemaphorePermit },
}

#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    /// Articles not to keep (`[[ignore]]`), left out before anything is queued.
    ignore: Arc<std::sync::RwLock<Arc<Ignore>>>,
    room: Arc<Semaphore>,
    size: usize,
    /// The most articles ever queued at once: what `room` promises.
    queued: Arc<Gauge>,
}

/// A feed's rows in the writer's queue; awaiting it gives how many articles were new.
pub struct Saving(oneshot::Receiver<Result<usize, JobError>>);

impl Saving {
    pub async fn saved(self) -> Result<usize, JobError> {
        self.0.await.unwrap_or_else(|_| Err(stopped()))
    }
}

impl Writer {
    /// Starts the thread, with room for `room` articles waiting; it ends when the last
    /// handle is dropped, and the receiver returned is disconnected once it has closed
    /// the cache.
    pub fn start(store: Store, room: usize) -> (Writer, std::sync::mpsc::Receiver<()>) {
        let (jobs, rx) = mpsc::channel(QUEUED_JOBS);
        let queued = Arc::new(Gauge::default());
        let gauge = Arc::clone(&queued);
        let (closing, closed) = std::sync::mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("kiosque-writer".to_owned())
            .spawn(move || {
                run(store, rx, &gauge);
                drop(closing);
            })
            .expect("cannot start the writer thread");
        let size = room.clamp(1, u32::MAX as usize);
        let ignore = Arc::default();
        (Writer { jobs, ignore, room: Arc::new(Semaphore::new(size)), size, queued }, closed)
    }

    pub fn set_ignore(&self, ignore: Ignore) {
        *self.ignore.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(ignore);
    }

    /// The rules of what not to keep, as they are now.
    pub fn ignore(&self) -> Arc<Ignore> {
        Arc::clone(&self.ignore.read().unwrap_or_else(|e| e.into_inner()))
    }

    /// Runs `f` on the writer's connection, after what was asked before it.
    pub async fn call<T: Send + 'static, E: Into<JobError>>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, E> + Send + 'static,
    ) -> Result<T, JobError> {
        let (reply, answer) = oneshot::channel();
        let job = Job::Call(Box::new(move |store| {
            let _ = reply.send(f(store).map_err(Into::into));
        }));
        self.jobs.send(job).await.map_err(|_| stopped())?;
        answer.await.unwrap_or_else(|_| Err(stopped()))
    }

    /// Queues a feed's rows, to be saved with whatever other feeds are waiting, once
    /// there is room for them.
    pub async fn queue(&self, rows: FeedRows) -> Result<Saving, JobError> {
        let weight = self.weight(&rows);
        let room = Arc::clone(&self.room).acquire_many_owned(weight as u32).await.map_err(|_| stopped())?;
        self.queued.add(weight);
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job::Save { rows, reply, room }).await.map_err(|_| stopped())?;
        Ok(Saving(answer))
    }

    /// The room `rows` take: a feed larger than all of it waits alone.
    fn weight(&self, rows: &FeedRows) -> usize {
        rows.weight().clamp(1, self.size)
    }

    /// The most articles that were ever waiting for this writer at once.
    pub fn most_queued(&self) -> usize {
        self.queued.most.load(Ordering::Relaxed)
    }
}

fn stopped() -> JobError {
    JobError::failed("internal error: the cache's writer stopped (see the log)")
}

fn run(mut store: Store, mut rx: mpsc::Receiver<Job>, queued: &Gauge) {
    let mut next = None;
    while let Some(job) = next.take().or_else(|| rx.blocking_recv()) {
        match job {
            Job::Call(f) => {
                guarded(|| f(&mut store));
            }
            Job::Save { rows, reply, room } => {
                let (mut weight, mut batch) = (rows.weight(), vec![(rows, reply, room)]);
                while weight < BATCH_ARTICLES {
                    match rx.try_recv() {
                        Ok(Job::Save { rows, reply, room }) => {
                            weight += rows.weight();
                            batch.push((rows, reply, room));
                        }
                        Ok(other) => {
                            next = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                save(&mut store, batch, queued);
            }
        }
    }
}

fn save(store: &mut Store, batch: Vec<(FeedRows, Reply, OwnedSemaphorePermit)>, queued: &Gauge) {
    let (rows, replies): (Vec<FeedRows>, Vec<(Reply, OwnedSemaphorePermit)>) =
        batch.into_iter().map(|(rows, reply, room)| (rows, (reply, room))).unzip();
    let started = std::time::Instant::now();
    let saved = guarded(|| store.save_feeds(&rows));
    let articles: usize = rows.iter().map(FeedRows::weight).sum();
    tracing::debug!(feeds = rows.len(), articles, took = ?started.elapsed(), "saved");
    queued.sub(replies.iter().map(|(_, room)| room.num_permits()).sum());
    let results: Vec<Result<usize, JobError>> = match saved {
        Some(Ok(results)) => results.into_iter().map(|r| r.map_err(JobError::from)).collect(),
        Some(Err(e)) => vec![Err(e.into()); rows.len()],
        None => vec![Err(stopped()); rows.len()],
    };
    for ((reply, _room), result) in replies.into_iter().zip(results) {
        let _ = reply.send(result);
    }
}

/// Runs `f`, logging a panic instead of ending the thread: the jobs after it still run.
fn guarded<T>(f: impl FnOnce() -> T) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .inspect_err(|_| tracing::error!("a job of the cache's writer panicked"))
        .ok()
}

/// A count and the most it ever was.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Gauge {
    fn add(&self, n: usize) {
        let now = self.now.fetch_add(n, Ordering::Relaxed) + n;
        self.most.fetch_max(now, Ordering::Relaxed);
    }

    fn sub(&self, n: usize) {
        self.now.fetch_sub(n, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewArticle, SourceId};
    use crate::store::Ready;

    fn rows(source: SourceId, feed: usize, n: usize) -> FeedRows {
        let articles = (0..n)
            .map(|i| {
                Ready::new(NewArticle {
                    guid: format!("{feed}-{i}"),
                    url: None,
                    title: format!("Article {i} of feed {feed}"),
                    author: None,
                    published: None,
                    section: None,
                    summary: None,
                    content: Some(format!("<p>Text {i} of feed {feed}.</p>")),
                    enclosures: Vec::new(),
                })
            })
            .collect();
        FeedRows {
            source,
            articles,
            title: None,
            site_url: None,
            validators: Default::default(),
            body_hash: None,
            at: 1_764_335_100,
        }
    }

    /// 200 feeds handed over at once through room for 4 of them: the queue never holds
    /// more, every article is saved, and feeds that wait together share a transaction.
    #[test]
    fn many_feeds_at_once_wait_within_the_room_and_are_all_saved() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("cache.sqlite")).unwrap();
        let sources: Vec<SourceId> =
            (0..200).map(|f| store.ensure_source(&format!("https://f{f}.example/")).unwrap()).collect();
        let (writer, _) = Writer::start(store, 4 * 5);
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).build().unwrap();
        let saved: Vec<Result<usize, JobError>> = runtime.block_on(async {
            let mut tasks = tokio::task::JoinSet::new();
            for (feed, &source) in sources.iter().enumerate() {
                let writer = writer.clone();
                tasks.spawn(async move { writer.queue(rows(source, feed, 5)).await?.saved().await });
            }
            tasks.join_all().await
        });
        assert_eq!(saved, vec![Ok(5); 200]);
        assert!(writer.most_queued() <= 20, "at most room for 4 feeds: {}", writer.most_queued());
        assert!(writer.most_queued() > 5, "the feeds did wait together: {}", writer.most_queued());
        let states = runtime.block_on(writer.call(|store| store.sources())).unwrap();
        assert_eq!(states.iter().map(|s| s.total).sum::<u32>(), 1_000);
    }

    /// A feed larger than all the room still goes through, alone.
    #[test]
    fn a_feed_larger_than_the_room_is_saved_alone() {
        let store = Store::open_in_memory().unwrap();
        let source = store.ensure_source("https://big.example/").unwrap();
        let (writer, _) = Writer::start(store, 10);
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let saved = runtime.block_on(async { writer.queue(rows(source, 0, 50)).await?.saved().await });
        assert_eq!(saved, Ok(50));
        assert_eq!(writer.most_queued(), 10);
    }
}
