//! `gamehost-bench`: every benchmark of Gamehost. The harness (the
//! `gamehost-bench` binary, run by `scripts/bench`) measures every
//! performance target of the design that one machine can measure, each
//! beside the alternative a user would pick instead, and prints one table;
//! the bench targets (`cargo bench -p gamehost-bench --bench …`) run parts
//! of it on their own. Each measure returns its figures; the binaries print
//! them.

pub mod agones;
pub mod cluster;
pub mod daemon;
pub mod density;
pub mod disk;
pub mod end_to_end;
pub mod extism_peer;
pub mod flood;
pub mod gateway;
pub mod harness;
pub mod hotswap;
pub mod hung_guest;
pub mod load;
pub mod match_path;
pub mod process_peer;
pub mod report;
pub mod setup;
pub mod sidecar_peer;
pub mod stats;
pub mod stores;
pub mod ticks;
