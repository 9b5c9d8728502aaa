//! Paths of the built guest components.
