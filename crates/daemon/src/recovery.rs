//! Startup: loading what the store holds. Modules are loaded again (their
//! compiled artifacts come from the cache), fleets and registry entries come
//! back as they were, and game servers and game sessions that were running
//! when the host went down are closed with a reason: their instances did
//! not survive, and nothing is dropped silently.

use super::Daemon;
use super::error::DaemonResult;
use super::fleet::Fleet;
use super::fleet::UpdateStrategy;
use super::game_servers::StoredGameServer;
use super::logs;
use super::modules::{Loaded, Module};
use super::sessions::StoredGameSession;
use crate::store::{Collection, Write};
use gamehost_model::{Clock, EndKind, Ending, GameServerState, ProcessStatus, Timestamp, reasons};
use serde::de::DeserializeOwned;

/// What startup found, for the log.
#[derive(Debug, Default)]
pub(super) struct Recovered {
    pub(super) modules: usize,
    pub(super) fleets: usize,
    pub(super) interrupted_game_servers: usize,
    pub(super) interrupted_game_sessions: usize,
}

fn documents<T: DeserializeOwned>(
    daemon: &Daemon,
    collection: Collection,
) -> DaemonResult<Vec<(String, T)>> {
    let rows = daemon.0.persister.store().scan(collection)?;
    Ok(parse(collection, rows))
}

/// The documents of `rows` that parse, by key; an unreadable one is logged
/// and skipped.
pub(super) fn parse<T: DeserializeOwned>(
    collection: Collection,
    rows: Vec<(String, Vec<u8>)>,
) -> Vec<(String, T)> {
    rows.into_iter()
        .filter_map(|(key, bytes)| match serde_json::from_slice(&bytes) {
            Ok(doc) => Some((key, doc)),
            Err(error) => {
                tracing::error!(collection = collection.name(), %key, %error, "skipping an unreadable stored document");
                None
            }
        })
        .collect()
}

impl Daemon {
    /// Loads the store into memory, closing what the last run left open.
    pub(super) async fn recover(&self) -> DaemonResult<Recovered> {
        let mut recovered = Recovered::default();
        let now = self.0.clock.now();
        for (_, module) in documents::<Module>(self, Collection::Modules)? {
            let loaded = self.load_stored_module(module).await?;
            recovered.modules += 1;
            self.0.modules.write().expect("lock").insert(loaded);
        }
        let mut writes = Vec::new();
        for (name, mut fleet) in documents::<Fleet>(self, Collection::Fleets)? {
            recovered.fleets += 1;
            // Game servers restart on the fleet's module; an in-place update
            // the restart of a host alone cut short fails, leaving the fleet
            // on the old version (a rolling update carries on, and so does
            // an in-place one in a cluster: this host switches its new game
            // servers as the others do theirs).
            let cut_short = fleet.update.as_ref().and_then(|u| {
                (u.in_progress() && u.strategy == UpdateStrategy::InPlace && !self.in_cluster())
                    .then_some((u.updated, u.total))
            });
            if let Some((updated, total)) = cut_short {
                let reason = "the host restarted during the update".to_owned();
                fleet.end_update(Some(reason), updated, total, now);
                writes.push(Write::json(Collection::Fleets, &name, &fleet));
            }
            self.0.fleets.write().expect("lock").insert(fleet);
        }
        let game_servers = documents::<StoredGameServer>(self, Collection::GameServers)?;
        let sessions = documents::<StoredGameSession>(self, Collection::GameSessions)?;
        let closed = self.close_left_running(game_servers, sessions, &mut writes)?;
        recovered.interrupted_game_servers = closed.0;
        recovered.interrupted_game_sessions = closed.1;
        self.recover_registry()?;
        self.recover_audit()?;
        self.0.persister.write(writes).await?;
        Ok(recovered)
    }
}

impl Daemon {
    /// Compiles a stored module (its artifact comes from the cache when
    /// there is one); one that no longer loads is kept, reported, without
    /// its compiled form.
    pub(super) async fn load_stored_module(&self, module: Module) -> DaemonResult<Loaded> {
        let id = module.id.clone();
        let bytes = self
            .read_store(move |store| store.get(Collection::ModuleBytes, &id))
            .await?;
        let engine = self.0.engine.clone();
        let id = &module.id;
        let mode = match bytes {
            Some(bytes) => {
                let _compiling = self.0.compiling.acquire().await;
                tokio::task::spawn_blocking(move || engine.load(&bytes))
                    .await
                    .expect("loading a module does not panic")
                    .map_err(
                        |error| tracing::error!(%id, %error, "a stored module no longer loads"),
                    )
                    .ok()
            }
            None => {
                tracing::error!(%id, "a stored module has no bytes");
                None
            }
        };
        Ok(Loaded::new(module, mode))
    }

    /// Keeps the game servers and game sessions a host stored (this host
    /// before it restarted, or a host declared lost), closing those still
    /// running with `INTERRUPTED`: their instances are gone. The writes
    /// closing them go to `writes`; returns how many of each were closed.
    pub(super) fn close_left_running(
        &self,
        game_servers: Vec<(String, StoredGameServer)>,
        sessions: Vec<(String, StoredGameSession)>,
        writes: &mut Vec<Write>,
    ) -> DaemonResult<(usize, usize)> {
        let now = self.0.clock.now();
        let mut closed = (0, 0);
        for (name, mut stored) in game_servers {
            if interrupt_game_server(&mut stored, now) {
                closed.0 += 1;
                writes.push(Write::json(Collection::GameServers, &name, &stored));
            }
            self.0
                .game_servers
                .write()
                .expect("lock")
                .insert_ended(stored);
        }
        let mut sessions: Vec<StoredGameSession> = sessions.into_iter().map(|(_, s)| s).collect();
        sessions.sort_by_key(|s| s.game_session.creation_time);
        for mut stored in sessions {
            if stored.interrupt(now) {
                closed.1 += 1;
                let id = &stored.game_session.game_session_id;
                writes.push(Write::json(Collection::GameSessions, id, &stored));
                // A running game session's lines were stored with its game
                // server's log; an ended one's log is stored on its own.
                let lines: Vec<_> = logs::read(
                    self.0.persister.store(),
                    &stored.game_session.game_server_name,
                )?
                .into_iter()
                .filter(|l| l.game_session_id.as_deref() == Some(id.as_str()))
                .collect();
                writes.push(Write::json(Collection::Logs, id, &lines));
            }
            self.0.sessions.write().expect("lock").insert(stored);
        }
        Ok(closed)
    }
}

/// Closes a game server that was running when its host went down.
fn interrupt_game_server(stored: &mut StoredGameServer, now: Timestamp) -> bool {
    let record = &mut stored.record;
    if record.process.ending.is_some() {
        return false;
    }
    if !record.status.state.is_terminal() {
        record.status.state = GameServerState::Shutdown;
    }
    record.process.status = ProcessStatus::Terminated;
    record.process.ending = Some(Ending {
        kind: EndKind::Interrupted,
        reason: "the host stopped while the game server ran".to_owned(),
        at: now,
    });
    if let Some(session) = &mut record.process.game_session {
        session.end(
            gamehost_model::GameSessionStatus::Terminated,
            reasons::INTERRUPTED,
            now,
        );
    }
    record.object_meta.generation += 1;
    record.object_meta.resource_version = record.object_meta.generation.to_string();
    true
}
