//! Game-server states (Agones) and GameLift process statuses.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The lifecycle state of a game server, as in Agones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum GameServerState {
    /// Started; the guest has not declared itself ready.
    Scheduled,
    /// The guest called `ready`; confirmed when its call returns.
    RequestReady,
    /// Ready for a game session or an allocation.
    Ready,
    /// Held back from allocation, for a time or until changed.
    Reserved,
    /// Claimed for players.
    Allocated,
    /// Ended on request.
    Shutdown,
    /// Ended by failed health checks or a guest fault.
    Unhealthy,
    /// Could not start.
    Error,
}

impl GameServerState {
    /// Whether no further state change is possible.
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Shutdown | Self::Unhealthy | Self::Error)
    }

    /// The state's name as Agones writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Scheduled => "Scheduled",
            Self::RequestReady => "RequestReady",
            Self::Ready => "Ready",
            Self::Reserved => "Reserved",
            Self::Allocated => "Allocated",
            Self::Shutdown => "Shutdown",
            Self::Unhealthy => "Unhealthy",
            Self::Error => "Error",
        }
    }
}

impl fmt::Display for GameServerState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The GameLift view of the process behind a game server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ProcessStatus {
    /// Running, not yet declared ready (`process-ready` or `ready`).
    Activating,
    /// Ready to host game sessions.
    Active,
    /// `on-process-terminate` was called; waiting for `process-ending`.
    Terminating,
    /// Ended.
    Terminated,
}
