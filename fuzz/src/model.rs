//! The validation the daemon runs on request bodies, run directly on the
//! model: on a Ready game server, on one hosting an ACTIVE game session,
//! and on a game-server registry, each new for every input and on a fake
//! clock. It reaches what the router over an empty daemon cannot (a body
//! the daemon checks only once its fleet or game session is found), and
//! checks that a refused request changes nothing.

use crate::FuzzRequest;
use axum::extract::Query;
use axum::http::Uri;
use gamehost_daemon::{AllocationRequest, FleetUpdate, NewFleet, NewPlayerSessions};
use gamehost_model::{
    ClaimGameServer, CounterSpec, DescribeRequest, Endpoint, FakeClock, GameServer, GameServerSpec,
    GameServerState, GameSessionUpdate, Identity, ListGameServers, ListSpec, NewGameSession,
    RegisterGameServer, Registry, Timestamp, UpdateGameServer,
};
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::sync::Arc;

/// When every input's clock starts.
const START: Timestamp = Timestamp::from_millis(1_700_000_000_000);
/// The game server registered in every input's registry.
const REGISTERED: &str = "gs-registered";

/// What the router over the empty daemon must answer a request, where the
/// validation decides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// The body is refused: 400.
    Refused,
    /// The body is accepted, and the empty daemon then answers this status
    /// (404 for what it lacks, 409 when no game server is free).
    Accepted(u16),
}

/// Runs the body of `request` through the validation the daemon runs for
/// its route, when it has a body or query the daemon checks; returns what
/// the router must answer for the routes whose answer the validation
/// decides: creating a fleet, allocating, and reserving player sessions.
pub fn validate(request: &FuzzRequest) -> Option<Verdict> {
    let body = request.body;
    let verdict = |accepted: bool, status| {
        Some(if accepted {
            Verdict::Accepted(status)
        } else {
            Verdict::Refused
        })
    };
    match (request.method, &request.segments()[..]) {
        ("POST", ["v1", "fleets"]) => {
            let Some(new) = decode::<NewFleet>(body) else {
                return verdict(false, 0);
            };
            let accepted = new.validate().is_ok();
            if accepted {
                run_template(new.template);
            }
            return verdict(accepted, 404);
        }
        ("PATCH", ["v1", "fleets", _]) => {
            if let Some(update) = decode::<FleetUpdate>(body)
                && update.validate().is_ok()
                && let Some(template) = update.template
            {
                run_template(template);
            }
        }
        ("POST", ["v1", "fleets", _, "gamesessions"]) => {
            if let Some(new) = decode::<NewGameSession>(body) {
                let mut gs = ready_game_server();
                refused_changes_nothing(&mut gs, |gs| {
                    gs.start_game_session("gsess-fuzz".into(), new).map(drop)
                });
            }
        }
        ("PATCH", ["v1", "gamesessions", _]) => {
            if let Some(update) = decode::<GameSessionUpdate>(body) {
                let mut gs = hosting_game_server();
                refused_changes_nothing(&mut gs, |gs| gs.update_game_session(update).map(drop));
            }
        }
        ("POST", ["v1", "gamesessions", id, "playersessions"]) => {
            let Some(new) = decode::<NewPlayerSessions>(body) else {
                return verdict(false, 0);
            };
            let Ok(seats) = new.into_seats() else {
                return verdict(false, 0);
            };
            let seats = seats
                .into_iter()
                .enumerate()
                .map(|(i, seat)| (format!("psess-{i}"), seat))
                .collect();
            let mut gs = hosting_game_server();
            refused_changes_nothing(&mut gs, |gs| gs.create_player_sessions(seats).map(drop));
            // An id the path does not percent-decode is refused too.
            return (!id.contains('%')).then_some(Verdict::Accepted(404));
        }
        ("POST", ["v1", "allocations"]) => {
            let Some(allocation) = decode::<AllocationRequest>(body) else {
                return verdict(false, 0);
            };
            let accepted = allocation.validate().is_ok();
            if accepted {
                let change = allocation.change(GameServerState::Ready);
                let mut gs = ready_game_server();
                refused_changes_nothing(&mut gs, |gs| gs.allocate_by_request(&change));
            }
            return verdict(accepted, 409);
        }
        ("GET", ["v1", "playersessions"]) => {
            if let Some(describe) = query::<DescribeRequest>(request) {
                let _ = hosting_game_server().describe_player_sessions(&describe);
            }
        }
        ("POST", ["v1", "registry", group, "gameservers"]) => {
            if let Some(register) = decode::<RegisterGameServer>(body) {
                let mut registry = registry(group);
                registry_refusal_changes_nothing(&mut registry, |r| {
                    r.register(group, register).map(drop)
                });
            }
        }
        ("POST", ["v1", "registry", group, "claim"]) => {
            if let Some(claim) = decode::<ClaimGameServer>(body) {
                let mut registry = registry(group);
                registry_refusal_changes_nothing(&mut registry, |r| {
                    r.claim(group, claim).map(drop)
                });
            }
        }
        ("PATCH", ["v1", "registry", group, "gameservers", id]) => {
            if let Some(update) = decode::<UpdateGameServer>(body) {
                let mut registry = registry(group);
                registry_refusal_changes_nothing(&mut registry, |r| {
                    r.update(group, id, update).map(drop)
                });
            }
        }
        ("GET", ["v1", "registry", group, "gameservers"]) => {
            if let Some(list) = query::<ListGameServers>(request) {
                let _ = registry(group).list(group, &list);
            }
        }
        _ => {}
    }
    None
}

/// The body as `T`, as the API's JSON extractor reads it.
fn decode<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    serde_json::from_slice(body).ok()
}

/// The query as `T`, as the API's query extractor reads it.
fn query<T: DeserializeOwned>(request: &FuzzRequest) -> Option<T> {
    let uri = Uri::try_from(request.target).ok()?;
    Query::<T>::try_from_uri(&uri).ok().map(|q| q.0)
}

/// Starts a game server from a template the daemon accepted, as the fleet
/// controller does, brings it to Ready and renders its record.
fn run_template(template: GameServerSpec) {
    let mut gs = GameServer::new(identity(), Arc::new(template), clock());
    gs.init_sdk();
    gs.process_ready(0)
        .expect("a new game server declares readiness");
    gs.confirm_ready();
    serde_json::to_vec(&gs.record()).expect("a record renders as JSON");
}

/// Runs `call`; when it refuses, the game server's record must not change.
fn refused_changes_nothing(
    gs: &mut GameServer,
    call: impl FnOnce(&mut GameServer) -> gamehost_model::Result<()>,
) {
    let before = gs.record();
    if let Err(error) = call(gs) {
        assert_eq!(gs.record(), before, "refused ({error:?}) yet changed");
    }
}

/// Runs `call`; when it refuses, the registry's entries must not change.
fn registry_refusal_changes_nothing(
    registry: &mut Registry,
    call: impl FnOnce(&mut Registry) -> gamehost_model::Result<()>,
) {
    let before: Vec<_> = registry.entries().collect();
    if let Err(error) = call(registry) {
        let after: Vec<_> = registry.entries().collect();
        assert_eq!(after, before, "refused ({error:?}) yet changed");
    }
}

fn clock() -> Arc<FakeClock> {
    Arc::new(FakeClock::new(START))
}

fn identity() -> Identity {
    Identity {
        name: "gs-fuzz".into(),
        fleet: "arena".into(),
        uid: "uid-fuzz".into(),
        host_id: "fuzz".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    }
}

/// A Ready game server with a counter, a list and four player slots.
fn ready_game_server() -> GameServer {
    let spec = GameServerSpec {
        counters: BTreeMap::from([(
            "rounds".to_owned(),
            CounterSpec {
                count: 2,
                capacity: 10,
            },
        )]),
        lists: BTreeMap::from([(
            "players".to_owned(),
            ListSpec {
                capacity: 4,
                values: vec!["alice".into()],
            },
        )]),
        player_capacity: 4,
        ..GameServerSpec::default()
    }
    .with_health_checks_off();
    let mut gs = GameServer::new(identity(), Arc::new(spec), clock());
    gs.init_sdk();
    gs.process_ready(0).expect("ready");
    gs.confirm_ready();
    gs
}

/// A game server hosting an ACTIVE game session of four slots, one of them
/// reserved.
fn hosting_game_server() -> GameServer {
    let mut gs = ready_game_server();
    let new = NewGameSession {
        name: "match".into(),
        maximum_player_session_count: 4,
        ..NewGameSession::default()
    };
    gs.start_game_session("gsess-1".into(), new)
        .expect("a game session starts");
    gs.activate_game_session().expect("it activates");
    let seat = gamehost_model::NewPlayerSession {
        player_id: "alice".into(),
        player_data: String::new(),
    };
    gs.create_player_sessions(vec![("psess-alice".into(), seat)])
        .expect("a seat is reserved");
    gs
}

/// A registry with one game server registered into `group` (when it is a
/// valid group name).
fn registry(group: &str) -> Registry {
    let mut registry = Registry::new("fuzz", clock());
    let _ = registry.register(
        group,
        RegisterGameServer {
            game_server_id: REGISTERED.into(),
            instance_id: "i-fuzz".into(),
            connection_info: None,
            game_server_data: None,
        },
    );
    registry
}
