//! One HTTP client for everything kiosque fetches, with its politeness rules: only http
//! and https (redirects included), timeouts, a size cap, compressed transfers, conditional
//! GET, a cap on requests at once (overall and per host), and backoff on 429/503 that
//! honours `Retry-After`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::header::{self, HeaderMap, HeaderValue};
use reqwest::{StatusCode, redirect};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use url::Url;

mod held;
pub use held::{BOUND, Budget};

/// How the client behaves; `config` fills it from the user's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpSettings {
    pub timeout: Duration,
    /// Requests at once, over all hosts.
    pub concurrency: usize,
    /// Requests at once to one host.
    pub per_host: usize,
    pub max_bytes: usize,
    /// The longest a fetch waits, over all the 429/503 answers it gets, before giving up.
    pub max_retry_wait: Duration,
}

impl Default for HttpSettings {
    fn default() -> Self {
        HttpSettings {
            timeout: Duration::from_secs(20),
            concurrency: 16,
            per_host: 2,
            max_bytes: 20 * 1024 * 1024,
            max_retry_wait: Duration::from_secs(30),
        }
    }
}

/// What a server said about a response's version, sent back on the next fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

#[derive(Debug)]
pub enum Fetched {
    NotModified,
    Body(Box<Body>),
}

#[derive(Debug)]
pub struct Body {
    pub bytes: Vec<u8>,
    /// Where the content came from after redirects.
    pub url: Url,
    pub content_type: Option<String>,
    pub charset: Option<String>,
    pub validators: Validators,
    pub headers: HeaderMap,
    /// Its room in the budget it was read under, if any: given back with the body.
    _held: Option<held::Held>,
}

impl Body {
    /// A response header, when it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", crate::wording::shorten(.url, crate::wording::URL_SHOWN))]
pub struct HttpError {
    pub url: String,
    pub kind: HttpErrorKind,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HttpErrorKind {
    #[error("not a valid URL ({0})")]
    BadUrl(String),
    #[error("only http and https links are fetched")]
    Scheme,
    #[error("timed out")]
    Timeout,
    #[error("cannot connect ({0})")]
    Connect(String),
    /// `reason`: the code and its canonical reason, as "404 Not Found".
    #[error("HTTP {reason}")]
    Status { code: u16, reason: String },
    #[error("rate limited (HTTP {status}), asked to wait {wait_secs} s")]
    RateLimited { status: u16, wait_secs: u64 },
    #[error("larger than {0} bytes")]
    TooLarge(usize),
    #[error("too many redirects or a redirect loop")]
    Redirects,
    #[error("{0}")]
    Other(String),
}

impl HttpErrorKind {
    /// The network itself is unreachable, as opposed to a server answering badly.
    pub fn is_network(&self) -> bool {
        matches!(self, HttpErrorKind::Connect(_) | HttpErrorKind::Timeout)
    }
}

const MAX_REDIRECTS: usize = 10;
const MAX_ATTEMPTS: u32 = 3;

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    /// For guesses (`probe`): redirects stay on the host asked. Made on first use.
    probe_client: Arc<std::sync::OnceLock<reqwest::Client>>,
    settings: Arc<HttpSettings>,
    global: Arc<Semaphore>,
    hosts: Arc<Mutex<HashMap<String, Arc<Semaphore>>>>,
}

impl Http {
    pub fn new(settings: HttpSettings) -> Result<Http, String> {
        let client =
            client(&settings, false).map_err(|e| format!("cannot start the HTTP client: {}", innermost(&e)))?;
        Ok(Http {
            client,
            probe_client: Arc::default(),
            global: Arc::new(Semaphore::new(settings.concurrency.max(1))),
            hosts: Arc::default(),
            settings: Arc::new(settings),
        })
    }

    /// Requests under way at once, at most.
    pub fn concurrency(&self) -> usize {
        self.settings.concurrency.max(1)
    }

    /// GETs `url` without validators: a 304 to such a request is the server's error.
    pub async fn get(&self, url: &str) -> Result<Body, HttpError> {
        match self.fetch(url, &Validators::default()).await? {
            Fetched::Body(body) => Ok(*body),
            Fetched::NotModified => Err(HttpError {
                url: url.to_owned(),
                kind: HttpErrorKind::Status { code: 304, reason: "304 Not Modified to a first request".to_owned() },
            }),
        }
    }

    /// GETs `url`, sending `validators` so an unchanged resource answers 304.
    pub async fn fetch(&self, url: &str, validators: &Validators) -> Result<Fetched, HttpError> {
        self.request(url, validators, None).await
    }

    /// `fetch`, its body read within `budget`, which it holds room in until dropped.
    pub async fn fetch_within(
        &self,
        url: &str,
        validators: &Validators,
        budget: &Arc<Budget>,
    ) -> Result<Fetched, HttpError> {
        self.request(url, validators, Some(budget)).await
    }

    async fn request(
        &self,
        url: &str,
        validators: &Validators,
        budget: Option<&Arc<Budget>>,
    ) -> Result<Fetched, HttpError> {
        let fail = |kind| HttpError { url: url.to_owned(), kind };
        let parsed = checked_url(url).map_err(fail)?;
        let host = parsed.host_str().unwrap_or_default().to_owned();
        let _global = Arc::clone(&self.global).acquire_owned().await.expect("never closed");
        let (mut attempt, mut waited) = (0, Duration::ZERO);
        loop {
            attempt += 1;
            let host_permit = self.host_permit(&host).await;
            let response = self.send(&parsed, validators).await.map_err(|e| fail(kind_of(&e)))?;
            let status = response.status();
            if status == StatusCode::NOT_MODIFIED {
                return Ok(Fetched::NotModified);
            }
            if status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE {
                let wait = retry_after(response.headers()).unwrap_or(Duration::from_secs(1 << attempt));
                // The waits of one fetch, together, stay within the longest one allowed.
                if attempt >= MAX_ATTEMPTS || waited + wait > self.settings.max_retry_wait {
                    return Err(fail(HttpErrorKind::RateLimited {
                        status: status.as_u16(),
                        wait_secs: wait.as_secs(),
                    }));
                }
                drop(host_permit);
                tracing::info!(url = %crate::wording::shorten(url, crate::wording::URL_SHOWN), ?wait, "backing off");
                tokio::time::sleep(wait).await;
                waited += wait;
                continue;
            }
            if status.is_redirection() {
                // reqwest hands back, unfollowed, a redirect to a scheme it cannot fetch.
                let location = response.headers().get(header::LOCATION).map(|v| v.to_str().map(|l| parsed.join(l)));
                return Err(fail(match location {
                    Some(Ok(Ok(target))) if is_web(&target) => HttpErrorKind::Redirects,
                    Some(Ok(Ok(_))) => HttpErrorKind::Scheme,
                    Some(Ok(Err(e))) => {
                        HttpErrorKind::BadUrl(format!("a redirect to an address that does not parse: {e}"))
                    }
                    Some(Err(_)) | None => HttpErrorKind::BadUrl("a redirect without a readable Location".to_owned()),
                }));
            }
            if !status.is_success() {
                return Err(fail(status_error(status)));
            }
            return self.read_body(response, budget).await.map(|b| Fetched::Body(Box::new(b))).map_err(fail);
        }
    }

    /// GETs `url` once, as a guess: within `timeout`, without retrying, and without
    /// following a redirect off its host.
    pub async fn probe(&self, url: &Url, timeout: Duration) -> Result<Body, HttpError> {
        let fail = |kind| HttpError { url: url.to_string(), kind };
        let url = checked_url(url.as_str()).map_err(fail)?;
        let client = match self.probe_client.get() {
            Some(client) => client,
            None => {
                let client = client(&self.settings, true).map_err(|e| fail(HttpErrorKind::Other(innermost(&e))))?;
                self.probe_client.get_or_init(|| client)
            }
        };
        let _global = Arc::clone(&self.global).acquire_owned().await.expect("never closed");
        let _host = self.host_permit(url.host_str().unwrap_or_default()).await;
        let response = client.get(url.clone()).timeout(timeout).send().await.map_err(|e| fail(kind_of(&e)))?;
        let status = response.status();
        if status.is_redirection() {
            return Err(fail(HttpErrorKind::Redirects));
        }
        if !status.is_success() {
            return Err(fail(status_error(status)));
        }
        self.read_body(response, None).await.map_err(fail)
    }

    /// A call to a feed server's API: POSTs `body` (its media type, its bytes) when given,
    /// else GETs, with `headers` added. Once, without waiting on a 429: the sync that
    /// calls keeps what it has not sent for the next round.
    pub async fn call(
        &self,
        url: &str,
        body: Option<(&str, Vec<u8>)>,
        headers: &[(&str, &str)],
    ) -> Result<Body, HttpError> {
        let fail = |kind| HttpError { url: url.to_owned(), kind };
        let parsed = checked_url(url).map_err(fail)?;
        let _global = Arc::clone(&self.global).acquire_owned().await.expect("never closed");
        let _host = self.host_permit(parsed.host_str().unwrap_or_default()).await;
        let mut request = match body {
            Some((media_type, bytes)) => self.client.post(parsed).header(header::CONTENT_TYPE, media_type).body(bytes),
            None => self.client.get(parsed),
        };
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.map_err(|e| fail(kind_of(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(fail(status_error(status)));
        }
        self.read_body(response, None).await.map_err(fail)
    }

    async fn send(&self, url: &Url, validators: &Validators) -> reqwest::Result<reqwest::Response> {
        let mut request = self.client.get(url.clone());
        if let Some(etag) = &validators.etag {
            request = request.header(header::IF_NONE_MATCH, etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header(header::IF_MODIFIED_SINCE, date);
        }
        request.send().await
    }

    async fn host_permit(&self, host: &str) -> OwnedSemaphorePermit {
        let semaphore = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            let per_host = self.settings.per_host.max(1);
            Arc::clone(hosts.entry(host.to_owned()).or_insert_with(|| Arc::new(Semaphore::new(per_host))))
        };
        semaphore.acquire_owned().await.expect("never closed")
    }

    async fn read_body(
        &self,
        mut response: reqwest::Response,
        budget: Option<&Arc<Budget>>,
    ) -> Result<Body, HttpErrorKind> {
        let limit = self.settings.max_bytes;
        let length = response.content_length().unwrap_or(0);
        if length > limit as u64 {
            return Err(HttpErrorKind::TooLarge(limit));
        }
        let headers = response.headers();
        let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok()).map(str::to_owned);
        let content_type = text(header::CONTENT_TYPE);
        let validators = Validators { etag: text(header::ETAG), last_modified: text(header::LAST_MODIFIED) };
        let url = response.url().clone();
        let headers = headers.clone();
        // Reserved, not yet used: a body grown by doubling would hold up to twice its size.
        let mut bytes = Vec::with_capacity(length as usize);
        let mut held = budget.map(Budget::start);
        while let Some(chunk) = response.chunk().await.map_err(|e| kind_of(&e))? {
            if bytes.len() + chunk.len() > limit {
                return Err(HttpErrorKind::TooLarge(limit));
            }
            if let Some(held) = &mut held {
                held.grow(chunk.len()).await;
            }
            bytes.extend_from_slice(&chunk);
        }
        let charset = content_type.as_deref().and_then(charset_of);
        Ok(Body { bytes, url, content_type, charset, validators, headers, _held: held })
    }
}

/// A client with kiosque's name, accepted types and timeouts, following redirects to
/// http and https only; with `stay_on_host`, not off the host first asked either (the
/// redirect is then handed back unfollowed).
fn client(settings: &HttpSettings, stay_on_host: bool) -> reqwest::Result<reqwest::Client> {
    let policy = redirect::Policy::custom(move |attempt| {
        let origin = |u: &Url| (u.host_str().map(str::to_owned), u.port_or_known_default());
        let leaves =
            stay_on_host && attempt.previous().first().is_some_and(|first| origin(first) != origin(attempt.url()));
        if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if !is_web(attempt.url()) {
            attempt.error("redirect to a link that is not http or https")
        } else if leaves {
            attempt.stop()
        } else {
            attempt.follow()
        }
    });
    let mut headers = HeaderMap::new();
    headers.insert(
        header::ACCEPT,
        HeaderValue::from_static(
            "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, \
             text/xml;q=0.9, text/html;q=0.8, */*;q=0.5",
        ),
    );
    reqwest::Client::builder()
        .user_agent(concat!("kiosque/", env!("CARGO_PKG_VERSION")))
        .default_headers(headers)
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
        .redirect(policy)
        .build()
}

/// An answer that is not a success, as "HTTP 404 Not Found".
fn status_error(status: StatusCode) -> HttpErrorKind {
    let reason = match status.canonical_reason() {
        Some(reason) => format!("{} {reason}", status.as_u16()),
        None => status.as_u16().to_string(),
    };
    HttpErrorKind::Status { code: status.as_u16(), reason }
}

/// Parses `url`, accepting only http and https.
pub fn checked_url(url: &str) -> Result<Url, HttpErrorKind> {
    let parsed = Url::parse(url.trim()).map_err(|e| HttpErrorKind::BadUrl(e.to_string()))?;
    if !is_web(&parsed) {
        return Err(HttpErrorKind::Scheme);
    }
    Ok(parsed)
}

/// The one URL policy: kiosque fetches, stores, prints and opens http and https links,
/// and no other (`javascript:`, `file:`, `data:`). Links from feeds, APIs, pages, OPML
/// and the config go through here, `checked_url` or `web_link`.
pub fn is_web(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

/// A link as a feed, an API or a page gives it, resolved against `base`; `None`, said in
/// the log, for any other scheme.
pub fn web_link(base: &Url, href: &str) -> Option<Url> {
    let url = base.join(href.trim()).ok()?;
    if !is_web(&url) {
        tracing::debug!(scheme = url.scheme(), "a link left out: only http and https links are kept");
        return None;
    }
    Some(url)
}

/// `charset=…` of a Content-Type value.
fn charset_of(content_type: &str) -> Option<String> {
    content_type.split(';').skip(1).find_map(|param| {
        let (name, value) = param.split_once('=')?;
        name.trim().eq_ignore_ascii_case("charset").then(|| value.trim().trim_matches('"').to_owned())
    })
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let secs = (date.timestamp() - chrono::Utc::now().timestamp()).max(0);
    Some(Duration::from_secs(secs as u64))
}

fn kind_of(e: &reqwest::Error) -> HttpErrorKind {
    if e.is_timeout() {
        HttpErrorKind::Timeout
    } else if e.is_redirect() {
        let detail = innermost(e);
        if detail.contains("http or https") { HttpErrorKind::Scheme } else { HttpErrorKind::Redirects }
    } else if e.is_connect() {
        HttpErrorKind::Connect(innermost(e))
    } else {
        HttpErrorKind::Other(innermost(e))
    }
}

/// The deepest cause of an error: "connection refused" rather than "error sending request".
fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut current = e;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_http_and_https_are_accepted() {
        assert!(checked_url("https://42mag.fr/feed/").is_ok());
        assert_eq!(checked_url("file:///etc/passwd").unwrap_err(), HttpErrorKind::Scheme);
        assert!(matches!(checked_url("not a url").unwrap_err(), HttpErrorKind::BadUrl(_)));
    }

    #[test]
    fn charset_comes_from_the_content_type() {
        assert_eq!(charset_of("text/xml; charset=\"ISO-8859-1\"").as_deref(), Some("ISO-8859-1"));
        assert_eq!(charset_of("application/rss+xml"), None);
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("7"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(header::RETRY_AFTER, HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(retry_after(&headers), Some(Duration::ZERO));
    }
}
