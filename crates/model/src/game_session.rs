//! Game sessions (GameLift): ACTIVATING → ACTIVE → TERMINATING → TERMINATED.

use super::clock::Timestamp;
use super::error::{Error, Result};
use super::limits::{
    MAX_BACKFILL_ATTRIBUTE_BYTES, MAX_BACKFILL_PLAYER_ENTRIES, MAX_BACKFILL_PLAYERS,
    MAX_CREATOR_ID_BYTES, MAX_GAME_PROPERTIES, MAX_GAME_PROPERTY_KEY_BYTES,
    MAX_GAME_PROPERTY_VALUE_BYTES, MAX_GAME_SESSION_DATA_BYTES, MAX_ID_BYTES,
    MAX_MATCHMAKER_DATA_BYTES, MAX_PLAYERS_PER_GAME_SESSION,
};
use serde::{Deserialize, Serialize};

/// The status of a game session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum GameSessionStatus {
    /// Handed to the guest; waiting for `activate-game-session`.
    Activating,
    /// Taking player sessions.
    Active,
    /// The process is being terminated.
    Terminating,
    /// Ended.
    Terminated,
    /// Ended because the game server failed.
    Error,
}

impl GameSessionStatus {
    /// Whether the game session has ended.
    pub fn is_ended(self) -> bool {
        matches!(self, Self::Terminated | Self::Error)
    }
}

/// Whether a game session accepts new player sessions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CreationPolicy {
    /// New player sessions are accepted while slots are free.
    #[default]
    AcceptAll,
    /// No new player sessions.
    DenyAll,
}

/// Why a game session was updated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum UpdateReason {
    /// New matchmaker data.
    MatchmakingDataUpdated,
    /// The backfill failed.
    BackfillFailed,
    /// The backfill timed out.
    BackfillTimedOut,
    /// The backfill was cancelled.
    BackfillCancelled,
    /// Any other reason; the default.
    #[default]
    Unknown,
}

/// A running match backfill request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Backfill {
    /// The ticket id.
    pub ticket_id: String,
    /// The matchmaking configuration asked.
    pub matchmaking_configuration_arn: String,
    /// The players already in the game session, as the guest described them.
    pub players: Vec<MatchmakingPlayer>,
    /// When the request was made.
    pub requested_at: Timestamp,
}

/// A player as a matchmaker sees it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct MatchmakingPlayer {
    /// The player's id.
    pub player_id: String,
    /// The player's team.
    pub team: Option<String>,
    /// Attributes as JSON values.
    pub player_attributes: Vec<(String, String)>,
    /// Latency per region in milliseconds.
    pub latency_in_ms: Vec<(String, u32)>,
}

impl MatchmakingPlayer {
    /// Checks the player's bounds.
    pub fn validate(&self) -> Result<()> {
        check_text("playerId", &self.player_id, 1, MAX_ID_BYTES)?;
        if let Some(team) = &self.team {
            check_text("team", team, 0, MAX_ID_BYTES)?;
        }
        let entries = self.player_attributes.len().max(self.latency_in_ms.len());
        if entries > MAX_BACKFILL_PLAYER_ENTRIES {
            return Err(Error::invalid_argument(format!(
                "player {:?}: at most {MAX_BACKFILL_PLAYER_ENTRIES} attributes and latencies",
                self.player_id
            )));
        }
        for (key, value) in &self.player_attributes {
            check_text("attribute name", key, 1, MAX_ID_BYTES)?;
            check_text("attribute value", value, 0, MAX_BACKFILL_ATTRIBUTE_BYTES)?;
        }
        for (region, _) in &self.latency_in_ms {
            check_text("region", region, 1, MAX_ID_BYTES)?;
        }
        Ok(())
    }
}

/// Checks the players of a backfill request.
pub fn validate_backfill_players(players: &[MatchmakingPlayer]) -> Result<()> {
    if players.len() > MAX_BACKFILL_PLAYERS {
        return Err(Error::invalid_argument(format!(
            "at most {MAX_BACKFILL_PLAYERS} players per backfill"
        )));
    }
    players.iter().try_for_each(MatchmakingPlayer::validate)
}

/// A game property: a key and its value, as GameLift and the WIT have it.
/// Reads `{"key", "value"}`, and the `[key, value]` pair earlier versions
/// wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct GameProperty {
    /// The key (1 to 32 bytes).
    pub key: String,
    /// The value (up to 96 bytes).
    pub value: String,
}

impl GameProperty {
    /// The property `key` = `value`.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// What a client gives to create a game session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct NewGameSession {
    /// A descriptive name.
    pub name: String,
    /// How many player sessions may be held at once (1 to 1000).
    pub maximum_player_session_count: u32,
    /// Game properties (at most 16; keys up to 32 and values up to 96 bytes).
    pub game_properties: Vec<GameProperty>,
    /// Free-form data (up to 4096 bytes).
    pub game_session_data: String,
    /// Matchmaker data as JSON (up to 390,000 bytes).
    pub matchmaker_data: String,
    /// Who asked for the game session: a player or a service (up to 1024
    /// bytes; empty when not said).
    pub creator_id: String,
}

impl NewGameSession {
    /// Checks every field's bound, naming the first offending one.
    pub fn validate(&self) -> Result<()> {
        check_text("name", &self.name, 0, MAX_ID_BYTES)?;
        if !(1..=MAX_PLAYERS_PER_GAME_SESSION).contains(&self.maximum_player_session_count) {
            return Err(Error::out_of_range(format!(
                "maximumPlayerSessionCount must be within [1, {MAX_PLAYERS_PER_GAME_SESSION}], got {}",
                self.maximum_player_session_count
            )));
        }
        if self.game_properties.len() > MAX_GAME_PROPERTIES {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_GAME_PROPERTIES} game properties"
            )));
        }
        for GameProperty { key, value } in &self.game_properties {
            check_text("game property key", key, 1, MAX_GAME_PROPERTY_KEY_BYTES)?;
            check_text(
                "game property value",
                value,
                0,
                MAX_GAME_PROPERTY_VALUE_BYTES,
            )?;
        }
        check_text(
            "gameSessionData",
            &self.game_session_data,
            0,
            MAX_GAME_SESSION_DATA_BYTES,
        )?;
        check_text(
            "matchmakerData",
            &self.matchmaker_data,
            0,
            MAX_MATCHMAKER_DATA_BYTES,
        )?;
        check_text("creatorId", &self.creator_id, 0, MAX_CREATOR_ID_BYTES)
    }
}

/// Where players reach a game server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// The IP address.
    pub ip_address: String,
    /// The DNS name.
    pub dns_name: String,
    /// The port.
    pub port: u16,
}

/// A game session hosted by a game server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct GameSession {
    /// Unique id.
    pub game_session_id: String,
    /// Descriptive name.
    pub name: String,
    /// The hosting fleet.
    pub fleet_id: String,
    /// The hosting game server.
    pub game_server_name: String,
    /// How many player sessions may be held at once.
    pub maximum_player_session_count: u32,
    /// Status.
    pub status: GameSessionStatus,
    /// Why the status was reached, when the host knows.
    pub status_reason: Option<String>,
    /// Game properties.
    pub game_properties: Vec<GameProperty>,
    /// Free-form data.
    pub game_session_data: String,
    /// Matchmaker data.
    pub matchmaker_data: String,
    /// Whether new player sessions are accepted.
    pub player_session_creation_policy: CreationPolicy,
    /// Where players connect.
    #[serde(flatten)]
    pub endpoint: Endpoint,
    /// Creation time.
    pub creation_time: Timestamp,
    /// When it ended.
    pub termination_time: Option<Timestamp>,
    /// The running match backfill, if any.
    pub backfill: Option<Backfill>,
    /// Who asked for it, if said.
    #[serde(default)]
    pub creator_id: String,
}

impl GameSession {
    /// Ends the game session with `status` and a reason, unless it has ended.
    pub fn end(&mut self, status: GameSessionStatus, reason: &str, now: Timestamp) -> bool {
        if self.status.is_ended() {
            return false;
        }
        self.status = status;
        self.status_reason = Some(reason.to_owned());
        self.termination_time = Some(now);
        self.backfill = None;
        true
    }
}

/// Checks that `value` is `min..=max` bytes long, naming `field`.
pub fn check_text(field: &str, value: &str, min: usize, max: usize) -> Result<()> {
    if value.len() < min || value.len() > max {
        return Err(Error::invalid_argument(format!(
            "{field} must be {min} to {max} bytes, got {}",
            value.len()
        )));
    }
    Ok(())
}

/// Status reasons the host gives game sessions.
pub mod reasons {
    /// The guest did not activate the game session in time.
    pub const ACTIVATION_TIMEOUT: &str = "ACTIVATION_TIMEOUT";
    /// The guest called `terminate-game-session`.
    pub const TERMINATED_BY_GAME_MODE: &str = "TERMINATED_BY_GAME_MODE";
    /// The process ended (`process-ending` or `shutdown`).
    pub const PROCESS_ENDED: &str = "PROCESS_ENDED";
    /// The termination grace period ran out.
    pub const FORCE_TERMINATED: &str = "FORCE_TERMINATED";
    /// The host asked the process to terminate.
    pub const TRIGGERED_ON_PROCESS_TERMINATE: &str = "TRIGGERED_ON_PROCESS_TERMINATE";
    /// The game server failed while hosting the game session.
    pub const GAME_SERVER_FAILED: &str = "GAME_SERVER_FAILED";
    /// The host went down while the game session ran (GameLift's
    /// INTERRUPTED); found and closed when the host restarted.
    pub const INTERRUPTED: &str = "INTERRUPTED";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn game_properties_are_key_value_objects_and_read_old_pairs() {
        let property = GameProperty::new("mode", "ctf");
        let json = serde_json::to_value(&property).unwrap();
        assert_eq!(json, serde_json::json!({"key": "mode", "value": "ctf"}));
        for text in [r#"{"key": "mode", "value": "ctf"}"#, r#"["mode", "ctf"]"#] {
            let read: GameProperty = serde_json::from_str(text).unwrap();
            assert_eq!(read, property, "{text}");
        }
        assert!(serde_json::from_str::<GameProperty>(r#"{"key": "k", "v": 1}"#).is_err());
    }
    use crate::error::ErrorCode::{self, *};

    #[test]
    fn new_game_sessions_are_bounded() {
        let ok = NewGameSession {
            maximum_player_session_count: 4,
            ..NewGameSession::default()
        };
        ok.validate().unwrap();
        type Case = (&'static str, fn(&mut NewGameSession), ErrorCode);
        let cases: Vec<Case> = vec![
            (
                "no players",
                |g| g.maximum_player_session_count = 0,
                OutOfRange,
            ),
            (
                "too many players",
                |g| g.maximum_player_session_count = 1001,
                OutOfRange,
            ),
            ("long name", |g| g.name = "n".repeat(257), InvalidArgument),
            (
                "too many properties",
                |g| {
                    g.game_properties = (0..17)
                        .map(|i| GameProperty::new(i.to_string(), ""))
                        .collect()
                },
                InvalidArgument,
            ),
            (
                "long property key",
                |g| g.game_properties = vec![GameProperty::new("k".repeat(33), "")],
                InvalidArgument,
            ),
            (
                "long property value",
                |g| g.game_properties = vec![GameProperty::new("k", "v".repeat(97))],
                InvalidArgument,
            ),
            (
                "empty property key",
                |g| g.game_properties = vec![GameProperty::new("", "v")],
                InvalidArgument,
            ),
            (
                "long data",
                |g| g.game_session_data = "d".repeat(4097),
                InvalidArgument,
            ),
        ];
        for (name, change, code) in cases {
            let mut g = ok.clone();
            change(&mut g);
            assert_eq!(g.validate().unwrap_err().code, code, "{name}");
        }
    }

    #[test]
    fn backfill_players_are_bounded() {
        let player = MatchmakingPlayer {
            player_id: "p".into(),
            ..MatchmakingPlayer::default()
        };
        validate_backfill_players(std::slice::from_ref(&player)).unwrap();
        assert_eq!(
            validate_backfill_players(&vec![player.clone(); 201])
                .unwrap_err()
                .code,
            InvalidArgument
        );
        let nameless = MatchmakingPlayer::default();
        assert_eq!(
            validate_backfill_players(&[nameless]).unwrap_err().code,
            InvalidArgument
        );
    }
}
