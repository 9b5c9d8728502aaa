//! The measures over HTTP and across processes: the REST sidecar, a process
//! per match, the daemon end to end (on each store), and density.

use super::{Paths, Sizes};
use crate::daemon::Daemon;
use crate::end_to_end::Sessions;
use crate::report::{Row, Unit};
use crate::stats::{Spread, nanos};
use crate::{cluster, density, disk, process_peer, sidecar_peer, stores};
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use std::time::Duration;

/// The density run's steps, in game servers, up to what fits this
/// machine's memory; the daemon is given room for the last step its
/// kernel's `vm.max_map_count` allows (10,255 game servers at the default
/// of 65,530), and the run stops there.
const DENSITY_STEPS: [u32; 6] = [1_000, 5_000, 10_000, 25_000, 50_000, 100_000];
/// The floor beside the game sessions created many in flight: a request
/// that does nothing, as many in flight, through the same client and server.
const NO_OP: &str = "floor: GET /healthz, as many in flight";
/// Eight GiB: the density target's memory.
const EIGHT_GIB: f64 = (8u64 << 30) as f64;

/// The rows, given the in-process rows `micro` (whose SDK call and
/// ready-to-call figures they compare against).
pub async fn rows(sizes: &Sizes, paths: &Paths, micro: &[Row]) -> anyhow::Result<Vec<Row>> {
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
    let Sessions {
        alone,
        busy,
        per_second,
        cpu_per_creation,
        floor,
        reads,
    } = Sessions::measure(&paths.gamehost, &sizes.sessions).await?;
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
        .peer(NO_OP, nanos(floor.median))
        .target("≤ 1 ms", ms(busy.median)),
        Row::new(
            "create game session → ACTIVE, 200 in flight, p99",
            Unit::Nanos,
            nanos(busy.p99),
        )
        .peer(NO_OP, nanos(floor.p99))
        .target("≤ 5 ms", busy.p99 <= Duration::from_millis(5)),
        Row::new(
            "game sessions created per second, 200 in flight",
            Unit::PerSecond,
            per_second,
        ),
        Row::new(
            "context: daemon CPU time per game session created, 200 in flight",
            Unit::Nanos,
            nanos(cpu_per_creation),
        ),
        Row::new(
            "control-plane reads per second (GET a game server, 64 clients)",
            Unit::PerSecond,
            reads,
        ),
    ]);
    eprintln!("creating game sessions on each store…");
    let stores =
        stores::measure(&paths.gamehost, sizes.sessions.alone, sizes.sessions.busy).await?;
    eprintln!("failover to a standby host…");
    let failover = stores::failover(&paths.gamehost).await?;
    rows.extend(stores::rows(&stores, failover));
    eprintln!("a cluster of three hosts…");
    let cluster =
        cluster::measure(&paths.gamehost, sizes.sessions.alone, sizes.sessions.busy).await?;
    rows.extend(cluster::rows(&cluster, &stores[0]));
    eprintln!("density…");
    let (within, beyond) = density::steps_within_map_count(&DENSITY_STEPS);
    let room = within.last().copied().unwrap_or(DENSITY_STEPS[0]);
    let daemon = Daemon::start_dense(&paths.gamehost, room, "density").await?;
    let density::Density {
        base,
        steps,
        stopped,
    } = density::measure(&daemon, &within).await?;
    drop(daemon);
    let limit = match stopped.or(beyond) {
        Some((n, why)) => {
            eprintln!("density: stopped before {n} game servers: {why}");
            format!("stopped before {n}: {why}")
        }
        None => "every step reached".into(),
    };
    for step in &steps {
        let n = step.game_servers;
        rows.push(Row::new(
            format!("grow to {n} Ready game servers"),
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
    // The target bounds memory, so the figure is the largest step that
    // stayed within it, not the last step reached.
    let (held, held_rss) = steps
        .iter()
        .rev()
        .find(|step| step.rss as f64 <= EIGHT_GIB)
        .map_or((0, 0), |step| (step.game_servers, step.rss));
    rows.extend([
        Row::new(
            format!(
                "game servers held within 8 GiB (resident memory {:.2} GiB; {limit})",
                held_rss as f64 / f64::from(1u32 << 30)
            ),
            Unit::Count,
            f64::from(held),
        )
        .target("≥ 10,000 in ≤ 8 GiB", held >= 10_000),
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
