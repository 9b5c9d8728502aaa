//! Game sessions and player sessions through the control plane, as GameLift
//! clients call them.

use super::Daemon;
use super::error::{DaemonError, DaemonResult};
use super::game_servers::Found;
use super::sessions::{GameSessionFilter, SeatedGameSession};
use gamehost_model::{
    Clock, DescribePage, DescribeRequest, GameSession, GameSessionUpdate, NewGameSession,
    NewPlayerSession, PlayerSession,
};
use gamehost_runtime::sdk::LogLine;
use gamehost_runtime::supervisor::{CommandError, GameServerHandle};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Longest game session id a client may choose (GameLift's 48).
pub const MAX_CHOSEN_ID_BYTES: usize = 48;

/// Most player sessions created in one request (as in GameLift).
pub const MAX_PLAYER_SESSIONS_PER_REQUEST: usize = 25;

/// How a game session is terminated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TerminationMode {
    /// `on-process-terminate`, then `process-ending` or the grace period.
    #[default]
    TriggerOnProcessTerminate,
    /// End the game server at once.
    ForceTerminate,
}

/// One player session or a batch, as GameLift's CreatePlayerSession(s).
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct NewPlayerSessions {
    /// One player.
    pub player_id: Option<String>,
    /// That player's data.
    pub player_data: Option<String>,
    /// Several players (at most 25).
    pub player_ids: Option<Vec<String>>,
    /// Data by player id, for `playerIds`.
    #[serde(default)]
    pub player_data_map: BTreeMap<String, String>,
}

impl NewPlayerSessions {
    /// The seats asked for, each checked: exactly one of `playerId` and
    /// `playerIds`, at most 25 ids, data only for the ids asked.
    pub fn into_seats(self) -> DaemonResult<Vec<NewPlayerSession>> {
        let invalid = |m: String| DaemonError::Model(gamehost_model::Error::invalid_argument(m));
        let seats = match (self.player_id, self.player_ids) {
            (Some(player_id), None) => {
                if !self.player_data_map.is_empty() {
                    return Err(invalid("playerDataMap goes with playerIds".into()));
                }
                vec![NewPlayerSession {
                    player_id,
                    player_data: self.player_data.unwrap_or_default(),
                }]
            }
            (None, Some(ids)) => {
                if self.player_data.is_some() {
                    return Err(invalid("playerData goes with playerId".into()));
                }
                if ids.is_empty() || ids.len() > MAX_PLAYER_SESSIONS_PER_REQUEST {
                    return Err(invalid(format!(
                        "playerIds holds 1 to {MAX_PLAYER_SESSIONS_PER_REQUEST} ids, got {}",
                        ids.len()
                    )));
                }
                if let Some(stray) = self.player_data_map.keys().find(|k| !ids.contains(k)) {
                    return Err(invalid(format!(
                        "playerDataMap names {stray:?}, which is not in playerIds"
                    )));
                }
                let mut data = self.player_data_map;
                ids.into_iter()
                    .map(|player_id| NewPlayerSession {
                        player_data: data.remove(&player_id).unwrap_or_default(),
                        player_id,
                    })
                    .collect()
            }
            _ => return Err(invalid("give exactly one of playerId and playerIds".into())),
        };
        for seat in &seats {
            seat.validate()?;
        }
        Ok(seats)
    }
}

impl Daemon {
    /// Places a game session on a Ready game server of `fleet` that hosts
    /// none: ACTIVATING, and the guest's `on-start-game-session` runs.
    pub async fn create_game_session(
        &self,
        fleet: &str,
        new: NewGameSession,
    ) -> DaemonResult<GameSession> {
        self.place_and_persist(fleet, None, new).await
    }

    /// Places a game session under an id the client chose (GameLift's
    /// `GameSessionId` or `IdempotencyToken`), as
    /// [`Daemon::create_game_session`]; an id the host knows, or one being
    /// placed by another request now, is a conflict.
    pub async fn create_game_session_with_id(
        &self,
        fleet: &str,
        id: &str,
        new: NewGameSession,
    ) -> DaemonResult<GameSession> {
        let valid = id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if id.is_empty() || id.len() > MAX_CHOSEN_ID_BYTES || !valid {
            return Err(gamehost_model::Error::invalid_argument(format!(
                "a game session id is 1 to {MAX_CHOSEN_ID_BYTES} letters, digits and hyphens, got {id:?}"
            ))
            .into());
        }
        let conflict = || DaemonError::Conflict(format!("game session {id:?} already exists"));
        if !self
            .0
            .placing_ids
            .lock()
            .expect("lock")
            .insert(id.to_owned())
        {
            return Err(conflict());
        }
        let placed = if self.game_session(id).is_ok() {
            Err(conflict())
        } else {
            self.place_and_persist(fleet, Some(id), new).await
        };
        self.0.placing_ids.lock().expect("lock").remove(id);
        placed
    }

    async fn place_and_persist(
        &self,
        fleet: &str,
        id: Option<&str>,
        new: NewGameSession,
    ) -> DaemonResult<GameSession> {
        self.require_running()?;
        let spec = match self.fleet_spec(fleet) {
            Ok(spec) => spec,
            // Perhaps created on another host a moment ago.
            Err(_) => {
                self.catch_up().await?;
                self.fleet_spec(fleet)?
            }
        };
        let policy = spec.resource_creation_limit_policy;
        new.validate()?;
        let now = self.0.clock.now();
        let limited = policy.applies_to(&new.creator_id);
        if limited {
            self.0
                .creators
                .lock()
                .expect("lock")
                .entry(fleet.to_owned())
                .or_default()
                .admit(policy, &new.creator_id, now)?;
        }
        // Each placement claims its own idle game server, so placements run
        // side by side and share the store's commits.
        let placed = match self.place(fleet, id, &new).await {
            Ok((handle, placed)) => {
                self.persist(&handle).await?;
                placed.map_err(DaemonError::from)
            }
            Err(e) => Err(e),
        };
        match placed {
            Ok(session) => {
                self.0.metrics.game_session_created();
                Ok(session)
            }
            Err(e) => {
                // Not created: the creator's count is given back.
                if limited
                    && let Some(limits) = self.0.creators.lock().expect("lock").get_mut(fleet)
                {
                    limits.release(&new.creator_id, now);
                }
                Err(e)
            }
        }
    }

    /// Starts a game session on the oldest idle game server that takes it;
    /// returns that game server with the outcome.
    async fn place(
        &self,
        fleet: &str,
        id: Option<&str>,
        new: &NewGameSession,
    ) -> DaemonResult<(GameServerHandle, Result<GameSession, CommandError>)> {
        let mut tried = Vec::new();
        let outcome = loop {
            let claimed = self.0.game_servers.write().expect("lock").claim(fleet);
            let Some(handle) = claimed else {
                break Err(DaemonError::NoCapacity(format!(
                    "fleet {fleet:?} has no Ready game server without a game session"
                )));
            };
            let id = id.map_or_else(
                || format!("gsess-{}", uuid::Uuid::new_v4().simple()),
                str::to_owned,
            );
            match handle.start_game_session(id, new.clone()).await {
                // Its state changed since it was last seen: try another.
                Err(CommandError::Rejected(_) | CommandError::Ended(_)) => tried.push(handle),
                placed => {
                    tried.push(handle.clone());
                    break Ok((handle, placed));
                }
            }
        };
        let mut servers = self.0.game_servers.write().expect("lock");
        for handle in &tried {
            servers.release(handle);
        }
        outcome
    }

    /// One game session.
    pub fn game_session(&self, id: &str) -> DaemonResult<GameSession> {
        self.0
            .sessions
            .read()
            .expect("lock")
            .get(id)
            .map(|s| s.game_session.clone())
            .ok_or_else(|| DaemonError::not_found("game session", id))
    }

    /// One game session with the slots its player sessions hold.
    pub fn seated_game_session(&self, id: &str) -> DaemonResult<SeatedGameSession> {
        self.0
            .sessions
            .read()
            .expect("lock")
            .seated(id)
            .ok_or_else(|| DaemonError::not_found("game session", id))
    }

    /// Game sessions matching `filter`, oldest first, with the slots their
    /// player sessions hold.
    pub fn seated_game_sessions(&self, filter: &GameSessionFilter) -> Vec<SeatedGameSession> {
        self.0.sessions.read().expect("lock").list_seated(filter)
    }

    /// The running game server hosting a game session in progress.
    fn session_host(&self, id: &str) -> DaemonResult<GameServerHandle> {
        let session = self.game_session(id)?;
        if session.status.is_ended() {
            return Err(gamehost_model::Error::failed_precondition(format!(
                "game session {id:?} is {:?}",
                session.status
            ))
            .into());
        }
        self.handle(&session.game_server_name)
    }

    /// The running game server a player reaches with player session `id`;
    /// when the player names its game session, the player session must be
    /// one of that game session's.
    pub fn player_session_host(
        &self,
        id: &str,
        game_session_id: Option<&str>,
    ) -> DaemonResult<GameServerHandle> {
        let seat_game_session = self
            .0
            .sessions
            .read()
            .expect("lock")
            .seat(id)
            .map(|seat| seat.game_session_id.clone())
            .ok_or_else(|| DaemonError::not_found("player session", id))?;
        if let Some(wanted) = game_session_id
            && seat_game_session != wanted
        {
            return Err(gamehost_model::Error::failed_precondition(format!(
                "player session {id:?} is not one of game session {wanted:?}"
            ))
            .into());
        }
        self.session_host(&seat_game_session)
    }

    /// Updates a game session in progress; the guest's
    /// `on-update-game-session` runs.
    pub async fn update_game_session(
        &self,
        id: &str,
        update: GameSessionUpdate,
    ) -> DaemonResult<GameSession> {
        let handle = self.session_host(id)?;
        let session = handle.update_game_session(update).await?;
        self.persist(&handle).await?;
        Ok(session)
    }

    /// Terminates a game session by ending its game server, gracefully or
    /// at once.
    pub async fn terminate_game_session(
        &self,
        id: &str,
        mode: TerminationMode,
    ) -> DaemonResult<GameSession> {
        let handle = self.session_host(id)?;
        match mode {
            TerminationMode::TriggerOnProcessTerminate => {
                handle.request_termination().await?;
            }
            TerminationMode::ForceTerminate => {
                handle.stop("the game session was force-terminated").await?;
            }
        }
        self.persist(&handle).await?;
        self.game_session(id)
    }

    /// Reserves player sessions in an ACTIVE game session.
    pub async fn create_player_sessions(
        &self,
        game_session_id: &str,
        new: NewPlayerSessions,
    ) -> DaemonResult<Vec<PlayerSession>> {
        let seats = new.into_seats()?;
        let handle = self.session_host(game_session_id)?;
        let seats = seats
            .into_iter()
            .map(|seat| (format!("psess-{}", uuid::Uuid::new_v4().simple()), seat))
            .collect();
        let created = handle.create_player_sessions(seats).await?;
        self.persist(&handle).await?;
        Ok(created)
    }

    /// Describes player sessions across every game session the host knows.
    pub fn describe_player_sessions(
        &self,
        request: &DescribeRequest,
    ) -> DaemonResult<DescribePage> {
        Ok(self.0.sessions.read().expect("lock").describe(request)?)
    }

    /// What guests logged during a game session: kept after it ends.
    pub async fn game_session_logs(&self, id: &str) -> DaemonResult<Vec<LogLine>> {
        let session = self.game_session(id)?;
        if session.status.is_ended() {
            let stored = self.stored_log(id).await?;
            if !stored.is_empty() {
                return Ok(stored);
            }
        }
        let found = self
            .0
            .game_servers
            .read()
            .expect("lock")
            .find(&session.game_server_name);
        Ok(match found {
            Some(Found::Running(handle)) => handle.log().session_lines(id),
            _ => Vec::new(),
        })
    }
}
