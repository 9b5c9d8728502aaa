//! The full tier's tests of the `gamehost serve` process (`--features
//! full`, which `scripts/test` and CI always pass): the daemon killed with
//! `kill -9`, stopped with SIGTERM or restarted under load, and a bounded
//! soak that samples the process's memory and descriptors (see
//! `tests/README.md`).
#![cfg(feature = "full")]

// The book's build (docs/), with the mdBook setup installs.
mod book;
mod crash_restart;
mod recovery;
mod soak;
mod threads;
mod update_restart;

/// The `gamehost` binary under test.
const GAMEHOST: &str = env!("CARGO_BIN_EXE_gamehost");
