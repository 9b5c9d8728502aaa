//! The players' gateway: players connect over WebSocket with their player
//! session id, the host hands each connection to the game server holding it,
//! carries their messages both ways through bounded queues, and serves a
//! small browser client for the example game mode.
//!
//! The player session id is the player's credential: the gateway's routes
//! are outside the control plane's bearer token. Strangers are held back by
//! per-address and per-player limits ([`GatewayLimits`]).

mod client;
mod limits;
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
    /// Connection attempts one source address (an IPv6 /64) may make a
    /// second; more are answered 429 (0: no limit).
    pub attempts_per_address: u32,
    /// Connections open from one source address at once (0: no limit).
    pub connections_per_address: usize,
    /// Messages one player may send a second, a second's worth at once;
    /// past it the player is disconnected (0: no limit).
    pub messages_per_second: u32,
    /// Bytes one player may send a second, likewise (0: no limit).
    pub bytes_per_second: u32,
}

impl Default for GatewayLimits {
    fn default() -> Self {
        Self {
            max_connections: 10_000,
            max_players_per_game_server: 100,
            outbound_queue: 256,
            attempts_per_address: 50,
            connections_per_address: 256,
            messages_per_second: 240,
            bytes_per_second: 512 * 1024,
        }
    }
}
