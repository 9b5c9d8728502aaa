//! Persistence: everything the control plane acknowledged, behind one narrow
//! interface.
//!
//! [`Store`] (defined with the model) is all the daemon asks of a database.
//! The embedded default is [`RedbStore`]; a PostgreSQL database
//! ([`gamehost_postgres::PgStore`]) backs the same trait when the state
//! must outlive the machine ([`StoreLocation`]). [`Persister`] sits in front of
//! it, groups concurrent writes into one transaction, and flushes to disk
//! only what someone waits for (and, within a bound, everything else).

mod persister;
mod redb;

pub use self::redb::RedbStore;
pub use gamehost_model::store::{Collection, Durability, Store, StoreError, Write};
pub use persister::{MAX_DEFERRAL, Persister};

/// Where a daemon keeps its state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum StoreLocation {
    /// The embedded store: one file in the data directory.
    #[default]
    Embedded,
    /// A PostgreSQL database.
    Postgres {
        /// Its address, `postgres://USER:PASS@HOST:PORT/DB`.
        url: String,
        /// Whether to wait while another host holds the database, and take
        /// it over when that host's lease lapses, rather than refuse to start.
        standby: bool,
    },
}
