//! Persistence: everything the control plane acknowledged, behind one narrow
//! interface.
//!
//! [`Store`] (defined with the model) is all the daemon asks of a database.
//! The embedded default is [`RedbStore`]; a shared database can back the
//! same trait when one host is not enough. [`Persister`] sits in front of
//! it, groups concurrent writes into one transaction, and flushes to disk
//! only what someone waits for (and, within a bound, everything else).

mod persister;
mod redb;

pub use self::redb::RedbStore;
pub use gamehost_model::store::{Collection, Durability, Store, StoreError, Write};
pub use persister::{MAX_DEFERRAL, Persister};
