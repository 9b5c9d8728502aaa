//! `/v1/allocations`: allocate a game server, as Agones' GameServerAllocation.

use super::error::{ApiResult, Json};
use axum::extract::State;
use axum::http::StatusCode;
use gamehost_daemon::{Allocation, AllocationRequest, Daemon};

/// Allocates the best matching game server; 409 `NO_CAPACITY` when none
/// matches.
#[utoipa::path(post, path = "/v1/allocations", tag = "allocation", request_body = AllocationRequest,
    responses((status = 201, body = Allocation), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn allocate(
    State(daemon): State<Daemon>,
    Json(request): Json<AllocationRequest>,
) -> ApiResult<(StatusCode, Json<Allocation>)> {
    Ok((StatusCode::CREATED, Json(daemon.allocate(request).await?)))
}
