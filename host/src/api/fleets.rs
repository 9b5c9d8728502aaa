//! `/v1/fleets`: create, list, get, update (including a hot swap to another
//! module), roll back and delete fleets.

use super::error::{ApiResult, Json, Path};
use axum::extract::State;
use axum::http::StatusCode;
use gamehost_daemon::{Daemon, FleetUpdate, FleetView, NewFleet, Rollback};
use serde::Serialize;

/// Every fleet.
#[derive(Serialize, utoipa::ToSchema)]
pub struct FleetList {
    /// The fleets, by name.
    fleets: Vec<FleetView>,
}

/// Creates a fleet; its replicas start at once.
#[utoipa::path(post, path = "/v1/fleets", tag = "fleets", request_body = NewFleet,
    responses((status = 201, body = FleetView), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn create(
    State(daemon): State<Daemon>,
    Json(new): Json<NewFleet>,
) -> ApiResult<(StatusCode, Json<FleetView>)> {
    Ok((StatusCode::CREATED, Json(daemon.create_fleet(new).await?)))
}

/// Lists fleets with their game-server counts: in a cluster, every host's
/// (the others' as they last stored them).
#[utoipa::path(get, path = "/v1/fleets", tag = "fleets", responses((status = 200, body = FleetList),
    (status = 503, body = super::ErrorBody)))]
pub async fn list(State(daemon): State<Daemon>) -> ApiResult<Json<FleetList>> {
    Ok(Json(FleetList {
        fleets: daemon.cluster_fleets().await?,
    }))
}

/// One fleet with its game-server counts: in a cluster, every host's (the
/// others' as they last stored them).
#[utoipa::path(get, path = "/v1/fleets/{fleet}", tag = "fleets", params(("fleet" = String, Path)),
    responses((status = 200, body = FleetView), (status = 404, body = super::ErrorBody),
        (status = 503, body = super::ErrorBody)))]
pub async fn get(
    State(daemon): State<Daemon>,
    Path(fleet): Path<String>,
) -> ApiResult<Json<FleetView>> {
    Ok(Json(daemon.cluster_fleet(&fleet).await?))
}

/// Changes replicas or the template (for game servers started from now on),
/// or the module: a hot swap of the fleet's game servers, rolling or in
/// place, whose progress the fleet's `update` shows.
#[utoipa::path(patch, path = "/v1/fleets/{fleet}", tag = "fleets", params(("fleet" = String, Path)),
    request_body = FleetUpdate,
    responses((status = 200, body = FleetView), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn update(
    State(daemon): State<Daemon>,
    Path(fleet): Path<String>,
    Json(update): Json<FleetUpdate>,
) -> ApiResult<Json<FleetView>> {
    Ok(Json(daemon.update_fleet(&fleet, update).await?))
}

/// Moves a fleet back to the module it ran before its last update, rolling
/// or in place (by default as the last update went).
#[utoipa::path(post, path = "/v1/fleets/{fleet}/rollback", tag = "fleets",
    params(("fleet" = String, Path)), request_body = Rollback,
    responses((status = 200, body = FleetView), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn rollback(
    State(daemon): State<Daemon>,
    Path(fleet): Path<String>,
    Json(rollback): Json<Rollback>,
) -> ApiResult<Json<FleetView>> {
    Ok(Json(daemon.rollback_fleet(&fleet, rollback).await?))
}

/// Deletes a fleet; its game servers are asked to terminate.
#[utoipa::path(delete, path = "/v1/fleets/{fleet}", tag = "fleets", params(("fleet" = String, Path)),
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
pub async fn delete(
    State(daemon): State<Daemon>,
    Path(fleet): Path<String>,
) -> ApiResult<StatusCode> {
    daemon.delete_fleet(&fleet).await?;
    Ok(StatusCode::NO_CONTENT)
}
