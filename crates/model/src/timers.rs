//! Time-driven changes and endings: reserve expiry, player-session and
//! activation timeouts, health verdicts, termination and its grace period,
//! and guest faults.

use super::clock::Timestamp;
use super::ending::{Action, EndKind, Ending};
use super::error::Result;
use super::game_server::GameServer;
use super::game_session::{GameSessionStatus, reasons};
use super::state::{GameServerState, ProcessStatus};

impl GameServer {
    /// Calls the model asks its runner to make, oldest first.
    pub fn take_actions(&mut self) -> Vec<Action> {
        std::mem::take(&mut self.actions)
    }

    /// When the next timer is due, if any.
    pub fn next_timer(&self) -> Option<Timestamp> {
        if self.ended.is_some() {
            return None;
        }
        [
            self.reserved_until
                .filter(|_| self.state == GameServerState::Reserved),
            self.activation_deadline,
            self.player_sessions.next_expiry(),
            self.pings
                .next_check()
                .filter(|_| !self.state.is_terminal()),
            self.checks.next_due(),
            self.process.termination_time,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Runs every timer due now; calls to make are queued for
    /// [`GameServer::take_actions`].
    pub fn run_timers(&mut self) {
        if self.ended.is_some() {
            return;
        }
        let now = self.clock.now();
        if self.state == GameServerState::Reserved && self.reserved_until.is_some_and(|t| t <= now)
        {
            self.state = GameServerState::Ready;
            self.reserved_until = None;
            self.touch();
        }
        if self.player_sessions.expire(now) > 0 {
            self.touch();
        }
        if self.activation_deadline.is_some_and(|t| t <= now) {
            self.end_game_session(GameSessionStatus::Terminated, reasons::ACTIVATION_TIMEOUT);
            self.begin_termination();
        }
        if !self.state.is_terminal()
            && let Some(failures) = self.pings.check(now)
        {
            self.mark_unhealthy(format!("missed {failures} health pings in a row"));
        }
        if self.checks.take_due(now) {
            self.actions.push(Action::CallHealthCheck);
        }
        if self.process.termination_time.is_some_and(|t| t <= now) {
            self.finish(
                EndKind::GraceExpired,
                "the termination grace period ran out",
            );
        }
    }

    /// Records the guest's answer to `on-health-check`; an answer that
    /// arrives after the game server reached a final state changes nothing.
    pub fn record_health_check(&mut self, healthy: bool) {
        if self.state.is_terminal() {
            return;
        }
        if let Some(failures) = self.checks.record(healthy) {
            self.mark_unhealthy(format!(
                "on-health-check reported unhealthy {failures} times in a row"
            ));
        }
    }

    /// Records a first `on-health-check` answered with false, which a game
    /// server that must pass one before it is Ready fails at once, whatever
    /// the failure threshold: it becomes Unhealthy and is asked to
    /// terminate.
    pub fn fail_first_health_check(&mut self, reason: &str) {
        if !self.state.is_terminal() {
            self.mark_unhealthy(reason.to_owned());
        }
    }

    /// Asks the process to terminate (GameLift's shutdown request): the game
    /// session becomes TERMINATING and `on-process-terminate` is queued with
    /// a termination time one grace period away. Asking again changes nothing.
    pub fn request_termination(&mut self) -> Result<Timestamp> {
        self.require_running()?;
        Ok(self.begin_termination())
    }

    fn begin_termination(&mut self) -> Timestamp {
        if let Some(time) = self.process.termination_time {
            return time;
        }
        let time = self.clock.now() + self.spec.termination_grace();
        self.process.termination_time = Some(time);
        self.process.status = ProcessStatus::Terminating;
        self.checks.stop();
        if let Some(session) = self.session.as_mut()
            && matches!(
                session.status,
                GameSessionStatus::Activating | GameSessionStatus::Active
            )
        {
            session.status = GameSessionStatus::Terminating;
            session.status_reason = Some(reasons::TRIGGERED_ON_PROCESS_TERMINATE.to_owned());
        }
        self.actions.push(Action::CallProcessTerminate {
            termination_time: time,
        });
        self.touch();
        time
    }

    fn mark_unhealthy(&mut self, reason: String) {
        self.state = GameServerState::Unhealthy;
        self.unhealthy_reason = Some(reason);
        self.touch();
        self.begin_termination();
    }

    /// Ends the game server because the guest faulted: the state becomes
    /// Unhealthy (Error when it never started) and the game session ERROR.
    pub fn fail(&mut self, kind: EndKind, reason: &str) {
        if self.ended.is_some() {
            return;
        }
        if kind != EndKind::StartFailed {
            self.unhealthy_reason = Some(format!("{kind}: {reason}"));
        }
        self.state = if kind == EndKind::StartFailed {
            GameServerState::Error
        } else {
            GameServerState::Unhealthy
        };
        let failed = format!("{}: {kind}: {reason}", reasons::GAME_SERVER_FAILED);
        self.end_game_session(GameSessionStatus::Error, &failed);
        self.end(kind, reason);
    }

    /// Ends the game server at once, without callbacks: Shutdown (Unhealthy
    /// stays Unhealthy), the game session TERMINATED.
    pub fn stop(&mut self, reason: &str) {
        if self.ended.is_none() {
            self.finish(EndKind::Stopped, reason);
        }
    }

    /// Ends the game server on request: Shutdown (Unhealthy stays Unhealthy),
    /// the game session TERMINATED.
    pub(super) fn finish(&mut self, kind: EndKind, reason: &str) {
        if !self.state.is_terminal() {
            self.state = GameServerState::Shutdown;
        }
        let session_reason = if kind == EndKind::GraceExpired {
            reasons::FORCE_TERMINATED
        } else {
            reasons::PROCESS_ENDED
        };
        self.end_game_session(GameSessionStatus::Terminated, session_reason);
        self.end(kind, reason);
    }

    fn end(&mut self, kind: EndKind, reason: &str) {
        self.reserved_until = None;
        self.process.status = ProcessStatus::Terminated;
        self.checks.stop();
        self.ended = Some(Ending {
            kind,
            reason: reason.to_owned(),
            at: self.clock.now(),
        });
        self.touch();
    }
}
