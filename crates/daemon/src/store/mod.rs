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

/// Where a daemon keeps its state. Its `Debug` hides a database's password.
#[derive(Clone, Default, PartialEq, Eq)]
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

impl std::fmt::Debug for StoreLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Embedded => f.write_str("Embedded"),
            Self::Postgres { url, standby } => f
                .debug_struct("Postgres")
                .field("url", &gamehost_postgres::redact(url))
                .field("standby", standby)
                .finish(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_location_never_shows_its_password() {
        let location = StoreLocation::Postgres {
            url: "postgres://gh:s3cret@db/gamehost".into(),
            standby: true,
        };
        let shown = format!("{location:?}");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("postgres://gh:***@db/gamehost"), "{shown}");
    }
}
