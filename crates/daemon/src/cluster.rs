//! A host among others on one PostgreSQL database. Every
//! [`LEASE_RENEWAL`] the host reads which hosts are alive (they share each
//! fleet's replicas: [`replica_share`]), declares lost the hosts whose
//! leases lapsed and closes what they left running (their game servers end,
//! their game sessions become TERMINATED with `INTERRUPTED`), and follows
//! the modules and fleets the other hosts created, changed or deleted: the
//! database is the truth, and this host's memory follows it.

use super::Daemon;
use super::error::DaemonResult;
use super::fleet::Fleet;
use super::modules::Module;
use super::recovery::parse;
use crate::store::Collection;
use gamehost_model::{HostRecord, HostState, LEASE_RENEWAL, replica_share};
use gamehost_postgres::{PgStore, TakenOver};
use std::collections::BTreeSet;

impl Daemon {
    /// Follows the cluster until the host leaves or shuts down.
    pub(super) async fn follow_cluster_forever(self) {
        let mut ticks = tokio::time::interval(LEASE_RENEWAL);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut failing = false;
        loop {
            ticks.tick().await;
            if self.is_shutting_down() || self.0.lease.has_left() {
                return;
            }
            match self.follow_cluster().await {
                Ok(()) if failing => {
                    tracing::info!("following the cluster again");
                    failing = false;
                }
                Ok(()) => {}
                Err(error) if !failing => {
                    tracing::warn!(%error, "could not follow the cluster; retrying every second");
                    failing = true;
                }
                Err(_) => {}
            }
        }
    }

    /// One look at the cluster: the live hosts, the lost ones to take over,
    /// the shared modules and fleets.
    pub(super) async fn follow_cluster(&self) -> DaemonResult<()> {
        let Some(database) = self.0.database.clone() else {
            return Ok(());
        };
        self.follow_hosts(&database).await?;
        let taken = database.take_over().await?;
        if !taken.documents.is_empty() {
            self.close_taken_over(taken).await?;
        }
        self.follow_modules().await?;
        self.follow_fleets().await
    }

    /// Reads which hosts are alive; when that changed, the fleets'
    /// replicas are shared anew.
    async fn follow_hosts(&self, database: &PgStore) -> DaemonResult<()> {
        let mut hosts = database.hosts().await?;
        hosts.retain(|h| h.state == HostState::Alive);
        let ids = |hosts: &[HostRecord]| -> Vec<String> {
            hosts.iter().map(|h| h.host_id.clone()).collect()
        };
        let alive = ids(&hosts);
        let changed = ids(&self.0.alive.read().expect("lock")) != alive;
        *self.0.alive.write().expect("lock") = hosts;
        if changed {
            tracing::info!(?alive, "the cluster's live hosts changed");
            self.0.reconcile.notify_one();
        }
        Ok(())
    }

    /// Reads the live hosts and the shared modules and fleets now, rather
    /// than at the next look: before a change to them, so that what another
    /// host changed a moment ago is seen, and a fleet's replicas are shared
    /// among the hosts alive now. Nothing to do on the embedded store.
    pub(super) async fn catch_up(&self) -> DaemonResult<()> {
        let Some(database) = self.0.database.clone() else {
            return Ok(());
        };
        self.follow_hosts(&database).await?;
        self.follow_modules().await?;
        self.follow_fleets().await
    }

    /// The other live hosts of the cluster as of the last look (at most
    /// [`LEASE_RENEWAL`] old), with their game servers by state as of their
    /// own last renewal; none on the embedded store.
    pub fn live_peers(&self) -> Vec<HostRecord> {
        let me = &self.0.config.host_id;
        let alive = self.0.alive.read().expect("lock");
        alive.iter().filter(|h| h.host_id != *me).cloned().collect()
    }

    /// Whether this host speaks for the cluster where one host must (a
    /// rolling update's progress and end): the live host first by id. A
    /// host alone always does.
    pub(super) fn coordinates(&self) -> bool {
        if self.0.database.is_none() {
            return true;
        }
        let alive = self.0.alive.read().expect("lock");
        let first = alive.iter().map(|h| h.host_id.as_str()).min();
        first.is_none_or(|first| first == self.0.config.host_id)
    }

    /// Whether this host is one of a cluster's (its store is PostgreSQL).
    pub fn in_cluster(&self) -> bool {
        self.0.database.is_some()
    }

    /// Whether this host holds the game server or game session `key` (of
    /// `collection`), running or ended.
    pub fn holds(&self, collection: Collection, key: &str) -> bool {
        match collection {
            Collection::GameServers => self.game_server(key).is_ok(),
            Collection::GameSessions => self.game_session(key).is_ok(),
            _ => false,
        }
    }

    /// The other live host of the cluster that holds the game server or
    /// game session `key` (of `collection`), if one does.
    pub async fn holder(
        &self,
        collection: Collection,
        key: &str,
    ) -> DaemonResult<Option<HostRecord>> {
        let Some(database) = &self.0.database else {
            return Ok(None);
        };
        let Some(owner) = database.owner_of(collection, key).await? else {
            return Ok(None);
        };
        Ok(self.live_peers().into_iter().find(|h| h.host_id == owner))
    }

    /// How many of `fleet`'s replicas this host keeps warm: all of them on
    /// the embedded store, its share of them in a cluster.
    pub(super) fn replicas_here(&self, fleet: &Fleet) -> u32 {
        if self.0.database.is_none() {
            return fleet.replicas;
        }
        let alive = self.0.alive.read().expect("lock");
        let alive: Vec<&str> = alive.iter().map(|h| h.host_id.as_str()).collect();
        replica_share(fleet.replicas, &alive, &self.0.config.host_id, &fleet.name)
    }

    /// Closes what lost hosts left running, now this host's: their game
    /// servers and game sessions end as this host's own do when it restarts.
    async fn close_taken_over(&self, taken: TakenOver) -> DaemonResult<()> {
        let (mut game_servers, mut sessions) = (Vec::new(), Vec::new());
        for (collection, key, value) in taken.documents {
            match collection {
                Collection::GameServers => game_servers.push((key, value)),
                Collection::GameSessions => sessions.push((key, value)),
                _ => {}
            }
        }
        let game_servers = parse(Collection::GameServers, game_servers);
        let sessions = parse(Collection::GameSessions, sessions);
        let daemon = self.clone();
        let (writes, closed) = tokio::task::spawn_blocking(move || {
            let mut writes = Vec::new();
            let closed = daemon.close_left_running(game_servers, sessions, &mut writes);
            closed.map(|closed| (writes, closed))
        })
        .await
        .expect("closing taken-over game servers does not panic")?;
        self.0.persister.write(writes).await?;
        tracing::warn!(
            from = ?taken.from,
            game_servers = closed.0,
            game_sessions = closed.1,
            "took over from lost hosts: their running game servers and game sessions were interrupted"
        );
        Ok(())
    }

    /// Loads the modules other hosts uploaded (each host compiles its own
    /// artifact) and forgets those they deleted.
    async fn follow_modules(&self) -> DaemonResult<()> {
        let known: BTreeSet<String> = self
            .0
            .modules
            .read()
            .expect("lock")
            .ids()
            .into_iter()
            .collect();
        let stored = self
            .read_store(|store| store.scan(Collection::Modules))
            .await?;
        let stored: Vec<(String, Module)> = parse(Collection::Modules, stored);
        let ids: BTreeSet<&String> = stored.iter().map(|(id, _)| id).collect();
        for id in known.iter().filter(|id| !ids.contains(id)) {
            self.0.modules.write().expect("lock").remove(id);
        }
        for (id, module) in stored {
            if known.contains(&id) || self.0.modules.read().expect("lock").get(&id).is_some() {
                continue;
            }
            let loaded = self.load_stored_module(module).await?;
            tracing::info!(module = %loaded.label(), "loaded a module another host uploaded");
            self.0.modules.write().expect("lock").insert(loaded);
        }
        Ok(())
    }

    /// Takes the fleets as the store holds them: created or changed on
    /// another host, or deleted there (this host's game servers of a
    /// deleted fleet are asked to terminate).
    async fn follow_fleets(&self) -> DaemonResult<()> {
        // Read before the store: a fleet is stored before it is kept, so one
        // kept then and missing from the store afterwards was deleted.
        let kept = self.0.fleets.read().expect("lock").all();
        let stored = self
            .read_store(|store| store.scan(Collection::Fleets))
            .await?;
        let stored: Vec<(String, Fleet)> = parse(Collection::Fleets, stored);
        let mut changed = false;
        for (_, fleet) in &stored {
            let mut fleets = self.0.fleets.write().expect("lock");
            let newer = match fleets.get(&fleet.name) {
                None => true,
                Some(current) => {
                    current != fleet
                        && (current.created_at != fleet.created_at
                            || current.generation <= fleet.generation)
                }
            };
            if newer {
                fleets.insert(fleet.clone());
                changed = true;
            }
        }
        for fleet in kept {
            if !stored.iter().any(|(name, _)| *name == fleet.name) {
                tracing::info!(fleet = %fleet.name, "another host deleted a fleet");
                self.forget_fleet(&fleet.name).await;
            }
        }
        if changed {
            self.0.reconcile.notify_one();
        }
        Ok(())
    }
}
