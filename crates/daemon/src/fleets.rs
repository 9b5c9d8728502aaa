//! Fleets: creating, listing, changing and deleting them (see `fleet.rs`
//! for what a fleet holds).

mod table;

use super::Daemon;
use super::error::{DaemonError, DaemonResult};
use super::fleet::{Fleet, FleetStatus, FleetUpdate, FleetView, MAX_FLEETS, NewFleet};
use crate::store::{Collection, Write};
use gamehost_model::Clock;

pub(crate) use table::Fleets;

impl Daemon {
    /// Creates a fleet; the host starts its replicas at once.
    pub async fn create_fleet(&self, new: NewFleet) -> DaemonResult<FleetView> {
        self.require_running()?;
        new.validate()?;
        self.catch_up().await?;
        let module = self.module(&new.module)?;
        let fleet = Fleet {
            name: new.name,
            module: module.id,
            replicas: new.replicas,
            template: new.template,
            resource_creation_limit_policy: new.resource_creation_limit_policy,
            created_at: self.0.clock.now(),
            generation: 1,
            previous_module: None,
            update: None,
        };
        {
            let fleets = self.0.fleets.read().expect("lock");
            if fleets.get(&fleet.name).is_some() {
                return Err(DaemonError::Conflict(format!(
                    "fleet {:?} already exists",
                    fleet.name
                )));
            }
            if fleets.len() >= MAX_FLEETS {
                return Err(DaemonError::Conflict(format!(
                    "the host runs at most {MAX_FLEETS} fleets"
                )));
            }
        }
        let Some(database) = &self.0.database else {
            return self.save_fleet(fleet).await;
        };
        // In a cluster, the database decides between two hosts creating a
        // fleet of the same name at once: the first to store it.
        let stored = serde_json::to_vec(&fleet).expect("a fleet serializes to JSON");
        if !database
            .create(Collection::Fleets, &fleet.name, stored)
            .await?
        {
            return Err(DaemonError::Conflict(format!(
                "fleet {:?} already exists",
                fleet.name
            )));
        }
        self.0.fleets.write().expect("lock").insert(fleet.clone());
        self.0.reconcile.notify_one();
        Ok(self.view(fleet))
    }

    /// Every fleet.
    pub fn fleets(&self) -> Vec<FleetView> {
        let fleets = self.0.fleets.read().expect("lock").all();
        fleets.into_iter().map(|f| self.view(f)).collect()
    }

    /// One fleet.
    pub fn fleet(&self, name: &str) -> DaemonResult<FleetView> {
        let fleet = self.fleet_spec(name)?;
        Ok(self.view(fleet))
    }

    pub(super) fn fleet_spec(&self, name: &str) -> DaemonResult<Fleet> {
        self.0
            .fleets
            .read()
            .expect("lock")
            .get(name)
            .cloned()
            .ok_or_else(|| DaemonError::not_found("fleet", name))
    }

    /// Changes a fleet's replicas or template, or moves it to another
    /// module (a hot swap, see [`Daemon::begin_update`]).
    pub async fn update_fleet(&self, name: &str, update: FleetUpdate) -> DaemonResult<FleetView> {
        self.require_running()?;
        self.catch_up().await?;
        let mut fleet = self.fleet_spec(name)?;
        update.validate()?;
        let new_module = match &update.module {
            Some(module) => Some(self.module(module)?.id).filter(|id| *id != fleet.module),
            None => None,
        };
        if let Some(replicas) = update.replicas {
            fleet.replicas = replicas;
        }
        if let Some(template) = update.template {
            fleet.template = template;
        }
        if let Some(policy) = update.resource_creation_limit_policy {
            fleet.resource_creation_limit_policy = policy;
        }
        match new_module {
            Some(module) => {
                let strategy = update.strategy.unwrap_or_default();
                self.begin_update(fleet, module, strategy).await
            }
            None => {
                fleet.generation += 1;
                self.save_fleet(fleet).await
            }
        }
    }

    /// Deletes a fleet and asks each of its game servers to terminate.
    pub async fn delete_fleet(&self, name: &str) -> DaemonResult<()> {
        self.catch_up().await?;
        self.fleet_spec(name)?;
        self.0
            .persister
            .write(vec![Write::delete(Collection::Fleets, name)])
            .await?;
        self.forget_fleet(name).await;
        Ok(())
    }

    /// Forgets a fleet deleted from the store and asks each of its game
    /// servers on this host to terminate.
    pub(super) async fn forget_fleet(&self, name: &str) {
        // Removed before the handles are listed: the controller starts game
        // servers only while holding the fleets lock and seeing the fleet.
        self.0.fleets.write().expect("lock").remove(name);
        self.0.creators.lock().expect("lock").remove(name);
        for handle in self.live_handles(Some(name)) {
            let _ = handle.request_termination().await;
        }
    }

    /// Stores a fleet, keeps it, and wakes the fleet controller.
    pub(super) async fn save_fleet(&self, fleet: Fleet) -> DaemonResult<FleetView> {
        self.0
            .persister
            .write(vec![Write::json(Collection::Fleets, &fleet.name, &fleet)])
            .await?;
        self.0.fleets.write().expect("lock").insert(fleet.clone());
        self.0.reconcile.notify_one();
        Ok(self.view(fleet))
    }

    fn view(&self, fleet: Fleet) -> FleetView {
        let mut status = FleetStatus::default();
        for record in self.live_records(Some(&fleet.name)) {
            status.count(record.status.state);
        }
        FleetView { fleet, status }
    }
}
