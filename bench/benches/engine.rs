//! Engine benchmarks: a guest→host SDK call and the instantiation of the
//! example game mode, with their medians and 99th percentiles against the
//! targets.
//!
//! Run with `cargo bench -p gamehost-bench --bench engine`; add `-- --quick`
//! for a shorter run.

use gamehost_bench::setup::{CALLS_PER_BATCH, load, time_instantiation, time_sdk_calls};
use gamehost_bench::stats::{Spread, print};
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use std::time::Duration;

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let (batches, count) = if quick { (50, 2_000) } else { (500, 20_000) };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    let sdk = time_sdk_calls(&runtime, &engine, batches, CALLS_PER_BATCH)?;
    let arena = load(&engine, gamehost_guests::ARENA)?;
    let instantiate = time_instantiation(&runtime, &engine, &arena, count, false)?;
    let ready = time_instantiation(&runtime, &engine, &arena, count, true)?;
    print(&[
        (
            "SDK call (increment-counter)".to_owned(),
            Spread::of(sdk),
            Some(Duration::from_nanos(150)),
        ),
        (
            "instantiate a game server (arena)".to_owned(),
            Spread::of(instantiate),
            Some(Duration::from_micros(20)),
        ),
        (
            "instantiate + on-process-start (arena)".to_owned(),
            Spread::of(ready),
            None,
        ),
    ]);
    Ok(())
}
