//! Lists that are the whole cluster's: every host answers them alike. A
//! host lists its own game servers and game sessions from memory and the
//! other hosts' from the database, as they last stored them (a guest's own
//! changes reach the store within half a second; a request's, before it is
//! answered). On the embedded store a host's own are all there are. The
//! other hosts' running game servers of a fleet are counted the same way,
//! for the fleet's status and to follow an update across the cluster
//! ([`Census`]).

use super::Daemon;
use super::error::DaemonResult;
use super::fleet::FleetView;
use super::game_servers::{GameServerFilter, StoredGameServer};
use super::recovery::parse;
use super::sessions::{GameSessionFilter, SeatedGameSession, StoredGameSession};
use crate::store::Collection;
use gamehost_model::GameServerRecord;
use gamehost_runtime::supervisor;
use std::sync::Arc;

/// A fleet's running game servers on the other hosts of a cluster, as they
/// last stored them, against the module a rolling update moves it to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Census {
    /// Running game servers.
    pub(super) total: usize,
    /// Those running another module.
    pub(super) old: usize,
    /// Those running the new module that have not been Ready yet.
    pub(super) pending: usize,
}

impl Daemon {
    /// The cluster's game servers matching `filter`, running and recently
    /// ended, by name.
    pub async fn cluster_game_servers(
        &self,
        filter: &GameServerFilter,
    ) -> DaemonResult<Vec<Arc<GameServerRecord>>> {
        let mut found = self.game_servers(filter)?;
        let label = filter.label_pair()?;
        found.extend(
            self.others_game_servers()
                .await?
                .into_iter()
                .filter(|stored| filter.fleet.as_ref().is_none_or(|f| *f == stored.fleet))
                .filter(|stored| filter.admits(label, &stored.record))
                .map(|stored| Arc::new(stored.record)),
        );
        found.sort_by(|a, b| a.object_meta.name.cmp(&b.object_meta.name));
        Ok(found)
    }

    /// The cluster's game sessions matching `filter`, oldest first, with the
    /// slots their player sessions hold.
    pub async fn cluster_game_sessions(
        &self,
        filter: &GameSessionFilter,
    ) -> DaemonResult<Vec<SeatedGameSession>> {
        let mut found = self.seated_game_sessions(filter);
        let Some(database) = &self.0.database else {
            return Ok(found);
        };
        let others = database.others(Collection::GameSessions).await?;
        let others: Vec<(String, StoredGameSession)> = parse(Collection::GameSessions, others);
        found.extend(
            others
                .iter()
                .filter(|(_, stored)| filter.admits(&stored.game_session))
                .map(|(_, stored)| stored.seated()),
        );
        found.sort_by(|a, b| {
            let (a, b) = (&a.game_session, &b.game_session);
            (a.creation_time, &a.game_session_id).cmp(&(b.creation_time, &b.game_session_id))
        });
        Ok(found)
    }

    /// The running game servers of `fleet` the other hosts hold, against
    /// module `to`; none on the embedded store.
    pub(super) async fn others_running(&self, fleet: &str, to: &str) -> DaemonResult<Census> {
        let mut census = Census::default();
        let others = self.others_running_game_servers().await?;
        for stored in others.iter().filter(|stored| stored.fleet == fleet) {
            census.total += 1;
            if supervisor::module_of(&stored.record) != Some(to) {
                census.old += 1;
            } else if !super::rolling::has_been_ready(stored.record.status.state) {
                census.pending += 1;
            }
        }
        Ok(census)
    }

    /// Every fleet, with its game servers counted over the whole cluster.
    pub async fn cluster_fleets(&self) -> DaemonResult<Vec<FleetView>> {
        let mut views = self.fleets();
        self.count_others(&mut views).await?;
        Ok(views)
    }

    /// One fleet, with its game servers counted over the whole cluster.
    pub async fn cluster_fleet(&self, name: &str) -> DaemonResult<FleetView> {
        let mut views = [self.fleet(name)?];
        self.count_others(&mut views).await?;
        let [view] = views;
        Ok(view)
    }

    /// Adds the other hosts' running game servers to `views`' counts.
    async fn count_others(&self, views: &mut [FleetView]) -> DaemonResult<()> {
        if views.is_empty() {
            return Ok(());
        }
        for stored in self.others_running_game_servers().await? {
            if let Some(view) = views.iter_mut().find(|v| v.fleet.name == stored.fleet) {
                view.status.count(stored.record.status.state);
            }
        }
        Ok(())
    }

    /// The game servers the other hosts of a cluster hold, as they last
    /// stored them; none on the embedded store.
    async fn others_game_servers(&self) -> DaemonResult<Vec<StoredGameServer>> {
        let Some(database) = &self.0.database else {
            return Ok(Vec::new());
        };
        let others = database.others(Collection::GameServers).await?;
        let others = parse::<StoredGameServer>(Collection::GameServers, others);
        Ok(others.into_iter().map(|(_, stored)| stored).collect())
    }

    /// Those of [`Self::others_game_servers`] still running.
    async fn others_running_game_servers(&self) -> DaemonResult<Vec<StoredGameServer>> {
        let mut others = self.others_game_servers().await?;
        others.retain(|stored| stored.record.process.ending.is_none());
        Ok(others)
    }
}
