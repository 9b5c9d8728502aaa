//! Players and game loops: many matches ticking at 30 Hz on this machine,
//! with how late their ticks start (p50/p99 against the 5 ms target), and
//! messages per second through the WebSocket gateway of a daemon serving on
//! loopback.
//!
//! Run with `cargo bench -p gamehost-bench --bench play`; `-- --quick` for a
//! shorter run, `-- --matches N` for another number of matches, `-- --burners
//! N` to tick them beside N game servers burning CPU on every tick, and
//! `-- --budget M` to hold those to a CPU budget of M millicores.

use gamehost_bench::gateway;
use gamehost_bench::ticks::{self, LATENESS_P99_TARGET, TICK_RATE_HZ};
use gamehost_model::CpuBudgetSpec;
use std::time::Duration;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let number = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .and_then(|n| n.parse::<u64>().ok())
    };
    let matches = number("--matches").unwrap_or(5_000);
    let burners = number("--burners").map(|count| ticks::Burners {
        count,
        budget: number("--budget").map(|millicores| CpuBudgetSpec {
            millicores: u32::try_from(millicores).unwrap_or(u32::MAX),
            ..ticks::BURNER_BUDGET
        }),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let window = Duration::from_secs(if quick { 3 } else { 10 });
    let t = runtime.block_on(ticks::measure_beside(matches, burners, window))?;
    println!(
        "{matches} matches of arena started in {:.2?}; ticking at {TICK_RATE_HZ} Hz",
        t.started_in
    );
    if let Some(b) = burners {
        println!(
            "beside {} game servers burning {} ms a tick, CPU budget: {}",
            b.count,
            ticks::BURN_MILLIS,
            b.budget.map_or("none".to_owned(), |b| format!(
                "{} millicores",
                b.millicores
            ))
        );
    }
    let quantile = |q: Option<Duration>| q.map_or("over 1 s".to_owned(), |d| format!("≤ {d:?}"));
    println!(
        "ticks: {} in {window:?} ({:.0}/s, {:.1}% of the {} due), overruns {}",
        t.ticks,
        t.ticks as f64 / window.as_secs_f64(),
        100.0 * t.ticks as f64 / t.due as f64,
        t.due,
        t.overruns
    );
    println!(
        "tick lateness: p50 {}, p99 {} (target p99 ≤ {LATENESS_P99_TARGET:?}: {})",
        quantile(t.lateness_p50),
        quantile(t.lateness_p99),
        if t.met() { "met" } else { "MISSED" }
    );
    let (players, messages) = if quick { (20, 200) } else { (100, 1_000) };
    let g = runtime.block_on(gateway::measure(players, messages))?;
    println!(
        "gateway: {players} players, {} messages in and {} out in {:.2?}: \
         {:.0} messages/s in, {:.0} messages/s in and out",
        g.messages_in,
        g.messages_out,
        g.took,
        g.in_per_second(),
        g.in_and_out_per_second()
    );
    Ok(())
}
