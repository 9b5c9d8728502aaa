//! Gamehost: runs multiplayer game modes compiled to WebAssembly components.

pub mod api;
#[allow(missing_docs)] // Generated from the WIT, whose doc comments are the documentation.
pub mod bindings;
#[cfg(test)]
mod captured;
pub mod cli;
pub mod daemon;
pub mod engine;
pub mod gateway;
pub mod listener;
pub mod players;
pub use gamehost_model as model;
pub mod sdk;
pub mod sidecar;
pub mod store;
pub mod supervisor;
