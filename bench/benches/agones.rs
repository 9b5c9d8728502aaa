//! A Gamehost pod under Agones, with another Gamehost playing Agones:
//! prints the time from an allocation to its match ACTIVE on the host.
//!
//! Run with `cargo bench -p gamehost-bench --bench agones`; add
//! `-- --quick` for fewer rounds.

use gamehost_bench::agones;
use gamehost_bench::stats::print;

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let rounds = if quick { 50 } else { 200 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let spread = runtime.block_on(agones::measure(rounds))?;
    print(&[(
        format!("Agones pod: allocation → match ACTIVE ({rounds})"),
        spread,
        None,
    )]);
    Ok(())
}
