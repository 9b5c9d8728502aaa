//! What this host runs and what it can still take: the figures a cluster
//! manager outside the host (Agones' counters and lists) places matches by.

use super::Daemon;
use std::collections::BTreeSet;

/// Where a fleet's next game sessions can go on this host.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Room {
    /// The fleet's Ready game servers that host nothing.
    pub idle: usize,
    /// Game servers the host can still start, across fleets.
    pub free_slots: usize,
}

impl Room {
    /// How many more game sessions the fleet can take: its idle game
    /// servers, then one for each game server the host can still start.
    pub fn game_sessions(self) -> usize {
        self.idle.saturating_add(self.free_slots)
    }
}

impl Daemon {
    /// `fleet`'s room on this host.
    pub fn room(&self, fleet: &str) -> Room {
        let limit = self.0.engine.settings().max_instances as usize;
        let servers = self.0.game_servers.read().expect("lock");
        Room {
            idle: servers.idle(fleet),
            free_slots: limit.saturating_sub(servers.running_count()),
        }
    }

    /// The ids of the game sessions in progress on this host's running game
    /// servers. It costs one look at each running game server, however many
    /// ended game sessions the host keeps.
    pub fn game_sessions_in_progress(&self) -> BTreeSet<String> {
        self.live_records(None)
            .iter()
            .filter_map(|record| record.process.game_session.as_ref())
            .filter(|session| !session.status.is_ended())
            .map(|session| session.game_session_id.clone())
            .collect()
    }
}
