//! Background work. Refreshes run on the tokio runtime, write to the cache through the
//! engine's own connection, and report typed events; the UI only sends requests and reads
//! events (gitui's asyncgit boundary). A source already being refreshed, or a page already
//! being fetched, is not queued twice. A source set to prefetch gets the pages of its new
//! articles within its refresh, so the refresh is finished when they are kept.

mod job_error;
mod mark;
mod sync_round;
mod writer;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use tokio::sync::{Semaphore, SemaphorePermit, mpsc};
use tokio::task::JoinSet;

use crate::http::{self, Body, Budget, Fetched, Http};
use crate::model::{ArticleId, SectionId, SourceId, SourceKind};
use crate::sources::ignore::Ignore;
use crate::sources::site::{self, Listing, Seen};
use crate::sources::{feed, page};
use crate::store::{FeedRows, FetchInfo, PageText, Ready, SiteAccess, Store};
use crate::timefmt::Clock;
pub use job_error::JobError;
pub use mark::Mark;
use writer::Writer;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Refresh(Vec<SourceId>),
    /// From now on, refreshing these sources also fetches their new articles' pages.
    Prefetch(Vec<SourceId>),
    /// Fetches an article's page and keeps what reader mode finds on it.
    FetchPage(ArticleId),
    /// Lists page `page` (from 1) of a site's section.
    ListSection {
        id: SectionId,
        page: u32,
    },
    /// Lists the first page of a section just selected. A newer glance stops an older one
    /// that is still running: moving down a tree of sections asks for each in passing,
    /// and the one the reader stops at must not wait behind the others.
    GlanceSection(SectionId),
    /// Writes a read mark, a bookmark or a list read, after those sent before it.
    Mark(Mark),
    /// From now on, articles these rules hide are not kept (`[[ignore]]`).
    Ignore(Arc<Ignore>),
    /// From now on, refreshing `server` is a round with this feed server, and marks of
    /// its articles are sent to it as they are made.
    Sync {
        settings: Box<crate::sync::Settings>,
        server: SourceId,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// `done` of `total` sources of the current refresh have finished, `failed` of them
    /// in failure.
    Progress {
        done: usize,
        total: usize,
        failed: usize,
    },
    SourceDone {
        id: SourceId,
        outcome: Outcome,
    },
    /// Every requested source has finished.
    Finished(Summary),
    /// An article's page was fetched, and which text is kept, or why not.
    PageDone {
        id: ArticleId,
        result: Result<PageKept, JobError>,
    },
    /// A page of a section was listed (how many articles were new to the site), or why not;
    /// `Superseded` when a newer glance stopped it.
    SectionDone {
        id: SectionId,
        result: Result<usize, JobError>,
    },
    /// A sync round with the feed server `id` has read this many articles so far.
    Syncing {
        id: SourceId,
        articles: usize,
    },
    /// A sync round with the feed server `id` is over: what it did besides bringing new
    /// articles (marks sent and received, bookmarks kept that the server does not star).
    Synced {
        id: SourceId,
        summary: String,
    },
    /// A mark was committed (how many articles it changed), or why not. Marks are
    /// answered in the order they were sent.
    Marked {
        mark: Mark,
        result: Result<usize, JobError>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Updated {
        new: usize,
        items: usize,
        /// Pages of new articles fetched for their full text (`prefetch`).
        pages: Prefetched,
    },
    Unchanged,
    /// `network`: the network itself failed (no route, no answer), not the source.
    Failed {
        reason: String,
        network: bool,
    },
}

/// Which text an article keeps once its page is read: the page's, or the one it held
/// when the page gave less (reader mode found a poorer text there).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKept {
    Page,
    /// `summary`: what it held was the feed's summary, not its full text.
    Held {
        summary: bool,
    },
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prefetched {
    pub fetched: usize,
    pub failed: usize,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub sources: usize,
    pub failed: usize,
    pub network_failures: usize,
    pub new: usize,
}

impl Summary {
    /// Every source failed for want of a network.
    pub fn offline(&self) -> bool {
        self.sources > 0 && self.network_failures == self.sources
    }

    fn add(&mut self, outcome: &Outcome) {
        self.sources += 1;
        match outcome {
            Outcome::Updated { new, .. } => self.new += new,
            Outcome::Unchanged => {}
            Outcome::Failed { network, .. } => {
                self.failed += 1;
                self.network_failures += usize::from(*network);
            }
        }
    }
}

/// The UI's handle on the engine; dropping it stops the engine.
pub struct Engine {
    requests: mpsc::UnboundedSender<Request>,
    /// Disconnected once the writer has closed the cache (`Writer::start`).
    closed: Option<std::sync::mpsc::Receiver<()>>,
}

impl Engine {
    /// Starts the engine on `runtime`; `sink` receives its events, from any thread. The
    /// clock dates what is first seen now. After each refresh, unread articles older than
    /// `keep_days` (0: none) that no bookmark holds are dropped.
    pub fn start(
        runtime: &tokio::runtime::Handle,
        http: Http,
        store: Store,
        (clock, keep_days): (Clock, u32),
        sink: impl Fn(Event) + Send + Sync + 'static,
    ) -> Engine {
        let (requests, rx) = mpsc::unbounded_channel();
        let slots = Arc::new(Slots::new(http.concurrency()));
        let (store, closed) = Writer::start(store, writer::ROOM);
        let worker = Worker { http, store, slots, clock, keep_days, sink: Arc::new(sink) };
        runtime.spawn(worker.run(rx));
        Engine { requests, closed: Some(closed) }
    }

    /// Stops what runs, and waits (up to `patience`) for the cache to be closed: a
    /// process that ends first leaves its write-ahead log beside the cache, as big as
    /// what it last wrote, until the next kiosque opens it. Call it from outside the
    /// runtime, which must still run.
    pub fn stop(self, patience: std::time::Duration) {
        let Engine { requests, closed } = self;
        drop(requests);
        if let Some(closed) = closed
            && closed.recv_timeout(patience) == Err(std::sync::mpsc::RecvTimeoutError::Timeout)
        {
            tracing::info!("the cache's writer did not stop within {patience:?}");
        }
    }

    /// An engine that does nothing but hand its requests to the returned receiver: for
    /// tests of the UI, and for tools that never fetch.
    pub fn detached() -> (Engine, mpsc::UnboundedReceiver<Request>) {
        let (requests, rx) = mpsc::unbounded_channel();
        (Engine { requests, closed: None }, rx)
    }

    pub fn refresh(&self, ids: Vec<SourceId>) {
        self.send(Request::Refresh(ids));
    }

    /// Refreshing these sources (and no others) also fetches the pages of their new
    /// articles whose feed gave only a summary, so that they read in full offline.
    pub fn prefetch(&self, ids: Vec<SourceId>) {
        self.send(Request::Prefetch(ids));
    }

    pub fn fetch_page(&self, id: ArticleId) {
        self.send(Request::FetchPage(id));
    }

    pub fn list_section(&self, id: SectionId, page: u32) {
        self.send(Request::ListSection { id, page });
    }

    pub fn glance_section(&self, id: SectionId) {
        self.send(Request::GlanceSection(id));
    }

    pub fn mark(&self, mark: Mark) {
        self.send(Request::Mark(mark));
    }

    pub fn ignore(&self, ignore: Ignore) {
        self.send(Request::Ignore(Arc::new(ignore)));
    }

    /// Syncs with the feed server of `settings`, whose source is `server`.
    pub fn sync(&self, settings: crate::sync::Settings, server: SourceId) {
        self.send(Request::Sync { settings: Box::new(settings), server });
    }

    fn send(&self, request: Request) {
        // A closed channel means the runtime is shutting down: nothing left to do.
        let _ = self.requests.send(request);
    }
}

/// What bounds the memory of a refresh, whatever the number of feeds.
struct Slots {
    /// Feeds fetched and not yet queued for the writer, at most.
    feeds: Semaphore,
    /// Feeds parsed and not yet queued for the writer, at most: as many as there are
    /// cores, as more would not parse faster. A parsed feed waits within it for room in
    /// the writer's queue, so parsing goes no faster than saving, and the rows that wait
    /// are those of a few feeds.
    parsing: Semaphore,
    /// The bytes of the feeds downloaded and not yet parsed.
    bodies: Arc<Budget>,
}

impl Slots {
    fn new(feeds: usize) -> Slots {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Slots { feeds: Semaphore::new(feeds), parsing: Semaphore::new(cores), bodies: Budget::new(http::BOUND) }
    }

    /// Runs `f` once a parsing slot is free; the slot comes back with its result, to be
    /// held until the rows are queued.
    async fn parse<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T, JobError> + Send + 'static,
    ) -> Result<(T, SemaphorePermit<'_>), JobError> {
        let parsing = self.parsing.acquire().await.map_err(|_| JobError::failed("the refresh stopped"))?;
        Ok((blocking(f).await?, parsing))
    }
}

struct Worker {
    http: Http,
    store: Writer,
    slots: Arc<Slots>,
    clock: Clock,
    keep_days: u32,
    sink: Arc<dyn Fn(Event) + Send + Sync>,
}

impl Worker {
    async fn run(self, mut rx: mpsc::UnboundedReceiver<Request>) {
        let mut jobs = JoinSet::new();
        let mut running: HashMap<tokio::task::Id, SourceId> = HashMap::new();
        let mut in_flight: HashSet<SourceId> = HashSet::new();
        let (mut done, mut total, mut summary) = (0, 0, Summary::default());
        let mut pages = JoinSet::new();
        let mut fetching: HashMap<tokio::task::Id, ArticleId> = HashMap::new();
        let mut listings = JoinSet::new();
        let mut listing: HashMap<tokio::task::Id, SectionId> = HashMap::new();
        let mut glancing: Option<(tokio::task::AbortHandle, SectionId)> = None;
        let mut prefetch: HashSet<SourceId> = HashSet::new();
        let pages_at_once = Arc::new(Semaphore::new(PAGES_AT_ONCE));
        // Their own task, so that they are written in order and never wait behind a job.
        let (marks, to_write) = mpsc::unbounded_channel();
        let (nudge, mut nudged) = mpsc::unbounded_channel();
        tokio::spawn(mark::write_all(self.store.clone(), Arc::clone(&self.sink), to_write, nudge));
        let mut link: Option<(Arc<sync_round::Link>, SourceId)> = None;
        let mut pushing = JoinSet::new();
        let mut push_again = false;
        loop {
            tokio::select! {
                request = rx.recv() => {
                    let ids = match request {
                        None => break,
                        Some(Request::FetchPage(id)) => {
                            if !fetching.values().any(|a| *a == id) {
                                let handle = pages.spawn(fetch_page(self.http.clone(), self.store.clone(), self.clock, id));
                                fetching.insert(handle.id(), id);
                            }
                            continue;
                        }
                        Some(Request::ListSection { id, page }) => {
                            if !listing.values().any(|s| *s == id) {
                                listing.insert(listings.spawn(self.listing(id, page)).id(), id);
                            }
                            continue;
                        }
                        Some(Request::GlanceSection(id)) => {
                            if let Some((older, section)) = glancing.take().filter(|(_, s)| *s != id) {
                                // Its task ends as cancelled and is reported below.
                                older.abort();
                                tracing::debug!("listing of section {section} superseded");
                            }
                            if !listing.values().any(|s| *s == id) {
                                let handle = listings.spawn(self.listing(id, 1));
                                listing.insert(handle.id(), id);
                                glancing = Some((handle, id));
                            }
                            continue;
                        }
                        Some(Request::Mark(mark)) => {
                            let _ = marks.send(mark);
                            continue;
                        }
                        Some(Request::Ignore(ignore)) => {
                            self.store.set_ignore(Arc::unwrap_or_clone(ignore));
                            continue;
                        }
                        Some(Request::Prefetch(ids)) => {
                            prefetch = ids.into_iter().collect();
                            continue;
                        }
                        Some(Request::Sync { settings, server }) => {
                            let sink = Arc::clone(&self.sink);
                            let made = sync_round::Link::new(*settings, self.http.clone(), sink);
                            link = Some((Arc::new(made), server));
                            continue;
                        }
                        Some(Request::Refresh(ids)) => ids,
                    };
                    let before = total;
                    for id in ids {
                        if in_flight.insert(id) {
                            total += 1;
                            let pages = prefetch.contains(&id).then(|| Arc::clone(&pages_at_once));
                            let with = (self.http.clone(), self.store.clone(), Arc::clone(&self.slots));
                            let server = link.as_ref().map(|(link, _)| Arc::clone(link));
                            let job = refresh_and_prefetch(with, (self.clock, server), id, pages);
                            let handle = jobs.spawn(job);
                            running.insert(handle.id(), id);
                        }
                    }
                    if total > before {
                        (self.sink)(Event::Progress { done, total, failed: summary.failed });
                    }
                }
                Some(joined) = jobs.join_next_with_id(), if !jobs.is_empty() => {
                    let (id, outcome) = match joined {
                        Ok((task, outcome)) => (running.remove(&task), outcome),
                        Err(e) => {
                            tracing::error!("refresh task failed: {e}");
                            let reason = "internal error (see the log)".to_owned();
                            (running.remove(&e.id()), Outcome::Failed { reason, network: false })
                        }
                    };
                    let Some(id) = id else { continue };
                    in_flight.remove(&id);
                    done += 1;
                    summary.add(&outcome);
                    (self.sink)(Event::SourceDone { id, outcome });
                    (self.sink)(Event::Progress { done, total, failed: summary.failed });
                    if jobs.is_empty() {
                        tracing::debug!(most_queued = self.store.most_queued(), "articles waiting to be saved, at most");
                        self.tidy().await;
                        (self.sink)(Event::Finished(summary));
                        (done, total, summary) = (0, 0, Summary::default());
                    }
                }
                Some(done) = listings.join_next_with_id(), if !listings.is_empty() => {
                    let (task, result) = match done {
                        Err(e) if e.is_cancelled() => (e.id(), Err(JobError::Superseded)),
                        done => finished(done),
                    };
                    if let Some(id) = listing.remove(&task) {
                        (self.sink)(Event::SectionDone { id, result });
                    }
                }
                Some(()) = nudged.recv() => {
                    if pushing.is_empty() {
                        if let Some((link, server)) = &link {
                            pushing.spawn(push(Arc::clone(link), self.store.clone(), *server));
                        }
                    } else {
                        push_again = true;
                    }
                }
                Some(_) = pushing.join_next(), if !pushing.is_empty() => {
                    if std::mem::take(&mut push_again) && let Some((link, server)) = &link {
                        pushing.spawn(push(Arc::clone(link), self.store.clone(), *server));
                    }
                }
                Some(done) = pages.join_next_with_id(), if !pages.is_empty() => {
                    let (task, result) = finished(done);
                    if let Some(id) = fetching.remove(&task) {
                        if let Err(e) = &result {
                            tracing::info!("the page of article {id}: {e}");
                        }
                        (self.sink)(Event::PageDone { id, result });
                    }
                }
            }
        }
    }
}

type Joined<T> = Result<(tokio::task::Id, Result<T, JobError>), tokio::task::JoinError>;

/// A job's task and result; a job that panicked failed with an internal error.
fn finished<T>(joined: Joined<T>) -> (tokio::task::Id, Result<T, JobError>) {
    joined.unwrap_or_else(|e| {
        tracing::error!("background task failed: {e}");
        (e.id(), Err(JobError::failed("internal error (see the log)")))
    })
}

impl Worker {
    /// Lists a page of a section, for `SectionDone`: how many articles were new.
    fn listing(&self, id: SectionId, page: u32) -> impl Future<Output = Result<usize, JobError>> + use<> {
        let job = list_section(self.http.clone(), self.store.clone(), self.clock, id, page);
        async { job.await.map(|(new, _)| new) }
    }

    /// After a refresh: drops the unread articles older than `keep_days` that no bookmark
    /// holds, and gives back the pages freed.
    async fn tidy(&self) {
        if self.keep_days > 0 {
            let before = self.clock.now().timestamp() - i64::from(self.keep_days) * 86_400;
            match self.store.call(move |store| store.forget_unread_before(before)).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("dropped {n} unread articles older than the kept days"),
                Err(e) => tracing::error!("cannot drop old articles: {e}"),
            }
        }
        if let Err(e) = self.store.call(|store| store.give_back_free_pages()).await {
            tracing::info!("cannot shrink the cache: {e}");
        }
    }
}

/// Pages fetched at once for prefetching, over all sources: the site is read by a person
/// meanwhile, and `http.per_host` still applies.
const PAGES_AT_ONCE: usize = 4;
/// A heading is listed through at most this many of its sections.
const MAX_HEADING_SECTIONS: usize = 8;
/// The most pages one refresh of a source fetches.
const PREFETCH_MAX: usize = 100;

/// A moment after a mark of a server's article, the marks waiting are sent to it; those
/// made meanwhile go with them. A failure leaves them for the next round.
async fn push(link: Arc<sync_round::Link>, store: Writer, server: SourceId) {
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    match link.push(&store, server).await {
        Ok(0) => {}
        Ok(n) => tracing::info!("sent {n} marks to the server"),
        Err(e) => tracing::info!("marks kept for the next sync: {e}"),
    }
}

/// Refreshes a source; with `pages`, then fetches the pages of its new articles.
async fn refresh_and_prefetch(
    (http, store, slots): (Http, Writer, Arc<Slots>),
    (clock, link): (Clock, Option<Arc<sync_round::Link>>),
    id: SourceId,
    pages: Option<Arc<Semaphore>>,
) -> Outcome {
    let since = clock.now().timestamp();
    let mut outcome = refresh_one(http.clone(), store.clone(), slots, (clock, link), id).await;
    if let (Some(permits), Outcome::Updated { new, pages, .. }) = (pages, &mut outcome)
        && *new > 0
    {
        *pages = prefetch(http, store, clock, id, since, permits).await;
    }
    outcome
}

/// Fetches the pages of a source's articles first seen since `since` that have only a
/// summary, a few at a time.
async fn prefetch(
    http: Http,
    store: Writer,
    clock: Clock,
    id: SourceId,
    since: i64,
    permits: Arc<Semaphore>,
) -> Prefetched {
    let wanted = store.call(move |store| store.wanting_pages(id, since, PREFETCH_MAX)).await;
    let mut result = Prefetched::default();
    let wanted = wanted.unwrap_or_else(|e| {
        tracing::error!("cannot list the pages to fetch: {e}");
        Vec::new()
    });
    let mut jobs = JoinSet::new();
    for article in wanted {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else { break };
        let (http, store) = (http.clone(), store.clone());
        jobs.spawn(async move {
            let _permit = permit;
            fetch_page(http, store, clock, article).await
        });
    }
    while let Some(done) = jobs.join_next().await {
        match done {
            Ok(Ok(_)) => result.fetched += 1,
            Ok(Err(e)) => {
                tracing::info!("prefetch: {e}");
                result.failed += 1;
            }
            Err(e) => {
                tracing::error!("prefetch task failed: {e}");
                result.failed += 1;
            }
        }
    }
    result
}

/// Fetches one source, saves what it brought, and records how it went.
async fn refresh_one(
    http: Http,
    store: Writer,
    slots: Arc<Slots>,
    (clock, link): (Clock, Option<Arc<sync_round::Link>>),
    id: SourceId,
) -> Outcome {
    let now = move || clock.now().timestamp();
    let info = store.call(move |store| store.source_fetch_info(id)).await;
    let FetchInfo { url, kind, validators, body_hash } = match info {
        Ok(Some(info)) => info,
        Ok(None) => return failed(JobError::failed("unknown source")),
        Err(e) => return failed(e),
    };
    match (kind, link) {
        (SourceKind::Site, _) => return refresh_site(http, store, clock, id, url).await,
        (SourceKind::Server, Some(link)) => return link.round(&store, clock, id).await,
        (SourceKind::Server, None) => return failed(JobError::failed("no [sync] in the config for this server")),
        // Read through its server, whose round brings its articles.
        (SourceKind::Remote, _) => return Outcome::Unchanged,
        (SourceKind::Feed, _) => {}
    }
    let ignore = store.ignore();
    // Held from the download until its rows are queued for the writer.
    let Ok(slot) = slots.feeds.acquire().await else { return failed(JobError::failed("the refresh stopped")) };
    let started = std::time::Instant::now();
    let fetched = http.fetch_within(&url, &validators, &slots.bodies).await;
    tracing::debug!(%url, took = ?started.elapsed(), "fetched");
    let outcome = match fetched {
        Ok(Fetched::NotModified) => unchanged(&store, id, now()).await,
        Ok(Fetched::Body(body)) => match slots.parse(move || feed_rows(*body, (id, &ignore), body_hash, now())).await {
            Ok((None, _)) => unchanged(&store, id, now()).await,
            Ok((Some(rows), parsing)) => {
                let items = rows.articles.len();
                let started = std::time::Instant::now();
                let queued = store.queue(rows).await;
                drop((parsing, slot));
                let saved = match queued {
                    Ok(saving) => saving.saved().await,
                    Err(e) => Err(e),
                };
                tracing::debug!(%url, took = ?started.elapsed(), "saved, with the wait for the writer");
                saved.map(|new| Outcome::Updated { new, items, pages: Prefetched::default() })
            }
            Err(e) => Err(e),
        },
        Err(e) => {
            tracing::info!("{e}");
            // The source's state says what failed, its address is shown beside it.
            let reason = JobError::Failed { reason: e.kind.to_string(), network: e.kind.is_network() };
            let at = now();
            let retry_at = match e.kind {
                http::HttpErrorKind::RateLimited { wait_secs, .. } => Some(at.saturating_add_unsigned(wait_secs)),
                _ => None,
            };
            return record_failure_until(&store, id, reason, at, retry_at).await;
        }
    };
    match outcome {
        Ok(outcome) => outcome,
        Err(e) => {
            tracing::info!("{url}: {e}");
            record_failure(&store, id, e, now()).await
        }
    }
}

/// A feed's rows, ready for the writer; `None` when its bytes are those last saved
/// (`last`), which a server without validators serves again as new.
fn feed_rows(
    body: Body,
    (id, ignore): (SourceId, &Ignore),
    last: Option<i64>,
    at: i64,
) -> Result<Option<FeedRows>, JobError> {
    let started = std::time::Instant::now();
    let body_hash = Some(crate::store::body_hash(&body.bytes));
    if body_hash == last {
        return Ok(None);
    }
    let mut parsed = feed::parse(&body.bytes, &body.url, body.charset.as_deref())?;
    let hidden = ignore.filter(id, &mut parsed.articles);
    if hidden > 0 {
        tracing::debug!(url = %body.url, hidden, "left out by [[ignore]]");
    }
    let size = body.bytes.len();
    let (url, validators) = (body.url.clone(), body.validators.clone());
    // The body goes, and its room in the budget with it, before the rows are made: a big
    // feed is held once, not twice.
    drop(body);
    let articles: Vec<Ready> = parsed.articles.into_iter().map(Ready::new).collect();
    tracing::debug!(%url, bytes = size, items = articles.len(), took = ?started.elapsed(), "parsed");
    let (title, site_url) = (parsed.title, parsed.site_url);
    Ok(Some(FeedRows { source: id, articles, title, site_url, validators, body_hash, at }))
}

/// Looks at a site again (what it is, its sections), then lists its newest articles.
async fn refresh_site(http: Http, store: Writer, clock: Clock, id: SourceId, url: String) -> Outcome {
    let now = clock.now().timestamp();
    let info = match site::examine(&http, &url).await {
        Ok(Seen::Site(info)) => *info,
        Ok(Seen::Feed { .. }) => {
            let reason = JobError::failed("a feed, not a site: list it as [[feed]] in the config");
            return record_failure(&store, id, reason, now).await;
        }
        Ok(Seen::Page { url, .. }) => {
            return record_failure(&store, id, site::SiteError::NoSections(url).into(), now).await;
        }
        Err(e) => return record_failure(&store, id, e.into(), now).await,
    };
    let saved = store
        .call(move |store| -> crate::store::Result<SectionId> {
            let home = store.save_sections(id, &info.home(), &info.sections)?;
            let feed = info.feed.as_ref().map(ToString::to_string);
            let access = match &info.kind {
                site::SiteKind::WordPress { api, closed } => {
                    SiteAccess { api: closed.is_none().then(|| api.to_string()), wordpress: true, feed }
                }
                site::SiteKind::Menu => SiteAccess { feed, ..SiteAccess::default() },
            };
            store.set_site_access(id, &access)?;
            store.record_fetched(id, info.title.as_deref(), Some(info.url.as_str()), &Default::default(), now)?;
            Ok(home)
        })
        .await;
    match saved {
        Ok(home) => match list_section(http, store, clock, home, 1).await {
            Ok((new, items)) => Outcome::Updated { new, items, pages: Prefetched::default() },
            Err(e) => failed(e),
        },
        Err(e) => record_failure(&store, id, e, now).await,
    }
}

/// Lists a page of a section into the cache: (how many articles were new, how many the
/// page listed).
async fn list_section(
    http: Http,
    store: Writer,
    clock: Clock,
    id: SectionId,
    page: u32,
) -> Result<(usize, usize), JobError> {
    let now = clock.now().timestamp();
    let gone = || JobError::failed("this section is no longer on the site");
    let (source, access, section, categories, children) = store
        .call(move |store| {
            let Some(source) = store.section_source(id)? else { return Err(gone()) };
            let all = store.sections(source)?;
            let section = all.iter().find(|s| s.id == id).cloned().ok_or_else(gone)?;
            let mut categories = Vec::new();
            let mut below = vec![section.id];
            while let Some(next) = below.pop() {
                let row = all.iter().find(|s| s.id == next);
                categories.extend(row.and_then(|s| s.remote_id));
                below.extend(all.iter().filter(|s| s.parent == Some(next)).map(|s| s.id));
            }
            let children: Vec<SectionId> = all.iter().filter(|s| s.parent == Some(section.id)).map(|s| s.id).collect();
            Ok((source, store.site_access(source)?, section, categories, children))
        })
        .await?;
    // A heading of the menu has no page of its own: it shows what its sections list.
    if section.url.is_none() && (access.api.is_none() || categories.is_empty()) {
        return list_heading(http, store, clock, id, page, children).await;
    }
    let url = section.url.clone().unwrap_or_default();
    let how = Listing {
        api: access.api.as_deref(),
        wordpress: access.wordpress,
        url: &url,
        home: section.home,
        categories: &categories,
        now: clock.now(),
    };
    match site::list(&http, &how, page).await {
        Ok(mut listed) => {
            store.ignore().filter(source, &mut listed.articles);
            let items = listed.articles.len();
            store
                .call(move |store| store.save_section_page(id, &listed.articles, page, listed.last, now))
                .await
                .map(|new| (new, items))
        }
        Err(e) => {
            let failure = JobError::from(e);
            let saved = failure.to_string();
            let _ = store.call(move |store| store.record_section_failed(id, &saved, now)).await;
            Err(failure)
        }
    }
}

/// Lists a heading through its sections, one after another: each keeps its articles,
/// and the heading shows them all. A heading has one page.
async fn list_heading(
    http: Http,
    store: Writer,
    clock: Clock,
    id: SectionId,
    page: u32,
    children: Vec<SectionId>,
) -> Result<(usize, usize), JobError> {
    if page > 1 {
        return Ok((0, 0));
    }
    if children.is_empty() {
        return Err(JobError::failed("a heading of the site's menu without sections of its own"));
    }
    let (mut new, mut items, mut failed) = (0, 0, None);
    for child in children.into_iter().take(MAX_HEADING_SECTIONS) {
        match Box::pin(list_section(http.clone(), store.clone(), clock, child, 1)).await {
            Ok((n, listed)) => {
                new += n;
                items += listed;
                let now = clock.now().timestamp();
                store.call(move |store| store.add_to_heading(id, child, now)).await?;
            }
            Err(reason) => failed = failed.or(Some(reason)),
        }
    }
    match failed {
        Some(reason) if items == 0 => Err(reason),
        _ => Ok((new, items)),
    }
}

/// Fetches an article's page, reads it in reader mode and keeps the article found there.
/// The page's text is kept unless it is poorer than what the article holds: shorter by a
/// fifth and in no more paragraphs (reader mode found little, or mostly metadata).
async fn fetch_page(http: Http, store: Writer, clock: Clock, id: ArticleId) -> Result<PageKept, JobError> {
    let article = store.call(move |store| store.article(id)).await?;
    let article = article.ok_or_else(|| JobError::failed("this article is no longer cached"))?;
    let url = article.url.clone().ok_or_else(|| JobError::failed("this article has no link"))?;
    let page = page::download(&http, &url).await?;
    let now = clock.now();
    let held = article.content.clone().map(|c| (c, false)).or(article.summary.clone().map(|s| (s, true)));
    let (found, poorer) = blocking(move || {
        let found = page::read(&page, now)?;
        let poorer = held.and_then(|(text, summary)| poorer(&found.html, &text).then_some(summary));
        Ok((found, poorer))
    })
    .await?;
    if let Some(summary) = poorer {
        tracing::info!(%url, "the page gave less than the article held: kept");
        return Ok(PageKept::Held { summary });
    }
    store
        .call(move |store| {
            let text = PageText {
                html: &found.html,
                byline: found.byline.as_deref(),
                published: found.published.map(|d| d.timestamp()),
            };
            store.save_page(id, &text, now.timestamp())
        })
        .await
        .map(|()| PageKept::Page)
}

/// Whether the `page`'s text is poorer than the one `held`: a fifth shorter, in no more
/// paragraphs.
fn poorer(page: &str, held: &str) -> bool {
    let measure = |html: &str| {
        let text = crate::render::text(html);
        (text.split_whitespace().count(), text.split("\n\n").filter(|p| !p.trim().is_empty()).count())
    };
    let ((page_words, page_paragraphs), (held_words, held_paragraphs)) = (measure(page), measure(held));
    page_words * 5 < held_words * 4 && page_paragraphs <= held_paragraphs
}

/// A fetch that brought the feed as it was last saved.
async fn unchanged(store: &Writer, id: SourceId, at: i64) -> Result<Outcome, JobError> {
    store.call(move |store| store.record_unchanged(id, at)).await.map(|()| Outcome::Unchanged)
}

async fn record_failure(store: &Writer, id: SourceId, failure: JobError, at: i64) -> Outcome {
    record_failure_until(store, id, failure, at, None).await
}

/// A failure, and when the server asked to be asked again (`Retry-After`).
async fn record_failure_until(
    store: &Writer,
    id: SourceId,
    failure: JobError,
    at: i64,
    retry_at: Option<i64>,
) -> Outcome {
    let saved = failure.to_string();
    let _ = store
        .call(move |store| store.record_failed(id, &saved, at, retry_at))
        .await
        .inspect_err(|e| tracing::error!("cannot record a failure: {e}"));
    failed(failure)
}

fn failed(failure: JobError) -> Outcome {
    let network = failure.is_network();
    Outcome::Failed { reason: failure.to_string(), network }
}

/// Runs parsing work off the async threads; a panic there becomes an error.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T, JobError> + Send + 'static) -> Result<T, JobError> {
    tokio::task::spawn_blocking(f).await.unwrap_or_else(|e| Err(JobError::failed(format!("internal error: {e}"))))
}
