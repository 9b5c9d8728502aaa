//! Conversions between the model's types and the WIT bindings' types.

use crate::bindings::types as wit;
use gamehost_model::{
    self as model, CreationPolicy, ErrorCode, GameServerRecord, GameServerState, GameSessionStatus,
    PlayerSessionStatus, UpdateReason,
};
use std::collections::BTreeMap;

impl From<model::Error> for wit::SdkError {
    fn from(error: model::Error) -> Self {
        let code = match error.code {
            ErrorCode::InvalidArgument => wit::ErrorCode::InvalidArgument,
            ErrorCode::NotFound => wit::ErrorCode::NotFound,
            ErrorCode::AlreadyExists => wit::ErrorCode::AlreadyExists,
            ErrorCode::OutOfRange => wit::ErrorCode::OutOfRange,
            ErrorCode::AtCapacity => wit::ErrorCode::AtCapacity,
            ErrorCode::FailedPrecondition => wit::ErrorCode::FailedPrecondition,
            ErrorCode::NotInitialized => wit::ErrorCode::NotInitialized,
            ErrorCode::Unavailable => wit::ErrorCode::Unavailable,
        };
        wit::SdkError {
            code,
            message: error.message,
        }
    }
}

fn key_values(map: &BTreeMap<String, String>) -> Vec<wit::KeyValue> {
    map.iter()
        .map(|(key, value)| wit::KeyValue {
            key: key.clone(),
            value: value.clone(),
        })
        .collect()
}

fn pairs(properties: &[model::GameProperty]) -> Vec<wit::KeyValue> {
    properties
        .iter()
        .map(|p| wit::KeyValue {
            key: p.key.clone(),
            value: p.value.clone(),
        })
        .collect()
}

fn state(state: GameServerState) -> wit::GameServerState {
    match state {
        GameServerState::Scheduled => wit::GameServerState::Scheduled,
        GameServerState::RequestReady => wit::GameServerState::RequestReady,
        GameServerState::Ready => wit::GameServerState::Ready,
        GameServerState::Reserved => wit::GameServerState::Reserved,
        GameServerState::Allocated => wit::GameServerState::Allocated,
        GameServerState::Shutdown => wit::GameServerState::Shutdown,
        GameServerState::Unhealthy => wit::GameServerState::Unhealthy,
        GameServerState::Error => wit::GameServerState::Error,
    }
}

/// The Agones counter record of `name`.
pub fn counter(name: &str, counter: model::Counter) -> wit::Counter {
    wit::Counter {
        name: name.to_owned(),
        count: counter.count,
        capacity: counter.capacity,
    }
}

/// The Agones list record of `name`.
pub fn list(name: &str, list: &model::List) -> wit::StringList {
    wit::StringList {
        name: name.to_owned(),
        capacity: list.capacity,
        values: list.values.clone(),
    }
}

/// A game server record as the guest sees it.
pub fn game_server(record: &GameServerRecord) -> wit::GameServer {
    let meta = &record.object_meta;
    let status = &record.status;
    let health = &record.spec.health;
    wit::GameServer {
        object_meta: wit::ObjectMeta {
            name: meta.name.clone(),
            namespace: meta.namespace.clone(),
            uid: meta.uid.clone(),
            resource_version: meta.resource_version.clone(),
            generation: meta.generation,
            creation_timestamp: meta.creation_timestamp,
            labels: key_values(&meta.labels),
            annotations: key_values(&meta.annotations),
        },
        spec: wit::GameServerSpec {
            health: wit::HealthSpec {
                disabled: health.disabled,
                period_seconds: saturate(health.period_seconds),
                failure_threshold: saturate(health.failure_threshold),
                initial_delay_seconds: saturate(health.initial_delay_seconds),
            },
        },
        status: wit::GameServerStatus {
            state: state(status.state),
            address: status.address.clone(),
            ports: status
                .ports
                .iter()
                .map(|p| wit::GameServerPort {
                    name: p.name.clone(),
                    port: p.port,
                })
                .collect(),
            players: wit::PlayerStatus {
                count: status.players.count,
                capacity: status.players.capacity,
                ids: status.players.ids.clone(),
            },
            counters: status
                .counters
                .iter()
                .map(|(k, c)| counter(k, *c))
                .collect(),
            lists: status.lists.iter().map(|(k, l)| list(k, l)).collect(),
            reserved_until: status.reserved_until,
        },
    }
}

fn saturate(value: u32) -> i32 {
    i32::try_from(value).unwrap_or(i32::MAX)
}

/// A game session as the guest sees it.
pub fn game_session(session: &model::GameSession) -> wit::GameSession {
    wit::GameSession {
        game_session_id: session.game_session_id.clone(),
        name: session.name.clone(),
        fleet_id: session.fleet_id.clone(),
        maximum_player_session_count: session.maximum_player_session_count,
        status: match session.status {
            GameSessionStatus::Activating => wit::GameSessionStatus::Activating,
            GameSessionStatus::Active => wit::GameSessionStatus::Active,
            GameSessionStatus::Terminating => wit::GameSessionStatus::Terminating,
            GameSessionStatus::Terminated => wit::GameSessionStatus::Terminated,
            GameSessionStatus::Error => wit::GameSessionStatus::Error,
        },
        status_reason: session.status_reason.clone(),
        game_properties: pairs(&session.game_properties),
        game_session_data: session.game_session_data.clone(),
        matchmaker_data: session.matchmaker_data.clone(),
        player_session_creation_policy: creation_policy_to_wit(
            session.player_session_creation_policy,
        ),
        ip_address: session.endpoint.ip_address.clone(),
        dns_name: session.endpoint.dns_name.clone(),
        port: session.endpoint.port,
        creation_time: session.creation_time.as_millis(),
        termination_time: session.termination_time.map(model::Timestamp::as_millis),
    }
}

/// An update as `on-update-game-session` delivers it.
pub fn update_game_session(
    session: &model::GameSession,
    reason: UpdateReason,
    ticket: Option<String>,
) -> wit::UpdateGameSession {
    wit::UpdateGameSession {
        game_session: game_session(session),
        update_reason: match reason {
            UpdateReason::MatchmakingDataUpdated => wit::UpdateReason::MatchmakingDataUpdated,
            UpdateReason::BackfillFailed => wit::UpdateReason::BackfillFailed,
            UpdateReason::BackfillTimedOut => wit::UpdateReason::BackfillTimedOut,
            UpdateReason::BackfillCancelled => wit::UpdateReason::BackfillCancelled,
            UpdateReason::Unknown => wit::UpdateReason::Unknown,
        },
        backfill_ticket_id: ticket,
    }
}

/// A player session as the guest sees it.
pub fn player_session(session: &model::PlayerSession) -> wit::PlayerSession {
    wit::PlayerSession {
        player_session_id: session.player_session_id.clone(),
        player_id: session.player_id.clone(),
        game_session_id: session.game_session_id.clone(),
        fleet_id: session.fleet_id.clone(),
        ip_address: session.endpoint.ip_address.clone(),
        dns_name: session.endpoint.dns_name.clone(),
        port: session.endpoint.port,
        player_data: session.player_data.clone(),
        status: player_session_status_to_wit(session.status),
        creation_time: session.creation_time.as_millis(),
        termination_time: session.termination_time.map(model::Timestamp::as_millis),
    }
}

/// A player-session status from WIT.
pub fn player_session_status(status: wit::PlayerSessionStatus) -> PlayerSessionStatus {
    match status {
        wit::PlayerSessionStatus::Reserved => PlayerSessionStatus::Reserved,
        wit::PlayerSessionStatus::Active => PlayerSessionStatus::Active,
        wit::PlayerSessionStatus::Completed => PlayerSessionStatus::Completed,
        wit::PlayerSessionStatus::Timedout => PlayerSessionStatus::Timedout,
    }
}

fn player_session_status_to_wit(status: PlayerSessionStatus) -> wit::PlayerSessionStatus {
    match status {
        PlayerSessionStatus::Reserved => wit::PlayerSessionStatus::Reserved,
        PlayerSessionStatus::Active => wit::PlayerSessionStatus::Active,
        PlayerSessionStatus::Completed => wit::PlayerSessionStatus::Completed,
        PlayerSessionStatus::Timedout => wit::PlayerSessionStatus::Timedout,
    }
}

/// A creation policy from WIT.
pub fn creation_policy(policy: wit::PlayerSessionCreationPolicy) -> CreationPolicy {
    match policy {
        wit::PlayerSessionCreationPolicy::AcceptAll => CreationPolicy::AcceptAll,
        wit::PlayerSessionCreationPolicy::DenyAll => CreationPolicy::DenyAll,
    }
}

fn creation_policy_to_wit(policy: CreationPolicy) -> wit::PlayerSessionCreationPolicy {
    match policy {
        CreationPolicy::AcceptAll => wit::PlayerSessionCreationPolicy::AcceptAll,
        CreationPolicy::DenyAll => wit::PlayerSessionCreationPolicy::DenyAll,
    }
}
