//! What clients send to the game-server registry (GameLift FleetIQ
//! `RegisterGameServer`, `ClaimGameServer`, `UpdateGameServer` and
//! `ListGameServers`), the statuses they name, and the bounds they are
//! checked against.

use super::error::{Error, Result};
use super::game_session::check_text;
use super::limits::{
    MAX_CONNECTION_INFO_BYTES, MAX_GAME_SERVER_DATA_BYTES, MAX_GAME_SERVER_GROUP_NAME_BYTES,
    MAX_GAME_SERVER_ID_BYTES, MAX_INSTANCE_ID_BYTES, MAX_LIST_GAME_SERVERS_LIMIT,
    MIN_GAME_SERVER_ID_BYTES,
};
use serde::{Deserialize, Serialize};

/// Whether a registered game server hosts a game.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UtilizationStatus {
    /// Ready for a new game; it may be claimed.
    #[default]
    Available,
    /// Hosting a game; it is never claimed again.
    Utilized,
}

/// The claim status of a game server claimed less than
/// [`CLAIM_DURATION`](crate::CLAIM_DURATION) ago; GameLift writes null
/// otherwise, so this has one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ClaimStatus {
    /// Reserved for a game that has not started yet.
    Claimed,
}

/// What a game server reports about its health.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum HealthCheck {
    /// The game server is healthy; GameLift defines no other value.
    Healthy,
}

/// The status of the instance registered game servers run on.
///
/// A host is one instance: every game server registered on it shares this
/// host's status, whatever instance id it reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum InstanceStatus {
    /// The host takes new game servers and claims.
    #[default]
    Active,
    /// The host is winding down: it takes no new registrations, and its game
    /// servers are claimed only by requests that accept DRAINING instances.
    Draining,
}

/// In which order game servers are listed, by registration time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SortOrder {
    /// Oldest first.
    #[default]
    Ascending,
    /// Newest first.
    Descending,
}

/// What a game server gives to register itself into a game server group.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct RegisterGameServer {
    /// Unique across every group of the host: 3 to 128 letters, digits, '-'
    /// and '.'.
    pub game_server_id: String,
    /// The instance the game server runs on: 1 to 128 letters, digits, '-'
    /// and '.'.
    pub instance_id: String,
    /// How clients connect, such as an address and port (1 to 512 bytes).
    pub connection_info: Option<String>,
    /// Free-form properties handed to whoever claims or lists it (1 to 1024
    /// bytes).
    pub game_server_data: Option<String>,
}

impl RegisterGameServer {
    /// Checks every field's bound, naming the first offending one.
    pub fn validate(&self) -> Result<()> {
        validate_game_server_id(&self.game_server_id)?;
        check_identifier("instanceId", &self.instance_id, 1, MAX_INSTANCE_ID_BYTES)?;
        check_free_text(
            "connectionInfo",
            self.connection_info.as_deref(),
            MAX_CONNECTION_INFO_BYTES,
        )?;
        check_free_text(
            "gameServerData",
            self.game_server_data.as_deref(),
            MAX_GAME_SERVER_DATA_BYTES,
        )
    }
}

/// Which instances a claimed game server may run on.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ClaimFilter {
    /// ACTIVE, and DRAINING to also claim game servers of a draining host.
    pub instance_statuses: Vec<InstanceStatus>,
}

/// A request to claim a game server of a group for a new game.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ClaimGameServer {
    /// The game server to claim; without it, the oldest claimable one.
    pub game_server_id: Option<String>,
    /// New game server data for the claimed game server (1 to 1024 bytes).
    pub game_server_data: Option<String>,
    /// Which instances qualify; only ACTIVE ones when absent.
    pub filter_option: Option<ClaimFilter>,
}

impl ClaimGameServer {
    /// Checks every field's bound, naming the first offending one.
    pub fn validate(&self) -> Result<()> {
        if let Some(id) = &self.game_server_id {
            validate_game_server_id(id)?;
        }
        check_free_text(
            "gameServerData",
            self.game_server_data.as_deref(),
            MAX_GAME_SERVER_DATA_BYTES,
        )?;
        if let Some(filter) = &self.filter_option {
            let statuses = &filter.instance_statuses;
            let count = |status| statuses.iter().filter(|s| **s == status).count();
            if count(InstanceStatus::Active) != 1 || count(InstanceStatus::Draining) > 1 {
                return Err(Error::invalid_argument(
                    "filterOption.instanceStatuses must list ACTIVE, and optionally DRAINING, once each",
                ));
            }
        }
        Ok(())
    }

    /// Whether game servers of a DRAINING instance qualify.
    pub fn accepts_draining(&self) -> bool {
        self.filter_option
            .as_ref()
            .is_some_and(|f| f.instance_statuses.contains(&InstanceStatus::Draining))
    }
}

/// What a registered game server reports about itself; every field is
/// optional, and those given are applied together or not at all.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct UpdateGameServer {
    /// A new utilization status; UTILIZED never goes back to AVAILABLE.
    pub utilization_status: Option<UtilizationStatus>,
    /// A health report, which sets the last health check time.
    pub health_check: Option<HealthCheck>,
    /// New game server data (1 to 1024 bytes).
    pub game_server_data: Option<String>,
}

impl UpdateGameServer {
    /// Checks every field's bound, naming the first offending one.
    pub fn validate(&self) -> Result<()> {
        check_free_text(
            "gameServerData",
            self.game_server_data.as_deref(),
            MAX_GAME_SERVER_DATA_BYTES,
        )
    }
}

/// Which page of a group's game servers to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ListGameServers {
    /// Page size, 1 to 100; 100 when absent.
    pub limit: Option<u32>,
    /// Continue after the last game server of a previous page.
    pub next_token: Option<String>,
    /// By registration time, oldest first unless DESCENDING.
    pub sort_order: SortOrder,
}

impl ListGameServers {
    /// Checks the page size.
    pub fn validate(&self) -> Result<()> {
        match self.limit {
            Some(limit) if !(1..=MAX_LIST_GAME_SERVERS_LIMIT).contains(&limit) => {
                Err(Error::out_of_range(format!(
                    "limit must be within [1, {MAX_LIST_GAME_SERVERS_LIMIT}], got {limit}"
                )))
            }
            _ => Ok(()),
        }
    }

    /// How many game servers a page holds.
    pub fn page_size(&self) -> usize {
        self.limit.unwrap_or(MAX_LIST_GAME_SERVERS_LIMIT) as usize
    }
}

/// Checks a game server group name: 1 to 128 letters, digits, '-' and '.'.
pub fn validate_group_name(name: &str) -> Result<()> {
    check_identifier(
        "gameServerGroupName",
        name,
        1,
        MAX_GAME_SERVER_GROUP_NAME_BYTES,
    )
}

/// Checks a game server id: 3 to 128 letters, digits, '-' and '.'.
pub fn validate_game_server_id(id: &str) -> Result<()> {
    check_identifier(
        "gameServerId",
        id,
        MIN_GAME_SERVER_ID_BYTES,
        MAX_GAME_SERVER_ID_BYTES,
    )
}

/// GameLift's identifier rule, `[a-zA-Z0-9-.]+` within a length.
fn check_identifier(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    check_text(field, value, min, max)?;
    if !value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.'))
    {
        return Err(Error::invalid_argument(format!(
            "{field} {value:?} may only contain letters, digits, '-' and '.'"
        )));
    }
    Ok(())
}

/// Optional free text: absent, or 1 to `max` bytes with at least one
/// non-blank character (GameLift refuses blank values).
fn check_free_text(field: &str, value: Option<&str>, max: usize) -> Result<()> {
    let Some(value) = value else {
        return Ok(());
    };
    check_text(field, value, 1, max)?;
    if value.trim().is_empty() {
        return Err(Error::invalid_argument(format!(
            "{field} must not be blank"
        )));
    }
    Ok(())
}
