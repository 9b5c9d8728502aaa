//! The game-server lifecycle as the control plane drives it through the
//! engine: what watchers see from start to termination, player sessions
//! timing out, refused player connects, the activation timeout, allocation
//! only from Ready, and the log tagging lines with the game session and
//! capturing the guest's stderr.

use gamehost_guests::{ARENA, BENCH, FAULTS};
use gamehost_model::limits::LAST_ALLOCATED_ANNOTATION;
use gamehost_model::{
    AllocationChange, DescribeRequest, EndKind, ErrorCode, GameServerSpec, GameServerState,
    GameSessionStatus, PlayerSessionStatus, ProcessStatus, reasons,
};
use gamehost_runtime::sdk::{LogLevel, LogSource};
use gamehost_runtime::supervisor::{CommandError, GameServerHandle};
use gamehost_tests::{
    arena_spec, create_player_sessions, engine, faults_spec, host_player, new_game_session,
    quiet_spec, start, start_watched, wait_for_end, wait_for_state, wait_until, within,
};
use std::collections::BTreeMap;
use std::time::Duration;

/// A faults game server without faults, Ready with an ACTIVE game session
/// for `max_players`, built from `spec`.
async fn hosting(spec: GameServerSpec, max_players: u32) -> GameServerHandle {
    let gs = start(FAULTS, spec);
    wait_for_state(&gs, GameServerState::Ready).await;
    let session = within(
        "start-game-session",
        gs.start_game_session("gsess-1".into(), new_game_session(max_players, &[])),
    )
    .await
    .expect("a game session");
    assert_eq!(session.status, GameSessionStatus::Active);
    gs
}

/// The status of player session `id`.
async fn player_session_status(gs: &GameServerHandle, id: &str) -> PlayerSessionStatus {
    let request = DescribeRequest {
        player_session_id: Some(id.into()),
        ..DescribeRequest::default()
    };
    let page = within("describe", gs.describe_player_sessions(request))
        .await
        .expect("describing a player session");
    page.player_sessions[0].status
}

/// Asserts that connecting `id` is refused with a reason containing `why`.
async fn assert_refused(gs: &GameServerHandle, id: &str, why: &str) {
    match within(
        "a player connect",
        gs.player_connect(id.into(), gamehost_tests::detached_link()),
    )
    .await
    {
        Err(CommandError::Refused(reason)) => {
            assert!(reason.contains(why), "{id}: {reason:?} lacks {why:?}")
        }
        other => panic!("{id}: connecting answered {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watchers_see_every_state_change_in_order() {
    let (gs, mut watch) = start_watched(ARENA, arena_spec(2), engine().default_limits());

    wait_for_state(&gs, GameServerState::Ready).await;
    within("allocate", gs.allocate(AllocationChange::default()))
        .await
        .expect("allocating");
    within("request_termination", gs.request_termination())
        .await
        .expect("requesting termination");

    let mut seen = Vec::new();
    loop {
        let record = within("the next record", watch.next())
            .await
            .expect("records until the end");
        seen.push((record.status.state, record.process.status));
        if let Some(ending) = &record.process.ending {
            assert_eq!(ending.kind, EndKind::ProcessEnding);
            break;
        }
    }
    assert!(watch.next().await.is_none(), "the watch ends after the end");
    assert_eq!(
        seen,
        [
            (GameServerState::Scheduled, ProcessStatus::Activating),
            (GameServerState::RequestReady, ProcessStatus::Active),
            (GameServerState::Ready, ProcessStatus::Active),
            (GameServerState::Allocated, ProcessStatus::Active),
            (GameServerState::Allocated, ProcessStatus::Terminating),
            (GameServerState::Shutdown, ProcessStatus::Terminated),
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn player_sessions_time_out_and_free_their_slot() {
    let spec = GameServerSpec {
        player_session_timeout_seconds: 1,
        ..quiet_spec()
    };
    let gs = hosting(spec, 1).await;
    create_player_sessions(&gs, &[("psess-late", "late")])
        .await
        .expect("reserving the only slot");
    match create_player_sessions(&gs, &[("psess-next", "next")]).await {
        Err(CommandError::Rejected(e)) => assert_eq!(e.code, ErrorCode::AtCapacity, "{e}"),
        other => panic!("a second player session while the slot is held: {other:?}"),
    }

    tokio::time::sleep(Duration::from_millis(1500)).await;

    assert_eq!(
        player_session_status(&gs, "psess-late").await,
        PlayerSessionStatus::Timedout
    );
    assert_refused(&gs, "psess-late", "TIMEDOUT").await;
    create_player_sessions(&gs, &[("psess-next", "next")])
        .await
        .expect("the slot is free again");
    within(
        "a player connect",
        gs.player_connect("psess-next".into(), gamehost_tests::detached_link()),
    )
    .await
    .expect("the new player session is admitted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn player_connects_are_refused_with_a_reason() {
    let gs = hosting(quiet_spec(), 3).await;
    let players = [("psess-in", "in"), ("psess-gone", "gone")];
    create_player_sessions(&gs, &players)
        .await
        .expect("reserving player sessions");
    for (id, _) in players {
        within(
            "a player connect",
            gs.player_connect(id.into(), gamehost_tests::detached_link()),
        )
        .await
        .expect("admitted");
    }
    within("a disconnect", gs.player_disconnect("psess-gone".into()))
        .await
        .expect("disconnecting");

    let cases = [
        ("psess-unknown", "is not one of this game server's"),
        ("psess-in", "is ACTIVE"),
        ("psess-gone", "is COMPLETED"),
    ];
    for (id, why) in cases {
        assert_refused(&gs, id, why).await;
    }
    assert_eq!(gs.record().status.state, GameServerState::Allocated);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_connected_players_send_and_known_ones_disconnect() {
    let gs = hosting(quiet_spec(), 3).await;
    create_player_sessions(&gs, &[("psess-waiting", "waiting")])
        .await
        .expect("reserving a player session");
    let messages = [
        ("psess-unknown", "is not one of this game server's"),
        ("psess-waiting", "is RESERVED, not ACTIVE"),
    ];
    for (id, why) in messages {
        match within("a message", gs.player_message(id.into(), b"rock".to_vec())).await {
            Err(CommandError::Refused(reason)) => assert!(reason.contains(why), "{id}: {reason:?}"),
            other => panic!("a message from {id} answered {other:?}"),
        }
    }
    match within("a disconnect", gs.player_disconnect("psess-unknown".into())).await {
        Err(CommandError::Refused(reason)) => {
            assert!(reason.contains("is not one of this game server's"))
        }
        other => panic!("disconnecting a stranger answered {other:?}"),
    }
    let too_big = vec![b'x'; gamehost_runtime::players::MAX_MESSAGE_BYTES + 1];
    match within(
        "a large message",
        gs.player_message("psess-waiting".into(), too_big),
    )
    .await
    {
        Err(CommandError::Rejected(error)) => assert_eq!(error.code, ErrorCode::InvalidArgument),
        other => panic!("an oversized message answered {other:?}"),
    }
    assert_eq!(
        gs.record().process.ending,
        None,
        "refusals leave the game server running"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_game_session_not_activated_in_time_ends_the_process() {
    // The bench guest never activates its game sessions nor ends itself.
    let spec = GameServerSpec {
        activation_timeout_seconds: 1,
        termination_grace_seconds: 1,
        ..quiet_spec()
    };
    let gs = start(BENCH, spec);
    wait_for_state(&gs, GameServerState::Ready).await;
    let session = within(
        "start-game-session",
        gs.start_game_session("gsess-idle".into(), new_game_session(2, &[])),
    )
    .await
    .expect("a game session");
    assert_eq!(session.status, GameSessionStatus::Activating);

    let record = wait_for_end(&gs).await;
    let session = record.process.game_session.as_ref().expect("the session");
    assert_eq!(session.status, GameSessionStatus::Terminated);
    assert_eq!(
        session.status_reason.as_deref(),
        Some(reasons::ACTIVATION_TIMEOUT)
    );
    assert_eq!(
        record.process.ending.as_ref().map(|e| e.kind),
        Some(EndKind::GraceExpired)
    );
    assert_eq!(record.status.state, GameServerState::Shutdown);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_a_ready_game_server_can_be_allocated() {
    let gs = start(FAULTS, quiet_spec());
    wait_for_state(&gs, GameServerState::Ready).await;
    // Allocations in turn: the label each applies, the answer, the state after.
    let cases = [
        (
            "bad key",
            Err(ErrorCode::InvalidArgument),
            GameServerState::Ready,
        ),
        ("first", Ok(()), GameServerState::Allocated),
        (
            "second",
            Err(ErrorCode::FailedPrecondition),
            GameServerState::Allocated,
        ),
    ];
    for (key, expected, state) in cases {
        let labels = BTreeMap::from([(key.to_owned(), "tests".to_owned())]);
        let annotations = BTreeMap::from([("owner".to_owned(), "lifecycle tests".to_owned())]);
        let answer = within(
            "allocate",
            gs.allocate(AllocationChange {
                labels,
                annotations,
                ..AllocationChange::default()
            }),
        )
        .await;
        let code = answer.map_err(|e| match e {
            CommandError::Rejected(e) => e.code,
            other => panic!("allocating with label {key:?}: {other:?}"),
        });
        assert_eq!(code, expected, "allocating with label {key:?}");
        wait_until(&gs, &format!("{state}"), |r| r.status.state == state).await;
    }
    let meta = gs.record().object_meta.clone();
    let labels: Vec<_> = ["bad key", "first", "second"]
        .into_iter()
        .filter(|k| meta.labels.contains_key(*k))
        .collect();
    assert_eq!(labels, ["first"], "only the successful allocation applied");
    assert_eq!(meta.annotations["owner"], "lifecycle tests");
    assert!(meta.annotations.contains_key(LAST_ALLOCATED_ANNOTATION));

    within("request_termination", gs.request_termination())
        .await
        .expect("requesting termination");
    wait_for_end(&gs).await;
    match within("allocate", gs.allocate(AllocationChange::default())).await {
        Err(CommandError::Ended(reason)) => assert!(reason.contains("process-ending"), "{reason}"),
        other => panic!("allocating an ended game server: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_tags_the_game_session_and_captures_stderr() {
    let gs = start(FAULTS, faults_spec("trap", "on-player-message"));
    host_player(&gs, "gsess-logs", "psess-1").await;
    let answer = within(
        "a player message",
        gs.player_message("psess-1".into(), b"x".into()),
    )
    .await;
    assert!(
        matches!(answer, Err(CommandError::Faulted(_))),
        "{answer:?}"
    );

    let lines = gs.log().lines();
    let panic = lines
        .iter()
        .find(|l| l.message.contains("a deliberate trap in on-player-message"))
        .expect("the guest's panic message");
    assert_eq!(panic.source, LogSource::Stderr);
    assert_eq!(panic.level, LogLevel::Warn);
    let host = lines
        .iter()
        .find(|l| l.source == LogSource::Host)
        .expect("the host's line about the fault");
    assert_eq!(host.level, LogLevel::Error);
    for line in [panic, host] {
        assert_eq!(
            line.game_session_id.as_deref(),
            Some("gsess-logs"),
            "{:?}",
            line.message
        );
    }
    assert!(
        host.seq > panic.seq,
        "the host logs the fault after the guest's output"
    );
}
