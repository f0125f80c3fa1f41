//! A site's sections in the cache: the tree as the site last gave it, and which articles
//! each section lists. A section keeps its id while its link stays the same, so what it
//! listed survives a refresh of the tree.

use std::collections::HashSet;

use rusqlite::{OptionalExtension, params};

use super::{Result, Store};
use crate::model::{NewArticle, Section, SectionId, SourceId};

/// A section as the cache holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionRow {
    pub id: SectionId,
    pub parent: Option<SectionId>,
    /// The site's newest articles, whatever their section.
    pub home: bool,
    pub label: String,
    pub url: Option<String>,
    pub remote_id: Option<i64>,
    /// Pages of articles loaded so far.
    pub pages: u32,
    /// The site has no page after the last one loaded.
    pub exhausted: bool,
    pub error: Option<String>,
    pub total: u32,
    pub unread: u32,
}

/// How a site is read, as found by the last look at it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteAccess {
    /// The WordPress API root, while it answers.
    pub api: Option<String>,
    pub wordpress: bool,
    /// The site-wide feed, when the site has one.
    pub feed: Option<String>,
}

impl Store {
    /// Replaces a site's tree with `sections`, after a home section at the top. Sections
    /// whose link is unchanged keep their id and their articles; the others go. Returns
    /// the home section's id.
    pub fn save_sections(&mut self, source: SourceId, home_url: &str, sections: &[Section]) -> Result<SectionId> {
        let tx = super::write(&self.conn)?;
        let mut kept = HashSet::new();
        let home_id;
        {
            let mut find = tx.prepare_cached(
                "SELECT id FROM sections WHERE source_id = ?1 AND home = ?2 AND
                 (url IS ?3 AND (?3 IS NOT NULL OR (label = ?4 AND parent_id IS ?5)))",
            )?;
            let mut update = tx.prepare_cached(
                "UPDATE sections SET parent_id = ?2, position = ?3, label = ?4, url = ?5, remote_id = ?6 WHERE id = ?1",
            )?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO sections (source_id, parent_id, position, home, label, url, remote_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            let mut position = 0;
            let mut save = |parent: Option<SectionId>, home: bool, section: &Section| -> Result<SectionId> {
                position += 1;
                let found: Option<SectionId> = find
                    .query_row(params![source, home, section.url, section.label, parent], |r| r.get(0))
                    .optional()?;
                let id = match found {
                    Some(id) if !kept.contains(&id) => {
                        update.execute(params![id, parent, position, section.label, section.url, section.remote_id])?;
                        id
                    }
                    _ => {
                        insert.execute(params![
                            source,
                            parent,
                            position,
                            home,
                            section.label,
                            section.url,
                            section.remote_id
                        ])?;
                        SectionId(tx.last_insert_rowid())
                    }
                };
                kept.insert(id);
                Ok(id)
            };
            let home =
                Section { label: String::new(), url: Some(home_url.to_owned()), remote_id: None, children: vec![] };
            home_id = save(None, true, &home)?;
            let mut stack: Vec<(Option<SectionId>, &Section)> = sections.iter().rev().map(|s| (None, s)).collect();
            while let Some((parent, section)) = stack.pop() {
                let id = save(parent, false, section)?;
                stack.extend(section.children.iter().rev().map(|c| (Some(id), c)));
            }
        }
        let stale: Vec<SectionId> = {
            let mut all = tx.prepare_cached("SELECT id FROM sections WHERE source_id = ?1")?;
            let ids = all.query_map([source], |r| r.get(0))?.collect::<rusqlite::Result<Vec<SectionId>>>()?;
            ids.into_iter().filter(|id| !kept.contains(id)).collect()
        };
        for id in stale {
            tx.execute("DELETE FROM sections WHERE id = ?1", [id])?;
        }
        tx.commit()?;
        Ok(home_id)
    }

    /// A site's sections in tree order (parents before children, siblings in menu order),
    /// with their counts.
    pub fn sections(&self, source: SourceId) -> Result<Vec<SectionRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, parent_id, home, label, url, remote_id, pages, exhausted, error, total, unread
             FROM sections WHERE source_id = ?1 ORDER BY position",
        )?;
        let rows = stmt.query_map([source], |r| {
            Ok(SectionRow {
                id: r.get(0)?,
                parent: r.get(1)?,
                home: r.get(2)?,
                label: r.get(3)?,
                url: r.get(4)?,
                remote_id: r.get(5)?,
                pages: r.get(6)?,
                exhausted: r.get(7)?,
                error: r.get(8)?,
                total: r.get(9)?,
                unread: r.get(10)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The site a section belongs to, while it is on the site.
    pub fn section_source(&self, id: SectionId) -> Result<Option<SourceId>> {
        Ok(self.conn.query_row("SELECT source_id FROM sections WHERE id = ?1", [id], |r| r.get(0)).optional()?)
    }

    /// Saves a page of a section's articles into its site; returns how many were new to
    /// the site. `page` is the page's number, from 1; `last` says the site has no more.
    pub fn save_section_page(
        &mut self,
        section: SectionId,
        articles: &[NewArticle],
        page: u32,
        last: bool,
        now: i64,
    ) -> Result<usize> {
        let source = self.section_source(section)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        // The articles and their place in the section are kept together, or not at all.
        let tx = super::write(&self.conn)?;
        let (new, ids) = super::articles::upsert_all(&tx, source, articles, now)?;
        {
            let mut member = tx.prepare_cached(
                "INSERT OR IGNORE INTO section_articles (section_id, article_id, sort_time)
                 SELECT ?1, id, sort_time FROM articles WHERE id = ?2",
            )?;
            for id in ids {
                member.execute(params![section, id])?;
            }
            tx.execute(
                "UPDATE sections SET pages = max(pages, ?2), exhausted = ?3, listed_at = ?4, error = NULL WHERE id = ?1",
                params![section, page, last, now],
            )?;
        }
        tx.commit()?;
        Ok(new)
    }

    /// Files what `from` lists under `heading` too: a menu heading shows its sections'
    /// articles. The heading has one page, now listed.
    pub fn add_to_heading(&mut self, heading: SectionId, from: SectionId, now: i64) -> Result<()> {
        let tx = super::write(&self.conn)?;
        tx.execute(
            "INSERT OR IGNORE INTO section_articles (section_id, article_id, sort_time)
             SELECT ?1, article_id, sort_time FROM section_articles WHERE section_id = ?2",
            params![heading, from],
        )?;
        tx.execute(
            "UPDATE sections SET pages = 1, exhausted = 1, listed_at = ?2, error = NULL WHERE id = ?1",
            params![heading, now],
        )?;
        tx.commit()?;
        Ok(())
    }

    /// A section that could not be listed; what it listed before stays.
    pub fn record_section_failed(&self, section: SectionId, reason: &str, now: i64) -> Result<()> {
        self.conn
            .execute("UPDATE sections SET error = ?2, listed_at = ?3 WHERE id = ?1", params![section, reason, now])?;
        Ok(())
    }

    /// How the site was last found readable.
    pub fn site_access(&self, source: SourceId) -> Result<SiteAccess> {
        Ok(self
            .conn
            .query_row("SELECT api_url, wordpress, feed_url FROM sources WHERE id = ?1", [source], |r| {
                Ok(SiteAccess { api: r.get(0)?, wordpress: r.get(1)?, feed: r.get(2)? })
            })
            .optional()?
            .unwrap_or_default())
    }

    pub fn set_site_access(&self, source: SourceId, access: &SiteAccess) -> Result<()> {
        self.conn.execute(
            "UPDATE sources SET api_url = ?2, wordpress = ?3, feed_url = ?4 WHERE id = ?1",
            params![source, access.api, access.wordpress, access.feed],
        )?;
        Ok(())
    }
}
