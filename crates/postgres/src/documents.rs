//! The daemon's documents in one table, `documents`, keyed by collection,
//! owner and key. A host-owned collection's documents belong to the host
//! that wrote them (its id is their owner); the shared ones (modules,
//! fleets) have the empty owner. Keys sort bytewise (collation "C"), as the
//! embedded store's do.

use crate::errors;
use deadpool_postgres::{ClientWrapper as Client, Transaction};
use gamehost_model::store::{Collection, Durability, StoreError, Write};
use std::collections::HashSet;

/// The lease a transaction is committed under: the host's id and epoch.
#[derive(Clone, Debug)]
pub(crate) struct Lease {
    pub(crate) host_id: String,
    pub(crate) epoch: i64,
}

impl Lease {
    /// Who owns this host's documents of `collection`: the host, or no one
    /// (`""`) for a shared collection.
    pub(crate) fn owner(&self, collection: Collection) -> &str {
        match collection.is_host_owned() {
            true => &self.host_id,
            false => "",
        }
    }
}

/// Whether `lease` is still the host's; read-locked until the transaction
/// ends, so that a host declaring this one lost waits for it (or skips it),
/// and this transaction sees any such declaration.
pub(crate) async fn check_lease(tx: &Transaction<'_>, lease: &Lease) -> Result<(), StoreError> {
    let statement = tx
        .prepare_cached(
            "SELECT 1 FROM hosts WHERE host_id = $1 AND epoch = $2 AND lost_at IS NULL FOR SHARE",
        )
        .await
        .map_err(errors::query)?;
    let holds = tx
        .query_opt(&statement, &[&lease.host_id, &lease.epoch])
        .await
        .map_err(errors::query)?;
    match holds {
        Some(_) => Ok(()),
        None => Err(StoreError::Fenced(format!(
            "host {:?} no longer holds its lease of epoch {}",
            lease.host_id, lease.epoch
        ))),
    }
}

/// Applies `writes` in one transaction, all or none, if `lease` is still
/// the host's. A deferred transaction commits without waiting for the
/// write-ahead log's flush; the next immediate one waits for both, since
/// the log is flushed in order.
pub(crate) async fn apply(
    client: &mut Client,
    lease: &Lease,
    writes: &[Write],
    durability: Durability,
) -> Result<(), StoreError> {
    let tx = client.transaction().await.map_err(errors::query)?;
    if durability == Durability::Deferred {
        tx.batch_execute("SET LOCAL synchronous_commit = off")
            .await
            .map_err(errors::query)?;
    }
    check_lease(&tx, lease).await?;
    let (puts, deletes) = last_per_key(writes);
    if !puts.is_empty() {
        let collections: Vec<&str> = puts.iter().map(|(c, _, _)| c.name()).collect();
        let owners: Vec<&str> = puts.iter().map(|(c, _, _)| lease.owner(*c)).collect();
        let keys: Vec<&str> = puts.iter().map(|(_, k, _)| *k).collect();
        let values: Vec<&[u8]> = puts.iter().map(|(_, _, v)| *v).collect();
        let upsert = tx
            .prepare_cached(
                "INSERT INTO documents (collection, owner, key, value) \
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[]) \
                 ON CONFLICT (collection, owner, key) DO UPDATE SET value = EXCLUDED.value",
            )
            .await
            .map_err(errors::query)?;
        tx.execute(&upsert, &[&collections, &owners, &keys, &values])
            .await
            .map_err(errors::query)?;
    }
    if !deletes.is_empty() {
        let collections: Vec<&str> = deletes.iter().map(|(c, _)| c.name()).collect();
        let owners: Vec<&str> = deletes.iter().map(|(c, _)| lease.owner(*c)).collect();
        let keys: Vec<&str> = deletes.iter().map(|(_, k)| *k).collect();
        let delete = tx
            .prepare_cached(
                "DELETE FROM documents d \
                 USING unnest($1::text[], $2::text[], $3::text[]) AS x(collection, owner, key) \
                 WHERE d.collection = x.collection AND d.owner = x.owner AND d.key = x.key",
            )
            .await
            .map_err(errors::query)?;
        tx.execute(&delete, &[&collections, &owners, &keys])
            .await
            .map_err(errors::query)?;
    }
    tx.commit().await.map_err(errors::query)
}

/// Adds the document `key` of `collection` with `value` if there is none
/// yet, if `lease` is still the host's, and waits until it is durable:
/// whether it was added (`false`: another host, or an earlier request,
/// made it first).
pub(crate) async fn insert_new(
    client: &mut Client,
    lease: &Lease,
    collection: Collection,
    key: &str,
    value: &[u8],
) -> Result<bool, StoreError> {
    let tx = client.transaction().await.map_err(errors::query)?;
    check_lease(&tx, lease).await?;
    let insert = tx
        .prepare_cached(
            "INSERT INTO documents (collection, owner, key, value) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (collection, owner, key) DO NOTHING",
        )
        .await
        .map_err(errors::query)?;
    let owner = lease.owner(collection);
    let added = tx
        .execute(&insert, &[&collection.name(), &owner, &key, &value])
        .await
        .map_err(errors::query)?;
    tx.commit().await.map_err(errors::query)?;
    Ok(added == 1)
}

type Put<'a> = (Collection, &'a str, &'a [u8]);

/// The writes that take effect, puts and deletes apart: each key's last.
/// One statement cannot change a row twice, and in a transaction only a
/// key's last write counts, so the order between different keys is free.
fn last_per_key(writes: &[Write]) -> (Vec<Put<'_>>, Vec<(Collection, &str)>) {
    let mut seen = HashSet::with_capacity(writes.len());
    let (mut puts, mut deletes) = (Vec::new(), Vec::new());
    for write in writes.iter().rev() {
        if !seen.insert(write.target()) {
            continue;
        }
        match write {
            Write::Put {
                collection,
                key,
                value,
            } => puts.push((*collection, key.as_str(), value.as_slice())),
            Write::Delete { collection, key } => deletes.push((*collection, key.as_str())),
        }
    }
    (puts, deletes)
}

/// One document of `owner`'s.
pub(crate) async fn get(
    client: &Client,
    collection: Collection,
    owner: &str,
    key: &str,
) -> Result<Option<Vec<u8>>, StoreError> {
    let statement = client
        .prepare_cached(
            "SELECT value FROM documents WHERE collection = $1 AND owner = $2 AND key = $3",
        )
        .await
        .map_err(errors::query)?;
    let row = client
        .query_opt(&statement, &[&collection.name(), &owner, &key])
        .await
        .map_err(errors::query)?;
    Ok(row.map(|r| r.get(0)))
}

/// The host owning the document `key` of a host-owned `collection`, if
/// any host does.
pub(crate) async fn owner_of(
    client: &Client,
    collection: Collection,
    key: &str,
) -> Result<Option<String>, StoreError> {
    let statement = client
        .prepare_cached(
            "SELECT owner FROM documents WHERE collection = $1 AND key = $2 AND owner <> '' \
             LIMIT 1",
        )
        .await
        .map_err(errors::query)?;
    let row = client
        .query_opt(&statement, &[&collection.name(), &key])
        .await
        .map_err(errors::query)?;
    Ok(row.map(|r| r.get(0)))
}

/// The documents of a host-owned `collection` that hosts other than `me`
/// hold, by key.
pub(crate) async fn scan_others(
    client: &Client,
    collection: Collection,
    me: &str,
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let statement = client
        .prepare_cached(
            "SELECT key, value FROM documents \
             WHERE collection = $1 AND owner <> $2 AND owner <> '' \
             ORDER BY key",
        )
        .await
        .map_err(errors::query)?;
    let rows = client
        .query(&statement, &[&collection.name(), &me])
        .await
        .map_err(errors::query)?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// `owner`'s documents of `collection` whose keys start with `prefix`
/// (all of them for an empty one), by key.
pub(crate) async fn scan(
    client: &Client,
    collection: Collection,
    owner: &str,
    prefix: &str,
) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
    let statement = client
        .prepare_cached(
            "SELECT key, value FROM documents \
             WHERE collection = $1 AND owner = $2 AND key >= $3 AND key < $4 \
               AND starts_with(key, $3) \
             ORDER BY key",
        )
        .await
        .map_err(errors::query)?;
    let rows = client
        .query(
            &statement,
            &[&collection.name(), &owner, &prefix, &upper_bound(prefix)],
        )
        .await
        .map_err(errors::query)?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// A key above every key that starts with `prefix`, so that the scan reads
/// only the index's range of the prefix: bytewise, a key starting with
/// `prefix` is below `prefix` followed by the greatest character, unless
/// that character follows `prefix` in it (the daemon's keys are names and
/// ids, which never hold it).
fn upper_bound(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_each_keys_last_write_is_applied() {
        let writes = [
            Write::put(Collection::Fleets, "a", b"1".to_vec()),
            Write::put(Collection::Fleets, "b", b"2".to_vec()),
            Write::delete(Collection::Fleets, "a"),
            Write::put(Collection::Modules, "a", b"3".to_vec()),
            Write::delete(Collection::Fleets, "c"),
            Write::put(Collection::Fleets, "c", b"4".to_vec()),
        ];
        let (puts, deletes) = last_per_key(&writes);
        let mut puts: Vec<_> = puts
            .into_iter()
            .map(|(c, k, v)| (c, k, v.to_vec()))
            .collect();
        puts.sort();
        assert_eq!(
            puts,
            vec![
                (Collection::Modules, "a", b"3".to_vec()),
                (Collection::Fleets, "b", b"2".to_vec()),
                (Collection::Fleets, "c", b"4".to_vec()),
            ]
        );
        assert_eq!(deletes, vec![(Collection::Fleets, "a")]);
    }
}
