//! `gamehost:sdk/players`: Agones player tracking.

use super::{SdkCtx, SdkFunction};
use crate::bindings::players::Host;
use crate::bindings::types::SdkError;

impl Host for SdkCtx {
    fn player_connect(&mut self, player_id: String) -> Result<bool, SdkError> {
        self.calls.count(SdkFunction::PlayerConnect);
        Ok(self.model.player_connect(&player_id)?)
    }

    fn player_disconnect(&mut self, player_id: String) -> Result<bool, SdkError> {
        self.calls.count(SdkFunction::PlayerDisconnect);
        Ok(self.model.player_disconnect(&player_id))
    }

    fn set_player_capacity(&mut self, count: i64) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::SetPlayerCapacity);
        Ok(self.model.set_player_capacity(count)?)
    }

    fn get_player_capacity(&mut self) -> i64 {
        self.calls.count(SdkFunction::GetPlayerCapacity);
        self.model.players().capacity()
    }

    fn get_player_count(&mut self) -> i64 {
        self.calls.count(SdkFunction::GetPlayerCount);
        self.model.players().count()
    }

    fn is_player_connected(&mut self, player_id: String) -> bool {
        self.calls.count(SdkFunction::IsPlayerConnected);
        self.model.players().is_connected(&player_id)
    }

    fn get_connected_players(&mut self) -> Vec<String> {
        self.calls.count(SdkFunction::GetConnectedPlayers);
        self.model.players().ids().to_vec()
    }
}
