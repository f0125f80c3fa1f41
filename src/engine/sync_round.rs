//! A sync round with the feed server (`sync`), run when its source is refreshed: the
//! outbox first, so that the server has every mark made here before its own are read;
//! then its feeds, the articles newer than the last round's, page by page (each page
//! saved before the next is asked for, so a first sync of 50,000 articles holds one page),
//! and last the marks made elsewhere. A round that fails keeps what it saved; the outbox
//! keeps what was not sent, and the cursor moves only once every new article is saved.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::Mutex;

use super::writer::Writer;
use super::{Event, JobError, Outcome, Prefetched};
use crate::http::Http;
use crate::model::SourceId;
use crate::store::{MarksApplied, Outgoing};
use crate::sync::{self, Field, MARK_CHUNK, Server};
use crate::timefmt::Clock;

/// The server, and the session with it, kept between rounds.
pub struct Link {
    settings: sync::Settings,
    http: Http,
    client: Mutex<Option<sync::Client>>,
    /// Told of each page of articles read.
    sink: Arc<dyn Fn(Event) + Send + Sync>,
}

/// What a round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub sent: usize,
    pub feeds: usize,
    /// New articles, by feed.
    pub new: HashMap<SourceId, usize>,
    pub seen: usize,
    pub marks: MarksApplied,
}

impl Report {
    /// What the round did with marks, in words: "3 marks sent; 2 read elsewhere".
    fn summary(&self) -> String {
        let m = &self.marks;
        let parts = [
            (self.sent, "mark sent", "marks sent"),
            (m.read, "read elsewhere", "read elsewhere"),
            (m.unread, "unread again elsewhere", "unread again elsewhere"),
            (m.bookmarked, "starred elsewhere, now a bookmark", "starred elsewhere, now bookmarks"),
            (m.not_starred, "bookmark not starred there: kept", "bookmarks not starred there: kept"),
        ];
        let said: Vec<String> = parts
            .iter()
            .filter(|(n, ..)| *n > 0)
            .map(|(n, one, many)| format!("{} {}", crate::wording::number(*n), if *n == 1 { one } else { many }))
            .collect();
        if said.is_empty() { "no marks to exchange".to_owned() } else { said.join("; ") }
    }
}

impl Link {
    pub fn new(settings: sync::Settings, http: Http, sink: Arc<dyn Fn(Event) + Send + Sync>) -> Link {
        Link { settings, http, client: Mutex::new(None), sink }
    }

    /// Runs a round for the server's source `server`, and records how it went there.
    pub async fn round(&self, store: &Writer, clock: Clock, server: SourceId) -> Outcome {
        let started = std::time::Instant::now();
        let result = self.run(store, clock, server).await;
        let at = clock.now().timestamp();
        match result {
            Ok(report) => {
                let new = report.new.values().sum();
                tracing::info!(took = ?started.elapsed(), ?report, "synced with {}", self.settings.label());
                let label = self.settings.label();
                let recorded = store
                    .call(move |store| store.record_fetched(server, Some(&label), None, &Default::default(), at))
                    .await;
                if let Err(e) = recorded {
                    return super::failed(e);
                }
                (self.sink)(Event::Synced { id: server, summary: report.summary() });
                Outcome::Updated { new, items: report.seen, pages: Prefetched::default() }
            }
            Err(e) => {
                tracing::info!("sync with {}: {e}", self.settings.label());
                super::record_failure(store, server, e, at).await
            }
        }
    }

    /// The session's client, made on first use.
    fn client<'s>(&self, session: &'s mut Option<sync::Client>) -> Result<&'s mut sync::Client, JobError> {
        Ok(match session {
            Some(client) => client,
            None => session.insert(sync::connect(&self.settings, self.http.clone())?),
        })
    }

    async fn run(&self, store: &Writer, clock: Clock, server: SourceId) -> Result<Report, JobError> {
        let mut session = self.client.lock().await;
        let client = self.client(&mut session)?;
        let mut report = Report { sent: send_outbox(client, store, server).await?, ..Report::default() };
        let categories = client.categories().await?;
        let feeds = client.feeds(&categories).await?;
        report.feeds = feeds.len();
        let feeds = store.call(move |store| store.save_remote_feeds(server, &feeds)).await?;
        let feeds = Arc::new(feeds);
        let since = store.call(move |store| store.remote_cursor(server)).await?;
        let (mut cursor, mut next) = (since, Some(sync::Page::Skip(0)));
        while let Some(asked) = next.take() {
            let (page, after) = client.articles_since(since, &asked).await?;
            next = after.filter(|after| *after != asked);
            report.seen += page.len();
            cursor = page.iter().map(|a| a.cursor).fold(cursor, i64::max);
            let (feeds, now) = (Arc::clone(&feeds), clock.now().timestamp());
            let new = store.call(move |store| store.save_remote_articles(&feeds, &page, now)).await?;
            for (source, n) in new {
                *report.new.entry(source).or_default() += n;
            }
            (self.sink)(Event::Syncing { id: server, articles: report.seen });
        }
        if cursor > since {
            store.call(move |store| store.set_remote_cursor(server, cursor)).await?;
        }
        // Articles that came in this round came with their marks: a first round has no
        // others to ask about.
        if since > 0 {
            let unread = self.unread_ids(client, store, clock, server).await?;
            let starred = client.ids(Field::Starred).await?;
            let now = clock.now().timestamp();
            report.marks =
                store.call(move |store| store.apply_remote_marks(server, unread.as_ref(), &starred, now)).await?;
        } else {
            let now = clock.now().timestamp();
            store.call(move |store| store.set_remote_marks_at(server, now)).await?;
        }
        Ok(report)
    }

    /// The ids of the articles unread on the server: `None` when its count of them is the
    /// count here and the whole list was read within `MARKS_LIST_EVERY`, which spares
    /// 250 requests with 50,000 unread. A read there and an unread there between two
    /// lists leave the counts equal: the next whole list sets them right.
    async fn unread_ids(
        &self,
        client: &mut impl Server,
        store: &Writer,
        clock: Clock,
        server: SourceId,
    ) -> Result<Option<std::collections::HashSet<i64>>, JobError> {
        let now = clock.now().timestamp();
        let (here, listed_at) = store.call(move |store| store.remote_unread(server)).await?;
        let recent = listed_at.is_some_and(|at| (at..at + MARKS_LIST_EVERY).contains(&now));
        if recent && client.unread_count().await? == here {
            return Ok(None);
        }
        let unread = client.ids(Field::Read).await?;
        store.call(move |store| store.set_remote_marks_at(server, now)).await?;
        Ok(Some(unread))
    }

    /// Sends the marks waiting for the server, if any, now: after a mark, not at the next
    /// round. A failure leaves them waiting.
    pub async fn push(&self, store: &Writer, server: SourceId) -> Result<usize, JobError> {
        let mut session = self.client.lock().await;
        send_outbox(self.client(&mut session)?, store, server).await
    }
}

/// Seconds between two readings of the server's whole list of unread articles, at most.
const MARKS_LIST_EVERY: i64 = 6 * 3600;
/// Marks read from the outbox at a time.
const OUTBOX_BATCH: usize = 2_000;

/// Sends the outbox, oldest marks first, and takes out what the server took. Returns how
/// many marks were sent.
async fn send_outbox(client: &mut impl Server, store: &Writer, server: SourceId) -> Result<usize, JobError> {
    let mut sent = 0;
    loop {
        let waiting = store.call(move |store| store.outbox(server, OUTBOX_BATCH)).await?;
        let Some(last) = waiting.last().map(|o| o.row) else { return Ok(sent) };
        for ((field, on), ids) in last_marks(&waiting) {
            for chunk in ids.chunks(MARK_CHUNK) {
                client.mark(chunk, field, on).await?;
            }
        }
        store.call(move |store| store.outbox_sent(server, last)).await?;
        sent += waiting.len();
    }
}

/// The last mark of each article and field, grouped by what it sets, in the order the
/// groups were first met.
fn last_marks(waiting: &[Outgoing]) -> Vec<((Field, bool), Vec<i64>)> {
    let mut last: HashMap<(i64, Field), bool> = HashMap::new();
    for o in waiting {
        last.insert((o.remote_id, o.field), o.on);
    }
    let mut groups: Vec<((Field, bool), Vec<i64>)> = Vec::new();
    for o in waiting {
        let Some(on) = last.remove(&(o.remote_id, o.field)) else { continue };
        match groups.iter_mut().find(|(key, _)| *key == (o.field, on)) {
            Some((_, ids)) => ids.push(o.remote_id),
            None => groups.push(((o.field, on), vec![o.remote_id])),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_last_mark_of_an_article_is_sent() {
        let o = |row, remote_id, field, on| Outgoing { row, remote_id, field, on };
        let waiting = [
            o(1, 10, Field::Read, true),
            o(2, 11, Field::Read, true),
            o(3, 10, Field::Read, false),
            o(4, 10, Field::Starred, true),
        ];
        let groups = last_marks(&waiting);
        assert_eq!(
            groups,
            vec![((Field::Read, false), vec![10]), ((Field::Read, true), vec![11]), ((Field::Starred, true), vec![10])]
        );
    }
}
