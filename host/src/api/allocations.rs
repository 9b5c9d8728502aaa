//! `/v1/allocations`: allocate a game server, as Agones' GameServerAllocation.

use super::error::{ApiResult, Json};
use super::forward;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gamehost_daemon::{Allocation, AllocationRequest, Daemon, DaemonError};

/// Allocates the best matching game server; 409 `NO_CAPACITY` when none
/// matches. In a cluster, a host where none matches forwards the request
/// to a host with Ready game servers.
#[utoipa::path(post, path = "/v1/allocations", tag = "allocation", request_body = AllocationRequest,
    responses((status = 201, body = Allocation), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn allocate(
    State(daemon): State<Daemon>,
    headers: HeaderMap,
    Json(request): Json<AllocationRequest>,
) -> ApiResult<Response> {
    match daemon.allocate(request.clone()).await {
        Ok(allocation) => Ok((StatusCode::CREATED, Json(allocation)).into_response()),
        // None fits here: another host of the cluster may have one.
        Err(DaemonError::NoCapacity(why)) => {
            match forward::placement(&daemon, &headers, "/v1/allocations", &request).await {
                Some((status, answer)) => Ok((status, Json(answer)).into_response()),
                None => Err(DaemonError::NoCapacity(why).into()),
            }
        }
        Err(error) => Err(error.into()),
    }
}
