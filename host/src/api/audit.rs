//! The audit log over HTTP: every change (a request other than GET, HEAD or
//! OPTIONS) is recorded with its caller, route, path and status, refused
//! ones included, by the host that carried it out (not again by a host
//! that forwarded it); `GET /v1/audit` pages through what is kept.

use super::auth::{ANONYMOUS, Caller};
use super::error::{ApiResult, Json, Query};
use crate::peers::Relayed;
use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use gamehost_daemon::{AuditPage, AuditRecord, Daemon, MAX_AUDIT_PAGE, UNAUTHENTICATED};
use serde::Deserialize;

/// Records each change with its answer's status.
pub async fn record(State(daemon): State<Daemon>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    if matches!(method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(request).await;
    }
    let resource = request.uri().path().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| resource.clone(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    if response.extensions().get::<Relayed>().is_some() {
        // The host that carried it out recorded it.
        return response;
    }
    let who = match response.extensions().get::<Caller>() {
        Some(caller) => caller.0.to_string(),
        None if response.status() == axum::http::StatusCode::UNAUTHORIZED => {
            UNAUTHENTICATED.to_owned()
        }
        None => ANONYMOUS.to_owned(),
    };
    daemon.audit(AuditRecord {
        who,
        action: format!("{method} {route}"),
        resource,
        status: response.status().as_u16(),
    });
    response
}

/// Where a page of the audit log starts.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditParams {
    /// The entries after this one (0 when absent: from the oldest kept).
    #[serde(default)]
    after: u64,
    /// At most this many (100 when absent; at most 500).
    limit: Option<usize>,
}

/// The audit log, oldest first: each change made through the control plane
/// and GameLift's API, who made it and how it was answered. Needs `admin`.
#[utoipa::path(get, path = "/v1/audit", tag = "system", params(AuditParams),
    responses((status = 200, body = AuditPage), (status = 403, body = super::ErrorBody)))]
pub async fn page(
    State(daemon): State<Daemon>,
    Query(params): Query<AuditParams>,
) -> ApiResult<Json<AuditPage>> {
    let limit = params.limit.unwrap_or(100).min(MAX_AUDIT_PAGE);
    Ok(Json(daemon.audit_page(params.after, limit)))
}
