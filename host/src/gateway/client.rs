//! The browser client of the example game mode (Arena), served at `/play`:
//! it finds or starts a match of the fleet `arena`, reserves a player
//! session and plays over the gateway's WebSocket.

use super::Gateway;
use axum::Router;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;

const PAGE: &str = include_str!("client/play.html");
const SCRIPT: &str = include_str!("client/play.js");

/// The client's routes: the page and its script.
pub(super) fn routes() -> Router<Gateway> {
    Router::new()
        .route("/play", get(page))
        .route("/play/play.js", get(script))
}

async fn page() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], PAGE)
}

async fn script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
}
