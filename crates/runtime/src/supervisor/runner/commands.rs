//! The commands a game server's task takes from its handle, and how it runs
//! each: one at a time, between guest calls, its reply held back until what
//! it changed is published.

use super::Runner;
use crate::engine::Instance;
use crate::players::MAX_MESSAGE_BYTES;
use crate::players::PlayerLink;
use crate::sdk::convert;
use crate::supervisor::command::{Answer, Command, CommandError, Reply, answer};
use gamehost_model::{GameSession, GameSessionUpdate, NewGameSession, PlayerSessionStatus};

impl Runner {
    /// Runs a command; its reply is sent once the changes it made are
    /// published, so a caller never sees an answer before its effect.
    pub(super) async fn handle(&mut self, command: Command) -> Answer {
        match command {
            Command::StartGameSession { id, new, reply } => {
                answer(reply, self.start_game_session(id, new).await)
            }
            Command::UpdateGameSession { update, reply } => {
                answer(reply, self.update_game_session(update).await)
            }
            Command::CreatePlayerSessions { new, reply } => answer(
                reply,
                self.model().create_player_sessions(new).map_err(Into::into),
            ),
            Command::DescribePlayerSessions { request, reply } => {
                answer(reply, self.model().describe(&request).map_err(Into::into))
            }
            Command::Allocate { change, reply } => answer(
                reply,
                self.model()
                    .allocate_by_request(&change)
                    .map_err(Into::into),
            ),
            Command::RequestTermination { reply } => answer(
                reply,
                self.model().request_termination().map_err(Into::into),
            ),
            Command::PlayerConnect {
                player_session_id,
                link,
                reply,
            } => answer(reply, self.player_connect(&player_session_id, link).await),
            Command::PlayerMessage {
                player_session_id,
                message,
                reply,
            } => answer(
                reply,
                self.player_message(&player_session_id, &message).await,
            ),
            Command::RelayPlayerMessage {
                player_session_id,
                message,
                permit,
            } => {
                let handled = self.player_message(&player_session_id, &message).await;
                drop(permit);
                if let Err(error) = handled {
                    // A fault ends the game server, which disconnects every
                    // player; a refusal is this player's alone.
                    let reason = error.to_string();
                    self.sdk().players.disconnect(&player_session_id, &reason);
                }
                Box::new(|| {})
            }
            Command::PlayerDisconnect {
                player_session_id,
                reply,
            } => answer(reply, self.player_disconnect(&player_session_id).await),
            Command::Stop { reason, reply } => {
                self.model().stop(&reason);
                answer(reply, Ok(()))
            }
            Command::Apply(apply) => apply(Ok(self.model())),
            Command::Swap { request, reply } => answer(reply, self.swap(*request).await),
        }
    }

    pub(super) fn running(&mut self) -> Result<&mut Instance, CommandError> {
        if self.instance().is_none() {
            return Err(self.ended_error());
        }
        Ok(self.instance().expect("checked above"))
    }

    async fn start_game_session(
        &mut self,
        id: String,
        new: NewGameSession,
    ) -> Result<GameSession, CommandError> {
        self.running()?;
        let session = self.model().start_game_session(id, new)?;
        self.sync_log_session();
        let result = self.running()?.on_start_game_session(&session).await;
        let _ = self.check(result);
        Ok(self.model().game_session().cloned().unwrap_or(session))
    }

    async fn update_game_session(
        &mut self,
        update: GameSessionUpdate,
    ) -> Result<GameSession, CommandError> {
        self.running()?;
        let (reason, ticket) = (update.update_reason, update.backfill_ticket_id.clone());
        let session = self.model().update_game_session(update)?;
        let update = convert::update_game_session(&session, reason, ticket);
        let result = self.running()?.on_update_game_session(update).await;
        self.check(result)?;
        Ok(self.model().game_session().cloned().unwrap_or(session))
    }

    /// Hands a player to the guest with its link, so the guest can already
    /// send to it from `on-player-connect`; a refused player's link is
    /// dropped.
    async fn player_connect(&mut self, id: &str, link: PlayerLink) -> Result<(), CommandError> {
        self.running()?;
        self.expect_player_session(id, PlayerSessionStatus::Reserved)?;
        self.sdk().players.insert(id, link);
        let result = self.running()?.on_player_connect(id).await;
        let admitted = self
            .check(result)?
            .map_err(CommandError::Refused)
            .and_then(|()| match self.model().player_session_status(id) {
                Some(PlayerSessionStatus::Active) => Ok(()),
                _ => Err(CommandError::Refused(
                    "the game mode did not accept the player session".to_owned(),
                )),
            });
        if admitted.is_err() {
            self.sdk().players.remove(id);
        }
        admitted
    }

    async fn player_message(&mut self, id: &str, message: &[u8]) -> Result<(), CommandError> {
        if message.len() > MAX_MESSAGE_BYTES {
            let error = format!(
                "messages are at most {MAX_MESSAGE_BYTES} bytes, got {}",
                message.len()
            );
            return Err(gamehost_model::Error::invalid_argument(error).into());
        }
        self.running()?;
        self.expect_player_session(id, PlayerSessionStatus::Active)?;
        let result = self.running()?.on_player_message(id, message).await;
        self.check(result)
    }

    /// Refuses unless player session `id` is this game server's and in
    /// `wanted`.
    fn expect_player_session(
        &mut self,
        id: &str,
        wanted: PlayerSessionStatus,
    ) -> Result<(), CommandError> {
        match self.model().player_session_status(id) {
            Some(status) if status == wanted => Ok(()),
            Some(status) => Err(CommandError::Refused(format!(
                "player session {id:?} is {}, not {}",
                status.as_str(),
                wanted.as_str()
            ))),
            None => Err(unknown_player_session(id)),
        }
    }

    async fn player_disconnect(&mut self, id: &str) -> Result<(), CommandError> {
        self.sdk().players.remove(id);
        self.running()?;
        if self.model().player_session_status(id).is_none() {
            return Err(unknown_player_session(id));
        }
        let result = self.running()?.on_player_disconnect(id).await;
        self.check(result)
    }
}

fn unknown_player_session(id: &str) -> CommandError {
    CommandError::Refused(format!(
        "player session {id:?} is not one of this game server's"
    ))
}

impl Command {
    pub(super) fn refuse(self, error: CommandError) {
        fn send<T>(reply: Reply<T>, error: CommandError) {
            let _ = reply.send(Err(error));
        }
        match self {
            Command::StartGameSession { reply, .. } | Command::UpdateGameSession { reply, .. } => {
                send(reply, error)
            }
            Command::CreatePlayerSessions { reply, .. } => send(reply, error),
            Command::DescribePlayerSessions { reply, .. } => send(reply, error),
            Command::RequestTermination { reply } => send(reply, error),
            Command::Swap { reply, .. } => send(reply, error),
            Command::Allocate { reply, .. }
            | Command::PlayerConnect { reply, .. }
            | Command::PlayerMessage { reply, .. }
            | Command::PlayerDisconnect { reply, .. }
            | Command::Stop { reply, .. } => send(reply, error),
            Command::Apply(apply) => apply(Err(error))(),
            // Nobody waits for it: the game server that refuses it has
            // ended, and that disconnected its players with the reason.
            Command::RelayPlayerMessage { .. } => {}
        }
    }
}
