//! `/healthz` and `/metrics`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use gamehost_daemon::Daemon;
use serde::Serialize;

/// The health answer.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`.
    status: &'static str,
}

/// Whether the daemon answers; needs no token.
#[utoipa::path(get, path = "/healthz", tag = "system", responses((status = 200, body = Health)))]
pub async fn healthz() -> super::error::Json<Health> {
    super::error::Json(Health { status: "ok" })
}

/// Metrics in the Prometheus text format.
#[utoipa::path(get, path = "/metrics", tag = "system",
    responses((status = 200, content_type = "text/plain", body = String)))]
pub async fn metrics(State(daemon): State<Daemon>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        daemon.render_metrics(),
    )
}
