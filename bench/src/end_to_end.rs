//! End to end over HTTP: create a game session on the fleet (placement,
//! `on-start-game-session`, the guest activating it) until the answer says
//! ACTIVE, one at a time and many in flight; the same number in flight of a
//! request that does nothing, the floor under any request; and control-plane
//! reads per second.

use crate::daemon::{Daemon, FLEET};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Creates `count` game sessions, `in_flight` at a time; returns each
/// one's latency and the whole run's duration.
pub async fn create_sessions(
    daemon: &Daemon,
    count: usize,
    in_flight: usize,
) -> anyhow::Result<(Vec<Duration>, Duration)> {
    let url = Arc::new(format!("{}/v1/fleets/{FLEET}/gamesessions", daemon.url));
    let client = daemon.client.clone();
    closed_loop(count, in_flight, move || {
        let (client, url) = (client.clone(), url.clone());
        async move {
            let response = client
                .post(url.as_str())
                .json(&serde_json::json!({ "maximumPlayerSessionCount": 2 }))
                .send()
                .await?;
            let status = response.status();
            let body: serde_json::Value = response.json().await?;
            anyhow::ensure!(
                status.is_success() && body["status"] == "ACTIVE",
                "creating a game session answered {status}: {body}"
            );
            Ok(())
        }
    })
    .await
}

/// Sends `count` requests to `GET /healthz`, which answers at once without
/// reading or writing anything, `in_flight` at a time through the same
/// client and server stack; returns each one's latency. What any request
/// costs at that concurrency on this machine, with the client beside it.
pub async fn no_op_requests(
    daemon: &Daemon,
    count: usize,
    in_flight: usize,
) -> anyhow::Result<Vec<Duration>> {
    let url = Arc::new(format!("{}/healthz", daemon.url));
    let client = daemon.client.clone();
    let (samples, _) = closed_loop(count, in_flight, move || {
        let (client, url) = (client.clone(), url.clone());
        async move {
            client
                .get(url.as_str())
                .send()
                .await?
                .error_for_status()?
                .bytes()
                .await?;
            Ok(())
        }
    })
    .await?;
    Ok(samples)
}

/// Runs `request` `count` times with `in_flight` workers, each sending its
/// next request when its last one was answered; returns each request's
/// latency and the whole run's duration.
async fn closed_loop<F, R>(
    count: usize,
    in_flight: usize,
    request: F,
) -> anyhow::Result<(Vec<Duration>, Duration)>
where
    F: Fn() -> R + Clone + Send + 'static,
    R: Future<Output = anyhow::Result<()>> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = Vec::with_capacity(in_flight);
    for _ in 0..in_flight {
        let (request, next) = (request.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let began = Instant::now();
                request().await?;
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
pub async fn reads_per_second(
    daemon: &Daemon,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<f64> {
    let list = daemon.get_json("/v1/gameservers").await?;
    let name = list["gameServers"][0]["object_meta"]["name"]
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
