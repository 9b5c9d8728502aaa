//! Engine benchmarks: a guest→host SDK call and the instantiation of the
//! example game mode, with their medians and 99th percentiles against the
//! targets.
//!
//! Run with `cargo bench -p gamehost --bench engine`; add `-- --quick` for a
//! shorter run.

use gamehost::engine::{EngineSettings, GameEngine, GameMode};
use gamehost::model::{
    CounterSpec, Endpoint, GameServer, GameServerSpec, Identity, ListSpec, SystemClock,
};
use gamehost::sdk::{GuestLog, SdkCalls, SdkCtx};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// SDK calls per timed batch: long enough to dwarf the cost of the export
/// call that runs the batch, short enough to stay far inside its deadline.
const CALLS_PER_BATCH: u32 = 10_000;

struct Figure {
    measure: &'static str,
    median: Duration,
    p99: Duration,
    target: Option<Duration>,
}

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

fn spec(counters: &[(&str, i64)], lists: &[&str]) -> Arc<GameServerSpec> {
    Arc::new(
        GameServerSpec {
            counters: counters
                .iter()
                .map(|(k, cap)| {
                    (
                        (*k).to_owned(),
                        CounterSpec {
                            count: 0,
                            capacity: *cap,
                        },
                    )
                })
                .collect(),
            lists: lists
                .iter()
                .map(|k| ((*k).to_owned(), ListSpec::default()))
                .collect::<BTreeMap<_, _>>(),
            player_capacity: 10,
            ..GameServerSpec::default()
        }
        .with_health_checks_off(),
    )
}

fn context(spec: &Arc<GameServerSpec>, n: u64) -> SdkCtx {
    let clock = Arc::new(SystemClock);
    let identity = Identity {
        name: format!("bench-{n}"),
        fleet: "bench".into(),
        uid: n.to_string(),
        host_id: "bench-host".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    };
    let name = identity.name.clone();
    let model = GameServer::new(identity, spec.clone(), clock.clone());
    SdkCtx::new(model, GuestLog::new(&name, clock), SdkCalls::default())
}

fn load(engine: &GameEngine, path: &str) -> anyhow::Result<GameMode> {
    Ok(engine.load(&gamehost_guests::read(path))?)
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
    let spec = spec(&[("rounds", 1000)], &["players"]);
    let mut samples = Vec::with_capacity(count as usize);
    for n in 0..count + count / 10 {
        let began = Instant::now();
        let mut instance = runtime
            .block_on(mode.instantiate(context(&spec, n), engine.default_limits()))
            .map_err(|(fault, _)| fault)?;
        if start {
            runtime.block_on(instance.on_process_start())?;
        }
        let took = began.elapsed();
        drop(instance);
        if n >= count / 10 {
            samples.push(took);
        }
    }
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

fn summarize(
    measure: &'static str,
    mut samples: Vec<Duration>,
    target: Option<Duration>,
) -> Figure {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Figure {
        measure,
        median: at(0.5),
        p99: at(0.99),
        target,
    }
}

fn print(figures: &[Figure]) {
    println!(
        "\n{:<42} {:>12} {:>12} {:>12}  verdict",
        "measure", "median", "p99", "target"
    );
    for f in figures {
        let (target, verdict) = match f.target {
            Some(t) => (
                format!("≤ {t:?}"),
                if f.median <= t { "met" } else { "MISSED" },
            ),
            None => ("-".to_owned(), ""),
        };
        println!(
            "{:<42} {:>12?} {:>12?} {:>12}  {}",
            f.measure, f.median, f.p99, target, verdict
        );
    }
}
