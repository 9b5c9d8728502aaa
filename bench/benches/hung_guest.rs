//! A hung guest: game servers spinning in an export until the engine
//! interrupts them at the call deadline, while a peer game server keeps
//! answering its player. Prints the time from the call to the fault, and
//! the peer's latency alone and while guests spin.
//!
//! Run with `cargo bench -p gamehost-bench --bench hung_guest`; add
//! `-- --quick` for fewer rounds, `-- --spinners N` for N guests spinning
//! at once (1 by default; 2 keeps both workers busy). Run it without
//! `RUST_BACKTRACE`, as `scripts/bench` does: with it, the first fault takes
//! about a quarter of a second longer to report (the host's error captures
//! a backtrace, and formatting the first one loads the debug information).

use gamehost_bench::hung_guest::{self, INTERRUPTION_TARGET, UNCHANGED_WITHIN};
use gamehost_bench::stats::print;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let spinners = args
        .iter()
        .position(|a| a == "--spinners")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1);
    let rounds = if quick { 20 } else { 100 };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let f = runtime.block_on(hung_guest::measure(rounds, spinners))?;
    print(&[
        (
            format!("hung guest: call → fault ({spinners} at once)"),
            f.interruption,
            Some(INTERRUPTION_TARGET),
        ),
        (
            "a peer's player message, alone".to_owned(),
            f.peer_alone,
            None,
        ),
        (
            format!("a peer's player message, {spinners} spinning"),
            f.peer_spinning,
            None,
        ),
    ]);
    println!(
        "call deadline {:?}; the peer's p99 while guests spin is {:.2}× its p99 alone \
         (unchanged within {UNCHANGED_WITHIN:?}: {})",
        f.deadline,
        f.peer_p99_ratio(),
        if f.peer_unchanged() { "yes" } else { "no" }
    );
    Ok(())
}
