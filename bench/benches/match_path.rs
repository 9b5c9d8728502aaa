//! The match path side by side with Colyseus (see
//! `gamehost_bench::match_path`): set-ups one and 32 at a time, a steady
//! run, players exchanging messages, and matches held with players
//! connected. Gamehost runs with one worker thread there, as Colyseus runs
//! on one Node.js thread (`gamehost_bench::match_path::WORKER_THREADS`).
//!
//! Then Gamehost alone, as shipped and with each of its extras taken away
//! (`gamehost_bench::match_path::extras`): what its guarantees cost.
//!
//! Run with `cargo build --release -p gamehost && (cd bench/colyseus && npm
//! ci --legacy-peer-deps) && cargo bench -p gamehost-bench --bench
//! match_path`; add `-- --quick` for a shorter run, `-- --extras` for the
//! extras alone, `-- --rounds N` for the messages step alone, N rounds of
//! the two systems in turn compared round by round
//! (`gamehost_bench::match_path::rounds`). It runs the daemon binary built
//! beside it, `target/release/gamehost`.

use gamehost_bench::match_path::extras::{self, VariantFigures};
use gamehost_bench::match_path::rounds::{self, Round};
use gamehost_bench::match_path::{self, MatchFigures, MatchSizes};

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let only_extras = std::env::args().any(|a| a == "--extras");
    let gamehost = gamehost_bench::daemon::release_binary()?;
    let sizes = MatchSizes::new(quick);
    if let Some(count) = rounds_asked()? {
        print_rounds(&rounds::measure(
            &gamehost,
            count,
            sizes.messages_for,
            print_round,
        )?);
        return Ok(());
    }
    if !only_extras {
        let (gamehost, colyseus) = match_path::measure(&gamehost, &sizes)?;
        let gamehost_name = format!("Gamehost ({} worker thread)", match_path::WORKER_THREADS);
        for (name, figures) in [(gamehost_name.as_str(), gamehost), ("Colyseus", colyseus)] {
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

/// The number after `--rounds`, if given.
fn rounds_asked() -> anyhow::Result<Option<usize>> {
    let args: Vec<String> = std::env::args().collect();
    let Some(at) = args.iter().position(|a| a == "--rounds") else {
        return Ok(None);
    };
    let count: usize = args
        .get(at + 1)
        .and_then(|n| n.parse().ok())
        .filter(|n| *n > 0)
        .ok_or_else(|| anyhow::anyhow!("--rounds needs a number of rounds, 1 or more"))?;
    Ok(Some(count))
}

fn print_round(number: usize, round: &Round) {
    let side = |m: &match_path::Messages| {
        format!(
            "{:>6.0}/s, p99 {:>5.1} ms, {:>4.1} µs",
            m.per_second, m.round_trip_p99_ms, m.cpu_us_per_message
        )
    };
    println!(
        "  round {number:>2}: Gamehost {} | Colyseus {} | CPU per message {:.2}×",
        side(&round.gamehost),
        side(&round.colyseus),
        round.cpu_ratio()
    );
}

fn print_rounds(all: &[Round]) {
    let median =
        |f: &dyn Fn(&Round) -> f64| rounds::median(all.iter().map(f).collect()).unwrap_or(f64::NAN);
    let ahead = all.iter().filter(|r| r.cpu_ratio() <= 1.0).count();
    println!(
        "medians of {} rounds: Gamehost {:.0} messages/s, p99 {:.1} ms, {:.1} µs each; \
         Colyseus {:.0}/s, p99 {:.1} ms, {:.1} µs each",
        all.len(),
        median(&|r| r.gamehost.per_second),
        median(&|r| r.gamehost.round_trip_p99_ms),
        median(&|r| r.gamehost.cpu_us_per_message),
        median(&|r| r.colyseus.per_second),
        median(&|r| r.colyseus.round_trip_p99_ms),
        median(&|r| r.colyseus.cpu_us_per_message),
    );
    println!(
        "Gamehost over Colyseus, median of the rounds' ratios: CPU per message {:.3}× \
         (at or under in {ahead} of {} rounds), messages per second {:.3}×, round-trip p99 {:.3}×",
        median(&|r| r.cpu_ratio()),
        all.len(),
        median(&|r| r.rate_ratio()),
        median(&|r| r.p99_ratio()),
    );
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
