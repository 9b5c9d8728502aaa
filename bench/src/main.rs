//! `gamehost-bench`: measures every performance target of the design that
//! can be measured on one machine, each beside the alternative a user would
//! pick instead, in one run: the Agones REST SDK sidecar, the Extism plugin
//! engine, and a process per match. Prints one table and writes the results
//! as JSON.
//!
//! Run it with `scripts/bench [--quick]`, which builds what it needs.

mod daemon;
mod density;
mod disk;
mod end_to_end;
mod extism_peer;
mod gamehost_side;
mod process_peer;
mod report;
mod sidecar_peer;
mod stats;

use gamehost::engine::{EngineSettings, GameEngine};
use report::{Machine, Results, Row, Unit};
use stats::{Spread, nanos};
use std::path::PathBuf;
use std::time::Duration;

/// SDK calls per timed batch: long enough to dwarf the cost of the export
/// call that runs the batch, short enough to stay far inside its deadline.
const CALLS_PER_BATCH: u32 = 10_000;
/// The density run's steps, in game servers. The engine's pool holds
/// 10,240 instances.
const DENSITY_STEPS: [u32; 3] = [1_000, 5_000, 10_000];
/// Eight GiB: the density target's memory.
const EIGHT_GIB: f64 = (8u64 << 30) as f64;

/// How much each part measures.
struct Sizes {
    batches: usize,
    rest_calls: usize,
    instantiations: u64,
    extism_instantiations: u64,
    processes: usize,
    sessions_alone: usize,
    sessions_in_flight: usize,
    reads_for: Duration,
}

impl Sizes {
    fn new(quick: bool) -> Self {
        if quick {
            Self {
                batches: 50,
                rest_calls: 2_000,
                instantiations: 2_000,
                extism_instantiations: 500,
                processes: 100,
                sessions_alone: 200,
                sessions_in_flight: 1_000,
                reads_for: Duration::from_secs(3),
            }
        } else {
            Self {
                batches: 500,
                rest_calls: 20_000,
                instantiations: 20_000,
                extism_instantiations: 5_000,
                processes: 500,
                sessions_alone: 1_000,
                sessions_in_flight: 5_000,
                reads_for: Duration::from_secs(10),
            }
        }
    }
}

/// Where the harness finds what it runs, and where it writes.
struct Paths {
    gamehost: PathBuf,
    match_process: PathBuf,
    extism_plugin: PathBuf,
    json: PathBuf,
}

impl Paths {
    fn new() -> anyhow::Result<Self> {
        let exe = std::env::current_exe()?;
        let dir = exe
            .parent()
            .ok_or_else(|| anyhow::anyhow!("no directory for {}", exe.display()))?;
        let mut args = std::env::args().skip(1);
        let mut json = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../benchmarks/results.json");
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--json" => {
                    json = args
                        .next()
                        .ok_or_else(|| anyhow::anyhow!("--json needs a path"))?
                        .into()
                }
                "--quick" => {}
                other => anyhow::bail!("unknown argument {other:?}; expected --quick, --json PATH"),
            }
        }
        Ok(Self {
            gamehost: dir.join("gamehost"),
            match_process: dir.join("match-process"),
            extism_plugin: dir.join("../wasm32-unknown-unknown/release/extism_bench_guest.wasm"),
            json,
        })
    }
}

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes = Sizes::new(quick);
    let paths = Paths::new()?;
    let machine = Machine::this();
    eprintln!("measuring on {}", machine.describe());
    let mut rows = micro(&sizes, &paths)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rows.extend(runtime.block_on(system(&sizes, &paths, &rows))?);
    let table = report::table(&rows);
    println!("\n{table}");
    let previous = std::fs::read_to_string(&paths.json).ok();
    if let Some(previous) = previous {
        report::compare(&previous, &rows);
    }
    if let Some(dir) = paths.json.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let results = Results {
        quick,
        finished_at: std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_secs(),
        machine: &machine,
        rows: &rows,
    };
    std::fs::write(&paths.json, serde_json::to_string_pretty(&results)? + "\n")?;
    eprintln!("wrote {}", paths.json.display());
    Ok(())
}

/// The in-process measures: SDK call against Extism's host call,
/// instantiation against Extism's, and starting a match.
fn micro(sizes: &Sizes, paths: &Paths) -> anyhow::Result<Vec<Row>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    eprintln!("SDK calls from a guest…");
    let sdk = gamehost_side::time_sdk_calls(&runtime, &engine, sizes.batches, CALLS_PER_BATCH)?;
    let sdk = Spread::of(sdk);
    eprintln!("Extism host calls and instantiation…");
    let extism = extism_peer::ExtismPeer::new(&paths.extism_plugin)?;
    let extism_call = Spread::of(extism.time_host_calls(sizes.batches, CALLS_PER_BATCH)?);
    let extism_start = Spread::of(extism.time_instantiation(sizes.extism_instantiations)?);
    eprintln!("instantiating game servers…");
    let arena = gamehost_side::load(&engine, gamehost_guests::ARENA)?;
    let warmup = sizes.instantiations / 10;
    gamehost_side::time_instantiation(&runtime, &engine, &arena, warmup, true)?;
    let instantiate = Spread::of(gamehost_side::time_instantiation(
        &runtime,
        &engine,
        &arena,
        sizes.instantiations,
        false,
    )?);
    let ready = Spread::of(gamehost_side::time_instantiation(
        &runtime,
        &engine,
        &arena,
        sizes.instantiations,
        true,
    )?);
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

/// The measures over HTTP and across processes: the REST sidecar, a process
/// per match, the daemon end to end, and density.
async fn system(sizes: &Sizes, paths: &Paths, micro: &[Row]) -> anyhow::Result<Vec<Row>> {
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    let sdk_median = micro[0].gamehost;
    let ready_median = micro[3].gamehost;
    eprintln!("the same SDK call over the REST sidecar…");
    let rest = Spread::of(sidecar_peer::time_rest_calls(&engine, sizes.rest_calls).await?);
    let ratio = nanos(rest.median) / sdk_median;
    let mut rows = vec![
        Row::new(
            "SDK call vs the REST SDK sidecar, median",
            Unit::Nanos,
            sdk_median,
        )
        .peer("Agones REST SDK, keep-alive", nanos(rest.median))
        .target("≥ 300× cheaper", ratio >= 300.0),
    ];
    eprintln!("a process per match…");
    let process = process_peer::measure(&paths.match_process, sizes.processes).await?;
    let process_start = Spread::of(process.start);
    eprintln!("a synchronous write on the store's disk…");
    let fsync = Spread::of(disk::time_synchronous_writes(&std::env::temp_dir(), 200)?);
    rows.push(Row::new(
        "context: 4 KiB write + fsync on the store's disk, median",
        Unit::Nanos,
        nanos(fsync.median),
    ));
    eprintln!("creating game sessions over HTTP…");
    let needed = sizes.sessions_alone + sizes.sessions_in_flight;
    let daemon = daemon::Daemon::start(&paths.gamehost, needed as u32 + 200, "sessions").await?;
    daemon.wait_ready(needed as u64 + 200).await?;
    let (alone, _) = end_to_end::create_sessions(&daemon, sizes.sessions_alone, 1).await?;
    let alone = Spread::of(alone);
    let (busy, took) = end_to_end::create_sessions(&daemon, sizes.sessions_in_flight, 200).await?;
    let per_second = sizes.sessions_in_flight as f64 / took.as_secs_f64();
    let busy = Spread::of(busy);
    let reads = end_to_end::reads_per_second(&daemon, 64, sizes.reads_for).await?;
    drop(daemon);
    let ms = |d: Duration| d <= Duration::from_millis(1);
    rows.extend([
        Row::new(
            "create game session → ACTIVE, 1 in flight, median",
            Unit::Nanos,
            nanos(alone.median),
        )
        .target("≤ 1 ms", ms(alone.median)),
        Row::new(
            "create game session → ACTIVE, 1 in flight, p99",
            Unit::Nanos,
            nanos(alone.p99),
        ),
        Row::new(
            "create game session → ACTIVE, 200 in flight, median",
            Unit::Nanos,
            nanos(busy.median),
        )
        .target("≤ 1 ms", ms(busy.median)),
        Row::new(
            "create game session → ACTIVE, 200 in flight, p99",
            Unit::Nanos,
            nanos(busy.p99),
        )
        .target("≤ 5 ms", busy.p99 <= Duration::from_millis(5)),
        Row::new(
            "game sessions created per second, 200 in flight",
            Unit::PerSecond,
            per_second,
        ),
        Row::new(
            "control-plane reads per second (GET a game server, 64 clients)",
            Unit::PerSecond,
            reads,
        ),
    ]);
    eprintln!("density…");
    let daemon = daemon::Daemon::start(&paths.gamehost, 0, "density").await?;
    let (base, steps) = density::measure(&daemon, &DENSITY_STEPS).await?;
    drop(daemon);
    for step in &steps {
        let n = step.game_servers;
        rows.push(Row::new(
            format!("grow the fleet to {n} Ready game servers"),
            Unit::Nanos,
            nanos(step.took),
        ));
        rows.push(Row::new(
            format!("daemon resident memory with {n} game servers"),
            Unit::Bytes,
            step.rss as f64,
        ));
    }
    let last = steps
        .last()
        .ok_or_else(|| anyhow::anyhow!("no density step"))?;
    let per_game_server = (last.rss.saturating_sub(base)) as f64 / f64::from(last.game_servers);
    rows.extend([
        Row::new(
            format!(
                "game servers held (resident memory {:.2} GiB)",
                last.rss as f64 / f64::from(1u32 << 30)
            ),
            Unit::Count,
            f64::from(last.game_servers),
        )
        .target(
            "≥ 10,000 in ≤ 8 GiB",
            last.game_servers >= 10_000 && (last.rss as f64) <= EIGHT_GIB,
        ),
        Row::new(
            "start a match until Ready, median",
            Unit::Nanos,
            ready_median,
        )
        .peer(
            "process per match (spawn → REST /ready)",
            nanos(process_start.median),
        ),
        Row::new(
            format!(
                "resident memory per match (at {} game servers)",
                last.game_servers
            ),
            Unit::Bytes,
            per_game_server,
        )
        .peer("process per match (RSS)", process.rss_per_match),
    ]);
    Ok(rows)
}
