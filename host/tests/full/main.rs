//! The full tier's daemon tests (`--features full`, which `scripts/test`
//! and CI always pass): a real browser, a bounded soak, and the daemon
//! killed with `kill -9` or restarted under load (see `tests/README.md`).
#![cfg(feature = "full")]

mod browser;
mod crash_restart;
mod recovery;
mod soak;
mod update_restart;

/// The `gamehost` binary under test.
const GAMEHOST: &str = env!("CARGO_BIN_EXE_gamehost");
