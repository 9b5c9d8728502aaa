//! What a daemon operation can fail with; the API maps each to a status.

use crate::store::StoreError;
use gamehost_model as model;
use gamehost_runtime::engine::LoadError;
use gamehost_runtime::supervisor::CommandError;

/// A daemon operation's error.
#[derive(Debug, thiserror::Error)]
pub enum DaemonError {
    /// Bad input, or not allowed in the current state (the model's rules).
    #[error(transparent)]
    Model(#[from] model::Error),
    /// A module that cannot be loaded.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A game server refused or could not run a command.
    #[error(transparent)]
    Command(#[from] CommandError),
    /// Nothing of that kind by that name.
    #[error("{kind} {name:?} does not exist")]
    NotFound {
        /// What was looked for.
        kind: &'static str,
        /// Its name or id.
        name: String,
    },
    /// The request conflicts with what exists.
    #[error("{0}")]
    Conflict(String),
    /// No game server can take the request now.
    #[error("{0}")]
    NoCapacity(String),
    /// The request would take a client past a limit the fleet sets (the
    /// game sessions one creator may create within a period).
    #[error(transparent)]
    LimitExceeded(#[from] model::LimitReached),
    /// The daemon is shutting down and takes no new work.
    #[error("the host is shutting down")]
    ShuttingDown,
    /// The store failed; the change was not acknowledged.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl DaemonError {
    /// A [`DaemonError::NotFound`].
    pub fn not_found(kind: &'static str, name: impl Into<String>) -> Self {
        Self::NotFound {
            kind,
            name: name.into(),
        }
    }
}

/// The result of a daemon operation.
pub type DaemonResult<T> = Result<T, DaemonError>;
