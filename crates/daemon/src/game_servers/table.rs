//! The table of the host's game servers: each one's fleet, handle while it
//! runs, latest record, standing and probation, and the fleets' idle ones
//! in the order placement claims them.

use crate::standing::{Standing, Standings};
use gamehost_model::GameServerRecord;
use gamehost_runtime::supervisor::{self, GameServerHandle};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// One game server: its fleet, its handle while it runs or its last record
/// once it has ended (a record says the module it runs), and whether it is a
/// rolling update's game server of the new version that has not yet been
/// Ready (see `rolling.rs`).
struct Entry {
    fleet: String,
    life: Life,
    on_probation: bool,
    /// The order in which this host started it.
    started: u64,
    /// Its standing as of the last record seen; `None` once it has ended.
    standing: Option<Standing>,
}

/// A game server's handle while it runs; its last record once it has ended.
/// A running one's record is its handle's, never a copy kept here.
enum Life {
    Running(GameServerHandle),
    Ended(Arc<GameServerRecord>),
}

impl Entry {
    /// Its handle, while it runs.
    fn handle(&self) -> Option<&GameServerHandle> {
        match &self.life {
            Life::Running(handle) => Some(handle),
            Life::Ended(_) => None,
        }
    }

    /// The latest record, with the CPU time used up to now.
    fn latest(&self) -> Arc<GameServerRecord> {
        match &self.life {
            Life::Running(handle) => handle.record_now(),
            Life::Ended(record) => record.clone(),
        }
    }

    /// Whether it runs module `module` (an id).
    fn runs(&self, module: &str) -> bool {
        let module_of = |record: &GameServerRecord| supervisor::module_of(record) == Some(module);
        match &self.life {
            Life::Running(handle) => module_of(&handle.record()),
            Life::Ended(record) => module_of(record),
        }
    }
}

/// A game server [`GameServers::find`] found.
pub(crate) enum Found {
    /// It runs.
    Running(GameServerHandle),
    /// It has ended, with this last record.
    Ended(Arc<GameServerRecord>),
}

/// Every game server the host knows, by name: running ones with their
/// handles, ended ones (up to the retention) as their last record.
#[derive(Default)]
pub(crate) struct GameServers {
    by_name: BTreeMap<String, Entry>,
    /// Ended ones, oldest first.
    ended: VecDeque<String>,
    /// Running game servers by fleet and standing.
    standings: Standings,
    /// How many this host started.
    started: u64,
}

impl GameServers {
    /// Brings a game server's standing up to `standing` (`None`: ended).
    pub(crate) fn note(&mut self, name: &str, standing: Option<Standing>) {
        if let Some(entry) = self.by_name.get_mut(name)
            && entry.standing != standing
        {
            let seat = (entry.started, name);
            self.standings
                .change(&entry.fleet, seat, entry.standing, standing);
            entry.standing = standing;
        }
    }

    /// Takes the oldest idle game server of `fleet` for a placement; give it
    /// back with [`Self::release`] unless the placement changed it.
    ///
    /// Standings follow records a moment after they are published; when
    /// none is idle, they are first brought up to every record of the fleet,
    /// so a game server a client has seen Ready is never missed.
    pub(crate) fn claim(&mut self, fleet: &str) -> Option<GameServerHandle> {
        self.claim_noted(fleet).or_else(|| {
            self.catch_up(fleet);
            self.claim_noted(fleet)
        })
    }

    fn claim_noted(&mut self, fleet: &str) -> Option<GameServerHandle> {
        while let Some(name) = self.standings.claim(fleet) {
            if let Some(handle) = self.by_name.get(&name).and_then(|e| e.handle().cloned()) {
                return Some(handle);
            }
        }
        None
    }

    /// Notes the standing of the latest record of each running game server
    /// of `fleet`. One already claimed keeps its claim: its standing has
    /// not changed.
    fn catch_up(&mut self, fleet: &str) {
        let latest: Vec<(String, Standing)> = self
            .by_name
            .iter()
            .filter(|(_, e)| e.fleet == fleet)
            .filter_map(|(name, e)| Some((name.clone(), Standing::of(&e.handle()?.record()))))
            .collect();
        for (name, standing) in latest {
            self.note(&name, Some(standing));
        }
    }

    /// Returns a claimed game server to its fleet's idle ones if it is still
    /// idle.
    pub(crate) fn release(&mut self, handle: &GameServerHandle) {
        let Some(entry) = self.by_name.get(handle.name()) else {
            return;
        };
        if entry.standing.is_some_and(Standing::is_idle) && Standing::of(&handle.record()).is_idle()
        {
            self.standings
                .release(&entry.fleet, (entry.started, handle.name()));
        }
    }

    /// Adds a game server that has just started, as the `started`th of this
    /// host, on probation if a rolling update started it.
    pub(crate) fn insert_running(
        &mut self,
        fleet: &str,
        handle: &GameServerHandle,
        on_probation: bool,
    ) {
        self.started += 1;
        let record = handle.record();
        let name = handle.name().to_owned();
        let entry = Entry {
            fleet: fleet.to_owned(),
            life: Life::Running(handle.clone()),
            on_probation,
            started: self.started,
            standing: None,
        };
        self.by_name.insert(name.clone(), entry);
        self.note(&name, Some(Standing::of(&record)));
    }

    /// Keeps an ended game server as its last `record`, and forgets the
    /// oldest ended ones beyond `retain`; returns the names forgotten.
    pub(crate) fn end(
        &mut self,
        name: &str,
        record: Arc<GameServerRecord>,
        retain: usize,
    ) -> Vec<String> {
        self.note(name, None);
        if let Some(entry) = self.by_name.get_mut(name) {
            entry.life = Life::Ended(record);
        }
        self.ended.push_back(name.to_owned());
        let mut evicted = Vec::new();
        while self.ended.len() > retain {
            if let Some(name) = self.ended.pop_front() {
                self.by_name.remove(&name);
                evicted.push(name);
            }
        }
        evicted
    }

    /// A game server by name, running or ended.
    pub(crate) fn find(&self, name: &str) -> Option<Found> {
        let entry = self.by_name.get(name)?;
        Some(match &entry.life {
            Life::Running(handle) => Found::Running(handle.clone()),
            Life::Ended(record) => Found::Ended(record.clone()),
        })
    }

    /// The fleet of a game server.
    pub(crate) fn fleet_of(&self, name: &str) -> Option<&str> {
        self.by_name.get(name).map(|e| e.fleet.as_str())
    }

    /// The latest records of every game server, running or ended, of
    /// `fleet` or of all.
    pub(crate) fn records(&self, fleet: Option<&str>) -> Vec<Arc<GameServerRecord>> {
        self.by_name
            .values()
            .filter(|e| fleet.is_none_or(|f| e.fleet == f))
            .map(Entry::latest)
            .collect()
    }

    /// The running game servers of `fleet` or of all.
    pub(crate) fn running(&self, fleet: Option<&str>) -> Vec<GameServerHandle> {
        self.by_name
            .values()
            .filter(|e| fleet.is_none_or(|f| e.fleet == f))
            .filter_map(|e| e.handle().cloned())
            .collect()
    }

    /// How many game servers are running.
    pub(crate) fn running_count(&self) -> usize {
        self.by_name.len() - self.ended.len()
    }

    /// How many of `fleet`'s running game servers are starting or Ready.
    pub(crate) fn warm(&self, fleet: &str) -> usize {
        self.standings.warm(fleet)
    }

    /// How many of `fleet`'s game servers are Ready and host nothing.
    pub(crate) fn idle(&self, fleet: &str) -> usize {
        self.standings.idle(fleet)
    }

    /// `fleet`'s idle Ready game servers, newest first.
    pub(crate) fn newest_idle(&self, fleet: &str) -> Vec<String> {
        self.standings.newest_idle(fleet)
    }

    /// The game servers of `fleet` on probation running module `module`: the
    /// name, the latest record, and whether it still runs.
    pub(crate) fn on_probation(
        &self,
        fleet: &str,
        module: &str,
    ) -> Vec<(String, Arc<GameServerRecord>, bool)> {
        self.by_name
            .iter()
            .filter(|(_, e)| e.on_probation && e.fleet == fleet && e.runs(module))
            .map(|(name, e)| (name.clone(), e.latest(), e.handle().is_some()))
            .collect()
    }

    /// Whether a game server is on probation.
    pub(crate) fn is_on_probation(&self, name: &str) -> bool {
        self.by_name.get(name).is_some_and(|e| e.on_probation)
    }

    /// Ends the probation of one game server.
    pub(crate) fn pass_probation(&mut self, name: &str) {
        if let Some(entry) = self.by_name.get_mut(name) {
            entry.on_probation = false;
        }
    }

    /// Ends the probation of every game server of `fleet`.
    pub(crate) fn end_probation(&mut self, fleet: &str) {
        for entry in self.by_name.values_mut().filter(|e| e.fleet == fleet) {
            entry.on_probation = false;
        }
    }

    /// Adds an ended game server (at startup).
    pub(crate) fn insert_ended(&mut self, stored: StoredGameServer) {
        let name = stored.record.object_meta.name.clone();
        self.ended.push_back(name.clone());
        self.by_name.insert(
            name,
            Entry {
                fleet: stored.fleet,
                life: Life::Ended(Arc::new(stored.record)),
                on_probation: false,
                started: 0,
                standing: None,
            },
        );
    }
}

/// A game server as stored (its record says the module it ran).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct StoredGameServer {
    pub(crate) fleet: String,
    pub(crate) record: GameServerRecord,
}
