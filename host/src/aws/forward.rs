//! GameLift requests another host of the cluster carries out, as the REST
//! API's are:
//! - a request about a game session another live host holds
//!   (`UpdateGameSession`, `TerminateGameSession`, `GetGameSessionLogUrl`,
//!   `CreatePlayerSession(s)`, `DescribePlayerSessions` by
//!   `GameSessionId`) goes to that host, and so does a `CreateGameSession`
//!   whose idempotency token names one (that host answers it as it is);
//! - a `CreateGameSession` this host has no Ready game server for is tried
//!   on the other live hosts, the one with the most Ready game servers
//!   first, until one places it.
//!
//! The request is relayed exactly as it was received ([`peers::relay`]):
//! the host that carries it out checks its signature as this host did (the
//! hosts of a cluster share their tokens) and records it in its own audit
//! log, and its answer comes back unchanged.

use crate::peers::{self, may_forward};
use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderName, Method, Uri};
use axum::response::Response;
use gamehost_daemon::Daemon;
use gamehost_daemon::store::Collection;
use serde::Deserialize;

/// The operations about one game session, which its `GameSessionId` names.
const ABOUT_A_GAME_SESSION: [&str; 6] = [
    "UpdateGameSession",
    "TerminateGameSession",
    "GetGameSessionLogUrl",
    "CreatePlayerSession",
    "CreatePlayerSessions",
    "DescribePlayerSessions",
];

/// The answer headers a relayed answer carries back.
const ANSWER_HEADERS: [&str; 3] = ["content-type", "x-amzn-errortype", "x-amzn-requestid"];

/// The exception a host with no room for a game session answers.
pub(super) const NO_ROOM: &str = "FleetCapacityExceededException";

/// The part of an input naming a game session.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct AboutGameSession {
    game_session_id: Option<String>,
    idempotency_token: Option<String>,
}

impl AboutGameSession {
    /// The game session `operation` is about, if it names one: a new game
    /// session's id is its idempotency token (or the id asked for).
    fn id(self, operation: &str) -> Option<String> {
        match operation {
            "CreateGameSession" => self.idempotency_token.or(self.game_session_id),
            _ if ABOUT_A_GAME_SESSION.contains(&operation) => self.game_session_id,
            _ => None,
        }
    }
}

/// A GameLift request as this host received it, to relay.
pub(super) struct Received<'a> {
    /// Its target (path and query).
    pub uri: &'a Uri,
    /// Its headers, signature included.
    pub headers: &'a HeaderMap,
    /// Its body.
    pub body: &'a Bytes,
}

impl Received<'_> {
    /// Relays the request to the host at `address`; its answer, unless the
    /// host could not be reached.
    async fn relay(&self, daemon: &Daemon, address: &str) -> Option<Response> {
        let target = self.uri.path_and_query().map_or("/", |p| p.as_str());
        let answer = peers::relay(
            daemon,
            address,
            Method::POST,
            target,
            self.headers,
            self.body.clone(),
        )
        .await?;
        let mut response = Response::builder().status(answer.status().as_u16());
        for name in ANSWER_HEADERS {
            if let Some(value) = answer.headers().get(name) {
                response = response.header(HeaderName::from_static(name), value.as_bytes());
            }
        }
        let body = answer.bytes().await.ok()?;
        response.body(Body::from(body)).ok()
    }
}

/// The other live host holding the game session `operation`'s input names,
/// when this host may forward the request and does not hold it.
async fn holder(daemon: &Daemon, operation: &str, received: &Received<'_>) -> Option<String> {
    let names_one = operation == "CreateGameSession" || ABOUT_A_GAME_SESSION.contains(&operation);
    if !names_one || !may_forward(daemon, received.headers) {
        return None;
    }
    let about: AboutGameSession = serde_json::from_slice(received.body).ok()?;
    let id = about.id(operation)?;
    if daemon.holds(Collection::GameSessions, &id) {
        return None;
    }
    let holder = daemon.holder(Collection::GameSessions, &id).await.ok()??;
    Some(holder.address)
}

/// The answer of the host holding the game session `operation` is about,
/// when that is another host and it answered.
pub(super) async fn to_holder(
    daemon: &Daemon,
    operation: &str,
    received: &Received<'_>,
) -> Option<Response> {
    let address = holder(daemon, operation, received).await?;
    received.relay(daemon, &address).await
}

/// The answer of the first other host that places the game session this
/// host had no room for; `None` when none did (or none could be asked).
pub(super) async fn place_elsewhere(daemon: &Daemon, received: &Received<'_>) -> Option<Response> {
    if !may_forward(daemon, received.headers) {
        return None;
    }
    for address in peers::others_for_a_game_session(daemon) {
        let Some(answer) = received.relay(daemon, &address).await else {
            continue;
        };
        let kind = answer.headers().get("x-amzn-errortype");
        if kind.is_some_and(|k| k.as_bytes() == NO_ROOM.as_bytes()) {
            continue;
        }
        return Some(answer);
    }
    None
}
