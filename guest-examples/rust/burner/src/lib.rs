//! A game mode that burns CPU on every tick, for the CPU-budget tests and
//! benchmark: each `on-tick` spins for the template label `burn-millis`
//! milliseconds (35 by default, most of the host's 40 ms call deadline).
//! Otherwise it is well behaved: ready at start, activates game sessions,
//! accepts players, ends on terminate.

use gamehost_guest::types::{GameServer, GameSession, UpdateGameSession};
use gamehost_guest::{configuration, lifecycle, process, sessions};
use std::hint::black_box;
use std::time::{Duration, Instant};

// The `game-loop` world: the SDK's imports are the gamehost-guest crate's,
// the exports (the callbacks and the game loop) are generated here.
wit_bindgen::generate!({
    path: "../../../wit",
    world: "game-loop",
    with: {
        "gamehost:sdk/types@0.1.0": gamehost_guest::types,
        "gamehost:sdk/lifecycle@0.1.0": gamehost_guest::lifecycle,
        "gamehost:sdk/configuration@0.1.0": gamehost_guest::configuration,
        "gamehost:sdk/metadata@0.1.0": gamehost_guest::metadata,
        "gamehost:sdk/counters@0.1.0": gamehost_guest::counters,
        "gamehost:sdk/lists@0.1.0": gamehost_guest::lists,
        "gamehost:sdk/players@0.1.0": gamehost_guest::players,
        "gamehost:sdk/process@0.1.0": gamehost_guest::process,
        "gamehost:sdk/sessions@0.1.0": gamehost_guest::sessions,
        "gamehost:sdk/logging@0.1.0": gamehost_guest::logging,
        "gamehost:sdk/gateway@0.1.0": gamehost_guest::gateway,
    },
});

use exports::gamehost::sdk::{callbacks, ticks};

struct Burner;

export!(Burner);

/// How long each tick spins when the template does not say.
const DEFAULT_BURN_MILLIS: u64 = 35;

fn burn_time() -> Duration {
    let millis = configuration::get_game_server()
        .object_meta
        .labels
        .into_iter()
        .find(|l| l.key == "burn-millis")
        .and_then(|l| l.value.parse().ok())
        .unwrap_or(DEFAULT_BURN_MILLIS);
    Duration::from_millis(millis)
}

impl ticks::Guest for Burner {
    fn on_tick(_elapsed_micros: u64) {
        let burn = burn_time();
        let start = Instant::now();
        while start.elapsed() < burn {
            black_box(0);
        }
    }
}

impl callbacks::Guest for Burner {
    fn on_process_start() {
        process::init_sdk().expect("init-sdk");
        lifecycle::ready().expect("ready");
    }

    fn on_start_game_session(_session: GameSession) {
        sessions::activate_game_session().expect("activate-game-session");
    }

    fn on_update_game_session(_update: UpdateGameSession) {}

    fn on_process_terminate(_termination_time: i64) {
        process::process_ending().expect("process-ending");
    }

    fn on_health_check() -> bool {
        true
    }

    fn on_game_server_update(_game_server: GameServer) {}

    fn on_player_connect(player_session_id: String) -> Result<(), String> {
        sessions::accept_player_session(&player_session_id).map_err(|e| e.message)
    }

    fn on_player_message(_player_session_id: String, _message: Vec<u8>) {}

    fn on_player_disconnect(player_session_id: String) {
        let _ = sessions::remove_player_session(&player_session_id);
    }
}
