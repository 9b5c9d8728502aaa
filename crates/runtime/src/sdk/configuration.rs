//! `gamehost:sdk/configuration`: GameServer and WatchGameServer.

use super::{SdkCtx, SdkFunction, convert};
use crate::bindings::configuration::Host;
use crate::bindings::types::GameServer;

impl Host for SdkCtx {
    fn get_game_server(&mut self) -> GameServer {
        self.calls.count(SdkFunction::GetGameServer);
        convert::game_server(&self.model.record())
    }

    fn watch_game_server(&mut self) {
        self.calls.count(SdkFunction::WatchGameServer);
        self.model.watch();
    }
}
