//! The hot-swap hand-off: the match in progress goes from the running
//! version of Arena to the next as bytes (see `Match::encode`).

use crate::MATCH;
use crate::game::Match;

wit_bindgen::generate!({
    path: "../../../wit",
    world: "game-mode-handoff",
});

struct Handoff;

export!(Handoff);

impl exports::gamehost::sdk::handoff::Guest for Handoff {
    fn save_state() -> Vec<u8> {
        MATCH.with_borrow(|m| m.as_ref().map(Match::encode).unwrap_or_default())
    }

    fn restore_state(state: Vec<u8>) -> Result<(), String> {
        let restored = if state.is_empty() {
            None
        } else {
            Some(Match::decode(&state)?)
        };
        MATCH.with_borrow_mut(|m| *m = restored);
        Ok(())
    }
}
