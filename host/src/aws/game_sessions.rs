//! GameLift's game-session and player-session operations over the daemon.

use super::error::{AwsError, Doing};
use super::paging::{count, page, page_size};
use super::search::{parse_filter, parse_sort};
use super::shapes::{GameProperty, GameSession, GameSessionDetail, PlayerSessionShape};
use gamehost_daemon::{
    Daemon, DaemonError, GameSessionFilter, NewPlayerSessions, SeatedGameSession, TerminationMode,
};
use gamehost_model::{
    CreationPolicy, DescribeRequest, GameSessionStatus, GameSessionUpdate, NewGameSession,
    PlayerSessionStatus, UpdateReason,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The name of the fleet `FleetId` or `AliasId` names (exactly one).
pub fn resolve_fleet(
    daemon: &Daemon,
    fleet_id: Option<&str>,
    alias_id: Option<&str>,
) -> Result<String, AwsError> {
    let id = match (fleet_id, alias_id) {
        (Some(id), None) | (None, Some(id)) => id,
        _ => return Err(AwsError::invalid("give exactly one of FleetId and AliasId")),
    };
    let name = super::shapes::fleet_name(id, |name| daemon.fleet(name).is_ok());
    daemon
        .fleet(&name)
        .map(|_| name)
        .map_err(|_| AwsError::not_found(format!("fleet {id:?} does not exist")))
}

/// Refuses a `Location`: a Gamehost fleet has one, its host's.
fn no_location(location: Option<&str>) -> Result<(), AwsError> {
    match location {
        None => Ok(()),
        Some(location) => Err(AwsError::invalid(format!(
            "Location {location:?}: a Gamehost fleet has one location, its host's; leave Location out"
        ))),
    }
}

fn seated(daemon: &Daemon, id: &str) -> Result<SeatedGameSession, AwsError> {
    daemon
        .seated_game_session(id)
        .map_err(|e| AwsError::from_daemon(e, Doing::Other))
}

/// `CreateGameSession`'s input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct CreateGameSessionInput {
    fleet_id: Option<String>,
    alias_id: Option<String>,
    maximum_player_session_count: Option<i64>,
    name: Option<String>,
    game_properties: Vec<GameProperty>,
    creator_id: Option<String>,
    game_session_id: Option<String>,
    idempotency_token: Option<String>,
    game_session_data: Option<String>,
    location: Option<String>,
}

/// An answer holding one game session.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GameSessionOutput {
    game_session: GameSession,
}

/// Places a game session on an idle Ready game server of the fleet. With an
/// idempotency token (or a game session id), the token is the game
/// session's id and a repeated request gets the same game session back.
pub async fn create(
    daemon: &Daemon,
    input: CreateGameSessionInput,
) -> Result<GameSessionOutput, AwsError> {
    let fleet = resolve_fleet(daemon, input.fleet_id.as_deref(), input.alias_id.as_deref())?;
    no_location(input.location.as_deref())?;
    let maximum = count(
        input.maximum_player_session_count,
        "MaximumPlayerSessionCount",
    )?
    .ok_or_else(|| AwsError::invalid("MaximumPlayerSessionCount is required"))?;
    let new = NewGameSession {
        name: input.name.unwrap_or_default(),
        maximum_player_session_count: maximum,
        game_properties: input
            .game_properties
            .into_iter()
            .map(|p| gamehost_model::GameProperty::new(p.key, p.value))
            .collect(),
        game_session_data: input.game_session_data.unwrap_or_default(),
        matchmaker_data: String::new(),
        creator_id: input.creator_id.unwrap_or_default(),
    };
    let placed = match input.idempotency_token.or(input.game_session_id) {
        None => daemon.create_game_session(&fleet, new).await,
        Some(token) => return create_once(daemon, &fleet, &token, new).await,
    };
    let session = placed.map_err(|e| AwsError::from_daemon(e, Doing::Placing))?;
    Ok(GameSessionOutput {
        game_session: seated(daemon, &session.game_session_id)?.into(),
    })
}

/// Places the game session `token` unless it exists: then it is answered
/// as it is now, when it is of the same fleet.
async fn create_once(
    daemon: &Daemon,
    fleet: &str,
    token: &str,
    new: NewGameSession,
) -> Result<GameSessionOutput, AwsError> {
    let existing = || -> Option<Result<GameSessionOutput, AwsError>> {
        let session = daemon.seated_game_session(token).ok()?;
        Some(if session.game_session.fleet_id == fleet {
            Ok(GameSessionOutput {
                game_session: session.into(),
            })
        } else {
            Err(AwsError::idempotency_mismatch(format!(
                "the idempotency token {token:?} was used for a game session of fleet {:?}",
                session.game_session.fleet_id
            )))
        })
    };
    if let Some(answer) = existing() {
        return answer;
    }
    match daemon.create_game_session_with_id(fleet, token, new).await {
        Ok(session) => Ok(GameSessionOutput {
            game_session: seated(daemon, &session.game_session_id)?.into(),
        }),
        Err(DaemonError::Conflict(message)) => existing().unwrap_or_else(|| {
            Err(AwsError::from_daemon(
                DaemonError::Conflict(format!(
                    "{message}: a request with the same token is placing it; retry"
                )),
                Doing::Placing,
            ))
        }),
        Err(e) => Err(AwsError::from_daemon(e, Doing::Placing)),
    }
}

/// The input of `DescribeGameSessions` and `DescribeGameSessionDetails`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribeGameSessionsInput {
    fleet_id: Option<String>,
    game_session_id: Option<String>,
    alias_id: Option<String>,
    location: Option<String>,
    status_filter: Option<String>,
    limit: Option<i64>,
    next_token: Option<String>,
}

/// A page of game sessions.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeGameSessionsOutput {
    game_sessions: Vec<GameSession>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// A page of game sessions with their protection.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribeGameSessionDetailsOutput {
    game_session_details: Vec<GameSessionDetail>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// A game session's place in creation order, as a page token.
pub fn creation_key(session: &SeatedGameSession) -> String {
    let s = &session.game_session;
    format!(
        "{:020}.{}",
        s.creation_time.as_millis().max(0),
        s.game_session_id
    )
}

/// A status as GameLift writes it.
pub fn parse_status(status: &str) -> Result<GameSessionStatus, AwsError> {
    serde_json::from_value(serde_json::Value::String(status.to_owned())).map_err(|_| {
        AwsError::invalid(format!(
            "StatusFilter {status:?} is not one of ACTIVATING, ACTIVE, TERMINATING, TERMINATED, ERROR"
        ))
    })
}

/// The game sessions `input` selects, and the page token after the last.
/// The cluster's game sessions matching `filter`.
async fn cluster_sessions(
    daemon: &Daemon,
    filter: &GameSessionFilter,
) -> Result<Vec<SeatedGameSession>, AwsError> {
    daemon
        .cluster_game_sessions(filter)
        .await
        .map_err(|e| AwsError::from_daemon(e, Doing::Other))
}

/// A game session by id: this host's, or (in a cluster) another's as it
/// last stored it.
async fn seated_anywhere(daemon: &Daemon, id: &str) -> Result<SeatedGameSession, AwsError> {
    match seated(daemon, id) {
        Err(missing) if daemon.in_cluster() => {
            let everywhere = cluster_sessions(daemon, &GameSessionFilter::default()).await?;
            everywhere
                .into_iter()
                .find(|s| s.game_session.game_session_id == id)
                .ok_or(missing)
        }
        here => here,
    }
}

async fn describe_page(
    daemon: &Daemon,
    input: DescribeGameSessionsInput,
) -> Result<(Vec<SeatedGameSession>, Option<String>), AwsError> {
    no_location(input.location.as_deref())?;
    if let Some(id) = &input.game_session_id {
        return Ok((vec![seated_anywhere(daemon, id).await?], None));
    }
    let fleet = resolve_fleet(daemon, input.fleet_id.as_deref(), input.alias_id.as_deref())?;
    let filter = GameSessionFilter {
        fleet: Some(fleet),
        status: input
            .status_filter
            .as_deref()
            .map(parse_status)
            .transpose()?,
    };
    let sessions = cluster_sessions(daemon, &filter).await?;
    let page = page(
        sessions,
        creation_key,
        input.limit,
        input.next_token.as_deref(),
    )?;
    Ok((page.items, page.next_token))
}

/// Game sessions of a fleet, or one by id, oldest first: in a cluster,
/// every host's.
pub async fn describe(
    daemon: &Daemon,
    input: DescribeGameSessionsInput,
) -> Result<DescribeGameSessionsOutput, AwsError> {
    let (sessions, next_token) = describe_page(daemon, input).await?;
    Ok(DescribeGameSessionsOutput {
        game_sessions: sessions.into_iter().map(Into::into).collect(),
        next_token,
    })
}

/// As [`describe`], with each game session's protection.
pub async fn describe_details(
    daemon: &Daemon,
    input: DescribeGameSessionsInput,
) -> Result<DescribeGameSessionDetailsOutput, AwsError> {
    let (sessions, next_token) = describe_page(daemon, input).await?;
    Ok(DescribeGameSessionDetailsOutput {
        game_session_details: sessions.into_iter().map(Into::into).collect(),
        next_token,
    })
}

/// The most game sessions one page of a search holds (as in GameLift).
pub const MAX_SEARCH_PAGE: usize = 20;

/// `SearchGameSessions`' input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct SearchGameSessionsInput {
    fleet_id: Option<String>,
    alias_id: Option<String>,
    location: Option<String>,
    filter_expression: Option<String>,
    sort_expression: Option<String>,
    limit: Option<i64>,
    next_token: Option<String>,
}

/// The ACTIVE game sessions of a fleet that match the filter expression, in
/// the order of the sort expression (creation order without one), 20 at
/// most a page; in a cluster, every host's.
pub async fn search(
    daemon: &Daemon,
    input: SearchGameSessionsInput,
) -> Result<DescribeGameSessionsOutput, AwsError> {
    no_location(input.location.as_deref())?;
    let fleet = resolve_fleet(daemon, input.fleet_id.as_deref(), input.alias_id.as_deref())?;
    let invalid = |e: super::search::ExpressionError| AwsError::invalid(e.to_string());
    let filter = input
        .filter_expression
        .as_deref()
        .map(parse_filter)
        .transpose()
        .map_err(invalid)?;
    let sort = input
        .sort_expression
        .as_deref()
        .map(parse_sort)
        .transpose()
        .map_err(invalid)?;
    let size = page_size(input.limit, MAX_SEARCH_PAGE)?;
    let start = match input.next_token.as_deref() {
        None => 0,
        Some(token) => token.parse::<usize>().map_err(|_| {
            AwsError::invalid(format!("NextToken {token:?} is not one this host gave"))
        })?,
    };
    let active = GameSessionFilter {
        fleet: Some(fleet),
        status: Some(GameSessionStatus::Active),
    };
    let mut found: Vec<SeatedGameSession> = cluster_sessions(daemon, &active)
        .await?
        .into_iter()
        .filter(|s| filter.as_ref().is_none_or(|f| f.matches(s)))
        .collect();
    if let Some(sort) = sort {
        sort.apply(&mut found);
    }
    let end = start.saturating_add(size).min(found.len());
    let next_token = (end < found.len()).then(|| end.to_string());
    Ok(DescribeGameSessionsOutput {
        game_sessions: found
            .into_iter()
            .skip(start)
            .take(end.saturating_sub(start))
            .map(Into::into)
            .collect(),
        next_token,
    })
}

/// `GetGameSessionLogUrl`'s input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct LogUrlInput {
    game_session_id: String,
}

/// Where a game session's log can be fetched.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct LogUrlOutput {
    pre_signed_url: String,
}

/// A link on this host (`base`) to a game session's log, which needs no
/// token for 15 minutes when signed with the host's `secret`.
pub fn log_url(
    daemon: &Daemon,
    input: LogUrlInput,
    base: &str,
    secret: Option<&[u8]>,
) -> Result<LogUrlOutput, AwsError> {
    let session = seated(daemon, &input.game_session_id)?;
    let link = crate::signing::log_link(
        secret,
        &session.game_session.game_session_id,
        std::time::SystemTime::now(),
    );
    Ok(LogUrlOutput {
        pre_signed_url: format!("{base}{link}"),
    })
}

/// `UpdateGameSession`'s input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct UpdateGameSessionInput {
    game_session_id: String,
    maximum_player_session_count: Option<i64>,
    name: Option<String>,
    player_session_creation_policy: Option<CreationPolicy>,
    protection_policy: Option<String>,
    game_properties: Option<Vec<GameProperty>>,
}

/// Changes a game session's player limit, name or creation policy; the
/// guest's `on-update-game-session` runs.
pub async fn update(
    daemon: &Daemon,
    input: UpdateGameSessionInput,
) -> Result<GameSessionOutput, AwsError> {
    if input.game_properties.is_some() {
        return Err(AwsError::invalid(
            "GameProperties: Gamehost sets a game session's properties when it is created only",
        ));
    }
    if let Some(policy) = input
        .protection_policy
        .as_deref()
        .filter(|p| !["NoProtection", "FullProtection"].contains(p))
    {
        return Err(AwsError::invalid(format!(
            "ProtectionPolicy {policy:?} is not NoProtection or FullProtection"
        )));
    }
    let update = GameSessionUpdate {
        matchmaker_data: None,
        maximum_player_session_count: count(
            input.maximum_player_session_count,
            "MaximumPlayerSessionCount",
        )?,
        name: input.name,
        player_session_creation_policy: input.player_session_creation_policy,
        update_reason: UpdateReason::Unknown,
        backfill_ticket_id: None,
    };
    daemon
        .update_game_session(&input.game_session_id, update)
        .await
        .map_err(|e| AwsError::from_daemon(e, Doing::Other))?;
    Ok(GameSessionOutput {
        game_session: seated(daemon, &input.game_session_id)?.into(),
    })
}

/// `TerminateGameSession`'s input.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TerminateGameSessionInput {
    game_session_id: String,
    termination_mode: TerminationMode,
}

/// Ends a game session: through the guest's `on-process-terminate`, or at
/// once.
pub async fn terminate(
    daemon: &Daemon,
    input: TerminateGameSessionInput,
) -> Result<GameSessionOutput, AwsError> {
    daemon
        .terminate_game_session(&input.game_session_id, input.termination_mode)
        .await
        .map_err(|e| AwsError::from_daemon(e, Doing::Other))?;
    Ok(GameSessionOutput {
        game_session: seated(daemon, &input.game_session_id)?.into(),
    })
}

/// `CreatePlayerSession`'s and `CreatePlayerSessions`' input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct CreatePlayerSessionsInput {
    game_session_id: String,
    player_id: Option<String>,
    player_data: Option<String>,
    player_ids: Option<Vec<String>>,
    player_data_map: BTreeMap<String, String>,
}

/// One reserved player session.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlayerSessionOutput {
    player_session: PlayerSessionShape,
}

/// Reserved player sessions, in the order asked.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PlayerSessionsOutput {
    player_sessions: Vec<PlayerSessionShape>,
}

async fn seat(
    daemon: &Daemon,
    input: CreatePlayerSessionsInput,
) -> Result<Vec<PlayerSessionShape>, AwsError> {
    let new = NewPlayerSessions {
        player_id: input.player_id,
        player_data: input.player_data,
        player_ids: input.player_ids,
        player_data_map: input.player_data_map,
    };
    let created = daemon
        .create_player_sessions(&input.game_session_id, new)
        .await
        .map_err(|e| AwsError::from_daemon(e, Doing::Seating))?;
    Ok(created.into_iter().map(Into::into).collect())
}

/// Reserves a slot for one player.
pub async fn create_player_session(
    daemon: &Daemon,
    input: CreatePlayerSessionsInput,
) -> Result<PlayerSessionOutput, AwsError> {
    if input.player_id.is_none() || input.player_ids.is_some() {
        return Err(AwsError::invalid("CreatePlayerSession takes one PlayerId"));
    }
    let mut seats = seat(daemon, input).await?;
    let player_session = seats
        .pop()
        .ok_or_else(|| AwsError::internal(&"no player session was created"))?;
    Ok(PlayerSessionOutput { player_session })
}

/// Reserves slots for up to 25 players, all or none.
pub async fn create_player_sessions(
    daemon: &Daemon,
    input: CreatePlayerSessionsInput,
) -> Result<PlayerSessionsOutput, AwsError> {
    if input.player_ids.is_none() || input.player_id.is_some() {
        return Err(AwsError::invalid("CreatePlayerSessions takes PlayerIds"));
    }
    Ok(PlayerSessionsOutput {
        player_sessions: seat(daemon, input).await?,
    })
}

/// `DescribePlayerSessions`' input.
#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
pub struct DescribePlayerSessionsInput {
    game_session_id: Option<String>,
    player_id: Option<String>,
    player_session_id: Option<String>,
    player_session_status_filter: Option<String>,
    limit: Option<i64>,
    next_token: Option<String>,
}

/// A page of player sessions.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct DescribePlayerSessionsOutput {
    player_sessions: Vec<PlayerSessionShape>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_token: Option<String>,
}

/// Player sessions of a game session, of a player, or one by id.
pub fn describe_player_sessions(
    daemon: &Daemon,
    input: DescribePlayerSessionsInput,
) -> Result<DescribePlayerSessionsOutput, AwsError> {
    let status = input
        .player_session_status_filter
        .map(|s| {
            serde_json::from_value::<PlayerSessionStatus>(serde_json::Value::String(s.clone()))
                .map_err(|_| {
                    AwsError::invalid(format!(
                        "PlayerSessionStatusFilter {s:?} is not one of RESERVED, ACTIVE, COMPLETED, TIMEDOUT"
                    ))
                })
        })
        .transpose()?;
    let limit = count(input.limit, "Limit")?;
    let request = DescribeRequest {
        game_session_id: input.game_session_id,
        player_session_id: input.player_session_id,
        player_id: input.player_id,
        player_session_status_filter: status,
        limit,
        next_token: input.next_token,
    };
    let page = daemon
        .describe_player_sessions(&request)
        .map_err(|e| AwsError::from_daemon(e, Doing::Other))?;
    Ok(DescribePlayerSessionsOutput {
        player_sessions: page.player_sessions.into_iter().map(Into::into).collect(),
        next_token: page.next_token,
    })
}
