//! The two stores side by side: create game session → ACTIVE over HTTP on
//! the embedded store and on a throw-away PostgreSQL on loopback, one at a
//! time and 64 in flight, with the daemon's CPU time and the database
//! operations per create; the failover to a standby host; and three hosts
//! on one PostgreSQL as a cluster (`gamehost_bench::cluster`).
//!
//! Run with `cargo build --release -p gamehost && cargo bench -p
//! gamehost-bench --bench stores`; add `-- --quick` for fewer requests. It
//! runs the daemon binary built beside it, `target/release/gamehost`, and
//! PostgreSQL's server programs (`./scripts/setup` installs them).

use gamehost_bench::end_to_end::SessionSizes;
use gamehost_bench::report::table;
use gamehost_bench::{cluster, stores};

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let sizes = SessionSizes::new(quick);
    let gamehost = gamehost_bench::daemon::release_binary()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let runs = runtime.block_on(stores::measure(&gamehost, sizes.alone, sizes.busy))?;
    let failover = runtime.block_on(stores::failover(&gamehost))?;
    let cluster = runtime.block_on(cluster::measure(&gamehost, sizes.alone, sizes.busy))?;
    let mut rows = stores::rows(&runs, failover);
    rows.extend(cluster::rows(&cluster, &runs[0]));
    print!("{}", table(&rows));
    Ok(())
}
