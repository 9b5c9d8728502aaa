//! Running game servers: one task per game server owns its instance, runs
//! commands and the model's timers (reserve expiry, player-session and
//! activation timeouts, health checks, termination grace) one at a time, and
//! publishes every change to watchers.

mod clock;
mod command;
mod game_loop;
mod handle;
mod runner;

use crate::engine::{GameMode, InstanceLimits};
use crate::players::PlayStats;
use crate::sdk::{CpuTime, GuestLog, SdkCalls, SdkCtx};
use gamehost_model::{Clock, GameServer, GameServerSpec, Identity};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, watch};

pub use clock::RuntimeClock;
pub use command::{CommandError, MODULE_ANNOTATION, MODULE_ID_ANNOTATION, SwapRequest, module_of};
pub use handle::{GameServerHandle, Watch};

/// How many commands may wait for one game server. They wait boxed: the
/// queue's blocks hold a pointer per slot, not a whole command, which every
/// game server would pay for from its start.
const COMMAND_QUEUE: usize = 64;
/// How many published records a slow watcher may fall behind by before it
/// skips to the latest. Every game server holds this many slots from its
/// start, watched or not.
const EVENT_BUFFER: usize = 16;

/// When a game server that asked to be Ready becomes Ready.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Readiness {
    /// When the guest's call to `ready` (or `process-ready`) returns.
    #[default]
    OnRequest,
    /// Only once the guest, having asked, also answers a first
    /// `on-health-check` with true: a game server of a new version a
    /// rolling update starts. False makes it Unhealthy and a trap ends it,
    /// so it never takes a match.
    AfterHealthCheck,
}

/// What the host gives each game server it starts besides its module: the
/// bounds on its instance, the clock its timers follow, and the counts its
/// players' traffic and game loop add to (shared by the host's game servers).
#[derive(Clone, Debug)]
pub struct Hosting {
    /// Bounds on the game server's instance.
    pub limits: InstanceLimits,
    /// The clock of its timers and records.
    pub clock: RuntimeClock,
    /// Where its players' traffic and game-loop timing are counted.
    pub play: PlayStats,
}

/// Starts a game server of `mode` and returns its handle at once, with a
/// watch that sees every record from the first (Scheduled); the instance
/// starts and `on-process-start` runs in the background.
pub fn spawn(
    mode: GameMode,
    identity: Identity,
    spec: Arc<GameServerSpec>,
    hosting: Hosting,
) -> (GameServerHandle, Watch) {
    spawn_with(Readiness::OnRequest, mode, identity, spec, hosting)
}

/// [`spawn`], becoming Ready as `readiness` says.
pub fn spawn_with(
    readiness: Readiness,
    mode: GameMode,
    identity: Identity,
    spec: Arc<GameServerSpec>,
    hosting: Hosting,
) -> (GameServerHandle, Watch) {
    let Hosting {
        limits,
        clock,
        play,
    } = hosting;
    let shared_clock: Arc<dyn Clock> = Arc::new(clock);
    let log = GuestLog::new(&identity.name, shared_clock.clone());
    let name: Arc<str> = identity.name.as_str().into();
    let model = GameServer::new(identity, spec, shared_clock);
    let (record_tx, record_rx) = watch::channel(Arc::new(model.record()));
    let (events, first_watcher) = broadcast::channel(EVENT_BUFFER);
    let from_start = Watch::new(first_watcher, record_rx.clone());
    let (commands_tx, commands_rx) = mpsc::channel(COMMAND_QUEUE);
    let (sessions_tx, sessions_rx) = watch::channel(Arc::from([]));
    let calls = SdkCalls::new(name.clone());
    let cpu = CpuTime::default();
    let sdk = SdkCtx::new(model, log.clone(), calls.clone(), cpu.clone(), play);
    let runner_events = events.clone();
    tokio::spawn(async move {
        // Starting is boxed while it runs: held inline, the instantiation's
        // state would size the task of every game server for its whole life.
        Box::pin(runner::Runner::start(
            mode,
            sdk,
            limits,
            clock,
            commands_rx,
            readiness,
            runner::Outputs {
                record: record_tx,
                events: runner_events,
                player_sessions: sessions_tx,
            },
        ))
        .await
        .run()
        .await;
    });
    let handle = GameServerHandle {
        name,
        commands: commands_tx,
        record: record_rx,
        events,
        player_sessions: sessions_rx,
        log,
        calls,
        cpu,
    };
    (handle, from_start)
}
