//! Table-driven tests of the game-server aggregate with a fake clock.

use super::*;
use ErrorCode::*;
use GameServerState::*;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

const START: Timestamp = Timestamp::from_millis(1_700_000_000_000);

fn spec() -> GameServerSpec {
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
        health: HealthSpec {
            disabled: true,
            ..HealthSpec::default()
        },
        health_check: HealthCheckSpec {
            disabled: true,
            ..HealthCheckSpec::default()
        },
        ..GameServerSpec::default()
    }
}

fn with_pings() -> GameServerSpec {
    GameServerSpec {
        health: HealthSpec::default(),
        ..spec()
    }
}

fn server_with(spec: GameServerSpec) -> (GameServer, Arc<FakeClock>) {
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

fn server() -> (GameServer, Arc<FakeClock>) {
    server_with(spec())
}

fn in_state(state: GameServerState) -> GameServer {
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

fn ready(gs: &mut GameServer) {
    gs.ready().unwrap();
    gs.confirm_ready();
}

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
    let none = BTreeMap::new();
    let mut gs = in_state(Reserved);
    assert_eq!(
        gs.allocate_by_request(&labels, &none).unwrap_err().code,
        FailedPrecondition
    );
    let mut gs = in_state(Ready);
    let bad = BTreeMap::from([("bad key".to_owned(), "v".to_owned())]);
    assert_eq!(
        gs.allocate_by_request(&bad, &none).unwrap_err().code,
        InvalidArgument
    );
    assert_eq!(gs.state(), Ready);
    gs.allocate_by_request(
        &labels,
        &BTreeMap::from([("note".to_owned(), "hi".to_owned())]),
    )
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
fn gamelift_calls_need_init_sdk() {
    type Op = fn(&mut GameServer) -> Result<()>;
    let ops: [(&str, Op); 11] = [
        ("process-ready", |gs| gs.process_ready(0)),
        ("process-ending", |gs| gs.process_ending()),
        ("get-termination-time", |gs| gs.termination_time().map(drop)),
        ("get-compute-certificate", |gs| {
            gs.compute_host_name().map(drop)
        }),
        ("get-fleet-role-credentials", |gs| {
            gs.fleet_role_credentials("r").map(drop)
        }),
        ("destroy", |gs| gs.destroy()),
        ("activate-game-session", |gs| gs.activate_game_session()),
        ("get-game-session-id", |gs| gs.game_session_id().map(drop)),
        ("accept-player-session", |gs| gs.accept_player_session("p")),
        ("remove-player-session", |gs| gs.remove_player_session("p")),
        ("describe-player-sessions", |gs| {
            gs.describe_player_sessions(&DescribeRequest {
                player_id: Some("p".into()),
                ..Default::default()
            })
            .map(drop)
        }),
    ];
    for (name, op) in ops {
        let (mut gs, _) = server();
        assert_eq!(
            op(&mut gs).unwrap_err().code,
            NotInitialized,
            "{name} before init-sdk"
        );
        gs.init_sdk();
        gs.destroy().unwrap();
        assert_eq!(
            op(&mut gs).unwrap_err().code,
            NotInitialized,
            "{name} after destroy"
        );
    }
}

#[test]
fn init_sdk_and_process_ready() {
    let (mut gs, _) = server();
    let params = gs.init_sdk();
    assert_eq!(
        (
            params.process_id.as_str(),
            params.host_id.as_str(),
            params.fleet_id.as_str()
        ),
        ("gs-1", "host-a", "arena")
    );
    assert_eq!(gs.game_session_id().unwrap(), "");
    gs.process_ready(9000).unwrap();
    gs.confirm_ready();
    assert_eq!(gs.state(), Ready);
    assert_eq!(gs.record().process.status, ProcessStatus::Active);
    assert_eq!(gs.record().status.ports[0].port, 9000);
    assert_eq!(gs.process_ready(0).unwrap_err().code, FailedPrecondition);
    assert_eq!(gs.termination_time().unwrap_err().code, FailedPrecondition);
    assert_eq!(gs.compute_host_name().unwrap(), "host-a");
    assert_eq!(
        gs.fleet_role_credentials("none").unwrap_err().code,
        NotFound
    );
}

fn hosting() -> (GameServer, Arc<FakeClock>) {
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

fn new_players(ids: &[&str]) -> Vec<(String, NewPlayerSession)> {
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

fn player_status(gs: &GameServer, id: &str) -> PlayerSessionStatus {
    gs.player_sessions().get(id).unwrap().status
}

#[test]
fn the_game_session_flow_of_reference_002() {
    let (mut gs, clock) = hosting();
    assert_eq!(gs.state(), Allocated);
    assert_eq!(gs.game_session_id().unwrap(), "gsess-1");
    assert_eq!(
        gs.create_player_sessions(new_players(&["a"]))
            .unwrap_err()
            .code,
        FailedPrecondition
    );
    gs.activate_game_session().unwrap();
    assert_eq!(
        gs.activate_game_session().unwrap_err().code,
        FailedPrecondition
    );
    assert_eq!(gs.game_session().unwrap().status, GameSessionStatus::Active);

    let created = gs.create_player_sessions(new_players(&["a", "b"])).unwrap();
    assert!(
        created
            .iter()
            .all(|p| p.status == PlayerSessionStatus::Reserved && p.endpoint.port == 7777)
    );
    assert_eq!(
        gs.create_player_sessions(new_players(&["c"]))
            .unwrap_err()
            .code,
        AtCapacity
    );
    gs.accept_player_session("ps-a").unwrap();
    assert_eq!(player_status(&gs, "ps-a"), PlayerSessionStatus::Active);

    clock.advance(Duration::from_secs(60));
    gs.run_timers();
    assert_eq!(player_status(&gs, "ps-b"), PlayerSessionStatus::Timedout);
    assert_eq!(
        gs.accept_player_session("ps-b").unwrap_err().code,
        FailedPrecondition
    );
    gs.create_player_sessions(new_players(&["c"])).unwrap();

    gs.remove_player_session("ps-a").unwrap();
    assert_eq!(player_status(&gs, "ps-a"), PlayerSessionStatus::Completed);
    assert_eq!(
        gs.remove_player_session("ps-a").unwrap_err().code,
        FailedPrecondition
    );
    assert_eq!(
        gs.remove_player_session("ps-zz").unwrap_err().code,
        NotFound
    );

    gs.terminate_game_session().unwrap();
    assert_eq!(
        gs.game_session().unwrap().status,
        GameSessionStatus::Terminated
    );
    assert_eq!(
        gs.game_session().unwrap().status_reason.as_deref(),
        Some(reasons::TERMINATED_BY_GAME_MODE)
    );
    assert_eq!(player_status(&gs, "ps-c"), PlayerSessionStatus::Completed);
    assert_eq!(gs.game_session_id().unwrap(), "");

    gs.process_ending().unwrap();
    assert_eq!(gs.state(), Shutdown);
    assert_eq!(gs.ending().unwrap().kind, EndKind::ProcessEnding);
    assert_eq!(gs.record().process.status, ProcessStatus::Terminated);
    assert_eq!(gs.process_ending().unwrap_err().code, FailedPrecondition);
}

#[test]
fn a_reused_game_server_hosts_a_second_game_session() {
    let (mut gs, _) = hosting();
    gs.activate_game_session().unwrap();
    gs.terminate_game_session().unwrap();
    ready(&mut gs);
    let new = NewGameSession {
        maximum_player_session_count: 1,
        ..Default::default()
    };
    gs.start_game_session("gsess-2".into(), new).unwrap();
    assert_eq!(gs.game_session_id().unwrap(), "gsess-2");
    assert_eq!(gs.player_sessions().iter().count(), 0);
}

#[test]
fn game_sessions_need_a_ready_game_server() {
    let new = NewGameSession {
        maximum_player_session_count: 1,
        ..Default::default()
    };
    for state in [Scheduled, Reserved, Allocated, Shutdown] {
        let mut gs = in_state(state);
        assert_eq!(
            gs.start_game_session("g".into(), new.clone())
                .unwrap_err()
                .code,
            FailedPrecondition,
            "{state}"
        );
    }
    let (mut gs, _) = hosting();
    assert_eq!(
        gs.start_game_session("g2".into(), new).unwrap_err().code,
        FailedPrecondition
    );
}

#[test]
fn player_session_policy_and_describe_isolation() {
    let (mut gs, _) = hosting();
    gs.activate_game_session().unwrap();
    gs.set_creation_policy(CreationPolicy::DenyAll).unwrap();
    assert_eq!(
        gs.create_player_sessions(new_players(&["a"]))
            .unwrap_err()
            .code,
        FailedPrecondition
    );
    gs.set_creation_policy(CreationPolicy::AcceptAll).unwrap();
    gs.create_player_sessions(new_players(&["a"])).unwrap();
    let theirs = DescribeRequest {
        game_session_id: Some("gsess-other".into()),
        ..Default::default()
    };
    assert_eq!(
        gs.describe_player_sessions(&theirs).unwrap_err().code,
        NotFound
    );
    let ours = DescribeRequest {
        game_session_id: Some("gsess-1".into()),
        ..Default::default()
    };
    assert_eq!(
        gs.describe_player_sessions(&ours)
            .unwrap()
            .player_sessions
            .len(),
        1
    );
}

#[test]
fn activation_timeout_terminates_the_game_session_and_the_process() {
    let (mut gs, clock) = hosting();
    clock.advance(Duration::from_secs(59));
    gs.run_timers();
    assert_eq!(
        gs.game_session().unwrap().status,
        GameSessionStatus::Activating
    );
    clock.advance(Duration::from_secs(1));
    gs.run_timers();
    let session = gs.game_session().unwrap();
    assert_eq!(session.status, GameSessionStatus::Terminated);
    assert_eq!(
        session.status_reason.as_deref(),
        Some(reasons::ACTIVATION_TIMEOUT)
    );
    let grace_end = clock.now() + Duration::from_secs(300);
    assert_eq!(
        gs.take_actions(),
        vec![Action::CallProcessTerminate {
            termination_time: grace_end
        }]
    );
}

#[test]
fn termination_request_then_process_ending() {
    let (mut gs, clock) = hosting();
    gs.activate_game_session().unwrap();
    let time = gs.request_termination().unwrap();
    assert_eq!(time, clock.now() + Duration::from_secs(300));
    assert_eq!(
        gs.request_termination().unwrap(),
        time,
        "asking again changes nothing"
    );
    assert_eq!(
        gs.take_actions(),
        vec![Action::CallProcessTerminate {
            termination_time: time
        }]
    );
    assert_eq!(gs.termination_time().unwrap(), time);
    assert_eq!(
        gs.game_session().unwrap().status,
        GameSessionStatus::Terminating
    );
    assert_eq!(gs.record().process.status, ProcessStatus::Terminating);
    gs.process_ending().unwrap();
    assert_eq!(gs.state(), Shutdown);
    assert_eq!(
        gs.game_session().unwrap().status,
        GameSessionStatus::Terminated
    );
    assert_eq!(gs.next_timer(), None);
}

#[test]
fn termination_grace_runs_out() {
    let (mut gs, clock) = hosting();
    gs.activate_game_session().unwrap();
    gs.request_termination().unwrap();
    clock.advance(Duration::from_secs(299));
    gs.run_timers();
    assert!(gs.ending().is_none());
    clock.advance(Duration::from_secs(1));
    gs.run_timers();
    assert_eq!(gs.ending().unwrap().kind, EndKind::GraceExpired);
    assert_eq!(gs.state(), Shutdown);
    assert_eq!(
        gs.game_session().unwrap().status_reason.as_deref(),
        Some(reasons::FORCE_TERMINATED)
    );
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
    let mut answers = [true, false, false, true, false, false, false].into_iter();
    let mut calls = 0;
    while gs.state() != Unhealthy {
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
fn match_backfill() {
    let (mut gs, _) = hosting();
    let players = vec![MatchmakingPlayer {
        player_id: "a".into(),
        ..Default::default()
    }];
    let start = |gs: &mut GameServer, ticket: Option<&str>, arn: &str| {
        gs.start_match_backfill(
            ticket.map(str::to_owned),
            "mm-config".into(),
            arn,
            players.clone(),
        )
    };
    assert_eq!(
        start(&mut gs, None, "gsess-1").unwrap_err().code,
        FailedPrecondition,
        "not ACTIVE yet"
    );
    gs.activate_game_session().unwrap();
    assert_eq!(
        start(&mut gs, None, "gsess-other").unwrap_err().code,
        NotFound
    );
    let ticket = start(&mut gs, None, "gsess-1").unwrap();
    assert_eq!(ticket, "gsess-1-backfill-1");
    assert_eq!(
        start(&mut gs, Some("t2"), "gsess-1").unwrap_err().code,
        FailedPrecondition
    );
    assert_eq!(gs.stop_match_backfill("wrong").unwrap_err().code, NotFound);
    gs.stop_match_backfill(&ticket).unwrap();
    let t2 = start(&mut gs, Some("t2"), "gsess-1").unwrap();
    let update = GameSessionUpdate {
        matchmaker_data: Some("{\"players\":[]}".into()),
        maximum_player_session_count: None,
        name: None,
        player_session_creation_policy: None,
        update_reason: UpdateReason::MatchmakingDataUpdated,
        backfill_ticket_id: Some(t2),
    };
    let session = gs.update_game_session(update).unwrap();
    assert_eq!(session.matchmaker_data, "{\"players\":[]}");
    assert!(session.backfill.is_none());
}

#[test]
fn role_credentials_come_from_the_template() {
    let mut with_creds = spec();
    let creds = RoleCredentials {
        access_key_id: "AK".into(),
        ..RoleCredentials::default()
    };
    with_creds
        .role_credentials
        .insert("arn:role/game".into(), creds.clone());
    let (mut gs, _) = server_with(with_creds);
    gs.init_sdk();
    assert_eq!(gs.fleet_role_credentials("arn:role/game").unwrap(), &creds);
}
