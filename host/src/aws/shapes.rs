//! The shapes of GameLift's model that Gamehost answers with, in its member
//! names (PascalCase), made from Gamehost's records. Times are seconds since
//! the epoch, fractional, as the AWS JSON protocol writes timestamps.

use gamehost_daemon::{FleetView, SeatedGameSession};
use gamehost_model::{
    CreationPolicy, GameSessionStatus, PlayerSession, PlayerSessionStatus, Timestamp, reasons,
};
use serde::{Deserialize, Serialize};

/// The ARN prefix of a fleet, before its id.
const FLEET_ARN: &str = "arn:gamehost:gamelift:local::fleet/";

/// The status reasons GameLift's model has; Gamehost's others (such as
/// `ACTIVATION_TIMEOUT`) are in the control plane's record only.
const GAMELIFT_STATUS_REASONS: [&str; 3] = [
    reasons::INTERRUPTED,
    reasons::TRIGGERED_ON_PROCESS_TERMINATE,
    reasons::FORCE_TERMINATED,
];

/// The time as the AWS JSON protocol writes it.
pub fn seconds(time: Timestamp) -> f64 {
    time.as_millis() as f64 / 1000.0
}

/// A fleet's ARN.
pub fn fleet_arn(fleet: &str) -> String {
    format!("{FLEET_ARN}{fleet}")
}

/// The name of the fleet a `FleetId` or `AliasId` names: the fleet's name,
/// `fleet-NAME`, `alias-NAME`, or an ARN ending in `/` and one of those.
/// `exists` tells whether a fleet has a name, so a fleet whose name starts
/// with `fleet-` is found too.
pub fn fleet_name(id: &str, exists: impl Fn(&str) -> bool) -> String {
    let id = id.rsplit_once('/').map_or(id, |(_, last)| last);
    if exists(id) {
        return id.to_owned();
    }
    ["fleet-", "alias-"]
        .iter()
        .find_map(|prefix| id.strip_prefix(prefix))
        .unwrap_or(id)
        .to_owned()
}

/// A game property: a key and its value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GameProperty {
    /// The key.
    pub key: String,
    /// The value.
    pub value: String,
}

/// GameLift's `GameSession`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GameSession {
    game_session_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    fleet_id: String,
    fleet_arn: String,
    creation_time: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    termination_time: Option<f64>,
    current_player_session_count: u32,
    maximum_player_session_count: u32,
    status: GameSessionStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    status_reason: Option<String>,
    game_properties: Vec<GameProperty>,
    ip_address: String,
    dns_name: String,
    port: u16,
    player_session_creation_policy: CreationPolicy,
    #[serde(skip_serializing_if = "Option::is_none")]
    creator_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    game_session_data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    matchmaker_data: Option<String>,
    compute_name: String,
}

/// A string GameLift leaves out when empty (its minimum length is 1).
fn given(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_owned())
}

impl From<SeatedGameSession> for GameSession {
    fn from(seated: SeatedGameSession) -> Self {
        let s = seated.game_session;
        Self {
            name: given(&s.name),
            fleet_arn: fleet_arn(&s.fleet_id),
            creation_time: seconds(s.creation_time),
            termination_time: s.termination_time.map(seconds),
            current_player_session_count: seated.player_sessions_held,
            maximum_player_session_count: s.maximum_player_session_count,
            status: s.status,
            status_reason: s
                .status_reason
                .filter(|r| GAMELIFT_STATUS_REASONS.contains(&r.as_str())),
            game_properties: s
                .game_properties
                .into_iter()
                .map(|p| GameProperty {
                    key: p.key,
                    value: p.value,
                })
                .collect(),
            ip_address: s.endpoint.ip_address,
            dns_name: s.endpoint.dns_name,
            port: s.endpoint.port,
            player_session_creation_policy: s.player_session_creation_policy,
            creator_id: given(&s.creator_id),
            game_session_data: given(&s.game_session_data),
            matchmaker_data: given(&s.matchmaker_data),
            compute_name: s.game_server_name,
            game_session_id: s.game_session_id,
            fleet_id: s.fleet_id,
        }
    }
}

/// GameLift's `GameSessionDetail`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GameSessionDetail {
    game_session: GameSession,
    /// Always `FullProtection`: Gamehost never scales in a game server that
    /// hosts a game session.
    protection_policy: &'static str,
}

impl From<SeatedGameSession> for GameSessionDetail {
    fn from(seated: SeatedGameSession) -> Self {
        Self {
            game_session: seated.into(),
            protection_policy: "FullProtection",
        }
    }
}

/// GameLift's `PlayerSession`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlayerSessionShape {
    player_session_id: String,
    player_id: String,
    game_session_id: String,
    fleet_id: String,
    fleet_arn: String,
    creation_time: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    termination_time: Option<f64>,
    status: PlayerSessionStatus,
    ip_address: String,
    dns_name: String,
    port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    player_data: Option<String>,
}

impl From<PlayerSession> for PlayerSessionShape {
    fn from(p: PlayerSession) -> Self {
        Self {
            fleet_arn: fleet_arn(&p.fleet_id),
            creation_time: seconds(p.creation_time),
            termination_time: p.termination_time.map(seconds),
            status: p.status,
            ip_address: p.endpoint.ip_address,
            dns_name: p.endpoint.dns_name,
            port: p.endpoint.port,
            player_data: given(&p.player_data),
            player_session_id: p.player_session_id,
            player_id: p.player_id,
            game_session_id: p.game_session_id,
            fleet_id: p.fleet_id,
        }
    }
}

/// GameLift's `FleetAttributes`, of what a Gamehost fleet has.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FleetAttributes {
    fleet_id: String,
    fleet_arn: String,
    fleet_type: &'static str,
    name: String,
    description: String,
    creation_time: f64,
    status: &'static str,
    new_game_session_protection_policy: &'static str,
    resource_creation_limit_policy: ResourceCreationLimitPolicy,
    compute_type: &'static str,
}

/// GameLift's `ResourceCreationLimitPolicy`: game sessions per creator.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ResourceCreationLimitPolicy {
    new_game_sessions_per_creator: u32,
    policy_period_in_minutes: u32,
}

impl From<&FleetView> for FleetAttributes {
    fn from(view: &FleetView) -> Self {
        let fleet = &view.fleet;
        Self {
            fleet_id: fleet.name.clone(),
            fleet_arn: fleet_arn(&fleet.name),
            fleet_type: "ON_DEMAND",
            name: fleet.name.clone(),
            description: format!("module {}", fleet.module),
            creation_time: seconds(fleet.created_at),
            status: "ACTIVE",
            new_game_session_protection_policy: "FullProtection",
            resource_creation_limit_policy: ResourceCreationLimitPolicy {
                new_game_sessions_per_creator: fleet
                    .resource_creation_limit_policy
                    .new_game_sessions_per_creator,
                policy_period_in_minutes: fleet
                    .resource_creation_limit_policy
                    .policy_period_in_minutes,
            },
            compute_type: "ANYWHERE",
        }
    }
}

/// GameLift's `EC2InstanceCounts`, where an instance is a game server.
#[derive(Debug, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub struct InstanceCounts {
    desired: u32,
    minimum: u32,
    maximum: u32,
    pending: u32,
    active: u32,
    idle: u32,
    terminating: u32,
}

/// GameLift's `FleetCapacity`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FleetCapacity {
    fleet_id: String,
    fleet_arn: String,
    instance_counts: InstanceCounts,
}

impl FleetCapacity {
    /// The capacity of `view`, where the host holds at most `maximum` game
    /// servers.
    pub fn new(view: &FleetView, maximum: u32) -> Self {
        let status = &view.status;
        let busy = status.reserved + status.allocated;
        Self {
            fleet_id: view.fleet.name.clone(),
            fleet_arn: fleet_arn(&view.fleet.name),
            instance_counts: InstanceCounts {
                desired: view.fleet.replicas.max(status.ready) + busy,
                minimum: 0,
                maximum,
                pending: status.starting,
                active: status.ready + busy,
                idle: status.ready,
                terminating: 0,
            },
        }
    }
}

/// GameLift's `FleetUtilization`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FleetUtilization {
    fleet_id: String,
    fleet_arn: String,
    active_server_process_count: u32,
    active_game_session_count: u32,
    current_player_session_count: u32,
    maximum_player_session_count: u32,
}

impl FleetUtilization {
    /// The utilization of `view`, whose game sessions in progress are
    /// `sessions`.
    pub fn new(view: &FleetView, sessions: &[SeatedGameSession]) -> Self {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        Self {
            fleet_id: view.fleet.name.clone(),
            fleet_arn: fleet_arn(&view.fleet.name),
            active_server_process_count: view.status.replicas,
            active_game_session_count: count(sessions.len()),
            current_player_session_count: sessions.iter().map(|s| s.player_sessions_held).sum(),
            maximum_player_session_count: sessions
                .iter()
                .map(|s| s.game_session.maximum_player_session_count)
                .sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fleet_ids_in_every_form_name_the_fleet() {
        let exists = |name: &str| ["arena", "fleet-x"].contains(&name);
        let cases = [
            ("arena", "arena"),
            ("fleet-arena", "arena"),
            ("alias-arena", "arena"),
            ("arn:aws:gamelift:us-west-2::fleet/fleet-arena", "arena"),
            ("arn:gamehost:gamelift:local::fleet/arena", "arena"),
            ("fleet-x", "fleet-x"),
            ("fleet-missing", "missing"),
        ];
        for (id, name) in cases {
            assert_eq!(fleet_name(id, exists), name, "{id}");
        }
    }
}
