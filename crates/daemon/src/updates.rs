//! Fleet updates: changing a fleet's module is a hot swap, rolling (see
//! `rolling.rs`) or in place, with its progress shown on the fleet, stored
//! with it, and a one-command rollback to the previous module.

use super::Daemon;
use super::error::{DaemonError, DaemonResult};
use super::fleet::{Fleet, FleetUpdate, FleetView, ModuleUpdate, UpdateState, UpdateStrategy};
use super::in_place::{DaemonFleet, switch_in_place};
use super::modules::Loaded;
use gamehost_model::Clock;
use gamehost_runtime::engine::GameMode;
use gamehost_runtime::supervisor::{self, GameServerHandle, SwapRequest};
use serde::{Deserialize, Serialize};

/// The in-place update `fleet` is in, if any.
fn in_place(fleet: &Fleet) -> Option<&ModuleUpdate> {
    fleet
        .update
        .as_ref()
        .filter(|u| u.in_progress() && u.strategy == UpdateStrategy::InPlace)
}

/// What a client gives to roll a fleet back.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Rollback {
    /// How (default: the strategy of the last update).
    pub strategy: Option<UpdateStrategy>,
}

impl Daemon {
    /// Starts moving `fleet` (as the caller changed it, not yet stored) to
    /// module `to`, stores it and returns its view.
    pub(super) async fn begin_update(
        &self,
        mut fleet: Fleet,
        to: String,
        strategy: UpdateStrategy,
    ) -> DaemonResult<FleetView> {
        if fleet.update.as_ref().is_some_and(ModuleUpdate::in_progress) {
            return Err(DaemonError::Conflict(format!(
                "fleet {:?} is already being updated",
                fleet.name
            )));
        }
        // The new module must load before anything moves to it.
        self.loaded_mode(&to)?;
        let total = self.live_handles(Some(&fleet.name)).len() as u32;
        let from = fleet.module.clone();
        fleet.update = Some(ModuleUpdate {
            strategy,
            from: from.clone(),
            to: to.clone(),
            state: UpdateState::InProgress,
            updated: 0,
            total,
            reason: None,
            started_at: self.0.clock.now(),
            finished_at: None,
        });
        fleet.previous_module = Some(from.clone());
        if strategy == UpdateStrategy::Rolling {
            fleet.module = to.clone();
        }
        fleet.generation += 1;
        let view = self.save_fleet(fleet.clone()).await?;
        self.start_in_place(&fleet);
        Ok(view)
    }

    /// Moves a fleet back to the module it ran before its last update.
    pub async fn rollback_fleet(&self, name: &str, rollback: Rollback) -> DaemonResult<FleetView> {
        let fleet = self.fleet_spec(name)?;
        let previous = fleet.previous_module.clone().ok_or_else(|| {
            DaemonError::Conflict(format!("fleet {name:?} has no previous module"))
        })?;
        let strategy = rollback
            .strategy
            .or(fleet.update.as_ref().map(|u| u.strategy))
            .unwrap_or_default();
        let update = FleetUpdate {
            module: Some(previous),
            strategy: Some(strategy),
            ..FleetUpdate::default()
        };
        self.update_fleet(name, update).await
    }

    fn loaded_mode(&self, id: &str) -> DaemonResult<GameMode> {
        let modules = self.0.modules.read().expect("lock");
        let loaded = modules.resolve(id)?;
        loaded.mode().cloned().ok_or_else(|| {
            DaemonError::Conflict(format!("module {id} is stored but does not load"))
        })
    }

    /// `name@version` of a module id.
    pub(super) fn module_label(&self, id: &str) -> String {
        let modules = self.0.modules.read().expect("lock");
        modules
            .get(id)
            .map(Loaded::label)
            .unwrap_or_else(|| id.to_owned())
    }

    /// What to switch a game server to so that it runs module `id`.
    pub(super) fn swap_request(&self, id: &str) -> DaemonResult<SwapRequest> {
        Ok(SwapRequest {
            mode: self.loaded_mode(id)?,
            module: self.module_label(id),
            limits: self.0.engine.default_limits(),
        })
    }

    /// Running game servers of `fleet` that do not run module `module`.
    pub(super) fn running_other_than(&self, fleet: &str, module: &str) -> Vec<GameServerHandle> {
        let mut running = self.live_handles(Some(fleet));
        running.retain(|h| supervisor::module_of(&h.record()) != Some(module));
        running
    }

    /// Starts switching this host's game servers of `fleet` in place, if
    /// it is in an in-place update this host has not started on yet (or
    /// finished switching for while game servers started since run the old
    /// version): on the host asked for the update at once, on the other
    /// hosts of a cluster as their fleet controllers find it.
    pub(super) fn start_in_place(&self, fleet: &Fleet) {
        let Some(update) = in_place(fleet) else {
            return;
        };
        let mut runs = self.0.in_place.lock().expect("lock");
        let started = runs
            .get(&fleet.name)
            .filter(|(at, _)| *at == update.started_at);
        let left = || !self.running_other_than(&fleet.name, &update.to).is_empty();
        if started.is_some_and(|(_, done)| !done || !left()) {
            return;
        }
        runs.insert(fleet.name.clone(), (update.started_at, false));
        let (from, to) = (update.from.clone(), update.to.clone());
        tokio::spawn(self.clone().run_in_place(fleet.name.clone(), from, to));
    }

    /// Switches every game server of the fleet on this host to `to` (see
    /// `in_place.rs`). A failure ends the update at once; alone, the host
    /// records the outcome; in a cluster, the host that coordinates ends it
    /// once every host's game servers switched ([`Self::advance_in_place`]).
    async fn run_in_place(self, fleet: String, from: String, to: String) {
        let servers = DaemonFleet::new(&self, &fleet, &from, &to);
        let failure = switch_in_place(&servers, &from, &to).await;
        if failure.is_none() && self.in_cluster() {
            if let Some(run) = self.0.in_place.lock().expect("lock").get_mut(&fleet) {
                run.1 = true;
            }
            self.0.reconcile.notify_one();
            return;
        }
        let total = self.live_handles(Some(&fleet)).len() as u32;
        let updated = total.saturating_sub(self.running_other_than(&fleet, &to).len() as u32);
        self.finish_update(&fleet, failure, updated, total).await;
    }

    /// One controller pass over an in-place update: starts this host's
    /// part; in a cluster, the coordinating host ends the update once its
    /// own game servers switched and no other host's runs the old version.
    pub(super) async fn advance_in_place(&self, fleet: &Fleet) {
        let Some(update) = in_place(fleet) else {
            return;
        };
        self.start_in_place(fleet);
        if !self.in_cluster() || !self.coordinates() {
            return;
        }
        let switched_here = self
            .0
            .in_place
            .lock()
            .expect("lock")
            .get(&fleet.name)
            .is_some_and(|(started, done)| *started == update.started_at && *done);
        if !switched_here || !self.running_other_than(&fleet.name, &update.to).is_empty() {
            return;
        }
        let Ok(others) = self.others_running(&fleet.name, &update.to).await else {
            return;
        };
        if others.old == 0 {
            let total = (self.live_handles(Some(&fleet.name)).len() + others.total) as u32;
            self.finish_update(&fleet.name, None, total, total).await;
        }
    }

    /// Records the end of a fleet's update: on success the fleet runs the
    /// new module; on failure the one it ran.
    pub(super) async fn finish_update(
        &self,
        name: &str,
        failure: Option<String>,
        updated: u32,
        total: u32,
    ) {
        let Ok(mut fleet) = self.fleet_spec(name) else {
            return;
        };
        if !fleet.end_update(failure, updated, total, self.0.clock.now()) {
            return;
        }
        if let Err(error) = self.save_fleet(fleet).await {
            tracing::error!(fleet = name, %error, "storing a fleet update failed");
        }
    }
}
