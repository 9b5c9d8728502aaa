//! The match path side by side with Colyseus (see
//! `gamehost_bench::match_path`): set-ups one and 32 at a time, a steady
//! run, players exchanging messages, and matches held with players
//! connected.
//!
//! Then Gamehost alone, as shipped and with each of its extras taken away
//! (`gamehost_bench::match_path::extras`): what its guarantees cost.
//!
//! Run with `cargo build --release -p gamehost && (cd bench/colyseus && npm
//! ci --legacy-peer-deps) && cargo bench -p gamehost-bench --bench
//! match_path`; add `-- --quick` for a shorter run, `-- --extras` for the
//! extras alone. It runs the daemon binary built beside it,
//! `target/release/gamehost`.

use gamehost_bench::match_path::extras::{self, VariantFigures};
use gamehost_bench::match_path::{self, MatchFigures, MatchSizes};

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let only_extras = std::env::args().any(|a| a == "--extras");
    let gamehost = gamehost_bench::daemon::release_binary()?;
    let sizes = MatchSizes::new(quick);
    if !only_extras {
        let (gamehost, colyseus) = match_path::measure(&gamehost, &sizes)?;
        for (name, figures) in [("Gamehost", gamehost), ("Colyseus", colyseus)] {
            print(name, &figures);
        }
    }
    let variants = extras::measure(&gamehost, &sizes)?;
    println!("Gamehost's extras:");
    for variant in variants {
        print_variant(&variant);
    }
    Ok(())
}

fn print_variant(v: &VariantFigures) {
    println!("  {}:", v.variant.describe());
    println!(
        "    set-up 32 at a time: median {:.2} ms, p99 {:.2} ms, {:.0}/s, server CPU {:.3} ms each \
         (store writer {:.3} ms, calls into the game mode {:.3} ms)",
        v.busy.median_ms,
        v.busy.p99_ms,
        v.busy.per_second,
        v.busy.cpu_ms_per_setup,
        v.busy.store_ms_per_setup,
        v.busy.guest_ms_per_setup
    );
    println!(
        "    messages: {:.0}/s, round trip p99 {:.2} ms, server CPU {:.1} µs each \
         (store writer {:.1} µs, calls into the game mode {:.1} µs)",
        v.messages.per_second,
        v.messages.round_trip_p99_ms,
        v.messages.cpu_us_per_message,
        v.messages.store_us_per_message,
        v.messages.guest_us_per_message
    );
}

fn print(name: &str, f: &MatchFigures) {
    println!("{name}:");
    println!(
        "  set-up 1 at a time: median {:.2} ms, p99 {:.2} ms, {:.0}/s",
        f.alone.median_ms, f.alone.p99_ms, f.alone.per_second
    );
    println!(
        "  set-up 32 at a time: median {:.2} ms, p99 {:.2} ms, {:.0}/s, server CPU {:.3} ms each",
        f.busy.median_ms, f.busy.p99_ms, f.busy.per_second, f.busy.cpu_ms_per_setup
    );
    if f.busy.store_ms_per_setup > 0.0 {
        println!(
            "    of which the store's writer thread {:.3} ms",
            f.busy.store_ms_per_setup
        );
    }
    println!(
        "  steady, 32 at a time, per window: {:?}/s",
        f.steady
            .per_second_by_window
            .iter()
            .map(|r| r.round())
            .collect::<Vec<_>>()
    );
    println!(
        "  failed set-ups: {} (game sessions retried for capacity: {})",
        f.alone.failures + f.busy.failures + f.steady.failures,
        f.alone.capacity_retries + f.busy.capacity_retries
    );
    println!(
        "  messages: {:.0}/s, round trip median {:.2} ms, p99 {:.2} ms, server CPU {:.1} µs each",
        f.messages.per_second,
        f.messages.round_trip_median_ms,
        f.messages.round_trip_p99_ms,
        f.messages.cpu_us_per_message
    );
    if f.messages.store_us_per_message > 0.0 {
        println!(
            "    of which the store's writer thread {:.1} µs",
            f.messages.store_us_per_message
        );
    }
    for step in &f.held.steps {
        println!(
            "  held {:.0} matches: {:.1} KiB each ({:.1} KiB as a proportional set size)",
            step.matches,
            step.bytes_per_match / 1024.0,
            step.pss_bytes_per_match / 1024.0
        );
    }
}
