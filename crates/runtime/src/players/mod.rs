//! The players of a game server as the host's lower layers see them: each
//! connected player's link (a bounded queue of outgoing messages and a way
//! to close the connection with a reason), the bounds on their messages,
//! and the counts of their traffic. The gateway, an outer layer, makes the
//! links from WebSocket connections; the SDK's `gateway` interface and the
//! supervisor use them.

mod links;
mod stats;

pub use links::{CloseSignal, Outgoing, PlayerEnd, PlayerLink, PlayerLinks, SendError, TOO_SLOW};
pub use stats::{PlaySnapshot, PlayStats};

/// The largest message a player or a game mode sends, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;

/// The longest reason a connection is closed with, in bytes (WebSocket's
/// limit for a close frame's reason).
pub const MAX_CLOSE_REASON_BYTES: usize = 123;
