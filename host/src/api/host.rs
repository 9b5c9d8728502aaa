//! `/v1/host`: this host at a glance, for operators and the console: its id,
//! version, uptime, capacity and running game servers by state.

use super::error::Json;
use axum::Extension;
use axum::extract::State;
use gamehost_daemon::Daemon;
use gamehost_model::{Clock, SystemClock, Timestamp};
use serde::Serialize;
use std::collections::BTreeMap;

/// When the control plane started serving.
#[derive(Clone, Copy, Debug)]
pub struct Started(pub Timestamp);

impl Started {
    /// Now.
    pub fn now() -> Self {
        Self(SystemClock.now())
    }
}

/// This host.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HostView {
    /// The host's id, shown to guests and in the registry.
    host_id: String,
    /// The `gamehost` version.
    version: &'static str,
    /// When the control plane started serving, in epoch milliseconds.
    started_at: Timestamp,
    /// Seconds since then.
    uptime_seconds: u64,
    /// Where players reach this host's game servers.
    address: String,
    /// The advertised port.
    port: u16,
    /// Whether clients and players reach it over TLS.
    tls: bool,
    /// Game servers alive at once, at most (`--max-game-servers`).
    max_game_servers: u32,
    /// Running game servers (every state but the ended ones).
    running_game_servers: u32,
    /// Running game servers by state.
    game_servers_by_state: BTreeMap<String, u32>,
    /// How many fleets there are.
    fleets: u32,
}

/// This host: id, version, uptime, capacity, game servers by state.
#[utoipa::path(get, path = "/v1/host", tag = "system", responses((status = 200, body = HostView)))]
pub async fn get(
    State(daemon): State<Daemon>,
    Extension(started): Extension<Started>,
) -> Json<HostView> {
    let config = daemon.config();
    let by_state = daemon.game_servers_by_state();
    let now = SystemClock.now();
    Json(HostView {
        host_id: config.host_id.clone(),
        version: env!("CARGO_PKG_VERSION"),
        started_at: started.0,
        uptime_seconds: now.since(started.0).as_secs(),
        address: config.endpoint.ip_address.clone(),
        port: config.endpoint.port,
        tls: config.tls,
        max_game_servers: config.engine.max_instances,
        running_game_servers: by_state.values().sum(),
        game_servers_by_state: by_state,
        fleets: u32::try_from(daemon.fleets().len()).unwrap_or(u32::MAX),
    })
}
