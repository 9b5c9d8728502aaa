//! `/v1/registry`: the FleetIQ game-server registry. Game servers register
//! into a group, are claimed (CLAIMED for 60 s), report utilization and
//! health, and deregister; each fleet is also a group of the host's own
//! game servers.

use super::error::{ApiResult, Json, Path, Query};
use axum::extract::State;
use axum::http::StatusCode;
use gamehost_daemon::Daemon;
use gamehost_model::{
    ClaimGameServer, GameServerPage, ListGameServers, RegisterGameServer, RegisteredGameServer,
    UpdateGameServer,
};

/// Registers a game server: AVAILABLE, unclaimed.
#[utoipa::path(post, path = "/v1/registry/{group}/gameservers", tag = "registry",
    params(("group" = String, Path)), request_body = RegisterGameServer,
    responses((status = 201, body = RegisteredGameServer), (status = 400, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)))]
pub async fn register(
    State(daemon): State<Daemon>,
    Path(group): Path<String>,
    Json(request): Json<RegisterGameServer>,
) -> ApiResult<(StatusCode, Json<RegisteredGameServer>)> {
    let entry = daemon.register_game_server(&group, request).await?;
    Ok((StatusCode::CREATED, Json(entry)))
}

/// Lists a group's game servers, a page at a time.
#[utoipa::path(get, path = "/v1/registry/{group}/gameservers", tag = "registry",
    params(("group" = String, Path), ListGameServers),
    responses((status = 200, body = GameServerPage), (status = 404, body = super::ErrorBody)))]
pub async fn list(
    State(daemon): State<Daemon>,
    Path(group): Path<String>,
    Query(request): Query<ListGameServers>,
) -> ApiResult<Json<GameServerPage>> {
    Ok(Json(daemon.list_registered(&group, &request)?))
}

/// Claims a game server of the group.
#[utoipa::path(post, path = "/v1/registry/{group}/claim", tag = "registry",
    params(("group" = String, Path)), request_body = ClaimGameServer,
    responses((status = 200, body = RegisteredGameServer), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)))]
pub async fn claim(
    State(daemon): State<Daemon>,
    Path(group): Path<String>,
    Json(request): Json<ClaimGameServer>,
) -> ApiResult<Json<RegisteredGameServer>> {
    Ok(Json(daemon.claim_game_server(&group, request).await?))
}

/// One registered game server.
#[utoipa::path(get, path = "/v1/registry/{group}/gameservers/{id}", tag = "registry",
    params(("group" = String, Path), ("id" = String, Path)),
    responses((status = 200, body = RegisteredGameServer), (status = 404, body = super::ErrorBody)))]
pub async fn describe(
    State(daemon): State<Daemon>,
    Path((group, id)): Path<(String, String)>,
) -> ApiResult<Json<RegisteredGameServer>> {
    Ok(Json(daemon.describe_registered(&group, &id)?))
}

/// Updates utilization, game server data, or reports a health check.
#[utoipa::path(patch, path = "/v1/registry/{group}/gameservers/{id}", tag = "registry",
    params(("group" = String, Path), ("id" = String, Path)), request_body = UpdateGameServer,
    responses((status = 200, body = RegisteredGameServer), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn update(
    State(daemon): State<Daemon>,
    Path((group, id)): Path<(String, String)>,
    Json(request): Json<UpdateGameServer>,
) -> ApiResult<Json<RegisteredGameServer>> {
    Ok(Json(daemon.update_registered(&group, &id, request).await?))
}

/// Deregisters a game server.
#[utoipa::path(delete, path = "/v1/registry/{group}/gameservers/{id}", tag = "registry",
    params(("group" = String, Path), ("id" = String, Path)),
    responses((status = 204), (status = 404, body = super::ErrorBody)))]
pub async fn deregister(
    State(daemon): State<Daemon>,
    Path((group, id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    daemon.deregister_game_server(&group, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
