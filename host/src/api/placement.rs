//! Where a game session or an allocation is placed in a cluster: on this
//! host or on another live host with Ready game servers, in an order the
//! request decides.
//! - A game session: this host first, then the other hosts, the one with
//!   the most Ready game servers first.
//! - An allocation, by its `scheduling`, as Agones' across nodes: `Packed`
//!   tries the host with the most Allocated game servers first (filling the
//!   most loaded host, so that the others can drain), `Distributed` the one
//!   with the fewest; among hosts alike, this one first.
//!
//! Other hosts' counts are as of their last lease renewal (read at most a
//! second ago); a host with no Ready game server then is not tried. Each
//! host arbitrates its own game servers, so two requests never take the
//! same one; a host out of room answers `NO_CAPACITY` and the next is
//! tried.

use super::forward::{FORWARD_TIMEOUT, FORWARDED_BY, client, may_forward};
use axum::http::{HeaderMap, StatusCode, header};
use gamehost_daemon::{Daemon, DaemonError, DaemonResult, Scheduling};
use serde::Serialize;
use serde_json::Value;
use std::cmp::Reverse;

/// Where a request was placed.
pub enum Placed<T> {
    /// On this host.
    Here(T),
    /// On another host, which answered this.
    There(StatusCode, Value),
}

/// A host a placement may try: this one (no address) or another.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Candidate {
    address: Option<String>,
    allocated: u32,
    ready: u32,
}

/// The order to try `candidates` in (`None`: this host), for an allocation
/// with `scheduling` or, without one, a game session.
fn order(scheduling: Option<Scheduling>, mut candidates: Vec<Candidate>) -> Vec<Option<String>> {
    candidates.retain(|c| c.address.is_none() || c.ready > 0);
    candidates.sort_by_key(|c| {
        let load = match scheduling {
            None => 0,
            Some(Scheduling::Packed) => -i64::from(c.allocated),
            Some(Scheduling::Distributed) => i64::from(c.allocated),
        };
        (load, c.address.is_some(), Reverse(c.ready))
    });
    candidates.into_iter().map(|c| c.address).collect()
}

/// This host and the other live hosts, with their counts (this host's
/// only when `scheduling` needs them).
fn candidates(daemon: &Daemon, scheduling: Option<Scheduling>) -> Vec<Candidate> {
    let count = |by_state: &std::collections::BTreeMap<String, u32>, state: &str| {
        by_state.get(state).copied().unwrap_or(0)
    };
    let here = match scheduling {
        Some(_) => daemon.game_servers_by_state(),
        None => Default::default(),
    };
    let mut candidates = vec![Candidate {
        address: None,
        allocated: count(&here, "Allocated"),
        ready: count(&here, "Ready"),
    }];
    candidates.extend(daemon.live_peers().into_iter().map(|peer| Candidate {
        allocated: count(&peer.game_servers, "Allocated"),
        ready: count(&peer.game_servers, "Ready"),
        address: Some(peer.address),
    }));
    candidates
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
        Some(_) => order(scheduling, candidates(daemon, scheduling)),
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
                let others = order(None, candidates(daemon, None));
                targets.extend(others.into_iter().flatten().map(Some));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn host(address: Option<&str>, allocated: u32, ready: u32) -> Candidate {
        Candidate {
            address: address.map(str::to_owned),
            allocated,
            ready,
        }
    }

    #[test]
    fn hosts_are_tried_in_the_order_the_request_decides() {
        use Scheduling::{Distributed, Packed};
        let hosts = vec![
            host(None, 2, 3),
            host(Some("busy"), 5, 1),
            host(Some("idle"), 0, 4),
            host(Some("full"), 9, 0),
            host(Some("twin"), 2, 5),
        ];
        let cases: [(Option<Scheduling>, &[Option<&str>]); 3] = [
            (None, &[None, Some("twin"), Some("idle"), Some("busy")]),
            (
                Some(Packed),
                &[Some("busy"), None, Some("twin"), Some("idle")],
            ),
            (
                Some(Distributed),
                &[Some("idle"), None, Some("twin"), Some("busy")],
            ),
        ];
        for (scheduling, expected) in cases {
            let found = order(scheduling, hosts.clone());
            let found: Vec<Option<&str>> = found.iter().map(Option::as_deref).collect();
            assert_eq!(found, expected, "{scheduling:?}");
        }
    }

    #[test]
    fn this_host_is_tried_even_with_nothing_ready() {
        let found = order(Some(Scheduling::Packed), vec![host(None, 0, 0)]);
        assert_eq!(found, [None]);
    }
}
