//! The reader's handle on the engine, and what it has in flight: it asks for a page or a
//! section once, knows what is on its way (for "fetching the page…" and "Refreshing…"),
//! and forgets it when the engine's event for it arrives. A section passed on the way to
//! another (its glance superseded) is glanced at again when it is back in view.

use std::collections::HashSet;

use crate::engine::{Engine, JobError, Mark};
use crate::model::{ArticleId, SectionId, SourceId};

pub struct Jobs {
    engine: Engine,
    /// Pages fetched (or being fetched) this session, so that opening an article whose
    /// feed gave only a summary fetches its page once, not at every visit.
    pages_asked: HashSet<ArticleId>,
    fetching: HashSet<ArticleId>,
    /// Sections listed (or being listed) this session: a section is listed from the site
    /// the first time it is shown, and its cached list is shown meanwhile.
    sections_asked: HashSet<SectionId>,
    listing: HashSet<SectionId>,
}

impl Jobs {
    pub fn new(engine: Engine) -> Jobs {
        Jobs {
            engine,
            pages_asked: HashSet::new(),
            fetching: HashSet::new(),
            sections_asked: HashSet::new(),
            listing: HashSet::new(),
        }
    }

    /// Stops the engine and waits, up to `patience`, for it to close the cache.
    pub fn stop(&mut self, patience: std::time::Duration) {
        std::mem::replace(&mut self.engine, Engine::detached().0).stop(patience);
    }

    pub fn refresh(&self, ids: Vec<SourceId>) {
        self.engine.refresh(ids);
    }

    pub fn mark(&self, mark: Mark) {
        self.engine.mark(mark);
    }

    /// The page of article `id`: always when `asked` by the user, else only if it was
    /// not asked for this session. Whether it was sent for.
    pub fn fetch_page(&mut self, id: ArticleId, asked: bool) -> bool {
        let wanted = asked || !self.pages_asked.contains(&id);
        let sent = wanted && self.fetching.insert(id);
        if sent {
            self.pages_asked.insert(id);
            self.engine.fetch_page(id);
        }
        sent
    }

    pub fn page_done(&mut self, id: ArticleId) {
        self.fetching.remove(&id);
    }

    pub fn is_fetching(&self, id: ArticleId) -> bool {
        self.fetching.contains(&id)
    }

    /// A section just shown is listed from its site, the first time this session.
    pub fn glance(&mut self, id: SectionId) {
        if self.sections_asked.insert(id) && self.listing.insert(id) {
            self.engine.glance_section(id);
        }
    }

    /// Page `page` of a section, unless it is being listed already. Whether it was sent for.
    pub fn list(&mut self, id: SectionId, page: u32) -> bool {
        let sent = self.listing.insert(id);
        if sent {
            self.engine.list_section(id, page);
        }
        sent
    }

    /// A listing ended: `shown` when its section is on screen, which a superseded glance
    /// then asks for again. A failed one may be asked for again the next time.
    pub fn section_done(&mut self, id: SectionId, result: &Result<usize, JobError>, shown: bool) {
        self.listing.remove(&id);
        match result {
            Ok(_) => {}
            Err(JobError::Superseded) => {
                self.sections_asked.remove(&id);
                if shown {
                    self.glance(id);
                }
            }
            Err(_) => _ = self.sections_asked.remove(&id),
        }
    }

    pub fn is_listing(&self, id: SectionId) -> bool {
        self.listing.contains(&id)
    }

    /// Pages or sections on their way: what the cache gains meanwhile is this reader's.
    pub fn busy(&self) -> bool {
        !self.listing.is_empty() || !self.fetching.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Request;

    #[test]
    fn a_page_is_asked_once_a_session_unless_the_user_asks() {
        let (engine, mut requests) = Engine::detached();
        let mut jobs = Jobs::new(engine);
        let id = ArticleId(3);
        assert!(jobs.fetch_page(id, false));
        assert!(!jobs.fetch_page(id, true), "on its way already");
        assert!(jobs.is_fetching(id) && jobs.busy());
        jobs.page_done(id);
        assert!(!jobs.fetch_page(id, false), "fetched this session");
        assert!(jobs.fetch_page(id, true), "asked for");
        let sent: Vec<_> = std::iter::from_fn(|| requests.try_recv().ok()).collect();
        assert_eq!(sent, [Request::FetchPage(id), Request::FetchPage(id)]);
    }

    #[test]
    fn a_superseded_glance_is_asked_again_only_when_its_section_is_shown() {
        let (engine, mut requests) = Engine::detached();
        let mut jobs = Jobs::new(engine);
        let (a, b) = (SectionId(1), SectionId(2));
        jobs.glance(a);
        jobs.glance(b);
        jobs.glance(a);
        jobs.section_done(a, &Err(JobError::Superseded), false);
        jobs.section_done(b, &Ok(4), true);
        assert!(!jobs.busy());
        jobs.glance(b);
        jobs.glance(a);
        jobs.section_done(a, &Err(JobError::Superseded), true);
        assert!(jobs.is_listing(a), "on screen: glanced at again");
        let sent: Vec<_> = std::iter::from_fn(|| requests.try_recv().ok()).collect();
        let glance = Request::GlanceSection;
        assert_eq!(sent, [glance(a), glance(b), glance(a), glance(a)], "b once: it was listed");
    }
}
