//! The messages between a game server's handle and its task: the commands,
//! their replies and errors, and what a swap asks for.

use crate::engine::{Fault, GameMode, Handover, InstanceLimits};
use crate::players::PlayerLink;
use bytes::Bytes;
use gamehost_model::{
    self as model, AllocationChange, DescribePage, DescribeRequest, GameServer, GameServerRecord,
    GameSession, GameSessionUpdate, NewGameSession, NewPlayerSession, PlayerSession, Timestamp,
};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, oneshot};

/// Why a command to a game server failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    /// The model refused it: a bad argument or the wrong state.
    #[error(transparent)]
    Rejected(#[from] model::Error),
    /// The game server has ended.
    #[error("the game server has ended: {0}")]
    Ended(String),
    /// The guest refused a player, or did not accept it.
    #[error("refused: {0}")]
    Refused(String),
    /// The guest faulted while handling the command; the game server ended.
    #[error("the game mode failed: {0}")]
    Faulted(Fault),
}

/// What a command answers.
pub(super) type Reply<T> = oneshot::Sender<Result<T, CommandError>>;

/// A reply held back until the command's changes are published.
pub(super) type Answer = Box<dyn FnOnce() + Send>;

/// A change run on the model from outside the instance; it gets the error
/// instead when the game server has ended, and returns its reply.
pub(super) type Apply = Box<dyn FnOnce(Result<&mut GameServer, CommandError>) -> Answer + Send>;

pub(super) fn answer<T: Send + 'static>(
    reply: Reply<T>,
    result: Result<T, CommandError>,
) -> Answer {
    Box::new(move || {
        let _ = reply.send(result);
    })
}

/// The annotation holding the module a game server runs, as `name@version`.
pub const MODULE_ANNOTATION: &str = "gamehost.dev/module";
/// The annotation holding the id (sha256) of the module a game server runs.
pub const MODULE_ID_ANNOTATION: &str = "gamehost.dev/module-id";

/// The id of the module a game server runs, as its record says.
pub fn module_of(record: &GameServerRecord) -> Option<&str> {
    record
        .object_meta
        .annotations
        .get(MODULE_ID_ANNOTATION)
        .map(String::as_str)
}

/// What to switch a game server to.
#[derive(Clone)]
pub struct SwapRequest {
    /// The new version, compiled.
    pub mode: GameMode,
    /// Its `name@version`, shown in [`MODULE_ANNOTATION`].
    pub module: String,
    /// The limits of the new instance.
    pub limits: InstanceLimits,
}

/// A request to a game server's task.
pub(super) enum Command {
    /// See [`super::GameServerHandle::start_game_session`].
    StartGameSession {
        id: String,
        new: NewGameSession,
        reply: Reply<GameSession>,
    },
    /// See [`super::GameServerHandle::update_game_session`].
    UpdateGameSession {
        update: GameSessionUpdate,
        reply: Reply<GameSession>,
    },
    /// See [`super::GameServerHandle::create_player_sessions`].
    CreatePlayerSessions {
        new: Vec<(String, NewPlayerSession)>,
        reply: Reply<Vec<PlayerSession>>,
    },
    /// See [`super::GameServerHandle::describe_player_sessions`].
    DescribePlayerSessions {
        request: DescribeRequest,
        reply: Reply<DescribePage>,
    },
    /// See [`super::GameServerHandle::allocate`].
    Allocate {
        change: AllocationChange,
        reply: Reply<()>,
    },
    /// See [`super::GameServerHandle::request_termination`].
    RequestTermination { reply: Reply<Timestamp> },
    /// See [`super::GameServerHandle::player_connect`].
    PlayerConnect {
        player_session_id: String,
        link: PlayerLink,
        reply: Reply<()>,
    },
    /// See [`super::GameServerHandle::player_message`].
    PlayerMessage {
        player_session_id: String,
        message: Vec<u8>,
        reply: Reply<()>,
    },
    /// See [`super::GameServerHandle::relay_player_message`].
    RelayPlayerMessage {
        player_session_id: Arc<str>,
        message: Bytes,
        permit: OwnedSemaphorePermit,
    },
    /// See [`super::GameServerHandle::player_disconnect`].
    PlayerDisconnect {
        player_session_id: String,
        reply: Reply<()>,
    },
    /// See [`super::GameServerHandle::stop`].
    Stop { reason: String, reply: Reply<()> },
    /// See [`super::GameServerHandle::apply`]: runs on the model, or on the
    /// error if the game server has ended, and returns its reply.
    Apply(Apply),
    /// See [`super::GameServerHandle::swap`].
    Swap {
        request: Box<SwapRequest>,
        reply: Reply<Handover>,
    },
}

impl Command {
    /// Whether it is play nobody waits on (a relayed player message),
    /// whose changes to the game mode's own metadata may be gathered.
    pub(super) fn is_play(&self) -> bool {
        matches!(self, Self::RelayPlayerMessage { .. })
    }
}
