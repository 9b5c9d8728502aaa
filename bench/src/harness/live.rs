//! The measures of live matches, on a runtime of two workers (the design's
//! two cores): game loops and the gateway, a hung guest, the hot swap, and
//! allocations to a Gamehost pod under Agones.

use super::{Sizes, abuse};
use crate::hotswap::{self, SwapFigures};
use crate::hung_guest::{self, HungGuestFigures};
use crate::report::{Row, Unit};
use crate::stats::nanos;
use crate::ticks::{self, LATENESS_P99_TARGET, TICK_RATE_HZ, TickFigures};
use crate::{agones, gateway};
use std::time::Duration;

/// Guests spinning at once in the hung-guest measure: the design's one.
const SPINNERS: usize = 1;

/// The rows of ticks, the gateway, the hung guest, the hot swap and the
/// Agones pod.
pub fn rows(sizes: &Sizes) -> anyhow::Result<Vec<Row>> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    eprintln!("{} matches ticking…", sizes.tick_matches);
    let ticks = runtime.block_on(ticks::measure(sizes.tick_matches, sizes.tick_window))?;
    let mut rows = tick_rows(&ticks);
    rows.extend(abuse::burner_rows(&runtime, sizes)?);
    eprintln!("players through the gateway…");
    let players = sizes.gateway_players;
    let gateway = runtime.block_on(gateway::measure(players, sizes.gateway_messages))?;
    rows.push(Row::new(
        format!("context: gateway messages per second in and out ({players} players echoing)"),
        Unit::PerSecond,
        gateway.in_and_out_per_second(),
    ));
    rows.extend(abuse::flood_rows(&runtime, sizes)?);
    eprintln!("hung guests…");
    let hung = runtime.block_on(hung_guest::measure(sizes.hung_rounds, SPINNERS))?;
    rows.extend(hung_rows(&hung));
    eprintln!("hot swaps of {} live game servers…", sizes.swap_servers);
    let swap = runtime.block_on(hotswap::measure(sizes.swap_servers, sizes.swap_rounds))?;
    rows.extend(swap_rows(&swap));
    eprintln!("allocations to a Gamehost pod under Agones…");
    let allocated = runtime.block_on(agones::measure(sizes.agones_rounds))?;
    for (quantile, figure) in [("p50", allocated.median), ("p99", allocated.p99)] {
        rows.push(Row::new(
            format!("Agones pod: an allocation to its match ACTIVE {quantile}"),
            Unit::Nanos,
            nanos(figure),
        ));
    }
    Ok(rows)
}

fn tick_rows(f: &TickFigures) -> Vec<Row> {
    let prefix = format!("{} matches at {TICK_RATE_HZ} Hz", f.matches);
    // Past the histogram's last bound, the lateness counts as that bound.
    let lateness = |q: Option<Duration>| nanos(q.unwrap_or(Duration::from_secs(1)));
    vec![
        Row::new(
            format!("{prefix}: ticks run in {:?} (due: {})", f.window, f.due),
            Unit::Count,
            f.ticks as f64,
        ),
        Row::new(
            format!("{prefix}: tick overruns"),
            Unit::Count,
            f.overruns as f64,
        ),
        Row::new(
            format!("{prefix}: tick lateness p50"),
            Unit::Nanos,
            lateness(f.lateness_p50),
        ),
        Row::new(
            format!("{prefix}: tick lateness p99"),
            Unit::Nanos,
            lateness(f.lateness_p99),
        )
        .target(
            &format!("≤ {} ms on 2 cores", LATENESS_P99_TARGET.as_millis()),
            f.met(),
        ),
    ]
}

fn hung_rows(f: &HungGuestFigures) -> Vec<Row> {
    let hung = match f.spinners {
        1 => format!("a hung guest ({} ms deadline)", f.deadline.as_millis()),
        n => format!(
            "{n} hung guests at once ({} ms deadline)",
            f.deadline.as_millis()
        ),
    };
    let spinning = match f.spinners {
        1 => "a guest spins".to_owned(),
        n => format!("{n} guests spin"),
    };
    let target = hung_guest::INTERRUPTION_TARGET;
    vec![
        Row::new(
            format!("{hung}: call → fault reported, median"),
            Unit::Nanos,
            nanos(f.interruption.median),
        ),
        Row::new(
            format!("{hung}: call → fault reported, p99"),
            Unit::Nanos,
            nanos(f.interruption.p99),
        )
        .target(
            &format!("within {} ms", target.as_millis()),
            f.interruption.p99 <= target,
        ),
        Row::new(
            "a peer's player message, no guest spinning, p99",
            Unit::Nanos,
            nanos(f.peer_alone.p99),
        ),
        Row::new(
            format!("a peer's player message while {spinning}, p99"),
            Unit::Nanos,
            nanos(f.peer_spinning.p99),
        ),
        Row::new(
            format!("a peer's player message p99, while {spinning} / alone"),
            Unit::Times,
            f.peer_p99_ratio(),
        )
        .target(
            &format!(
                "other matches' latency unchanged (within {} ms)",
                hung_guest::UNCHANGED_WITHIN.as_millis()
            ),
            f.peer_unchanged(),
        ),
    ]
}

fn swap_rows(f: &SwapFigures) -> Vec<Row> {
    let n = f.servers;
    let target = format!("≤ {} ms", hotswap::ALL_TARGET.as_millis());
    vec![
        Row::new(
            format!("in-place swap of {n} live game servers, all of them, median"),
            Unit::Nanos,
            nanos(f.all.median),
        )
        .target(&target, f.all.median <= hotswap::ALL_TARGET),
        Row::new(
            format!("in-place swap of {n} live game servers, all of them, p99"),
            Unit::Nanos,
            nanos(f.all.p99),
        )
        .target(&target, f.all.p99 <= hotswap::ALL_TARGET),
        Row::new(
            format!(
                "failed player messages during the swaps (of {})",
                f.sent + f.failed
            ),
            Unit::Count,
            f.failed as f64,
        )
        .target("zero failed calls", f.failed == 0),
        Row::new(
            format!("matches handed over (of {} swaps)", f.swaps()),
            Unit::Count,
            f.handed_over as f64,
        )
        .target("every one", f.handed_over == f.swaps()),
        Row::new(
            format!("players dropped by the swaps (of {})", f.players),
            Unit::Count,
            f.dropped as f64,
        )
        .target("zero dropped players", f.dropped == 0),
    ]
}
