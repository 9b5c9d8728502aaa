//! A game mode with a game loop that relays players' commands through the
//! gateway, for the gateway and game-loop tests.
//!
//! It activates every game session, accepts every valid player session
//! (sending `welcome <player-session-id>`), removes a player session when its
//! player goes, and counts ticks. A player's message is a command:
//!
//! | message | what happens |
//! |---|---|
//! | `echo TEXT` | sends TEXT back to the player |
//! | `all TEXT` | broadcasts TEXT; tells the player `sent N` |
//! | `some ID,ID,… TEXT` | sends TEXT to those players; tells the player `sent N` |
//! | `flood N SIZE` | sends the player N messages of SIZE bytes (each its number, 0 to N − 1, padded with `x`), stopping at the first error, then tells it `flooded N: ERROR` |
//! | `kick REASON` | disconnects the player with REASON |
//! | `complete` | removes the player's player session, leaving it connected; answers `completed` |
//! | `ticks` | answers `ticks COUNT TOTAL-MICROS` |
//! | `trap` | panics, which traps |

use gamehost_guest::types::{GameServer, GameSession, UpdateGameSession};
use gamehost_guest::{gateway, lifecycle, process, sessions};
use std::cell::Cell;

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

struct Relay;

export!(Relay);

thread_local! {
    static TICKS: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

impl callbacks::Guest for Relay {
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
        sessions::accept_player_session(&player_session_id).map_err(|e| e.message)?;
        let welcome = format!("welcome {player_session_id}");
        gateway::send(&player_session_id, welcome.as_bytes()).map_err(|e| e.message)
    }

    fn on_player_message(player_session_id: String, message: Vec<u8>) {
        let text = String::from_utf8_lossy(&message);
        let (command, rest) = text.split_once(' ').unwrap_or((&text, ""));
        let reply = match command {
            "echo" => Some(rest.to_owned()),
            "all" => Some(sent(gateway::broadcast(rest.as_bytes()))),
            "some" => {
                let (ids, text) = rest.split_once(' ').unwrap_or((rest, ""));
                let ids: Vec<String> = ids.split(',').map(str::to_owned).collect();
                Some(sent(gateway::send_many(&ids, text.as_bytes())))
            }
            "flood" => Some(flood(&player_session_id, rest)),
            "complete" => {
                let _ = sessions::remove_player_session(&player_session_id);
                Some("completed".to_owned())
            }
            "kick" => {
                let _ = gateway::disconnect(&player_session_id, rest);
                None
            }
            "ticks" => {
                let (count, micros) = TICKS.get();
                Some(format!("ticks {count} {micros}"))
            }
            "trap" => panic!("a deliberate trap while players are connected"),
            _ => Some(format!("unknown command {command:?}")),
        };
        if let Some(reply) = reply {
            let _ = gateway::send(&player_session_id, reply.as_bytes());
        }
    }

    fn on_player_disconnect(player_session_id: String) {
        let _ = sessions::remove_player_session(&player_session_id);
    }
}

impl ticks::Guest for Relay {
    fn on_tick(elapsed_micros: u64) {
        let (count, micros) = TICKS.get();
        TICKS.set((count + 1, micros + elapsed_micros));
    }
}

fn sent(result: Result<u32, gamehost_guest::types::SdkError>) -> String {
    match result {
        Ok(n) => format!("sent {n}"),
        Err(e) => format!("error {}", e.message),
    }
}

/// Sends `count size` messages to the player until one fails.
fn flood(player_session_id: &str, args: &str) -> String {
    let mut numbers = args.split(' ').map(|n| n.parse::<usize>().unwrap_or(0));
    let (count, size) = (numbers.next().unwrap_or(0), numbers.next().unwrap_or(0));
    for sent in 0..count {
        let mut message = sent.to_string().into_bytes();
        message.resize(size.max(message.len()), b'x');
        if let Err(e) = gateway::send(player_session_id, &message) {
            return format!("flooded {sent}: {}", e.message);
        }
    }
    format!("flooded {count}: ok")
}
