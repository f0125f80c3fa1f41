//! The HTTP client's rules against a loopback server: size cap, backoff on 429/503 with
//! Retry-After, redirects (only http/https, no loops), conditional GET, timeouts, and the
//! per-host cap. Timings are only lower bounds: a cap that works cannot be faster.

use std::time::{Duration, Instant};

use kiosque::http::{Fetched, Http, HttpErrorKind, HttpSettings, Validators};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(settings: HttpSettings) -> Http {
    Http::new(settings).unwrap()
}

fn body(fetched: Fetched) -> Vec<u8> {
    match fetched {
        Fetched::Body(body) => body.bytes,
        Fetched::NotModified => panic!("expected a body"),
    }
}

async fn serve(server: &MockServer, at: &str, response: ResponseTemplate) {
    Mock::given(method("GET")).and(path(at)).respond_with(response).mount(server).await;
}

#[tokio::test]
async fn a_body_over_the_cap_is_refused() {
    let server = MockServer::start().await;
    serve(&server, "/huge", ResponseTemplate::new(200).set_body_bytes(vec![b'x'; 300_000])).await;
    let http = client(HttpSettings { max_bytes: 100_000, ..HttpSettings::default() });
    let err = http.fetch(&format!("{}/huge", server.uri()), &Validators::default()).await.unwrap_err();
    assert_eq!(err.kind, HttpErrorKind::TooLarge(100_000));
    assert!(err.to_string().ends_with("/huge: larger than 100000 bytes"), "{err}");
}

#[tokio::test]
async fn rate_limits_are_waited_out_as_retry_after_asks() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/busy"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    serve(&server, "/busy", ResponseTemplate::new(200).set_body_string("fine")).await;
    let started = Instant::now();
    let fetched =
        client(HttpSettings::default()).fetch(&format!("{}/busy", server.uri()), &Validators::default()).await;
    assert_eq!(body(fetched.unwrap()), b"fine");
    assert!(started.elapsed() >= Duration::from_secs(1), "waited as asked");
}

/// Regression: each wait was checked alone, so waits that were each allowed added up
/// past a minute for one fetch.
#[tokio::test]
async fn the_waits_of_one_fetch_add_up_to_no_more_than_allowed() {
    let server = MockServer::start().await;
    serve(&server, "/busy", ResponseTemplate::new(503).insert_header("Retry-After", "1")).await;
    let settings = HttpSettings { max_retry_wait: Duration::from_millis(1_500), ..HttpSettings::default() };
    let started = Instant::now();
    let err = client(settings).fetch(&format!("{}/busy", server.uri()), &Validators::default()).await.unwrap_err();
    assert_eq!(err.kind, HttpErrorKind::RateLimited { status: 503, wait_secs: 1 });
    let took = started.elapsed();
    assert!(took >= Duration::from_secs(1) && took < Duration::from_secs(2), "one wait of 1 s, not two: {took:?}");
}

#[tokio::test]
async fn a_wait_longer_than_allowed_gives_up_at_once_with_the_reason() {
    let server = MockServer::start().await;
    serve(&server, "/down", ResponseTemplate::new(503).insert_header("Retry-After", "3600")).await;
    let started = Instant::now();
    let err = client(HttpSettings::default())
        .fetch(&format!("{}/down", server.uri()), &Validators::default())
        .await
        .unwrap_err();
    assert_eq!(err.kind, HttpErrorKind::RateLimited { status: 503, wait_secs: 3600 });
    assert!(started.elapsed() < Duration::from_secs(30), "did not wait an hour");
}

#[tokio::test]
async fn redirects_to_other_schemes_and_loops_are_refused() {
    let server = MockServer::start().await;
    serve(&server, "/to-file", ResponseTemplate::new(302).insert_header("Location", "file:///etc/passwd")).await;
    serve(&server, "/a", ResponseTemplate::new(302).insert_header("Location", "/b")).await;
    serve(&server, "/b", ResponseTemplate::new(302).insert_header("Location", "/a")).await;
    serve(&server, "/moved", ResponseTemplate::new(301).insert_header("Location", "/here")).await;
    serve(&server, "/here", ResponseTemplate::new(200).set_body_string("here")).await;
    serve(&server, "/garbled", ResponseTemplate::new(302).insert_header("Location", "http://[::1")).await;
    let http = client(HttpSettings::default());
    let none = Validators::default();
    let url = |p: &str| format!("{}{p}", server.uri());
    assert_eq!(http.fetch(&url("/to-file"), &none).await.unwrap_err().kind, HttpErrorKind::Scheme);
    assert_eq!(http.fetch(&url("/a"), &none).await.unwrap_err().kind, HttpErrorKind::Redirects);
    // Regression: an address that does not parse was reported as another scheme.
    let garbled = http.fetch(&url("/garbled"), &none).await.unwrap_err();
    assert!(matches!(&garbled.kind, HttpErrorKind::BadUrl(why) if why.contains("redirect")), "{garbled}");
    let long = format!("{}/{}", server.uri(), "x".repeat(1 << 20));
    let said = http.fetch(&long, &none).await.unwrap_err().to_string();
    assert!(said.len() < 1_000, "a 1 MB address is not echoed whole: {} bytes", said.len());
    match http.fetch(&url("/moved"), &none).await.unwrap() {
        Fetched::Body(body) => assert_eq!((body.url.path(), body.bytes.as_slice()), ("/here", &b"here"[..])),
        Fetched::NotModified => panic!("expected the page"),
    }
}

#[tokio::test]
async fn validators_make_an_unchanged_resource_answer_not_modified() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/feed"))
        .and(header("If-None-Match", "\"v1\""))
        .respond_with(ResponseTemplate::new(304))
        .mount(&server)
        .await;
    serve(
        &server,
        "/feed",
        ResponseTemplate::new(200)
            .insert_header("ETag", "\"v1\"")
            .insert_header("Last-Modified", "Fri, 28 Nov 2025 13:05:00 GMT")
            .set_body_string("<rss/>"),
    )
    .await;
    let http = client(HttpSettings::default());
    let url = format!("{}/feed", server.uri());
    let first = match http.fetch(&url, &Validators::default()).await.unwrap() {
        Fetched::Body(body) => body.validators,
        Fetched::NotModified => panic!("first fetch has no validators to send"),
    };
    assert_eq!(first.etag.as_deref(), Some("\"v1\""));
    assert_eq!(first.last_modified.as_deref(), Some("Fri, 28 Nov 2025 13:05:00 GMT"));
    assert!(matches!(http.fetch(&url, &first).await.unwrap(), Fetched::NotModified));
}

#[tokio::test]
async fn slow_servers_time_out_and_closed_ports_are_network_errors() {
    let server = MockServer::start().await;
    serve(&server, "/slow", ResponseTemplate::new(200).set_delay(Duration::from_secs(5))).await;
    let http = client(HttpSettings { timeout: Duration::from_millis(500), ..HttpSettings::default() });
    let err = http.fetch(&format!("{}/slow", server.uri()), &Validators::default()).await.unwrap_err();
    assert_eq!(err.kind, HttpErrorKind::Timeout);
    assert!(err.kind.is_network());

    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let err = http.fetch(&format!("http://{closed}/feed"), &Validators::default()).await.unwrap_err();
    assert!(matches!(err.kind, HttpErrorKind::Connect(_)), "{err}");
    assert!(err.kind.is_network());
    assert!(err.to_string().contains("cannot connect"), "{err}");
}

#[tokio::test]
async fn no_more_than_per_host_requests_run_at_once() {
    let server = MockServer::start().await;
    serve(&server, "/slow", ResponseTemplate::new(200).set_delay(Duration::from_millis(300))).await;
    let http = client(HttpSettings { per_host: 2, ..HttpSettings::default() });
    let url = format!("{}/slow", server.uri());
    let started = Instant::now();
    let fetches = (0..6).map(|_| {
        let (http, url) = (http.clone(), url.clone());
        tokio::spawn(async move { http.fetch(&url, &Validators::default()).await.is_ok() })
    });
    for fetch in fetches.collect::<Vec<_>>() {
        assert!(fetch.await.unwrap());
    }
    assert!(started.elapsed() >= Duration::from_millis(900), "6 requests, 2 at a time, 300 ms each");
}
