//! Running game servers: starting them, following each one's records until
//! it ends (its standing, its game session, its documents for the store
//! through `durability.rs`, its log every few seconds), and storing how it
//! ended.

use super::durability::observe_session;
use super::fleet::{FLEET_LABEL, Fleet};
use super::logs::{self, LogChunks};
use super::standing::Standing;
use super::{Daemon, rolling};
use crate::store::{Collection, Write};
use gamehost_model::{EndKind, GameServerRecord, GameServerSpec, Identity};
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

impl Daemon {
    /// The template a new game server of `fleet` running `mode` starts
    /// from: the fleet's, with the fleet's label and the module's
    /// annotations. One is shared by the game servers the fleet starts
    /// until the fleet changes.
    pub(super) fn game_server_spec(&self, fleet: &Fleet, mode: &GameMode) -> GameServerSpec {
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
        spec
    }

    /// Starts one game server of `fleet`; it is tracked until it ends.
    pub(super) fn start_game_server(
        &self,
        fleet: &Fleet,
        mode: GameMode,
        spec: Arc<GameServerSpec>,
    ) -> String {
        let uid = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("{}-{}", fleet.name, &uid[..8]);
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
            spec,
            supervisor::Hosting {
                limits: self.0.engine.default_limits(),
                clock: self.0.clock,
                play: self.0.play.clone(),
            },
        );
        {
            let on_probation = readiness == Readiness::AfterHealthCheck;
            let mut servers = self.0.game_servers.write().expect("lock");
            servers.insert_running(&fleet.name, &handle, on_probation);
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
            servers.is_on_probation(name)
        };
        if on_probation {
            let mut servers = self.0.game_servers.write().expect("lock");
            servers.pass_probation(name);
        }
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

    /// Stores an ended game server's final record and log, keeps it as an
    /// ended entry, and forgets the oldest ended ones beyond the retention.
    async fn finish(&self, handle: &GameServerHandle, chunks: LogChunks) {
        let record = handle.record_now();
        self.0.metrics.game_server_ended(&record);
        self.0.metrics.retire_calls(handle.sdk_calls());
        self.0.metrics.retire_cpu(handle.cpu());
        if record.process.ending.as_ref().map(|e| e.kind) == Some(EndKind::StartFailed) {
            self.note_start_failure(&record.object_meta.namespace);
        }
        self.queue_writes(handle, &record, |writes| {
            self.0.persister.write_later(writes);
        });
        let mut writes = chunks.finish(handle.name(), handle.log());
        let evicted = {
            let mut servers = self.0.game_servers.write().expect("lock");
            servers.end(handle.name(), record, self.0.config.retain_ended)
        };
        for name in evicted {
            writes.push(Write::delete(Collection::GameServers, &name));
            let forgetting = name.clone();
            match self
                .read_store(move |store| logs::forget(store, &forgetting))
                .await
            {
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
}
