//! [`PgStore`]: the daemon's [`Store`] on a PostgreSQL database, holding
//! the host's lease.

use crate::bridge::Bridge;
use crate::documents::{self, Lease};
use crate::hosts::{self, HostIdentity};
use crate::stats::DatabaseStats;
use crate::takeover::{self, TakenOver};
use crate::{errors, migrations};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use gamehost_model::store::{Collection, Durability, Store, StoreError, Write};
use gamehost_model::{HostRecord, LEASE_RENEWAL};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// Connections a host keeps to its database, at most: the commit thread's,
/// the lease's and a few for reads.
const MAX_CONNECTIONS: usize = 8;
/// How long connecting may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// How long any operation may take before it fails as unavailable; below
/// the control plane's request timeout, so a request needing the database
/// gets its 503 in time.
const OPERATION_TIMEOUT: Duration = Duration::from_secs(4);

/// How long a connection may sit inside a transaction, idle, before the
/// database ends the transaction.
const IDLE_IN_TRANSACTION: Duration = Duration::from_secs(3);

/// The daemon's documents in PostgreSQL, written under the host's lease.
pub struct PgStore {
    pool: Pool,
    lease: Lease,
    bridge: Bridge,
    stats: DatabaseStats,
    /// The database's address with the password hidden, for messages.
    target: String,
}

impl PgStore {
    /// Connects to the database at `url` (`postgres://USER:PASS@HOST:PORT/DB`),
    /// applies the migrations it lacks, takes `host`'s lease beside the
    /// other hosts' (one cluster), and takes over what lost hosts left.
    pub fn open(url: &str, host: &HostIdentity) -> Result<Self, StoreError> {
        Self::connect(url, host, false)
    }

    /// [`PgStore::open`], but while another host holds a live lease, waits
    /// (checking every [`LEASE_RENEWAL`]) until no live lease is left, then
    /// takes the database over: a hot standby.
    pub fn open_standby(url: &str, host: &HostIdentity) -> Result<Self, StoreError> {
        Self::connect(url, host, true)
    }

    fn connect(url: &str, host: &HostIdentity, standby: bool) -> Result<Self, StoreError> {
        let target = redact(url);
        let mut config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| StoreError::Failed(format!("the store's address {target}: {e}")))?;
        config.connect_timeout(CONNECT_TIMEOUT);
        config.application_name(format!("gamehost {}", host.host_id));
        // A host paused inside a transaction (its lease row read-locked)
        // loses that transaction rather than holding up the others.
        config.options(format!(
            "-c idle_in_transaction_session_timeout={}",
            IDLE_IN_TRANSACTION.as_millis()
        ));
        let manager = Manager::from_config(
            config,
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let bridge = Bridge::new(OPERATION_TIMEOUT)?;
        let pool = Pool::builder(manager)
            .max_size(MAX_CONNECTIONS)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(OPERATION_TIMEOUT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(|e| StoreError::Failed(format!("the store's connection pool: {e}")))?;
        let setup = pool.clone();
        let applied = bridge
            .block(async move {
                let mut client = setup.get().await.map_err(errors::pool)?;
                migrations::migrate(&mut client).await
            })
            .map_err(|e| e.context(&format!("opening {target}")))?;
        let mut waited_for = None;
        let (lease, taken) = loop {
            let (setup, identity) = (pool.clone(), host.clone());
            let joined = bridge
                .block(async move {
                    let mut client = setup.get().await.map_err(errors::pool)?;
                    hosts::join(&mut client, &identity, standby).await
                })
                .map_err(|e| e.context(&format!("opening {target}")))?;
            match joined {
                Ok(joined) => break joined,
                Err(holder) => {
                    if waited_for.as_ref() != Some(&holder.host_id) {
                        tracing::info!(
                            holder = %holder.host_id,
                            "standing by: another host holds the database; taking over when its lease lapses"
                        );
                        waited_for = Some(holder.host_id);
                    }
                    std::thread::sleep(LEASE_RENEWAL);
                }
            }
        };
        tracing::info!(
            database = %target,
            migrations = ?applied,
            epoch = lease.epoch,
            "joined the database"
        );
        if !taken.from.is_empty() {
            tracing::info!(from = ?taken.from, documents = taken.documents.len(), "took over from lost hosts");
        }
        Ok(Self {
            pool,
            lease,
            bridge,
            stats: DatabaseStats::default(),
            target,
        })
    }

    /// The host's id.
    pub fn host_id(&self) -> &str {
        &self.lease.host_id
    }

    /// Declares lost the other hosts whose leases lapsed, and takes over
    /// the game servers, game sessions and logs of every lost host; what
    /// it took is this host's from now on.
    pub async fn take_over(&self) -> Result<TakenOver, StoreError> {
        let (pool, lease) = (self.pool.clone(), self.lease.clone());
        self.timed_async(async move {
            let mut client = pool.get().await.map_err(errors::pool)?;
            takeover::take_over(&mut client, &lease).await
        })
        .await
    }

    /// The database's address, its password hidden.
    pub fn target(&self) -> &str {
        &self.target
    }

    /// The epoch of the lease this store writes under.
    pub fn epoch(&self) -> u64 {
        u64::try_from(self.lease.epoch).unwrap_or(0)
    }

    /// What the store measured of the database.
    pub fn stats(&self) -> &DatabaseStats {
        &self.stats
    }

    /// Renews the host's lease, recording its game servers by state.
    pub async fn renew(&self, game_servers: BTreeMap<String, u32>) -> Result<(), StoreError> {
        let (pool, lease) = (self.pool.clone(), self.lease.clone());
        self.timed_async(async move {
            let client = pool.get().await.map_err(errors::pool)?;
            hosts::renew(&client, &lease, &game_servers).await
        })
        .await
    }

    /// Gives the host's lease up: it shows lost at once, and its writes
    /// are refused from now on.
    pub async fn leave(&self) -> Result<(), StoreError> {
        let (pool, lease) = (self.pool.clone(), self.lease.clone());
        self.timed_async(async move {
            let client = pool.get().await.map_err(errors::pool)?;
            hosts::leave(&client, &lease).await
        })
        .await
    }

    /// The host owning the document `key` of a host-owned `collection`
    /// (a game server, a game session), if any host does.
    pub async fn owner_of(
        &self,
        collection: Collection,
        key: &str,
    ) -> Result<Option<String>, StoreError> {
        let (pool, key) = (self.pool.clone(), key.to_owned());
        self.timed_async(async move {
            let client = pool.get().await.map_err(errors::pool)?;
            documents::owner_of(&client, collection, &key).await
        })
        .await
    }

    /// The documents of a host-owned `collection` the other hosts hold
    /// (live, lost, or not yet taken over), by key: with this host's own,
    /// the whole cluster's.
    pub async fn others(
        &self,
        collection: Collection,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let (pool, me) = (self.pool.clone(), self.lease.owner(collection).to_owned());
        self.timed_async(async move {
            let client = pool.get().await.map_err(errors::pool)?;
            documents::scan_others(&client, collection, &me).await
        })
        .await
    }

    /// Adds the document `key` of `collection` unless one exists (made by
    /// any host): whether it was added. Durable when it answers.
    pub async fn create(
        &self,
        collection: Collection,
        key: &str,
        value: Vec<u8>,
    ) -> Result<bool, StoreError> {
        let (pool, lease, key) = (self.pool.clone(), self.lease.clone(), key.to_owned());
        self.timed_async(async move {
            let mut client = pool.get().await.map_err(errors::pool)?;
            documents::insert_new(&mut client, &lease, collection, &key, &value).await
        })
        .await
    }

    /// Every host the database knows, by id.
    pub async fn hosts(&self) -> Result<Vec<HostRecord>, StoreError> {
        let pool = self.pool.clone();
        self.timed_async(async move {
            let client = pool.get().await.map_err(errors::pool)?;
            hosts::list(&client).await
        })
        .await
    }

    async fn timed_async<T: Send + 'static>(
        &self,
        operation: impl Future<Output = Result<T, StoreError>> + Send + 'static,
    ) -> Result<T, StoreError> {
        let started = Instant::now();
        let result = self.bridge.run(operation).await;
        self.stats.record(started.elapsed(), &result);
        result
    }

    fn timed<T: Send + 'static>(
        &self,
        operation: impl Future<Output = Result<T, StoreError>> + Send + 'static,
    ) -> Result<T, StoreError> {
        let started = Instant::now();
        let result = self.bridge.block(operation);
        self.stats.record(started.elapsed(), &result);
        result
    }
}

impl Store for PgStore {
    fn apply(&self, writes: &[Write], durability: Durability) -> Result<(), StoreError> {
        let (pool, lease, writes) = (self.pool.clone(), self.lease.clone(), writes.to_vec());
        self.timed(async move {
            let mut client = pool.get().await.map_err(errors::pool)?;
            documents::apply(&mut client, &lease, &writes, durability).await
        })
    }

    fn get(&self, collection: Collection, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let (pool, key) = (self.pool.clone(), key.to_owned());
        let owner = self.lease.owner(collection).to_owned();
        self.timed(async move {
            let client = pool.get().await.map_err(errors::pool)?;
            documents::get(&client, collection, &owner, &key).await
        })
    }

    fn scan(&self, collection: Collection) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.scan_prefix(collection, "")
    }

    fn scan_prefix(
        &self,
        collection: Collection,
        prefix: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let (pool, prefix) = (self.pool.clone(), prefix.to_owned());
        let owner = self.lease.owner(collection).to_owned();
        self.timed(async move {
            let client = pool.get().await.map_err(errors::pool)?;
            documents::scan(&client, collection, &owner, &prefix).await
        })
    }
}

/// `url` with its password, if any, replaced by `***`, for messages and
/// logs; a `key=value` connection string's `password=` too.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url
            .split(' ')
            .map(|word| match word.split_once('=') {
                Some(("password", _)) => "password=***",
                _ => word,
            })
            .collect::<Vec<_>>()
            .join(" ");
    };
    let Some((credentials, address)) = rest.rsplit_once('@') else {
        return url.to_owned();
    };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{address}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_reaches_a_message() {
        let cases = [
            (
                "postgres://gh:s3cret@db:5432/gamehost",
                "postgres://gh:***@db:5432/gamehost",
            ),
            ("postgres://gh:p@ss@db/g", "postgres://gh:***@db/g"),
            ("postgres://gh@db/g", "postgres://gh@db/g"),
            ("postgres://db/g", "postgres://db/g"),
            ("host=db user=gh", "host=db user=gh"),
            (
                "host=db password=s3cret user=gh",
                "host=db password=*** user=gh",
            ),
        ];
        for (url, shown) in cases {
            assert_eq!(redact(url), shown, "{url}");
        }
    }
}
