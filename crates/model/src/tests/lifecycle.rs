//! The game server's Agones side: states, reserve, allocation, metadata,
//! generations, health pings and checks, and faults.

use super::super::*;
use super::fixture::*;
use ErrorCode::*;
use GameServerState::*;
use std::collections::BTreeMap;
use std::time::Duration;

#[test]
fn lifecycle_transitions_follow_agones() {
    type Op = fn(&mut GameServer) -> Result<()>;
    let ops: [(&str, Op); 4] = [
        ("ready", |gs| {
            gs.ready().map(|_| {
                gs.confirm_ready();
            })
        }),
        ("reserve", |gs| gs.reserve(5)),
        ("allocate", |gs| gs.allocate()),
        ("shutdown", |gs| gs.shutdown()),
    ];
    // For each starting state: the state after each op, or the error code.
    let table: [(
        GameServerState,
        [std::result::Result<GameServerState, ErrorCode>; 4],
    ); 8] = [
        (
            Scheduled,
            [Ok(Ready), Ok(Reserved), Ok(Allocated), Ok(Shutdown)],
        ),
        (
            RequestReady,
            [Ok(Ready), Ok(Reserved), Ok(Allocated), Ok(Shutdown)],
        ),
        (
            Ready,
            [Ok(Ready), Ok(Reserved), Ok(Allocated), Ok(Shutdown)],
        ),
        (
            Reserved,
            [Ok(Ready), Ok(Reserved), Ok(Allocated), Ok(Shutdown)],
        ),
        (
            Allocated,
            [Ok(Ready), Ok(Reserved), Ok(Allocated), Ok(Shutdown)],
        ),
        (
            Shutdown,
            [
                Err(FailedPrecondition),
                Err(FailedPrecondition),
                Err(FailedPrecondition),
                Err(FailedPrecondition),
            ],
        ),
        (
            Unhealthy,
            [
                Err(FailedPrecondition),
                Err(FailedPrecondition),
                Err(FailedPrecondition),
                Err(FailedPrecondition),
            ],
        ),
        (
            Error,
            [
                Err(FailedPrecondition),
                Err(FailedPrecondition),
                Err(FailedPrecondition),
                Err(FailedPrecondition),
            ],
        ),
    ];
    for (from, expected) in table {
        for ((name, op), want) in ops.iter().zip(expected) {
            let mut gs = in_state(from);
            let got = op(&mut gs).map(|_| gs.state()).map_err(|e| e.code);
            assert_eq!(got, want, "{from} --{name}-->");
            if want.is_err() {
                assert_eq!(gs.state(), from, "{from} --{name}--> must change nothing");
            }
        }
    }
}

#[test]
fn ready_reads_request_ready_until_confirmed() {
    let (mut gs, _) = server();
    gs.ready().unwrap();
    assert_eq!(gs.state(), RequestReady);
    assert!(gs.confirm_ready());
    assert_eq!(gs.state(), Ready);
    assert!(!gs.confirm_ready());
}

#[test]
fn reserve_timer() {
    // (name, reserve seconds, what happens next, seconds later, expected state)
    type Then = fn(&mut GameServer);
    let cases: [(&str, u32, Then, u64, GameServerState); 5] = [
        ("expires back to Ready", 5, |_| {}, 5, Ready),
        ("not before its time", 5, |_| {}, 4, Reserved),
        ("zero means until changed", 0, |_| {}, 3600, Reserved),
        ("ready cancels it", 5, |gs| ready(gs), 10, Ready),
        (
            "allocate cancels it",
            5,
            |gs| gs.allocate().unwrap(),
            10,
            Allocated,
        ),
    ];
    for (name, seconds, then, later, want) in cases {
        let (mut gs, clock) = server();
        ready(&mut gs);
        gs.reserve(seconds).unwrap();
        then(&mut gs);
        clock.advance(Duration::from_secs(later));
        gs.run_timers();
        assert_eq!(gs.state(), want, "{name}");
    }
    let (mut gs, _) = server();
    gs.reserve(5).unwrap();
    assert_eq!(gs.next_timer(), Some(START + Duration::from_secs(5)));
    assert_eq!(gs.record().status.reserved_until, Some(START.as_secs() + 5));
}

#[test]
fn allocate_stamps_last_allocated_every_time() {
    let (mut gs, clock) = server();
    gs.allocate().unwrap();
    let first = gs.annotations()[limits::LAST_ALLOCATED_ANNOTATION].clone();
    assert_eq!(first, START.to_rfc3339());
    clock.advance(Duration::from_secs(3));
    gs.allocate().unwrap();
    assert_eq!(
        gs.annotations()[limits::LAST_ALLOCATED_ANNOTATION],
        (START + Duration::from_secs(3)).to_rfc3339()
    );
}

#[test]
fn control_plane_allocation_needs_ready_and_valid_metadata() {
    let labels = BTreeMap::from([("team".to_owned(), "red".to_owned())]);
    let with_labels = AllocationChange {
        labels: labels.clone(),
        ..AllocationChange::default()
    };
    let mut gs = in_state(Reserved);
    assert_eq!(
        gs.allocate_by_request(&with_labels).unwrap_err().code,
        FailedPrecondition
    );
    let mut gs = in_state(Ready);
    let bad = AllocationChange {
        labels: BTreeMap::from([("bad key".to_owned(), "v".to_owned())]),
        ..AllocationChange::default()
    };
    assert_eq!(
        gs.allocate_by_request(&bad).unwrap_err().code,
        InvalidArgument
    );
    assert_eq!(gs.state(), Ready);
    gs.allocate_by_request(&AllocationChange {
        annotations: BTreeMap::from([("note".to_owned(), "hi".to_owned())]),
        ..with_labels
    })
    .unwrap();
    assert_eq!(gs.state(), Allocated);
    assert_eq!(gs.labels()["team"], "red");
    assert_eq!(gs.annotations()["note"], "hi");
}

#[test]
fn metadata_goes_under_the_sdk_prefix() {
    let (mut gs, _) = server();
    gs.set_label("mode", "ffa").unwrap();
    gs.set_annotation("motd", "hello world").unwrap();
    assert_eq!(gs.labels()["agones.dev/sdk-mode"], "ffa");
    assert_eq!(gs.annotations()["agones.dev/sdk-motd"], "hello world");
    assert_eq!(
        gs.set_label("bad key", "v").unwrap_err().code,
        InvalidArgument
    );
    assert_eq!(
        gs.set_label("k", "bad value").unwrap_err().code,
        InvalidArgument
    );
    assert_eq!(
        gs.set_annotation("k", &"x".repeat(64 * 1024 + 1))
            .unwrap_err()
            .code,
        InvalidArgument
    );
    for i in gs.labels().len()..limits::MAX_LABELS {
        gs.set_label(&format!("l{i}"), "v").unwrap();
    }
    assert_eq!(gs.set_label("one-more", "v").unwrap_err().code, AtCapacity);
    gs.set_label("mode", "tdm").unwrap();
}

#[test]
fn every_change_bumps_the_generation_and_reads_do_not() {
    let (mut gs, _) = server();
    let g0 = gs.generation();
    gs.update_counters(|c| c.increment("rounds", 1)).unwrap();
    assert_eq!(gs.generation(), g0 + 1);
    assert!(gs.update_counters(|c| c.increment("nope", 1)).is_err());
    assert!(!gs.player_disconnect("nobody"));
    let _ = gs.record();
    assert_eq!(gs.generation(), g0 + 1);
    assert!(gs.player_connect("p1").unwrap());
    assert!(!gs.player_connect("p1").unwrap());
    assert_eq!(gs.generation(), g0 + 2);
}

#[test]
fn the_standing_generation_moves_with_all_but_the_game_modes_own_metadata() {
    type Change = fn(&mut GameServer);
    // Each change, and whether it is more than metadata.
    let table: [(&str, Change, bool); 10] = [
        (
            "set-label",
            |gs| gs.set_label("mode", "tdm").unwrap(),
            false,
        ),
        (
            "set-annotation",
            |gs| gs.set_annotation("score", "1").unwrap(),
            false,
        ),
        (
            "a counter",
            |gs| gs.update_counters(|c| c.increment("rounds", 1)).unwrap(),
            false,
        ),
        (
            "a list",
            |gs| gs.update_lists(|l| l.append("players", "p1")).unwrap(),
            false,
        ),
        (
            "player-connect",
            |gs| assert!(gs.player_connect("p1").unwrap()),
            false,
        ),
        (
            "player-disconnect",
            |gs| assert!(gs.player_disconnect("p1")),
            false,
        ),
        (
            "set-player-capacity",
            |gs| gs.set_player_capacity(4).unwrap(),
            false,
        ),
        (
            "a host annotation",
            |gs| gs.set_host_annotation("gamehost.dev/module", "m@2"),
            true,
        ),
        ("reserve", |gs| gs.reserve(5).unwrap(), true),
        ("allocate", |gs| gs.allocate().unwrap(), true),
    ];
    let (mut gs, _) = server();
    for (name, change, standing) in table {
        let (generation, before) = (gs.generation(), gs.standing_generation());
        change(&mut gs);
        assert_eq!(gs.generation(), generation + 1, "{name}");
        let expected = if standing { gs.generation() } else { before };
        assert_eq!(gs.standing_generation(), expected, "{name}");
    }
}

#[test]
fn missed_pings_make_it_unhealthy_and_start_termination() {
    let (mut gs, clock) = server_with(with_pings());
    ready(&mut gs);
    clock.advance(Duration::from_secs(24));
    gs.run_timers();
    assert_eq!(gs.state(), Ready);
    clock.advance(Duration::from_secs(1));
    gs.run_timers();
    assert_eq!(gs.state(), Unhealthy);
    assert_eq!(
        gs.record().status.unhealthy_reason.as_deref(),
        Some("missed 3 health pings in a row")
    );
    assert!(matches!(
        gs.take_actions()[..],
        [Action::CallProcessTerminate { .. }]
    ));
    assert_eq!(gs.ready().unwrap_err().code, FailedPrecondition);
    gs.init_sdk();
    gs.process_ending().unwrap();
    assert_eq!(gs.state(), Unhealthy, "Unhealthy is terminal");
}

#[test]
fn pings_keep_it_healthy() {
    let (mut gs, clock) = server_with(with_pings());
    for _ in 0..20 {
        clock.advance(Duration::from_secs(4));
        gs.health().unwrap();
        gs.run_timers();
    }
    assert_eq!(gs.state(), Scheduled);
}

#[test]
fn host_health_checks() {
    let mut quick = spec();
    quick.health_check = HealthCheckSpec {
        disabled: false,
        period_seconds: 10,
        failure_threshold: 3,
    };
    let (mut gs, clock) = server_with(quick);
    clock.advance(Duration::from_secs(100));
    gs.run_timers();
    assert!(
        !gs.take_actions().contains(&Action::CallHealthCheck),
        "no health check before the process is ready"
    );
    ready(&mut gs);
    let mut answers = [true, false, false, true, false, false, false].into_iter();
    let mut calls = 0;
    for _ in 0..20 {
        if gs.state() == Unhealthy {
            break;
        }
        clock.advance(Duration::from_secs(10));
        gs.run_timers();
        for action in gs.take_actions() {
            if action == Action::CallHealthCheck {
                calls += 1;
                gs.record_health_check(answers.next().unwrap());
            }
        }
    }
    assert_eq!(calls, 7);
    assert_eq!(
        gs.record().status.unhealthy_reason.as_deref(),
        Some("on-health-check reported unhealthy 3 times in a row")
    );
}

#[test]
fn health_check_answers_after_the_end_change_nothing() {
    let mut gs = in_state(Shutdown);
    for _ in 0..5 {
        gs.record_health_check(false);
    }
    assert_eq!(gs.state(), Shutdown);
    assert_eq!(gs.record().status.unhealthy_reason, None);
}

#[test]
fn faults_end_the_game_server_with_their_reason() {
    let (mut gs, _) = hosting();
    gs.activate_game_session().unwrap();
    gs.create_player_sessions(new_players(&["a"])).unwrap();
    gs.fail(
        EndKind::Deadline,
        "on-player-message ran past its 50 ms deadline",
    );
    assert_eq!(gs.state(), Unhealthy);
    let ending = gs.ending().unwrap();
    assert_eq!(
        (ending.kind, ending.reason.as_str()),
        (
            EndKind::Deadline,
            "on-player-message ran past its 50 ms deadline"
        )
    );
    let session = gs.game_session().unwrap();
    assert_eq!(session.status, GameSessionStatus::Error);
    assert!(
        session
            .status_reason
            .as_deref()
            .unwrap()
            .starts_with(reasons::GAME_SERVER_FAILED)
    );
    assert_eq!(player_status(&gs, "ps-a"), PlayerSessionStatus::Completed);
    assert_eq!(gs.next_timer(), None);
    assert_eq!(in_state(Error).ending().unwrap().kind, EndKind::StartFailed);
}

#[test]
fn the_record_is_camel_case_and_reads_snake_case_records_stored_earlier() {
    let (gs, _) = hosting();
    let record = gs.record();
    let json = serde_json::to_value(&record).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&json), ["objectMeta", "process", "spec", "status"]);
    assert!(keys(&json["objectMeta"]).contains(&"creationTimestamp".to_owned()));
    assert!(keys(&json["process"]).contains(&"gameSession".to_owned()));
    assert!(keys(&json["spec"]["health"]).contains(&"periodSeconds".to_owned()));
    let mut stored = json.to_string();
    for (new, old) in [
        ("objectMeta", "object_meta"),
        ("resourceVersion", "resource_version"),
        ("creationTimestamp", "creation_timestamp"),
        ("reservedUntil", "reserved_until"),
        ("unhealthyReason", "unhealthy_reason"),
        ("sdkInitialized", "sdk_initialized"),
        ("gameSession\"", "game_session\""),
    ] {
        stored = stored.replace(new, old);
    }
    let read: GameServerRecord = serde_json::from_str(&stored).unwrap();
    assert_eq!(read, record);
}
