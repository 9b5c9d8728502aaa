//! The fleet controller: keeps each fleet's warm replicas (starting, Ready
//! or Reserved game servers), starting new ones as others are allocated or end,
//! and asking surplus Ready ones to terminate when a fleet shrinks or a
//! surplus lasts ([`Surplus`]).

use super::Daemon;
use super::fleet::Fleet;
use super::surplus::Surplus;
use gamehost_model::GameServerSpec;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// How often the controller looks even when nothing woke it.
const RESYNC: Duration = Duration::from_secs(1);
/// Most game servers started for one fleet in one pass.
const MAX_STARTS_PER_PASS: usize = 64;
/// The first and the longest pause after a fleet's game servers fail to
/// start, so a broken module does not spin.
const BACKOFF: (Duration, Duration) = (Duration::from_millis(250), Duration::from_secs(30));

/// What the controller remembers of a fleet between passes.
#[derive(Default)]
struct FleetPasses {
    backoff: Backoff,
    surplus: Surplus,
    /// The template its new game servers share, and the fleet generation
    /// and module it was made for.
    spec: Option<(u64, String, Arc<GameServerSpec>)>,
    /// The fleet generation at which none of its game servers ran another
    /// module than the fleet's: none can again until the fleet changes.
    one_version: Option<u64>,
}

/// A fleet's start failures in a row and when it may try again.
#[derive(Default)]
struct Backoff {
    failures: u32,
    until: Option<Instant>,
}

impl Daemon {
    /// Runs the controller until the daemon shuts down.
    pub(super) async fn reconcile_forever(self) {
        let mut passes: HashMap<String, FleetPasses> = HashMap::new();
        loop {
            if self.is_shutting_down() {
                return;
            }
            let fleets: Vec<Fleet> = self.0.fleets.read().expect("lock").all();
            passes.retain(|name, _| fleets.iter().any(|f| &f.name == name));
            for fleet in &fleets {
                let seen = passes.entry(fleet.name.clone()).or_default();
                self.reconcile(fleet, seen).await;
            }
            tokio::select! {
                () = self.0.reconcile.notified() => {}
                () = tokio::time::sleep(RESYNC) => {}
            }
        }
    }

    async fn reconcile(&self, fleet: &Fleet, seen: &mut FleetPasses) {
        let failed = self.take_start_failures(&fleet.name);
        self.advance_rolling(fleet).await;
        self.advance_in_place(fleet).await;
        if seen.one_version != Some(fleet.generation) && self.replace_other_versions(fleet).await {
            seen.one_version = Some(fleet.generation);
        }
        let wanted = self.replicas_here(fleet) as usize;
        let (warm, to_end) = {
            let servers = self.0.game_servers.read().expect("lock");
            let warm = servers.warm(&fleet.name);
            let surplus = warm.saturating_sub(wanted);
            let end = seen
                .surplus
                .ending_now(surplus, fleet.generation, Instant::now());
            let to_end: Vec<String> = if end > 0 {
                let idle = servers.newest_idle(&fleet.name);
                idle.into_iter().take(end).collect()
            } else {
                Vec::new()
            };
            (warm, to_end)
        };
        let backoff = &mut seen.backoff;
        if warm > wanted {
            for name in &to_end {
                if let Ok(handle) = self.handle(name) {
                    let _ = handle.request_termination().await;
                }
            }
            return;
        }
        if warm == wanted || backoff.until.is_some_and(|t| Instant::now() < t) {
            return;
        }
        let mode = {
            let modules = self.0.modules.read().expect("lock");
            modules.get(&fleet.module).and_then(|l| l.mode().cloned())
        };
        let Some(mode) = mode else {
            tracing::error!(fleet = %fleet.name, module = %fleet.module, "the fleet's module is not loaded; no game servers can start");
            backoff.until = Some(Instant::now() + BACKOFF.1);
            return;
        };
        if failed > 0 {
            backoff.failures += 1;
            let pause = BACKOFF.0 * 2u32.saturating_pow(backoff.failures.min(16));
            backoff.until = Some(Instant::now() + pause.min(BACKOFF.1));
            tracing::warn!(fleet = %fleet.name, failures = backoff.failures, "game servers failed to start; backing off");
        } else {
            backoff.failures = 0;
        }
        let capacity = self.0.engine.settings().max_instances as usize;
        let running = self.live_count();
        let starts = (wanted - warm)
            .min(MAX_STARTS_PER_PASS)
            .min(capacity.saturating_sub(running));
        // Starting under the fleets lock, and only while the fleet is still
        // the one this pass read, means a concurrent delete either sees the
        // new game servers (and terminates them) or stops them being started.
        let fleets = self.0.fleets.read().expect("lock");
        if !fleets.is_current(fleet) {
            return;
        }
        let spec = match &seen.spec {
            Some((generation, module, spec))
                if *generation == fleet.generation && *module == fleet.module =>
            {
                spec.clone()
            }
            _ => {
                let spec = Arc::new(self.game_server_spec(fleet, &mode));
                seen.spec = Some((fleet.generation, fleet.module.clone(), spec.clone()));
                spec
            }
        };
        for _ in 0..starts {
            self.start_game_server(fleet, mode.clone(), spec.clone());
        }
    }
}
