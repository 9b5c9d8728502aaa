//! The guest examples and test guests, built once by this crate's build
//! script, and where to find each component. The Rust guests are always
//! built; the C, JavaScript and Python guests with the feature
//! `all-languages`. The constant of a guest that was not built holds the
//! reason instead of a path, and [`read`] reports it.

include!(concat!(env!("OUT_DIR"), "/guests.rs"));

/// What a guest constant starts with when its guest was not built.
const NOT_BUILT: &str = "not built: ";

/// The bytes of the component at `path` (a guest constant); panics with the
/// reason when the guest was not built.
pub fn read(path: &str) -> Vec<u8> {
    if let Some(why) = path.strip_prefix(NOT_BUILT) {
        panic!("{why}");
    }
    std::fs::read(path).unwrap_or_else(|e| panic!("reading the guest component {path}: {e}"))
}
