//! kiosque as a client of a feed server the user already runs (Tiny Tiny RSS; the Google
//! Reader API next). The server keeps the subscriptions, the read marks and the stars for
//! every device; kiosque reads them into its cache and writes its own marks back. It
//! never serves anything itself.
//!
//! Each protocol is a `Server`: what the sync round (`engine::sync_round`) needs of it,
//! in the server's own ids. The round does the rest the same way for every protocol:
//! the outbox first, then the tree, the new articles, and the marks made elsewhere.

pub mod greader;
pub mod password;
pub mod ttrss;

use std::collections::HashSet;

use crate::http::{Http, HttpError};

/// The protocols kiosque speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerKind {
    Ttrss,
    /// The Google Reader API, as FreshRSS, Miniflux, Inoreader, The Old Reader serve it.
    Greader,
}

impl ServerKind {
    /// Its name in the config (`kind = "ttrss"`).
    pub fn name(self) -> &'static str {
        match self {
            ServerKind::Ttrss => "ttrss",
            ServerKind::Greader => "greader",
        }
    }

    /// What users call it.
    pub fn product(self) -> &'static str {
        match self {
            ServerKind::Ttrss => "Tiny Tiny RSS",
            ServerKind::Greader => "Google Reader API",
        }
    }
}

/// The `[sync]` table, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub kind: ServerKind,
    /// The server's address, as the user gave it (http or https).
    pub url: url::Url,
    pub user: String,
    pub password: password::From,
    /// What the tree calls it, if the user named it.
    pub name: Option<String>,
}

impl Settings {
    /// How the tree and the messages name the server: its name in the config, else
    /// "Tiny Tiny RSS (host:port)".
    pub fn label(&self) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        let host = self.url.host_str().unwrap_or_default();
        match self.url.port() {
            Some(port) => format!("{} ({host}:{port})", self.kind.product()),
            None => format!("{} ({host})", self.kind.product()),
        }
    }

    /// The server's key in the cache: one source row stands for it.
    pub fn key(&self) -> String {
        format!("{}+{}", self.kind.name(), self.url)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0}")]
    Http(#[from] HttpError),
    #[error("{server}: wrong user name or password for {user}")]
    Credentials { server: String, user: String },
    #[error("{server}: API access is disabled for {user} (turn it on in the server's preferences)")]
    ApiDisabled { server: String, user: String },
    #[error("{server}: not a {product} API ({why})")]
    NotTheServer { server: String, product: &'static str, why: String },
    #[error("{server}: logged in again, and the server still says the session is not logged in")]
    SessionLost { server: String },
    #[error("{server}: {op} failed: {error}")]
    Refused { server: String, op: String, error: String },
    #[error("the sync password: {0}")]
    Password(String),
}

impl SyncError {
    /// The network itself failed, not the server.
    pub fn is_network(&self) -> bool {
        matches!(self, SyncError::Http(e) if e.kind.is_network())
    }
}

pub type Result<T> = std::result::Result<T, SyncError>;

/// What `sync --check` prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hello {
    /// The server's version, as it says it.
    pub version: String,
    pub api_level: i64,
}

/// A category of the server: a folder of the tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteCategory {
    pub id: i64,
    pub title: String,
}

/// A feed the user is subscribed to on the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RemoteFeed {
    pub id: i64,
    pub title: String,
    pub url: String,
    /// Its category's title; `None` when uncategorized.
    pub folder: Option<String>,
    pub unread: i64,
}

/// An article as the server gives it, with its marks there.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteArticle {
    pub id: i64,
    pub feed: i64,
    /// Where it is in the server's order of arrival: the next round asks for articles
    /// past the highest one seen (tt-rss: its id; Google Reader: when it was crawled).
    pub cursor: i64,
    pub article: crate::model::NewArticle,
    pub unread: bool,
    pub starred: bool,
}

/// The marks a server keeps for each article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Read,
    Starred,
}

impl Field {
    /// Its name in the outbox.
    pub fn name(self) -> &'static str {
        match self {
            Field::Read => "read",
            Field::Starred => "starred",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        match name {
            "read" => Some(Field::Read),
            "starred" => Some(Field::Starred),
            _ => None,
        }
    }
}

/// Counts a server gives for `sync --check`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub feeds: usize,
    pub categories: usize,
    pub unread: i64,
    pub starred: i64,
}

/// The most ids one request marks: servers cap their lists (tt-rss at 200 headlines).
pub const MARK_CHUNK: usize = 200;

/// What the sync round asks of a server, in the server's own ids.
#[allow(async_fn_in_trait)]
pub trait Server {
    /// Logs in (again): the server's version and API level.
    async fn hello(&mut self) -> Result<Hello>;
    async fn categories(&mut self) -> Result<Vec<RemoteCategory>>;
    /// Every subscribed feed, its folder named from `categories`.
    async fn feeds(&mut self, categories: &[RemoteCategory]) -> Result<Vec<RemoteFeed>>;
    /// A page of the articles past `since` (a `cursor`), and the page after it, if any.
    async fn articles_since(&mut self, since: i64, page: &Page) -> Result<(Vec<RemoteArticle>, Option<Page>)>;
    /// The ids of every unread article, or of every starred one.
    async fn ids(&mut self, field: Field) -> Result<HashSet<i64>>;
    /// Sets `field` of `ids` (at most `MARK_CHUNK`) to `on`: read, or starred.
    async fn mark(&mut self, ids: &[i64], field: Field, on: bool) -> Result<()>;
    async fn counts(&mut self) -> Result<Counts>;
    /// How many articles are unread there: one cheap call.
    async fn unread_count(&mut self) -> Result<i64>;
    /// Subscribes to the feed at `url`, in the category named `folder` when the server
    /// has one by that name.
    async fn subscribe(&mut self, url: &str, folder: Option<&str>) -> Result<Subscribed>;
    async fn unsubscribe(&mut self, feed: i64) -> Result<()>;
}

/// Which page of a list: tt-rss pages by how many came before, Google Reader by a
/// continuation the server gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Skip(usize),
    Continue(String),
}

/// What subscribing did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscribed {
    pub feed: i64,
    /// It was subscribed to already.
    pub already: bool,
    /// The category it went in.
    pub folder: Option<String>,
    /// Why it is not in the folder asked for, when it is not.
    pub note: Option<String>,
}

/// A client of the configured server, not logged in yet.
pub fn connect(settings: &Settings, http: Http) -> Result<Client> {
    let password = settings.password.read()?;
    Ok(match settings.kind {
        ServerKind::Ttrss => Client::Ttrss(ttrss::Client::new(settings, password, http)),
        ServerKind::Greader => Client::Greader(greader::Client::new(settings, password, http)),
    })
}

/// A client of whichever protocol the config names.
pub enum Client {
    Ttrss(ttrss::Client),
    Greader(greader::Client),
}

/// `$call` on whichever client it is.
macro_rules! either {
    ($self:ident, $client:ident => $call:expr) => {
        match $self {
            Client::Ttrss($client) => $call,
            Client::Greader($client) => $call,
        }
    };
}

impl Server for Client {
    async fn hello(&mut self) -> Result<Hello> {
        either!(self, c => c.hello().await)
    }
    async fn categories(&mut self) -> Result<Vec<RemoteCategory>> {
        either!(self, c => c.categories().await)
    }
    async fn feeds(&mut self, categories: &[RemoteCategory]) -> Result<Vec<RemoteFeed>> {
        either!(self, c => c.feeds(categories).await)
    }
    async fn articles_since(&mut self, since: i64, page: &Page) -> Result<(Vec<RemoteArticle>, Option<Page>)> {
        either!(self, c => c.articles_since(since, page).await)
    }
    async fn ids(&mut self, field: Field) -> Result<HashSet<i64>> {
        either!(self, c => c.ids(field).await)
    }
    async fn mark(&mut self, ids: &[i64], field: Field, on: bool) -> Result<()> {
        either!(self, c => c.mark(ids, field, on).await)
    }
    async fn counts(&mut self) -> Result<Counts> {
        either!(self, c => c.counts().await)
    }
    async fn unread_count(&mut self) -> Result<i64> {
        either!(self, c => c.unread_count().await)
    }
    async fn subscribe(&mut self, url: &str, folder: Option<&str>) -> Result<Subscribed> {
        either!(self, c => c.subscribe(url, folder).await)
    }
    async fn unsubscribe(&mut self, feed: i64) -> Result<()> {
        either!(self, c => c.unsubscribe(feed).await)
    }
}
