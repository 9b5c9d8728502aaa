//! Each host's lease in the `hosts` table: taken with a new epoch as the
//! host starts, renewed every [`LEASE_RENEWAL`](gamehost_model::LEASE_RENEWAL),
//! and lost when it is not renewed for [`LEASE_TERM`].

use crate::documents::Lease;
use crate::errors;
use crate::takeover::{self, TakenOver};
use deadpool_postgres::ClientWrapper as Client;
use gamehost_model::store::StoreError;
use gamehost_model::{HostRecord, HostState, LEASE_TERM, Timestamp};
use std::collections::BTreeMap;
use std::time::Duration;

/// The advisory lock hosts take to join, one at a time: "gh-hosts".
const JOIN_LOCK: i64 = 0x6768_2d68_6f73_7473;

/// What a host tells the others about itself.
#[derive(Clone, Debug)]
pub struct HostIdentity {
    /// Its id (`--host-id`).
    pub host_id: String,
    /// Where players and other hosts reach it (`--advertise`).
    pub address: String,
    /// Its `gamehost` version.
    pub version: String,
    /// Game servers alive at once, at most.
    pub max_game_servers: u32,
}

/// Another host's live lease, which a standby waits on: who holds it, and
/// how long ago it renewed it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Holder {
    pub(crate) host_id: String,
    pub(crate) age_seconds: f64,
}

/// Takes the host's lease with a new epoch, joining the hosts already
/// there, and takes over what lost hosts left (before the host loads its
/// own documents, which closes it as a restart closes what ran); or, for a
/// `standby`, names a live host holding the database and takes nothing.
/// Leases past their term are declared lost first.
pub(crate) async fn join(
    client: &mut Client,
    host: &HostIdentity,
    standby: bool,
) -> Result<Result<(Lease, TakenOver), Holder>, StoreError> {
    let term = LEASE_TERM.as_secs_f64();
    let tx = client.transaction().await.map_err(errors::query)?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&JOIN_LOCK])
        .await
        .map_err(errors::query)?;
    tx.execute(
        "UPDATE hosts SET lost_at = now() WHERE host_id IN ( \
             SELECT host_id FROM hosts \
             WHERE lost_at IS NULL AND renewed_at < now() - make_interval(secs => $1) \
             FOR UPDATE SKIP LOCKED)",
        &[&term],
    )
    .await
    .map_err(errors::query)?;
    let other = if !standby {
        None
    } else {
        tx.query_opt(
            "SELECT host_id, extract(epoch FROM now() - renewed_at)::float8 FROM hosts \
             WHERE lost_at IS NULL AND host_id <> $1 ORDER BY host_id LIMIT 1",
            &[&host.host_id],
        )
        .await
        .map_err(errors::query)?
    };
    if let Some(row) = other {
        // The lapsed leases declared lost above stay declared.
        tx.commit().await.map_err(errors::query)?;
        return Ok(Err(Holder {
            host_id: row.get(0),
            age_seconds: row.get(1),
        }));
    }
    let max = i32::try_from(host.max_game_servers).unwrap_or(i32::MAX);
    let epoch: i64 = tx
        .query_one(
            "INSERT INTO hosts (host_id, epoch, address, version, max_game_servers, \
                                started_at, renewed_at) \
             VALUES ($1, 1, $2, $3, $4, now(), now()) \
             ON CONFLICT (host_id) DO UPDATE SET epoch = hosts.epoch + 1, \
                 address = EXCLUDED.address, version = EXCLUDED.version, \
                 max_game_servers = EXCLUDED.max_game_servers, game_servers = '{}', \
                 started_at = now(), renewed_at = now(), lost_at = NULL \
             RETURNING epoch",
            &[&host.host_id, &host.address, &host.version, &max],
        )
        .await
        .map_err(errors::query)?
        .get(0);
    let lease = Lease {
        host_id: host.host_id.clone(),
        epoch,
    };
    let taken = takeover::take_over_in(&tx, &lease).await?;
    tx.commit().await.map_err(errors::query)?;
    Ok(Ok((lease, taken)))
}

/// Renews the lease, recording the host's game servers by state; a lease
/// taken over is [`StoreError::Fenced`].
pub(crate) async fn renew(
    client: &Client,
    lease: &Lease,
    game_servers: &BTreeMap<String, u32>,
) -> Result<(), StoreError> {
    let counts = serde_json::to_string(game_servers).expect("counts serialize");
    let statement = client
        .prepare_cached(
            "UPDATE hosts SET renewed_at = now(), game_servers = $3 \
             WHERE host_id = $1 AND epoch = $2 AND lost_at IS NULL",
        )
        .await
        .map_err(errors::query)?;
    let renewed = client
        .execute(&statement, &[&lease.host_id, &lease.epoch, &counts])
        .await
        .map_err(errors::query)?;
    if renewed == 0 {
        return Err(StoreError::Fenced(format!(
            "host {:?} no longer holds its lease of epoch {}",
            lease.host_id, lease.epoch
        )));
    }
    Ok(())
}

/// Declares the lease's host lost, as it leaves.
pub(crate) async fn leave(client: &Client, lease: &Lease) -> Result<(), StoreError> {
    client
        .execute(
            "UPDATE hosts SET lost_at = now() \
             WHERE host_id = $1 AND epoch = $2 AND lost_at IS NULL",
            &[&lease.host_id, &lease.epoch],
        )
        .await
        .map_err(errors::query)?;
    Ok(())
}

/// Every host the database knows, by id.
pub(crate) async fn list(client: &Client) -> Result<Vec<HostRecord>, StoreError> {
    let rows = client
        .query(
            "SELECT host_id, epoch, address, version, max_game_servers, game_servers, \
                    (extract(epoch FROM started_at) * 1000)::bigint, \
                    extract(epoch FROM now() - renewed_at)::float8, lost_at IS NOT NULL \
             FROM hosts ORDER BY host_id",
            &[],
        )
        .await
        .map_err(errors::query)?;
    Ok(rows
        .iter()
        .map(|row| {
            let age: f64 = row.get(7);
            let age = age.max(0.0);
            let counts: String = row.get(5);
            HostRecord {
                host_id: row.get(0),
                state: HostState::of(Duration::from_secs_f64(age), row.get(8)),
                lease_age_seconds: age,
                epoch: u64::try_from(row.get::<_, i64>(1)).unwrap_or(0),
                address: row.get(2),
                version: row.get(3),
                max_game_servers: u32::try_from(row.get::<_, i32>(4)).unwrap_or(0),
                game_servers: serde_json::from_str(&counts).unwrap_or_default(),
                started_at: Timestamp::from_millis(row.get(6)),
            }
        })
        .collect())
}
