//! What the benchmarks share: templates, SDK state, loading guests, and
//! summarizing and printing timings.

use gamehost::engine::{GameEngine, GameMode};
use gamehost::gateway::PlayStats;
use gamehost::model::{
    CounterSpec, Endpoint, GameServer, GameServerSpec, Identity, ListSpec, SystemClock,
};
use gamehost::sdk::{GuestLog, SdkCalls, SdkCtx};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// A measured figure: its median and 99th percentile, against an optional
/// target.
pub struct Figure {
    pub measure: String,
    pub median: Duration,
    pub p99: Duration,
    pub target: Option<Duration>,
}

/// A quiet template with `counters` (key, capacity) and `lists`.
pub fn spec(counters: &[(&str, i64)], lists: &[&str]) -> Arc<GameServerSpec> {
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

/// Times instantiating `count` game servers of `mode`, each with a new SDK
/// state of the example game mode's template, optionally through
/// `on-process-start` (the game server declaring itself ready); a tenth as
/// many run first, untimed, to warm up.
pub fn time_instantiation(
    runtime: &Runtime,
    engine: &GameEngine,
    mode: &GameMode,
    count: u64,
    start: bool,
) -> anyhow::Result<Vec<Duration>> {
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
    Ok(samples)
}

/// The median and 99th percentile of `samples`.
pub fn summarize(
    measure: impl Into<String>,
    mut samples: Vec<Duration>,
    target: Option<Duration>,
) -> Figure {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
    Figure {
        measure: measure.into(),
        median: at(0.5),
        p99: at(0.99),
        target,
    }
}

/// Prints the figures as a table.
pub fn print(figures: &[Figure]) {
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
