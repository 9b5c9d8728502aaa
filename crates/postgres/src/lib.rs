//! Gamehost's store on PostgreSQL: the daemon's documents, the schema's
//! versioned migrations, and the lease each host holds in the database.
//!
//! [`PgStore::open`] connects, migrates the schema (once, whichever of
//! several hosts starting together gets there first), and registers the
//! host with a new lease epoch beside the cluster's other hosts. Each host
//! owns its game servers, game sessions, logs, registry and audit; modules
//! and fleets are shared. A host whose lease lapses is declared lost by
//! whichever live host notices first, which takes its documents over
//! ([`PgStore::take_over`]). Every transaction the store commits checks
//! that epoch against the database's, so a host whose lease was taken over
//! cannot write: the database refuses it, whatever the host believes.
//!
//! The daemon's [`Store`](gamehost_model::store::Store) interface is
//! synchronous (it is called from the daemon's commit thread); queries run
//! on a small runtime of the store's own, and a caller waits at most the
//! store's timeout for an answer, so a database out of reach costs a caller
//! a bounded wait and an [`Unavailable`](gamehost_model::store::StoreError)
//! error, never a hang.

mod bridge;
mod documents;
mod errors;
mod hosts;
mod migrations;
mod stats;
mod store;
mod takeover;

pub use hosts::HostIdentity;
pub use migrations::SCHEMA_VERSION;
pub use stats::DatabaseStats;
pub use store::{PgStore, redact};
pub use takeover::TakenOver;
