//! `/v1/gameservers/{name}/logs/follow`: a game server's log as it is
//! written, newline-delimited JSON, until the game server ends.

use super::error::{ApiResult, Path, Query};
use super::game_servers::LogParams;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use gamehost_daemon::Daemon;
use std::convert::Infallible;
use std::time::Duration;

/// How often a followed log is looked at for new lines. The log is in
/// memory: a look costs a lock and a comparison.
const FOLLOW_PERIOD: Duration = Duration::from_millis(200);

/// Where a follower stands.
struct Follower {
    daemon: Daemon,
    name: String,
    /// The position of the next line to send.
    next: u64,
    /// The game server ended and its last lines were sent.
    done: bool,
}

impl Follower {
    /// The next lines as NDJSON, once there are any; `None` after the game
    /// server ended and its last lines went out.
    async fn next_chunk(&mut self) -> Option<Bytes> {
        while !self.done {
            // The state first: lines written before it ended are read after.
            let ended = self
                .daemon
                .game_server(&self.name)
                .map_or(true, |r| r.status.state.is_terminal());
            let lines = self
                .daemon
                .game_server_logs(&self.name, self.next)
                .await
                .unwrap_or_default();
            self.done = ended;
            if let Some(last) = lines.last() {
                self.next = last.seq + 1;
                let mut chunk = Vec::new();
                for line in &lines {
                    serde_json::to_writer(&mut chunk, line).ok()?;
                    chunk.push(b'\n');
                }
                return Some(Bytes::from(chunk));
            }
            if !ended {
                tokio::time::sleep(FOLLOW_PERIOD).await;
            }
        }
        None
    }
}

/// Follows a game server's log: its lines from `since` on, then each line
/// as it is written, as newline-delimited JSON (one log line per line);
/// the stream ends once the game server has ended and its last lines went.
#[utoipa::path(get, path = "/v1/gameservers/{name}/logs/follow", tag = "game servers",
    params(("name" = String, Path), LogParams),
    responses((status = 200, body = gamehost_runtime::sdk::LogLine, content_type = "application/x-ndjson"),
        (status = 404, body = super::ErrorBody)))]
pub async fn follow(
    State(daemon): State<Daemon>,
    Path(name): Path<String>,
    Query(params): Query<LogParams>,
) -> ApiResult<Response> {
    // An unknown game server is a 404 now, not an empty stream.
    daemon.game_server(&name)?;
    let follower = Follower {
        daemon,
        name,
        next: params.since,
        done: false,
    };
    let chunks = futures_util::stream::unfold(follower, |mut follower| async move {
        let chunk = follower.next_chunk().await?;
        Some((Ok::<_, Infallible>(chunk), follower))
    });
    Ok((
        [
            (header::CONTENT_TYPE, "application/x-ndjson"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        Body::from_stream(chunks),
    )
        .into_response())
}
