//! Fleets: a module, a game-server template and a number of warm replicas
//! the host keeps Ready.

use super::error::{DaemonError, DaemonResult};
use super::updates::{ModuleUpdate, UpdateStrategy};
use super::{Daemon, names};
use crate::store::{Collection, Write};
use gamehost_model::{Clock, GameServerSpec, GameServerState, Timestamp};
use serde::{Deserialize, Serialize};

/// Most fleets a host runs.
pub const MAX_FLEETS: usize = 256;
/// Most replicas one fleet asks for.
pub const MAX_REPLICAS: u32 = 10_000;
/// The label every game server of a fleet carries, as in Agones.
pub const FLEET_LABEL: &str = "agones.dev/fleet";

/// A fleet as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Fleet {
    /// Unique name (a DNS label).
    pub name: String,
    /// The module's id.
    pub module: String,
    /// How many game servers the host keeps warm (starting or Ready).
    pub replicas: u32,
    /// The template of new game servers.
    pub template: GameServerSpec,
    /// When it was created.
    pub created_at: Timestamp,
    /// Incremented on every change.
    pub generation: u64,
    /// The module it ran before its last update: what a rollback returns to.
    #[serde(default)]
    pub previous_module: Option<String>,
    /// Its latest module update and its progress.
    #[serde(default)]
    pub update: Option<ModuleUpdate>,
}

/// What a client gives to create a fleet.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewFleet {
    /// Unique name (a DNS label).
    pub name: String,
    /// The module: its id or `name@version`.
    pub module: String,
    /// Warm replicas (default 1).
    #[serde(default = "one")]
    pub replicas: u32,
    /// The template (defaults as documented).
    #[serde(default)]
    pub template: GameServerSpec,
}

fn one() -> u32 {
    1
}

impl NewFleet {
    /// Checks the name, the replicas and the template, naming the first
    /// problem; the module is looked up afterwards.
    pub fn validate(&self) -> DaemonResult<()> {
        names::check_fleet_name(&self.name)?;
        check_replicas(self.replicas)?;
        Ok(self.template.validate()?)
    }
}

/// A change to a fleet; absent fields stay as they are.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FleetUpdate {
    /// New warm replicas.
    pub replicas: Option<u32>,
    /// A new template, for game servers started from now on.
    pub template: Option<GameServerSpec>,
    /// A new module (its id or `name@version`): a hot swap of every game
    /// server of the fleet, with `strategy`.
    pub module: Option<String>,
    /// How to move to the new module (default rolling).
    pub strategy: Option<UpdateStrategy>,
}

impl FleetUpdate {
    /// Checks the replicas and the template, when given.
    pub fn validate(&self) -> DaemonResult<()> {
        if let Some(replicas) = self.replicas {
            check_replicas(replicas)?;
        }
        if let Some(template) = &self.template {
            template.validate()?;
        }
        Ok(())
    }
}

/// A fleet with the counts of its game servers.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetView {
    /// The fleet.
    #[serde(flatten)]
    pub fleet: Fleet,
    /// Its game servers now.
    pub status: FleetStatus,
}

/// How many of a fleet's running game servers are in each state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FleetStatus {
    /// Every running game server.
    pub replicas: u32,
    /// Scheduled or RequestReady.
    pub starting: u32,
    /// Ready.
    pub ready: u32,
    /// Reserved.
    pub reserved: u32,
    /// Allocated.
    pub allocated: u32,
}

impl FleetStatus {
    pub(super) fn count(&mut self, state: GameServerState) {
        self.replicas += 1;
        match state {
            GameServerState::Scheduled | GameServerState::RequestReady => self.starting += 1,
            GameServerState::Ready => self.ready += 1,
            GameServerState::Reserved => self.reserved += 1,
            GameServerState::Allocated => self.allocated += 1,
            _ => {}
        }
    }
}

fn check_replicas(replicas: u32) -> DaemonResult<()> {
    if replicas > MAX_REPLICAS {
        return Err(gamehost_model::Error::out_of_range(format!(
            "replicas must be within [0, {MAX_REPLICAS}], got {replicas}"
        ))
        .into());
    }
    Ok(())
}

impl Daemon {
    /// Creates a fleet; the host starts its replicas at once.
    pub async fn create_fleet(&self, new: NewFleet) -> DaemonResult<FleetView> {
        self.require_running()?;
        new.validate()?;
        let module = self.module(&new.module)?;
        let fleet = Fleet {
            name: new.name,
            module: module.id,
            replicas: new.replicas,
            template: new.template,
            created_at: self.0.clock.now(),
            generation: 1,
            previous_module: None,
            update: None,
        };
        {
            let fleets = self.0.fleets.read().expect("lock");
            if fleets.contains_key(&fleet.name) {
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
        self.save_fleet(fleet).await
    }

    /// Every fleet.
    pub fn fleets(&self) -> Vec<FleetView> {
        let fleets: Vec<Fleet> = self
            .0
            .fleets
            .read()
            .expect("lock")
            .values()
            .cloned()
            .collect();
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
        self.fleet_spec(name)?;
        self.0
            .persister
            .write(vec![Write::delete(Collection::Fleets, name)])
            .await?;
        // Removed before the handles are listed: the controller starts game
        // servers only while holding the fleets lock and seeing the fleet.
        self.0.fleets.write().expect("lock").remove(name);
        for handle in self.live_handles(Some(name)) {
            let _ = handle.request_termination().await;
        }
        Ok(())
    }

    /// Stores a fleet, keeps it, and wakes the fleet controller.
    pub(super) async fn save_fleet(&self, fleet: Fleet) -> DaemonResult<FleetView> {
        self.0
            .persister
            .write(vec![Write::json(Collection::Fleets, &fleet.name, &fleet)])
            .await?;
        self.0
            .fleets
            .write()
            .expect("lock")
            .insert(fleet.name.clone(), fleet.clone());
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
