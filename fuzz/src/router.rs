//! The daemon's real router (`gamehost::api::app`) over an empty daemon,
//! answering one request at a time.
//!
//! With no module, no fleet and no registered game server, every request
//! that reaches a lookup fails, so the daemon's state stays empty and each
//! input is answered the same way whatever ran before it. The one request
//! that succeeds on an empty daemon, registering a game server into the
//! registry, is left to [`crate::model`], which runs its validation
//! without the store.

use crate::{FuzzRequest, segments};
use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, Uri, header};
use gamehost::api::{ApiLimits, Auth};
use gamehost_daemon::store::StoreLocation;
use gamehost_daemon::{Daemon, DaemonConfig};
use gamehost_model::Endpoint;
use gamehost_runtime::engine::EngineSettings;
use std::sync::LazyLock;
use std::time::Duration;
use tokio::runtime::Runtime;
use tower::ServiceExt;

/// The largest answer read back.
const MAX_ANSWER_BYTES: usize = 4 << 20;

struct App {
    runtime: Runtime,
    router: Router,
}

static APP: LazyLock<App> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let data_dir = std::env::temp_dir().join(format!("gamehost-fuzz-{}", std::process::id()));
    let config = DaemonConfig {
        data_dir: data_dir.clone(),
        host_id: "fuzz".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7070,
        },
        // A handful of slots: the engine never runs a game server here.
        engine: EngineSettings {
            max_instances: 4,
            ..EngineSettings::default()
        },
        retain_ended: 16,
        shutdown_grace: Duration::from_secs(1),
        sdk_http: false,
        tls: false,
        store: StoreLocation::Embedded,
    };
    let daemon = runtime
        .block_on(Daemon::start(config))
        .expect("starting the daemon");
    // The store stays open through its file handle; nothing is left behind
    // when the fuzzer exits.
    let _ = std::fs::remove_dir_all(&data_dir);
    let router = gamehost::api::app(daemon, Auth::open(), ApiLimits::default());
    App { runtime, router }
});

/// Whether a request for `path`, as the router reads it, would register a
/// game server (see the module's documentation).
fn registers(method: &Method, path: &str) -> bool {
    method == Method::POST && matches!(segments(path)[..], ["v1", "registry", _, "gameservers"])
}

/// Whether `path` is the players' gateway (the WebSocket route and the
/// browser client), whose refusals are not the control plane's JSON.
fn for_players(path: &str) -> bool {
    matches!(segments(path)[..], ["play", ..] | ["v1", "play", ..])
}

/// Whether `path` is GameLift's API for the AWS SDKs, whose refusals are
/// AWS JSON errors (`{"__type", "message"}`).
fn for_aws(path: &str) -> bool {
    path == "/"
}

/// Sends `request` through the router and returns the answer's status;
/// panics when the answer is a server error (5xx), or a control-plane
/// refusal without the JSON error body. `None` when the request cannot be
/// sent: not HTTP, or registering a game server.
pub fn send(request: &FuzzRequest) -> Option<StatusCode> {
    let method = Method::from_bytes(request.method.as_bytes()).ok()?;
    let uri = Uri::try_from(request.target).ok()?;
    let path = uri.path().to_owned();
    if registers(&method, &path) {
        return None;
    }
    let http = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(request.body.to_vec()))
        .ok()?;
    let app = &*APP;
    let (status, body) = app.runtime.block_on(async {
        let response = app
            .router
            .clone()
            .oneshot(http)
            .await
            .expect("the router is infallible");
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), MAX_ANSWER_BYTES).await;
        (status, body)
    });
    let body = body.expect("reading the answer");
    assert!(
        !status.is_server_error(),
        "{} {} answered {status}: {}",
        request.method,
        request.target,
        String::from_utf8_lossy(&body)
    );
    if status.is_client_error() && !for_players(&path) {
        let error: serde_json::Value = serde_json::from_slice(&body)
            .unwrap_or_else(|e| panic!("{status} without a JSON error body ({e}): {body:?}"));
        let (code, message) = if for_aws(&path) {
            (&error["__type"], &error["message"])
        } else {
            (&error["error"]["code"], &error["error"]["message"])
        };
        assert!(
            code.is_string() && message.is_string(),
            "{status} answered {error}"
        );
    }
    Some(status)
}
