//! The hosts sharing a database, as it knows them: each holds a lease it
//! renews while alive, and one that stops renewing is lost.

use crate::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// How often a host renews its lease.
pub const LEASE_RENEWAL: Duration = Duration::from_secs(1);

/// How long a lease lasts unrenewed: a host silent this long is lost. Five
/// renewals, so a slow database answer or two do not lose a host, and a
/// host that died is found lost well within ten seconds.
pub const LEASE_TERM: Duration = Duration::from_secs(5);

/// Whether a host holds its lease.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum HostState {
    /// It renewed its lease within [`LEASE_TERM`].
    Alive,
    /// It was declared lost, or has not renewed its lease within
    /// [`LEASE_TERM`]: what it wrote before stays, what it writes now is
    /// refused.
    Lost,
}

impl HostState {
    /// A host's state from its lease's age and whether it was declared lost.
    pub fn of(lease_age: Duration, declared_lost: bool) -> Self {
        if declared_lost || lease_age > LEASE_TERM {
            Self::Lost
        } else {
            Self::Alive
        }
    }
}

/// One host, as the store knows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HostRecord {
    /// The host's id (`--host-id`).
    pub host_id: String,
    /// Whether it holds its lease.
    pub state: HostState,
    /// Seconds since it last renewed its lease.
    pub lease_age_seconds: f64,
    /// The lease's epoch: one more each time the host starts; a write
    /// carrying an older epoch is refused.
    pub epoch: u64,
    /// Where players and other hosts reach it (`--advertise`).
    pub address: String,
    /// Its `gamehost` version.
    pub version: String,
    /// Game servers alive at once, at most (`--max-game-servers`).
    pub max_game_servers: u32,
    /// Its running game servers by state, as of its last renewal.
    pub game_servers: BTreeMap<String, u32>,
    /// When it started, in epoch milliseconds.
    pub started_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_is_alive_while_its_lease_is_fresh_and_not_declared_lost() {
        let cases = [
            (0, false, HostState::Alive),
            (1_000, false, HostState::Alive),
            (5_000, false, HostState::Alive),
            (5_001, false, HostState::Lost),
            (60_000, false, HostState::Lost),
            (0, true, HostState::Lost),
            (4_000, true, HostState::Lost),
        ];
        for (age_ms, declared, expected) in cases {
            assert_eq!(
                HostState::of(Duration::from_millis(age_ms), declared),
                expected,
                "{age_ms} ms old, declared lost: {declared}"
            );
        }
    }
}
