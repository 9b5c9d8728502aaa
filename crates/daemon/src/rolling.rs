//! Rolling updates: game servers started from now on run the new version,
//! idle ones of the old version are replaced at a bounded rate, and ones
//! with a match finish on the old version.
//!
//! Each game server of the new version starts on probation: it becomes
//! Ready only once it has asked to and then answered a first
//! `on-health-check` with true (see [`Readiness::AfterHealthCheck`]). One
//! that fails to start, becomes Unhealthy or Error before it is Ready (the
//! first health check answered false or trapped, a trap, missed health
//! pings), or is not Ready within [`FIRST_READY_DEADLINE`] fails the
//! update: the fleet goes back to the old version, the new version's game
//! servers without a match are asked to terminate and the fleet starts game
//! servers of the old version in their place.

use super::Daemon;
use super::fleet::{Fleet, ModuleUpdate, UpdateStrategy};
use crate::store::{Collection, Write};
use gamehost_model::{Clock, GameServerRecord, GameServerState, Timestamp};
use gamehost_runtime::supervisor::{self, GameServerHandle, Readiness};
use std::time::Duration;

/// Most idle game servers of the old version a rolling update has
/// terminating at once: the rate at which it replaces them.
pub const ROLLING_MAX_IN_FLIGHT: usize = 4;
/// How long a game server of the new version has, from its start, to become
/// Ready (passing its first health check) before it fails the update.
pub const FIRST_READY_DEADLINE: Duration = Duration::from_secs(60);

/// The rolling update `fleet` is in, if any.
fn rolling(fleet: &Fleet) -> Option<&ModuleUpdate> {
    fleet
        .update
        .as_ref()
        .filter(|u| u.in_progress() && u.strategy == UpdateStrategy::Rolling)
}

/// How a game server of `fleet` starts: on probation while a rolling
/// update moves the fleet to the module it runs.
pub(super) fn readiness(fleet: &Fleet) -> Readiness {
    match rolling(fleet) {
        Some(update) if update.to == fleet.module => Readiness::AfterHealthCheck,
        _ => Readiness::OnRequest,
    }
}

/// Whether a game server in `state` has become Ready since it started (a
/// game server on probation passed its first health check to get there).
pub(super) fn has_been_ready(state: GameServerState) -> bool {
    matches!(
        state,
        GameServerState::Ready | GameServerState::Reserved | GameServerState::Allocated
    )
}

/// Why a game server on probation fails its update at `now`, if it does:
/// it became Unhealthy or Error before it was Ready, or is still not Ready
/// [`FIRST_READY_DEADLINE`] after it started.
pub(super) fn probation_failure(record: &GameServerRecord, now: Timestamp) -> Option<String> {
    let ending = record.process.ending.as_ref().map(|e| e.reason.as_str());
    match record.status.state {
        GameServerState::Unhealthy => Some(format!(
            "became Unhealthy before it was Ready: {}",
            record
                .status
                .unhealthy_reason
                .as_deref()
                .or(ending)
                .unwrap_or("no reason given")
        )),
        GameServerState::Error => Some(format!(
            "failed to start: {}",
            ending.unwrap_or("no reason given")
        )),
        state if ending.is_none() && !has_been_ready(state) => {
            let started = Timestamp::from_millis(record.object_meta.creation_timestamp * 1000);
            (now.since(started) >= FIRST_READY_DEADLINE).then(|| {
                format!(
                    "was not Ready {} s after it started (still {state})",
                    FIRST_READY_DEADLINE.as_secs()
                )
            })
        }
        _ => None,
    }
}

/// What the game servers on probation of one fleet say.
#[derive(Default)]
struct Probation {
    /// Running ones still to pass.
    pending: usize,
    /// The first one that failed, as the update's reason.
    failure: Option<String>,
}

impl Daemon {
    /// One controller pass over a rolling update: fails it if a game server
    /// of the new version failed its probation, otherwise replaces idle
    /// game servers of the old version, at most [`ROLLING_MAX_IN_FLIGHT`]
    /// at a time. Each host of a cluster replaces its own; the host that
    /// coordinates counts every host's and finishes the update once none
    /// runs the old version and every game server of the new one has
    /// passed.
    pub(super) async fn advance_rolling(&self, fleet: &Fleet) {
        let Some(update) = rolling(fleet) else {
            return;
        };
        let probation = self.probation(&fleet.name, &update.to);
        if let Some(reason) = probation.failure {
            self.fail_rolling(fleet, reason).await;
            return;
        }
        let old = self.running_other_than(&fleet.name, &fleet.module);
        self.replace_idle(&old).await;
        if !self.coordinates() {
            return;
        }
        let Ok(others) = self.others_running(&fleet.name, &update.to).await else {
            return;
        };
        let total = (self.live_handles(Some(&fleet.name)).len() + others.total) as u32;
        if old.is_empty() && probation.pending == 0 && others.old == 0 && others.pending == 0 {
            self.end_probation(&fleet.name);
            self.finish_update(&fleet.name, None, total, total).await;
            return;
        }
        let updated = total.saturating_sub((old.len() + others.old) as u32);
        if update.updated != updated || update.total != total {
            self.store_progress(fleet, updated, total);
        }
    }

    /// With no update in progress, replaces idle game servers of `fleet`
    /// that run another module than the fleet's (left by an update that
    /// failed, or ended, on another host) as a rolling update would; true
    /// once none runs another module.
    pub(super) async fn replace_other_versions(&self, fleet: &Fleet) -> bool {
        if fleet.update.as_ref().is_some_and(ModuleUpdate::in_progress) {
            return false;
        }
        let others = self.running_other_than(&fleet.name, &fleet.module);
        self.replace_idle(&others).await;
        others.is_empty()
    }

    /// Asks idle game servers among `old` to terminate, so that the fleet
    /// starts others in their place: at most [`ROLLING_MAX_IN_FLIGHT`]
    /// terminating at once.
    async fn replace_idle(&self, old: &[GameServerHandle]) {
        let records: Vec<_> = old.iter().map(|h| (h, h.record())).collect();
        let in_flight = records
            .iter()
            .filter(|(_, r)| r.process.termination_time.is_some())
            .count();
        let idle = records.iter().filter(|(_, r)| {
            r.status.state == GameServerState::Ready
                && r.process.termination_time.is_none()
                && r.process
                    .game_session
                    .as_ref()
                    .is_none_or(|s| s.status.is_ended())
        });
        for (handle, _) in idle.take(ROLLING_MAX_IN_FLIGHT.saturating_sub(in_flight)) {
            if handle.request_termination().await.is_ok() {
                self.0.metrics.swapped();
            }
        }
    }

    /// Keeps and (in the next commit) stores a rolling update's progress,
    /// unless the fleet changed meanwhile.
    fn store_progress(&self, fleet: &Fleet, updated: u32, total: u32) {
        let mut stored = fleet.clone();
        if let Some(progress) = stored.update.as_mut() {
            progress.updated = updated;
            progress.total = total;
        }
        let write = Write::json(Collection::Fleets, &stored.name, &stored);
        self.0.persister.write_later(vec![write]);
        let mut fleets = self.0.fleets.write().expect("lock");
        fleets.replace_unchanged(stored);
    }

    /// The game servers of `fleet` on probation for module `to`: how many
    /// are still running it, and the first that failed.
    fn probation(&self, fleet: &str, to: &str) -> Probation {
        let now = self.0.clock.now();
        let module = self.module_label(to);
        let on_probation = self
            .0
            .game_servers
            .read()
            .expect("lock")
            .on_probation(fleet, to);
        let mut probation = Probation::default();
        for (name, record, running) in on_probation {
            match probation_failure(&record, now) {
                Some(why) => {
                    probation
                        .failure
                        .get_or_insert(format!("game server {name} of {module} {why}"));
                }
                None if running => probation.pending += 1,
                None => {}
            }
        }
        probation
    }

    /// Running game servers of `fleet` that run module `module`.
    fn running_on(&self, fleet: &str, module: &str) -> Vec<GameServerHandle> {
        let mut running = self.live_handles(Some(fleet));
        running.retain(|h| supervisor::module_of(&h.record()) == Some(module));
        running
    }

    /// Ends the probation of every game server of `fleet`.
    fn end_probation(&self, fleet: &str) {
        let mut servers = self.0.game_servers.write().expect("lock");
        servers.end_probation(fleet);
    }

    /// Fails a rolling update: the fleet goes back to its old module, and
    /// the new version's game servers without a match are asked to
    /// terminate, so the fleet starts game servers of the old version in
    /// their place. Ones with a match finish it.
    async fn fail_rolling(&self, fleet: &Fleet, reason: String) {
        let Some(update) = rolling(fleet) else {
            return;
        };
        self.0.metrics.swap_failed();
        self.end_probation(&fleet.name);
        let new = self.running_on(&fleet.name, &update.to);
        let total = self.live_handles(Some(&fleet.name)).len() as u32;
        self.finish_update(&fleet.name, Some(reason), new.len() as u32, total)
            .await;
        for handle in new {
            let record = handle.record();
            let hosting = record
                .process
                .game_session
                .as_ref()
                .is_some_and(|s| !s.status.is_ended());
            let claimed = matches!(
                record.status.state,
                GameServerState::Allocated | GameServerState::Reserved
            );
            if !hosting && !claimed {
                let _ = handle.request_termination().await;
            }
        }
    }
}

#[cfg(test)]
mod tests;
