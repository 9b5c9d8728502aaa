//! Arena: the example game mode, rock-paper-scissors for up to a game
//! session's maximum players, played over the host's WebSocket gateway.
//!
//! Players send `rock`, `paper` or `scissors`. When every connected player has
//! thrown, the round is scored: if exactly two shapes were thrown, everyone
//! who threw the winning one scores a point. A round lasts 10 seconds from
//! its first throw (the game loop's clock): when it runs out, everyone who
//! threw scores a point. The first player to the target score (the game
//! property `target-score`, 3 by default) wins; the players are disconnected,
//! the game session ends and the game server is Ready for the next match.
//!
//! Every change is broadcast to the players as the match's state in JSON
//! (see `Match::state_json`); the browser client at the host's `/play` shows
//! it.
//!
//! The fleet template declares the counter `rounds` and the list `players`.
//! The standings are published in the annotation `agones.dev/sdk-scoreboard`,
//! and the winner in `agones.dev/sdk-winner`.
//!
//! Arena exports the hot-swap hand-off, so a match in progress carries over
//! to a new version. The crate `arena-v2` builds these sources with the
//! feature `v2`: a round won scores two points instead of one.

mod game;
mod handoff;

use game::{Match, Outcome, Shape};
use gamehost_guest::types::{GameServer, GameSession, SdkError, UpdateGameSession};
use gamehost_guest::{
    counters, gateway, info, kv, lifecycle, lists, metadata, players, process, sessions, warn,
};
use std::cell::RefCell;

// The `game-loop` world: the SDK's imports are the gamehost-guest crate's,
// the exports (the callbacks and the game loop) are generated here.
// ANCHOR: game_loop_world
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
// ANCHOR_END: game_loop_world

use exports::gamehost::sdk::{callbacks, ticks};

struct Arena;

export!(Arena);

thread_local! {
    static MATCH: RefCell<Option<Match>> = const { RefCell::new(None) };
}

const DEFAULT_TARGET_SCORE: u32 = 3;

impl callbacks::Guest for Arena {
    fn on_process_start() {
        let params = process::init_sdk().expect("init-sdk");
        for missing in [
            counters::get_counter("rounds").err(),
            lists::get_list("players").err(),
        ]
        .into_iter()
        .flatten()
        {
            failed(
                "the fleet template must declare the counter `rounds` and the list `players`",
                &missing,
            );
        }
        process::process_ready(process::ProcessParameters { port: 0 }).expect("process-ready");
        info(
            "arena ready",
            &[
                kv("process", &params.process_id),
                kv("fleet", &params.fleet_id),
            ],
        );
    }

    fn on_start_game_session(session: GameSession) {
        let target = session
            .game_properties
            .iter()
            .find(|p| p.key == "target-score")
            .and_then(|p| p.value.parse().ok())
            .unwrap_or(DEFAULT_TARGET_SCORE)
            .clamp(1, 100);
        MATCH.with_borrow_mut(|m| *m = Some(Match::new(target)));
        if let Err(e) = sessions::activate_game_session() {
            failed("could not activate the game session", &e);
            return;
        }
        info(
            "match started",
            &[
                kv("game-session", &session.game_session_id),
                kv("target-score", target),
            ],
        );
    }

    fn on_update_game_session(update: UpdateGameSession) {
        info(
            "game session updated",
            &[kv("reason", format!("{:?}", update.update_reason))],
        );
    }

    fn on_process_terminate(termination_time: i64) {
        info("terminating", &[kv("termination-time", termination_time)]);
        if MATCH.with_borrow_mut(Option::take).is_some() {
            let _ = sessions::terminate_game_session();
        }
        if let Err(e) = process::process_ending() {
            failed("process-ending failed", &e);
        }
    }

    fn on_health_check() -> bool {
        lifecycle::health().is_ok()
    }

    fn on_game_server_update(_game_server: GameServer) {}

    fn on_player_connect(player_session_id: String) -> Result<(), String> {
        sessions::accept_player_session(&player_session_id).map_err(|e| e.message)?;
        let player_id = player_id(&player_session_id).unwrap_or_else(|| player_session_id.clone());
        if let Err(e) = lists::append_list_value("players", &player_id) {
            worked_around("could not list the player", &e);
        }
        let _ = players::player_connect(&player_id);
        MATCH.with_borrow_mut(|m| {
            if let Some(m) = m {
                m.join(player_session_id, player_id.clone());
            }
        });
        info("player joined", &[kv("player", &player_id)]);
        broadcast_state(None);
        Ok(())
    }

    fn on_player_message(player_session_id: String, message: Vec<u8>) {
        let Some(shape) = Shape::parse(&message) else {
            warn(
                "ignoring a message that is not rock, paper or scissors",
                &[kv("player-session", &player_session_id)],
            );
            return;
        };
        let outcome =
            MATCH.with_borrow_mut(|m| m.as_mut().map(|m| m.throw(&player_session_id, shape)));
        play(outcome.flatten());
    }

    fn on_player_disconnect(player_session_id: String) {
        // Once a match is over, `finish` has let its players go and the host
        // has completed their player sessions.
        let Some(player_id) =
            MATCH.with_borrow_mut(|m| m.as_mut().and_then(|m| m.leave(&player_session_id)))
        else {
            return;
        };
        if let Err(e) = sessions::remove_player_session(&player_session_id) {
            worked_around("could not remove the player session", &e);
        }
        release(&player_id);
        broadcast_state(None);
    }
}

/// Takes a player who left off the `players` list and out of player
/// tracking.
fn release(player_id: &str) {
    let _ = lists::delete_list_value("players", player_id);
    let _ = players::player_disconnect(player_id);
}

// ANCHOR: on_tick
impl ticks::Guest for Arena {
    fn on_tick(elapsed_micros: u64) {
        let changed = MATCH.with_borrow_mut(|m| {
            let m = m.as_mut()?;
            let before = m.seconds_left();
            let outcome = m.tick(elapsed_micros);
            Some((outcome, before != m.seconds_left()))
        });
        match changed {
            Some((Some(outcome), _)) => play(Some(outcome)),
            Some((None, true)) => broadcast_state(None),
            _ => {}
        }
    }
}
// ANCHOR_END: on_tick

/// Records what a throw or the round clock led to and tells the players.
fn play(outcome: Option<Outcome>) {
    match outcome {
        Some(Outcome::Round { scoreboard }) => record_round(&scoreboard),
        Some(Outcome::Won { winner, scoreboard }) => finish(&winner, &scoreboard),
        None => {}
    }
    broadcast_state(None);
}

/// Sends the match's state to every connected player.
fn broadcast_state(winner: Option<&str>) {
    let Some(state) = MATCH.with_borrow(|m| m.as_ref().map(|m| m.state_json(winner))) else {
        return;
    };
    if let Err(e) = gateway::broadcast(state.as_bytes()) {
        worked_around("could not send the match's state", &e);
    }
}

/// Logs a failed SDK call at `error`.
fn failed(message: &str, e: &SdkError) {
    gamehost_guest::error(message, &[kv("error", e)]);
}

/// Logs a failed SDK call that the game works around at `warn`.
fn worked_around(message: &str, e: &SdkError) {
    gamehost_guest::warn(message, &[kv("error", e)]);
}

fn player_id(player_session_id: &str) -> Option<String> {
    let request = sessions::DescribePlayerSessionsRequest {
        game_session_id: None,
        player_session_id: Some(player_session_id.to_owned()),
        player_id: None,
        player_session_status_filter: None,
        limit: None,
        next_token: None,
    };
    let page = sessions::describe_player_sessions(&request).ok()?;
    page.player_sessions.into_iter().next().map(|s| s.player_id)
}

fn record_round(scoreboard: &str) {
    if let Err(e) = counters::increment_counter("rounds", 1) {
        worked_around("could not count the round", &e);
    }
    let _ = metadata::set_annotation("scoreboard", scoreboard);
    info("round scored", &[kv("scoreboard", scoreboard)]);
}

fn finish(winner: &str, scoreboard: &str) {
    record_round(scoreboard);
    let _ = metadata::set_annotation("winner", winner);
    info("match won", &[kv("winner", winner)]);
    broadcast_state(Some(winner));
    let mut reason = format!("the match is over: {winner} won");
    if reason.len() > 123 {
        // A close reason's limit; player ids may be longer.
        reason = "the match is over".to_owned();
    }
    for player in gateway::connected() {
        let _ = gateway::disconnect(&player, &reason);
    }
    let ended = MATCH.with_borrow_mut(Option::take);
    for player_id in ended.iter().flat_map(Match::player_ids) {
        release(player_id);
    }
    if let Err(e) = sessions::terminate_game_session() {
        failed("could not end the game session", &e);
    }
    if let Err(e) = lifecycle::ready() {
        failed("could not become Ready again", &e);
    }
}
