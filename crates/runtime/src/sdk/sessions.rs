//! `gamehost:sdk/sessions`: GameLift game sessions and player sessions.

use super::{SdkCtx, SdkFunction, convert};
use crate::bindings::sessions::{
    DescribePlayerSessionsRequest, DescribePlayerSessionsResult, Host, StartMatchBackfillRequest,
    StopMatchBackfillRequest,
};
use crate::bindings::types::{PlayerSessionCreationPolicy, SdkError};
use gamehost_model::{DescribeRequest, MatchmakingPlayer};

impl Host for SdkCtx {
    fn activate_game_session(&mut self) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::ActivateGameSession);
        Ok(self.model.activate_game_session()?)
    }

    fn terminate_game_session(&mut self) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::TerminateGameSession);
        Ok(self.model.terminate_game_session()?)
    }

    fn get_game_session_id(&mut self) -> Result<String, SdkError> {
        self.calls.count(SdkFunction::GetGameSessionId);
        Ok(self.model.game_session_id()?)
    }

    fn update_player_session_creation_policy(
        &mut self,
        policy: PlayerSessionCreationPolicy,
    ) -> Result<(), SdkError> {
        self.calls
            .count(SdkFunction::UpdatePlayerSessionCreationPolicy);
        Ok(self
            .model
            .set_creation_policy(convert::creation_policy(policy))?)
    }

    fn accept_player_session(&mut self, player_session_id: String) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::AcceptPlayerSession);
        Ok(self.model.accept_player_session(&player_session_id)?)
    }

    fn remove_player_session(&mut self, player_session_id: String) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::RemovePlayerSession);
        Ok(self.model.remove_player_session(&player_session_id)?)
    }

    fn describe_player_sessions(
        &mut self,
        request: DescribePlayerSessionsRequest,
    ) -> Result<DescribePlayerSessionsResult, SdkError> {
        self.calls.count(SdkFunction::DescribePlayerSessions);
        let request = DescribeRequest {
            game_session_id: request.game_session_id,
            player_session_id: request.player_session_id,
            player_id: request.player_id,
            player_session_status_filter: request
                .player_session_status_filter
                .map(convert::player_session_status),
            limit: request.limit,
            next_token: request.next_token,
        };
        let page = self.model.describe_player_sessions(&request)?;
        Ok(DescribePlayerSessionsResult {
            player_sessions: page
                .player_sessions
                .iter()
                .map(convert::player_session)
                .collect(),
            next_token: page.next_token,
        })
    }

    fn start_match_backfill(
        &mut self,
        request: StartMatchBackfillRequest,
    ) -> Result<String, SdkError> {
        self.calls.count(SdkFunction::StartMatchBackfill);
        let players = request
            .players
            .into_iter()
            .map(|p| MatchmakingPlayer {
                player_id: p.player_id,
                team: p.team,
                player_attributes: p.player_attributes,
                latency_in_ms: p.latency_in_ms,
            })
            .collect();
        Ok(self.model.start_match_backfill(
            request.ticket_id,
            request.matchmaking_configuration_arn,
            &request.game_session_arn,
            players,
        )?)
    }

    fn stop_match_backfill(&mut self, request: StopMatchBackfillRequest) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::StopMatchBackfill);
        Ok(self.model.stop_match_backfill(&request.ticket_id)?)
    }
}
