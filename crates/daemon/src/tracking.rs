//! Running game servers: starting them, following each one's records until
//! it ends (its standing, its game session, its documents for the store,
//! its log every few seconds), and storing how it ended.

use super::error::DaemonResult;
use super::fleet::{FLEET_LABEL, Fleet};
use super::game_servers::{Entry, StoredGameServer};
use super::logs::{self, LogChunks};
use super::sessions::{Observed, Sessions};
use super::standing::Standing;
use super::{Daemon, rolling};
use crate::store::{Collection, Write};
use gamehost_model::{EndKind, GameServerRecord, Identity};
use gamehost_runtime::engine::GameMode;
use gamehost_runtime::supervisor::{self, GameServerHandle, Readiness, Watch};
use std::sync::Arc;
use std::time::Duration;

/// How often a running game server's new log lines are stored.
const LOG_FLUSH: Duration = Duration::from_secs(2);
/// How long a change no request acknowledged (a guest's own: a counter, a
/// label, a player session it accepted, its game session ending) waits for
/// more before the game server's document and game sessions are queued for
/// the store: one write for a burst of changes, not one per change. With
/// the persister's [`MAX_DEFERRAL`] it bounds how long such a change stays
/// off the disk: half a second.
///
/// [`MAX_DEFERRAL`]: crate::store::MAX_DEFERRAL
const WRITE_DELAY: Duration = Duration::from_millis(100);

/// What `record` changes in its game session, if it has one, with the game
/// server's player sessions as they are now; the caller holds the sessions
/// lock, so each observation sees them no older than the one before.
fn observe_session(
    sessions: &mut Sessions,
    handle: &GameServerHandle,
    record: &GameServerRecord,
) -> Option<(String, Observed)> {
    let session = record.process.game_session.as_ref()?;
    let seats = handle.player_sessions();
    let observed = sessions.observe(session, record.object_meta.generation, &seats);
    Some((session.game_session_id.clone(), observed))
}

/// The store write of what a game server logged during one game session.
fn session_log(handle: &GameServerHandle, game_session_id: &str) -> Write {
    let lines = handle.log().session_lines(game_session_id);
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
            mode.digest().to_owned(),
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
            supervisor::Hosting {
                limits: self.0.engine.default_limits(),
                clock: self.0.clock,
                play: self.0.play.clone(),
            },
        );
        let record = handle.record();
        {
            let mut servers = self.0.game_servers.write().expect("lock");
            servers.started += 1;
            let entry = Entry {
                fleet: fleet.name.clone(),
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
    ///
    /// What a record changed waits [`WRITE_DELAY`] for more changes; the
    /// game server's latest document, and its game sessions' changes, are
    /// queued then, once for the whole burst.
    async fn track(self, handle: GameServerHandle, mut watch: Watch) {
        let mut state = None;
        let mut flush = tokio::time::interval(LOG_FLUSH);
        flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut chunks = LogChunks::default();
        let writes_due = tokio::time::sleep(WRITE_DELAY);
        tokio::pin!(writes_due);
        let mut writes_wait = false;
        loop {
            tokio::select! {
                next = watch.next() => {
                    let Some(record) = next else { break };
                    self.observe(&handle, &record);
                    if !writes_wait {
                        writes_wait = true;
                        writes_due
                            .as_mut()
                            .reset(tokio::time::Instant::now() + WRITE_DELAY);
                    }
                    if state != Some(record.status.state) {
                        state = Some(record.status.state);
                        self.0.reconcile.notify_one();
                    }
                }
                () = &mut writes_due, if writes_wait => {
                    writes_wait = false;
                    self.queue_writes(&handle, &handle.record(), |writes| {
                        self.0.persister.write_later(writes);
                    });
                }
                _ = flush.tick() => self.flush_logs(&handle, &mut chunks),
            }
        }
        self.finish(&handle, chunks).await;
        self.0.reconcile.notify_one();
    }

    /// Records what a published record says about the game server's
    /// standing and game session; what changed in the game session is held
    /// for the next writes queued for this game server.
    fn observe(&self, handle: &GameServerHandle, record: &GameServerRecord) {
        self.0
            .game_servers
            .write()
            .expect("lock")
            .note(handle.name(), Some(Standing::of(record)));
        if rolling::has_been_ready(record.status.state) {
            self.pass_probation(handle.name());
        }
        if record.process.game_session.is_some() {
            let mut sessions = self.0.sessions.write().expect("lock");
            if let Some((id, observed)) = observe_session(&mut sessions, handle, record) {
                sessions.hold(handle.name(), &id, observed);
            }
        }
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

    /// Hands `queue` the store writes that bring a game server up to its
    /// latest record and its game sessions up to `record` and to what was
    /// held for them (an ended game session's log too), and returns what
    /// `queue` returns.
    ///
    /// The tracker and acknowledged requests both observe changes, each
    /// from a record of its own: the tracker's may be older than a request's.
    /// Everything runs under the sessions lock: the game server's document
    /// and player sessions are read there, so each observation sees them no
    /// older than the one before it, and a game session is not taken back to
    /// an older record's state ([`Sessions::observe`]). A change the tracker
    /// observed and held is written by whoever queues writes next, and
    /// `queue` runs under that lock too: a request that finds a change
    /// already observed queues its commit with or after the write of it,
    /// and its acknowledgement covers that write.
    ///
    /// [`Sessions::observe`]: super::sessions::Sessions::observe
    fn queue_writes<R>(
        &self,
        handle: &GameServerHandle,
        record: &GameServerRecord,
        queue: impl FnOnce(Vec<Write>) -> R,
    ) -> R {
        let mut sessions = self.0.sessions.write().expect("lock");
        let mut writes = Vec::new();
        if let Some(doc) = self.stored_game_server(handle.name(), &handle.record()) {
            writes.push(Write::json(Collection::GameServers, handle.name(), &doc));
        }
        let mut changes = sessions.take_held(handle.name());
        changes.extend(observe_session(&mut sessions, handle, record));
        for (id, observed) in changes {
            if observed.changed
                && let Some(stored) = sessions.get(&id)
            {
                writes.push(Write::json(Collection::GameSessions, &id, stored));
            }
            if observed.ended {
                writes.push(session_log(handle, &id));
            }
        }
        queue(writes)
    }

    /// Queues what a running game server's log gained since the last flush
    /// ([`LogChunks`]) for the next store commit. Bounds what a crash loses
    /// to the last [`LOG_FLUSH`]. A running game session's lines are among
    /// them: its own log is stored when it ends, or at startup from these
    /// when the host went down first.
    fn flush_logs(&self, handle: &GameServerHandle, chunks: &mut LogChunks) {
        let writes = chunks.flush(handle.name(), handle.log());
        self.0.persister.write_later(writes);
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
            record: record.clone(),
        })
    }

    /// Stores an ended game server's final record and log, keeps it as an
    /// ended entry, and forgets the oldest ended ones beyond the retention.
    async fn finish(&self, handle: &GameServerHandle, chunks: LogChunks) {
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
        self.queue_writes(handle, &record, |writes| {
            self.0.persister.write_later(writes);
        });
        let mut writes = chunks.finish(handle.name(), handle.log());
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
            match logs::forget(self.0.persister.store(), &name) {
                Ok(forgotten) => writes.extend(forgotten),
                Err(error) => {
                    tracing::warn!(game_server = name, %error, "could not find a log to forget")
                }
            }
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
        let committed = self.queue_writes(handle, &handle.record(), |writes| {
            self.0.persister.write(writes)
        });
        Ok(committed.await?)
    }
}
