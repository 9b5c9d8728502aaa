//! The one error type of SDK and control-plane operations on the model.

use serde::Serialize;
use std::fmt;

/// What kind of error an operation returned; mirrors the WIT `error-code`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// An argument is malformed or over its bound.
    InvalidArgument,
    /// A key, value or session does not exist.
    NotFound,
    /// The value is already present.
    AlreadyExists,
    /// A count or capacity would leave its range.
    OutOfRange,
    /// The list, player set, game session or registry is full, or no game
    /// server is left to claim.
    AtCapacity,
    /// Not allowed in the current state.
    FailedPrecondition,
    /// A GameLift call before `init-sdk` or after `destroy`.
    NotInitialized,
    /// Nothing the host can give in a sandbox.
    Unavailable,
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Self::InvalidArgument => "invalid argument",
            Self::NotFound => "not found",
            Self::AlreadyExists => "already exists",
            Self::OutOfRange => "out of range",
            Self::AtCapacity => "at capacity",
            Self::FailedPrecondition => "failed precondition",
            Self::NotInitialized => "not initialized",
            Self::Unavailable => "unavailable",
        };
        f.write_str(name)
    }
}

/// An operation's error: a code and a message naming what was wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{code}: {message}")]
pub struct Error {
    /// What kind of error.
    pub code: ErrorCode,
    /// What exactly was wrong.
    pub message: String,
}

/// The result of a model operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;

macro_rules! constructors {
    ($($name:ident => $code:ident),* $(,)?) => {
        impl Error {
            $(
                #[doc = concat!("An error with code `", stringify!($code), "`.")]
                pub fn $name(message: impl Into<String>) -> Self {
                    Self { code: ErrorCode::$code, message: message.into() }
                }
            )*
        }
    };
}

constructors! {
    invalid_argument => InvalidArgument,
    not_found => NotFound,
    already_exists => AlreadyExists,
    out_of_range => OutOfRange,
    at_capacity => AtCapacity,
    failed_precondition => FailedPrecondition,
    not_initialized => NotInitialized,
    unavailable => Unavailable,
}
