//! A real Tiny Tiny RSS (Debian's, with PostgreSQL), for the sync tests and bench:
//! started once per process by `../shared/servers/ttrss/up.sh` (or `$KIOSQUE_TTRSS_UP`)
//! on 127.0.0.1, port `$KIOSQUE_TTRSS_PORT` (8280), data in `$KIOSQUE_TTRSS_DATA`
//! (`/tmp/ttrss-PORT`); its users and feeds.
#![allow(dead_code)] // the tests and the bench use their own parts

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Value, json};

pub struct Ttrss {
    pub api: String,
    pub base: String,
    pub feeds_dir: PathBuf,
    pub feeds_url: String,
    pub psql: PathBuf,
    pub add_user: PathBuf,
}

/// The server, started on first use; `None`, said once, when it cannot be.
pub fn ttrss() -> Option<&'static Ttrss> {
    static SERVER: OnceLock<Option<Ttrss>> = OnceLock::new();
    let server = SERVER.get_or_init(|| match start() {
        Ok(server) => Some(server),
        Err(why) if std::env::var_os("KIOSQUE_TTRSS_REQUIRED").is_some() => panic!("tt-rss is required: {why}"),
        Err(why) => {
            eprintln!("skipping the tt-rss sync tests: {why}");
            None
        }
    });
    server.as_ref()
}

fn start() -> Result<Ttrss, String> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/servers/ttrss/up.sh");
    let script = std::env::var_os("KIOSQUE_TTRSS_UP").map(PathBuf::from).unwrap_or(beside);
    if !script.exists() {
        return Err(format!("{} is not there (set KIOSQUE_TTRSS_UP to up.sh)", script.display()));
    }
    let port = std::env::var("KIOSQUE_TTRSS_PORT").unwrap_or_else(|_| "8280".to_owned());
    let data = std::env::var("KIOSQUE_TTRSS_DATA").unwrap_or_else(|_| format!("/tmp/ttrss-{port}"));
    let up = Command::new(&script).args([&port, &data]).output().map_err(|e| e.to_string())?;
    if !up.status.success() {
        return Err(format!("up.sh failed: {}", String::from_utf8_lossy(&up.stderr).lines().last().unwrap_or("")));
    }
    let env: Value = serde_json::from_slice(&std::fs::read(Path::new(&data).join("ttrss.json")).unwrap()).unwrap();
    let text = |key: &str| env[key].as_str().unwrap().to_owned();
    Ok(Ttrss {
        api: text("TTRSS_API_URL"),
        base: text("TTRSS_URL"),
        feeds_dir: text("TTRSS_FEEDS_DIR").into(),
        feeds_url: text("TTRSS_FEEDS_URL"),
        psql: text("TTRSS_PSQL").into(),
        add_user: text("TTRSS_ADD_USER").into(),
    })
}

/// A user of the server, with a session of its own for the test's own calls.
pub struct User<'a> {
    pub server: &'a Ttrss,
    pub login: String,
    /// Logged in again when another test ends every session.
    sid: std::cell::RefCell<String>,
    /// Unique to this test and run: feed names and guids.
    pub run: String,
}

impl Ttrss {
    pub fn user(&self, test: &str) -> User<'_> {
        let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis();
        let login = format!("t_{test}_{}", std::process::id());
        let status = Command::new(&self.add_user).args([&login, "pw"]).status().unwrap();
        assert!(status.success(), "add-user {login}");
        User { server: self, login, sid: Default::default(), run: format!("{test}-{stamp}") }
    }

    pub fn sql(&self, statement: &str) -> String {
        let out = Command::new(&self.psql).args(["-tAc", statement]).output().unwrap();
        assert!(out.status.success(), "{statement}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().trim().to_owned()
    }

    /// `request` as it is answered.
    fn post(&self, request: &Value) -> Value {
        let out = Command::new("curl")
            .args(["-s", "-m", "60", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary", "@-"])
            .arg(&self.api)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut child| {
                use std::io::Write;
                child.stdin.take().unwrap().write_all(request.to_string().as_bytes())?;
                child.wait_with_output()
            })
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{request}: {e}"))
    }
}

impl User<'_> {
    /// An API call as this user: its `content`, which must be a success.
    pub fn call(&self, mut request: Value) -> Value {
        for _ in 0..2 {
            if self.sid.borrow().is_empty() {
                let login = self.server.post(&json!({"op": "login", "user": self.login, "password": "pw"}));
                *self.sid.borrow_mut() = login["content"]["session_id"].as_str().unwrap().to_owned();
            }
            request["sid"] = json!(*self.sid.borrow());
            let answer = self.server.post(&request);
            if answer["content"]["error"] == "NOT_LOGGED_IN" {
                self.sid.borrow_mut().clear();
                continue;
            }
            assert_eq!(answer["status"], 0, "{request} answered {answer}");
            return answer["content"].clone();
        }
        panic!("{request}: not logged in, twice")
    }

    /// A feed of `n` articles written to the feed server, subscribed to (in `category`,
    /// made if needed) and updated: its id on the server.
    pub fn feed(&self, name: &str, n: usize, category: Option<&str>) -> i64 {
        let url = self.write_feed(name, n);
        let mut request = json!({"op": "subscribeToFeed", "feed_url": url});
        if let Some(category) = category {
            request["category_id"] = json!(self.category(category));
        }
        let subscribed = self.call(request);
        assert_eq!(subscribed["status"]["code"], 1, "{subscribed}");
        let id = subscribed["status"]["feed_id"].as_i64().unwrap();
        self.call(json!({"op": "updateFeed", "feed_id": id}));
        id
    }

    /// The id of this user's category `title`, made if needed (the API cannot make one).
    pub fn category(&self, title: &str) -> i64 {
        let owner = format!("(SELECT id FROM ttrss_users WHERE login = '{}')", self.login);
        self.server.sql(&format!(
            "INSERT INTO ttrss_feed_categories (owner_uid, title) SELECT {owner}, '{title}'
             WHERE NOT EXISTS (SELECT 1 FROM ttrss_feed_categories WHERE owner_uid = {owner} AND title = '{title}')"
        ));
        let id = self
            .server
            .sql(&format!("SELECT id FROM ttrss_feed_categories WHERE owner_uid = {owner} AND title = '{title}'"));
        id.parse().unwrap()
    }

    /// The feeds this user is subscribed to: (title, url, category id).
    pub fn feeds(&self) -> Vec<(String, String, i64)> {
        let feeds = self.call(json!({"op": "getFeeds", "cat_id": -3}));
        let each = feeds.as_array().unwrap().iter().map(|f| {
            let text = |k: &str| f[k].as_str().unwrap().to_owned();
            (text("title"), text("feed_url"), f["cat_id"].as_i64().unwrap())
        });
        each.collect()
    }

    /// A feed of `n` articles written to the feed server: its address there.
    pub fn write_feed(&self, name: &str, n: usize) -> String {
        let items: String = (0..n)
            .map(|i| {
                format!(
                    "<item><title>{name} story {i}</title><link>http://example.org/{name}/{i}</link>\
                     <guid>urn:{run}:{name}:{i}</guid><pubDate>Mon, 07 Dec 2026 {h:02}:{m:02}:00 GMT</pubDate>\
                     <description>&lt;p&gt;The {name} body {i}, zanzibar words.&lt;/p&gt;</description></item>",
                    run = self.run,
                    h = i / 60 % 24,
                    m = i % 60,
                )
            })
            .collect();
        let file = format!("{}-{name}.xml", self.run);
        let rss = format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name} news</title>\
             <link>http://example.org/</link>{items}</channel></rss>"
        );
        std::fs::write(self.server.feeds_dir.join(&file), rss).unwrap();
        format!("{}{file}", self.server.feeds_url)
    }

    /// The server's articles of this user: (id, title, unread, starred).
    pub fn articles(&self) -> Vec<(i64, String, bool, bool)> {
        let mut all = Vec::new();
        loop {
            let page = self.call(json!({"op": "getHeadlines", "feed_id": -4, "limit": 200, "skip": all.len()}));
            let page = page.as_array().unwrap();
            all.extend(page.iter().map(|h| {
                let title = h["title"].as_str().unwrap().to_owned();
                (h["id"].as_i64().unwrap(), title, h["unread"].as_bool().unwrap(), h["marked"].as_bool().unwrap())
            }));
            if page.len() < 200 {
                return all;
            }
        }
    }

    pub fn id_of(&self, title: &str) -> i64 {
        self.articles().into_iter().find(|a| a.1 == title).unwrap().0
    }
}
