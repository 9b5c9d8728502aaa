//! The handle through which the rest of the host drives a game server.

use super::command::{Answer, Command, CommandError, Reply, SwapRequest};
use crate::engine::Handover;
use crate::players::PlayerLink;
use crate::sdk::{CpuTime, GuestLog, SdkCalls};
use bytes::Bytes;
use gamehost_model::{
    self as model, AllocationChange, DescribePage, DescribeRequest, GameServer, GameServerRecord,
    GameSession, GameSessionUpdate, NewGameSession, NewPlayerSession, PlayerSession, Timestamp,
};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, broadcast, mpsc, oneshot, watch};

/// A stream of a game server's records: the current one, then each change.
pub struct Watch {
    generation: i64,
    pending: Option<Arc<GameServerRecord>>,
    events: broadcast::Receiver<Arc<GameServerRecord>>,
    latest: watch::Receiver<Arc<GameServerRecord>>,
    finished: bool,
}

impl Watch {
    pub(super) fn new(
        events: broadcast::Receiver<Arc<GameServerRecord>>,
        latest: watch::Receiver<Arc<GameServerRecord>>,
    ) -> Self {
        let current = latest.borrow().clone();
        Self {
            generation: current.object_meta.generation - 1,
            pending: Some(current),
            events,
            latest,
            finished: false,
        }
    }

    /// The next record, or `None` after the record of the game server's end.
    /// A watcher too slow to keep up skips to the latest record.
    pub async fn next(&mut self) -> Option<Arc<GameServerRecord>> {
        if self.finished {
            return None;
        }
        loop {
            let record = match self.pending.take() {
                Some(record) => record,
                None => match self.events.recv().await {
                    Ok(record) => record,
                    Err(broadcast::error::RecvError::Lagged(_)) => self.latest.borrow().clone(),
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
            };
            if record.object_meta.generation > self.generation {
                self.generation = record.object_meta.generation;
                self.finished = record.process.ending.is_some();
                return Some(record);
            }
        }
    }
}

/// A cheap, cloneable handle to a running game server.
#[derive(Clone)]
pub struct GameServerHandle {
    pub(super) name: Arc<str>,
    pub(super) commands: mpsc::Sender<Box<Command>>,
    pub(super) record: watch::Receiver<Arc<GameServerRecord>>,
    pub(super) events: broadcast::Sender<Arc<GameServerRecord>>,
    pub(super) player_sessions: watch::Receiver<Arc<[PlayerSession]>>,
    pub(super) log: GuestLog,
    pub(super) calls: SdkCalls,
    pub(super) cpu: CpuTime,
}

impl GameServerHandle {
    /// The game server's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The latest record.
    pub fn record(&self) -> Arc<GameServerRecord> {
        self.record.borrow().clone()
    }

    /// The latest record with the CPU time used up to now (a record shows
    /// it as of its last change).
    pub fn record_now(&self) -> Arc<GameServerRecord> {
        let mut record = self.record();
        let usage = self.cpu.usage();
        if record.status.cpu != usage {
            Arc::make_mut(&mut record).status.cpu = usage;
        }
        record
    }

    /// The running time its calls used, and the ticks its budget skipped.
    pub fn cpu(&self) -> &CpuTime {
        &self.cpu
    }

    /// The player sessions of the current or last game session, as of the
    /// latest record.
    pub fn player_sessions(&self) -> Arc<[PlayerSession]> {
        self.player_sessions.borrow().clone()
    }

    /// The current record followed by every later change, as Agones'
    /// WatchGameServer delivers them.
    pub fn watch(&self) -> Watch {
        Watch::new(self.events.subscribe(), self.record.clone())
    }

    /// The game server's log.
    pub fn log(&self) -> &GuestLog {
        &self.log
    }

    /// Waits until the record satisfies `condition` and returns it, or
    /// returns the last record once the game server has ended without it.
    pub async fn wait_for(
        &self,
        condition: impl Fn(&GameServerRecord) -> bool,
    ) -> Arc<GameServerRecord> {
        let mut latest = self.record.clone();
        let result = latest
            .wait_for(|r| condition(r) || r.process.ending.is_some())
            .await;
        match result {
            Ok(record) => record.clone(),
            Err(_) => self.record(),
        }
    }

    async fn ask<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> Result<T, CommandError> {
        let (reply, answer) = oneshot::channel();
        if self.commands.send(Box::new(make(reply))).await.is_err() {
            return Err(self.ended());
        }
        answer.await.unwrap_or_else(|_| Err(self.ended()))
    }

    fn ended(&self) -> CommandError {
        let reason = self
            .record()
            .process
            .ending
            .as_ref()
            .map(|e| e.reason.clone());
        CommandError::Ended(reason.unwrap_or_else(|| "the game server stopped".to_owned()))
    }

    /// Places a game session and calls `on-start-game-session`; returns the
    /// game session as it stands when the callback returns. If the guest
    /// faults there, the game server ends and the game session, which does
    /// exist, comes back in ERROR with the reason.
    pub async fn start_game_session(
        &self,
        id: String,
        new: NewGameSession,
    ) -> Result<GameSession, CommandError> {
        self.ask(|reply| Command::StartGameSession { id, new, reply })
            .await
    }

    /// Updates the game session and calls `on-update-game-session`.
    pub async fn update_game_session(
        &self,
        update: GameSessionUpdate,
    ) -> Result<GameSession, CommandError> {
        self.ask(|reply| Command::UpdateGameSession { update, reply })
            .await
    }

    /// Reserves player sessions in the game session.
    pub async fn create_player_sessions(
        &self,
        new: Vec<(String, NewPlayerSession)>,
    ) -> Result<Vec<PlayerSession>, CommandError> {
        self.ask(|reply| Command::CreatePlayerSessions { new, reply })
            .await
    }

    /// Describes player sessions.
    pub async fn describe_player_sessions(
        &self,
        request: DescribeRequest,
    ) -> Result<DescribePage, CommandError> {
        self.ask(|reply| Command::DescribePlayerSessions { request, reply })
            .await
    }

    /// Allocates the game server: it must still be in the state it was
    /// picked in; metadata, counter and list actions apply all or none.
    pub async fn allocate(&self, change: AllocationChange) -> Result<(), CommandError> {
        self.ask(|reply| Command::Allocate { change, reply }).await
    }

    /// Asks the process to terminate: `on-process-terminate` is called and the
    /// game server ends at `process-ending` or after the grace period.
    pub async fn request_termination(&self) -> Result<Timestamp, CommandError> {
        self.ask(|reply| Command::RequestTermination { reply })
            .await
    }

    /// Hands a connecting player to the guest, which must accept its player
    /// session; the guest sends to the player through `link`.
    pub async fn player_connect(
        &self,
        player_session_id: String,
        link: PlayerLink,
    ) -> Result<(), CommandError> {
        self.ask(|reply| Command::PlayerConnect {
            player_session_id,
            link,
            reply,
        })
        .await
    }

    /// Delivers a player's message to the guest.
    pub async fn player_message(
        &self,
        player_session_id: String,
        message: Vec<u8>,
    ) -> Result<(), CommandError> {
        self.ask(|reply| Command::PlayerMessage {
            player_session_id,
            message,
            reply,
        })
        .await
    }

    /// Hands a player's message to the guest without waiting for the call:
    /// a player's messages are delivered in order, and `permit` is released
    /// once the guest has handled this one, so whoever holds the permits
    /// bounds how many wait. If the game server refuses the message (its
    /// player session is not active), the player is disconnected with the
    /// reason.
    pub async fn relay_player_message(
        &self,
        player_session_id: Arc<str>,
        message: Bytes,
        permit: OwnedSemaphorePermit,
    ) -> Result<(), CommandError> {
        let command = Command::RelayPlayerMessage {
            player_session_id,
            message,
            permit,
        };
        self.commands
            .send(Box::new(command))
            .await
            .map_err(|_| self.ended())
    }

    /// Tells the guest a player went away.
    pub async fn player_disconnect(&self, player_session_id: String) -> Result<(), CommandError> {
        self.ask(|reply| Command::PlayerDisconnect {
            player_session_id,
            reply,
        })
        .await
    }

    /// Switches the game server to another module between two calls (an
    /// in-place hot swap); commands sent meanwhile wait and then run on the
    /// new version. A [`CommandError::Refused`] says why the new version
    /// could not take over; the old one then runs on untouched.
    pub async fn swap(&self, request: SwapRequest) -> Result<Handover, CommandError> {
        let request = Box::new(request);
        self.ask(|reply| Command::Swap { request, reply }).await
    }

    /// How many times the guest called each SDK function.
    pub fn sdk_calls(&self) -> &SdkCalls {
        &self.calls
    }

    /// Runs `change` on the game server's SDK state between two guest calls,
    /// as an SDK call from outside the instance (the REST SDK) does; the
    /// answer comes once its effect is published.
    pub async fn apply<T: Send + 'static>(
        &self,
        change: impl FnOnce(&mut GameServer) -> Result<T, model::Error> + Send + 'static,
    ) -> Result<T, CommandError> {
        self.ask(|reply| {
            Command::Apply(Box::new(move |model| -> Answer {
                let result = model.and_then(|m| change(m).map_err(CommandError::from));
                Box::new(move || {
                    let _ = reply.send(result);
                })
            }))
        })
        .await
    }

    /// Ends the game server at once, without callbacks.
    pub async fn stop(&self, reason: &str) -> Result<(), CommandError> {
        let reason = reason.to_owned();
        self.ask(|reply| Command::Stop { reason, reply }).await
    }
}
