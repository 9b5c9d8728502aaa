//! The fixture the aggregate's tests share: a game server with a fake clock.

use super::super::*;
use GameServerState::*;
use std::collections::BTreeMap;
use std::sync::Arc;

/// When every test's clock starts.
pub const START: Timestamp = Timestamp::from_millis(1_700_000_000_000);

/// A template with a counter, a list, two player slots, and health checks off.
pub fn spec() -> GameServerSpec {
    GameServerSpec {
        counters: BTreeMap::from([(
            "rounds".to_owned(),
            CounterSpec {
                count: 0,
                capacity: 10,
            },
        )]),
        lists: BTreeMap::from([(
            "players".to_owned(),
            ListSpec {
                capacity: 2,
                values: vec![],
            },
        )]),
        player_capacity: 2,
        ..GameServerSpec::default()
    }
    .with_health_checks_off()
}

/// [`spec`] with Agones' health pings on.
pub fn with_pings() -> GameServerSpec {
    GameServerSpec {
        health: HealthSpec::default(),
        ..spec()
    }
}

/// A game server of `spec` and its clock.
pub fn server_with(spec: GameServerSpec) -> (GameServer, Arc<FakeClock>) {
    spec.validate().unwrap();
    let clock = Arc::new(FakeClock::new(START));
    let identity = Identity {
        name: "gs-1".into(),
        fleet: "arena".into(),
        uid: "uid-1".into(),
        host_id: "host-a".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    };
    (
        GameServer::new(identity, Arc::new(spec), clock.clone()),
        clock,
    )
}

/// A game server of [`spec`] and its clock.
pub fn server() -> (GameServer, Arc<FakeClock>) {
    server_with(spec())
}

/// A game server brought into `state`.
pub fn in_state(state: GameServerState) -> GameServer {
    let (mut gs, _) = server();
    match state {
        Scheduled => {}
        RequestReady => gs.ready().unwrap(),
        Ready => ready(&mut gs),
        Reserved => gs.reserve(0).unwrap(),
        Allocated => gs.allocate().unwrap(),
        Shutdown => gs.shutdown().unwrap(),
        Unhealthy => gs.fail(EndKind::Trap, "boom"),
        Error => gs.fail(EndKind::StartFailed, "no start"),
    }
    assert_eq!(gs.state(), state);
    gs
}

/// `ready`, confirmed as when the guest's call returns.
pub fn ready(gs: &mut GameServer) {
    gs.ready().unwrap();
    gs.confirm_ready();
}

/// A Ready game server hosting an ACTIVATING game session of two slots.
pub fn hosting() -> (GameServer, Arc<FakeClock>) {
    let (mut gs, clock) = server();
    gs.init_sdk();
    gs.process_ready(0).unwrap();
    gs.confirm_ready();
    let new = NewGameSession {
        name: "match".into(),
        maximum_player_session_count: 2,
        ..Default::default()
    };
    let session = gs.start_game_session("gsess-1".into(), new).unwrap();
    assert_eq!(session.status, GameSessionStatus::Activating);
    (gs, clock)
}

/// New player sessions `ps-<id>` for the player ids.
pub fn new_players(ids: &[&str]) -> Vec<(String, NewPlayerSession)> {
    ids.iter()
        .map(|id| {
            (
                format!("ps-{id}"),
                NewPlayerSession {
                    player_id: (*id).to_owned(),
                    player_data: String::new(),
                },
            )
        })
        .collect()
}

/// The status of player session `id`.
pub fn player_status(gs: &GameServer, id: &str) -> PlayerSessionStatus {
    gs.player_sessions().get(id).unwrap().status
}
