//! The browser clients the gateway serves: Arena's, at `/play`, which finds
//! or starts a match of the fleet `arena`, reserves a player session and
//! plays over the gateway's WebSocket; and a player of any game mode, at
//! `/play/messages?fleet=NAME`, which does the same and shows the messages
//! as text (what `gamehost dev` offers to play with).

use super::Gateway;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const PAGE: &str = include_str!("client/play.html");
const SCRIPT: &str = include_str!("client/play.js");
const MESSAGES_PAGE: &str = include_str!("client/messages.html");
const MESSAGES_SCRIPT: &str = include_str!("client/messages.js");
const JOIN_SCRIPT: &str = include_str!("client/join.js");

/// The clients' routes: their pages and scripts.
pub(super) fn routes() -> Router<Gateway> {
    Router::new()
        .route("/play", get(|| page(PAGE)))
        .route("/play/play.js", get(|| script(SCRIPT)))
        .route("/play/messages", get(|| page(MESSAGES_PAGE)))
        .route("/play/messages.js", get(|| script(MESSAGES_SCRIPT)))
        .route("/play/join.js", get(|| script(JOIN_SCRIPT)))
}

async fn page(html: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html)
}

async fn script(js: &'static str) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        js,
    )
}
