//! The game server's GameLift side: the process, game sessions, player
//! sessions, termination and match backfill.

use super::super::*;
use super::fixture::*;
use ErrorCode::*;
use GameServerState::*;
use std::time::Duration;

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
    assert_eq!(gs.state(), Ready, "idle again, with no call to ready");
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
        gs.start_game_session("g2".into(), new.clone())
            .unwrap_err()
            .code,
        FailedPrecondition
    );
    // Ready again while its game session is still ACTIVE: no second one.
    gs.activate_game_session().unwrap();
    ready(&mut gs);
    assert_eq!(
        gs.start_game_session("g3".into(), new).unwrap_err().code,
        FailedPrecondition
    );
    assert_eq!(gs.game_session_id().unwrap(), "gsess-1");
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

#[test]
fn a_game_server_hosts_a_game_while_a_game_session_runs_or_players_are_connected() {
    let allocated = || in_state(GameServerState::Allocated);
    /// A case, how to make its game server, whether it hosts a game.
    type Case = (&'static str, fn() -> GameServer, bool);
    let cases: [Case; 5] = [
        ("Ready", || in_state(GameServerState::Ready), false),
        ("allocated for a game not started", allocated, false),
        ("a game session starting", || hosting().0, true),
        (
            "its game session terminated",
            || {
                let (mut gs, _) = hosting();
                gs.activate_game_session().unwrap();
                gs.terminate_game_session().unwrap();
                gs
            },
            false,
        ),
        (
            "a player connected",
            || {
                let mut gs = in_state(GameServerState::Allocated);
                gs.set_player_capacity(2).unwrap();
                gs.player_connect("p1").unwrap();
                gs
            },
            true,
        ),
    ];
    for (case, make, hosts) in cases {
        assert_eq!(make().record().hosts_a_game(), hosts, "{case}");
    }
}
