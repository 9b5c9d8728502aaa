//! Engine tests: the guests through the engine and the supervisor, in
//! process, without the daemon. The default tier runs them with the Rust
//! guests; the full tier (`--features full`) adds the C, JavaScript and
//! Python guests (see `tests/README.md`).

mod arena;
mod artifact_cache;
// A C game mode using libc's I/O and clocks (the C guests are built in the
// full tier).
#[cfg(feature = "full")]
mod c_libc;
mod conformance;
mod cpu_budget;
mod faults;
mod guest_abuse;
mod hotswap;
// Swaps a ticking Rust guest to the C arena and back.
#[cfg(feature = "full")]
mod hotswap_game_loop;
mod lifecycle;
mod loading;
mod malformed_wasm;
mod sandbox;
