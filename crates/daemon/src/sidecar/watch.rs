//! `GET /watch/gameserver`: the GameServer, then each change, as
//! `{"result": …}` — newline-delimited JSON, or one WebSocket text message
//! each when the request is a WebSocket upgrade (reference/003). The stream
//! ends with the game server.

use super::Sidecar;
use super::game_server::GameServer;
use super::json::Failure;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gamehost_runtime::supervisor::Watch;
use serde::Serialize;
use tokio::sync::OwnedSemaphorePermit;

/// One item of the stream.
#[derive(Serialize)]
struct StreamResult {
    result: GameServer,
}

/// The next item of `watch` as JSON, or `None` once the game server ended.
async fn next_item(watch: &mut Watch) -> Option<Vec<u8>> {
    let record = watch.next().await?;
    serde_json::to_vec(&StreamResult {
        result: GameServer::from(&*record),
    })
    .ok()
}

pub(super) async fn watch(
    State(s): State<Sidecar>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, Failure> {
    let permit = s.watches.clone().try_acquire_owned().map_err(|_| {
        Failure::exhausted(format!(
            "at most {} watches per game server",
            super::MAX_WATCHES
        ))
    })?;
    let watch = s.handle.watch();
    if let Ok(upgrade) = upgrade {
        return Ok(upgrade.on_upgrade(move |socket| to_socket(socket, watch, permit)));
    }
    let lines = futures_util::stream::unfold((watch, permit), |(mut watch, permit)| async move {
        let mut line = next_item(&mut watch).await?;
        line.push(b'\n');
        Some((
            Ok::<_, std::convert::Infallible>(Bytes::from(line)),
            (watch, permit),
        ))
    });
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(lines),
    )
        .into_response())
}

async fn to_socket(mut socket: WebSocket, mut watch: Watch, _permit: OwnedSemaphorePermit) {
    while let Some(item) = next_item(&mut watch).await {
        let Ok(text) = String::from_utf8(item) else {
            break;
        };
        if socket.send(Message::Text(text.into())).await.is_err() {
            return;
        }
    }
    let _ = socket.send(Message::Close(None)).await;
}
