//! The other hosts of a cluster, as this host's APIs reach them: the
//! hosts' HTTP client, the mark a forwarded request carries, and the order
//! in which hosts are tried for a placement.
//!
//! A forwarded request carries the client's own credentials (the hosts of
//! a cluster share their tokens), so the host that carries it out checks
//! them as it checks any request; the mark names the host that forwarded
//! it, so that it is never forwarded again. Only the host that carries a
//! request out records it in its audit log ([`Relayed`]). Hosts serving TLS do not
//! forward (the hosts' client speaks plain HTTP).

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, header};
use gamehost_daemon::{Daemon, Scheduling};
use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::sync::OnceLock;
use std::time::Duration;

/// The header marking a forwarded request, naming the host it came from.
pub const FORWARDED_BY: &str = "x-gamehost-forwarded-by";
/// How long another host may take to answer a forwarded placement or a
/// forwarded GameLift request.
pub const FORWARD_TIMEOUT: Duration = Duration::from_secs(5);
/// How long connecting to another host may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// The hosts' HTTP client, shared.
pub fn client() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .build()
            .expect("an HTTP client with default settings builds")
    })
}

/// Whether this host may forward `headers`' request: it is in a cluster,
/// speaks plain HTTP, and the request was not forwarded already.
pub fn may_forward(daemon: &Daemon, headers: &HeaderMap) -> bool {
    daemon.in_cluster() && !daemon.config().tls && !headers.contains_key(FORWARDED_BY)
}

/// Marks an answer another host gave to a request this host forwarded:
/// that host carried the request out and recorded it in its audit log,
/// so this host does not record it again.
#[derive(Clone, Copy, Debug)]
pub struct Relayed;

/// Headers that describe one connection rather than the request, which a
/// relayed request does not carry on.
const HOP_BY_HOP: [header::HeaderName; 7] = [
    header::CONNECTION,
    header::CONTENT_LENGTH,
    header::TRANSFER_ENCODING,
    header::TE,
    header::TRAILER,
    header::UPGRADE,
    header::PROXY_AUTHORIZATION,
];

/// Sends a request to the host at `address` exactly as this host received
/// it: `method`, `target`, every end-to-end header (`Host` included, so
/// that a signature over the request checks there as it did here) and
/// `body`, marked as forwarded by this host. `None` when the host could
/// not be reached or did not answer within [`FORWARD_TIMEOUT`].
pub async fn relay(
    daemon: &Daemon,
    address: &str,
    method: Method,
    target: &str,
    headers: &HeaderMap,
    body: Bytes,
) -> Option<reqwest::Response> {
    let mut carried = headers.clone();
    for name in HOP_BY_HOP {
        carried.remove(name);
    }
    let sent = client()
        .request(method, format!("http://{address}{target}"))
        .timeout(FORWARD_TIMEOUT)
        .headers(carried)
        .header(FORWARDED_BY, &daemon.config().host_id)
        .body(body)
        .send()
        .await;
    match sent {
        Ok(answer) => {
            daemon.count_forwarded("answered");
            Some(answer)
        }
        Err(error) => {
            tracing::warn!(%address, %error, "could not forward a request to another host");
            daemon.count_forwarded("unreachable");
            None
        }
    }
}

/// A host a placement may try: this one (no address) or another.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Candidate {
    address: Option<String>,
    allocated: u32,
    ready: u32,
}

/// The order to try `candidates` in (`None`: this host), for an allocation
/// with `scheduling` or, without one, a game session. Other hosts that had
/// no Ready game server at their last renewal come last: one may have
/// become Ready since.
fn order(scheduling: Option<Scheduling>, mut candidates: Vec<Candidate>) -> Vec<Option<String>> {
    candidates.sort_by_key(|c| {
        let load = match scheduling {
            None => 0,
            Some(Scheduling::Packed) => -i64::from(c.allocated),
            Some(Scheduling::Distributed) => i64::from(c.allocated),
        };
        let none_ready = c.address.is_some() && c.ready == 0;
        (none_ready, load, c.address.is_some(), Reverse(c.ready))
    });
    candidates.into_iter().map(|c| c.address).collect()
}

/// This host and the other live hosts, with their counts (this host's
/// only when `scheduling` needs them).
fn candidates(daemon: &Daemon, scheduling: Option<Scheduling>) -> Vec<Candidate> {
    let count =
        |by_state: &BTreeMap<String, u32>, state: &str| by_state.get(state).copied().unwrap_or(0);
    let here = match scheduling {
        Some(_) => daemon.game_servers_by_state(),
        None => BTreeMap::new(),
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

/// The hosts to try for a placement with `scheduling` (`None`: a game
/// session), in order, `None` standing for this host: as Agones' across
/// nodes, `Packed` first tries the host with the most Allocated game
/// servers (filling the most loaded host, so that the others can drain),
/// `Distributed` the one with the fewest; among hosts alike, this one
/// first, then the one with the most Ready. Other hosts' counts are as of
/// their last lease renewal (at most about two seconds old); those with no
/// Ready game server then are tried last.
pub fn placement_order(daemon: &Daemon, scheduling: Option<Scheduling>) -> Vec<Option<String>> {
    order(scheduling, candidates(daemon, scheduling))
}

/// The other live hosts in the order a game session this host has no room
/// for tries them: the one with the most Ready game servers first.
pub fn others_for_a_game_session(daemon: &Daemon) -> Vec<String> {
    placement_order(daemon, None)
        .into_iter()
        .flatten()
        .collect()
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
            (
                None,
                &[None, Some("twin"), Some("idle"), Some("busy"), Some("full")],
            ),
            (
                Some(Packed),
                &[Some("busy"), None, Some("twin"), Some("idle"), Some("full")],
            ),
            (
                Some(Distributed),
                &[Some("idle"), None, Some("twin"), Some("busy"), Some("full")],
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
