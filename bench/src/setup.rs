//! The in-process setup every benchmark shares: the template, identities,
//! a new game server's SDK state, loading guests, starting game servers and
//! seating players, and timing instantiation and SDK calls.

use gamehost_model::{
    CounterSpec, Endpoint, GameServer, GameServerSpec, GameServerState, Identity, ListSpec,
    NewGameSession, NewPlayerSession, PlayerSessionStatus, SystemClock,
};
use gamehost_runtime::engine::{GameEngine, GameMode, Instance, InstanceLimits};
use gamehost_runtime::players::{CloseSignal, PlayStats, PlayerEnd, PlayerLink};
use gamehost_runtime::sdk::{CpuTime, GuestLog, SdkCalls, SdkCtx};
use gamehost_runtime::supervisor::{self, GameServerHandle, Hosting, RuntimeClock};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// The counter every SDK-call benchmark increments.
pub const COUNTER: &str = "bench";

/// SDK calls per timed batch: long enough to dwarf the cost of the export
/// call that runs the batch, short enough to stay far inside its deadline.
pub const CALLS_PER_BATCH: u32 = 10_000;

/// Messages a seated player's queue holds: the host disconnects a player
/// whose queue is full, so each seat's queue is drained as it fills.
const SEAT_QUEUE: usize = 64;

/// The example game mode's template (a `rounds` counter and a `players`
/// list) plus the benchmarks' counter, without health checks.
pub fn spec() -> GameServerSpec {
    let counter = |capacity| CounterSpec { count: 0, capacity };
    GameServerSpec {
        counters: [
            (COUNTER.to_owned(), counter(0)),
            ("rounds".to_owned(), counter(1000)),
        ]
        .into(),
        lists: [("players".to_owned(), ListSpec::default())].into(),
        player_capacity: 10,
        ..GameServerSpec::default()
    }
    .with_health_checks_off()
}

/// The identity of the `n`th game server of the run.
pub fn identity(n: u64) -> Identity {
    Identity {
        name: format!("bench-{n}"),
        fleet: "bench".into(),
        uid: n.to_string(),
        host_id: "bench-host".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    }
}

/// A new game server's SDK state, the `n`th of the run.
pub fn context(spec: &Arc<GameServerSpec>, n: u64) -> SdkCtx {
    let clock = Arc::new(SystemClock);
    let identity = identity(n);
    let name = identity.name.clone();
    let model = GameServer::new(identity, spec.clone(), clock.clone());
    SdkCtx::new(
        model,
        GuestLog::new(&name, clock),
        SdkCalls::new(name.as_str().into()),
        CpuTime::default(),
        PlayStats::default(),
    )
}

/// Loads the guest component at `path`.
pub fn load(engine: &GameEngine, path: &str) -> anyhow::Result<GameMode> {
    Ok(engine.load(&gamehost_guests::read(path))?)
}

/// Instantiates a game server of `mode` with `spec`, the `n`th of the run,
/// outside any supervisor.
pub fn instantiate(
    runtime: &Runtime,
    engine: &GameEngine,
    mode: &GameMode,
    spec: &Arc<GameServerSpec>,
    n: u64,
) -> anyhow::Result<Instance> {
    let instance = runtime
        .block_on(mode.instantiate(context(spec, n), engine.default_limits()))
        .map_err(|(fault, _)| fault)?;
    Ok(instance)
}

/// What a benchmark's game servers run with: `limits`, the runtime's clock,
/// and counts of their own.
pub fn hosting(limits: InstanceLimits) -> Hosting {
    Hosting {
        limits,
        clock: RuntimeClock::new(),
        play: PlayStats::default(),
    }
}

/// Starts a supervised game server of `mode` with `spec`, the `n`th of the
/// run; it becomes Ready on its own.
pub fn start(
    mode: &GameMode,
    n: u64,
    spec: &Arc<GameServerSpec>,
    hosting: Hosting,
) -> GameServerHandle {
    let (handle, _) = supervisor::spawn(mode.clone(), identity(n), spec.clone(), hosting);
    handle
}

/// Waits until the game server is Ready; an error when it ended instead.
pub async fn wait_ready(handle: &GameServerHandle) -> anyhow::Result<()> {
    let record = handle
        .wait_for(|r| r.status.state == GameServerState::Ready)
        .await;
    anyhow::ensure!(
        record.status.state == GameServerState::Ready,
        "{} did not become Ready: {:?}",
        handle.name(),
        record.process.ending
    );
    Ok(())
}

/// A connected player of a benchmark: its player session, and its end of
/// the connection, whose messages a task reads and drops.
pub struct Seat {
    /// The player session.
    pub player_session_id: String,
    closed: CloseSignal,
}

impl Seat {
    /// Connects `player_session_id` to `handle` with a link whose messages
    /// are read as they come.
    async fn connect(handle: &GameServerHandle, player_session_id: String) -> anyhow::Result<Self> {
        let (
            link,
            PlayerEnd {
                mut outbound,
                close,
            },
        ) = PlayerLink::new(SEAT_QUEUE);
        handle
            .player_connect(player_session_id.clone(), link)
            .await?;
        tokio::spawn(async move { while outbound.recv().await.is_some() {} });
        Ok(Self {
            player_session_id,
            closed: close,
        })
    }

    /// Whether the player was disconnected: its connection closed by the
    /// host, or its player session no longer active on `handle`.
    pub fn dropped(&self, handle: &GameServerHandle) -> bool {
        let active = handle.player_sessions().iter().any(|s| {
            s.player_session_id == self.player_session_id && s.status == PlayerSessionStatus::Active
        });
        self.closed.reason().is_some() || !active
    }
}

/// Places the game session `id` (with `properties`) on the Ready game
/// server `handle` and connects one player for each of `players`.
pub async fn host_match(
    handle: &GameServerHandle,
    id: &str,
    properties: &[(&str, &str)],
    players: &[&str],
) -> anyhow::Result<Vec<Seat>> {
    wait_ready(handle).await?;
    let new = NewGameSession {
        maximum_player_session_count: u32::try_from(players.len())?,
        game_properties: properties
            .iter()
            .map(|(k, v)| gamehost_model::GameProperty::new(*k, *v))
            .collect(),
        ..NewGameSession::default()
    };
    handle.start_game_session(id.to_owned(), new).await?;
    let new = players
        .iter()
        .map(|player| {
            let player = NewPlayerSession {
                player_id: (*player).to_owned(),
                player_data: String::new(),
            };
            (format!("{id}-{}", player.player_id), player)
        })
        .collect();
    let mut seats = Vec::with_capacity(players.len());
    for session in handle.create_player_sessions(new).await? {
        seats.push(Seat::connect(handle, session.player_session_id).await?);
    }
    Ok(seats)
}

/// Times instantiating `count` game servers of `mode`, each with a new SDK
/// state, optionally through `on-process-start` (the game server declaring
/// itself Ready); a tenth as many run first, untimed, to warm up.
pub fn time_instantiation(
    runtime: &Runtime,
    engine: &GameEngine,
    mode: &GameMode,
    count: u64,
    start: bool,
) -> anyhow::Result<Vec<Duration>> {
    let spec = Arc::new(spec());
    let mut samples = Vec::with_capacity(count as usize);
    for n in 0..count + count / 10 {
        let began = Instant::now();
        let mut instance = instantiate(runtime, engine, mode, &spec, n)?;
        if start {
            runtime.block_on(instance.on_process_start())?;
        }
        let took = began.elapsed();
        drop(instance);
        if n >= count / 10 {
            samples.push(took);
        }
    }
    Ok(samples)
}

/// Times `batches` batches of `per_batch` SDK calls
/// `increment-counter("bench", 1)` made by the `bench` guest, after a tenth
/// as many untimed; returns the time per call of each batch.
pub fn time_sdk_calls(
    runtime: &Runtime,
    engine: &GameEngine,
    batches: usize,
    per_batch: u32,
) -> anyhow::Result<Vec<Duration>> {
    let mode = load(engine, gamehost_guests::BENCH)?;
    let mut instance = instantiate(runtime, engine, &mode, &Arc::new(spec()), 0)?;
    let message = format!("increment-counter {per_batch}");
    let warmup = batches / 10;
    let mut samples = Vec::with_capacity(batches);
    for i in 0..warmup + batches {
        let start = Instant::now();
        runtime.block_on(instance.on_player_message("bench", message.as_bytes()))?;
        if i >= warmup {
            samples.push(start.elapsed() / per_batch);
        }
    }
    let count = instance.sdk().model.counters().get(COUNTER)?.count;
    anyhow::ensure!(
        count == i64::from(per_batch) * (warmup + batches) as i64,
        "the guest made {count} calls"
    );
    Ok(samples)
}
