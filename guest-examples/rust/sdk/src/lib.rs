//! The Gamehost game-server SDK for game modes written in Rust.
//!
//! A game mode implements [`Guest`] (the callbacks) and exports it with
//! [`export!`]; it calls the SDK through the interface modules re-exported
//! here: [`lifecycle`], [`configuration`], [`metadata`], [`counters`],
//! [`lists`], [`players`], [`process`], [`sessions`], [`logging`] and
//! [`gateway`] (sending to connected players). Their
//! documentation is the WIT package `gamehost:sdk` in the repository's `wit/`.
//!
//! ```ignore
//! struct MyGame;
//! gamehost_guest::export!(MyGame);
//!
//! impl gamehost_guest::Guest for MyGame {
//!     fn on_process_start() {
//!         gamehost_guest::lifecycle::ready().expect("ready");
//!     }
//!     // ... the other callbacks
//! }
//! ```

wit_bindgen::generate!({
    path: "../../../wit",
    world: "game-server",
    pub_export_macro: true,
    default_bindings_module: "gamehost_guest",
    additional_derives: [PartialEq, Eq],
});

pub use exports::gamehost::sdk::callbacks::Guest;
pub use gamehost::sdk::{
    configuration, counters, gateway, lifecycle, lists, logging, metadata, players, process,
    sessions, types,
};

use std::fmt;
use types::{ErrorCode, KeyValue, SdkError};

impl SdkError {
    /// Whether the error has `code`.
    pub fn is(&self, code: ErrorCode) -> bool {
        self.code == code
    }
}

/// A key-value pair for labels, game properties and log fields.
pub fn kv(key: &str, value: impl fmt::Display) -> KeyValue {
    KeyValue {
        key: key.to_owned(),
        value: value.to_string(),
    }
}

/// Logs a line at `info`.
pub fn info(message: &str, fields: &[KeyValue]) {
    logging::log(logging::Level::Info, message, fields);
}

/// Logs a line at `warn`.
pub fn warn(message: &str, fields: &[KeyValue]) {
    logging::log(logging::Level::Warn, message, fields);
}

/// Logs a line at `error`.
pub fn error(message: &str, fields: &[KeyValue]) {
    logging::log(logging::Level::Error, message, fields);
}
