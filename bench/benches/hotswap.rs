//! The in-place hot swap of 1,000 live game servers: each runs a match of
//! the example game mode (a game session, two connected players, a round
//! scored) while players keep sending messages; every game server is then
//! switched to the other version of Arena at once, handing its match over.
//! Prints the time until all are switched, per-server swap times, and the
//! calls that failed and players dropped during the swaps (there must be
//! none).
//!
//! Run with `cargo bench -p gamehost-bench --bench hotswap`; add `-- --quick`
//! for 100 game servers and fewer rounds.

use gamehost_bench::hotswap::{self, ALL_TARGET};
use gamehost_bench::stats::print;

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let (servers, rounds) = if quick { (100, 2) } else { (1_000, 6) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let f = runtime.block_on(hotswap::measure(servers, rounds))?;
    print(&[
        (
            format!("in-place swap of {servers} live game servers, all of them"),
            f.all,
            Some(ALL_TARGET),
        ),
        (
            format!("a game server switched, from the swap's start ({servers} at once)"),
            f.each,
            None,
        ),
    ]);
    println!(
        "matches handed over: {} of {}; player messages during the swaps: {} sent, {} failed; \
         players dropped: {} of {}",
        f.handed_over,
        f.swaps(),
        f.sent,
        f.failed,
        f.dropped,
        f.players
    );
    anyhow::ensure!(f.failed == 0, "calls failed during the swaps");
    anyhow::ensure!(f.handed_over == f.swaps(), "a match was not handed over");
    anyhow::ensure!(f.dropped == 0, "players were dropped by the swaps");
    Ok(())
}
