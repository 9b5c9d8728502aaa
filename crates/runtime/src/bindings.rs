//! Rust bindings for the `gamehost:sdk` WIT package: the one `bindgen!`.
//!
//! Imports are synchronous so an SDK call is a direct call into the host with
//! no future to poll; guest-visible errors are the WIT `sdk-error` results, so
//! no import traps. Exports are async so that every call into a guest runs on
//! a fiber that epoch deadlines can suspend and interrupt.
//!
//! The world is `game-loop`, the `game-server` world plus the optional
//! `ticks` export: the engine looks each exported interface up on its own
//! (with its `GuestIndices`), so a game mode without a game loop loads too.

wasmtime::component::bindgen!({
    path: "../../wit",
    world: "game-loop",
    exports: { default: async },
});

pub use exports::gamehost::sdk::{callbacks, ticks};
pub use gamehost::sdk::{
    configuration, counters, gateway, lifecycle, lists, logging, metadata, players, process,
    sessions, types,
};
