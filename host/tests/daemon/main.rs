//! Daemon tests: the `gamehost` binary cargo built for them
//! ([`GAMEHOST`]) serving on a free loopback port, driven over HTTP and
//! WebSocket as clients and players would, and the control plane's router
//! in process (`router.rs`), with the Rust guests.

mod allocation;
mod api;
mod auth;
mod cli;
mod gamelift;
mod gateway;
mod hotswap;
mod rolling;
mod router;
mod sidecar;
mod watch;

/// The `gamehost` binary under test.
const GAMEHOST: &str = env!("CARGO_BIN_EXE_gamehost");
