//! Game sessions and player sessions, as GameLift's client API: create a
//! game session on a fleet, get, list, update, terminate, fetch its logs;
//! create player sessions and describe them.

use super::error::{ApiResult, Json, Path, Query};
use super::placement::{Placed, place, relayed};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use gamehost_daemon::{Daemon, GameSessionFilter, NewPlayerSessions, TerminationMode};
use gamehost_model::{
    DescribePage, DescribeRequest, GameSession, GameSessionUpdate, NewGameSession, PlayerSession,
};
use gamehost_runtime::sdk::LogLine;
use serde::{Deserialize, Serialize};

/// Game sessions.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameSessionList {
    /// Oldest first.
    game_sessions: Vec<GameSession>,
}

/// Created player sessions.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlayerSessionList {
    /// In the order asked.
    player_sessions: Vec<PlayerSession>,
}

/// How to terminate a game session.
#[derive(Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct TerminateRequest {
    /// TRIGGER_ON_PROCESS_TERMINATE (default) or FORCE_TERMINATE.
    termination_mode: TerminationMode,
}

/// A game session's log lines.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SessionLog {
    /// Oldest first.
    lines: Vec<LogLine>,
}

/// Creates a game session on a Ready game server of the fleet: ACTIVATING
/// until the guest activates it. In a cluster, a host with none Ready
/// forwards the request to a host that has one.
#[utoipa::path(post, path = "/v1/fleets/{fleet}/gamesessions", tag = "game sessions",
    params(("fleet" = String, Path)), request_body = NewGameSession,
    responses((status = 201, body = GameSession), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn create(
    State(daemon): State<Daemon>,
    headers: HeaderMap,
    Path(fleet): Path<String>,
    Json(new): Json<NewGameSession>,
) -> ApiResult<Response> {
    let path = format!("/v1/fleets/{fleet}/gamesessions");
    let here = async || daemon.create_game_session(&fleet, new.clone()).await;
    Ok(
        match place(&daemon, &headers, &path, &new, None, here).await? {
            Placed::Here(session) => (StatusCode::CREATED, Json(session)).into_response(),
            Placed::There(status, answer) => relayed(status, answer),
        },
    )
}

/// Lists game sessions, oldest first: in a cluster, every host's (the
/// others' as they last stored them).
#[utoipa::path(get, path = "/v1/gamesessions", tag = "game sessions", params(GameSessionFilter),
    responses((status = 200, body = GameSessionList), (status = 400, body = super::ErrorBody),
        (status = 503, body = super::ErrorBody)))]
pub async fn list(
    State(daemon): State<Daemon>,
    Query(filter): Query<GameSessionFilter>,
) -> ApiResult<Json<GameSessionList>> {
    let sessions = daemon.cluster_game_sessions(&filter).await?;
    Ok(Json(GameSessionList {
        game_sessions: sessions.into_iter().map(|s| s.game_session).collect(),
    }))
}

/// One game session.
#[utoipa::path(get, path = "/v1/gamesessions/{id}", tag = "game sessions", params(("id" = String, Path)),
    responses((status = 200, body = GameSession), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(daemon): State<Daemon>,
    Path(id): Path<String>,
) -> ApiResult<Json<GameSession>> {
    Ok(Json(daemon.game_session(&id)?))
}

/// Updates a game session in progress (matchmaker data, backfill outcome,
/// player limit, name, creation policy); the guest's
/// `on-update-game-session` runs.
#[utoipa::path(patch, path = "/v1/gamesessions/{id}", tag = "game sessions", params(("id" = String, Path)),
    request_body = GameSessionUpdate,
    responses((status = 200, body = GameSession), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn update(
    State(daemon): State<Daemon>,
    Path(id): Path<String>,
    Json(update): Json<GameSessionUpdate>,
) -> ApiResult<Json<GameSession>> {
    Ok(Json(daemon.update_game_session(&id, update).await?))
}

/// Terminates a game session by ending its game server.
#[utoipa::path(post, path = "/v1/gamesessions/{id}/terminate", tag = "game sessions",
    params(("id" = String, Path)), request_body = TerminateRequest,
    responses((status = 200, body = GameSession), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)))]
pub async fn terminate(
    State(daemon): State<Daemon>,
    Path(id): Path<String>,
    Json(request): Json<TerminateRequest>,
) -> ApiResult<Json<GameSession>> {
    Ok(Json(
        daemon
            .terminate_game_session(&id, request.termination_mode)
            .await?,
    ))
}

/// What guests logged during the game session; kept after it ends.
#[utoipa::path(get, path = "/v1/gamesessions/{id}/logs", tag = "game sessions",
    params(("id" = String, Path)),
    responses((status = 200, body = SessionLog), (status = 404, body = super::ErrorBody)))]
pub async fn logs(
    State(daemon): State<Daemon>,
    Path(id): Path<String>,
) -> ApiResult<Json<SessionLog>> {
    Ok(Json(SessionLog {
        lines: daemon.game_session_logs(&id).await?,
    }))
}

/// Reserves one player session (`playerId`) or several (`playerIds`) in an
/// ACTIVE game session.
#[utoipa::path(post, path = "/v1/gamesessions/{id}/playersessions", tag = "player sessions",
    params(("id" = String, Path)), request_body = NewPlayerSessions,
    responses((status = 201, body = PlayerSessionList), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn create_player_sessions(
    State(daemon): State<Daemon>,
    Path(id): Path<String>,
    Json(new): Json<NewPlayerSessions>,
) -> ApiResult<(StatusCode, Json<PlayerSessionList>)> {
    let player_sessions = daemon.create_player_sessions(&id, new).await?;
    Ok((
        StatusCode::CREATED,
        Json(PlayerSessionList { player_sessions }),
    ))
}

/// Describes player sessions by game session, player session or player,
/// with a status filter and paging.
#[utoipa::path(get, path = "/v1/playersessions", tag = "player sessions", params(DescribeRequest),
    responses((status = 200, body = DescribePage), (status = 400, body = super::ErrorBody),
        (status = 404, body = super::ErrorBody)))]
pub async fn describe_player_sessions(
    State(daemon): State<Daemon>,
    Query(request): Query<DescribeRequest>,
) -> ApiResult<Json<DescribePage>> {
    Ok(Json(daemon.describe_player_sessions(&request)?))
}
