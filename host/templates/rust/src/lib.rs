//! {{name}}: a Gamehost game mode. It declares itself Ready, activates each
//! game session placed on it, admits the players whose player sessions it
//! was given, and echoes each player's messages back to that player.
//!
//! The SDK is the WIT package in `wit/` (`gamehost:sdk`): the interfaces
//! imported below are the calls a game mode makes, `callbacks` the calls
//! the host makes on it.

wit_bindgen::generate!({
    path: "wit",
    world: "game-server",
});

use exports::gamehost::sdk::callbacks::Guest;
use gamehost::sdk::logging::{self, Level};
use gamehost::sdk::types::{GameServer, GameSession, KeyValue, UpdateGameSession};
use gamehost::sdk::{gateway, lifecycle, process, sessions};

struct GameMode;

export!(GameMode);

impl Guest for GameMode {
    fn on_process_start() {
        process::init_sdk().expect("the host starts the SDK");
        lifecycle::ready().expect("the host takes a game server's readiness");
    }

    fn on_start_game_session(game_session: GameSession) {
        log("a game session starts", "game-session", &game_session.game_session_id);
        if let Err(error) = sessions::activate_game_session() {
            log("the game session did not activate", "error", &error.message);
        }
    }

    fn on_update_game_session(_update: UpdateGameSession) {}

    fn on_process_terminate(_termination_time: i64) {
        let _ = process::process_ending();
    }

    fn on_health_check() -> bool {
        true
    }

    fn on_game_server_update(_game_server: GameServer) {}

    fn on_player_connect(player_session_id: String) -> Result<(), String> {
        sessions::accept_player_session(&player_session_id).map_err(|e| e.message)?;
        log("a player joins", "player-session", &player_session_id);
        let welcome = format!("welcome {player_session_id}");
        gateway::send(&player_session_id, welcome.as_bytes()).map_err(|e| e.message)
    }

    fn on_player_message(player_session_id: String, message: Vec<u8>) {
        let _ = gateway::send(&player_session_id, &message);
    }

    fn on_player_disconnect(player_session_id: String) {
        log("a player leaves", "player-session", &player_session_id);
        let _ = sessions::remove_player_session(&player_session_id);
    }
}

/// Logs `message` at `info` with one field, `key`=`value`.
fn log(message: &str, key: &str, value: &str) {
    let field = KeyValue {
        key: key.to_owned(),
        value: value.to_owned(),
    };
    logging::log(Level::Info, message, &[field]);
}
