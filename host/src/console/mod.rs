//! The operator console, served at `/console`: one page and its scripts
//! and style, embedded in the binary (no build step, nothing fetched from
//! elsewhere). The page itself needs no token; every control-plane call it
//! makes sends the token the operator types in, kept in the tab's session
//! storage only.

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

/// What the console's pages may load and run: only its own files, and
/// calls to this host.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
    form-action 'none'; frame-ancestors 'none'";

const PAGE: &str = include_str!("assets/index.html");

/// The console's files under `/console/`, by path.
const ASSETS: &[(&str, &str)] = &[
    ("console.css", include_str!("assets/console.css")),
    ("app.js", include_str!("assets/app.js")),
    ("api.js", include_str!("assets/api.js")),
    ("dom.js", include_str!("assets/dom.js")),
    ("metrics.js", include_str!("assets/metrics.js")),
    ("chart.js", include_str!("assets/chart.js")),
    ("views/hosts.js", include_str!("assets/views/hosts.js")),
    ("views/fleets.js", include_str!("assets/views/fleets.js")),
    ("views/fleet.js", include_str!("assets/views/fleet.js")),
    (
        "views/game_servers.js",
        include_str!("assets/views/game_servers.js"),
    ),
    (
        "views/game_server.js",
        include_str!("assets/views/game_server.js"),
    ),
    (
        "views/sessions.js",
        include_str!("assets/views/sessions.js"),
    ),
    ("views/charts.js", include_str!("assets/views/charts.js")),
];

/// The console's routes: the page at `/console` and its files beneath.
pub fn router() -> Router {
    Router::new()
        .route("/console", get(page))
        .route("/console/", get(page))
        .route("/console/{*path}", get(asset))
}

async fn page() -> Response {
    served("text/html; charset=utf-8", PAGE)
}

async fn asset(Path(path): Path<String>) -> Response {
    let Some((_, body)) = ASSETS.iter().find(|(name, _)| *name == path) else {
        return (StatusCode::NOT_FOUND, "no such file in the console").into_response();
    };
    let kind = if path.ends_with(".css") {
        "text/css; charset=utf-8"
    } else {
        "text/javascript; charset=utf-8"
    };
    served(kind, body)
}

/// A console file with its type and the headers every console answer has.
fn served(kind: &'static str, body: &'static str) -> Response {
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
