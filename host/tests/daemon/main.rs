//! Daemon tests, with the Rust guests: a daemon serving in the test's
//! process on a free loopback port (`serving.rs`), driven over HTTP and
//! WebSocket as clients and players would; the control plane's router
//! driven with `oneshot` (`router.rs`); and the `gamehost` command cargo
//! built for them ([`GAMEHOST`]) where the command itself is under test.

mod agones;
mod allocation;
mod api;
mod audit;
mod auth;
mod aws_api;
// A real browser plays a match (the full tier: Chromium and Playwright).
#[cfg(feature = "full")]
mod browser;
mod cli;
mod cluster;
#[cfg(feature = "full")]
mod cluster_aws;
mod cluster_load;
mod cluster_placement;
mod cluster_update;
// `gamehost dev` on a new Rust project (the full tier: its toolchain).
mod console;
#[cfg(feature = "full")]
mod dev_loop;
// The operator console in a real headless browser (the full tier).
#[cfg(feature = "full")]
mod console_browser;
mod gamelift;
mod gateway;
mod gateway_limits;
mod hotswap;
// Game-mode projects built with their languages' toolchains (the full tier).
#[cfg(feature = "full")]
mod new_project;
mod postgres;
mod rolling;
mod router;
mod serving;
mod sidecar;
mod tls;
mod watch;

use serving::{daemon, daemon_with, daemon_with_auth};

/// The `gamehost` binary under test.
const GAMEHOST: &str = env!("CARGO_BIN_EXE_gamehost");
