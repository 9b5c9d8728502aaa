//! GameLift FleetIQ's game-server operations over the host's registry: a
//! game server group is a registry group (a fleet is one too, listing the
//! host's own game servers; claiming one allocates it).

use super::error::{AwsError, Doing};
use super::shapes::seconds;
use gamehost_daemon::Daemon;
use gamehost_model::{
    ClaimFilter, ClaimGameServer, ClaimStatus, HealthCheck, InstanceStatus, ListGameServers,
    RegisterGameServer, RegisteredGameServer, SortOrder, UpdateGameServer, UtilizationStatus,
};
use serde::{Deserialize, Serialize};
use sha2::Digest;

/// A group's name from its name or ARN.
fn group(name_or_arn: &str) -> &str {
    name_or_arn
        .rsplit_once(":gameservergroup/")
        .map_or(name_or_arn, |(_, name)| name)
}

fn refused(doing: Doing) -> impl Fn(gamehost_daemon::DaemonError) -> AwsError {
    move |e| AwsError::from_daemon(e, doing)
}

/// An instance id as GameLift writes one (`i-` and 17 letters or digits):
/// the one a game server registered with when it is one, and otherwise (a
/// fleet's game servers run on the host, whose id is free-form) one made
/// from it, the same each time.
fn instance_id(id: &str) -> String {
    let gamelift = id.len() == 19
        && id.starts_with("i-")
        && id[2..].bytes().all(|b| b.is_ascii_alphanumeric());
    if gamelift {
        return id.to_owned();
    }
    let digest = crate::signing::hex(&sha2::Sha256::digest(id.as_bytes()));
    format!("i-{}", &digest[..17])
}

/// GameLift's `GameServer`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GameServer {
    game_server_group_name: String,
    game_server_group_arn: String,
    game_server_id: String,
    instance_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    connection_info: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    game_server_data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    claim_status: Option<ClaimStatus>,
    utilization_status: UtilizationStatus,
    registration_time: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_claim_time: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_health_check_time: Option<f64>,
}

impl From<RegisteredGameServer> for GameServer {
    fn from(entry: RegisteredGameServer) -> Self {
        Self {
            game_server_group_name: entry.game_server_group_name,
            game_server_group_arn: entry.game_server_group_arn,
            game_server_id: entry.game_server_id,
            instance_id: instance_id(&entry.instance_id),
            connection_info: entry.connection_info,
            game_server_data: entry.game_server_data,
            claim_status: entry.claim_status,
            utilization_status: entry.utilization_status,
            registration_time: seconds(entry.registration_time),
            last_claim_time: entry.last_claim_time.map(seconds),
            last_health_check_time: entry.last_health_check_time.map(seconds),
        }
    }
}

/// An answer holding one game server.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GameServerOutput {
    game_server: GameServer,
}

impl From<RegisteredGameServer> for GameServerOutput {
    fn from(entry: RegisteredGameServer) -> Self {
        Self {
            game_server: entry.into(),
        }
    }
}

/// `RegisterGameServer`'s input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct RegisterInput {
    game_server_group_name: String,
    game_server_id: String,
    instance_id: String,
    connection_info: Option<String>,
    game_server_data: Option<String>,
}

/// Registers a game server into a group: AVAILABLE, unclaimed.
pub async fn register(daemon: &Daemon, input: RegisterInput) -> Result<GameServerOutput, AwsError> {
    let request = RegisterGameServer {
        game_server_id: input.game_server_id,
        instance_id: input.instance_id,
        connection_info: input.connection_info,
        game_server_data: input.game_server_data,
    };
    let entry = daemon
        .register_game_server(group(&input.game_server_group_name), request)
        .await
        .map_err(refused(Doing::Registering))?;
    Ok(entry.into())
}

/// `ClaimGameServer`'s filter option.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct FilterOption {
    instance_statuses: Vec<InstanceStatus>,
}

/// `ClaimGameServer`'s input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ClaimInput {
    game_server_group_name: String,
    game_server_id: Option<String>,
    game_server_data: Option<String>,
    filter_option: Option<FilterOption>,
}

/// Claims a given game server of a group, or the best available one.
pub async fn claim(daemon: &Daemon, input: ClaimInput) -> Result<GameServerOutput, AwsError> {
    let request = ClaimGameServer {
        game_server_id: input.game_server_id,
        game_server_data: input.game_server_data,
        filter_option: input.filter_option.map(|f| ClaimFilter {
            instance_statuses: f.instance_statuses,
        }),
    };
    let entry = daemon
        .claim_game_server(group(&input.game_server_group_name), request)
        .await
        .map_err(refused(Doing::Claiming))?;
    Ok(entry.into())
}

/// The input naming one game server of a group.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct GameServerInput {
    game_server_group_name: String,
    game_server_id: String,
}

/// One game server of a group.
pub fn describe(daemon: &Daemon, input: GameServerInput) -> Result<GameServerOutput, AwsError> {
    let entry = daemon
        .describe_registered(group(&input.game_server_group_name), &input.game_server_id)
        .map_err(refused(Doing::Other))?;
    Ok(entry.into())
}

/// An empty answer.
#[derive(Debug, Serialize)]
pub struct Empty {}

/// Removes a game server from its group.
pub async fn deregister(daemon: &Daemon, input: GameServerInput) -> Result<Empty, AwsError> {
    daemon
        .deregister_game_server(group(&input.game_server_group_name), &input.game_server_id)
        .await
        .map_err(refused(Doing::Other))?;
    Ok(Empty {})
}

/// `UpdateGameServer`'s input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UpdateInput {
    game_server_group_name: String,
    game_server_id: String,
    game_server_data: Option<String>,
    utilization_status: Option<UtilizationStatus>,
    health_check: Option<HealthCheck>,
}

/// Reports utilization, new game server data or a health check.
pub async fn update(daemon: &Daemon, input: UpdateInput) -> Result<GameServerOutput, AwsError> {
    let request = UpdateGameServer {
        utilization_status: input.utilization_status,
        health_check: input.health_check,
        game_server_data: input.game_server_data,
    };
    let entry = daemon
        .update_registered(
            group(&input.game_server_group_name),
            &input.game_server_id,
            request,
        )
        .await
        .map_err(refused(Doing::Other))?;
    Ok(entry.into())
}

/// `ListGameServers`' input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct ListInput {
    game_server_group_name: String,
    sort_order: SortOrder,
    limit: Option<i64>,
    next_token: Option<String>,
}

/// A page of a group's game servers.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListOutput {
    game_servers: Vec<GameServer>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// A group's game servers by registration time, in pages.
pub fn list(daemon: &Daemon, input: ListInput) -> Result<ListOutput, AwsError> {
    let limit = super::paging::count(input.limit, "Limit")?;
    let request = ListGameServers {
        limit,
        next_token: input.next_token,
        sort_order: input.sort_order,
    };
    let page = daemon
        .list_registered(group(&input.game_server_group_name), &request)
        .map_err(refused(Doing::Other))?;
    Ok(ListOutput {
        game_servers: page.game_servers.into_iter().map(Into::into).collect(),
        next_token: page.next_token,
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_group_is_named_by_its_name_or_arn() {
        let cases = [
            ("lobby", "lobby"),
            (
                "arn:aws:gamelift:us-west-2:123:gameservergroup/lobby",
                "lobby",
            ),
            (
                "arn:gamehost:gamelift:host-1:gameservergroup/a.b-c",
                "a.b-c",
            ),
        ];
        for (given, name) in cases {
            assert_eq!(super::group(given), name, "{given}");
        }
    }

    #[test]
    fn instance_ids_are_written_as_gamelift_writes_them() {
        assert_eq!(
            super::instance_id("i-0123456789abcdef0"),
            "i-0123456789abcdef0"
        );
        let made = super::instance_id("vm");
        assert_eq!(made.len(), 19, "{made}");
        assert!(made.starts_with("i-"), "{made}");
        assert_eq!(made, super::instance_id("vm"), "the same each time");
        assert_ne!(made, super::instance_id("another-host"));
    }
}
