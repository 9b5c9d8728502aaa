//! Fault isolation, with the faults guest: a guest that traps, loops,
//! exhausts its memory or overflows its stack ends its own game server
//! (Unhealthy, the fault classified, attributed to the export and logged by
//! the host, its game session in ERROR) while a healthy game server of the
//! same guest keeps answering, even while the other spins. Also the slower
//! ways a game server goes wrong: failing health checks, ignoring a
//! termination request, never declaring readiness, and a memory cap too
//! small to start in.

use gamehost_guests::FAULTS;
use gamehost_model::{
    AllocationChange, EndKind, ErrorCode, GameServerRecord, GameServerState, GameSessionStatus,
    HealthCheckSpec, ProcessStatus, reasons,
};
use gamehost_runtime::engine::InstanceLimits;
use gamehost_runtime::sdk::{LogLevel, LogLine, LogSource, SdkFunction};
use gamehost_runtime::supervisor::{CommandError, GameServerHandle};
use gamehost_tests::{
    create_player_sessions, engine, faults_spec, host_player, new_game_session, quiet_spec, start,
    start_with_limits, wait_for_end, wait_for_state, within,
};
use std::time::Duration;

/// The memory cap of the faulting game servers: a few MiB above the guest's
/// initial memory, so that the memory fault is reached in a small part of
/// the call deadline even on a loaded machine (each page the guest touches
/// costs it a page fault).
const FAULT_MEMORY_BYTES: u64 = 4 << 20;

/// Each misbehaviour of the faults guest, how the host classifies it, and
/// words its reason must contain. A Rust guest keeps its stack in linear
/// memory, so whether the recursion first runs off that stack (an out of
/// bounds access) or off the engine's wasm stack depends on the build: both
/// are traps.
const FAULTS_AND_KINDS: [(&str, EndKind, &str); 4] = [
    ("trap", EndKind::Trap, "unreachable"),
    ("loop", EndKind::Deadline, "ran past its 40 ms deadline"),
    ("memory", EndKind::OutOfMemory, "the cap is 4 MiB"),
    ("stack", EndKind::Trap, "wasm trap"),
];

/// The exports a fault is provoked in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Export {
    ProcessStart,
    StartGameSession,
    PlayerMessage,
}

impl Export {
    const ALL: [Export; 3] = [
        Export::ProcessStart,
        Export::StartGameSession,
        Export::PlayerMessage,
    ];

    fn name(self) -> &'static str {
        match self {
            Export::ProcessStart => "on-process-start",
            Export::StartGameSession => "on-start-game-session",
            Export::PlayerMessage => "on-player-message",
        }
    }
}

/// Starts a faults game server that misbehaves with `fault` in `export`,
/// drives it into that export and returns its final record.
async fn provoke(fault: &str, export: Export) -> (GameServerHandle, GameServerRecord) {
    let limits = InstanceLimits {
        memory_bytes: FAULT_MEMORY_BYTES,
        ..engine().default_limits()
    };
    let gs = start_with_limits(FAULTS, faults_spec(fault, export.name()), limits);
    if export != Export::ProcessStart {
        wait_for_state(&gs, GameServerState::Ready).await;
        let session = within(
            "start-game-session",
            gs.start_game_session("gsess-fault".into(), new_game_session(2, &[])),
        )
        .await
        .expect("a game session is placed even when the guest then fails");
        let expected = match export {
            Export::StartGameSession => GameSessionStatus::Error,
            _ => GameSessionStatus::Active,
        };
        assert_eq!(session.status, expected, "{fault} in {}", export.name());
    }
    if export == Export::PlayerMessage {
        create_player_sessions(&gs, &[("psess-1", "player")])
            .await
            .expect("a player session");
        within(
            "a player connecting",
            gs.player_connect("psess-1".into(), gamehost_tests::detached_link()),
        )
        .await
        .expect("connecting");
        let sent = gs.player_message("psess-1".into(), b"rock".to_vec());
        match within("a player message", sent).await {
            Err(CommandError::Faulted(fault)) => assert_eq!(fault.export, export.name()),
            other => panic!("{fault} in a player message answered {other:?}"),
        }
    }
    let record = wait_for_end(&gs).await;
    (gs, (*record).clone())
}

/// The lines the host wrote into a game server's log.
fn host_lines(gs: &GameServerHandle) -> Vec<LogLine> {
    let lines = gs.log().lines().into_iter();
    lines.filter(|l| l.source == LogSource::Host).collect()
}

/// Checks that `peer`, hosting a game session with the connected player
/// session `psess-peer`, still runs its guest: it takes a player message and
/// is still Allocated.
async fn assert_answers(peer: &GameServerHandle, after: &str) {
    within(
        "the peer",
        peer.player_message("psess-peer".into(), b"ping".to_vec()),
    )
    .await
    .unwrap_or_else(|e| panic!("the peer fails after {after}: {e}"));
    let record = peer.record();
    assert_eq!(
        record.status.state,
        GameServerState::Allocated,
        "the peer after {after}"
    );
    assert_eq!(record.process.ending, None, "the peer after {after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fault_ends_only_its_own_game_server() {
    let peer = start(FAULTS, quiet_spec());
    host_player(&peer, "gsess-peer", "psess-peer").await;

    for (fault, kind, words) in FAULTS_AND_KINDS {
        for export in Export::ALL {
            let case = format!("{fault} in {}", export.name());
            let (gs, record) = provoke(fault, export).await;

            let ending = record.process.ending.as_ref().expect("an ending");
            assert_eq!(ending.kind, kind, "{case}: {ending:?}");
            assert_eq!(record.status.state, GameServerState::Unhealthy, "{case}");
            assert_eq!(record.process.status, ProcessStatus::Terminated, "{case}");
            let export_prefix = format!("{}: ", export.name());
            assert!(
                ending.reason.starts_with(&export_prefix) && ending.reason.contains(words),
                "{case}: the reason {:?} names the export and says {words:?}",
                ending.reason
            );

            let session = record.process.game_session.as_ref();
            if export == Export::ProcessStart {
                assert_eq!(session, None, "{case}");
            } else {
                let session = session.expect("the game session");
                assert_eq!(session.status, GameSessionStatus::Error, "{case}");
                let reason = session.status_reason.as_deref().unwrap_or_default();
                assert!(
                    reason.starts_with(reasons::GAME_SERVER_FAILED)
                        && reason.contains(&ending.reason),
                    "{case}: game session reason {reason:?}"
                );
            }

            let logged = host_lines(&gs);
            assert_eq!(logged.len(), 1, "{case}: {logged:?}");
            let line = &logged[0];
            assert_eq!(line.level, LogLevel::Error, "{case}");
            assert!(
                line.message
                    .contains(&format!("{kind} in {}", export.name())),
                "{case}: {:?}",
                line.message
            );
            assert!(
                line.fields
                    .iter()
                    .any(|(k, v)| k == "detail" && !v.is_empty()),
                "{case}: the host line carries the detail"
            );

            assert_answers(&peer, &case).await;
        }
    }

    let session = peer
        .record()
        .process
        .game_session
        .clone()
        .expect("the peer's game session");
    assert_eq!(session.status, GameSessionStatus::Active);
    assert_eq!(host_lines(&peer), [], "the peer never faulted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_spinning_guest_does_not_hold_up_another_game_server() {
    // A deadline of a second rather than the default 40 ms: a wide window
    // for the peer to answer in while the spinner spins.
    let limits = InstanceLimits {
        call_deadline: Duration::from_secs(1),
        ..engine().default_limits()
    };
    let spinner = start_with_limits(FAULTS, faults_spec("loop", "on-player-message"), limits);
    let peer = start(FAULTS, quiet_spec());
    host_player(&spinner, "gsess-spin", "psess-1").await;
    host_player(&peer, "gsess-peer", "psess-peer").await;

    let reads_before = spinner.sdk_calls().of(SdkFunction::GetGameServer);
    let spinning = tokio::spawn({
        let spinner = spinner.clone();
        async move {
            spinner
                .player_message("psess-1".into(), b"spin".to_vec())
                .await
        }
    });
    // The guest reads its labels twice, then enters its loop.
    within("the spinner to enter its loop", async {
        while spinner.sdk_calls().of(SdkFunction::GetGameServer) < reads_before + 2 {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    })
    .await;

    within(
        "the peer",
        peer.player_message("psess-peer".into(), b"ping".to_vec()),
    )
    .await
    .expect("the peer answers");
    assert!(
        !spinning.is_finished(),
        "the peer answered only once the spinner had been stopped"
    );
    assert_answers(&peer, "the first message").await;

    match within("the spinner's deadline", spinning).await {
        Ok(Err(CommandError::Faulted(fault))) => assert_eq!(fault.kind, EndKind::Deadline),
        other => panic!("the spinner answered {other:?}"),
    }
    let record = wait_for_end(&spinner).await;
    assert_eq!(record.status.state, GameServerState::Unhealthy);
    assert_answers(&peer, "the spinner was stopped").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_health_checks_make_it_unhealthy_and_terminate_it() {
    let mut spec = faults_spec("unhealthy", "on-health-check");
    spec.health_check = HealthCheckSpec {
        disabled: false,
        period_seconds: 1,
        failure_threshold: 2,
    };
    // Far longer than the two failed checks take, so that only a guest that
    // is not told to terminate reaches it.
    spec.termination_grace_seconds = 10;
    let gs = start(FAULTS, spec);
    wait_for_state(&gs, GameServerState::Ready).await;
    within(
        "start-game-session",
        gs.start_game_session("gsess-health".into(), new_game_session(2, &[])),
    )
    .await
    .expect("a game session");

    let record = wait_for_end(&gs).await;
    let ending = record.process.ending.as_ref().expect("an ending");
    assert_eq!(
        ending.kind,
        EndKind::ProcessEnding,
        "on-process-terminate was called and the guest ended itself"
    );
    assert_eq!(record.status.state, GameServerState::Unhealthy);
    let reason = record
        .status
        .unhealthy_reason
        .as_deref()
        .unwrap_or_default();
    assert!(
        reason.contains("on-health-check reported unhealthy 2 times in a row"),
        "{reason:?}"
    );
    assert!(record.process.termination_time.is_some());
    assert_eq!(gs.sdk_calls().of(SdkFunction::ProcessEnding), 1);
    assert_eq!(host_lines(&gs), [], "no call into the guest failed");
    let session = record.process.game_session.as_ref().expect("the session");
    assert_eq!(session.status, GameSessionStatus::Terminated);
    assert_eq!(
        session.status_reason.as_deref(),
        Some(reasons::PROCESS_ENDED)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_that_ignores_termination_is_ended_after_the_grace_period() {
    let mut spec = faults_spec("ignore-terminate", "on-process-terminate");
    spec.termination_grace_seconds = 1;
    let gs = start(FAULTS, spec);
    wait_for_state(&gs, GameServerState::Ready).await;
    within(
        "start-game-session",
        gs.start_game_session("gsess-grace".into(), new_game_session(2, &[])),
    )
    .await
    .expect("a game session");

    let termination_time = within("request_termination", gs.request_termination())
        .await
        .expect("termination is scheduled");
    let record = wait_for_end(&gs).await;
    let ending = record.process.ending.as_ref().expect("an ending");
    assert_eq!(ending.kind, EndKind::GraceExpired);
    assert!(ending.at >= termination_time, "{ending:?}");
    assert_eq!(record.process.termination_time, Some(termination_time));
    assert_eq!(record.status.state, GameServerState::Shutdown);
    assert_eq!(gs.sdk_calls().of(SdkFunction::ProcessEnding), 0);
    let session = record.process.game_session.as_ref().expect("the session");
    assert_eq!(session.status, GameSessionStatus::Terminated);
    assert_eq!(
        session.status_reason.as_deref(),
        Some(reasons::FORCE_TERMINATED)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_guest_that_never_declares_readiness_stays_scheduled() {
    let gs = start(FAULTS, faults_spec("never-ready", "on-process-start"));
    // Commands run once on-process-start has returned, so their answers see
    // the game server as the guest left it.
    let allocated = within("allocate", gs.allocate(AllocationChange::default())).await;
    let placed = within(
        "start-game-session",
        gs.start_game_session("gsess-never".into(), new_game_session(2, &[])),
    )
    .await
    .map(|_| ());
    for (what, answer) in [("allocate", allocated), ("start-game-session", placed)] {
        match answer {
            Err(CommandError::Rejected(e)) => {
                assert_eq!(e.code, ErrorCode::FailedPrecondition, "{what}: {e}");
                assert!(e.message.contains("Scheduled"), "{what}: {e}");
            }
            other => panic!("{what} answered {other:?}"),
        }
    }
    let record = gs.record();
    assert_eq!(record.status.state, GameServerState::Scheduled);
    assert_eq!(record.process.status, ProcessStatus::Activating);
    assert_eq!(record.process.ending, None);
    assert!(
        gs.sdk_calls().of(SdkFunction::GetGameServer) > 0,
        "the guest ran"
    );
    assert_eq!(gs.sdk_calls().of(SdkFunction::Ready), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_memory_cap_below_the_guests_initial_memory_fails_the_start() {
    let limits = InstanceLimits {
        memory_bytes: 1 << 20,
        ..engine().default_limits()
    };
    let gs = start_with_limits(FAULTS, quiet_spec(), limits);
    let record = wait_for_end(&gs).await;
    let ending = record.process.ending.as_ref().expect("an ending");
    assert_eq!(ending.kind, EndKind::StartFailed);
    assert!(
        ending.reason.starts_with("instantiate: ") && ending.reason.contains("the cap is 1 MiB"),
        "{:?}",
        ending.reason
    );
    assert_eq!(record.status.state, GameServerState::Error);
    assert_eq!(gs.sdk_calls().total(), 0, "the guest never ran");
    assert_eq!(host_lines(&gs).len(), 1);
}
