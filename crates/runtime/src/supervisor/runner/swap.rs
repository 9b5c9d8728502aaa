//! The in-place swap command: between two calls, the game server's instance
//! is replaced by one of another module over the same host-side state.

use super::Runner;
use crate::engine::{Handover, SwapError};
use crate::sdk::{LogLevel, LogSource};
use crate::supervisor::command::{
    CommandError, MODULE_ANNOTATION, MODULE_ID_ANNOTATION, SwapRequest,
};

impl Runner {
    /// Swaps the instance for one of `request.mode`; on success the module
    /// annotations change, so watchers see the swap, and the game loop
    /// follows the new version's `ticks` export. A refusal leaves the
    /// old version running; a fault in the old version's `save-state` ends
    /// the game server like any other fault.
    pub(super) async fn swap(&mut self, request: SwapRequest) -> Result<Handover, CommandError> {
        let result = self.running()?.swap_to(&request.mode, request.limits).await;
        match result {
            Ok(handover) => {
                self.follow_game_loop();
                let model = self.model();
                model.set_host_annotation(MODULE_ANNOTATION, &request.module);
                model.set_host_annotation(MODULE_ID_ANNOTATION, request.mode.digest());
                let bytes = handover
                    .state_bytes
                    .map_or_else(|| "none".to_owned(), |b| b.to_string());
                self.sdk().log.write(
                    LogLevel::Info,
                    LogSource::Host,
                    format!("switched to module {}", request.module),
                    vec![("handed-over-bytes".to_owned(), bytes)],
                );
                Ok(handover)
            }
            Err(SwapError::Refused(reason)) => {
                self.sdk().log.write(
                    LogLevel::Warn,
                    LogSource::Host,
                    format!("module {} could not take over", request.module),
                    vec![("reason".to_owned(), reason.clone())],
                );
                Err(CommandError::Refused(reason))
            }
            Err(SwapError::Faulted(fault)) => self.check(Err(fault)),
        }
    }
}
