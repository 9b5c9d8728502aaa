//! Where a game session or an allocation is placed in a cluster: on this
//! host or on another live host with Ready game servers, in the order
//! [`peers::placement_order`] gives for the request. Each host arbitrates
//! its own game servers, so two requests never take the same one; a host
//! out of room answers `NO_CAPACITY` and the next is tried.

use crate::peers::{self, FORWARD_TIMEOUT, FORWARDED_BY, Relayed, client, may_forward};
use axum::Extension;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gamehost_daemon::{Daemon, DaemonError, DaemonResult, Scheduling};
use serde::Serialize;
use serde_json::Value;

/// Where a request was placed.
pub enum Placed<T> {
    /// On this host.
    Here(T),
    /// On another host, which answered this.
    There(StatusCode, Value),
}

/// The answer another host gave to a placement, as this host answers it
/// (marked [`Relayed`]: that host recorded it).
pub fn relayed(status: StatusCode, answer: Value) -> Response {
    (status, Extension(Relayed), axum::Json(answer)).into_response()
}

/// Places `request` (posted to `path` on another host) on the first host
/// of the order that takes it: this host through `here`, another by
/// forwarding it with the client's credentials. `NO_CAPACITY` when none
/// could; any other error of this host's is answered at once.
pub async fn place<T>(
    daemon: &Daemon,
    headers: &HeaderMap,
    path: &str,
    request: &impl Serialize,
    scheduling: Option<Scheduling>,
    here: impl AsyncFnOnce() -> DaemonResult<T>,
) -> Result<Placed<T>, DaemonError> {
    if !may_forward(daemon, headers) {
        return here().await.map(Placed::Here);
    }
    let mut here = Some(here);
    let mut refused = None;
    // A game session tries this host before the others are looked at.
    let mut targets = match scheduling {
        None => vec![None],
        Some(_) => peers::placement_order(daemon, scheduling),
    };
    let mut next = 0;
    while let Some(target) = targets.get(next).cloned() {
        next += 1;
        let Some(address) = target else {
            let here = here.take().expect("this host is in the order once");
            match here().await {
                Ok(placed) => return Ok(Placed::Here(placed)),
                Err(DaemonError::NoCapacity(why)) => refused = Some(why),
                Err(error) => return Err(error),
            }
            if scheduling.is_none() {
                targets.extend(
                    peers::others_for_a_game_session(daemon)
                        .into_iter()
                        .map(Some),
                );
            }
            continue;
        };
        if let Some((status, answer)) = forward(daemon, headers, &address, path, request).await {
            return Ok(Placed::There(status, answer));
        }
    }
    let why = refused.unwrap_or_else(|| "no host has a Ready game server that fits".to_owned());
    Err(DaemonError::NoCapacity(why))
}

/// Posts `request` to `path` on the host at `address`; its answer, unless
/// it could not be reached or had no room.
async fn forward(
    daemon: &Daemon,
    headers: &HeaderMap,
    address: &str,
    path: &str,
    request: &impl Serialize,
) -> Option<(StatusCode, Value)> {
    let mut forwarded = client()
        .post(format!("http://{address}{path}"))
        .timeout(FORWARD_TIMEOUT)
        .header(FORWARDED_BY, &daemon.config().host_id)
        .json(request);
    if let Some(credentials) = headers.get(header::AUTHORIZATION) {
        forwarded = forwarded.header(header::AUTHORIZATION, credentials);
    }
    let answer = match forwarded.send().await {
        Ok(answer) => answer,
        Err(error) => {
            tracing::warn!(%address, %error, "could not forward a placement to another host");
            daemon.count_forwarded("unreachable");
            return None;
        }
    };
    daemon.count_forwarded("answered");
    let status = StatusCode::from_u16(answer.status().as_u16()).ok()?;
    let body: Value = answer.json().await.unwrap_or(Value::Null);
    let no_room = status == StatusCode::CONFLICT && body["error"]["code"] == "NO_CAPACITY";
    (!no_room).then_some((status, body))
}
