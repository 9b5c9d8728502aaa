//! The control plane in process: a daemon started in this test and its
//! router (`gamehost::api::app`) driven one request at a time with
//! `oneshot`, without a socket or a child process.

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use gamehost::api::{ApiLimits, Auth};
use gamehost_daemon::Daemon;
use gamehost_tests::TempDir;
use gamehost_tests::daemon::{DEADLINE, arena_template};
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// A daemon on a data directory of its own, and its router.
struct InProcess {
    router: Router,
    _data_dir: TempDir,
}

impl InProcess {
    async fn start() -> Self {
        let data_dir = gamehost_tests::temp_dir("gamehost-router");
        let config = crate::serving::in_process_config(data_dir.path().to_owned(), "router-test");
        let daemon = Daemon::start(config).await.expect("starting the daemon");
        let router = gamehost::api::app(daemon, Auth::open(), ApiLimits::default());
        Self {
            router,
            _data_dir: data_dir,
        }
    }

    /// Sends one request; returns the status and the JSON body (`Null` when
    /// there is none).
    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Body,
        json: bool,
    ) -> (StatusCode, Value) {
        let mut request = Request::builder().method(method).uri(path);
        if json {
            request = request.header(header::CONTENT_TYPE, "application/json");
        } else {
            request = request.header(header::CONTENT_TYPE, "application/wasm");
        }
        let request = request.body(body).expect("a request");
        let response = self
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("an answer");
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("the body");
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, body)
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, Body::empty(), true).await
    }

    async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Body::from(body.to_string()), true)
            .await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fleet_and_a_match_through_the_router() {
    let app = InProcess::start().await;
    let (status, _) = app.get("/healthz").await;
    assert_eq!(status, StatusCode::OK);

    let bytes = gamehost_guests::read(gamehost_guests::ARENA);
    let (status, module) = app
        .send(
            Method::POST,
            "/v1/modules?name=arena&version=1",
            Body::from(bytes),
            false,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{module}");
    let fleet = json!({
        "name": "arena",
        "module": module["id"],
        "replicas": 1,
        "template": arena_template(json!({})),
    });
    let (status, body) = app.post("/v1/fleets", &fleet).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    let began = Instant::now();
    loop {
        let (_, fleet) = app.get("/v1/fleets/arena").await;
        if fleet["status"]["ready"] == 1 {
            break;
        }
        assert!(
            began.elapsed() < DEADLINE,
            "the fleet never had a Ready game server: {fleet}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let new = json!({"name": "match", "maximumPlayerSessionCount": 2});
    let (status, session) = app.post("/v1/fleets/arena/gamesessions", &new).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let id = session["gameSessionId"].as_str().expect("an id");
    let path = format!("/v1/gamesessions/{id}/playersessions");
    let (status, seats) = app
        .post(&path, &json!({"playerIds": ["alice", "bob"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{seats}");
    let (status, full) = app.post(&path, &json!({"playerId": "carol"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{full}");
    let (status, read) = app.get(&format!("/v1/gamesessions/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(read["gameSessionId"], id, "{read}");
    assert_eq!(read["maximumPlayerSessionCount"], 2, "{read}");
}

#[tokio::test]
async fn refusals_answer_the_one_error_shape() {
    let app = InProcess::start().await;
    let (status, body) = app.get("/v1/gamesessions/gsess-nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(body["error"]["code"], "NOT_FOUND", "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");

    let (status, body) = app
        .send(Method::POST, "/v1/fleets", Body::from("{not json"), true)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");

    let unknown_module = json!({"name": "arena", "module": "nothing@1"});
    let (status, body) = app.post("/v1/fleets", &unknown_module).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn the_browser_clients_pages_and_scripts_are_served_with_their_types() {
    let app = InProcess::start().await;
    let cases = [
        ("/play", "text/html", "/play/play.js"),
        ("/play/play.js", "text/javascript", "/play/join.js"),
        ("/play/messages", "text/html", "/play/messages.js"),
        ("/play/messages.js", "text/javascript", "/play/join.js"),
        ("/play/join.js", "text/javascript", "new WebSocket"),
    ];
    for (path, kind, inside) in cases {
        let request = Request::get(path).body(Body::empty()).expect("a request");
        let response = app
            .router
            .clone()
            .oneshot(request)
            .await
            .expect("an answer");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let content_type = response.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("a text header")
            .to_owned();
        assert!(content_type.starts_with(kind), "{path}: {content_type}");
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("the body");
        assert!(
            String::from_utf8_lossy(&bytes).contains(inside),
            "{path} holds {inside}"
        );
    }
}
