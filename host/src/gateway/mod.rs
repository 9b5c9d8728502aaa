//! The players' gateway: players connect over WebSocket with their player
//! session id, the host hands each connection to the game server holding it,
//! carries their messages both ways through bounded queues, and serves a
//! small browser client for the example game mode.
//!
//! The player session id is the player's credential: the gateway's routes
//! are outside the control plane's bearer token.

mod client;
mod socket;

pub use socket::{Gateway, router};

/// Bounds on the gateway's connections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GatewayLimits {
    /// Players connected to the host at once.
    pub max_connections: usize,
    /// Players connected to one game server at once.
    pub max_players_per_game_server: usize,
    /// Messages waiting to be written to one player; a player that falls
    /// further behind is disconnected.
    pub outbound_queue: usize,
}

impl Default for GatewayLimits {
    fn default() -> Self {
        Self {
            max_connections: 10_000,
            max_players_per_game_server: 100,
            outbound_queue: 256,
        }
    }
}
