//! The first health check of a game server that becomes Ready only after
//! passing it ([`crate::supervisor::Readiness::AfterHealthCheck`]).

use super::Runner;
use crate::sdk::{LogLevel, LogSource};
use gamehost_model::GameServerState;

/// Why a game server that answered its first health check with false is
/// Unhealthy.
const ANSWERED_FALSE: &str = "the first on-health-check answered false";

impl Runner {
    /// Once the guest has asked to be Ready, calls `on-health-check` before
    /// the game server becomes Ready: true lets it become Ready, false makes
    /// it Unhealthy (and asks it to terminate), a trap ends it. Runs once.
    pub(super) async fn first_health_check(&mut self) {
        if !self.first_check_due || self.model().state() != GameServerState::RequestReady {
            return;
        }
        self.first_check_due = false;
        // Watchers see RequestReady before the verdict.
        self.publish();
        let Some(instance) = self.instance() else {
            return;
        };
        let result = instance.on_health_check().await;
        // A fault has already ended the game server with its reason.
        if let Ok(false) = self.check(result) {
            self.sdk()
                .log
                .write(LogLevel::Warn, LogSource::Host, ANSWERED_FALSE, vec![]);
            self.model().fail_first_health_check(ANSWERED_FALSE);
            // The call to `on-process-terminate` that asks for.
            self.publish_changes();
            self.perform_actions().await;
        }
    }
}
