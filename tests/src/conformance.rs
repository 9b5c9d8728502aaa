//! The SDK conformance run, the same for every guest language: drive the
//! conformance guest through every callback and collect what it saw.

use crate::{engine, field, quiet_spec, start_with_limits, wait_for_end, wait_for_state, within};
use gamehost_model::{
    CounterSpec, GameProperty, GameServerRecord, GameServerSpec, GameServerState,
    GameSessionUpdate, ListSpec, NewGameSession, NewPlayerSession, RoleCredentials, UpdateReason,
};
use gamehost_runtime::engine::InstanceLimits;
use gamehost_runtime::sdk::{LogLine, SdkCalls, SdkFunction};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

/// The template the conformance guest expects.
pub fn spec() -> GameServerSpec {
    let credentials = RoleCredentials {
        access_key_id: "AKIACONFORMANCE".into(),
        ..RoleCredentials::default()
    };
    GameServerSpec {
        counters: BTreeMap::from([(
            "conformance".into(),
            CounterSpec {
                count: 0,
                capacity: 10,
            },
        )]),
        lists: BTreeMap::from([(
            "conformance".into(),
            ListSpec {
                capacity: 3,
                values: vec![],
            },
        )]),
        player_capacity: 2,
        role_credentials: BTreeMap::from([("arn:conformance".into(), credentials)]),
        ..quiet_spec()
    }
}

/// What a conformance run saw.
pub struct Report {
    /// Every `conformance check` line, in order.
    pub checks: Vec<LogLine>,
    /// Every `conformance skipped` line: a check the guest's language cannot
    /// make, with the reason.
    pub skipped: Vec<LogLine>,
    /// The names of the checks made or skipped, in order.
    pub outline: Vec<String>,
    /// The phases that completed, in order.
    pub phases: Vec<String>,
    /// SDK calls of both runs (GameLift flow and shutdown flow).
    pub calls: Vec<(SdkFunction, u64)>,
    /// The game server of the GameLift flow, at its end.
    pub record: Arc<GameServerRecord>,
    /// Its log.
    pub log: Vec<LogLine>,
}

impl Report {
    /// The checks that failed.
    pub fn failures(&self) -> Vec<String> {
        self.checks
            .iter()
            .filter(|l| field(l, "ok") != Some("true"))
            .map(|l| {
                format!(
                    "{}: {}",
                    field(l, "check").unwrap_or("?"),
                    field(l, "detail").unwrap_or("")
                )
            })
            .collect()
    }

    /// The SDK functions never called.
    pub fn uncalled(&self) -> Vec<&'static str> {
        self.calls
            .iter()
            .filter(|(_, n)| *n == 0)
            .map(|(f, _)| f.name())
            .collect()
    }
}

/// The engine's limits with a call deadline of a second: the conformance
/// guests check the SDK's rules, and an interpreted guest's checks, run
/// against this debug build on a busy machine, can come near the 40 ms
/// default. The deadline has tests of its own (`faults`, `guest_abuse`).
fn limits() -> InstanceLimits {
    InstanceLimits {
        call_deadline: Duration::from_secs(1),
        ..engine().default_limits()
    }
}

/// Runs the conformance guest at `path` through both flows.
pub async fn run(path: &str) -> Report {
    let (record, mut log, gamelift_calls) = gamelift_flow(path).await;
    let (shutdown_log, shutdown_calls) = shutdown_flow(path).await;
    log.extend(shutdown_log);
    let calls = SdkFunction::ALL
        .iter()
        .map(|f| (*f, gamelift_calls.of(*f) + shutdown_calls.of(*f)))
        .collect();
    let with = |message: &str| -> Vec<LogLine> {
        log.iter()
            .filter(|l| l.message == message)
            .cloned()
            .collect()
    };
    let checks = with("conformance check");
    let skipped = with("conformance skipped");
    let outline = log
        .iter()
        .filter(|l| l.message == "conformance check" || l.message == "conformance skipped")
        .filter_map(|l| field(l, "check").map(str::to_owned))
        .collect();
    let phases = log
        .iter()
        .filter(|l| l.message == "conformance phase")
        .filter_map(|l| field(l, "phase").map(str::to_owned))
        .collect();
    Report {
        checks,
        skipped,
        outline,
        phases,
        calls,
        record,
        log,
    }
}

async fn gamelift_flow(path: &str) -> (Arc<GameServerRecord>, Vec<LogLine>, SdkCalls) {
    let gs = start_with_limits(path, spec(), limits());
    wait_for_state(&gs, GameServerState::Ready).await;
    let new = NewGameSession {
        name: "conformance".into(),
        maximum_player_session_count: 3,
        game_properties: vec![GameProperty::new("mode", "conformance")],
        game_session_data: "data".into(),
        ..NewGameSession::default()
    };
    within(
        "start-game-session",
        gs.start_game_session("gsess-conformance".into(), new),
    )
    .await
    .unwrap();
    let players = (1..=3)
        .map(|i| {
            (
                format!("psess-{i}"),
                NewPlayerSession {
                    player_id: format!("player-{i}"),
                    player_data: String::new(),
                },
            )
        })
        .collect();
    gs.create_player_sessions(players)
        .await
        .expect("creating player sessions");
    within(
        "a player connecting",
        gs.player_connect("psess-1".into(), crate::detached_link()),
    )
    .await
    .expect("the player is admitted");
    let update = GameSessionUpdate {
        matchmaker_data: Some(r#"{"matchmaker":"conformance"}"#.into()),
        maximum_player_session_count: None,
        name: None,
        player_session_creation_policy: None,
        update_reason: UpdateReason::MatchmakingDataUpdated,
        backfill_ticket_id: Some("conformance-ticket".into()),
    };
    gs.update_game_session(update)
        .await
        .expect("updating the game session");
    gs.player_disconnect("psess-1".into())
        .await
        .expect("disconnecting the player");
    gs.request_termination()
        .await
        .expect("requesting termination");
    let record = wait_for_end(&gs).await;
    (record, gs.log().lines(), gs.sdk_calls().clone())
}

async fn shutdown_flow(path: &str) -> (Vec<LogLine>, SdkCalls) {
    let mut spec = spec();
    spec.labels
        .insert("conformance-ending".into(), "shutdown".into());
    let gs = start_with_limits(path, spec, limits());
    let record = wait_for_end(&gs).await;
    assert_eq!(
        record.status.state,
        GameServerState::Shutdown,
        "{:?}",
        record.process.ending
    );
    (gs.log().lines(), gs.sdk_calls().clone())
}
