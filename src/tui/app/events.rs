//! What reaches the app from the engine and from other processes: events change state
//! and mark what is stale (`Dirty`); `settle` reads each stale part again once per batch
//! of events, before the next frame.

use super::App;
use crate::engine::{Event, JobError, Outcome, PageKept};
use crate::model::{ArticleId, Scope, SourceKind};
use crate::store;
use crate::tui::model::Model;
use crate::wording::{count, number};

impl App {
    /// Every two seconds: a refresh may be due (`Schedule`), and what another process
    /// wrote is shown. Whether there is something to settle and draw.
    pub(super) fn on_tick(&mut self) -> bool {
        let started = self.refresh_when_due().unwrap_or_else(|e| {
            self.report(Err(e));
            true
        });
        self.watch_cache() || started
    }

    /// Shows what another process wrote to the cache since it was last read: counts,
    /// the list, and the reader's article.
    fn watch_cache(&mut self) -> bool {
        let version = match self.store.data_version() {
            Ok(version) if version == self.cache_version => return false,
            Ok(version) => version,
            Err(e) => {
                self.report(Err(e));
                return true;
            }
        };
        self.cache_version = version;
        self.reader.forget();
        self.dirty.list = true;
        self.dirty.reader = true;
        let before = self.tree.articles();
        // Read now, not in `settle`: what it adds is told below.
        let reloaded = self.reload_sources();
        self.report(reloaded);
        // This reader's own engine writes too; what it brings, it reports itself.
        let own_work = self.status.is_refreshing() || self.jobs.busy();
        let added = self.tree.articles().saturating_sub(before);
        if added > 0 && !own_work {
            self.status.news(format!("{} from a refresh elsewhere", count(added as usize, "new article")));
        }
        true
    }

    /// A page fetched for its article: the reader shows its text, or says why not.
    pub(super) fn on_page(&mut self, id: ArticleId, result: Result<PageKept, JobError>) -> store::Result<()> {
        self.jobs.page_done(id);
        let shown = self.reader.article().is_some_and(|a| a.id == id);
        match result {
            Ok(PageKept::Held { summary }) if shown => self.status.news(if summary {
                "kept the feed's summary: the page gave less"
            } else {
                "kept the feed's full text: the page gave less"
            }),
            Ok(PageKept::Held { .. }) => {}
            Ok(PageKept::Page) => {
                self.reader.forget();
                if shown {
                    self.reshow(Some(id))?;
                    self.status.news("showing the full text from the article's page");
                }
            }
            Err(reason) if shown => self.status.error(format!("no full text: {reason}")),
            Err(_) => {}
        }
        Ok(())
    }

    pub(super) fn on_engine(&mut self, event: Event) {
        match event {
            Event::Progress { done, total, failed } => {
                self.status.set_progress((done < total).then_some((done, total, failed)))
            }
            Event::SourceDone { id, outcome } => {
                if let Outcome::Updated { new, .. } = outcome {
                    // Known articles may have new text: layouts made from the old one go.
                    self.reader.forget();
                    // A feed server's round also brings marks made elsewhere.
                    let marks = self.entries.iter().any(|e| e.id == id && e.kind == SourceKind::Server);
                    let bookmarks = marks && *self.list.scope() == Scope::Bookmarks;
                    if (new > 0 || marks) && self.covers(self.list.scope(), id) || bookmarks {
                        self.dirty.list = true;
                    }
                }
                self.dirty.tree = true;
            }
            Event::SectionDone { id, result } => {
                let shown = *self.list.scope() == Scope::Section(id);
                self.jobs.section_done(id, &result, shown);
                match result {
                    Ok(new) => {
                        self.reader.forget();
                        self.dirty.list |= shown;
                        if shown {
                            self.status.news(match new {
                                0 => "no new articles".to_owned(),
                                n => count(n, "new article"),
                            });
                        }
                    }
                    // Passed on the way to another section: listed again when back.
                    Err(JobError::Superseded) => {}
                    Err(failure) => {
                        if shown {
                            self.status.error(failure.to_string());
                        }
                    }
                }
                self.dirty.tree = true;
            }
            Event::Marked { mark, result } => self.on_marked(mark, result),
            Event::Synced { summary, .. } => self.status.news(format!("synced: {summary}")),
            Event::Syncing { articles, .. } => {
                self.status.news(format!("syncing: {} articles from the server…", number(articles)));
            }
            Event::PageDone { id, result } => {
                let shown = self.on_page(id, result);
                self.report(shown);
            }
            Event::Finished(summary) => {
                self.schedule.finished(self.clock.now().timestamp());
                self.status.set_progress(None);
                self.status.set_offline(summary.offline());
                let new = count(summary.new, "new article");
                if summary.offline() && self.tree.articles() == 0 {
                    self.status.error("No network? Try `kiosque --demo`, or add a site with `kiosque add URL`");
                } else if summary.offline() {
                    self.status.error("offline: showing the cached articles");
                } else if summary.failed > 0 {
                    self.status.error(format!(
                        "refreshed: {new}; {} of {} failed",
                        summary.failed,
                        count(summary.sources, "source")
                    ));
                } else {
                    self.status.news(format!("refreshed: {new}"));
                }
            }
        }
    }

    /// Refreshes by itself when the schedule says so: the sources that are due, those
    /// that failed lately or were asked to wait left out.
    /// Whether one started.
    fn refresh_when_due(&mut self) -> store::Result<bool> {
        let now = self.clock.now().timestamp();
        let (Some(every), false) = (self.schedule.every(), self.status.is_refreshing()) else { return Ok(false) };
        if self.store.read_only().is_some() || !self.schedule.due(now) {
            return Ok(false);
        }
        let ids: Vec<_> = self.entries.iter().map(|e| e.id).collect();
        let due = self.store.due(&ids, now, every)?;
        if due.is_empty() {
            self.schedule.finished(now);
            return Ok(false);
        }
        self.refresh(Scope::Sources(due));
        Ok(true)
    }

    /// Applies what events asked for, once per batch of events, before the next frame:
    /// the tree, the list and the reader are each read again at most once.
    pub fn settle(&mut self) {
        let dirty = std::mem::take(&mut self.dirty);
        if dirty.tree {
            let reloaded = self.reload_sources();
            self.report(reloaded);
        }
        let mut shown = false;
        if dirty.list {
            let total = self.scope_total(self.list.scope());
            let had_article = self.list.selected().map(|r| r.key.id);
            let mut result = self.list.reload(&self.store, total);
            if result.is_ok() && self.list.selected().map(|r| r.key.id) != had_article {
                result = self.show_article();
                shown = true;
            }
            self.report(result);
        }
        if dirty.reader && !shown {
            let reshown = self.reshow(None);
            self.report(reshown);
        }
    }

    /// Reads sources' counts, titles and errors again, and relabels the tree.
    pub(super) fn reload_sources(&mut self) -> store::Result<()> {
        #[cfg(test)]
        {
            self.tree_reloads += 1;
        }
        let Model { nodes, states, sections, special, labels } = Model::read(&self.store, &self.entries, self.lang)?;
        self.labels = labels;
        self.tree.set_model(nodes, states, sections, special);
        Ok(())
    }
}
