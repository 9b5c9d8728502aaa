//! What makes an answer durable: the store writes that bring a game server's
//! document and its game sessions up to a record of it, queued by whoever
//! observes the change first (the game server's tracker, for the next
//! commit; a request, which waits for its commit before it answers).

use super::Daemon;
use super::error::DaemonResult;
use super::game_servers::StoredGameServer;
use super::sessions::{Observed, Sessions};
use crate::store::{Collection, Write};
use gamehost_model::GameServerRecord;
use gamehost_runtime::supervisor::GameServerHandle;

/// What `record` changes in its game session, if it has one, with the game
/// server's player sessions as they are now; the caller holds the sessions
/// lock, so each observation sees them no older than the one before.
pub(super) fn observe_session(
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
    pub(super) fn queue_writes<R>(
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

    fn stored_game_server(
        &self,
        name: &str,
        record: &GameServerRecord,
    ) -> Option<StoredGameServer> {
        let servers = self.0.game_servers.read().expect("lock");
        Some(StoredGameServer {
            fleet: servers.fleet_of(name)?.to_owned(),
            record: record.clone(),
        })
    }
}
