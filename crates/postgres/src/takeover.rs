//! Declaring lost the hosts whose leases lapsed, and taking over what they
//! left running: any live host does it as it renews its own lease, and the
//! database decides which one (each lapsed host's row is locked by the
//! first to reach it; the others skip it).

use crate::documents::{self, Lease};
use crate::errors;
use deadpool_postgres::{ClientWrapper as Client, Transaction};
use gamehost_model::LEASE_TERM;
use gamehost_model::store::{Collection, StoreError};

/// What a host took over from hosts that are lost.
#[derive(Debug, Default)]
pub struct TakenOver {
    /// The hosts this host declared lost now.
    pub declared: Vec<String>,
    /// The hosts whose documents it took.
    pub from: Vec<String>,
    /// Their game servers, game sessions and logs, now this host's: the
    /// collection, the key and the document.
    pub documents: Vec<(Collection, String, Vec<u8>)>,
}

/// Declares lost the other hosts whose leases lapsed, then takes over the
/// game servers, game sessions and logs of every lost host, all in one
/// transaction under `lease`. A lapsed host still inside a transaction
/// (its lease row locked) is skipped until that transaction ends. A
/// document whose key this host already uses stays with the lost host.
pub(crate) async fn take_over(client: &mut Client, lease: &Lease) -> Result<TakenOver, StoreError> {
    let tx = client.transaction().await.map_err(errors::query)?;
    documents::check_lease(&tx, lease).await?;
    let taken = take_over_in(&tx, lease).await?;
    tx.commit().await.map_err(errors::query)?;
    Ok(taken)
}

/// [`take_over`]'s work, inside `tx`, which holds `lease`.
pub(crate) async fn take_over_in(
    tx: &Transaction<'_>,
    lease: &Lease,
) -> Result<TakenOver, StoreError> {
    let term = LEASE_TERM.as_secs_f64();
    let declared = tx
        .query(
            "UPDATE hosts SET lost_at = now() WHERE host_id IN ( \
                 SELECT host_id FROM hosts \
                 WHERE lost_at IS NULL AND host_id <> $1 \
                   AND renewed_at < now() - make_interval(secs => $2) \
                 FOR UPDATE SKIP LOCKED) \
             RETURNING host_id",
            &[&lease.host_id, &term],
        )
        .await
        .map_err(errors::query)?;
    let declared: Vec<String> = declared.iter().map(|r| r.get(0)).collect();
    let names: Vec<&str> = Collection::TAKEN_OVER.iter().map(|c| c.name()).collect();
    let from: Vec<String> = tx
        .query(
            "SELECT host_id FROM hosts h \
             WHERE lost_at IS NOT NULL AND host_id <> $1 AND EXISTS ( \
                 SELECT 1 FROM documents d \
                 WHERE d.collection = ANY($2) AND d.owner = h.host_id) \
             FOR UPDATE SKIP LOCKED",
            &[&lease.host_id, &names],
        )
        .await
        .map_err(errors::query)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut taken = Vec::new();
    if !from.is_empty() {
        let rows = tx
            .query(
                "UPDATE documents d SET owner = $1 \
                 WHERE d.owner = ANY($2) AND d.collection = ANY($3) AND NOT EXISTS ( \
                     SELECT 1 FROM documents mine \
                     WHERE mine.collection = d.collection AND mine.owner = $1 \
                       AND mine.key = d.key) \
                 RETURNING d.collection, d.key, d.value",
                &[&lease.host_id, &from, &names],
            )
            .await
            .map_err(errors::query)?;
        for row in rows {
            let name: &str = row.get(0);
            if let Some(collection) = Collection::named(name) {
                taken.push((collection, row.get(1), row.get(2)));
            }
        }
    }
    Ok(TakenOver {
        declared,
        from,
        documents: taken,
    })
}
