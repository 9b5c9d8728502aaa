//! The host's game servers: running ones with their handles, ended ones as
//! their last record; looking them up, listing, watching and ending them.
//! Starting and following them is in `tracking`.

use super::Daemon;
use super::error::{DaemonError, DaemonResult};
use super::standing::{Standing, Standings};
use crate::store::Collection;
use gamehost_model::{GameServerRecord, GameServerState, Timestamp};
use gamehost_runtime::sdk::LogLine;
use gamehost_runtime::supervisor::{self, GameServerHandle, Watch};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

/// One game server: its fleet, its handle while it runs, its latest record
/// (which says the module it runs), and whether it is a rolling update's
/// game server of the new version that has not yet been Ready (see
/// `rolling.rs`).
pub(super) struct Entry {
    pub(super) fleet: String,
    pub(super) handle: Option<GameServerHandle>,
    pub(super) record: Arc<GameServerRecord>,
    pub(super) on_probation: bool,
    /// The order in which this host started it.
    pub(super) started: u64,
    /// Its standing as of the last record seen; `None` once it has ended.
    pub(super) standing: Option<Standing>,
}

impl Entry {
    pub(super) fn latest(&self) -> Arc<GameServerRecord> {
        match &self.handle {
            Some(handle) => handle.record(),
            None => self.record.clone(),
        }
    }

    /// Whether it runs module `module` (an id).
    pub(super) fn runs(&self, module: &str) -> bool {
        supervisor::module_of(&self.latest()) == Some(module)
    }
}

/// Every game server the host knows, by name.
#[derive(Default)]
pub(super) struct GameServers {
    pub(super) by_name: BTreeMap<String, Entry>,
    pub(super) ended: VecDeque<String>,
    /// Running game servers by fleet and standing.
    pub(super) standings: Standings,
    pub(super) started: u64,
}

impl GameServers {
    /// Brings a game server's standing up to `standing` (`None`: ended).
    pub(super) fn note(&mut self, name: &str, standing: Option<Standing>) {
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
    pub(super) fn claim(&mut self, fleet: &str) -> Option<GameServerHandle> {
        self.claim_noted(fleet).or_else(|| {
            self.catch_up(fleet);
            self.claim_noted(fleet)
        })
    }

    fn claim_noted(&mut self, fleet: &str) -> Option<GameServerHandle> {
        while let Some(name) = self.standings.claim(fleet) {
            if let Some(handle) = self.by_name.get(&name).and_then(|e| e.handle.clone()) {
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
            .filter_map(|(name, e)| {
                Some((name.clone(), Standing::of(&e.handle.as_ref()?.record())))
            })
            .collect();
        for (name, standing) in latest {
            self.note(&name, Some(standing));
        }
    }

    /// Returns a claimed game server to its fleet's idle ones if it is still
    /// idle.
    pub(super) fn release(&mut self, handle: &GameServerHandle) {
        let Some(entry) = self.by_name.get(handle.name()) else {
            return;
        };
        if entry.standing.is_some_and(Standing::is_idle) && Standing::of(&handle.record()).is_idle()
        {
            self.standings
                .release(&entry.fleet, (entry.started, handle.name()));
        }
    }

    /// Adds an ended game server (at startup).
    pub(super) fn insert_ended(&mut self, stored: StoredGameServer) {
        let name = stored.record.object_meta.name.clone();
        self.ended.push_back(name.clone());
        self.by_name.insert(
            name,
            Entry {
                fleet: stored.fleet,
                handle: None,
                record: Arc::new(stored.record),
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
pub(super) struct StoredGameServer {
    pub(super) fleet: String,
    pub(super) record: GameServerRecord,
}

/// Which game servers to list.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GameServerFilter {
    /// Only this fleet's.
    pub fleet: Option<String>,
    /// Only in this state (Ready, Allocated, …).
    pub state: Option<GameServerState>,
    /// Only with this label, as `key=value`.
    pub label: Option<String>,
}

impl Daemon {
    /// Game servers matching `filter`, by name.
    pub fn game_servers(
        &self,
        filter: &GameServerFilter,
    ) -> DaemonResult<Vec<Arc<GameServerRecord>>> {
        let label = match &filter.label {
            Some(pair) => Some(pair.split_once('=').ok_or_else(|| {
                gamehost_model::Error::invalid_argument(format!(
                    "label filter {pair:?} is not key=value"
                ))
            })?),
            None => None,
        };
        let servers = self.0.game_servers.read().expect("lock");
        Ok(servers
            .by_name
            .values()
            .filter(|e| filter.fleet.as_ref().is_none_or(|f| &e.fleet == f))
            .map(Entry::latest)
            .filter(|r| filter.state.is_none_or(|s| r.status.state == s))
            .filter(|r| {
                label
                    .is_none_or(|(k, v)| r.object_meta.labels.get(k).map(String::as_str) == Some(v))
            })
            .collect())
    }

    /// One game server's latest record.
    pub fn game_server(&self, name: &str) -> DaemonResult<Arc<GameServerRecord>> {
        let servers = self.0.game_servers.read().expect("lock");
        servers
            .by_name
            .get(name)
            .map(Entry::latest)
            .ok_or_else(|| DaemonError::not_found("game server", name))
    }

    /// A running game server's handle.
    pub(super) fn handle(&self, name: &str) -> DaemonResult<GameServerHandle> {
        let servers = self.0.game_servers.read().expect("lock");
        let entry = servers
            .by_name
            .get(name)
            .ok_or_else(|| DaemonError::not_found("game server", name))?;
        entry.handle.clone().ok_or_else(|| {
            let reason = entry
                .record
                .process
                .ending
                .as_ref()
                .map(|e| e.reason.clone())
                .unwrap_or_default();
            DaemonError::Command(supervisor::CommandError::Ended(reason))
        })
    }

    /// A game server's records from now on: the current one, then every
    /// change until it ends (just the last record for an ended one).
    pub fn watch_game_server(&self, name: &str) -> DaemonResult<GameServerWatch> {
        let servers = self.0.game_servers.read().expect("lock");
        let entry = servers
            .by_name
            .get(name)
            .ok_or_else(|| DaemonError::not_found("game server", name))?;
        Ok(match &entry.handle {
            Some(handle) => GameServerWatch::Live(handle.watch()),
            None => GameServerWatch::Ended(Some(entry.record.clone())),
        })
    }

    /// Asks a game server to terminate: `on-process-terminate` with the
    /// termination time, then `process-ending` or the grace period ends it.
    pub async fn terminate_game_server(&self, name: &str) -> DaemonResult<Timestamp> {
        let handle = self.handle(name)?;
        let time = handle.request_termination().await?;
        self.persist(&handle).await?;
        Ok(time)
    }

    /// Ends a game server at once, without callbacks.
    pub async fn shutdown_game_server(&self, name: &str) -> DaemonResult<()> {
        let handle = self.handle(name)?;
        handle.stop("shut down through the control plane").await?;
        self.persist(&handle).await
    }

    /// A game server's log lines from position `since` on: from memory while
    /// it runs, from the store once it has ended.
    pub fn game_server_logs(&self, name: &str, since: u64) -> DaemonResult<Vec<LogLine>> {
        let live = {
            let servers = self.0.game_servers.read().expect("lock");
            let entry = servers
                .by_name
                .get(name)
                .ok_or_else(|| DaemonError::not_found("game server", name))?;
            entry.handle.clone()
        };
        match live {
            Some(handle) => Ok(handle.log().lines_since(since)),
            None => Ok(super::logs::read(self.0.persister.store(), name)?
                .into_iter()
                .filter(|l| l.seq >= since)
                .collect()),
        }
    }

    pub(super) fn stored_log(&self, key: &str) -> DaemonResult<Vec<LogLine>> {
        let bytes = self.0.persister.store().get(Collection::Logs, key)?;
        Ok(bytes
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default())
    }

    /// Running game servers' handles, of one fleet or all.
    pub(super) fn live_handles(&self, fleet: Option<&str>) -> Vec<GameServerHandle> {
        let servers = self.0.game_servers.read().expect("lock");
        servers
            .by_name
            .values()
            .filter(|e| fleet.is_none_or(|f| e.fleet == f))
            .filter_map(|e| e.handle.clone())
            .collect()
    }

    /// Running game servers' latest records, of one fleet or all.
    pub(super) fn live_records(&self, fleet: Option<&str>) -> Vec<Arc<GameServerRecord>> {
        let servers = self.0.game_servers.read().expect("lock");
        servers
            .by_name
            .values()
            .filter(|e| fleet.is_none_or(|f| e.fleet == f))
            .filter_map(|e| e.handle.as_ref().map(GameServerHandle::record))
            .collect()
    }

    /// How many of a fleet's game servers failed to start since last asked.
    pub(super) fn take_start_failures(&self, fleet: &str) -> u32 {
        self.0
            .start_failures
            .lock()
            .expect("lock")
            .remove(fleet)
            .unwrap_or(0)
    }

    /// How many game servers are running.
    pub(super) fn live_count(&self) -> usize {
        let servers = self.0.game_servers.read().expect("lock");
        servers.by_name.len() - servers.ended.len()
    }
}

/// What [`Daemon::watch_game_server`] returns.
pub enum GameServerWatch {
    /// A running game server's watch.
    Live(Watch),
    /// An ended game server's last record, once.
    Ended(Option<Arc<GameServerRecord>>),
}

impl GameServerWatch {
    /// The next record, or `None` after the last.
    pub async fn next(&mut self) -> Option<Arc<GameServerRecord>> {
        match self {
            Self::Live(watch) => watch.next().await,
            Self::Ended(last) => last.take(),
        }
    }
}
