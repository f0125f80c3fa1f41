//! Plain data shared by every layer. No I/O and no screen types, so sources, the store,
//! the engine, the CLI and the TUI all speak the same nouns.

use chrono::{DateTime, Utc};

/// An id of the cache, of one kind: a source's cannot be given where an article's is
/// wanted. `store` reads and writes them as SQLite integers.
macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// A feed or a site.
    SourceId
);
id!(ArticleId);
id!(
    /// A section of a site.
    SectionId
);

/// What a configured source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceKind {
    #[default]
    Feed,
    /// A news site browsed by its own sections.
    Site,
    /// A feed server the reader syncs with (`[sync]`): refreshing it is a sync round.
    Server,
    /// A feed subscribed to on a server, read through the server, never fetched itself.
    Remote,
}

impl SourceKind {
    /// Its name in words, in the config (`[[feed]]`, `[[site]]`) and in the cache.
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Feed => "feed",
            SourceKind::Site => "site",
            SourceKind::Server => "server",
            SourceKind::Remote => "remote",
        }
    }

    /// The kind named `name` in the cache; an unknown name is a feed's.
    pub fn from_name(name: &str) -> SourceKind {
        [SourceKind::Site, SourceKind::Server, SourceKind::Remote]
            .into_iter()
            .find(|k| k.name() == name)
            .unwrap_or(SourceKind::Feed)
    }
}

/// What a list shows: the articles of some sources, or those of one section of a site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Sources(Vec<SourceId>),
    Section(SectionId),
    /// Bookmarked articles, the last bookmarked first.
    Bookmarks,
    /// Unread articles of every source.
    Unread,
    /// The hits of the last search, best first.
    Search,
}

impl Default for Scope {
    fn default() -> Scope {
        Scope::Sources(Vec::new())
    }
}

/// An article as a source delivers it, before the store gives it an id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewArticle {
    /// Identity within its source: the feed's guid, else the link, else a content hash.
    pub guid: String,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// The section or category the source files it under.
    pub section: Option<String>,
    /// HTML.
    pub summary: Option<String>,
    /// HTML.
    pub content: Option<String>,
    /// Files attached: a podcast's audio, a video.
    pub enclosures: Vec<Enclosure>,
}

/// A file attached to an article (RSS `<enclosure>`, Atom `rel="enclosure"`, Media RSS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enclosure {
    pub url: String,
    /// Its media type, as "audio/mpeg".
    pub mime: Option<String>,
    /// Its size in bytes, as the feed gives it.
    pub length: Option<u64>,
}

/// The order a list shows its articles in (`s` cycles through them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Order {
    #[default]
    Newest,
    Oldest,
    UnreadFirst,
    /// Source by source, in the order they were added, each newest first.
    BySource,
}

impl Order {
    pub fn next(self) -> Order {
        match self {
            Order::Newest => Order::Oldest,
            Order::Oldest => Order::UnreadFirst,
            Order::UnreadFirst => Order::BySource,
            Order::BySource => Order::Newest,
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Order::Newest => "newest first",
            Order::Oldest => "oldest first",
            Order::UnreadFirst => "unread first",
            Order::BySource => "by source",
        }
    }
}

/// Where an article sorts in a list: by its group (`Order::UnreadFirst`,
/// `Order::BySource`; else 0), then its time, ties broken by id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SortKey {
    pub group: i64,
    /// Unix seconds: the publication date, or when kiosque first saw an undated article.
    pub time: i64,
    pub id: ArticleId,
}

/// One row of an article list: only what a list shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRow {
    pub key: SortKey,
    /// When it sorts in time (unix seconds): what the row shows, also where the list sorts
    /// otherwise (search hits, by rank).
    pub time: i64,
    pub source_id: SourceId,
    pub title: String,
    pub read: bool,
}

/// An article with its text, as the reader shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: ArticleId,
    pub source_id: SourceId,
    pub url: Option<String>,
    pub title: String,
    pub author: Option<String>,
    /// Unix seconds, when the source gave a date.
    pub published: Option<i64>,
    pub section: Option<String>,
    /// HTML.
    pub summary: Option<String>,
    /// HTML.
    pub content: Option<String>,
    /// HTML: the article as reader mode found it on its page, when that was fetched.
    pub page: Option<String>,
    pub read: bool,
    pub bookmarked: bool,
}

/// Where the text the reader shows comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSource {
    /// The article's page, through reader mode.
    Page,
    /// The feed's full text.
    Feed,
    /// The feed's summary: the article's page has more.
    Summary,
    Nothing,
}

/// A summary is a sentence or a paragraph. Old RSS feeds put whole articles there: past
/// this many paragraphs it is taken for the article.
const SUMMARY_MAX_PARAGRAPHS: usize = 3;

impl Article {
    /// Its page is worth fetching: the text known is a summary, or nothing.
    pub fn wants_page(&self) -> bool {
        matches!(self.text().1, TextSource::Summary | TextSource::Nothing)
    }

    /// The best text known (HTML), and where it comes from.
    pub fn text(&self) -> (Option<&str>, TextSource) {
        fn given(s: &Option<String>) -> Option<&str> {
            s.as_deref().filter(|s| !s.trim().is_empty())
        }
        if let Some(page) = given(&self.page) {
            (Some(page), TextSource::Page)
        } else if let Some(content) = given(&self.content) {
            (Some(content), TextSource::Feed)
        } else if let Some(summary) = given(&self.summary) {
            let paragraphs = summary.matches("<p").count();
            (Some(summary), if paragraphs > SUMMARY_MAX_PARAGRAPHS { TextSource::Feed } else { TextSource::Summary })
        } else {
            (None, TextSource::Nothing)
        }
    }
}

/// A source as the cache knows it: what it is called and how its last fetch went.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceState {
    pub id: SourceId,
    pub url: String,
    /// The title the source gives itself.
    pub title: Option<String>,
    /// Why the last fetch failed; `None` once a fetch succeeds.
    pub error: Option<String>,
    pub total: u32,
    pub unread: u32,
    /// For a feed read through a feed server: the server's source, refreshed in its stead.
    pub server: Option<SourceId>,
}

/// What a tree node stands for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NodeKey {
    /// Every configured source.
    All,
    Bookmarks,
    Unread,
    Folder(String),
    Source(SourceId),
    /// A section of a site source.
    Section(SourceId, SectionId),
}

/// A node of the category tree: a folder of sources or a source.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub key: NodeKey,
    pub label: String,
    pub children: Vec<Node>,
}

impl NodeKey {
    /// The source this node is or belongs to.
    pub fn source(&self) -> Option<SourceId> {
        match self {
            NodeKey::Source(id) | NodeKey::Section(id, _) => Some(*id),
            NodeKey::All | NodeKey::Bookmarks | NodeKey::Unread | NodeKey::Folder(_) => None,
        }
    }
}

impl Node {
    /// The sources under this node, itself included.
    pub fn sources(&self) -> Vec<SourceId> {
        let mut ids = Vec::new();
        self.collect_sources(&mut ids);
        ids
    }

    fn collect_sources(&self, ids: &mut Vec<SourceId>) {
        if let NodeKey::Source(id) = self.key {
            ids.push(id);
        }
        for child in &self.children {
            child.collect_sources(ids);
        }
    }
}

/// A section of a site, as its menu or its categories give it: what `kiosque tree`
/// prints and what a site's node in the tree holds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    pub label: String,
    /// The section's page.
    pub url: Option<String>,
    /// The site's own id for it, such as a WordPress category id.
    #[serde(skip)]
    pub remote_id: Option<i64>,
    pub children: Vec<Section>,
}
