//! The guest side of the SDK-call benchmark.
//!
//! A player message `increment-counter N` makes `N` calls of
//! `increment-counter("bench", 1)` in a loop, so the host can time one call
//! as the message's time divided by `N`. The template declares the counter
//! `bench` with capacity 0 (no limit).

use gamehost_guest::types::{GameServer, GameSession, UpdateGameSession};
use gamehost_guest::{Guest, counters, lifecycle};

struct Bench;

gamehost_guest::export!(Bench);

impl Guest for Bench {
    fn on_process_start() {
        lifecycle::ready().expect("ready");
    }

    fn on_start_game_session(_session: GameSession) {}

    fn on_update_game_session(_update: UpdateGameSession) {}

    fn on_process_terminate(_termination_time: i64) {}

    fn on_health_check() -> bool {
        true
    }

    fn on_game_server_update(_game_server: GameServer) {}

    fn on_player_connect(_player_session_id: String) -> Result<(), String> {
        Ok(())
    }

    fn on_player_message(_player_session_id: String, message: Vec<u8>) {
        let text = String::from_utf8_lossy(&message);
        if let Some(n) = text
            .strip_prefix("increment-counter ")
            .and_then(|n| n.trim().parse::<u32>().ok())
        {
            for _ in 0..n {
                counters::increment_counter("bench", 1).expect("increment-counter");
            }
        }
    }

    fn on_player_disconnect(_player_session_id: String) {}
}
