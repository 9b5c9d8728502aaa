//! The host's game servers: running ones with their handles, ended ones as
//! their last record; looking them up, listing, watching and ending them.
//! Starting and following them is in `tracking`.

mod table;

use super::Daemon;
use super::error::{DaemonError, DaemonResult};
use crate::store::{Collection, Store, StoreError};
use gamehost_model::{GameServerRecord, GameServerState, Timestamp};
use gamehost_runtime::sdk::LogLine;
use gamehost_runtime::supervisor::{self, GameServerHandle, Watch};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub(crate) use table::{Found, GameServers, StoredGameServer};

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

impl GameServerFilter {
    /// The label asked for, as `(key, value)`.
    pub(super) fn label_pair(&self) -> DaemonResult<Option<(&str, &str)>> {
        let Some(pair) = &self.label else {
            return Ok(None);
        };
        let split = pair.split_once('=').ok_or_else(|| {
            gamehost_model::Error::invalid_argument(format!(
                "label filter {pair:?} is not key=value"
            ))
        })?;
        Ok(Some(split))
    }

    /// Whether `record` is in the state and has the label (`label`, from
    /// [`Self::label_pair`]) asked for; its fleet is checked apart.
    pub(super) fn admits(&self, label: Option<(&str, &str)>, record: &GameServerRecord) -> bool {
        self.state.is_none_or(|s| record.status.state == s)
            && label.is_none_or(|(k, v)| {
                record.object_meta.labels.get(k).map(String::as_str) == Some(v)
            })
    }
}

impl Daemon {
    /// Game servers matching `filter`, by name.
    pub fn game_servers(
        &self,
        filter: &GameServerFilter,
    ) -> DaemonResult<Vec<Arc<GameServerRecord>>> {
        let label = filter.label_pair()?;
        let servers = self.0.game_servers.read().expect("lock");
        Ok(servers
            .records(filter.fleet.as_deref())
            .into_iter()
            .filter(|r| filter.admits(label, r))
            .collect())
    }

    /// A game server by name, running or ended.
    fn find_game_server(&self, name: &str) -> DaemonResult<Found> {
        let found = self.0.game_servers.read().expect("lock").find(name);
        found.ok_or_else(|| DaemonError::not_found("game server", name))
    }

    /// One game server's latest record.
    pub fn game_server(&self, name: &str) -> DaemonResult<Arc<GameServerRecord>> {
        match self.find_game_server(name)? {
            Found::Running(handle) => Ok(handle.record_now()),
            Found::Ended(record) => Ok(record),
        }
    }

    /// A running game server's handle.
    pub(super) fn handle(&self, name: &str) -> DaemonResult<GameServerHandle> {
        match self.find_game_server(name)? {
            Found::Running(handle) => Ok(handle),
            Found::Ended(record) => {
                let reason = record.process.ending.as_ref().map(|e| e.reason.clone());
                let ended = supervisor::CommandError::Ended(reason.unwrap_or_default());
                Err(DaemonError::Command(ended))
            }
        }
    }

    /// A game server's records from now on: the current one, then every
    /// change until it ends (just the last record for an ended one).
    pub fn watch_game_server(&self, name: &str) -> DaemonResult<GameServerWatch> {
        Ok(match self.find_game_server(name)? {
            Found::Running(handle) => GameServerWatch::Live(handle.watch()),
            Found::Ended(record) => GameServerWatch::Ended(Some(record)),
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
    pub async fn game_server_logs(&self, name: &str, since: u64) -> DaemonResult<Vec<LogLine>> {
        match self.find_game_server(name)? {
            Found::Running(handle) => Ok(handle.log().lines_since(since)),
            Found::Ended(_) => {
                let name = name.to_owned();
                let lines = self
                    .read_store(move |store| super::logs::read(store, &name))
                    .await?;
                Ok(lines.into_iter().filter(|l| l.seq >= since).collect())
            }
        }
    }

    pub(super) async fn stored_log(&self, key: &str) -> DaemonResult<Vec<LogLine>> {
        let key = key.to_owned();
        let bytes = self
            .read_store(move |store| store.get(Collection::Logs, &key))
            .await?;
        Ok(bytes
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default())
    }

    /// Runs `read` on the store off the runtime's workers: a database's
    /// answer (or its timeout, when it is out of reach) holds up no game
    /// server.
    pub(super) async fn read_store<T: Send + 'static>(
        &self,
        read: impl FnOnce(&dyn Store) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let persister = self.0.persister.clone();
        tokio::task::spawn_blocking(move || read(persister.store()))
            .await
            .unwrap_or_else(|e| Err(StoreError::Failed(format!("a store read failed: {e}"))))
    }

    /// Running game servers' handles, of one fleet or all.
    pub(super) fn live_handles(&self, fleet: Option<&str>) -> Vec<GameServerHandle> {
        self.0.game_servers.read().expect("lock").running(fleet)
    }

    /// Running game servers' latest records, of one fleet or all.
    pub(super) fn live_records(&self, fleet: Option<&str>) -> Vec<Arc<GameServerRecord>> {
        let running = self.live_handles(fleet);
        running.iter().map(GameServerHandle::record).collect()
    }

    /// Counts a game server of `fleet` that failed to start, for the fleet
    /// controller's back-off.
    pub(super) fn note_start_failure(&self, fleet: &str) {
        let mut failures = self.0.start_failures.lock().expect("lock");
        *failures.entry(fleet.to_owned()).or_insert(0) += 1;
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
        self.0.game_servers.read().expect("lock").running_count()
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
