//! The FleetIQ game-server registry through the daemon: registered entries
//! are stored, and each fleet is also a game server group in which the
//! host's own wasm game servers appear (claiming one allocates it).

use super::Daemon;
use super::allocation::{AllocationRequest, Selector};
use super::error::{DaemonError, DaemonResult};
use crate::store::{Collection, Write};
use gamehost_model::{
    CLAIM_DURATION, ClaimGameServer, ClaimStatus, Clock, GameServerPage, GameServerRecord,
    ListGameServers, RegisterGameServer, RegisteredGameServer, Registry, Timestamp,
    UpdateGameServer, UtilizationStatus, limits::LAST_ALLOCATED_ANNOTATION, page_game_servers,
};
use std::sync::Arc;

impl Daemon {
    /// Loads the stored registry entries (at startup).
    pub(super) fn recover_registry(&self) -> DaemonResult<()> {
        let entries: Vec<RegisteredGameServer> = self
            .0
            .persister
            .store()
            .scan(Collection::Registry)?
            .into_iter()
            .filter_map(|(_, bytes)| serde_json::from_slice(&bytes).ok())
            .collect();
        let clock: Arc<dyn Clock> = Arc::new(self.0.clock);
        let registry = Registry::restore(&self.0.config.host_id, clock, entries)?;
        *self.0.registry.lock().expect("lock") = registry;
        Ok(())
    }

    fn save_entry(&self, entry: &RegisteredGameServer) -> Write {
        Write::json(Collection::Registry, &entry.game_server_id, entry)
    }

    /// Registers a game server into a group: AVAILABLE, unclaimed.
    pub async fn register_game_server(
        &self,
        group: &str,
        request: RegisterGameServer,
    ) -> DaemonResult<RegisteredGameServer> {
        self.require_running()?;
        if self.fleet_spec(group).is_ok() {
            return Err(DaemonError::Conflict(format!(
                "{group:?} is a fleet: its game servers register themselves"
            )));
        }
        let entry = self
            .0
            .registry
            .lock()
            .expect("lock")
            .register(group, request)?;
        self.0
            .persister
            .write(vec![self.save_entry(&entry)])
            .await?;
        Ok(entry)
    }

    /// Claims a game server of a group: a given one, or the best available.
    /// In a fleet's group, claiming allocates a Ready wasm game server.
    pub async fn claim_game_server(
        &self,
        group: &str,
        request: ClaimGameServer,
    ) -> DaemonResult<RegisteredGameServer> {
        self.require_running()?;
        if self.fleet_spec(group).is_ok() {
            return self.claim_wasm(group, request).await;
        }
        let entry = self
            .0
            .registry
            .lock()
            .expect("lock")
            .claim(group, request)?;
        self.0
            .persister
            .write(vec![self.save_entry(&entry)])
            .await?;
        Ok(entry)
    }

    async fn claim_wasm(
        &self,
        fleet: &str,
        request: ClaimGameServer,
    ) -> DaemonResult<RegisteredGameServer> {
        request.validate()?;
        let name = match request.game_server_id {
            Some(id) => {
                let record = self.game_server(&id)?;
                if record.object_meta.namespace != fleet {
                    return Err(DaemonError::not_found("game server", id));
                }
                let _one_at_a_time = self.0.placement.lock().await;
                let handle = self.handle(&id)?;
                handle
                    .allocate(gamehost_model::AllocationChange::default())
                    .await?;
                self.persist(&handle).await?;
                id
            }
            None => {
                let selector = Selector {
                    fleet: Some(fleet.to_owned()),
                    ..Selector::default()
                };
                let request = AllocationRequest {
                    selectors: vec![selector],
                    ..AllocationRequest::default()
                };
                self.allocate(request).await?.game_server_name
            }
        };
        let record = self.game_server(&name)?;
        Ok(self.wasm_entry(fleet, &record))
    }

    /// Updates utilization, game server data or the health-check time.
    pub async fn update_registered(
        &self,
        group: &str,
        id: &str,
        request: UpdateGameServer,
    ) -> DaemonResult<RegisteredGameServer> {
        let entry = self
            .0
            .registry
            .lock()
            .expect("lock")
            .update(group, id, request)?;
        self.0
            .persister
            .write(vec![self.save_entry(&entry)])
            .await?;
        Ok(entry)
    }

    /// Removes a registered game server.
    pub async fn deregister_game_server(&self, group: &str, id: &str) -> DaemonResult<()> {
        self.0
            .registry
            .lock()
            .expect("lock")
            .deregister(group, id)?;
        self.0
            .persister
            .write(vec![Write::delete(Collection::Registry, id)])
            .await?;
        Ok(())
    }

    /// One game server of a group.
    pub fn describe_registered(&self, group: &str, id: &str) -> DaemonResult<RegisteredGameServer> {
        if self.fleet_spec(group).is_ok() {
            let record = self.game_server(id)?;
            if record.object_meta.namespace == group && record.process.ending.is_none() {
                return Ok(self.wasm_entry(group, &record));
            }
            return Err(DaemonError::not_found("game server", id));
        }
        Ok(self.0.registry.lock().expect("lock").describe(group, id)?)
    }

    /// A page of a group's game servers by registration time; a fleet's
    /// running game servers are paged the same way, by creation time.
    pub fn list_registered(
        &self,
        group: &str,
        request: &ListGameServers,
    ) -> DaemonResult<GameServerPage> {
        if self.fleet_spec(group).is_ok() {
            let mut records = self.live_records(Some(group));
            records.retain(|r| r.process.ending.is_none());
            let entries = records.iter().map(|r| self.wasm_entry(group, r)).collect();
            return Ok(page_game_servers(entries, request)?);
        }
        Ok(self.0.registry.lock().expect("lock").list(group, request)?)
    }

    /// A wasm game server as a registry entry: UTILIZED while it hosts a
    /// game (a claim alone leaves it AVAILABLE), CLAIMED for a minute after
    /// its last allocation.
    fn wasm_entry(&self, fleet: &str, record: &GameServerRecord) -> RegisteredGameServer {
        let now = self.0.clock.now();
        let last_claim_time = record
            .object_meta
            .annotations
            .get(LAST_ALLOCATED_ANNOTATION)
            .and_then(|t| humantime::parse_rfc3339(t).ok())
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map(|d| Timestamp::from_millis(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)));
        let claimed = last_claim_time.is_some_and(|t| now < t + CLAIM_DURATION);
        let utilized = record.hosts_a_game();
        let port = record.status.ports.first().map_or(0, |p| p.port);
        RegisteredGameServer {
            game_server_group_name: fleet.to_owned(),
            game_server_group_arn: format!(
                "arn:gamehost:gamelift:{}:gameservergroup/{fleet}",
                self.0.config.host_id
            ),
            game_server_id: record.object_meta.name.clone(),
            instance_id: self.0.config.host_id.clone(),
            connection_info: Some(format!("{}:{port}", record.status.address)),
            game_server_data: None,
            claim_status: claimed.then_some(ClaimStatus::Claimed),
            utilization_status: if utilized {
                UtilizationStatus::Utilized
            } else {
                UtilizationStatus::Available
            },
            registration_time: Timestamp::from_millis(record.object_meta.creation_timestamp * 1000),
            last_claim_time,
            last_health_check_time: None,
        }
    }
}
