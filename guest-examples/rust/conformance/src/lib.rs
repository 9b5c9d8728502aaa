//! The conformance guest: calls every SDK function, checks each result and
//! reports what it saw, like the Agones SDK conformance test.
//!
//! It expects the fleet template to declare the counter `conformance` (count
//! 0, capacity 10), the list `conformance` (capacity 3, no values), a player
//! capacity of 2, and role credentials for `arn:conformance` with the access
//! key id `AKIACONFORMANCE`. A template label `conformance-ending: shutdown`
//! makes it end with Agones' `shutdown` at start instead of running the
//! GameLift flow.
//!
//! The host drives it through: start, a game session with three player
//! sessions, a player connecting, an update answering its match backfill,
//! the player disconnecting, and a termination request. See `check.rs` for how
//! results are reported.

mod check;
mod phases;

use gamehost_guest::Guest;
use gamehost_guest::types::{GameServer, GameSession, UpdateGameSession};

struct Conformance;

gamehost_guest::export!(Conformance);

impl Guest for Conformance {
    fn on_process_start() {
        phases::start();
    }

    fn on_start_game_session(session: GameSession) {
        phases::start_game_session(&session);
    }

    fn on_update_game_session(update: UpdateGameSession) {
        phases::update_game_session(&update);
    }

    fn on_process_terminate(termination_time: i64) {
        phases::process_terminate(termination_time);
    }

    fn on_health_check() -> bool {
        phases::health_check()
    }

    fn on_game_server_update(game_server: GameServer) {
        phases::game_server_update(&game_server);
    }

    fn on_player_connect(player_session_id: String) -> Result<(), String> {
        phases::player_connect(&player_session_id);
        Ok(())
    }

    fn on_player_message(_player_session_id: String, _message: Vec<u8>) {}

    fn on_player_disconnect(player_session_id: String) {
        phases::player_disconnect(&player_session_id);
    }
}
