//! The operator console's side of the daemon: its page and files through
//! the control plane's router in process (served without a token, with
//! their types and Content-Security-Policy, while the API still needs the
//! token), and the two routes it reads that other clients may use too:
//! `/v1/host` and a game server's followed log.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use gamehost::api::{ApiLimits, Auth};
use gamehost_daemon::Daemon;
use gamehost_tests::daemon::DEADLINE;
use serde_json::{Value, json};
use tower::ServiceExt;

async fn in_process(token: &str) -> (axum::Router, gamehost_tests::TempDir) {
    let data_dir = gamehost_tests::temp_dir("gamehost-console");
    let config = crate::serving::in_process_config(data_dir.path().to_owned(), "console-test");
    let daemon = Daemon::start(config).await.expect("starting the daemon");
    let router = gamehost::api::app(daemon, Auth::bearer(token), ApiLimits::default());
    (router, data_dir)
}

async fn fetch(router: &axum::Router, path: &str, token: Option<&str>) -> axum::response::Response {
    let mut request = Request::builder().uri(path);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    let request = request.body(Body::empty()).expect("a request");
    router.clone().oneshot(request).await.expect("an answer")
}

async fn text(response: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("a body");
    String::from_utf8(bytes.to_vec()).expect("UTF-8")
}

#[tokio::test]
async fn the_console_is_served_without_a_token_with_its_types_and_policy() {
    let (router, _data_dir) = in_process("console-secret").await;
    let page = fetch(&router, "/console", None).await;
    assert_eq!(page.status(), StatusCode::OK);
    let policy = page.headers()[header::CONTENT_SECURITY_POLICY]
        .to_str()
        .expect("ASCII")
        .to_owned();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(policy.contains("script-src 'self'"), "{policy}");
    assert!(policy.contains("connect-src 'self'"), "{policy}");
    assert_eq!(
        page.headers()[header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    let html = text(page).await;
    assert!(html.contains(r#"src="/console/app.js""#), "{html}");
    assert!(!html.contains("http://") && !html.contains("https://"));

    // Every file the page and its modules import is served, with its type.
    let mut wanted = vec!["app.js".to_owned(), "console.css".to_owned()];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(file) = wanted.pop() {
        if !seen.insert(file.clone()) {
            continue;
        }
        let response = fetch(&router, &format!("/console/{file}"), None).await;
        assert_eq!(response.status(), StatusCode::OK, "{file}");
        let kind = response.headers()[header::CONTENT_TYPE].clone();
        assert!(
            response
                .headers()
                .contains_key(header::CONTENT_SECURITY_POLICY)
        );
        let body = text(response).await;
        if file.ends_with(".css") {
            assert_eq!(kind, "text/css; charset=utf-8");
            continue;
        }
        assert_eq!(kind, "text/javascript; charset=utf-8", "{file}");
        let folder = file.rsplit_once('/').map_or("", |(dir, _)| dir);
        for import in body.split("from \"").skip(1) {
            let target = import.split('"').next().expect("a path");
            let joined = match (folder, target) {
                ("", t) => t.trim_start_matches("./").to_owned(),
                (_, t) if t.starts_with("../") => t.trim_start_matches("../").to_owned(),
                (dir, t) => format!("{dir}/{}", t.trim_start_matches("./")),
            };
            wanted.push(joined);
        }
    }
    assert!(seen.len() >= 10, "{seen:?}");
    let missing = fetch(&router, "/console/nothing.js", None).await;
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);

    // The calls the console makes still need the token.
    let host = fetch(&router, "/v1/host", None).await;
    assert_eq!(host.status(), StatusCode::UNAUTHORIZED);
    let host = fetch(&router, "/v1/host", Some("console-secret")).await;
    assert_eq!(host.status(), StatusCode::OK);
    let host: Value = serde_json::from_str(&text(host).await).expect("JSON");
    assert_eq!(host["hostId"], "console-test");
    assert_eq!(host["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(host["maxGameServers"], 16);
    assert_eq!(host["runningGameServers"], 0);
    assert_eq!(host["fleets"], 0);
}

#[tokio::test]
async fn a_followed_log_streams_new_lines_until_the_game_server_ends() {
    let daemon = crate::daemon().await;
    let ready = daemon.deploy_arena(1).await;
    let name = ready[0]["objectMeta"]["name"].as_str().expect("a name");

    let host = daemon.get_ok("/v1/host").await;
    assert_eq!(host["runningGameServers"], 1, "{host}");
    assert_eq!(host["gameServersByState"]["Ready"], 1, "{host}");
    assert_eq!(host["fleets"], 1, "{host}");
    assert!(host["uptimeSeconds"].as_u64().is_some(), "{host}");
    let document = daemon.get_ok("/openapi.json").await;
    assert!(document["paths"]["/v1/host"]["get"].is_object());
    let follow = &document["paths"]["/v1/gameservers/{name}/logs/follow"]["get"];
    assert!(follow["responses"]["200"]["content"]["application/x-ndjson"].is_object());

    let (status, _) = daemon.get("/v1/gameservers/nobody/logs/follow").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let response = daemon
        .request(
            reqwest::Method::GET,
            &format!("/v1/gameservers/{name}/logs/follow"),
        )
        .send()
        .await
        .expect("following the log");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        "application/x-ndjson"
    );
    let mut followed = Followed {
        response,
        buffered: Vec::new(),
        seen: Vec::new(),
    };
    followed.until("arena ready").await;
    // A line written after the stream began arrives on it.
    let (status, session) = daemon
        .post(
            "/v1/fleets/arena/gamesessions",
            &json!({"maximumPlayerSessionCount": 2}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    followed.until("match started").await;
    // The stream ends once the game server has, after its last lines.
    let (status, _) = daemon
        .post(&format!("/v1/gameservers/{name}/shutdown"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    while followed.next().await.is_some() {}
    let positions: Vec<u64> = followed
        .seen
        .iter()
        .map(|l| l["seq"].as_u64().expect("a seq"))
        .collect();
    let expected: Vec<u64> = (0..positions.len() as u64).collect();
    assert_eq!(positions, expected, "every line once, in order");
    let stored = daemon.get_ok(&format!("/v1/gameservers/{name}/logs")).await;
    assert_eq!(
        stored["lines"].as_array().map(Vec::len),
        Some(positions.len())
    );
}

/// A followed log being read.
struct Followed {
    response: reqwest::Response,
    buffered: Vec<u8>,
    seen: Vec<Value>,
}

impl Followed {
    /// The next line, or `None` once the stream has ended; fails the test
    /// when neither comes within the deadline.
    async fn next(&mut self) -> Option<Value> {
        loop {
            if let Some(end) = self.buffered.iter().position(|b| *b == b'\n') {
                let line: Value =
                    serde_json::from_slice(&self.buffered[..end]).expect("a JSON line");
                self.buffered.drain(..=end);
                self.seen.push(line.clone());
                return Some(line);
            }
            let chunk = tokio::time::timeout(DEADLINE, self.response.chunk())
                .await
                .expect("a line or the end within the deadline")
                .expect("reading the log");
            self.buffered.extend_from_slice(&chunk?);
        }
    }

    /// Reads lines until one with the message `wanted`.
    async fn until(&mut self, wanted: &str) {
        loop {
            let line = self.next().await;
            let line =
                line.unwrap_or_else(|| panic!("the log ended before {wanted:?}: {:?}", self.seen));
            if line["message"] == wanted {
                return;
            }
        }
    }
}
