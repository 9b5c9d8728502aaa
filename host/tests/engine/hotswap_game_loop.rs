//! The game loop across in-place swaps: a game server keeps ticking when the
//! new version exports `ticks`, stops when it does not, and starts again
//! when a version with `ticks` comes back; its players stay connected.
//!
//! The engine's tick count is read, so this binary holds no other ticking
//! game server.

use gamehost_guests::{C_ARENA, RELAY};
use gamehost_model::GameServerSpec;
use gamehost_runtime::players::{PlayerEnd, PlayerLink};
use gamehost_runtime::supervisor::{GameServerHandle, SwapRequest};
use gamehost_tests::{
    arena_spec, create_player_sessions, engine, game_mode, new_game_session, play_stats, start,
    within,
};
use std::time::Duration;

const SESSION: &str = "psess-ticking";

/// Long enough for at least a few ticks at 50 Hz on a loaded machine.
const A_WHILE: Duration = Duration::from_millis(400);

fn swap_to(path: &str, module: &str) -> SwapRequest {
    SwapRequest {
        mode: game_mode(path),
        module: module.into(),
        limits: engine().default_limits(),
    }
}

/// The next message the game mode sent the player, as text.
async fn next_message(end: &mut PlayerEnd) -> String {
    let message = within("a message to the player", end.outbound.recv())
        .await
        .expect("the player's link is open");
    String::from_utf8(message.to_vec()).expect("the relay guest sends text")
}

/// The ticks the running relay instance has counted, asked over the
/// player's link.
async fn relay_ticks(gs: &GameServerHandle, end: &mut PlayerEnd) -> u64 {
    within(
        "the ticks command",
        gs.player_message(SESSION.into(), b"ticks".to_vec()),
    )
    .await
    .expect("the command is taken");
    let answer = next_message(end).await;
    answer
        .strip_prefix("ticks ")
        .and_then(|rest| rest.split(' ').next())
        .and_then(|count| count.parse().ok())
        .unwrap_or_else(|| panic!("not an answer to `ticks`: {answer:?}"))
}

fn host_ticks() -> u64 {
    play_stats().snapshot().ticks
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_game_loop_follows_the_version_swapped_in() {
    let spec = GameServerSpec {
        tick_rate_hz: Some(50),
        ..arena_spec(2)
    };
    let gs = start(RELAY, spec);
    within(
        "start-game-session",
        gs.start_game_session("gsess-ticking".into(), new_game_session(2, &[])),
    )
    .await
    .expect("a game session");
    create_player_sessions(&gs, &[(SESSION, "alice")])
        .await
        .expect("a player session");
    let (link, mut end) = PlayerLink::new(16);
    within("a player connect", gs.player_connect(SESSION.into(), link))
        .await
        .expect("the player is admitted");
    assert_eq!(next_message(&mut end).await, format!("welcome {SESSION}"));
    tokio::time::sleep(A_WHILE).await;
    let before = relay_ticks(&gs, &mut end).await;
    assert!(before >= 5, "{before} ticks before the swap");

    // Relay to relay: no hand-off, so the new instance counts its own ticks
    // from zero, answering over the link the player connected with.
    let handover = within("the swap", gs.swap(swap_to(RELAY, "relay@2")))
        .await
        .expect("the new version takes over");
    assert_eq!(handover.state_bytes, None);
    let fresh = relay_ticks(&gs, &mut end).await;
    assert!(fresh < before, "{fresh} ticks just after the swap");
    tokio::time::sleep(A_WHILE).await;
    let later = relay_ticks(&gs, &mut end).await;
    assert!(
        later >= fresh + 5,
        "{fresh} then {later} ticks: the swapped-in instance is not ticked"
    );

    // To the C Arena, which has no game loop: the ticks stop.
    within("the swap", gs.swap(swap_to(C_ARENA, "c-arena@1")))
        .await
        .expect("the C arena takes over");
    let stopped = host_ticks();
    tokio::time::sleep(A_WHILE).await;
    assert_eq!(
        host_ticks(),
        stopped,
        "a version without `ticks` was ticked"
    );

    // Back to the relay: the ticks start again.
    within("the swap", gs.swap(swap_to(RELAY, "relay@3")))
        .await
        .expect("the relay takes over again");
    tokio::time::sleep(A_WHILE).await;
    let restarted = relay_ticks(&gs, &mut end).await;
    assert!(restarted >= 5, "{restarted} ticks after ticking resumed");
    assert!(host_ticks() >= stopped + restarted);
}
