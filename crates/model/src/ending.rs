//! How a game server ends, and the calls into the guest the model asks its
//! runner to make.

use super::clock::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A call into the guest that the model asks its runner to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    /// Call `on-health-check` and report the answer with
    /// [`GameServer::record_health_check`](super::GameServer::record_health_check).
    CallHealthCheck,
    /// Call `on-process-terminate` with this termination time.
    CallProcessTerminate {
        /// When the host will end the process.
        termination_time: Timestamp,
    },
}

/// How a game server ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EndKind {
    /// The guest called `shutdown`.
    Shutdown,
    /// The guest called `process-ending`.
    ProcessEnding,
    /// The termination grace period ran out.
    GraceExpired,
    /// The host stopped it at once.
    Stopped,
    /// The guest trapped.
    Trap,
    /// The guest ran past its call deadline.
    Deadline,
    /// The guest ran out of memory.
    OutOfMemory,
    /// The guest used more than its CPU budget for too many windows in a
    /// row.
    CpuBudget,
    /// The instance could not start.
    StartFailed,
    /// The host went down (a crash or a kill) while it ran; found on restart.
    Interrupted,
}

impl fmt::Display for EndKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Self::Shutdown => "shutdown",
            Self::ProcessEnding => "process ending",
            Self::GraceExpired => "termination grace period expired",
            Self::Stopped => "stopped by the host",
            Self::Trap => "trap",
            Self::Deadline => "deadline exceeded",
            Self::OutOfMemory => "out of memory",
            Self::CpuBudget => "CPU budget exceeded",
            Self::StartFailed => "start failed",
            Self::Interrupted => "interrupted by a host restart",
        };
        f.write_str(text)
    }
}

/// Why and when a game server ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ending {
    /// How it ended.
    pub kind: EndKind,
    /// A human-readable reason.
    pub reason: String,
    /// When.
    pub at: Timestamp,
}
