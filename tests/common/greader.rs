//! A Google Reader API server on loopback, written from FreshRSS's and Miniflux's
//! published API documentation (no such server can be installed here): `ClientLogin`,
//! then `Authorization: GoogleLogin auth=…` on GETs and the `T` token on POSTs, as
//! Miniflux requires; `stream/items/ids` paged by a numeric continuation and at most 500
//! ids a page whatever `n` asks; `stream/items/contents` by long-form ids; `edit-tag`;
//! `subscription/list` and `/edit`; `tag/list`; `unread-count`. Feeds and items live in
//! memory; the test changes them as the "other device", and can take the server down or
//! end every session.
#![allow(dead_code)] // each test uses its own part

use std::sync::{Arc, Mutex};

use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const LOGIN: &str = "ana";
pub const PASSWORD: &str = "pw";
const IDS_PAGE_MAX: usize = 500;

#[derive(Clone, Debug)]
pub struct Feed {
    pub id: i64,
    pub url: String,
    pub title: String,
    pub label: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Item {
    pub id: i64,
    pub feed: i64,
    pub title: String,
    pub read: bool,
    pub starred: bool,
}

#[derive(Default)]
pub struct State {
    pub feeds: Vec<Feed>,
    pub items: Vec<Item>,
    /// Answers 503 to everything.
    pub down: bool,
    /// Goes down once this many more requests have been answered.
    pub down_after: Option<usize>,
    /// Tokens handed out so far: a new login makes a new one.
    logins: usize,
    /// Tokens before this login number are refused (sessions ended).
    valid_from: usize,
    /// Requests answered, by path.
    pub calls: Vec<String>,
}

#[derive(Clone)]
pub struct Greader {
    pub state: Arc<Mutex<State>>,
}

impl Greader {
    pub async fn start() -> (MockServer, Greader) {
        let server = MockServer::builder().start().await;
        let greader = Greader { state: Arc::default() };
        Mock::given(wiremock::matchers::any()).respond_with(greader.clone()).mount(&server).await;
        (server, greader)
    }

    pub fn add_feed(&self, url: &str, title: &str, label: Option<&str>, items: usize) -> i64 {
        let mut state = self.state.lock().unwrap();
        let id = state.feeds.len() as i64 + 1;
        state.feeds.push(Feed { id, url: url.to_owned(), title: title.to_owned(), label: label.map(str::to_owned) });
        for i in 0..items {
            // Ids grow with arrival, as FreshRSS's microsecond ids do.
            let item = 1_700_000_000_000_000 + state.items.len() as i64;
            state.items.push(Item {
                id: item,
                feed: id,
                title: format!("{title} item {i}"),
                read: false,
                starred: false,
            });
        }
        id
    }

    pub fn item(&self, title: &str) -> Item {
        self.state.lock().unwrap().items.iter().find(|i| i.title == title).cloned().unwrap()
    }

    pub fn set(&self, title: &str, read: Option<bool>, starred: Option<bool>) {
        let mut state = self.state.lock().unwrap();
        let item = state.items.iter_mut().find(|i| i.title == title).unwrap();
        item.read = read.unwrap_or(item.read);
        item.starred = starred.unwrap_or(item.starred);
    }

    /// Every session ends, as when tokens expire.
    pub fn end_sessions(&self) {
        let mut state = self.state.lock().unwrap();
        state.valid_from = state.logins + 1;
    }
}

fn long_id(id: i64) -> String {
    format!("tag:google.com,2005:reader/item/{:016x}", id as u64)
}

fn parse_id(text: &str) -> Option<i64> {
    match text.rsplit_once("/item/") {
        Some((_, hex)) => u64::from_str_radix(hex, 16).ok().map(|n| n as i64),
        None => text.parse::<u64>().ok().map(|n| n as i64),
    }
}

fn text(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_owned(), "text/plain; charset=utf-8")
}

impl Respond for Greader {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let mut state = self.state.lock().unwrap();
        let path = request.url.path().to_owned();
        state.calls.push(path.clone());
        if let Some(left) = state.down_after {
            state.down = left == 0;
            state.down_after = left.checked_sub(1);
        }
        if state.down {
            return text(503, "Service Unavailable");
        }
        let mut params: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        if request.method.as_str() == "POST" {
            params.extend(url::form_urlencoded::parse(&request.body).into_owned());
        }
        let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let all = |name: &str| params.iter().filter(|(k, _)| k == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
        if path == "/accounts/ClientLogin" {
            if param("Email").as_deref() != Some(LOGIN) || param("Passwd").as_deref() != Some(PASSWORD) {
                return ResponseTemplate::new(401).set_body_json(json!({"error_message": "access unauthorized"}));
            }
            state.logins += 1;
            let token = format!("{LOGIN}/token{}", state.logins);
            return text(200, &format!("SID={token}\nLSID={token}\nAuth={token}\n"));
        }
        if path.ends_with(".xml") {
            // A feed of its own, for `kiosque add` to look at before subscribing.
            let rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Served</title>\
                       <item><title>One</title><link>http://example.org/1</link></item></channel></rss>";
            return ResponseTemplate::new(200).set_body_raw(rss, "application/rss+xml");
        }
        let Some(api) = path.strip_prefix("/reader/api/0/") else { return text(404, "Not Found") };
        // GET: the Authorization header; POST: the T token (Miniflux's rules).
        let token = match request.method.as_str() {
            "POST" => param("T"),
            _ => request
                .headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.strip_prefix("GoogleLogin auth="))
                .map(str::to_owned),
        };
        let login =
            token.as_deref().and_then(|t| t.strip_prefix(&format!("{LOGIN}/token"))).and_then(|n| n.parse().ok());
        if !login.is_some_and(|n: usize| n >= state.valid_from && n <= state.logins) {
            return text(401, "Unauthorized");
        }
        let token = token.unwrap();
        let feed_stream = |f: &Feed| format!("feed/{}", f.id);
        match api {
            "token" => text(200, &token),
            "user-info" => ResponseTemplate::new(200).set_body_json(json!({"userId": "1", "userName": LOGIN})),
            "tag/list" => {
                let mut tags = vec![json!({"id": "user/1/state/com.google/starred"})];
                let mut labels: Vec<&String> = state.feeds.iter().filter_map(|f| f.label.as_ref()).collect();
                labels.dedup();
                tags.extend(
                    labels.iter().map(|l| json!({"id": format!("user/1/label/{l}"), "label": l, "type": "folder"})),
                );
                ResponseTemplate::new(200).set_body_json(json!({"tags": tags}))
            }
            "subscription/list" => {
                let subscriptions: Vec<Value> = state
                    .feeds
                    .iter()
                    .map(|f| {
                        let categories: Vec<Value> =
                            f.label.iter().map(|l| json!({"id": format!("user/1/label/{l}"), "label": l})).collect();
                        json!({"id": feed_stream(f), "title": f.title, "url": f.url, "categories": categories})
                    })
                    .collect();
                ResponseTemplate::new(200).set_body_json(json!({"subscriptions": subscriptions}))
            }
            "unread-count" => {
                let count = state.items.iter().filter(|i| !i.read).count();
                let counts = json!([{"id": "user/-/state/com.google/reading-list", "count": count}]);
                ResponseTemplate::new(200).set_body_json(json!({"max": 1000, "unreadcounts": counts}))
            }
            "stream/items/ids" => {
                let stream = param("s").unwrap_or_default();
                let without_read = all("xt").iter().any(|x| x.ends_with("/state/com.google/read"));
                let mut ids: Vec<i64> = state
                    .items
                    .iter()
                    .filter(|i| !(without_read && i.read))
                    .filter(|i| !stream.ends_with("/starred") || i.starred)
                    .map(|i| i.id)
                    .collect();
                ids.sort_unstable_by(|a, b| b.cmp(a));
                let from: usize = param("c").and_then(|c| c.parse().ok()).unwrap_or(0);
                let n = param("n").and_then(|n| n.parse().ok()).unwrap_or(usize::MAX).min(IDS_PAGE_MAX);
                let page: Vec<Value> = ids.iter().skip(from).take(n).map(|id| json!({"id": id.to_string()})).collect();
                let mut answer = json!({"itemRefs": page});
                if from + n < ids.len() {
                    answer["continuation"] = json!((from + n).to_string());
                }
                ResponseTemplate::new(200).set_body_json(answer)
            }
            "stream/items/contents" => {
                let wanted: Vec<i64> = all("i").iter().filter_map(|i| parse_id(i)).collect();
                let items: Vec<Value> = state
                    .items
                    .iter()
                    .filter(|i| wanted.contains(&i.id))
                    .map(|i| {
                        let mut categories = vec!["user/1/state/com.google/reading-list".to_owned()];
                        if i.read {
                            categories.push("user/1/state/com.google/read".to_owned());
                        }
                        if i.starred {
                            categories.push("user/1/state/com.google/starred".to_owned());
                        }
                        json!({
                            "id": long_id(i.id), "title": i.title, "categories": categories,
                            "crawlTimeMsec": (i.id / 1000).to_string(), "published": 1_796_600_000,
                            "author": "Ana", "alternate": [{"href": format!("http://example.org/{}", i.id), "type": "text/html"}],
                            "summary": {"content": format!("<p>{} zanzibar</p>", i.title)},
                            "origin": {"streamId": format!("feed/{}", i.feed), "title": "x"},
                        })
                    })
                    .collect();
                ResponseTemplate::new(200)
                    .set_body_json(json!({"id": "user/-/state/com.google/reading-list", "items": items}))
            }
            "edit-tag" => {
                let ids: Vec<i64> = all("i").iter().filter_map(|i| parse_id(i)).collect();
                for (list, on) in [("a", true), ("r", false)] {
                    for tag in all(list) {
                        for item in state.items.iter_mut().filter(|i| ids.contains(&i.id)) {
                            if tag.ends_with("/state/com.google/read") {
                                item.read = on;
                            } else if tag.ends_with("/state/com.google/starred") {
                                item.starred = on;
                            }
                        }
                    }
                }
                text(200, "OK")
            }
            "subscription/edit" => {
                let stream = param("s").unwrap_or_default();
                match param("ac").as_deref() {
                    Some("subscribe") => {
                        let url = stream.strip_prefix("feed/").unwrap_or(&stream).to_owned();
                        let label = param("a").and_then(|a| a.rsplit_once("/label/").map(|(_, l)| l.to_owned()));
                        let id = state.feeds.iter().map(|f| f.id).max().unwrap_or(0) + 1;
                        state.feeds.push(Feed { id, title: format!("feed {id}"), url, label });
                        text(200, "OK")
                    }
                    Some("unsubscribe") => {
                        let before = state.feeds.len();
                        state.feeds.retain(|f| feed_stream(f) != stream);
                        if state.feeds.len() == before { text(400, "Bad Request") } else { text(200, "OK") }
                    }
                    _ => text(400, "Bad Request"),
                }
            }
            // Miniflux answers unknown endpoints so.
            _ => ResponseTemplate::new(200).set_body_json(json!([])),
        }
    }
}
