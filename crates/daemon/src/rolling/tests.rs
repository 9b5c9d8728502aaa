//! When a game server on probation fails a rolling update: one table of
//! model histories, each judged at a time after the game server started.

use super::*;
use gamehost_model::{EndKind, Endpoint, FakeClock, GameServer, GameServerSpec, Identity};
use std::sync::Arc;

/// A game server started at second 1,000 of a fake clock.
fn game_server() -> (GameServer, Arc<FakeClock>) {
    let identity = Identity {
        name: "arena-1".into(),
        fleet: "arena".into(),
        uid: "uid-1".into(),
        host_id: "host".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    };
    let clock = Arc::new(FakeClock::new(Timestamp::from_millis(1_000_000)));
    let spec = Arc::new(GameServerSpec::default());
    (GameServer::new(identity, spec, clock.clone()), clock)
}

fn ready(gs: &mut GameServer) {
    gs.ready().expect("ready");
}

#[test]
fn a_game_server_fails_its_probation_only_for_what_happened_before_it_was_ready() {
    type History = fn(&mut GameServer);
    let deadline = FIRST_READY_DEADLINE.as_secs();
    // (name, what happened, seconds after the start it is judged, the verdict)
    let cases: &[(&str, History, u64, Option<&str>)] = &[
        ("just started", |_| {}, 0, None),
        ("starting within the deadline", |_| {}, deadline - 1, None),
        (
            "still starting at the deadline",
            |_| {},
            deadline,
            Some("was not Ready 60 s after it started (still Scheduled)"),
        ),
        (
            "asked to be Ready, not yet checked, at the deadline",
            ready,
            deadline,
            Some("was not Ready 60 s after it started (still RequestReady)"),
        ),
        (
            "passed and Ready",
            |gs| {
                ready(gs);
                gs.confirm_ready();
            },
            deadline * 2,
            None,
        ),
        (
            "passed and allocated",
            |gs| {
                ready(gs);
                gs.confirm_ready();
                gs.allocate().expect("allocate");
            },
            deadline * 2,
            None,
        ),
        (
            "answered its first health check with false",
            |gs| {
                ready(gs);
                gs.fail_first_health_check("the first on-health-check answered false");
            },
            1,
            Some("became Unhealthy before it was Ready: the first on-health-check answered false"),
        ),
        (
            "trapped in its first health check",
            |gs| {
                ready(gs);
                gs.fail(EndKind::Trap, "on-health-check: wasm trap: unreachable");
            },
            1,
            Some(
                "became Unhealthy before it was Ready: trap: on-health-check: wasm trap: unreachable",
            ),
        ),
        (
            "failed to instantiate",
            |gs| gs.fail(EndKind::StartFailed, "instantiate: out of memory"),
            1,
            Some("failed to start: instantiate: out of memory"),
        ),
        (
            "stopped by the host before it was Ready",
            |gs| gs.stop("the fleet was deleted"),
            deadline * 2,
            None,
        ),
    ];
    for (name, history, after, want) in cases {
        let (mut gs, clock) = game_server();
        history(&mut gs);
        clock.advance(Duration::from_secs(*after));
        let got = probation_failure(&gs.record(), gs.now());
        assert_eq!(got.as_deref(), *want, "{name}");
    }
}

#[test]
fn game_servers_start_on_probation_only_for_a_rolling_update_to_their_module() {
    let update = |strategy, state| ModuleUpdate {
        strategy,
        from: "old".into(),
        to: "new".into(),
        state,
        updated: 0,
        total: 0,
        reason: None,
        started_at: Timestamp::from_millis(0),
        finished_at: None,
    };
    let fleet = |module: &str, update: Option<ModuleUpdate>| Fleet {
        name: "arena".into(),
        module: module.into(),
        replicas: 1,
        template: GameServerSpec::default(),
        resource_creation_limit_policy: Default::default(),
        created_at: Timestamp::from_millis(0),
        generation: 1,
        previous_module: None,
        update,
    };
    use super::super::fleet::UpdateState::{Failed, InProgress, Succeeded};
    use UpdateStrategy::{InPlace, Rolling};
    let cases = [
        ("no update", fleet("old", None), Readiness::OnRequest),
        (
            "a rolling update in progress",
            fleet("new", Some(update(Rolling, InProgress))),
            Readiness::AfterHealthCheck,
        ),
        (
            "a rolling update that succeeded",
            fleet("new", Some(update(Rolling, Succeeded))),
            Readiness::OnRequest,
        ),
        (
            "a rolling update that failed",
            fleet("old", Some(update(Rolling, Failed))),
            Readiness::OnRequest,
        ),
        (
            "an in-place update in progress",
            fleet("old", Some(update(InPlace, InProgress))),
            Readiness::OnRequest,
        ),
    ];
    for (name, fleet, want) in cases {
        assert_eq!(readiness(&fleet), want, "{name}");
    }
}
