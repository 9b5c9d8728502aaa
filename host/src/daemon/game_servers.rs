//! The host's game servers: running ones with their handles, ended ones as
//! their last record; starting them, following them and persisting them.

use super::error::{DaemonError, DaemonResult};
use super::fleets::{FLEET_LABEL, Fleet};
use super::sessions::StoredGameSession;
use super::standing::{Standing, Standings};
use super::{Daemon, rolling};
use crate::engine::GameMode;
use crate::model::{EndKind, GameServerRecord, GameServerState, Identity, Timestamp};
use crate::sdk::LogLine;
use crate::store::{Collection, Write};
use crate::supervisor::{self, GameServerHandle, Readiness, Watch};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

/// One game server: its fleet and module, its handle while it runs, its
/// latest record, and whether it is a rolling update's game server of the
/// new version that has not yet been Ready (see `rolling.rs`).
pub(super) struct Entry {
    pub(super) fleet: String,
    pub(super) module: String,
    pub(super) handle: Option<GameServerHandle>,
    pub(super) record: Arc<GameServerRecord>,
    pub(super) on_probation: bool,
    /// The order in which this host started it.
    started: u64,
    /// Its standing as of the last record seen; `None` once it has ended.
    standing: Option<Standing>,
}

impl Entry {
    pub(super) fn latest(&self) -> Arc<GameServerRecord> {
        match &self.handle {
            Some(handle) => handle.record(),
            None => self.record.clone(),
        }
    }
}

/// Every game server the host knows, by name.
#[derive(Default)]
pub(super) struct GameServers {
    pub(super) by_name: BTreeMap<String, Entry>,
    ended: VecDeque<String>,
    /// Running game servers by fleet and standing.
    pub(super) standings: Standings,
    started: u64,
}

impl GameServers {
    /// Brings a game server's standing up to `standing` (`None`: ended).
    fn note(&mut self, name: &str, standing: Option<Standing>) {
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
    pub(super) fn claim(&mut self, fleet: &str) -> Option<GameServerHandle> {
        while let Some(name) = self.standings.claim(fleet) {
            if let Some(handle) = self.by_name.get(&name).and_then(|e| e.handle.clone()) {
                return Some(handle);
            }
        }
        None
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
                module: stored.module,
                handle: None,
                record: Arc::new(stored.record),
                on_probation: false,
                started: 0,
                standing: None,
            },
        );
    }
}

/// A game server as stored.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct StoredGameServer {
    pub(super) fleet: String,
    pub(super) module: String,
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

/// The store key of a game server's own log.
fn log_key(name: &str) -> String {
    format!("gameserver/{name}")
}

/// How often a running game server's new log lines are stored.
const LOG_FLUSH: Duration = Duration::from_secs(2);

/// The store write of what a game server logged during one game session.
fn session_log(handle: &GameServerHandle, game_session_id: &str) -> Write {
    let lines: Vec<LogLine> = handle
        .log()
        .lines()
        .into_iter()
        .filter(|l| l.game_session_id.as_deref() == Some(game_session_id))
        .collect();
    Write::json(Collection::Logs, game_session_id, &lines)
}

impl Daemon {
    /// Starts one game server of `fleet`; it is tracked until it ends.
    pub(super) fn start_game_server(&self, fleet: &Fleet, mode: GameMode) -> String {
        let uid = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("{}-{}", fleet.name, &uid[..8]);
        let mut spec = fleet.template.clone();
        spec.labels
            .insert(FLEET_LABEL.to_owned(), fleet.name.clone());
        spec.annotations.insert(
            supervisor::MODULE_ANNOTATION.to_owned(),
            self.module_label(&fleet.module),
        );
        spec.annotations.insert(
            supervisor::MODULE_ID_ANNOTATION.to_owned(),
            fleet.module.clone(),
        );
        let identity = Identity {
            name: name.clone(),
            fleet: fleet.name.clone(),
            uid,
            host_id: self.0.config.host_id.clone(),
            endpoint: self.0.config.endpoint.clone(),
        };
        let readiness = rolling::readiness(fleet);
        let (handle, watch) = supervisor::spawn_with(
            readiness,
            mode,
            identity,
            Arc::new(spec),
            self.0.engine.default_limits(),
            self.0.clock,
        );
        let record = handle.record();
        {
            let mut servers = self.0.game_servers.write().expect("lock");
            servers.started += 1;
            let entry = Entry {
                fleet: fleet.name.clone(),
                module: fleet.module.clone(),
                record: record.clone(),
                handle: Some(handle.clone()),
                on_probation: readiness == Readiness::AfterHealthCheck,
                started: servers.started,
                standing: None,
            };
            servers.by_name.insert(name.clone(), entry);
            servers.note(&name, Some(Standing::of(&record)));
        }
        if self.0.config.sdk_http {
            let sidecar = handle.clone();
            tokio::spawn(async move {
                if let Err(error) = crate::sidecar::start(sidecar).await {
                    tracing::warn!(%error, "could not serve the REST SDK");
                }
            });
        }
        tokio::spawn(self.clone().track(handle, watch));
        name
    }

    /// Follows a game server's records until it ends: keeps the session
    /// index current, queues its changes for the store, wakes the fleet
    /// controller, and stores its final state and logs when it ends.
    async fn track(self, handle: GameServerHandle, mut watch: Watch) {
        let mut state = None;
        let mut flush = tokio::time::interval(LOG_FLUSH);
        flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut flushed = 0;
        loop {
            tokio::select! {
                next = watch.next() => {
                    let Some(record) = next else { break };
                    self.observe(&handle, &record);
                    if state != Some(record.status.state) {
                        state = Some(record.status.state);
                        self.0.reconcile.notify_one();
                    }
                }
                _ = flush.tick() => flushed = self.flush_logs(&handle, flushed),
            }
        }
        self.finish(&handle).await;
        self.0.reconcile.notify_one();
    }

    /// Records what a published record says about the game server's
    /// standing and game session, and queues the game server's documents for
    /// the next store commit.
    fn observe(&self, handle: &GameServerHandle, record: &GameServerRecord) {
        self.0
            .game_servers
            .write()
            .expect("lock")
            .note(handle.name(), Some(Standing::of(record)));
        if rolling::has_been_ready(record.status.state) {
            self.pass_probation(handle.name());
        }
        let writes = self.writes_for(handle, record);
        self.0.persister.write_later(writes);
    }

    /// Ends a game server's probation once it has been Ready.
    fn pass_probation(&self, name: &str) {
        let on_probation = {
            let servers = self.0.game_servers.read().expect("lock");
            servers.by_name.get(name).is_some_and(|e| e.on_probation)
        };
        if on_probation
            && let Some(entry) = self
                .0
                .game_servers
                .write()
                .expect("lock")
                .by_name
                .get_mut(name)
        {
            entry.on_probation = false;
        }
    }

    /// The store writes that bring a game server and its game session up to
    /// `record`; when the game session has just ended, its log too.
    fn writes_for(&self, handle: &GameServerHandle, record: &GameServerRecord) -> Vec<Write> {
        let mut writes = Vec::new();
        if let Some(session) = &record.process.game_session {
            let seats = handle.player_sessions();
            let mut sessions = self.0.sessions.write().expect("lock");
            let observed = sessions.observe(session, &seats);
            if observed.changed
                && let Some(stored) = sessions.get(&session.game_session_id)
            {
                writes.push(Write::json(
                    Collection::GameSessions,
                    &session.game_session_id,
                    stored,
                ));
            }
            if observed.ended {
                writes.push(session_log(handle, &session.game_session_id));
            }
        }
        if let Some(doc) = self.stored_game_server(handle.name(), record) {
            writes.push(Write::json(Collection::GameServers, handle.name(), &doc));
        }
        writes
    }

    /// Queues a running game server's log, and its game session's, for the
    /// next store commit when lines were written since `flushed` (a
    /// position); returns the new position. Bounds what a crash loses to
    /// the last [`LOG_FLUSH`].
    fn flush_logs(&self, handle: &GameServerHandle, flushed: u64) -> u64 {
        let next = handle.log().next_seq();
        if next == flushed {
            return flushed;
        }
        let mut writes = vec![Write::json(
            Collection::Logs,
            log_key(handle.name()),
            &handle.log().lines(),
        )];
        if let Some(session) = &handle.record().process.game_session {
            writes.push(session_log(handle, &session.game_session_id));
        }
        self.0.persister.write_later(writes);
        next
    }

    fn stored_game_server(
        &self,
        name: &str,
        record: &GameServerRecord,
    ) -> Option<StoredGameServer> {
        let servers = self.0.game_servers.read().expect("lock");
        let entry = servers.by_name.get(name)?;
        Some(StoredGameServer {
            fleet: entry.fleet.clone(),
            module: entry.module.clone(),
            record: record.clone(),
        })
    }

    /// Stores an ended game server's final record and log, keeps it as an
    /// ended entry, and forgets the oldest ended ones beyond the retention.
    async fn finish(&self, handle: &GameServerHandle) {
        let record = handle.record();
        self.0.metrics.game_server_ended(&record);
        self.0.metrics.retire_calls(handle.sdk_calls());
        if record.process.ending.as_ref().map(|e| e.kind) == Some(EndKind::StartFailed) {
            *self
                .0
                .start_failures
                .lock()
                .expect("lock")
                .entry(record.object_meta.namespace.clone())
                .or_insert(0) += 1;
        }
        self.observe(handle, &record);
        let mut writes = vec![Write::json(
            Collection::Logs,
            log_key(handle.name()),
            &handle.log().lines(),
        )];
        let evicted = {
            let mut servers = self.0.game_servers.write().expect("lock");
            servers.note(handle.name(), None);
            if let Some(entry) = servers.by_name.get_mut(handle.name()) {
                entry.handle = None;
                entry.record = record;
            }
            servers.ended.push_back(handle.name().to_owned());
            let mut evicted = Vec::new();
            while servers.ended.len() > self.0.config.retain_ended {
                if let Some(name) = servers.ended.pop_front() {
                    servers.by_name.remove(&name);
                    evicted.push(name);
                }
            }
            evicted
        };
        for name in evicted {
            writes.push(Write::delete(Collection::GameServers, &name));
            writes.push(Write::delete(Collection::Logs, log_key(&name)));
        }
        let gone = self
            .0
            .sessions
            .write()
            .expect("lock")
            .evict(self.0.config.retain_ended);
        for id in gone {
            writes.push(Write::delete(Collection::GameSessions, &id));
            writes.push(Write::delete(Collection::Logs, &id));
        }
        if let Err(error) = self.0.persister.write(writes).await {
            tracing::error!(game_server = handle.name(), %error, "storing an ended game server failed");
        }
    }

    /// Makes a game server's current state durable, with its game session:
    /// called before the API acknowledges a change.
    pub(super) async fn persist(&self, handle: &GameServerHandle) -> DaemonResult<()> {
        // Writes the tracker queued earlier commit first: the store applies
        // them in order.
        let writes = self.writes_for(handle, &handle.record());
        Ok(self.0.persister.write(writes).await?)
    }

    /// Game servers matching `filter`, by name.
    pub fn game_servers(
        &self,
        filter: &GameServerFilter,
    ) -> DaemonResult<Vec<Arc<GameServerRecord>>> {
        let label = match &filter.label {
            Some(pair) => Some(pair.split_once('=').ok_or_else(|| {
                crate::model::Error::invalid_argument(format!(
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
            None => Ok(self
                .stored_log(&log_key(name))?
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

    /// A stored game session, if the host knows it.
    pub(super) fn stored_session(&self, id: &str) -> Option<StoredGameSession> {
        self.0.sessions.read().expect("lock").get(id).cloned()
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
