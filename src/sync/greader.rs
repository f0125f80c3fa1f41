//! The Google Reader API, as FreshRSS (`BASE` = `…/api/greader.php`), Miniflux (`BASE` =
//! its address), Inoreader, The Old Reader and BazQux serve it: `ClientLogin` gives a
//! token sent as `Authorization: GoogleLogin auth=…`; lists are JSON (`output=json`)
//! paged by a `continuation`; edits are form POSTs carrying a second, short-lived token
//! (`T`, from `/token`). Written from FreshRSS's and Miniflux's published API
//! documentation; tested against a loopback server written from the same documents.
//!
//! Items have two spellings of one 64-bit id: `tag:google.com,2005:reader/item/<16 hex>`
//! in streams, decimal in `items/ids`; both are read to the same `i64`. Feeds and folders
//! have string ids ("feed/12", "user/-/label/Tech"), which are hashed to `i64` for the
//! cache and remembered for the calls that need them back.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::password::Password;
use super::{
    Counts, Field, Hello, Page, RemoteArticle, RemoteCategory, RemoteFeed, Result, Server, Settings, Subscribed,
    SyncError,
};
use crate::http::{Http, HttpError, HttpErrorKind};
use crate::model::NewArticle;

const READING_LIST: &str = "user/-/state/com.google/reading-list";
const READ: &str = "user/-/state/com.google/read";
const STARRED: &str = "user/-/state/com.google/starred";
const LABEL: &str = "user/-/label/";
/// Items whose contents are asked for in one request.
const CONTENTS_PAGE: usize = 250;
/// Ids asked for in one page of `items/ids`.
const IDS_PAGE: usize = 10_000;
/// Past this many ids, a list is not read further.
const MAX_IDS: usize = 2_000_000;

pub struct Client {
    base: String,
    label: String,
    user: String,
    password: Password,
    http: Http,
    auth: Option<String>,
    /// The edit token (`T`), asked for once and again when refused.
    token: Option<String>,
    /// The server's id of each feed and folder, by the number the cache knows it by.
    names: HashMap<i64, String>,
    /// New items whose contents are still to be fetched, in this round.
    pending: Vec<i64>,
}

impl Client {
    pub fn new(settings: &Settings, password: Password, http: Http) -> Client {
        let base = settings.url.as_str().trim_end_matches('/').to_owned();
        Client {
            base,
            label: settings.label(),
            user: settings.user.clone(),
            password,
            http,
            auth: None,
            token: None,
            names: HashMap::new(),
            pending: Vec::new(),
        }
    }

    async fn login(&mut self) -> Result<()> {
        let form = form(&[("Email", self.user.as_str()), ("Passwd", self.password.expose())]);
        let url = format!("{}/accounts/ClientLogin", self.base);
        let answer = match self.http.call(&url, Some(("application/x-www-form-urlencoded", form)), &[]).await {
            Err(HttpError { kind: HttpErrorKind::Status { code: 401 | 403, .. }, .. }) => {
                return Err(SyncError::Credentials { server: self.label.clone(), user: self.user.clone() });
            }
            other => other?,
        };
        let text = String::from_utf8_lossy(&answer.bytes);
        let auth = text.lines().find_map(|l| l.trim().strip_prefix("Auth=")).filter(|a| !a.is_empty());
        let auth = auth.ok_or_else(|| self.not_the_server("ClientLogin gave no Auth token"))?;
        self.auth = Some(auth.to_owned());
        Ok(())
    }

    /// GETs (or POSTs `form`) `path` under `/reader/api/0/`, logging in first when there
    /// is no session, and once more when the server refuses the one there is.
    async fn call(&mut self, path: &str, form: Option<Vec<(&str, String)>>) -> Result<Vec<u8>> {
        for _ in 0..2 {
            if self.auth.is_none() {
                self.login().await?;
            }
            let header = format!("GoogleLogin auth={}", self.auth.as_deref().unwrap_or_default());
            let url = format!("{}/reader/api/0/{path}", self.base);
            let mut body = None;
            if let Some(fields) = &form {
                let token = self.token().await?;
                let mut fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                fields.push(("T", &token));
                body = Some(("application/x-www-form-urlencoded", self::form(&fields)));
            }
            match self.http.call(&url, body, &[("Authorization", &header)]).await {
                Ok(answer) => return Ok(answer.bytes),
                Err(HttpError { kind: HttpErrorKind::Status { code: 401, .. }, .. }) => {
                    tracing::info!("{}: session refused, logging in again", self.label);
                    (self.auth, self.token) = (None, None);
                }
                Err(e) => return Err(e.into()),
            }
        }
        Err(SyncError::SessionLost { server: self.label.clone() })
    }

    async fn token(&mut self) -> Result<String> {
        if let Some(token) = &self.token {
            return Ok(token.clone());
        }
        let header = format!("GoogleLogin auth={}", self.auth.as_deref().unwrap_or_default());
        let url = format!("{}/reader/api/0/token", self.base);
        let answer = self.http.call(&url, None, &[("Authorization", &header)]).await?;
        let token = String::from_utf8_lossy(&answer.bytes).trim().to_owned();
        self.token = Some(token.clone());
        Ok(token)
    }

    async fn json(&mut self, path: &str) -> Result<Value> {
        let bytes = self.call(path, None).await?;
        let what = path.split('?').next().unwrap_or(path).to_owned();
        serde_json::from_slice(&bytes)
            .map_err(|e| self.not_the_server(&format!("its answer to {what} is not JSON: {e}")))
    }

    /// POSTs an edit; the server answers "OK".
    async fn edit(&mut self, path: &str, fields: Vec<(&str, String)>) -> Result<()> {
        let bytes = self.call(path, Some(fields)).await?;
        match String::from_utf8_lossy(&bytes).trim() {
            "OK" => Ok(()),
            other => Err(SyncError::Refused {
                server: self.label.clone(),
                op: path.to_owned(),
                error: crate::wording::shorten(&crate::sanitize::clean_line(other), 200).into_owned(),
            }),
        }
    }

    fn not_the_server(&self, why: &str) -> SyncError {
        SyncError::NotTheServer { server: self.label.clone(), product: "Google Reader API", why: why.to_owned() }
    }

    /// The number the cache knows the server's id `name` by, remembered both ways.
    fn number(&mut self, name: &str) -> i64 {
        let n = hash(name);
        self.names.entry(n).or_insert_with(|| name.to_owned());
        n
    }

    /// Every id of stream `stream`, less those in `without`.
    async fn stream_ids(&mut self, stream: &str, without: Option<&str>) -> Result<HashSet<i64>> {
        let (mut ids, mut continuation) = (HashSet::new(), None::<String>);
        loop {
            let mut query = vec![("output", "json".to_owned()), ("s", stream.to_owned()), ("n", IDS_PAGE.to_string())];
            if let Some(without) = without {
                query.push(("xt", without.to_owned()));
            }
            if let Some(c) = &continuation {
                query.push(("c", c.clone()));
            }
            let answer = self.json(&format!("stream/items/ids?{}", query_string(&query))).await?;
            let refs = answer["itemRefs"].as_array().into_iter().flatten();
            ids.extend(refs.filter_map(|r| item_id(&r["id"])));
            match answer["continuation"].as_str().filter(|c| !c.is_empty()) {
                Some(next) if Some(next) != continuation.as_deref() && ids.len() < MAX_IDS => {
                    continuation = Some(next.to_owned())
                }
                _ => return Ok(ids),
            }
        }
    }
}

impl Server for Client {
    async fn hello(&mut self) -> Result<Hello> {
        (self.auth, self.token) = (None, None);
        self.login().await?;
        let info = self.json("user-info?output=json").await?;
        let name = info["userName"].as_str().map(crate::sanitize::clean_line).unwrap_or_default();
        let version =
            if name.is_empty() { "Google Reader API".to_owned() } else { format!("Google Reader API, user {name}") };
        Ok(Hello { version, api_level: 0 })
    }

    async fn categories(&mut self) -> Result<Vec<RemoteCategory>> {
        let answer = self.json("tag/list?output=json").await?;
        let tags: Vec<String> = answer["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["id"].as_str())
            .filter(|id| id.contains("/label/"))
            .map(str::to_owned)
            .collect();
        Ok(tags
            .iter()
            .filter_map(|id| {
                let title = crate::sanitize::clean_line(id.rsplit("/label/").next()?);
                (!title.is_empty()).then(|| RemoteCategory { id: self.number(id), title })
            })
            .collect())
    }

    async fn feeds(&mut self, _categories: &[RemoteCategory]) -> Result<Vec<RemoteFeed>> {
        let answer = self.json("subscription/list?output=json").await?;
        let Some(list) = answer["subscriptions"].as_array() else {
            return Err(self.not_the_server("subscription/list gave no subscriptions"));
        };
        let mut feeds = Vec::with_capacity(list.len());
        for s in list {
            let Some(id) = s["id"].as_str() else { continue };
            let url = s["url"].as_str().unwrap_or_else(|| id.strip_prefix("feed/").unwrap_or(id)).to_owned();
            let title = s["title"].as_str().map(crate::sources::feed::plain_line).filter(|t| !t.is_empty());
            let folder = s["categories"].as_array().into_iter().flatten().find_map(|c| {
                let label = c["label"].as_str().or_else(|| c["id"].as_str()?.rsplit("/label/").next())?;
                Some(crate::sanitize::clean_line(label)).filter(|l| !l.is_empty())
            });
            feeds.push(RemoteFeed {
                id: self.number(id),
                title: title.unwrap_or_else(|| url.clone()),
                url,
                folder,
                unread: 0,
            });
        }
        Ok(feeds)
    }

    /// New items are those whose id is past `since`: ids grow as items arrive (FreshRSS's
    /// are their arrival time in µs, Miniflux's a sequence). The first page lists the
    /// reading list's ids (10,000 a request), the next ones fetch their contents, 250 at
    /// a time, through `stream/items/contents`, which every server has.
    async fn articles_since(&mut self, since: i64, page: &Page) -> Result<(Vec<RemoteArticle>, Option<Page>)> {
        if *page == Page::Skip(0) {
            let mut new: Vec<i64> =
                self.stream_ids(READING_LIST, None).await?.into_iter().filter(|id| *id > since).collect();
            new.sort_unstable();
            self.pending = new;
        }
        let take = self.pending.len().min(CONTENTS_PAGE);
        let chunk: Vec<i64> = self.pending.drain(..take).collect();
        if chunk.is_empty() {
            return Ok((Vec::new(), None));
        }
        let mut fields: Vec<(&str, String)> = chunk.iter().map(|id| ("i", long_id(*id))).collect();
        fields.push(("output", "json".to_owned()));
        let bytes = self.call("stream/items/contents?output=json", Some(fields)).await?;
        let answer: Value = serde_json::from_slice(&bytes)
            .map_err(|e| self.not_the_server(&format!("its answer to stream/items/contents is not JSON: {e}")))?;
        let items = answer["items"].as_array().map(Vec::as_slice).unwrap_or_default();
        let articles = items.iter().filter_map(|item| self.article(item)).collect();
        let done = match page {
            Page::Skip(n) => n + take,
            Page::Continue(_) => take,
        };
        Ok((articles, (!self.pending.is_empty()).then_some(Page::Skip(done))))
    }

    async fn ids(&mut self, field: Field) -> Result<HashSet<i64>> {
        match field {
            Field::Read => self.stream_ids(READING_LIST, Some(READ)).await,
            Field::Starred => self.stream_ids(STARRED, None).await,
        }
    }

    async fn mark(&mut self, ids: &[i64], field: Field, on: bool) -> Result<()> {
        let tag = match field {
            Field::Read => READ,
            Field::Starred => STARRED,
        };
        let mut fields: Vec<(&str, String)> = ids.iter().map(|id| ("i", long_id(*id))).collect();
        fields.push((if on { "a" } else { "r" }, tag.to_owned()));
        self.edit("edit-tag", fields).await
    }

    async fn counts(&mut self) -> Result<Counts> {
        let categories = self.categories().await?;
        let feeds = self.feeds(&categories).await?;
        let starred = self.stream_ids(STARRED, None).await?.len() as i64;
        Ok(Counts { feeds: feeds.len(), categories: categories.len(), unread: self.unread_count().await?, starred })
    }

    async fn unread_count(&mut self) -> Result<i64> {
        let answer = self.json("unread-count?output=json").await?;
        // A server without it (Miniflux answers `[]`): never the count here, so the
        // round lists the unread ids instead.
        let Some(counts) = answer["unreadcounts"].as_array() else { return Ok(-1) };
        let count = |c: &Value| c["count"].as_i64().or_else(|| c["count"].as_str()?.parse().ok()).unwrap_or(0);
        // The reading list's own count when given (FreshRSS), else the feeds' summed.
        let total = counts.iter().find(|c| c["id"].as_str().is_some_and(|id| id.ends_with("/reading-list")));
        Ok(match total {
            Some(total) => count(total),
            None => {
                counts.iter().filter(|c| c["id"].as_str().is_some_and(|id| id.starts_with("feed/"))).map(count).sum()
            }
        })
    }

    async fn subscribe(&mut self, url: &str, folder: Option<&str>) -> Result<Subscribed> {
        let stream = format!("feed/{url}");
        let known = self.feeds(&[]).await?;
        if let Some(feed) = known.iter().find(|f| f.url == url) {
            return Ok(Subscribed { feed: feed.id, already: true, folder: feed.folder.clone(), note: None });
        }
        let mut fields = vec![("ac", "subscribe".to_owned()), ("s", stream.clone())];
        let folder = folder.and_then(|f| crate::folder::names(f).last().map(str::to_owned));
        if let Some(folder) = &folder {
            fields.push(("a", format!("{LABEL}{folder}")));
        }
        self.edit("subscription/edit", fields).await?;
        let feeds = self.feeds(&[]).await?;
        let feed = feeds.iter().find(|f| f.url == url).map_or_else(|| self.number(&stream), |f| f.id);
        Ok(Subscribed { feed, already: false, folder, note: None })
    }

    async fn unsubscribe(&mut self, feed: i64) -> Result<()> {
        let Some(stream) = self.names.get(&feed).cloned() else {
            return Err(SyncError::Refused {
                server: self.label.clone(),
                op: "subscription/edit".to_owned(),
                error: "no such feed on the server".to_owned(),
            });
        };
        self.edit("subscription/edit", vec![("ac", "unsubscribe".to_owned()), ("s", stream)]).await
    }
}

impl Client {
    /// A stream's item as an article, with its marks and its feed.
    fn article(&mut self, item: &Value) -> Option<RemoteArticle> {
        let id = item_id(&item["id"])?;
        let feed = self.number(item["origin"]["streamId"].as_str()?);
        let link = |key: &str| item[key].as_array()?.iter().find_map(|l| l["href"].as_str());
        let url = link("canonical").or_else(|| link("alternate")).and_then(|l| crate::http::checked_url(l).ok());
        let url = url.map(String::from);
        let title = item["title"].as_str().map(crate::sources::feed::plain_line).filter(|t| !t.is_empty());
        let body = |key: &str| item[key]["content"].as_str().filter(|c| !c.trim().is_empty()).map(str::to_owned);
        let seconds = |v: &Value| v.as_i64().or_else(|| v.as_str()?.parse().ok());
        let published = seconds(&item["published"]).and_then(|t| chrono::DateTime::from_timestamp(t, 0));
        let tags: Vec<&str> = item["categories"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
        let has = |tag: &str| tags.iter().any(|t| t.ends_with(tag.trim_start_matches("user/-")));
        let author = item["author"].as_str().map(crate::sanitize::clean_line).filter(|a| !a.is_empty());
        let article = NewArticle {
            guid: id.to_string(),
            title: title.or_else(|| url.clone()).unwrap_or_else(|| "(untitled)".to_owned()),
            url,
            author,
            published,
            section: None,
            summary: None,
            content: body("content").or_else(|| body("summary")),
            enclosures: Vec::new(),
        };
        Some(RemoteArticle { id, feed, cursor: id, article, unread: !has(READ), starred: has(STARRED) })
    }
}

/// An item id in either spelling: `tag:google.com,2005:reader/item/<16 hex>`, or decimal.
fn item_id(v: &Value) -> Option<i64> {
    let text = match v {
        Value::Number(n) => return n.as_i64(),
        Value::String(s) => s.trim(),
        _ => return None,
    };
    match text.rsplit_once("/item/") {
        Some((_, hex)) => u64::from_str_radix(hex, 16).ok().map(|n| n as i64),
        None => text.parse::<u64>().ok().map(|n| n as i64),
    }
}

/// The long spelling of an item id, which every server takes.
fn long_id(id: i64) -> String {
    format!("tag:google.com,2005:reader/item/{:016x}", id as u64)
}

/// A stable number for a string id, positive so it never looks like a special id.
fn hash(name: &str) -> i64 {
    (crate::sources::feed::fnv1a(&[name]) >> 1) as i64
}

fn form(fields: &[(&str, &str)]) -> Vec<u8> {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish().into_bytes()
}

fn query_string(fields: &[(&str, String)]) -> String {
    url::form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_of_an_item_id_are_one_number() {
        let long = Value::from("tag:google.com,2005:reader/item/00000000000001f4");
        assert_eq!(item_id(&long), Some(500));
        assert_eq!(item_id(&Value::from("500")), Some(500));
        let high = Value::from("tag:google.com,2005:reader/item/ffffffffffffffff");
        assert_eq!(item_id(&high).map(long_id).as_deref(), Some("tag:google.com,2005:reader/item/ffffffffffffffff"));
        assert_eq!(long_id(500), "tag:google.com,2005:reader/item/00000000000001f4");
    }
}
