//! Tiny Tiny RSS's JSON API (level 15 and later): a POST of `{"op": …, "sid": …}` to
//! `BASE/api/`, answered `{"status": 0|1, "content": …}`. The session is bound to the
//! User-Agent (one client, one agent) and may expire: a call answered `NOT_LOGGED_IN`
//! logs in again once, then fails. Lists stop at 200 headlines a request, so every list
//! is read page by page. Facts checked against Debian's tt-rss 21 (see
//! `../shared/servers/ttrss/README.md`).

use std::collections::HashSet;

use chrono::{TimeZone, Utc};
use serde_json::{Value, json};

use super::password::Password;
use super::{
    Counts, Field, Hello, Page, RemoteArticle, RemoteCategory, RemoteFeed, Result, Server, Settings, Subscribed,
    SyncError,
};
use crate::http::Http;
use crate::model::NewArticle;

/// The most headlines tt-rss gives in one answer.
const PAGE: usize = 200;
/// Past this many ids, a list is not read further: no one has 2 million unread articles.
const MAX_IDS: usize = 2_000_000;
/// Feed ids of tt-rss's virtual feeds.
const ALL_ARTICLES: i64 = -4;
const STARRED: i64 = -1;
/// `getFeeds` with this category lists every real feed.
const ALL_FEEDS: i64 = -3;

pub struct Client {
    api: String,
    label: String,
    user: String,
    password: Password,
    http: Http,
    sid: Option<String>,
}

impl Client {
    pub fn new(settings: &Settings, password: Password, http: Http) -> Client {
        Client {
            api: api_url(&settings.url),
            label: settings.label(),
            user: settings.user.clone(),
            password,
            http,
            sid: None,
        }
    }

    /// Calls `op`, logging in first when there is no session, and once more when the
    /// server says the session is gone.
    async fn call(&mut self, op: &str, params: Value) -> Result<Value> {
        for attempt in 0..2 {
            if self.sid.is_none() {
                self.login().await?;
            }
            let mut body = params.clone();
            body["op"] = json!(op);
            body["sid"] = json!(self.sid);
            match self.post(op, &body).await? {
                Answer::Content(content) => return Ok(content),
                Answer::Error(error) if error == "NOT_LOGGED_IN" => {
                    tracing::info!("{}: session expired, logging in again (attempt {})", self.label, attempt + 1);
                    self.sid = None;
                }
                Answer::Error(error) => return Err(self.refused(op, &error)),
            }
        }
        Err(SyncError::SessionLost { server: self.label.clone() })
    }

    async fn login(&mut self) -> Result<i64> {
        let body = json!({"op": "login", "user": self.user, "password": self.password.expose()});
        match self.post("login", &body).await? {
            Answer::Content(content) => {
                let sid = content["session_id"].as_str().filter(|s| !s.is_empty());
                let sid = sid.ok_or_else(|| self.not_the_server("the login gave no session"))?;
                self.sid = Some(sid.to_owned());
                Ok(content["api_level"].as_i64().unwrap_or(0))
            }
            Answer::Error(e) if e == "LOGIN_ERROR" => {
                Err(SyncError::Credentials { server: self.label.clone(), user: self.user.clone() })
            }
            Answer::Error(e) if e == "API_DISABLED" => {
                Err(SyncError::ApiDisabled { server: self.label.clone(), user: self.user.clone() })
            }
            Answer::Error(e) => Err(self.refused("login", &e)),
        }
    }

    async fn post(&self, op: &str, body: &Value) -> Result<Answer> {
        let bytes = serde_json::to_vec(body).expect("a JSON value serializes");
        let answer = self.http.call(&self.api, Some(("application/json", bytes)), &[]).await?;
        let value: Value = serde_json::from_slice(&answer.bytes)
            .map_err(|e| self.not_the_server(&format!("its answer to {op} is not JSON: {e}")))?;
        match value["status"].as_i64() {
            Some(0) => Ok(Answer::Content(value["content"].clone())),
            Some(1) => {
                let error = value["content"]["error"].as_str().unwrap_or("an error without a name");
                Ok(Answer::Error(crate::sanitize::clean_line(error)))
            }
            _ => Err(self.not_the_server(&format!("its answer to {op} has no status"))),
        }
    }

    fn refused(&self, op: &str, error: &str) -> SyncError {
        SyncError::Refused { server: self.label.clone(), op: op.to_owned(), error: error.to_owned() }
    }

    fn not_the_server(&self, why: &str) -> SyncError {
        SyncError::NotTheServer { server: self.label.clone(), product: "Tiny Tiny RSS", why: why.to_owned() }
    }

    /// A list from `getHeadlines`, as JSON objects.
    async fn headlines(&mut self, params: Value) -> Result<Vec<Value>> {
        match self.call("getHeadlines", params).await? {
            Value::Array(items) => Ok(items),
            _ => Err(self.not_the_server("getHeadlines did not give a list")),
        }
    }
}

enum Answer {
    Content(Value),
    Error(String),
}

/// The API's address: the server's, with `api/` added unless it is there.
fn api_url(base: &url::Url) -> String {
    let path = base.path().trim_end_matches('/');
    if path.ends_with("/api") || path.ends_with("/api/index.php") {
        return base.to_string();
    }
    let mut url = base.clone();
    url.set_path(&format!("{path}/api/"));
    url.to_string()
}

impl Server for Client {
    async fn hello(&mut self) -> Result<Hello> {
        self.sid = None;
        let api_level = self.login().await?;
        let version = self.call("getVersion", json!({})).await?;
        let version = version["version"].as_str().map(crate::sanitize::clean_line).unwrap_or_default();
        Ok(Hello { version, api_level })
    }

    async fn categories(&mut self) -> Result<Vec<RemoteCategory>> {
        let listed = self.call("getCategories", json!({"include_empty": true})).await?;
        let Value::Array(items) = listed else { return Err(self.not_the_server("getCategories did not give a list")) };
        // Below 1: Uncategorized, and the virtual categories (Special, Labels).
        Ok(items
            .iter()
            .filter_map(|c| Some(RemoteCategory { id: int(&c["id"])?, title: line(&c["title"])? }))
            .filter(|c| c.id > 0)
            .collect())
    }

    async fn feeds(&mut self, categories: &[RemoteCategory]) -> Result<Vec<RemoteFeed>> {
        let listed = self.call("getFeeds", json!({"cat_id": ALL_FEEDS})).await?;
        let Value::Array(items) = listed else { return Err(self.not_the_server("getFeeds did not give a list")) };
        Ok(items
            .iter()
            .filter_map(|f| {
                let id = int(&f["id"]).filter(|id| *id > 0)?;
                let url = f["feed_url"].as_str().unwrap_or_default().to_owned();
                let cat = int(&f["cat_id"]).unwrap_or(0);
                let folder = categories.iter().find(|c| c.id == cat).map(|c| c.title.clone());
                let title = line(&f["title"]).unwrap_or_else(|| url.clone());
                Some(RemoteFeed { id, title, url, folder, unread: int(&f["unread"]).unwrap_or(0) })
            })
            .collect())
    }

    async fn articles_since(&mut self, since: i64, page: &Page) -> Result<(Vec<RemoteArticle>, Option<Page>)> {
        let skip = match page {
            Page::Skip(n) => *n,
            Page::Continue(_) => 0,
        };
        let params = json!({
            "feed_id": ALL_ARTICLES, "view_mode": "all_articles", "since_id": since, "show_content": true,
            "limit": PAGE, "skip": skip, "include_attachments": false,
        });
        let headlines = self.headlines(params).await?;
        let next = (headlines.len() == PAGE).then(|| Page::Skip(skip + PAGE));
        Ok((headlines.iter().filter_map(article).collect(), next))
    }

    async fn ids(&mut self, field: Field) -> Result<HashSet<i64>> {
        let (feed, mode) = match field {
            Field::Read => (ALL_ARTICLES, "unread"),
            Field::Starred => (STARRED, "all_articles"),
        };
        let mut ids = HashSet::new();
        loop {
            let params = json!({
                "feed_id": feed, "view_mode": mode, "show_content": false, "limit": PAGE, "skip": ids.len(),
            });
            let page = self.headlines(params).await?;
            let before = ids.len();
            ids.extend(page.iter().filter_map(|h| int(&h["id"])));
            // A page of ids already seen would page for ever.
            if page.len() < PAGE || ids.len() == before || ids.len() >= MAX_IDS {
                return Ok(ids);
            }
        }
    }

    async fn mark(&mut self, ids: &[i64], field: Field, on: bool) -> Result<()> {
        let list: Vec<String> = ids.iter().map(i64::to_string).collect();
        // updateArticle's fields: 0 starred, 2 unread; mode 1 sets, 0 clears.
        let (field, mode) = match field {
            Field::Starred => (0, on),
            Field::Read => (2, !on),
        };
        let params = json!({"article_ids": list.join(","), "field": field, "mode": i64::from(mode)});
        self.call("updateArticle", params).await?;
        Ok(())
    }

    async fn counts(&mut self) -> Result<Counts> {
        let categories = self.categories().await?;
        let feeds = self.feeds(&categories).await?;
        let counters = self.call("getCounters", json!({"output_mode": "flc"})).await?;
        let counter = |id: Value, key: &str| {
            let all = counters.as_array().into_iter().flatten();
            all.filter(|c| c["id"] == id && c.get("kind").is_none()).find_map(|c| int(&c[key]))
        };
        Ok(Counts {
            feeds: feeds.len(),
            categories: categories.len(),
            unread: counter(json!("global-unread"), "counter").unwrap_or(0),
            starred: counter(json!(STARRED), "auxcounter").unwrap_or(0),
        })
    }

    async fn unread_count(&mut self) -> Result<i64> {
        let answer = self.call("getUnread", json!({})).await?;
        int(&answer["unread"]).ok_or_else(|| self.not_the_server("getUnread gave no count"))
    }

    async fn subscribe(&mut self, url: &str, folder: Option<&str>) -> Result<Subscribed> {
        self.subscribe_in(url, folder).await
    }

    async fn unsubscribe(&mut self, feed: i64) -> Result<()> {
        self.call("unsubscribeFeed", json!({"feed_id": feed})).await.map(drop)
    }
}

impl Client {
    /// The category `folder` names (the whole path, else its last name), any case.
    fn category<'c>(categories: &'c [RemoteCategory], folder: &str) -> Option<&'c RemoteCategory> {
        let last = crate::folder::names(folder).last().unwrap_or(folder);
        [folder, last]
            .into_iter()
            .find_map(|name| categories.iter().find(|c| c.title.to_lowercase() == name.to_lowercase()))
    }

    async fn subscribe_in(&mut self, url: &str, folder: Option<&str>) -> Result<Subscribed> {
        let categories = match folder {
            Some(_) => self.categories().await?,
            None => Vec::new(),
        };
        let category = folder.and_then(|f| Client::category(&categories, f));
        let note = match (folder, category) {
            (Some(f), None) => Some(format!(
                "{} has no category “{f}” and its API cannot make one: subscribed uncategorized",
                self.label
            )),
            _ => None,
        };
        let mut params = json!({"feed_url": url});
        if let Some(category) = category {
            params["category_id"] = json!(category.id);
        }
        let answer = self.call("subscribeToFeed", params).await?;
        let status = &answer["status"];
        let code = int(&status["code"]).unwrap_or(-1);
        let said = status["message"].as_str().map(crate::sanitize::clean_line).unwrap_or_default();
        let refused = |why: String| self.refused("subscribeToFeed", &why);
        let feed = match code {
            0 | 1 => int(&status["feed_id"]).ok_or_else(|| refused("no feed id in its answer".to_owned()))?,
            2 => return Err(refused("the server finds the address invalid".to_owned())),
            3 => return Err(refused("the server found no feed at that address".to_owned())),
            4 => return Err(refused("the server found several feeds there: give the address of one".to_owned())),
            5 => return Err(refused(format!("the server could not download it ({said})"))),
            6 => return Err(refused("the server finds the feed's XML invalid".to_owned())),
            other => return Err(refused(format!("unknown answer code {other}"))),
        };
        if code == 1 {
            // Its articles now, not at the server's next update.
            if let Err(e) = self.call("updateFeed", json!({"feed_id": feed})).await {
                tracing::info!("{}: updating the new feed: {e}", self.label);
            }
        }
        Ok(Subscribed { feed, already: code == 0, folder: category.map(|c| c.title.clone()), note })
    }
}

/// An integer, given as a number or as a numeric string (older PHP gives strings).
fn int(v: &Value) -> Option<i64> {
    v.as_i64().or_else(|| v.as_str()?.trim().parse().ok())
}

/// A title as one clean line, or `None` when empty.
fn line(v: &Value) -> Option<String> {
    Some(crate::sources::feed::plain_line(v.as_str()?)).filter(|t| !t.is_empty())
}

/// A headline as an article: tt-rss's id is its identity here.
fn article(h: &Value) -> Option<RemoteArticle> {
    let id = int(&h["id"])?;
    let url = h["link"].as_str().and_then(|l| crate::http::checked_url(l).ok()).map(String::from);
    let title = line(&h["title"]).or_else(|| url.clone()).unwrap_or_else(|| "(untitled)".to_owned());
    let content = h["content"].as_str().filter(|c| !c.trim().is_empty()).map(str::to_owned);
    let published = int(&h["updated"]).and_then(|t| Utc.timestamp_opt(t, 0).single());
    let article = NewArticle {
        guid: id.to_string(),
        url,
        title,
        author: h["author"].as_str().and_then(author),
        published,
        section: None,
        summary: None,
        content,
        enclosures: Vec::new(),
    };
    Some(RemoteArticle {
        id,
        cursor: id,
        feed: int(&h["feed_id"])?,
        article,
        unread: h["unread"].as_bool().unwrap_or(true),
        starred: h["marked"].as_bool().unwrap_or(false),
    })
}

/// The name in an RSS author ("alice@example.org (Alice)" is Alice), else the field.
fn author(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let name = match raw.strip_suffix(')').and_then(|r| r.split_once(" (")) {
        Some((mail, name)) if mail.contains('@') && !mail.contains(' ') => name,
        _ => raw,
    };
    Some(crate::sanitize::clean_line(name)).filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_is_found_under_the_servers_address() {
        let url = |s: &str| api_url(&url::Url::parse(s).unwrap());
        assert_eq!(url("http://127.0.0.1:8280/"), "http://127.0.0.1:8280/api/");
        assert_eq!(url("https://example.org/tt-rss"), "https://example.org/tt-rss/api/");
        assert_eq!(url("https://example.org/tt-rss/api/"), "https://example.org/tt-rss/api/");
    }

    #[test]
    fn a_headline_becomes_an_article_with_its_marks() {
        let h = json!({"id": 5, "feed_id": "2", "title": "Tom & Jerry", "link": "javascript:alert(1)",
            "author": "alice@example.org (Alice)", "updated": 1796205600, "content": "<p>x</p>",
            "unread": false, "marked": true});
        let a = article(&h).unwrap();
        assert_eq!((a.id, a.feed, a.unread, a.starred), (5, 2, false, true));
        assert_eq!(a.article.title, "Tom & Jerry");
        assert_eq!(a.article.url, None);
        assert_eq!(a.article.author.as_deref(), Some("Alice"));
        assert_eq!(a.article.guid, "5");
        assert_eq!(author("Bob Smith"), Some("Bob Smith".to_owned()));
        assert_eq!(author(""), None);
    }
}
