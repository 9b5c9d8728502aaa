//! Gamehost as one high-density Agones GameServer.
//!
//! In a Kubernetes cluster running Agones, each Gamehost pod is one
//! GameServer that hosts many matches. The host talks to the Agones SDK
//! sidecar in its pod over the REST API (`localhost:$AGONES_SDK_HTTP_PORT`):
//! it pings Health from the start, calls Ready once its fleets are warm,
//! and reports what it can take as a counter (default `rooms`: the count
//! is the matches running, the capacity what it can run) and which matches
//! it runs as a list (default `sessions`: their game session ids). Agones'
//! allocator then lands allocations on the pod while it has room; each one
//! starts a match here ([`ledger`] says how). On SIGTERM the host drains:
//! capacity down to the count, running matches finish within the grace,
//! then Shutdown.

mod agent;
pub mod backoff;
pub mod client;
mod health;
pub mod ledger;
pub mod properties;
mod watch;
pub mod wire;

pub use agent::{LIST_LIMIT, SYNC_PERIOD};
pub use health::ping_interval;

use crate::agent::{Agent, Shared};
use crate::backoff::Backoff;
use crate::client::SdkClient;
use crate::wire::GameServer;
use gamehost_daemon::Daemon;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use tokio::task::JoinHandle;

/// The environment variable Agones sets to the sidecar's REST port.
pub const PORT_VARIABLE: &str = "AGONES_SDK_HTTP_PORT";

/// How long [`Agones::shutdown`] waits for the books to settle.
pub const SETTLE_LIMIT: Duration = Duration::from_secs(2);

/// The longest [`Agones::shutdown`] takes: the books settling, then the
/// call to `Shutdown`.
pub const SHUTDOWN_LIMIT: Duration = SETTLE_LIMIT.saturating_add(client::CALL_TIMEOUT);

/// How the host runs as an Agones GameServer.
#[derive(Clone, Debug)]
pub struct AgonesSettings {
    /// The sidecar's REST port on localhost.
    pub port: u16,
    /// The counter of matches (`rooms`).
    pub counter: String,
    /// The list of matches' game session ids (`sessions`).
    pub list: String,
    /// The fleet allocations start matches in; without one, the host's
    /// only fleet.
    pub fleet: Option<String>,
    /// The players a match started by an allocation takes.
    pub max_players: u32,
}

/// The host's link to its Agones sidecar.
pub struct Agones {
    client: SdkClient,
    settings: AgonesSettings,
    shared: Arc<Shared>,
    tasks: Vec<JoinHandle<()>>,
}

impl Agones {
    /// Reaches the sidecar, retrying with backoff until it answers, and
    /// starts pinging Health; returns the link and the GameServer as it is
    /// now (its address and port are where players reach the host).
    pub async fn connect(settings: AgonesSettings) -> (Self, GameServer) {
        let client = SdkClient::new(settings.port);
        let mut backoff = Backoff::default();
        let game_server = loop {
            match client.game_server().await {
                Ok(game_server) => break game_server,
                Err(error) => {
                    if !backoff.is_failing() {
                        tracing::warn!(%error, port = settings.port, "waiting for the Agones SDK sidecar");
                    }
                    tokio::time::sleep(backoff.fail()).await;
                }
            }
        };
        let mut tasks = Vec::new();
        if let Some(interval) = ping_interval(&game_server.spec.health) {
            tasks.push(tokio::spawn(health::ping_forever(client.clone(), interval)));
        }
        tracing::info!(game_server = %game_server.object_meta.name, state = %game_server.status.state, "reached the Agones SDK sidecar");
        let agones = Self {
            client,
            settings,
            shared: Arc::default(),
            tasks,
        };
        (agones, game_server)
    }

    /// Starts following the GameServer and keeping it true for `daemon`.
    pub fn run(&mut self, daemon: Daemon) {
        let (latest, receiver) = tokio::sync::watch::channel(None);
        self.tasks.push(tokio::spawn(watch::follow_forever(
            self.client.clone(),
            latest,
        )));
        let agent = Agent::new(
            daemon,
            self.client.clone(),
            self.settings.clone(),
            self.shared.clone(),
            receiver,
        );
        self.tasks.push(tokio::spawn(agent.run()));
    }

    /// Drains: the counter's capacity comes down to its count so nothing
    /// new lands, allocations that still land are given back, and the
    /// running matches have up to `grace` to finish. Returns when none is
    /// left or the grace ran out.
    pub async fn drain(&self, daemon: &Daemon, grace: Duration) {
        self.shared.draining.store(true, Ordering::Release);
        self.shared.wake.notify_one();
        let running = daemon.game_sessions_in_progress().len();
        tracing::info!(
            matches = running,
            ?grace,
            "draining: no new matches; waiting for the running ones to finish"
        );
        let finished = async {
            while !(daemon.game_sessions_in_progress().is_empty() && self.is_settled()) {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        };
        if tokio::time::timeout(grace, finished).await.is_err() {
            let left = daemon.game_sessions_in_progress().len();
            tracing::warn!(matches = left, "the grace ran out with matches running");
        }
    }

    /// Once the host has stopped: brings the counter and list down for the
    /// matches that ended last (for up to [`SETTLE_LIMIT`]), then tells Agones
    /// to shut the GameServer down.
    pub async fn shutdown(self) {
        self.shared.draining.store(true, Ordering::Release);
        self.shared.wake.notify_one();
        let settled = async {
            while !self.is_settled() {
                tokio::time::sleep(Duration::from_millis(50)).await;
                self.shared.wake.notify_one();
            }
        };
        let _ = tokio::time::timeout(SETTLE_LIMIT, settled).await;
        match self.client.shutdown().await {
            Ok(()) => tracing::info!("told Agones to shut the GameServer down"),
            Err(error) => {
                tracing::error!(%error, "could not tell Agones to shut the GameServer down")
            }
        }
        for task in &self.tasks {
            task.abort();
        }
    }

    fn is_settled(&self) -> bool {
        self.shared.settled.load(Ordering::Acquire)
    }
}

/// Where players reach the host in the cluster: the GameServer's address
/// and its first port (the node's port mapped to the host's listener).
pub fn endpoint(game_server: &GameServer) -> Option<(String, u16)> {
    let status = &game_server.status;
    let port = status.ports.first()?.port;
    (!status.address.is_empty() && port != 0).then(|| (status.address.clone(), port))
}
