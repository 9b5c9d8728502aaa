//! The in-process measures: the SDK call against Extism's host call, and
//! instantiation against Extism's.

use super::{Paths, Sizes};
use crate::extism_peer::ExtismPeer;
use crate::report::{Row, Unit};
use crate::setup::{CALLS_PER_BATCH, load, time_instantiation, time_sdk_calls};
use crate::stats::{Spread, nanos};
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use std::time::Duration;

/// The SDK call, host-function call, instantiation and ready-to-call rows,
/// in that order.
pub fn rows(sizes: &Sizes, paths: &Paths) -> anyhow::Result<Vec<Row>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    eprintln!("SDK calls from a guest…");
    let sdk = Spread::of(time_sdk_calls(
        &runtime,
        &engine,
        sizes.batches,
        CALLS_PER_BATCH,
    )?);
    eprintln!("Extism host calls and instantiation…");
    let extism = ExtismPeer::new(&paths.extism_plugin)?;
    let extism_call = Spread::of(extism.time_host_calls(sizes.batches, CALLS_PER_BATCH)?);
    let extism_start = Spread::of(extism.time_instantiation(sizes.extism_instantiations)?);
    eprintln!("instantiating game servers…");
    let arena = load(&engine, gamehost_guests::ARENA)?;
    let count = sizes.instantiations;
    let instantiate = Spread::of(time_instantiation(&runtime, &engine, &arena, count, false)?);
    let ready = Spread::of(time_instantiation(&runtime, &engine, &arena, count, true)?);
    let sdk_median = nanos(sdk.median);
    Ok(vec![
        Row::new(
            "SDK call from a guest (increment-counter), median",
            Unit::Nanos,
            sdk_median,
        )
        .target("≤ 150 ns", sdk_median <= 150.0),
        Row::new(
            "host-function call (increment counter), median",
            Unit::Nanos,
            sdk_median,
        )
        .peer("Extism host function", nanos(extism_call.median)),
        Row::new(
            "instantiate a game server (arena), median",
            Unit::Nanos,
            nanos(instantiate.median),
        )
        .target("≤ 20 µs", instantiate.median <= Duration::from_micros(20)),
        Row::new(
            "instantiate, ready to call (arena + on-process-start), median",
            Unit::Nanos,
            nanos(ready.median),
        )
        .peer(
            "Extism plugin (new + first call)",
            nanos(extism_start.median),
        ),
    ])
}
