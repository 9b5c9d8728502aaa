//! The task that owns one game server: it runs every command and timer in
//! turn, so calls into the guest never overlap, and publishes each change.

mod readiness;
mod swap;

use super::Readiness;
use super::clock::RuntimeClock;
use super::game_loop::{GameLoop, Tick, next_tick};
use super::handle::{CommandError, Reply};
use crate::engine::{Fault, GameMode, Handover, Instance, InstanceLimits};
use crate::gateway::PlayerLink;
use crate::model::{
    Action, AllocationChange, DescribePage, DescribeRequest, GameServer, GameServerRecord,
    GameServerState, GameSession, GameSessionUpdate, NewGameSession, NewPlayerSession,
    PlayerSession, PlayerSessionStatus, Timestamp,
};
use crate::sdk::{LogLevel, LogSource, SdkCtx, convert};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, watch};

pub use swap::{MODULE_ANNOTATION, MODULE_ID_ANNOTATION, SwapRequest};

/// The largest player message passed to a guest, in bytes.
pub const MAX_PLAYER_MESSAGE_BYTES: usize = 64 * 1024;

/// A request to a game server's task.
pub(super) enum Command {
    /// See [`super::GameServerHandle::start_game_session`].
    StartGameSession {
        id: String,
        new: NewGameSession,
        reply: Reply<GameSession>,
    },
    /// See [`super::GameServerHandle::update_game_session`].
    UpdateGameSession {
        update: GameSessionUpdate,
        reply: Reply<GameSession>,
    },
    /// See [`super::GameServerHandle::create_player_sessions`].
    CreatePlayerSessions {
        new: Vec<(String, NewPlayerSession)>,
        reply: Reply<Vec<PlayerSession>>,
    },
    /// See [`super::GameServerHandle::describe_player_sessions`].
    DescribePlayerSessions {
        request: DescribeRequest,
        reply: Reply<DescribePage>,
    },
    /// See [`super::GameServerHandle::allocate`].
    Allocate {
        change: AllocationChange,
        reply: Reply<()>,
    },
    /// See [`super::GameServerHandle::request_termination`].
    RequestTermination { reply: Reply<Timestamp> },
    /// See [`super::GameServerHandle::player_connect`].
    PlayerConnect {
        player_session_id: String,
        link: PlayerLink,
        reply: Reply<()>,
    },
    /// See [`super::GameServerHandle::player_message`].
    PlayerMessage {
        player_session_id: String,
        message: Vec<u8>,
        reply: Reply<()>,
    },
    /// See [`super::GameServerHandle::player_disconnect`].
    PlayerDisconnect {
        player_session_id: String,
        reply: Reply<()>,
    },
    /// See [`super::GameServerHandle::stop`].
    Stop { reason: String, reply: Reply<()> },
    /// See [`super::GameServerHandle::apply`]: runs on the model, or on the
    /// error if the game server has ended, and returns its reply.
    Apply(Apply),
    /// See [`super::GameServerHandle::swap`].
    Swap {
        request: Box<SwapRequest>,
        reply: Reply<Handover>,
    },
}

/// Where a runner publishes: the latest record, every record for watchers,
/// and the player sessions.
pub(super) struct Outputs {
    pub(super) record: watch::Sender<Arc<GameServerRecord>>,
    pub(super) events: broadcast::Sender<Arc<GameServerRecord>>,
    pub(super) player_sessions: watch::Sender<Arc<[PlayerSession]>>,
}

/// A reply held back until the command's changes are published.
pub(super) type Answer = Box<dyn FnOnce() + Send>;

/// A change run on the model from outside the instance; it gets the error
/// instead when the game server has ended, and returns its reply.
pub(super) type Apply = Box<dyn FnOnce(Result<&mut GameServer, CommandError>) -> Answer + Send>;

fn answer<T: Send + 'static>(reply: Reply<T>, result: Result<T, CommandError>) -> Answer {
    Box::new(move || {
        let _ = reply.send(result);
    })
}

/// The instance while it runs; its SDK context once it has ended.
enum Slot {
    Running(Box<Instance>),
    Ended(Box<SdkCtx>),
    /// Only while [`Runner::retire`] moves the context out of the instance.
    Retiring,
}

pub(super) struct Runner {
    slot: Slot,
    clock: RuntimeClock,
    commands: mpsc::Receiver<Command>,
    record: watch::Sender<Arc<GameServerRecord>>,
    events: broadcast::Sender<Arc<GameServerRecord>>,
    player_sessions: watch::Sender<Arc<[PlayerSession]>>,
    published: i64,
    delivered: i64,
    game_loop: Option<GameLoop>,
    /// Whether the guest must still pass the first `on-health-check` that
    /// [`Readiness::AfterHealthCheck`] asks for before it is Ready.
    first_check_due: bool,
}

impl Runner {
    pub(super) async fn start(
        mode: GameMode,
        sdk: SdkCtx,
        limits: InstanceLimits,
        clock: RuntimeClock,
        commands: mpsc::Receiver<Command>,
        readiness: Readiness,
        outputs: Outputs,
    ) -> Self {
        let Outputs {
            record,
            events,
            player_sessions,
        } = outputs;
        let slot = match mode.instantiate(sdk, limits).await {
            Ok(instance) => Slot::Running(Box::new(instance)),
            Err((fault, mut sdk)) => {
                record_fault(&mut sdk, &fault);
                Slot::Ended(sdk)
            }
        };
        let mut runner = Self {
            slot,
            clock,
            commands,
            record,
            events,
            player_sessions,
            published: 0,
            delivered: 0,
            game_loop: None,
            first_check_due: readiness == Readiness::AfterHealthCheck,
        };
        if let Slot::Running(instance) = &mut runner.slot {
            let result = instance.on_process_start().await;
            let _ = runner.check(result);
        }
        runner.follow_game_loop();
        runner
    }

    /// Ticks while the running instance has a game loop and the template a
    /// tick rate: starts the loop when the instance (perhaps one just
    /// swapped in) exports `ticks`, keeps a running loop's schedule, and
    /// stops it when the instance has none.
    fn follow_game_loop(&mut self) {
        let period = self.model().spec().tick_period();
        let ticking = self.instance().is_some_and(|i| i.has_game_loop());
        match (period, ticking) {
            (Some(period), true) => {
                if self.game_loop.is_none() {
                    self.game_loop = Some(GameLoop::new(period));
                }
            }
            _ => self.game_loop = None,
        }
    }

    fn sdk(&mut self) -> &mut SdkCtx {
        match &mut self.slot {
            Slot::Running(instance) => instance.sdk(),
            Slot::Ended(sdk) => sdk,
            Slot::Retiring => unreachable!("the slot is only Retiring inside Runner::retire"),
        }
    }

    fn model(&mut self) -> &mut GameServer {
        &mut self.sdk().model
    }

    fn instance(&mut self) -> Option<&mut Instance> {
        match &mut self.slot {
            Slot::Running(instance) => Some(instance),
            Slot::Ended(_) | Slot::Retiring => None,
        }
    }

    /// Ends the instance if a call faulted; returns the call's value otherwise.
    fn check<T>(&mut self, result: Result<T, Fault>) -> Result<T, CommandError> {
        result.map_err(|fault| {
            record_fault(self.sdk(), &fault);
            self.retire();
            CommandError::Faulted(fault)
        })
    }

    pub(super) async fn run(mut self) {
        self.settle().await;
        while self.model().ending().is_none() {
            let timer = self
                .model()
                .next_timer()
                .map(|at| self.clock.instant_at(at));
            tokio::select! {
                command = self.commands.recv() => match command {
                    Some(command) => {
                        let answer = self.handle(command).await;
                        self.settle().await;
                        answer();
                    }
                    None => {
                        self.model().stop("every handle to the game server was dropped");
                        self.settle().await;
                    }
                },
                () = sleep_until(timer) => {
                    self.model().run_timers();
                    self.settle().await;
                }
                tick = next_tick(self.game_loop.as_mut()) => {
                    self.tick(tick).await;
                    self.settle().await;
                }
            }
        }
        self.commands.close();
        while let Some(command) = self.commands.recv().await {
            command.refuse(self.ended_error());
        }
    }

    fn ended_error(&mut self) -> CommandError {
        let reason = self
            .model()
            .ending()
            .map(|e| e.reason.clone())
            .unwrap_or_default();
        CommandError::Ended(reason)
    }

    /// Brings everything up to date after a command or a timer: publishes
    /// its changes, makes the calls the model asked for and publishes theirs,
    /// and delivers the record to a watching guest once per round.
    async fn settle(&mut self) {
        self.publish_changes();
        self.perform_actions().await;
        self.first_health_check().await;
        self.publish_changes();
        let generation = self.model().generation();
        if self.model().is_watching() && self.delivered != generation && self.instance().is_some() {
            self.delivered = generation;
            let record = self.model().record();
            if let Some(instance) = self.instance() {
                let result = instance.on_game_server_update(&record).await;
                let _ = self.check(result);
            }
            self.perform_actions().await;
            self.first_health_check().await;
            self.publish_changes();
        }
    }

    /// Makes the calls the model asks for, including those queued while
    /// making them, until none are left or the game server has ended.
    async fn perform_actions(&mut self) {
        loop {
            let actions = self.model().take_actions();
            if actions.is_empty() {
                return;
            }
            for action in actions {
                if self.model().ending().is_some() {
                    return;
                }
                let Some(instance) = self.instance() else {
                    return;
                };
                match action {
                    Action::CallHealthCheck => {
                        let result = instance.on_health_check().await;
                        if let Ok(healthy) = self.check(result) {
                            self.model().record_health_check(healthy);
                        }
                    }
                    Action::CallProcessTerminate { termination_time } => {
                        let result = instance.on_process_terminate(termination_time).await;
                        let _ = self.check(result);
                    }
                }
            }
        }
    }

    /// Completes RequestReady (publishing it first, so watchers see both
    /// states) unless a first health check is still due, drops the
    /// instance of an ended game server, and publishes.
    fn publish_changes(&mut self) {
        if self.model().state() == GameServerState::RequestReady && !self.first_check_due {
            self.publish();
            self.model().confirm_ready();
        }
        if self.model().ending().is_some() {
            self.retire();
        }
        self.sync_log_session();
        self.publish();
    }

    /// Calls `on-tick` and records how late it started and whether it
    /// overran its period.
    async fn tick(&mut self, tick: Tick) {
        let Some(period) = self.game_loop.as_ref().map(GameLoop::period) else {
            return;
        };
        let stats = self.sdk().players.stats().clone();
        let Some(instance) = self.instance() else {
            return;
        };
        let result = instance.on_tick(tick.elapsed).await;
        stats.tick(tick.now - tick.scheduled, tick.now.elapsed(), period);
        let _ = self.check(result);
    }

    /// Drops the instance, keeping its SDK context, and disconnects its
    /// players with the reason the game server ended.
    fn retire(&mut self) {
        self.game_loop = None;
        self.slot = match std::mem::replace(&mut self.slot, Slot::Retiring) {
            Slot::Running(instance) => Slot::Ended(Box::new(instance.into_sdk())),
            other => other,
        };
        let reason = match self.model().ending() {
            Some(ending) => format!("the game server ended: {}", ending.reason),
            None => "the game server ended".to_owned(),
        };
        self.sdk().players.disconnect_all(&reason);
    }

    fn sync_log_session(&mut self) {
        let sdk = self.sdk();
        let current = sdk
            .model
            .game_session()
            .filter(|s| !s.status.is_ended())
            .map(|s| s.game_session_id.as_str());
        sdk.log.set_game_session(current);
    }

    fn publish(&mut self) {
        let generation = self.model().generation();
        if generation == self.published {
            return;
        }
        self.published = generation;
        let record = Arc::new(self.model().record());
        let published = self.player_sessions.borrow().clone();
        if !published.iter().eq(self.model().player_sessions().iter()) {
            let sessions: Arc<[PlayerSession]> =
                self.model().player_sessions().iter().cloned().collect();
            self.player_sessions.send_replace(sessions);
        }
        // The latest record first: whoever sees the event then finds the
        // handle's record at least as new.
        self.record.send_replace(record.clone());
        let _ = self.events.send(record);
    }

    /// Runs a command; its reply is sent once the changes it made are
    /// published, so a caller never sees an answer before its effect.
    async fn handle(&mut self, command: Command) -> Answer {
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

    fn running(&mut self) -> Result<&mut Instance, CommandError> {
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
        if message.len() > MAX_PLAYER_MESSAGE_BYTES {
            let error = format!(
                "messages are at most {MAX_PLAYER_MESSAGE_BYTES} bytes, got {}",
                message.len()
            );
            return Err(crate::model::Error::invalid_argument(error).into());
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
    fn refuse(self, error: CommandError) {
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
        }
    }
}

fn record_fault(sdk: &mut SdkCtx, fault: &Fault) {
    let reason = format!("{}: {}", fault.export, fault.reason);
    sdk.log.write(
        LogLevel::Error,
        LogSource::Host,
        &format!("the game server ended: {fault}"),
        vec![("detail".to_owned(), fault.detail.clone())],
    );
    sdk.model.fail(fault.kind, &reason);
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
