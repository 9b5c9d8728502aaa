//! Requests one host cannot answer itself, forwarded to another host of
//! the cluster. A game session asked of a host with no Ready game server
//! of the fleet is created on a live host that has one, the host with the
//! most Ready game servers first (as of their last lease renewal); the
//! answer, and the address players connect to, are that host's. A
//! forwarded request carries the client's credentials (the hosts of a
//! cluster share their tokens) and a mark naming the host that forwarded
//! it, so that it is never forwarded again.

use axum::http::{HeaderMap, StatusCode, header};
use gamehost_daemon::Daemon;
use gamehost_model::{HostState, NewGameSession};
use serde_json::Value;
use std::sync::OnceLock;
use std::time::Duration;

/// The header marking a forwarded request, naming the host it came from.
pub const FORWARDED_BY: &str = "x-gamehost-forwarded-by";
/// How long another host may take to answer a forwarded request.
const FORWARD_TIMEOUT: Duration = Duration::from_secs(5);

fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .timeout(FORWARD_TIMEOUT)
            .build()
            .expect("an HTTP client with default settings builds")
    })
}

/// Creates the game session on another live host with a Ready game server
/// of `fleet`; `None` when the request was forwarded already, or no other
/// host could take it.
pub async fn game_session(
    daemon: &Daemon,
    headers: &HeaderMap,
    fleet: &str,
    new: &NewGameSession,
) -> Option<(StatusCode, Value)> {
    if headers.contains_key(FORWARDED_BY) {
        return None;
    }
    let me = &daemon.config().host_id;
    let mut peers: Vec<_> = daemon
        .hosts()
        .await
        .ok()?
        .into_iter()
        .filter(|h| h.state == HostState::Alive && h.host_id != *me)
        .map(|h| (h.game_servers.get("Ready").copied().unwrap_or(0), h.address))
        .filter(|(ready, _)| *ready > 0)
        .collect();
    peers.sort_by_key(|(ready, _)| std::cmp::Reverse(*ready));
    let scheme = if daemon.config().tls { "https" } else { "http" };
    for (_, address) in peers {
        let url = format!("{scheme}://{address}/v1/fleets/{fleet}/gamesessions");
        let mut request = client().post(url).header(FORWARDED_BY, me).json(new);
        if let Some(credentials) = headers.get(header::AUTHORIZATION) {
            request = request.header(header::AUTHORIZATION, credentials);
        }
        let answer = match request.send().await {
            Ok(answer) => answer,
            Err(error) => {
                tracing::warn!(%address, %error, "could not forward a game session to another host");
                daemon.count_forwarded("unreachable");
                continue;
            }
        };
        daemon.count_forwarded("answered");
        let status = StatusCode::from_u16(answer.status().as_u16()).ok()?;
        let body: Value = answer.json().await.unwrap_or(Value::Null);
        if status == StatusCode::CONFLICT && body["error"]["code"] == "NO_CAPACITY" {
            continue;
        }
        return Some((status, body));
    }
    None
}
