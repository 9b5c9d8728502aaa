//! The GameLift side of a game server: the process, its game session and the
//! session's player sessions, as the guest and the control plane see them.

use super::clock::Timestamp;
use super::ending::EndKind;
use super::error::{Error, Result};
use super::game_server::GameServer;
use super::game_session::{
    Backfill, CreationPolicy, GameSession, GameSessionStatus, MatchmakingPlayer, NewGameSession,
    UpdateReason, check_text, reasons, validate_backfill_players,
};
use super::limits::MAX_ID_BYTES;
use super::player_sessions::{
    DescribePage, DescribeRequest, NewPlayerSession, PlayerSession, SessionContext,
};
use super::spec::RoleCredentials;
use super::state::GameServerState;
use serde::{Deserialize, Serialize};

/// What `init-sdk` returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerParameters {
    /// The game server's name.
    pub process_id: String,
    /// The host's id.
    pub host_id: String,
    /// The fleet's id.
    pub fleet_id: String,
}

/// A change to a game session from the control plane or a matchmaker.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GameSessionUpdate {
    /// New matchmaker data.
    #[serde(default)]
    pub matchmaker_data: Option<String>,
    /// A new player limit (not below the slots held).
    #[serde(default)]
    pub maximum_player_session_count: Option<u32>,
    /// A new name.
    #[serde(default)]
    pub name: Option<String>,
    /// A new creation policy.
    #[serde(default)]
    pub player_session_creation_policy: Option<CreationPolicy>,
    /// Why; a backfill outcome ends the running backfill with that ticket.
    /// Optional (UNKNOWN when absent): a change of name, player limit or
    /// creation policy needs none.
    #[serde(default)]
    pub update_reason: UpdateReason,
    /// The backfill ticket this update answers.
    #[serde(default)]
    pub backfill_ticket_id: Option<String>,
}

impl GameServer {
    fn require_initialized(&self) -> Result<()> {
        if !self.process.initialized {
            return Err(Error::not_initialized(
                "call init-sdk before the GameLift functions",
            ));
        }
        Ok(())
    }

    fn session_in_progress(&mut self) -> Result<&mut GameSession> {
        match self.session.as_mut() {
            Some(session) if !session.status.is_ended() => Ok(session),
            _ => Err(Error::failed_precondition(
                "there is no game session in progress",
            )),
        }
    }

    // Process (guest side).

    /// `init-sdk`.
    pub fn init_sdk(&mut self) -> ServerParameters {
        self.process.initialized = true;
        ServerParameters {
            process_id: self.identity.name.clone(),
            host_id: self.identity.host_id.clone(),
            fleet_id: self.identity.fleet.clone(),
        }
    }

    /// `process-ready`: once per process; the game server becomes Ready.
    pub fn process_ready(&mut self, port: u16) -> Result<()> {
        self.require_initialized()?;
        if self.process.ready_declared {
            return Err(Error::failed_precondition(
                "process-ready may be called once per process",
            ));
        }
        self.ready()?;
        self.process.ready_declared = true;
        if port != 0 {
            self.process.port = port;
        }
        Ok(())
    }

    /// `process-ending`: the game session ends and the game server becomes
    /// Shutdown.
    pub fn process_ending(&mut self) -> Result<()> {
        self.require_initialized()?;
        self.require_running()?;
        self.finish(
            EndKind::ProcessEnding,
            "the game mode called process-ending",
        );
        Ok(())
    }

    /// `get-termination-time`.
    pub fn termination_time(&self) -> Result<Timestamp> {
        self.require_initialized()?;
        self.process
            .termination_time
            .ok_or_else(|| Error::failed_precondition("no termination is scheduled"))
    }

    /// `get-compute-certificate`: the host name.
    pub fn compute_host_name(&self) -> Result<&str> {
        self.require_initialized()?;
        Ok(&self.identity.host_id)
    }

    /// `get-fleet-role-credentials`.
    pub fn fleet_role_credentials(&self, role_arn: &str) -> Result<&RoleCredentials> {
        self.require_initialized()?;
        self.spec.role_credentials.get(role_arn).ok_or_else(|| {
            Error::not_found(format!(
                "the fleet has no credentials for role {role_arn:?}"
            ))
        })
    }

    /// `destroy`.
    pub fn destroy(&mut self) -> Result<()> {
        self.require_initialized()?;
        self.process.initialized = false;
        Ok(())
    }

    // Sessions (guest side).

    /// `activate-game-session`: ACTIVATING → ACTIVE.
    pub fn activate_game_session(&mut self) -> Result<()> {
        self.require_initialized()?;
        let session = self.session_in_progress()?;
        if session.status != GameSessionStatus::Activating {
            return Err(Error::failed_precondition(format!(
                "game session {:?} is {:?}, not ACTIVATING",
                session.game_session_id, session.status
            )));
        }
        session.status = GameSessionStatus::Active;
        self.activation_deadline = None;
        self.touch();
        Ok(())
    }

    /// `terminate-game-session`: the game session ends and the game server
    /// is idle again, as reference/002 has it (no game session, no
    /// players): an Allocated one returns to Ready, so it can host the next
    /// game session without another call.
    pub fn terminate_game_session(&mut self) -> Result<()> {
        self.require_initialized()?;
        self.session_in_progress()?;
        self.end_game_session(
            GameSessionStatus::Terminated,
            reasons::TERMINATED_BY_GAME_MODE,
        );
        if self.state == GameServerState::Allocated {
            self.state = GameServerState::Ready;
            self.touch();
        }
        Ok(())
    }

    /// `get-game-session-id`: empty when idle.
    pub fn game_session_id(&self) -> Result<String> {
        self.require_initialized()?;
        Ok(match &self.session {
            Some(session) if !session.status.is_ended() => session.game_session_id.clone(),
            _ => String::new(),
        })
    }

    /// `update-player-session-creation-policy`.
    pub fn set_creation_policy(&mut self, policy: CreationPolicy) -> Result<()> {
        self.require_initialized()?;
        self.session_in_progress()?.player_session_creation_policy = policy;
        self.touch();
        Ok(())
    }

    /// `accept-player-session`: RESERVED → ACTIVE.
    pub fn accept_player_session(&mut self, id: &str) -> Result<()> {
        self.require_initialized()?;
        self.session_in_progress()?;
        self.player_sessions.expire_one(id, self.clock.now());
        self.player_sessions.accept(id)?;
        self.touch();
        Ok(())
    }

    /// `remove-player-session`: RESERVED or ACTIVE → COMPLETED.
    pub fn remove_player_session(&mut self, id: &str) -> Result<()> {
        self.require_initialized()?;
        let now = self.clock.now();
        self.player_sessions.expire_one(id, now);
        self.player_sessions.remove(id, now)?;
        self.touch();
        Ok(())
    }

    /// `describe-player-sessions`, limited to this game server's game session.
    pub fn describe_player_sessions(&mut self, request: &DescribeRequest) -> Result<DescribePage> {
        self.require_initialized()?;
        self.describe(request)
    }

    /// The status of player session `id` after applying timeouts due now.
    pub fn player_session_status(
        &mut self,
        id: &str,
    ) -> Option<super::player_sessions::PlayerSessionStatus> {
        let (status, expired) = self.player_sessions.status_at(id, self.clock.now())?;
        if expired {
            self.touch();
        }
        Some(status)
    }

    /// Describes player sessions for the control plane (no `init-sdk` needed).
    pub fn describe(&mut self, request: &DescribeRequest) -> Result<DescribePage> {
        if let Some(id) = &request.game_session_id {
            let ours = self
                .session
                .as_ref()
                .is_some_and(|s| &s.game_session_id == id);
            if !ours {
                return Err(Error::not_found(format!(
                    "game session {id:?} is not this game server's"
                )));
            }
        }
        if self.player_sessions.expire(self.clock.now()) > 0 {
            self.touch();
        }
        self.player_sessions.describe(request)
    }

    /// `start-match-backfill`: records the request and returns its ticket.
    pub fn start_match_backfill(
        &mut self,
        ticket_id: Option<String>,
        configuration_arn: String,
        game_session_arn: &str,
        players: Vec<MatchmakingPlayer>,
    ) -> Result<String> {
        self.require_initialized()?;
        check_text(
            "matchmakingConfigurationArn",
            &configuration_arn,
            1,
            MAX_ID_BYTES,
        )?;
        if let Some(ticket) = &ticket_id {
            check_text("ticketId", ticket, 1, MAX_ID_BYTES)?;
        }
        validate_backfill_players(&players)?;
        let now = self.clock.now();
        let sequence = self.process.backfill_tickets + 1;
        let session = self.session_in_progress()?;
        if session.game_session_id != game_session_arn {
            return Err(Error::not_found(format!(
                "game session {game_session_arn:?} is not this game server's"
            )));
        }
        if session.status != GameSessionStatus::Active {
            return Err(Error::failed_precondition("the game session is not ACTIVE"));
        }
        if let Some(running) = &session.backfill {
            return Err(Error::failed_precondition(format!(
                "backfill {:?} is running; stop it first",
                running.ticket_id
            )));
        }
        let ticket_id =
            ticket_id.unwrap_or_else(|| format!("{}-backfill-{sequence}", session.game_session_id));
        session.backfill = Some(Backfill {
            ticket_id: ticket_id.clone(),
            matchmaking_configuration_arn: configuration_arn,
            players,
            requested_at: now,
        });
        self.process.backfill_tickets = sequence;
        self.touch();
        Ok(ticket_id)
    }

    /// `stop-match-backfill`.
    pub fn stop_match_backfill(&mut self, ticket_id: &str) -> Result<()> {
        self.require_initialized()?;
        let session = self.session_in_progress()?;
        if session
            .backfill
            .as_ref()
            .is_none_or(|b| b.ticket_id != ticket_id)
        {
            return Err(Error::not_found(format!(
                "backfill {ticket_id:?} is not running"
            )));
        }
        session.backfill = None;
        self.touch();
        Ok(())
    }

    // Sessions (control-plane side).

    /// Places a new game session (ACTIVATING) on a Ready game server that
    /// hosts none in progress, which becomes Allocated; the caller then calls `on-start-game-session`.
    pub fn start_game_session(
        &mut self,
        game_session_id: String,
        new: NewGameSession,
    ) -> Result<GameSession> {
        new.validate()?;
        check_text("gameSessionId", &game_session_id, 1, MAX_ID_BYTES)?;
        if self.state != GameServerState::Ready {
            return Err(Error::failed_precondition(format!(
                "a game session needs a Ready game server; this one is {}",
                self.state
            )));
        }
        if let Some(current) = self.session.as_ref().filter(|s| !s.status.is_ended()) {
            return Err(Error::failed_precondition(format!(
                "the game server already hosts game session {:?}",
                current.game_session_id
            )));
        }
        let now = self.clock.now();
        let mut endpoint = self.identity.endpoint.clone();
        endpoint.port = self.process.port;
        let session = GameSession {
            game_session_id,
            name: new.name,
            fleet_id: self.identity.fleet.clone(),
            game_server_name: self.identity.name.clone(),
            maximum_player_session_count: new.maximum_player_session_count,
            status: GameSessionStatus::Activating,
            status_reason: None,
            game_properties: new.game_properties,
            game_session_data: new.game_session_data,
            matchmaker_data: new.matchmaker_data,
            player_session_creation_policy: CreationPolicy::AcceptAll,
            endpoint,
            creation_time: now,
            termination_time: None,
            backfill: None,
            creator_id: new.creator_id,
        };
        self.session = Some(session.clone());
        self.player_sessions = Default::default();
        self.activation_deadline = Some(now + self.spec.activation_timeout());
        self.mark_allocated();
        Ok(session)
    }

    /// Applies an update to the game session in progress and returns it for
    /// `on-update-game-session`.
    pub fn update_game_session(&mut self, update: GameSessionUpdate) -> Result<GameSession> {
        if let Some(data) = &update.matchmaker_data {
            check_text(
                "matchmakerData",
                data,
                0,
                super::limits::MAX_MATCHMAKER_DATA_BYTES,
            )?;
        }
        if let Some(name) = &update.name {
            check_text("name", name, 0, MAX_ID_BYTES)?;
        }
        let held = self.player_sessions.slots_held();
        let session = self.session_in_progress()?;
        if let Some(max) = update.maximum_player_session_count {
            let limit = super::limits::MAX_PLAYERS_PER_GAME_SESSION;
            if !(1..=limit).contains(&max) || (max as usize) < held {
                return Err(Error::out_of_range(format!(
                    "maximumPlayerSessionCount must be within [max(1, {held} held), {limit}], got {max}"
                )));
            }
            session.maximum_player_session_count = max;
        }
        if let Some(data) = update.matchmaker_data {
            session.matchmaker_data = data;
        }
        if let Some(name) = update.name {
            session.name = name;
        }
        if let Some(policy) = update.player_session_creation_policy {
            session.player_session_creation_policy = policy;
        }
        let answers_backfill = session
            .backfill
            .as_ref()
            .is_some_and(|b| update.backfill_ticket_id.as_deref() == Some(b.ticket_id.as_str()));
        if answers_backfill {
            session.backfill = None;
        }
        let updated = session.clone();
        self.touch();
        Ok(updated)
    }

    /// Reserves player sessions, all or none: the game session must be
    /// ACTIVE, accept new players, and have a free slot for each.
    pub fn create_player_sessions(
        &mut self,
        new: Vec<(String, NewPlayerSession)>,
    ) -> Result<Vec<PlayerSession>> {
        for (id, player) in &new {
            check_text("playerSessionId", id, 1, MAX_ID_BYTES)?;
            player.validate()?;
        }
        let now = self.clock.now();
        self.player_sessions.expire(now);
        let held = self.player_sessions.slots_held();
        let expires_at = now + self.spec.player_session_timeout();
        let session = self
            .session
            .as_ref()
            .filter(|s| s.status == GameSessionStatus::Active)
            .ok_or_else(|| {
                Error::failed_precondition("player sessions need an ACTIVE game session")
            })?;
        if session.player_session_creation_policy == CreationPolicy::DenyAll {
            return Err(Error::failed_precondition(
                "the game session does not accept new player sessions (DENY_ALL)",
            ));
        }
        let max = session.maximum_player_session_count as usize;
        if held + new.len() > max {
            return Err(Error::at_capacity(format!(
                "the game session is full: {held} of {max} slots held, {} asked",
                new.len()
            )));
        }
        let ids: Vec<String> = new.iter().map(|(id, _)| id.clone()).collect();
        let ctx = SessionContext {
            game_session_id: &session.game_session_id,
            fleet_id: &session.fleet_id,
            endpoint: &session.endpoint,
            now,
            expires_at,
        };
        self.player_sessions.reserve(&ctx, new);
        self.touch();
        Ok(ids
            .iter()
            .filter_map(|id| self.player_sessions.get(id).cloned())
            .collect())
    }

    /// Ends the game session in progress with `status` and `reason`, completing
    /// its player sessions.
    pub(super) fn end_game_session(&mut self, status: GameSessionStatus, reason: &str) {
        let now = self.clock.now();
        if let Some(session) = self.session.as_mut()
            && session.end(status, reason, now)
        {
            self.player_sessions.complete_all(now);
            self.activation_deadline = None;
            self.touch();
        }
    }
}
