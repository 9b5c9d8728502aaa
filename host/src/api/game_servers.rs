//! `/v1/gameservers`: list, get (the Agones GameServer shape), watch as
//! newline-delimited JSON or a WebSocket on the same URL, logs, terminate
//! and shut down.

use super::error::{ApiResult, Json, Path, Query};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gamehost_daemon::{Daemon, GameServerFilter, GameServerWatch};
use gamehost_model::{GameServerRecord, Timestamp};
use gamehost_runtime::sdk::LogLine;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Game servers.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GameServerList {
    /// The game servers, by name.
    #[schema(value_type = Vec<GameServerRecord>)]
    game_servers: Vec<Arc<GameServerRecord>>,
}

/// One line of a watch, as Agones' REST watch sends it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct WatchEvent {
    /// The game server as it is now.
    #[schema(value_type = GameServerRecord)]
    result: Arc<GameServerRecord>,
}

/// When the host will end a terminating game server.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Termination {
    /// The termination time.
    termination_time: Timestamp,
}

/// Where to start reading a log.
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct LogParams {
    /// The first line's position (0 when absent).
    #[serde(default)]
    pub(super) since: u64,
}

/// Log lines.
#[derive(Serialize, utoipa::ToSchema)]
pub struct LogLines {
    /// The lines, oldest first.
    lines: Vec<LogLine>,
}

/// Lists game servers, running and recently ended: in a cluster, every
/// host's (the others' as they last stored them).
#[utoipa::path(get, path = "/v1/gameservers", tag = "game servers", params(GameServerFilter),
    responses((status = 200, body = GameServerList), (status = 400, body = super::ErrorBody),
        (status = 503, body = super::ErrorBody)))]
pub async fn list(
    State(daemon): State<Daemon>,
    Query(filter): Query<GameServerFilter>,
) -> ApiResult<Json<GameServerList>> {
    Ok(Json(GameServerList {
        game_servers: daemon.cluster_game_servers(&filter).await?,
    }))
}

/// One game server.
#[utoipa::path(get, path = "/v1/gameservers/{name}", tag = "game servers", params(("name" = String, Path)),
    responses((status = 200, body = GameServerRecord), (status = 404, body = super::ErrorBody)))]
pub async fn get(
    State(daemon): State<Daemon>,
    Path(name): Path<String>,
) -> ApiResult<Json<Arc<GameServerRecord>>> {
    Ok(Json(daemon.game_server(&name)?))
}

/// Watches a game server: the current record, then every change, until it
/// ends. Newline-delimited JSON (`{"result": …}` per line), or WebSocket
/// text messages of the same JSON when the request is a WebSocket upgrade.
#[utoipa::path(get, path = "/v1/gameservers/{name}/watch", tag = "game servers", params(("name" = String, Path)),
    responses((status = 200, body = WatchEvent, content_type = "application/x-ndjson"),
        (status = 101, description = "WebSocket"), (status = 404, body = super::ErrorBody)))]
pub async fn watch(
    State(daemon): State<Daemon>,
    Path(name): Path<String>,
    upgrade: Result<WebSocketUpgrade, axum::extract::ws::rejection::WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    let watch = daemon.watch_game_server(&name)?;
    if let Ok(upgrade) = upgrade {
        return Ok(upgrade.on_upgrade(move |socket| stream_to_socket(socket, watch)));
    }
    let lines = futures_util::stream::unfold(watch, |mut watch| async move {
        let record = watch.next().await?;
        let mut line = serde_json::to_vec(&WatchEvent { result: record }).ok()?;
        line.push(b'\n');
        Some((Ok::<_, std::convert::Infallible>(Bytes::from(line)), watch))
    });
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(lines),
    )
        .into_response())
}

async fn stream_to_socket(mut socket: WebSocket, mut watch: GameServerWatch) {
    while let Some(record) = watch.next().await {
        let Ok(text) = serde_json::to_string(&WatchEvent { result: record }) else {
            break;
        };
        if socket.send(Message::Text(text.into())).await.is_err() {
            return;
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}

/// A game server's log lines from `since` on.
#[utoipa::path(get, path = "/v1/gameservers/{name}/logs", tag = "game servers",
    params(("name" = String, Path), LogParams),
    responses((status = 200, body = LogLines), (status = 404, body = super::ErrorBody)))]
pub async fn logs(
    State(daemon): State<Daemon>,
    Path(name): Path<String>,
    Query(params): Query<LogParams>,
) -> ApiResult<Json<LogLines>> {
    Ok(Json(LogLines {
        lines: daemon.game_server_logs(&name, params.since).await?,
    }))
}

/// Asks the game server to terminate (GameLift's shutdown request):
/// `on-process-terminate` with the termination time, then the guest's
/// `process-ending` or the grace period ends it.
#[utoipa::path(post, path = "/v1/gameservers/{name}/terminate", tag = "game servers",
    params(("name" = String, Path)),
    responses((status = 200, body = Termination), (status = 404, body = super::ErrorBody),
        (status = 409, body = super::ErrorBody)))]
pub async fn terminate(
    State(daemon): State<Daemon>,
    Path(name): Path<String>,
) -> ApiResult<Json<Termination>> {
    let termination_time = daemon.terminate_game_server(&name).await?;
    Ok(Json(Termination { termination_time }))
}

/// Shuts the game server down at once, without callbacks.
#[utoipa::path(post, path = "/v1/gameservers/{name}/shutdown", tag = "game servers",
    params(("name" = String, Path)),
    responses((status = 204), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
pub async fn shutdown(
    State(daemon): State<Daemon>,
    Path(name): Path<String>,
) -> ApiResult<StatusCode> {
    daemon.shutdown_game_server(&name).await?;
    Ok(StatusCode::NO_CONTENT)
}
