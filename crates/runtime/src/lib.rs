//! Gamehost's runtime: what runs one game server. The wasmtime engine
//! compiles and instantiates game modes; the SDK's host side answers their
//! calls over the model of `gamehost-model`; a supervisor task per game
//! server owns its instance, its timers and its players' links.
//!
//! Layers, each importing only those listed before it: `bindings` (the
//! WIT), `players`, `sdk`, `engine`, `supervisor`.

#[allow(missing_docs)] // Generated from the WIT, whose doc comments are the documentation.
pub mod bindings;
#[cfg(any(test, feature = "test-support"))]
pub mod captured;
pub mod engine;
pub mod players;
pub mod sdk;
pub mod supervisor;
