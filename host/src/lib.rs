//! Gamehost: runs multiplayer game modes compiled to WebAssembly components.
//!
//! This crate is the outer layer: the HTTP control plane, GameLift's
//! service API for the AWS SDKs, the players' WebSocket gateway, the
//! operator console and the
//! `gamehost` command, over the daemon
//! (`gamehost-daemon`), the runtime (`gamehost-runtime`) and the model
//! (`gamehost-model`).

pub mod api;
pub mod aws;
pub mod cli;
pub mod console;
pub mod gateway;
pub mod peers;
pub mod reference;
pub mod server;
pub mod signing;
pub mod tls;
pub mod tokens;
