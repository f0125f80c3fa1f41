//! A feed server that misbehaves, played by a loopback server: each fault gets a message
//! that says what went wrong, and never shows the password.

use std::time::Duration;

use kiosque::http::{Http, HttpSettings};
use kiosque::sync::{self, Server, ServerKind, Settings, password};
use serde_json::json;
use wiremock::matchers::{body_partial_json, method};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PASSWORD: &str = "hunter2-secret";

fn settings(server: &MockServer) -> (Settings, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("password");
    std::fs::write(&file, PASSWORD).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let url = url::Url::parse(&server.uri()).unwrap();
    (
        Settings {
            kind: ServerKind::Ttrss,
            url,
            user: "ana".to_owned(),
            password: password::From::File(file),
            name: None,
        },
        dir,
    )
}

fn http(timeout: Duration) -> Http {
    Http::new(HttpSettings { timeout, ..HttpSettings::default() }).unwrap()
}

async fn answer(server: &MockServer, op: &str, response: ResponseTemplate) {
    Mock::given(method("POST")).and(body_partial_json(json!({"op": op}))).respond_with(response).mount(server).await;
}

fn ok(content: serde_json::Value) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"seq": 0, "status": 0, "content": content}))
}

fn error(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"seq": 0, "status": 1, "content": {"error": name}}))
}

/// What `hello`, then `feeds`, say against a server set up by `setup`.
fn run(setup: impl AsyncFnOnce(&MockServer), timeout: Duration) -> String {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let server = MockServer::start().await;
        setup(&server).await;
        let (settings, _dir) = settings(&server);
        let mut client = sync::connect(&settings, http(timeout)).unwrap();
        let result = match client.hello().await {
            Ok(_) => client.feeds(&[]).await.map(|feeds| format!("{} feeds", feeds.len())),
            Err(e) => Err(e),
        };
        let said = match result {
            Ok(fine) => fine,
            Err(e) => e.to_string(),
        };
        assert!(!said.contains(PASSWORD), "the password is never shown: {said}");
        said
    })
}

fn logged_in() -> ResponseTemplate {
    ok(json!({"session_id": "s1", "api_level": 15}))
}

#[test]
fn a_page_that_is_not_the_api_is_told_so() {
    let said = run(
        async |s| {
            Mock::given(method("POST"))
                .respond_with(ResponseTemplate::new(200).set_body_raw("<html>Welcome</html>", "text/html"))
                .mount(s)
                .await
        },
        Duration::from_secs(5),
    );
    assert!(said.contains("not a Tiny Tiny RSS API (its answer to login is not JSON"), "{said}");
}

#[test]
fn a_server_error_names_its_status() {
    let said = run(async |s| answer(s, "login", ResponseTemplate::new(500)).await, Duration::from_secs(5));
    assert!(said.contains("HTTP 500 Internal Server Error"), "{said}");
}

#[test]
fn malformed_json_midway_is_told_with_the_call() {
    let said = run(
        async |s| {
            answer(s, "login", logged_in()).await;
            answer(s, "getVersion", ok(json!({"version": "21"}))).await;
            answer(s, "getFeeds", ResponseTemplate::new(200).set_body_raw("{\"status\":0,\"content\":[{", "text/json"))
                .await;
        },
        Duration::from_secs(5),
    );
    assert!(said.contains("not a Tiny Tiny RSS API (its answer to getFeeds is not JSON: EOF"), "{said}");
}

#[test]
fn a_session_lost_twice_in_a_row_fails_after_one_new_login() {
    let said = run(
        async |s| {
            answer(s, "login", logged_in()).await;
            answer(s, "getVersion", ok(json!({"version": "21"}))).await;
            answer(s, "getFeeds", error("NOT_LOGGED_IN")).await;
        },
        Duration::from_secs(5),
    );
    assert!(said.contains("logged in again, and the server still says the session is not logged in"), "{said}");
}

#[test]
fn a_slow_server_times_out() {
    let said =
        run(async |s| answer(s, "login", logged_in().set_delay(Duration::from_secs(3))).await, Duration::from_secs(1));
    assert!(said.ends_with("timed out"), "{said}");
}

#[test]
fn a_refusal_is_told_with_the_call_that_was_refused() {
    let said = run(
        async |s| {
            answer(s, "login", logged_in()).await;
            answer(s, "getVersion", error("UNKNOWN_METHOD")).await;
        },
        Duration::from_secs(5),
    );
    assert!(said.ends_with("getVersion failed: UNKNOWN_METHOD"), "{said}");
}
