//! The example game mode in every guest language: the component's size, the
//! time to compile it, instantiating a game server (alone and through
//! `on-process-start`), and a callback that makes one SDK call
//! (`on-health-check`, which calls `health`), with medians and 99th
//! percentiles.
//!
//! Run with `cargo bench -p gamehost-bench --bench languages`; add
//! `-- --quick` for a shorter run.

use gamehost_bench::setup::{instantiate, load, spec, time_instantiation};
use gamehost_bench::stats::Spread;
use gamehost_runtime::engine::{EngineSettings, GameEngine, GameMode};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// The example game mode of each language.
const ARENAS: [(&str, &str); 4] = [
    ("Rust", gamehost_guests::ARENA),
    ("C", gamehost_guests::C_ARENA),
    ("JavaScript", gamehost_guests::JS_ARENA),
    ("Python", gamehost_guests::PYTHON_ARENA),
];

struct Row {
    language: &'static str,
    size: usize,
    compile: Duration,
    instantiate: Spread,
    start: Spread,
    health_check: Spread,
}

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let samples = if quick { 200 } else { 2_000 };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    let mut rows = Vec::new();
    for (language, path) in ARENAS {
        let began = Instant::now();
        let mode = load(&engine, path)?;
        let compile = began.elapsed();
        rows.push(Row {
            language,
            size: mode.size(),
            compile,
            instantiate: Spread::of(time_instantiation(
                &runtime, &engine, &mode, samples, false,
            )?),
            start: Spread::of(time_instantiation(&runtime, &engine, &mode, samples, true)?),
            health_check: health_check(&runtime, &engine, &mode, samples * 10)?,
        });
    }
    print(&rows);
    Ok(())
}

/// `on-health-check` on a started game server: one call into the guest and
/// one SDK call back to the host.
fn health_check(
    runtime: &Runtime,
    engine: &GameEngine,
    mode: &GameMode,
    count: u64,
) -> anyhow::Result<Spread> {
    let mut instance = instantiate(runtime, engine, mode, &Arc::new(spec()), 0)?;
    runtime.block_on(instance.on_process_start())?;
    let mut samples = Vec::with_capacity(count as usize);
    for n in 0..count + count / 10 {
        let began = Instant::now();
        let healthy = runtime.block_on(instance.on_health_check())?;
        let took = began.elapsed();
        anyhow::ensure!(healthy, "the game mode reported itself unhealthy");
        if n >= count / 10 {
            samples.push(took);
        }
    }
    Ok(Spread::of(samples))
}

fn print(rows: &[Row]) {
    println!(
        "\n{:<11} {:>9} {:>9}  {:>21}  {:>21}  {:>21}",
        "language", "size", "compile", "instantiate", "+ on-process-start", "on-health-check"
    );
    println!(
        "{:<11} {:>9} {:>9}  {:>10} {:>10}  {:>10} {:>10}  {:>10} {:>10}",
        "", "", "", "median", "p99", "median", "p99", "median", "p99"
    );
    for r in rows {
        println!(
            "{:<11} {:>9} {:>9.2?}  {:>10.1?} {:>10.1?}  {:>10.1?} {:>10.1?}  {:>10.1?} {:>10.1?}",
            r.language,
            size(r.size),
            r.compile,
            r.instantiate.median,
            r.instantiate.p99,
            r.start.median,
            r.start.p99,
            r.health_check.median,
            r.health_check.p99,
        );
    }
}

/// A size in bytes, KiB or MiB.
fn size(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 => format!("{:.1} MiB", b as f64 / f64::from(1 << 20)),
        b if b >= 1 << 10 => format!("{:.1} KiB", b as f64 / f64::from(1 << 10)),
        b => format!("{b} B"),
    }
}
