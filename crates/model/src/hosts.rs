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

/// How many of a fleet's `replicas` the host `me` keeps warm when the live
/// hosts `alive` share them: as evenly as can be, the remainder going to
/// the hosts after a starting point that depends on the fleet's name (so
/// that small fleets do not all land on the same host). Every host computes
/// the same split from the same list, whatever its order; a host missing
/// from the list keeps none, and a host alone keeps them all.
pub fn replica_share(replicas: u32, alive: &[&str], me: &str, fleet: &str) -> u32 {
    let mut hosts: Vec<&str> = alive.to_vec();
    hosts.sort_unstable();
    hosts.dedup();
    let Some(index) = hosts.iter().position(|h| *h == me) else {
        return 0;
    };
    let count = hosts.len() as u32;
    let (base, extra) = (replicas / count, replicas % count);
    let start = fnv1a(fleet.as_bytes()) % count;
    let turn = (index as u32 + count - start) % count;
    base + u32::from(turn < extra)
}

/// FNV-1a: a hash every host and every version computes alike.
fn fnv1a(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(*byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_are_shared_evenly_and_in_full() {
        let cases: [(u32, &[&str]); 7] = [
            (6, &["a", "b", "c"]),
            (7, &["a", "b", "c"]),
            (1, &["a", "b", "c"]),
            (0, &["a", "b"]),
            (5, &["a"]),
            (10_000, &["c", "a", "b", "d"]),
            (2, &["b", "a", "a"]),
        ];
        for (replicas, alive) in cases {
            let shares: Vec<u32> = ["a", "b", "c", "d"]
                .iter()
                .map(|me| replica_share(replicas, alive, me, "arena"))
                .collect();
            assert_eq!(
                shares.iter().sum::<u32>(),
                replicas,
                "{replicas} over {alive:?}"
            );
            let live: Vec<u32> = shares
                .iter()
                .zip(["a", "b", "c", "d"])
                .filter(|(_, h)| alive.contains(h))
                .map(|(s, _)| *s)
                .collect();
            let (low, high) = (live.iter().min(), live.iter().max());
            assert!(
                high.unwrap() - low.unwrap() <= 1,
                "{replicas} over {alive:?}: {shares:?}"
            );
        }
        assert_eq!(replica_share(3, &["a", "b"], "z", "arena"), 0);
    }

    #[test]
    fn single_replicas_of_different_fleets_land_on_different_hosts() {
        let alive = ["a", "b", "c"];
        let holders: std::collections::BTreeSet<&str> = (0..12)
            .map(|n| format!("fleet-{n}"))
            .map(|fleet| {
                let holder = alive
                    .iter()
                    .find(|h| replica_share(1, &alive, h, &fleet) == 1);
                *holder.expect("one host holds the replica")
            })
            .collect();
        assert_eq!(holders.len(), 3, "{holders:?}");
    }

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
