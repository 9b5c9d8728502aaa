//! The task that owns one game server: it runs every command and timer in
//! turn, so calls into the guest never overlap, and publishes each change.

mod alarm;
mod commands;
mod cpu_budget;
mod readiness;
mod swap;

use super::Readiness;
use super::clock::RuntimeClock;
use super::command::{Command, CommandError};
use super::game_loop::{GameLoop, Tick, next_tick};
use crate::engine::{Fault, GameMode, Instance, InstanceLimits};
use crate::sdk::{LogLevel, LogSource, SdkCtx};
use alarm::Alarm;
use gamehost_model::{Action, GameServer, GameServerRecord, GameServerState, PlayerSession};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::Instant;

/// How long changes a game mode makes to its own metadata while playing
/// (in a player's message or a tick) may wait to be published, gathered
/// with those that follow: a second, as Agones' SDK server batches player
/// tracking, counter and list updates "a second from now". A match that
/// counts every round on a counter and an annotation then publishes its
/// record once a second, not once per message. Every other change, and
/// every change a command answers for, is published before the next
/// command runs.
pub(super) const METADATA_GATHER: Duration = Duration::from_secs(1);

/// Where a runner publishes: the latest record, every record for watchers,
/// and the player sessions.
pub(super) struct Outputs {
    pub(super) record: watch::Sender<Arc<GameServerRecord>>,
    pub(super) events: broadcast::Sender<Arc<GameServerRecord>>,
    pub(super) player_sessions: watch::Sender<Arc<[PlayerSession]>>,
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
    commands: mpsc::Receiver<Box<Command>>,
    record: watch::Sender<Arc<GameServerRecord>>,
    events: broadcast::Sender<Arc<GameServerRecord>>,
    player_sessions: watch::Sender<Arc<[PlayerSession]>>,
    published: i64,
    /// Rings when the metadata changes held back since the last
    /// publication are due; unset when nothing is held back.
    publish_due: Alarm,
    /// Whether the event being handled is play (a player's message, a
    /// tick), whose metadata changes may be gathered.
    playing: bool,
    delivered: i64,
    game_loop: Option<GameLoop>,
    /// Whether the guest must still pass the first `on-health-check` that
    /// [`Readiness::AfterHealthCheck`] asks for before it is Ready.
    first_check_due: bool,
    /// The template's CPU budget, when it sets one.
    cpu_budget: Option<cpu_budget::Budget>,
}

impl Runner {
    pub(super) async fn start(
        mode: GameMode,
        sdk: SdkCtx,
        limits: InstanceLimits,
        clock: RuntimeClock,
        commands: mpsc::Receiver<Box<Command>>,
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
            publish_due: Alarm::new(),
            playing: false,
            delivered: 0,
            game_loop: None,
            first_check_due: readiness == Readiness::AfterHealthCheck,
            cpu_budget: None,
        };
        runner.cpu_budget = cpu_budget::Budget::of(&mut runner);
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

    /// Runs commands, timers and ticks until the game server ends. The
    /// calls into the guest they make are boxed while they run: held
    /// inline, the largest of them would size every idle game server's
    /// task.
    pub(super) async fn run(mut self) {
        Box::pin(self.settle()).await;
        let mut timers = Alarm::new();
        while self.model().ending().is_none() {
            let next = self.model().next_timer();
            timers.set(next.map(|at| self.clock.instant_at(at)));
            tokio::select! {
                command = self.commands.recv() => match command {
                    Some(command) => {
                        self.playing = command.is_play();
                        let answer = Box::pin(self.handle(*command)).await;
                        self.keep_cpu_budget();
                        Box::pin(self.settle()).await;
                        self.playing = false;
                        answer();
                    }
                    None => {
                        self.model().stop("every handle to the game server was dropped");
                        Box::pin(self.settle()).await;
                    }
                },
                () = timers.ring() => {
                    self.model().run_timers();
                    Box::pin(self.settle()).await;
                }
                tick = next_tick(self.game_loop.as_mut()) => {
                    self.playing = true;
                    Box::pin(self.tick(tick)).await;
                    Box::pin(self.settle()).await;
                    self.playing = false;
                }
                () = self.publish_due.ring() => self.publish(),
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

    /// Calls `on-tick`, unless the CPU budget is spent, and records how late
    /// it started and whether it overran its period.
    async fn tick(&mut self, tick: Tick) {
        let Some(period) = self.game_loop.as_ref().map(GameLoop::period) else {
            return;
        };
        if !self.tick_within_cpu_budget() {
            return;
        }
        let stats = self.sdk().players.stats().clone();
        let Some(instance) = self.instance() else {
            return;
        };
        let result = instance.on_tick(tick.elapsed).await;
        stats.tick(tick.now - tick.scheduled, tick.now.elapsed(), period);
        if self.check(result).is_ok() {
            self.keep_cpu_budget();
        }
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

    /// Publishes the model's changes: at once, unless they are play's
    /// changes to the game mode's own metadata alone, which wait (at most
    /// [`METADATA_GATHER`]) for the next publication.
    fn publish(&mut self) {
        let generation = self.model().generation();
        if generation == self.published {
            self.publish_due.set(None);
            return;
        }
        if self.playing && self.model().standing_generation() <= self.published {
            if !self.publish_due.is_set() {
                self.publish_due.set(Some(Instant::now() + METADATA_GATHER));
            }
            return;
        }
        self.publish_due.set(None);
        self.published = generation;
        let mut record = self.model().record();
        record.status.cpu = self.sdk().cpu.usage();
        let record = Arc::new(record);
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
}

fn record_fault(sdk: &mut SdkCtx, fault: &Fault) {
    let reason = format!("{}: {}", fault.export, fault.reason);
    sdk.log.write(
        LogLevel::Error,
        LogSource::Host,
        format!("the game server ended: {fault}"),
        vec![("detail".to_owned(), fault.detail.clone())],
    );
    sdk.model.fail(fault.kind, &reason);
}
