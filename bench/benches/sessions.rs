//! Game sessions created over HTTP against `gamehost serve`, one at a time
//! and 200 in flight, beside the floor of a request that does nothing at
//! the same concurrency, and control-plane reads per second.
//!
//! Run with `cargo build --release -p gamehost && cargo bench -p
//! gamehost-bench --bench sessions`; add `-- --quick` for fewer requests.
//! It runs the daemon binary built beside it, `target/release/gamehost`.

use gamehost_bench::end_to_end::{SessionSizes, Sessions};
use gamehost_bench::stats::print;
use std::time::Duration;

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let gamehost = gamehost_bench::daemon::release_binary()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let s = runtime.block_on(Sessions::measure(&gamehost, &SessionSizes::new(quick)))?;
    let n = Sessions::IN_FLIGHT;
    print(&[
        (
            "create game session → ACTIVE, 1 in flight".to_owned(),
            s.alone,
            Some(Duration::from_millis(1)),
        ),
        (
            format!("create game session → ACTIVE, {n} in flight"),
            s.busy,
            Some(Duration::from_millis(1)),
        ),
        (format!("GET /healthz, {n} in flight"), s.floor, None),
    ]);
    println!(
        "{:.0} game sessions created per second with {n} in flight, {:?} of the daemon's CPU \
         time each; {:.0} control-plane reads per second",
        s.per_second, s.cpu_per_creation, s.reads
    );
    Ok(())
}
