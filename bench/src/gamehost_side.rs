//! Gamehost's side of the micro-benchmarks: the engine, the guests, and a
//! new game server's SDK state.

use gamehost::engine::{GameEngine, GameMode, Instance};
use gamehost::gateway::PlayStats;
use gamehost::model::{
    CounterSpec, Endpoint, GameServer, GameServerSpec, Identity, ListSpec, SystemClock,
};
use gamehost::sdk::{GuestLog, SdkCalls, SdkCtx};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// The counter every SDK-call benchmark increments.
pub const COUNTER: &str = "bench";

/// The example game mode's template (a `rounds` counter and a `players`
/// list) plus the benchmarks' counter, without health checks.
pub fn spec() -> Arc<GameServerSpec> {
    let counter = |capacity| CounterSpec { count: 0, capacity };
    Arc::new(
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
        .with_health_checks_off(),
    )
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
        SdkCalls::default(),
        PlayStats::default(),
    )
}

/// Loads the guest component at `path`.
pub fn load(engine: &GameEngine, path: &str) -> anyhow::Result<GameMode> {
    Ok(engine.load(&gamehost_guests::read(path))?)
}

/// Instantiates a game server of `mode`, the `n`th of the run.
pub fn instantiate(
    runtime: &Runtime,
    engine: &GameEngine,
    mode: &GameMode,
    n: u64,
) -> anyhow::Result<Instance> {
    let instance = runtime
        .block_on(mode.instantiate(context(&spec(), n), engine.default_limits()))
        .map_err(|(fault, _)| fault)?;
    Ok(instance)
}

/// Times `calls` SDK calls `increment-counter("bench", 1)` made by the
/// `bench` guest in batches of `per_batch`; returns the time per call of
/// each batch.
pub fn time_sdk_calls(
    runtime: &Runtime,
    engine: &GameEngine,
    batches: usize,
    per_batch: u32,
) -> anyhow::Result<Vec<Duration>> {
    let mode = load(engine, gamehost_guests::BENCH)?;
    let mut instance = instantiate(runtime, engine, &mode, 0)?;
    let message = format!("increment-counter {per_batch}");
    let mut samples = Vec::with_capacity(batches);
    for _ in 0..batches {
        let start = Instant::now();
        runtime.block_on(instance.on_player_message("bench", message.as_bytes()))?;
        samples.push(start.elapsed() / per_batch);
    }
    let count = instance.sdk().model.counters().get(COUNTER)?.count;
    anyhow::ensure!(
        count == i64::from(per_batch) * batches as i64,
        "the guest made {count} calls"
    );
    Ok(samples)
}

/// Times instantiating `count` game servers of `mode`, optionally through
/// `on-process-start` (the game server declaring itself Ready).
pub fn time_instantiation(
    runtime: &Runtime,
    engine: &GameEngine,
    mode: &GameMode,
    count: u64,
    start: bool,
) -> anyhow::Result<Vec<Duration>> {
    let mut samples = Vec::with_capacity(count as usize);
    for n in 0..count {
        let began = Instant::now();
        let mut instance = instantiate(runtime, engine, mode, n)?;
        if start {
            runtime.block_on(instance.on_process_start())?;
        }
        samples.push(began.elapsed());
        drop(instance);
    }
    Ok(samples)
}
