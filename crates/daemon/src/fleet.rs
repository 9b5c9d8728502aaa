//! A fleet as stored and as clients create, change and see it: a module, a
//! game-server template and a number of warm replicas the host keeps Ready,
//! with its latest module update.

use super::error::DaemonResult;
use super::names;
use gamehost_model::{CreationLimitPolicy, GameServerSpec, GameServerState, Timestamp};
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
    /// How many game servers the host keeps warm (starting, Ready or
    /// Reserved).
    pub replicas: u32,
    /// The template of new game servers.
    pub template: GameServerSpec,
    /// How many game sessions one creator may create within a period
    /// (GameLift's resource creation limit policy; none by default).
    #[serde(default)]
    pub resource_creation_limit_policy: CreationLimitPolicy,
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
    /// Game sessions per creator within a period (no limit by default).
    #[serde(default)]
    pub resource_creation_limit_policy: CreationLimitPolicy,
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
        self.resource_creation_limit_policy.validate()?;
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
    /// A new limit of game sessions per creator (`newGameSessionsPerCreator`
    /// 0 lifts it).
    pub resource_creation_limit_policy: Option<CreationLimitPolicy>,
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
        if let Some(policy) = &self.resource_creation_limit_policy {
            policy.validate()?;
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

/// How a fleet moves to a new module.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum UpdateStrategy {
    /// New game servers run the new version, each Ready only once it has
    /// passed a first health check; idle Ready ones are replaced at a
    /// bounded rate; allocated ones finish on the old version and are
    /// replaced after.
    #[default]
    Rolling,
    /// Every running game server switches between two calls, keeping its
    /// host-side state (and its guest state through the hand-off).
    InPlace,
}

/// Where an update stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum UpdateState {
    /// Game servers are moving to the new version.
    InProgress,
    /// Every game server runs the new version.
    Succeeded,
    /// The new version could not take over; the fleet runs the old one.
    Failed,
}

/// A fleet's latest module update.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ModuleUpdate {
    /// Rolling or in place.
    pub strategy: UpdateStrategy,
    /// The module the fleet ran (its id).
    pub from: String,
    /// The module it moves to (its id).
    pub to: String,
    /// Where it stands.
    pub state: UpdateState,
    /// Running game servers on the new version.
    pub updated: u32,
    /// Running game servers of the fleet.
    pub total: u32,
    /// Why it failed.
    pub reason: Option<String>,
    /// When it started.
    pub started_at: Timestamp,
    /// When it succeeded or failed.
    pub finished_at: Option<Timestamp>,
}

impl ModuleUpdate {
    pub(super) fn in_progress(&self) -> bool {
        self.state == UpdateState::InProgress
    }
}

impl Fleet {
    /// Ends its update in progress, if any, at `now` with `updated` of
    /// `total` game servers on the new module: on success the fleet runs the
    /// new module; on failure (`Some(reason)`) the one it ran, and a
    /// rollback would return to the new one. False when no update was in
    /// progress.
    pub(super) fn end_update(
        &mut self,
        failure: Option<String>,
        updated: u32,
        total: u32,
        now: Timestamp,
    ) -> bool {
        let Some(update) = self.update.as_mut().filter(|u| u.in_progress()) else {
            return false;
        };
        update.updated = updated;
        update.total = total;
        update.finished_at = Some(now);
        match failure {
            None => {
                update.state = UpdateState::Succeeded;
                self.module = update.to.clone();
            }
            Some(reason) => {
                tracing::warn!(fleet = self.name, %reason, "a fleet update failed");
                update.state = UpdateState::Failed;
                update.reason = Some(reason);
                self.module = update.from.clone();
                self.previous_module = Some(update.to.clone());
            }
        }
        self.generation += 1;
        true
    }
}
