//! The two stores side by side in one run: create game session → ACTIVE
//! over HTTP on a daemon on the embedded store, and on one whose store is a
//! throw-away PostgreSQL on loopback, one at a time and 64 in flight; with
//! the daemon's CPU time and the database operations per create. And the
//! failover to a standby host: from `kill -9` of the host holding the
//! database to its fleet's replicas Ready on the standby.

use crate::daemon::Daemon;
use crate::end_to_end::create_sessions;
use crate::report::{Row, Unit};
use crate::stats::{Spread, cpu_time, nanos};
use gamehost_tests::postgres::PgServer;
use std::path::Path;
use std::time::Duration;

/// The requests in flight of the busy part, as the cluster's target says.
pub const IN_FLIGHT: usize = 64;

/// The fleet's replicas in the failover run.
pub const FAILOVER_REPLICAS: u32 = 16;

/// What one store's daemon measured.
pub struct StoreRun {
    /// Each creation's latency, one in flight.
    pub alone: Spread,
    /// Each creation's latency, [`IN_FLIGHT`] in flight.
    pub busy: Spread,
    /// Creations per second, [`IN_FLIGHT`] in flight.
    pub per_second: f64,
    /// The daemon's CPU time per creation, [`IN_FLIGHT`] in flight.
    pub cpu_per_creation: Duration,
    /// Operations on the database per creation (transactions, reads and
    /// lease renewals, from `/metrics`); none on the embedded store.
    pub operations_per_creation: Option<f64>,
}

/// Measures `alone` creations one at a time and `busy` of them
/// [`IN_FLIGHT`] at a time on each store: the embedded one, then
/// PostgreSQL.
pub async fn measure(gamehost: &Path, alone: usize, busy: usize) -> anyhow::Result<[StoreRun; 2]> {
    eprintln!("  on the embedded store…");
    let embedded = run(gamehost, alone, busy, None).await?;
    eprintln!("  on PostgreSQL (a throw-away server on loopback)…");
    let server = PgServer::start();
    let url = server.new_database();
    let postgres = run(gamehost, alone, busy, Some(&url)).await?;
    Ok([embedded, postgres])
}

async fn run(
    gamehost: &Path,
    alone: usize,
    busy: usize,
    database: Option<&str>,
) -> anyhow::Result<StoreRun> {
    let needed = (alone + busy + IN_FLIGHT) as u32;
    let extra: Vec<&str> = database.map(|url| vec!["--store", url]).unwrap_or_default();
    let daemon = Daemon::start_with(gamehost, needed, "stores", &extra).await?;
    daemon.wait_ready(u64::from(needed)).await?;
    let (alone_samples, _) = create_sessions(&daemon, alone, 1).await?;
    let operations_before = database_operations(&daemon).await?;
    let cpu_before = cpu_time(&daemon.pid())?;
    let (samples, took) = create_sessions(&daemon, busy, IN_FLIGHT).await?;
    let cpu = cpu_time(&daemon.pid())? - cpu_before;
    let operations = database_operations(&daemon).await? - operations_before;
    Ok(StoreRun {
        alone: Spread::of(alone_samples),
        busy: Spread::of(samples),
        per_second: busy as f64 / took.as_secs_f64(),
        cpu_per_creation: cpu / busy as u32,
        operations_per_creation: database.map(|_| operations / busy as f64),
    })
}

/// The daemon's database operations so far (`gamehost_database_seconds`'
/// count), 0 on the embedded store.
async fn database_operations(daemon: &Daemon) -> anyhow::Result<f64> {
    daemon.metric("gamehost_database_seconds_count ").await
}

/// Starts a host on a throw-away PostgreSQL with [`FAILOVER_REPLICAS`]
/// Ready game servers and a standby beside it, kills the host with SIGKILL,
/// and returns the time until the standby has the replicas Ready.
pub async fn failover(gamehost: &Path) -> anyhow::Result<Duration> {
    let server = PgServer::start();
    let url = server.new_database();
    let replicas = FAILOVER_REPLICAS;
    let first = ["--store", url.as_str(), "--host-id", "first"];
    let first = Daemon::start_with(gamehost, replicas, "failover-first", &first).await?;
    first.wait_ready(u64::from(replicas)).await?;
    let standby = {
        let (gamehost, url) = (gamehost.to_owned(), url.clone());
        tokio::spawn(async move {
            let args = ["--store", url.as_str(), "--host-id", "standby", "--standby"];
            Daemon::start_with(&gamehost, replicas, "failover-standby", &args).await
        })
    };
    // The standby joins the database and waits for the lease.
    tokio::time::sleep(Duration::from_secs(2)).await;
    anyhow::ensure!(!standby.is_finished(), "the standby did not wait");
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &first.pid()])
        .status()?;
    anyhow::ensure!(killed.success(), "kill -KILL {}", first.pid());
    let started = std::time::Instant::now();
    let standby = standby.await??;
    standby.wait_ready(u64::from(replicas)).await?;
    Ok(started.elapsed())
}

/// The rows: PostgreSQL's figures, the embedded store's beside them, and
/// the failover's time.
pub fn rows([embedded, postgres]: &[StoreRun; 2], failover: Duration) -> Vec<Row> {
    const EMBEDDED: &str = "the embedded store";
    let mut rows = vec![
        Row::new(
            "PostgreSQL store: create → ACTIVE, 1 in flight, median",
            Unit::Nanos,
            nanos(postgres.alone.median),
        )
        .peer(EMBEDDED, nanos(embedded.alone.median))
        .target("≤ 3 ms", postgres.alone.median <= Duration::from_millis(3)),
        Row::new(
            "PostgreSQL store: create → ACTIVE, 1 in flight, p99",
            Unit::Nanos,
            nanos(postgres.alone.p99),
        )
        .peer(EMBEDDED, nanos(embedded.alone.p99)),
        Row::new(
            format!("PostgreSQL store: create → ACTIVE, {IN_FLIGHT} in flight, median"),
            Unit::Nanos,
            nanos(postgres.busy.median),
        )
        .peer(EMBEDDED, nanos(embedded.busy.median)),
        Row::new(
            format!("PostgreSQL store: create → ACTIVE, {IN_FLIGHT} in flight, p99"),
            Unit::Nanos,
            nanos(postgres.busy.p99),
        )
        .peer(EMBEDDED, nanos(embedded.busy.p99)),
        Row::new(
            format!("PostgreSQL store: game sessions created per second, {IN_FLIGHT} in flight"),
            Unit::PerSecond,
            postgres.per_second,
        )
        .peer(EMBEDDED, embedded.per_second),
        Row::new(
            format!("PostgreSQL store: daemon CPU time per create, {IN_FLIGHT} in flight"),
            Unit::Nanos,
            nanos(postgres.cpu_per_creation),
        )
        .peer(EMBEDDED, nanos(embedded.cpu_per_creation)),
    ];
    rows.push(
        Row::new(
            format!("failover to a standby: kill -9 → {FAILOVER_REPLICAS} replicas Ready on it"),
            Unit::Nanos,
            nanos(failover),
        )
        .target("≤ 10 s", failover <= Duration::from_secs(10)),
    );
    if let Some(operations) = postgres.operations_per_creation {
        rows.push(Row::new(
            format!("PostgreSQL store: database operations per create, {IN_FLIGHT} in flight"),
            Unit::Count,
            operations,
        ));
    }
    rows
}
