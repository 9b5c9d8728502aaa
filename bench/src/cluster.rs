//! Three hosts on one throw-away PostgreSQL on loopback, as one cluster:
//! create game session → ACTIVE asked of a host holding Ready game servers
//! (placed there) and of a host with none (forwarded to one that has),
//! one at a time and [`IN_FLIGHT`] in flight, with the daemons' CPU time
//! and database operations per create; then `kill -9` of one host and the
//! time until the fleet's replicas are Ready on the others.

use crate::daemon::Daemon;
use crate::end_to_end::create_sessions;
use crate::report::{Row, Unit};
use crate::stats::{Spread, cpu_time, nanos};
use crate::stores::{IN_FLIGHT, StoreRun};
use gamehost_tests::postgres::PgServer;
use std::path::Path;
use std::time::{Duration, Instant};

/// What the cluster measured, asked of one host.
pub struct Asked {
    /// Each creation's latency, one in flight.
    pub alone: Spread,
    /// Each creation's latency, [`IN_FLIGHT`] in flight.
    pub busy: Spread,
    /// Creations per second, [`IN_FLIGHT`] in flight.
    pub per_second: f64,
    /// The CPU time of every host per creation, [`IN_FLIGHT`] in flight.
    pub cpu_per_creation: Duration,
    /// Database operations of every host per creation.
    pub operations_per_creation: f64,
    /// The share of creations the host asked forwarded to another.
    pub forwarded: f64,
}

/// The cluster's figures: asked of a host holding Ready game servers, of a
/// host holding none, and the failover.
pub struct ClusterRun {
    /// Asked of the host that places the game session itself.
    pub holder: Asked,
    /// Asked of a host that forwards it.
    pub forwarder: Asked,
    /// From `kill -9` of one host to the fleet's replicas Ready on the two
    /// others.
    pub failover: Duration,
}

/// Starts the cluster and measures it: `alone` creations one at a time
/// and `busy` ones [`IN_FLIGHT`] at a time, asked of each kind of host.
pub async fn measure(gamehost: &Path, alone: usize, busy: usize) -> anyhow::Result<ClusterRun> {
    let server = PgServer::start();
    let url = server.new_database();
    // Each holder keeps `share` warm; the forwarder has room for one game
    // server, so that nearly every game session asked of it is forwarded.
    let share = (alone + busy + IN_FLIGHT) as u32;
    let replicas = (3 * share).to_string();
    let start = |id: &'static str, room: Option<&'static str>| {
        let url = url.clone();
        let replicas = replicas.clone();
        async move {
            let mut extra = vec!["--store", url.as_str(), "--host-id", id];
            extra.extend(["--max-game-servers", room.unwrap_or("10000")]);
            let replicas: u32 = replicas.parse()?;
            Daemon::start_with(gamehost, replicas, &format!("cluster-{id}"), &extra).await
        }
    };
    let a = start("a", None).await?;
    let b = start("b", None).await?;
    let c = start("c", Some("1")).await?;
    a.wait_ready(u64::from(share)).await?;
    b.wait_ready(u64::from(share)).await?;
    // The lease renewals carry the holders' Ready counts to the forwarder.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let hosts = [&a, &b, &c];
    let holder = asked(&a, &hosts, &c, alone, busy).await?;
    let forwarder = asked(&c, &hosts, &c, alone, busy).await?;

    // The two hosts left share the replicas; the forwarder keeps one.
    let survivor_share = u64::from(3 * share / 2);
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &b.pid()])
        .status()?;
    anyhow::ensure!(killed.success(), "kill -KILL {}", b.pid());
    let started = Instant::now();
    a.wait_ready(survivor_share).await?;
    let failover = started.elapsed();
    Ok(ClusterRun {
        holder,
        forwarder,
        failover,
    })
}

/// Creates game sessions through `host`, measuring every host's CPU and
/// database operations and how many `forwarder` forwarded.
async fn asked(
    host: &Daemon,
    hosts: &[&Daemon; 3],
    forwarder: &Daemon,
    alone: usize,
    busy: usize,
) -> anyhow::Result<Asked> {
    let (alone_samples, _) = create_sessions(host, alone, 1).await?;
    let forwarded_before = forwarder
        .metric("gamehost_forwarded_requests_total{outcome=\"answered\"} ")
        .await?;
    let mut operations_before = 0.0;
    let mut cpu_before = Duration::ZERO;
    for daemon in hosts {
        operations_before += daemon.metric("gamehost_database_seconds_count ").await?;
        cpu_before += cpu_time(&daemon.pid())?;
    }
    let (samples, took) = create_sessions(host, busy, IN_FLIGHT).await?;
    let mut operations = -operations_before;
    let mut cpu = Duration::ZERO;
    for daemon in hosts {
        operations += daemon.metric("gamehost_database_seconds_count ").await?;
        cpu += cpu_time(&daemon.pid())?;
    }
    let forwarded = forwarder
        .metric("gamehost_forwarded_requests_total{outcome=\"answered\"} ")
        .await?
        - forwarded_before;
    let forwarded = if std::ptr::eq(host, forwarder) {
        forwarded / busy as f64
    } else {
        0.0
    };
    Ok(Asked {
        alone: Spread::of(alone_samples),
        busy: Spread::of(samples),
        per_second: busy as f64 / took.as_secs_f64(),
        cpu_per_creation: cpu.saturating_sub(cpu_before) / busy as u32,
        operations_per_creation: operations / busy as f64,
        forwarded,
    })
}

/// The rows: the cluster's figures beside one host on the embedded store
/// (`embedded`, measured in the same run).
pub fn rows(cluster: &ClusterRun, embedded: &StoreRun) -> Vec<Row> {
    const EMBEDDED: &str = "one host, embedded store";
    let mut rows = Vec::new();
    for (asked, whom) in [
        (&cluster.holder, "asked of a host with Ready game servers"),
        (&cluster.forwarder, "asked of a host with none (forwarded)"),
    ] {
        rows.extend([
            Row::new(
                format!("3-host cluster: create → ACTIVE, {whom}, 1 in flight, median"),
                Unit::Nanos,
                nanos(asked.alone.median),
            )
            .peer(EMBEDDED, nanos(embedded.alone.median))
            .target("≤ 3 ms", asked.alone.median <= Duration::from_millis(3)),
            Row::new(
                format!("3-host cluster: create → ACTIVE, {whom}, {IN_FLIGHT} in flight, median"),
                Unit::Nanos,
                nanos(asked.busy.median),
            )
            .peer(EMBEDDED, nanos(embedded.busy.median)),
            Row::new(
                format!("3-host cluster: create → ACTIVE, {whom}, {IN_FLIGHT} in flight, p99"),
                Unit::Nanos,
                nanos(asked.busy.p99),
            )
            .peer(EMBEDDED, nanos(embedded.busy.p99)),
            Row::new(
                format!("3-host cluster: game sessions per second, {whom}, {IN_FLIGHT} in flight"),
                Unit::PerSecond,
                asked.per_second,
            )
            .peer(EMBEDDED, embedded.per_second),
            Row::new(
                format!("3-host cluster: CPU time of all hosts per create, {whom}"),
                Unit::Nanos,
                nanos(asked.cpu_per_creation),
            )
            .peer(EMBEDDED, nanos(embedded.cpu_per_creation)),
            Row::new(
                format!("3-host cluster: database operations per create, {whom}"),
                Unit::Count,
                asked.operations_per_creation,
            ),
        ]);
    }
    rows.push(Row::new(
        "3-host cluster: creates forwarded per create asked of the host with none",
        Unit::Count,
        cluster.forwarder.forwarded,
    ));
    rows.push(
        Row::new(
            "3-host cluster: kill -9 of a host → the fleet's replicas Ready on the others",
            Unit::Nanos,
            nanos(cluster.failover),
        )
        .target("≤ 10 s", cluster.failover <= Duration::from_secs(10)),
    );
    rows
}
