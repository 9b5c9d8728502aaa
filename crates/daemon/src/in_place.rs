//! The in-place update: every running game server of a fleet switches to the
//! new module between two calls; if one refuses, or some still run the old
//! module after the last pass, the ones switched go back and the update
//! fails. What each game server runs is read from its record (the module
//! annotations its task sets when a swap succeeds), never recorded apart.

use super::Daemon;
use futures_util::future::join_all;
use gamehost_runtime::supervisor::{CommandError, GameServerHandle, SwapRequest};
use std::future::Future;

/// How many times an in-place update looks again for game servers still on
/// the old version (ones the controller started while it switched others).
pub(super) const IN_PLACE_PASSES: usize = 3;

/// Why a game server did not switch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum NotSwitched {
    /// It ended meanwhile: there is nothing to switch.
    Ended,
    /// It still runs the module it ran, for this reason.
    Refused(String),
}

/// The running game servers of one fleet, as an in-place update moves them.
pub(super) trait FleetServers {
    /// A running game server.
    type Server;

    /// Its name.
    fn name(server: &Self::Server) -> &str;

    /// The fleet's running game servers that do not run `module`.
    fn not_on(&self, module: &str) -> Vec<Self::Server>;

    /// Switches `server` to `module`.
    fn switch(
        &self,
        server: &Self::Server,
        module: &str,
    ) -> impl Future<Output = Result<(), NotSwitched>> + Send;
}

/// Moves every running game server of `fleet` from module `from` to `to`;
/// `None` when all run `to`, or why the update failed, once the ones that
/// had switched are back on `from` (or, when one cannot go back, with that
/// said too: it keeps running `to`).
pub(super) async fn switch_in_place<F: FleetServers>(
    fleet: &F,
    from: &str,
    to: &str,
) -> Option<String> {
    let mut switched = Vec::new();
    let mut failure = None;
    for _ in 0..IN_PLACE_PASSES {
        let pending = fleet.not_on(to);
        if pending.is_empty() {
            break;
        }
        let results = join_all(pending.iter().map(|server| fleet.switch(server, to))).await;
        for (server, result) in pending.into_iter().zip(results) {
            match result {
                Ok(()) => switched.push(server),
                Err(NotSwitched::Ended) => {}
                Err(NotSwitched::Refused(reason)) => {
                    failure.get_or_insert(format!("game server {}: {reason}", F::name(&server)));
                }
            }
        }
        if failure.is_some() {
            break;
        }
    }
    let mut failure = failure.or_else(|| {
        let left = fleet.not_on(to).len();
        (left > 0).then(|| {
            format!(
                "{left} game server(s) still ran the old version after {IN_PLACE_PASSES} passes"
            )
        })
    })?;
    let mut stuck = Vec::new();
    for server in &switched {
        if let Err(NotSwitched::Refused(reason)) = fleet.switch(server, from).await {
            stuck.push(format!("{} ({reason})", F::name(server)));
        }
    }
    if !stuck.is_empty() {
        failure.push_str(&format!(
            "; could not switch back, so still on the new version: {}",
            stuck.join(", ")
        ));
    }
    Some(failure)
}

/// The running game servers of one fleet of a daemon, during an update
/// from one module to another.
pub(super) struct DaemonFleet<'a> {
    daemon: &'a Daemon,
    fleet: &'a str,
    /// What switches a game server to the new module.
    forward: SwapTo,
    /// What switches one back to the old module.
    back: SwapTo,
}

/// A module to switch to: its id, and the request, or why it cannot be
/// made (the module does not load).
struct SwapTo {
    module: String,
    request: Result<SwapRequest, String>,
}

impl SwapTo {
    fn of(daemon: &Daemon, module: &str) -> Self {
        Self {
            module: module.to_owned(),
            request: daemon.swap_request(module).map_err(|e| e.to_string()),
        }
    }
}

impl<'a> DaemonFleet<'a> {
    /// `fleet` of `daemon`, moving from module `from` to `to`; each module's
    /// swap request is made once, here.
    pub(super) fn new(daemon: &'a Daemon, fleet: &'a str, from: &str, to: &str) -> Self {
        Self {
            daemon,
            fleet,
            forward: SwapTo::of(daemon, to),
            back: SwapTo::of(daemon, from),
        }
    }
}

impl FleetServers for DaemonFleet<'_> {
    type Server = GameServerHandle;

    fn name(server: &GameServerHandle) -> &str {
        server.name()
    }

    fn not_on(&self, module: &str) -> Vec<GameServerHandle> {
        let mut servers = self.daemon.running_other_than(self.fleet, module);
        // One that has ended but is not yet forgotten has nothing to switch.
        servers.retain(|h| !h.record().status.state.is_terminal());
        servers
    }

    async fn switch(&self, server: &GameServerHandle, module: &str) -> Result<(), NotSwitched> {
        // The update only ever switches to its new module or back to its old.
        let forward = module == self.forward.module;
        let target = if forward { &self.forward } else { &self.back };
        let request = target.request.clone().map_err(NotSwitched::Refused)?;
        match server.swap(request).await {
            Ok(_) => {
                if forward {
                    self.daemon.0.metrics.swapped();
                }
                Ok(())
            }
            Err(CommandError::Ended(_)) => Err(NotSwitched::Ended),
            Err(error) => {
                if forward {
                    self.daemon.0.metrics.swap_failed();
                }
                Err(NotSwitched::Refused(error.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests;
