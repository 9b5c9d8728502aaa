//! The harness's run: how much each part measures, where it finds what it
//! runs, and the rows of the table in the order of the design's targets.

mod abuse;
mod live;
mod matches;
mod micro;
mod system;

use crate::end_to_end::SessionSizes;
use crate::match_path::MatchSizes;
use crate::report::Row;
use std::path::PathBuf;
use std::time::Duration;

/// How much each part measures.
pub struct Sizes {
    batches: usize,
    rest_calls: usize,
    instantiations: u64,
    extism_instantiations: u64,
    processes: usize,
    sessions: SessionSizes,
    matches: MatchSizes,
    tick_matches: u64,
    burner_matches: u64,
    tick_window: Duration,
    gateway_players: usize,
    gateway_messages: usize,
    flood_players: usize,
    flood_rounds: usize,
    flood_window: Duration,
    hung_rounds: usize,
    swap_servers: usize,
    swap_rounds: usize,
    agones_rounds: usize,
}

impl Sizes {
    /// The quick run's sizes (a few minutes) or the full run's.
    pub fn new(quick: bool) -> Self {
        if quick {
            Self {
                batches: 50,
                rest_calls: 2_000,
                instantiations: 2_000,
                extism_instantiations: 500,
                processes: 100,
                sessions: SessionSizes::new(quick),
                matches: MatchSizes::new(quick),
                tick_matches: 5_000,
                burner_matches: 1_000,
                tick_window: Duration::from_secs(3),
                gateway_players: 20,
                gateway_messages: 200,
                flood_players: 20,
                flood_rounds: 2,
                flood_window: Duration::from_secs(2),
                hung_rounds: 20,
                swap_servers: 1_000,
                swap_rounds: 20,
                agones_rounds: 50,
            }
        } else {
            Self {
                batches: 500,
                rest_calls: 20_000,
                instantiations: 20_000,
                extism_instantiations: 5_000,
                processes: 500,
                sessions: SessionSizes::new(quick),
                matches: MatchSizes::new(quick),
                tick_matches: 5_000,
                burner_matches: 1_000,
                tick_window: Duration::from_secs(10),
                gateway_players: 100,
                gateway_messages: 1_000,
                flood_players: 20,
                flood_rounds: 4,
                flood_window: Duration::from_secs(3),
                hung_rounds: 100,
                swap_servers: 1_000,
                swap_rounds: 100,
                agones_rounds: 200,
            }
        }
    }
}

/// Where the harness finds what it runs, and where it writes.
pub struct Paths {
    /// The daemon's binary.
    pub gamehost: PathBuf,
    /// The process-per-match peer's binary.
    pub match_process: PathBuf,
    /// The Extism peer's plugin.
    pub extism_plugin: PathBuf,
    /// Where the results go.
    pub json: PathBuf,
}

impl Paths {
    /// The binaries beside this one, and the results file from the
    /// arguments (`--json PATH`; `--quick` is the only other one).
    pub fn from_args() -> anyhow::Result<Self> {
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

/// Measures everything: the in-process measures beside Extism, then the
/// REST sidecar, a process per match, the daemon end to end and density,
/// then the match path beside Colyseus, then game loops, a hung guest, the
/// hot swap and a pod under Agones.
pub fn run(sizes: &Sizes, paths: &Paths) -> anyhow::Result<Vec<Row>> {
    let mut rows = micro::rows(sizes, paths)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let system = runtime.block_on(system::rows(sizes, paths, &rows))?;
    rows.extend(system);
    drop(runtime);
    rows.extend(matches::rows(sizes, paths)?);
    rows.extend(live::rows(sizes)?);
    Ok(rows)
}
