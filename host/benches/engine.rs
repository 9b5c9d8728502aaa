//! Engine benchmarks: a guest→host SDK call and the instantiation of the
//! example game mode, with their medians and 99th percentiles against the
//! targets.
//!
//! Run with `cargo bench -p gamehost --bench engine`; add `-- --quick` for a
//! shorter run.

mod support;

use gamehost::engine::{EngineSettings, GameEngine};
use std::time::{Duration, Instant};
use support::{Figure, context, load, print, spec, summarize, time_instantiation};
use tokio::runtime::Runtime;

/// SDK calls per timed batch: long enough to dwarf the cost of the export
/// call that runs the batch, short enough to stay far inside its deadline.
const CALLS_PER_BATCH: u32 = 10_000;

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    let figures = [
        sdk_call(&runtime, &engine, if quick { 50 } else { 500 })?,
        instantiate(&runtime, &engine, if quick { 2_000 } else { 20_000 }, false)?,
        instantiate(&runtime, &engine, if quick { 2_000 } else { 20_000 }, true)?,
    ];
    print(&figures);
    Ok(())
}

/// One `increment-counter("bench", 1)` from the guest, timed in batches.
fn sdk_call(runtime: &Runtime, engine: &GameEngine, batches: usize) -> anyhow::Result<Figure> {
    let mode = load(engine, gamehost_guests::BENCH)?;
    let spec = spec(&[("bench", 0)], &[]);
    let mut instance = runtime
        .block_on(mode.instantiate(context(&spec, 0), engine.default_limits()))
        .map_err(|(fault, _)| fault)?;
    let message = format!("increment-counter {CALLS_PER_BATCH}");
    let mut samples = Vec::with_capacity(batches);
    for i in 0..batches + batches / 10 {
        let start = Instant::now();
        runtime.block_on(instance.on_player_message("bench", message.as_bytes()))?;
        if i >= batches / 10 {
            samples.push(start.elapsed() / CALLS_PER_BATCH);
        }
    }
    let count = instance.sdk().model.counters().get("bench")?.count;
    anyhow::ensure!(
        count == i64::from(CALLS_PER_BATCH) * (batches + batches / 10) as i64,
        "the guest made {count} calls"
    );
    Ok(summarize(
        "SDK call (increment-counter)",
        samples,
        Some(Duration::from_nanos(150)),
    ))
}

/// Instantiating the example game mode from its prepared component, with a
/// new game server's SDK state; optionally through `on-process-start` (the
/// game server declaring itself ready).
fn instantiate(
    runtime: &Runtime,
    engine: &GameEngine,
    count: u64,
    start: bool,
) -> anyhow::Result<Figure> {
    let mode = load(engine, gamehost_guests::ARENA)?;
    let samples = time_instantiation(runtime, engine, &mode, count, start)?;
    let (measure, target) = if start {
        ("instantiate + on-process-start (arena)", None)
    } else {
        (
            "instantiate a game server (arena)",
            Some(Duration::from_micros(20)),
        )
    };
    Ok(summarize(measure, samples, target))
}
