//! End to end over HTTP: create a game session on the fleet (placement,
//! `on-start-game-session`, the guest activating it) until the answer says
//! ACTIVE, one at a time and many in flight; the same number in flight of a
//! request that does nothing, the floor under any request; and control-plane
//! reads per second.

use crate::daemon::{Daemon, FLEET};
use crate::load::Connection;
use crate::stats::{Spread, cpu_time};
use bytes::Bytes;
use hyper::Method;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The part of a game session's JSON the load generator checks.
#[derive(serde::Deserialize)]
struct Created<'a> {
    status: &'a str,
}

/// How much [`Sessions::measure`] measures.
pub struct SessionSizes {
    /// Game sessions created one at a time.
    pub alone: usize,
    /// Game sessions created [`Sessions::IN_FLIGHT`] at a time.
    pub busy: usize,
    /// Requests to `GET /healthz`, as many at a time.
    pub no_ops: usize,
    /// How long control-plane reads are counted.
    pub reads_for: Duration,
}

impl SessionSizes {
    /// The quick run's sizes or the full run's.
    pub fn new(quick: bool) -> Self {
        if quick {
            Self {
                alone: 200,
                busy: 1_000,
                no_ops: 20_000,
                reads_for: Duration::from_secs(3),
            }
        } else {
            Self {
                alone: 1_000,
                busy: 5_000,
                no_ops: 100_000,
                reads_for: Duration::from_secs(10),
            }
        }
    }
}

/// Game sessions created over HTTP against a daemon of their own, and the
/// floor beside them.
pub struct Sessions {
    /// Each creation's latency, one in flight.
    pub alone: Spread,
    /// Each creation's latency, [`Sessions::IN_FLIGHT`] in flight.
    pub busy: Spread,
    /// Creations per second, [`Sessions::IN_FLIGHT`] in flight.
    pub per_second: f64,
    /// The daemon's CPU time (all its threads, user and system) per
    /// creation, [`Sessions::IN_FLIGHT`] in flight: what bounds creations
    /// per second on a machine's cores.
    pub cpu_per_creation: Duration,
    /// `GET /healthz` latency, as many in flight.
    pub floor: Spread,
    /// Control-plane reads per second.
    pub reads: f64,
}

impl Sessions {
    /// The requests in flight of the busy run, as in the design's target.
    pub const IN_FLIGHT: usize = 200;

    /// Starts `gamehost` with enough Ready game servers, creates
    /// `sizes.alone` game sessions one at a time and then `sizes.busy` of
    /// them [`Self::IN_FLIGHT`] at a time, sends `sizes.no_ops` requests to
    /// `GET /healthz` as many at a time, and reads a game server with 64
    /// clients for `sizes.reads_for`.
    pub async fn measure(gamehost: &Path, sizes: &SessionSizes) -> anyhow::Result<Self> {
        let &SessionSizes {
            alone,
            busy,
            no_ops,
            reads_for,
        } = sizes;
        let needed = (alone + busy + Self::IN_FLIGHT) as u32;
        let daemon = Daemon::start(gamehost, needed, "sessions").await?;
        daemon.wait_ready(u64::from(needed)).await?;
        eprintln!("  {alone} game sessions, one at a time…");
        let (alone, _) = create_sessions(&daemon, alone, 1).await?;
        eprintln!("  {busy} game sessions, {} in flight…", Self::IN_FLIGHT);
        let cpu_before = cpu_time(&daemon.pid())?;
        let (samples, took) = create_sessions(&daemon, busy, Self::IN_FLIGHT).await?;
        let cpu = cpu_time(&daemon.pid())? - cpu_before;
        eprintln!(
            "  {no_ops} requests to GET /healthz, {} in flight…",
            Self::IN_FLIGHT
        );
        let floor = no_op_requests(&daemon, no_ops, Self::IN_FLIGHT).await?;
        eprintln!("  control-plane reads for {reads_for:?}…");
        let reads = reads_per_second(&daemon, 64, reads_for).await?;
        Ok(Self {
            alone: Spread::of(alone),
            busy: Spread::of(samples),
            per_second: busy as f64 / took.as_secs_f64(),
            cpu_per_creation: cpu / busy as u32,
            floor: Spread::of(floor),
            reads,
        })
    }
}

/// Creates `count` game sessions, `in_flight` at a time; returns each
/// one's latency and the whole run's duration.
pub async fn create_sessions(
    daemon: &Daemon,
    count: usize,
    in_flight: usize,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let path: Arc<str> = format!("/v1/fleets/{FLEET}/gamesessions").into();
    let body = Bytes::from_static(br#"{"maximumPlayerSessionCount":2}"#);
    closed_loop(daemon.addr, count, in_flight, move |mut connection| {
        let (path, body) = (path.clone(), body.clone());
        async move {
            let (status, answer) = connection.send(Method::POST, &path, Some(body)).await?;
            let created: Option<Created> = serde_json::from_slice(&answer).ok();
            anyhow::ensure!(
                status.is_success() && created.is_some_and(|c| c.status == "ACTIVE"),
                "creating a game session answered {status}: {}",
                String::from_utf8_lossy(&answer)
            );
            Ok(connection)
        }
    })
    .await
}

/// Sends `count` requests to `GET /healthz`, which answers at once without
/// reading or writing anything, `in_flight` at a time through the same
/// client and server stack; returns each one's latency. What any request
/// costs at that concurrency on this machine, with the client beside it.
async fn no_op_requests(
    daemon: &Daemon,
    count: usize,
    in_flight: usize,
) -> anyhow::Result<Vec<Duration>> {
    let (samples, _) = closed_loop(daemon.addr, count, in_flight, |mut connection| async move {
        let (status, answer) = connection.send(Method::GET, "/healthz", None).await?;
        anyhow::ensure!(
            status.is_success(),
            "GET /healthz answered {status}: {answer:?}"
        );
        Ok(connection)
    })
    .await?;
    Ok(samples)
}

/// Runs `request` `count` times with `in_flight` workers, each on a
/// connection of its own to `addr` (which `request` is lent and gives
/// back) and sending its next request when its last one was answered;
/// returns each request's latency and the whole run's duration (from when
/// every worker is connected).
async fn closed_loop<F, R>(
    addr: SocketAddr,
    count: usize,
    in_flight: usize,
    request: F,
) -> anyhow::Result<(Vec<Duration>, Duration)>
where
    F: Fn(Connection) -> R + Clone + Send + 'static,
    R: Future<Output = anyhow::Result<Connection>> + Send,
{
    let mut connections = Vec::with_capacity(in_flight);
    for _ in 0..in_flight {
        connections.push(Connection::open(addr).await?);
    }
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = Vec::with_capacity(in_flight);
    for mut connection in connections {
        let (request, next) = (request.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let began = Instant::now();
                connection = request(connection).await?;
                samples.push(began.elapsed());
            }
            Ok::<_, anyhow::Error>(samples)
        }));
    }
    let mut samples = Vec::with_capacity(count);
    for worker in workers {
        samples.extend(worker.await??);
    }
    Ok((samples, start.elapsed()))
}

/// Reads one game server's record with `clients` concurrent clients for
/// `duration`; returns requests per second.
async fn reads_per_second(
    daemon: &Daemon,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<f64> {
    let list = daemon.get_json("/v1/gameservers").await?;
    let name = list["gameServers"][0]["objectMeta"]["name"]
        .as_str()
        .ok_or_else(|| anyhow::anyhow!("no game server in {list}"))?
        .to_owned();
    let url = Arc::new(format!("{}/v1/gameservers/{name}", daemon.url));
    let done = Arc::new(AtomicUsize::new(0));
    let end = Instant::now() + duration;
    let start = Instant::now();
    let mut workers = Vec::with_capacity(clients);
    for _ in 0..clients {
        let (client, url, done) = (daemon.client.clone(), url.clone(), done.clone());
        workers.push(tokio::spawn(async move {
            while Instant::now() < end {
                client
                    .get(url.as_str())
                    .send()
                    .await?
                    .error_for_status()?
                    .bytes()
                    .await?;
                done.fetch_add(1, Ordering::Relaxed);
            }
            Ok::<_, anyhow::Error>(())
        }));
    }
    for worker in workers {
        worker.await??;
    }
    Ok(done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64())
}
