//! The host's lease in a PostgreSQL store: taken as the daemon starts,
//! renewed every [`LEASE_RENEWAL`] with the host's game servers by state,
//! and given up when it shuts down. A lease taken over (the host was
//! declared lost while it could not renew) fences the host: the database
//! refuses its writes, and [`Daemon::fenced`] tells the serving process to
//! stop its game servers and exit.

use super::{Daemon, DaemonConfig, DaemonResult};
use gamehost_model::store::StoreError;
use gamehost_model::{Clock, HostRecord, HostState, LEASE_RENEWAL, SystemClock, Timestamp};
use gamehost_postgres::{HostIdentity, PgStore};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use tokio::sync::watch;

/// What the daemon knows of its lease.
pub(super) struct LeaseState {
    /// When the daemon started, in epoch milliseconds.
    started: Timestamp,
    /// When the lease was last renewed, in epoch milliseconds.
    renewed: AtomicI64,
    /// Set when the host shut down and gave its lease up.
    left: AtomicBool,
    /// Why the lease was taken over, once it was.
    fenced: watch::Sender<Option<String>>,
}

impl Default for LeaseState {
    fn default() -> Self {
        let now = SystemClock.now();
        Self {
            started: now,
            renewed: AtomicI64::new(now.as_millis()),
            left: AtomicBool::new(false),
            fenced: watch::Sender::new(None),
        }
    }
}

/// Opens the PostgreSQL store at `url` and takes the host's lease in it;
/// on `standby`, after waiting for the host holding it to go.
pub(super) async fn open(
    url: String,
    standby: bool,
    config: &DaemonConfig,
) -> anyhow::Result<PgStore> {
    let identity = HostIdentity {
        host_id: config.host_id.clone(),
        address: format!("{}:{}", config.endpoint.ip_address, config.endpoint.port),
        version: env!("CARGO_PKG_VERSION").into(),
        max_game_servers: config.engine.max_instances,
    };
    let open = move || match standby {
        true => PgStore::open_standby(&url, &identity),
        false => PgStore::open(&url, &identity),
    };
    Ok(tokio::task::spawn_blocking(open).await??)
}

impl LeaseState {
    /// Whether the host gave its lease up, shutting down.
    pub(super) fn has_left(&self) -> bool {
        self.left.load(Ordering::Acquire)
    }
}

impl Daemon {
    /// Renews the lease every [`LEASE_RENEWAL`] until the host leaves or
    /// its lease is taken over.
    pub(super) async fn hold_lease_forever(self) {
        let Some(database) = self.0.database.clone() else {
            return;
        };
        let mut ticks = tokio::time::interval(LEASE_RENEWAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            ticks.tick().await;
            if self.0.lease.has_left() {
                return;
            }
            match database.renew(self.game_servers_by_state()).await {
                Ok(()) => {
                    let now = SystemClock.now().as_millis();
                    self.0.lease.renewed.store(now, Ordering::Release);
                    if failing {
                        tracing::info!("renewed the lease again");
                        failing = false;
                    }
                }
                Err(StoreError::Fenced(why)) => {
                    tracing::error!(%why, "this host's lease was taken over: it stops");
                    self.0.lease.fenced.send_replace(Some(why));
                    return;
                }
                Err(error) => {
                    if !failing {
                        tracing::warn!(%error, "could not renew the lease; retrying every second");
                        failing = true;
                    }
                }
            }
        }
    }

    /// Gives the lease up, as the host's last act: the database shows it
    /// lost at once, rather than when its lease lapses.
    pub(super) async fn leave(&self) {
        self.0.lease.left.store(true, Ordering::Release);
        if let Some(database) = &self.0.database
            && let Err(error) = database.leave().await
        {
            tracing::warn!(%error, "could not give the lease up; it lapses by itself");
        }
    }

    /// Answers once the host's lease was taken over, with why; never on the
    /// embedded store.
    pub async fn fenced(&self) -> String {
        let mut changes = self.0.lease.fenced.subscribe();
        match changes.wait_for(Option::is_some).await {
            Ok(why) => why.clone().unwrap_or_default(),
            Err(_) => std::future::pending().await,
        }
    }

    /// The host's running game servers (every state but the ended ones),
    /// by state.
    pub fn game_servers_by_state(&self) -> BTreeMap<String, u32> {
        let mut by_state = BTreeMap::new();
        for handle in self.live_handles(None) {
            let state = handle.record().status.state;
            if !state.is_terminal() {
                *by_state.entry(state.to_string()).or_insert(0) += 1;
            }
        }
        by_state
    }

    /// The hosts sharing the store: every host the PostgreSQL database
    /// knows, or this host alone on the embedded store.
    pub async fn hosts(&self) -> DaemonResult<Vec<HostRecord>> {
        if let Some(database) = &self.0.database {
            return Ok(database.hosts().await?);
        }
        let config = &self.0.config;
        Ok(vec![HostRecord {
            host_id: config.host_id.clone(),
            state: HostState::Alive,
            lease_age_seconds: 0.0,
            epoch: 0,
            address: format!("{}:{}", config.endpoint.ip_address, config.endpoint.port),
            version: env!("CARGO_PKG_VERSION").into(),
            max_game_servers: config.engine.max_instances,
            game_servers: self.game_servers_by_state(),
            started_at: self.0.lease.started,
        }])
    }

    /// Seconds since the lease was last renewed, and its epoch; none on the
    /// embedded store, which has no lease.
    pub(super) fn lease_age(&self) -> Option<(f64, u64)> {
        let database = self.0.database.as_ref()?;
        let renewed = self.0.lease.renewed.load(Ordering::Acquire);
        let age = SystemClock.now().as_millis().saturating_sub(renewed).max(0);
        Some((age as f64 / 1000.0, database.epoch()))
    }
}
