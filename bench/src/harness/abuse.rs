//! The measures of abuse, on the two-worker runtime of the live measures:
//! matches ticking beside game servers that burn CPU, and players' round
//! trips under a flood of the gateway.

use super::Sizes;
use crate::flood::{self, FLOODED_P99_WITHIN};
use crate::report::{Row, Unit};
use crate::stats::nanos;
use crate::ticks::{self, LATENESS_P99_TARGET, TICK_RATE_HZ};
use std::time::Duration;

/// Game servers burning CPU beside the matches in the burner measure: four,
/// on two cores.
const BURNERS: u64 = 4;

/// Tick lateness of matches alone, beside burners without a CPU budget, and
/// beside burners held to [`ticks::BURNER_BUDGET`], one after the other.
pub(super) fn burner_rows(
    runtime: &tokio::runtime::Runtime,
    sizes: &Sizes,
) -> anyhow::Result<Vec<Row>> {
    let matches = sizes.burner_matches;
    let budget = ticks::BURNER_BUDGET;
    let burning = format!(
        "beside {BURNERS} game servers burning {} ms a tick",
        ticks::BURN_MILLIS
    );
    let runs = [
        ("alone".to_owned(), None, false),
        (
            format!("{burning}, no CPU budget"),
            Some(ticks::Burners {
                count: BURNERS,
                budget: None,
            }),
            false,
        ),
        (
            format!(
                "{burning}, a CPU budget of {} millicores",
                budget.millicores
            ),
            Some(ticks::Burners {
                count: BURNERS,
                budget: Some(budget),
            }),
            true,
        ),
    ];
    let mut rows = Vec::new();
    for (name, burners, targeted) in runs {
        eprintln!("{matches} matches ticking, {name}…");
        let f = runtime.block_on(ticks::measure_beside(matches, burners, sizes.tick_window))?;
        let p99 = f.lateness_p99.unwrap_or(Duration::from_secs(1));
        let row = Row::new(
            format!("{matches} matches at {TICK_RATE_HZ} Hz {name}: tick lateness p99"),
            Unit::Nanos,
            nanos(p99),
        );
        rows.push(if targeted {
            row.target(
                &format!("≤ {} ms on 2 cores", LATENESS_P99_TARGET.as_millis()),
                f.met(),
            )
        } else {
            row
        });
    }
    Ok(rows)
}

/// Players' round trips alone and under a flood, with what the flood sent.
pub(super) fn flood_rows(
    runtime: &tokio::runtime::Runtime,
    sizes: &Sizes,
) -> anyhow::Result<Vec<Row>> {
    eprintln!("a flood of the gateway…");
    let f = runtime.block_on(flood::measure(
        sizes.flood_players,
        sizes.flood_rounds,
        sizes.flood_window,
    ))?;
    let prefix = format!("gateway flood ({} players echoing)", f.players);
    Ok(vec![
        Row::new(
            format!("{prefix}: round trip p99, quiet"),
            Unit::Nanos,
            nanos(f.quiet.p99),
        ),
        Row::new(
            format!("{prefix}: round trip p99, under the flood"),
            Unit::Nanos,
            nanos(f.flooded.p99),
        ),
        Row::new(
            format!("{prefix}: round trip p99, flooded / quiet"),
            Unit::Times,
            f.p99_ratio(),
        )
        .target(&format!("≤ {FLOODED_P99_WITHIN}×"), f.met()),
        Row::new(
            format!("{prefix}: connection attempts made"),
            Unit::Count,
            f.attempts as f64,
        ),
        Row::new(
            format!("{prefix}: connection attempts refused (429)"),
            Unit::Count,
            f.refused as f64,
        ),
        Row::new(
            format!("{prefix}: garbage connections"),
            Unit::Count,
            f.garbage as f64,
        ),
        Row::new(
            format!("{prefix}: abusive players disconnected"),
            Unit::Count,
            f.abusive_disconnected as f64,
        ),
        Row::new(format!("{prefix}: panics"), Unit::Count, f.panics as f64)
            .target("none", f.panics == 0),
    ])
}
