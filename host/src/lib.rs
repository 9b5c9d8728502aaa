//! Gamehost: runs multiplayer game modes compiled to WebAssembly components.

pub mod model;
