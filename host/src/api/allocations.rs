//! `/v1/allocations`: allocate a game server, as Agones' GameServerAllocation.

use super::error::{ApiResult, Json};
use super::placement::{Placed, place, relayed};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gamehost_daemon::{Allocation, AllocationRequest, Daemon};

/// Allocates the best matching game server; 409 `NO_CAPACITY` when none
/// matches. In a cluster, the hosts are tried in the order the request's
/// `scheduling` gives (`Packed`: the host with the most Allocated game
/// servers first; `Distributed`: the fewest), each with a Ready game server.
#[utoipa::path(post, path = "/v1/allocations", tag = "allocation", request_body = AllocationRequest,
    responses((status = 201, body = Allocation), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn allocate(
    State(daemon): State<Daemon>,
    headers: HeaderMap,
    Json(request): Json<AllocationRequest>,
) -> ApiResult<Response> {
    let scheduling = Some(request.scheduling);
    let here = async || daemon.allocate(request.clone()).await;
    let placed = place(
        &daemon,
        &headers,
        "/v1/allocations",
        &request,
        scheduling,
        here,
    )
    .await?;
    Ok(match placed {
        Placed::Here(allocation) => (StatusCode::CREATED, Json(allocation)).into_response(),
        Placed::There(status, answer) => relayed(status, answer),
    })
}
