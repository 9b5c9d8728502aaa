//! In-place hot swap through the supervisor: game servers switched to a new
//! version of their game mode between two calls, under live load, keep
//! their host-side state and (through the hand-off) the match in their
//! memory; a new version that cannot take over leaves the old one running.

use gamehost_guests::{ARENA, ARENA_V2, FAULTS};
use gamehost_model::{GameServerRecord, PlayerSessionStatus};
use gamehost_runtime::engine::InstanceLimits;
use gamehost_runtime::supervisor::{
    CommandError, GameServerHandle, MODULE_ANNOTATION, MODULE_ID_ANNOTATION, SwapRequest,
};
use gamehost_tests::{
    arena_spec, create_player_sessions, detached_link, engine, game_mode, new_game_session, start,
    start_with_limits, wait_until, within,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

const SCOREBOARD: &str = "agones.dev/sdk-scoreboard";

/// Places a match to 10 points with alice and bob connected, and plays one
/// round alice wins; returns their player session ids.
async fn match_in_progress(gs: &GameServerHandle, id: &str) -> [String; 2] {
    let new = new_game_session(2, &[("target-score", "10")]);
    within("start-game-session", gs.start_game_session(id.into(), new))
        .await
        .expect("a game session");
    let sessions = [format!("{id}-alice"), format!("{id}-bob")];
    create_player_sessions(gs, &[(&sessions[0], "alice"), (&sessions[1], "bob")])
        .await
        .expect("player sessions");
    for session in &sessions {
        within(
            "a player connect",
            gs.player_connect(session.clone(), detached_link()),
        )
        .await
        .expect("the player is admitted");
    }
    round(gs, &sessions, 1).await;
    sessions
}

/// Plays a round alice wins (rock against scissors), the `rounds`-th.
async fn round(
    gs: &GameServerHandle,
    sessions: &[String; 2],
    rounds: i64,
) -> Arc<GameServerRecord> {
    for (session, shape) in sessions.iter().zip(["rock", "scissors"]) {
        within("a throw", gs.player_message(session.clone(), shape.into()))
            .await
            .expect("the throw is taken");
    }
    wait_until(gs, "the round", |r| {
        r.status.counters["rounds"].count == rounds
    })
    .await
}

fn swap_to(path: &str, module: &str) -> SwapRequest {
    SwapRequest {
        mode: game_mode(path),
        module: module.into(),
        limits: engine().default_limits(),
    }
}

/// What must not change across a swap: everything but the module
/// annotations, the generation (and resource version) and the CPU time.
fn host_state(record: &GameServerRecord) -> String {
    let mut record = record.clone();
    record.object_meta.generation = 0;
    record.object_meta.resource_version.clear();
    record.object_meta.annotations.remove(MODULE_ANNOTATION);
    record.object_meta.annotations.remove(MODULE_ID_ANNOTATION);
    // The swap itself runs guest code.
    record.status.cpu = Default::default();
    serde_json::to_string(&record).expect("a record serializes")
}

/// Sends messages the game mode answers with an SDK call (a warning log
/// line) until `stop`, counting the calls made and the calls that failed.
fn load(
    gs: GameServerHandle,
    session: String,
    stop: Arc<AtomicBool>,
    sent: Arc<AtomicU64>,
    failed: Arc<AtomicU64>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            match gs.player_message(session.clone(), b"hello".to_vec()).await {
                Ok(()) => sent.fetch_add(1, Ordering::Relaxed),
                Err(_) => failed.fetch_add(1, Ordering::Relaxed),
            };
            let described = gs.player_sessions();
            if described
                .iter()
                .any(|s| s.status != PlayerSessionStatus::Active)
            {
                failed.fetch_add(1, Ordering::Relaxed);
            }
        }
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_place_swap_under_load_keeps_every_match() {
    const SERVERS: usize = 8;
    let mut servers = Vec::new();
    for i in 0..SERVERS {
        let gs = start(ARENA, arena_spec(2));
        let sessions = match_in_progress(&gs, &format!("gsess-{i}")).await;
        servers.push((gs, sessions));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let (sent, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let loads: Vec<_> = servers
        .iter()
        .map(|(gs, sessions)| {
            load(
                gs.clone(),
                sessions[1].clone(),
                stop.clone(),
                sent.clone(),
                failed.clone(),
            )
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    let before: Vec<String> = servers
        .iter()
        .map(|(gs, _)| host_state(&gs.record()))
        .collect();
    let swaps = servers
        .iter()
        .map(|(gs, _)| gs.swap(swap_to(ARENA_V2, "arena@2")));
    let handovers = within("the swaps", futures_util::future::join_all(swaps)).await;
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    stop.store(true, Ordering::Relaxed);
    for load in loads {
        load.await.expect("the load task");
    }
    assert_eq!(
        failed.load(Ordering::Relaxed),
        0,
        "no call failed during the swap"
    );
    assert!(
        sent.load(Ordering::Relaxed) > SERVERS as u64,
        "calls kept flowing"
    );
    for (((gs, sessions), before), handover) in servers.iter().zip(before).zip(&handovers) {
        let handover = handover.clone().expect("the swap succeeds");
        assert!(
            handover.state_bytes.is_some_and(|b| b > 0),
            "the match is handed over"
        );
        let record = gs.record();
        let annotations = &record.object_meta.annotations;
        assert_eq!(annotations[MODULE_ANNOTATION], "arena@2");
        assert_eq!(
            annotations[MODULE_ID_ANNOTATION],
            game_mode(ARENA_V2).digest()
        );
        assert_eq!(host_state(&record), before, "host-side state is untouched");
        assert!(
            gs.player_sessions()
                .iter()
                .all(|s| s.status == PlayerSessionStatus::Active)
        );
        // Alice's point from version 1 carried over, and version 2 scores
        // two points a round.
        let record = round(gs, sessions, 2).await;
        assert_eq!(record.object_meta.annotations[SCOREBOARD], "alice=3,bob=0");
    }
}

/// A game server of arena whose template carries the faults guest's labels
/// (arena ignores them; the faults guest, swapped in, obeys them).
fn arena_labelled(fault: &str, fault_in: &str, limits: InstanceLimits) -> GameServerHandle {
    let mut spec = arena_spec(2);
    spec.labels.insert("fault".into(), fault.into());
    spec.labels.insert("fault-in".into(), fault_in.into());
    start_with_limits(ARENA, spec, limits)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_version_that_cannot_take_over_leaves_the_old_one_running() {
    let tiny = InstanceLimits {
        memory_bytes: 1 << 20,
        ..engine().default_limits()
    };
    // (labels, the new version, its limits, what the refusal says)
    let cases = [
        (
            ("trap", "restore-state"),
            FAULTS,
            engine().default_limits(),
            "restore-state",
        ),
        (
            ("refuse-state", ""),
            FAULTS,
            engine().default_limits(),
            "refused the state",
        ),
        (
            ("unhealthy", ""),
            FAULTS,
            engine().default_limits(),
            "first on-health-check answered false",
        ),
        (("", ""), ARENA_V2, tiny, "instantiate"),
    ];
    for ((fault, fault_in), path, limits, reason) in cases {
        let gs = arena_labelled(fault, fault_in, engine().default_limits());
        let sessions = match_in_progress(&gs, "gsess-fail").await;
        let before = host_state(&gs.record());
        let request = SwapRequest {
            limits,
            ..swap_to(path, "next@1")
        };
        match within("a swap", gs.swap(request)).await {
            Err(CommandError::Refused(why)) => assert!(why.contains(reason), "{fault}: {why}"),
            other => panic!("{fault}: expected a refusal, got {other:?}"),
        }
        assert_eq!(host_state(&gs.record()), before, "{fault}: nothing changed");
        assert!(
            !gs.record()
                .object_meta
                .annotations
                .contains_key(MODULE_ANNOTATION)
        );
        // Still version 1, with its match: one more point for alice.
        let record = round(&gs, &sessions, 2).await;
        assert_eq!(
            record.object_meta.annotations[SCOREBOARD], "alice=2,bob=0",
            "{fault}"
        );
    }
}

#[cfg(feature = "full")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_game_mode_without_the_handoff_keeps_its_host_side_state() {
    let gs = start(gamehost_guests::C_ARENA, arena_spec(2));
    let sessions = match_in_progress(&gs, "gsess-c").await;
    let before = host_state(&gs.record());
    let handover = within("a swap", gs.swap(swap_to(ARENA_V2, "arena@2")))
        .await
        .expect("the swap succeeds");
    assert_eq!(handover.state_bytes, None, "the C arena has no hand-off");
    assert_eq!(host_state(&gs.record()), before);
    // The new version starts its memory empty: no match to score, but the
    // players and the game session are still there and messages still land.
    within(
        "a throw",
        gs.player_message(sessions[0].clone(), b"rock".to_vec()),
    )
    .await
    .expect("the message lands on the new version");
    let record = gs.record();
    assert_eq!(record.status.players.ids, ["alice", "bob"]);
    assert_eq!(record.status.counters["rounds"].count, 1);
}
