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
        if strategy == UpdateStrategy::InPlace {
            tokio::spawn(self.clone().run_in_place(fleet.name, from, to));
        }
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

    /// Switches every game server of the fleet to `to` (see `in_place.rs`)
    /// and records the outcome.
    async fn run_in_place(self, fleet: String, from: String, to: String) {
        let servers = DaemonFleet::new(&self, &fleet, &from, &to);
        let failure = switch_in_place(&servers, &from, &to).await;
        let total = self.live_handles(Some(&fleet)).len() as u32;
        let updated = total.saturating_sub(self.running_other_than(&fleet, &to).len() as u32);
        self.finish_update(&fleet, failure, updated, total).await;
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
