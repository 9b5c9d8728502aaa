//! The guest examples and test guests, built once by this crate's build
//! script, and where to find each component.

include!(concat!(env!("OUT_DIR"), "/guests.rs"));

/// The bytes of the component at `path`.
pub fn read(path: &str) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("reading the guest component {path}: {e}"))
}
