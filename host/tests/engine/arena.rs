//! The example game mode, arena (rock-paper-scissors), in every language,
//! played through the engine: the same matches for each. Two players connect
//! and throw, rounds are counted in the `rounds` counter, the `players` list
//! and player tracking hold the players, the scoreboard and the winner are
//! published as annotations, the game mode ends its game session and is Ready
//! for a second match, and it ends itself through process-ending when asked
//! to terminate.

use bytes::Bytes;
use gamehost_model::{
    EndKind, GameServerRecord, GameServerState, GameSessionStatus, ProcessStatus, reasons,
};
use gamehost_runtime::supervisor::GameServerHandle;
use gamehost_tests::{
    arena_spec, create_player_sessions, field, in_every_language, lines_with, new_game_session,
    start, wait_for_end, wait_for_state, wait_until, within,
};
use std::sync::Arc;
use tokio::sync::Semaphore;

const SCOREBOARD: &str = "agones.dev/sdk-scoreboard";
const WINNER: &str = "agones.dev/sdk-winner";

/// Places game session `id`, played to `target` points, and connects the
/// players `alice` and `bob` under the player session ids `{id}-alice` and
/// `{id}-bob`; returns those ids.
async fn start_match(gs: &GameServerHandle, id: &str, target: u32) -> [String; 2] {
    let target = target.to_string();
    let new = new_game_session(2, &[("target-score", &target)]);
    let session = within("start-game-session", gs.start_game_session(id.into(), new))
        .await
        .expect("a game session");
    assert_eq!(session.status, GameSessionStatus::Active, "{id}");
    let sessions = [format!("{id}-alice"), format!("{id}-bob")];
    let players = [
        (sessions[0].as_str(), "alice"),
        (sessions[1].as_str(), "bob"),
    ];
    create_player_sessions(gs, &players)
        .await
        .expect("reserving player sessions");
    for session in &sessions {
        within(
            "a player connect",
            gs.player_connect(session.clone(), gamehost_tests::detached_link()),
        )
        .await
        .expect("the player is admitted");
    }
    let record = wait_until(gs, "both players", |r| r.status.players.ids.len() == 2).await;
    assert_eq!(record.status.players.ids, ["alice", "bob"]);
    assert_eq!(record.status.lists["players"].values, ["alice", "bob"]);
    assert_eq!(record.status.state, GameServerState::Allocated);
    sessions
}

/// Sends a player's throw.
async fn throw(gs: &GameServerHandle, player_session: &str, shape: &str) {
    let message = gs.player_message(player_session.into(), shape.into());
    within("a throw", message)
        .await
        .expect("the throw is taken");
}

/// Plays one round of `throws` (alice's, bob's) that takes the rounds
/// played to `rounds`; returns the record once the round is scored.
async fn play_round(
    gs: &GameServerHandle,
    sessions: &[String; 2],
    throws: [&str; 2],
    rounds: i64,
) -> Arc<GameServerRecord> {
    throw(gs, &sessions[0], throws[0]).await;
    assert_eq!(
        lines_with(gs, "round scored").len() as i64,
        rounds - 1,
        "a round is scored only once both players threw"
    );
    throw(gs, &sessions[1], throws[1]).await;
    wait_until(gs, &format!("round {rounds}"), |r| {
        r.status.counters["rounds"].count == rounds
    })
    .await
}

in_every_language!(a_match_is_played_to_a_winner_and_the_game_server_hosts_another:
    rust ARENA, c C_ARENA, js JS_ARENA, python PYTHON_ARENA);

in_every_language!(a_termination_request_mid_match_ends_it_through_process_ending:
    rust ARENA, c C_ARENA, js JS_ARENA, python PYTHON_ARENA);

async fn a_match_is_played_to_a_winner_and_the_game_server_hosts_another(arena: &str) {
    let gs = start(arena, arena_spec(2));
    wait_for_state(&gs, GameServerState::Ready).await;

    let sessions = start_match(&gs, "match-1", 2).await;
    // Alice's and bob's throws, and the scoreboard after them.
    let rounds = [
        (["rock", "scissors"], "alice=1,bob=0"),
        (["paper", "paper"], "alice=1,bob=0"),
        (["paper", "rock"], "alice=2,bob=0"),
    ];
    for (played, (throws, scoreboard)) in (1..).zip(rounds) {
        let record = play_round(&gs, &sessions, throws, played).await;
        let annotations = &record.object_meta.annotations;
        assert_eq!(annotations[SCOREBOARD], scoreboard, "round {played}");
        let won = annotations.contains_key(WINNER);
        assert_eq!(won, played == 3, "round {played}: {annotations:?}");
    }

    let record = wait_for_state(&gs, GameServerState::Ready).await;
    assert_eq!(record.object_meta.annotations[WINNER], "alice");
    let session = record.process.game_session.as_ref().expect("the session");
    assert_eq!(session.game_session_id, "match-1");
    assert_eq!(session.status, GameSessionStatus::Terminated);
    assert_eq!(
        session.status_reason.as_deref(),
        Some(reasons::TERMINATED_BY_GAME_MODE)
    );
    let started = lines_with(&gs, "match started");
    assert_eq!(started.len(), 1);
    assert_eq!(started[0].game_session_id.as_deref(), Some("match-1"));
    assert_eq!(field(&started[0], "target-score"), Some("2"));
    let ready = lines_with(&gs, "arena ready");
    assert_eq!(ready.len(), 1);
    assert_eq!(ready[0].game_session_id, None, "logged before any match");

    for session in &sessions {
        within("a disconnect", gs.player_disconnect(session.clone()))
            .await
            .expect("the player leaves");
    }
    let record = wait_until(&gs, "the players to leave", |r| {
        r.status.players.ids.is_empty()
    })
    .await;
    assert_eq!(record.status.lists["players"].values, Vec::<String>::new());

    let sessions = start_match(&gs, "match-2", 1).await;
    play_round(&gs, &sessions, ["scissors", "rock"], 4).await;
    let record = wait_for_state(&gs, GameServerState::Ready).await;
    let annotations = &record.object_meta.annotations;
    assert_eq!(annotations[SCOREBOARD], "alice=0,bob=1");
    assert_eq!(annotations[WINNER], "bob");
    let session = record.process.game_session.as_ref().expect("the session");
    assert_eq!(session.game_session_id, "match-2");
    assert_eq!(session.status, GameSessionStatus::Terminated);
    assert_eq!(record.process.ending, None);
}

async fn a_termination_request_mid_match_ends_it_through_process_ending(arena: &str) {
    let gs = start(arena, arena_spec(2));
    wait_for_state(&gs, GameServerState::Ready).await;
    let sessions = start_match(&gs, "match-cut", 3).await;
    throw(&gs, &sessions[0], "rock").await;

    let termination_time = within("request_termination", gs.request_termination())
        .await
        .expect("termination is scheduled");
    let record = wait_for_end(&gs).await;

    let ending = record.process.ending.as_ref().expect("an ending");
    assert_eq!(ending.kind, EndKind::ProcessEnding);
    assert_eq!(record.status.state, GameServerState::Shutdown);
    assert_eq!(record.process.status, ProcessStatus::Terminated);
    assert_eq!(record.status.counters["rounds"].count, 0);
    let session = record.process.game_session.as_ref().expect("the session");
    assert_eq!(session.status, GameSessionStatus::Terminated);
    assert_eq!(
        session.status_reason.as_deref(),
        Some(reasons::TERMINATED_BY_GAME_MODE),
        "the game mode ends its match before the process"
    );
    let terminating = lines_with(&gs, "terminating");
    assert_eq!(terminating.len(), 1);
    let told = termination_time.as_secs().to_string();
    assert_eq!(
        field(&terminating[0], "termination-time"),
        Some(told.as_str())
    );
}

/// Rounds played by relayed messages, as the gateway hands them over: the
/// game mode's own changes (the `rounds` counter, the scoreboard), which the
/// runner may hold back to publish together, all reach the record; a
/// message someone waits on is published before its answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn relayed_play_is_published_in_full_and_an_answered_message_at_once() {
    const ROUNDS: i64 = 40;
    let gs = start(gamehost_guests::ARENA, arena_spec(2));
    wait_for_state(&gs, GameServerState::Ready).await;
    let sessions = start_match(&gs, "match-relayed", 100).await;
    let window = Arc::new(Semaphore::new(8));
    for _ in 0..ROUNDS {
        for session in &sessions {
            let permit = window.clone().acquire_owned().await.expect("open");
            let id: Arc<str> = Arc::from(session.as_str());
            within(
                "a relayed throw",
                gs.relay_player_message(id, Bytes::from_static(b"rock"), permit),
            )
            .await
            .expect("handed over");
        }
    }
    let record = wait_until(&gs, "every relayed round", |r| {
        r.status.counters["rounds"].count == ROUNDS
    })
    .await;
    assert_eq!(
        record.object_meta.annotations[SCOREBOARD], "alice=0,bob=0",
        "ties score nobody"
    );
    assert_eq!(lines_with(&gs, "round scored").len() as i64, ROUNDS);

    throw(&gs, &sessions[0], "rock").await;
    throw(&gs, &sessions[1], "rock").await;
    assert_eq!(
        gs.record().status.counters["rounds"].count,
        ROUNDS + 1,
        "an answered message's changes are published before the answer"
    );
}
