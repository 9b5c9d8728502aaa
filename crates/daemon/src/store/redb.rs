//! The embedded default store: one redb file in the data directory.
//!
//! redb is a crash-safe, copy-on-write B-tree: a committed transaction
//! survives `kill -9` and power loss, and an interrupted one leaves nothing
//! behind, which is exactly the "nothing acknowledged is lost" rule.

use super::{Collection, Durability, Store, StoreError, Write};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use std::path::Path;

/// The most memory redb's page cache takes (its default is 1 GiB). The
/// daemon keeps its live state in memory and reads the store at start and
/// for history, so the cache mostly holds pages commits touched; past this
/// bound they are read back through the operating system's file cache,
/// which is not the daemon's to hold.
const CACHE_BYTES: usize = 4 << 20;

/// A [`Store`] in a redb database file.
pub struct RedbStore {
    db: Database,
}

fn table(collection: Collection) -> TableDefinition<'static, &'static str, &'static [u8]> {
    TableDefinition::new(collection.name())
}

fn fail(error: impl std::fmt::Display) -> StoreError {
    StoreError::Failed(error.to_string())
}

impl RedbStore {
    /// Opens the database at `path`, creating it and its tables if needed.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let db = Database::builder()
            .set_cache_size(CACHE_BYTES)
            .create(path)
            .map_err(|e| StoreError::Failed(format!("opening {}: {e}", path.display())))?;
        let txn = db.begin_write().map_err(fail)?;
        for collection in Collection::ALL {
            txn.open_table(table(collection)).map_err(fail)?;
        }
        txn.commit().map_err(fail)?;
        Ok(Self { db })
    }
}

impl Store for RedbStore {
    fn apply(&self, writes: &[Write], durability: Durability) -> Result<(), StoreError> {
        let mut txn = self.db.begin_write().map_err(fail)?;
        txn.set_durability(match durability {
            Durability::Immediate => redb::Durability::Immediate,
            Durability::Deferred => redb::Durability::None,
        })
        .map_err(fail)?;
        for write in writes {
            match write {
                Write::Put {
                    collection,
                    key,
                    value,
                } => {
                    let mut t = txn.open_table(table(*collection)).map_err(fail)?;
                    t.insert(key.as_str(), value.as_slice()).map_err(fail)?;
                }
                Write::Delete { collection, key } => {
                    let mut t = txn.open_table(table(*collection)).map_err(fail)?;
                    t.remove(key.as_str()).map_err(fail)?;
                }
            }
        }
        txn.commit().map_err(fail)
    }

    fn get(&self, collection: Collection, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let txn = self.db.begin_read().map_err(fail)?;
        let t = txn.open_table(table(collection)).map_err(fail)?;
        Ok(t.get(key).map_err(fail)?.map(|v| v.value().to_vec()))
    }

    fn scan(&self, collection: Collection) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let txn = self.db.begin_read().map_err(fail)?;
        let t = txn.open_table(table(collection)).map_err(fail)?;
        t.iter()
            .map_err(fail)?
            .map(|entry| {
                let (k, v) = entry.map_err(fail)?;
                Ok((k.value().to_owned(), v.value().to_vec()))
            })
            .collect()
    }

    fn scan_prefix(
        &self,
        collection: Collection,
        prefix: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let txn = self.db.begin_read().map_err(fail)?;
        let t = txn.open_table(table(collection)).map_err(fail)?;
        let mut found = Vec::new();
        for entry in t.range(prefix..).map_err(fail)? {
            let (k, v) = entry.map_err(fail)?;
            if !k.value().starts_with(prefix) {
                break;
            }
            found.push((k.value().to_owned(), v.value().to_vec()));
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_read_back_after_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.redb");
        {
            let store = RedbStore::open(&path).unwrap();
            store
                .apply(
                    &[
                        Write::json(Collection::Fleets, "a", &1),
                        Write::json(Collection::Fleets, "b", &2),
                        Write::delete(Collection::Fleets, "a"),
                        Write::json(Collection::Logs, "a", &3),
                    ],
                    Durability::Deferred,
                )
                .unwrap();
            store.apply(&[], Durability::Immediate).unwrap();
        }
        let store = RedbStore::open(&path).unwrap();
        let fleets = store.scan(Collection::Fleets).unwrap();
        assert_eq!(fleets, vec![("b".to_owned(), b"2".to_vec())]);
        assert_eq!(
            store.get(Collection::Logs, "a").unwrap(),
            Some(b"3".to_vec())
        );
        assert_eq!(store.get(Collection::Logs, "b").unwrap(), None);
    }

    #[test]
    fn a_prefix_scan_finds_only_its_keys_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let store = RedbStore::open(&dir.path().join("state.redb")).unwrap();
        let keys = ["a/2", "a", "a/1", "a0", "b/1", "a/10"];
        let writes: Vec<Write> = keys
            .iter()
            .map(|k| Write::json(Collection::Logs, *k, &1))
            .collect();
        store.apply(&writes, Durability::Immediate).unwrap();
        let found: Vec<String> = store
            .scan_prefix(Collection::Logs, "a/")
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(found, ["a/1", "a/10", "a/2"]);
        assert!(
            store
                .scan_prefix(Collection::Logs, "c/")
                .unwrap()
                .is_empty()
        );
    }
}
