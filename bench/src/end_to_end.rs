//! End to end over HTTP: create a game session on the fleet (placement,
//! `on-start-game-session`, the guest activating it) until the answer says
//! ACTIVE, one at a time and many in flight; and control-plane reads per
//! second.

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
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut workers = Vec::with_capacity(in_flight);
    for _ in 0..in_flight {
        let (client, url, next) = (daemon.client.clone(), url.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            while next.fetch_add(1, Ordering::Relaxed) < count {
                let began = Instant::now();
                let response = client
                    .post(url.as_str())
                    .json(&serde_json::json!({ "maximumPlayerSessionCount": 2 }))
                    .send()
                    .await?;
                let status = response.status();
                let body: serde_json::Value = response.json().await?;
                let took = began.elapsed();
                anyhow::ensure!(
                    status.is_success() && body["status"] == "ACTIVE",
                    "creating a game session answered {status}: {body}"
                );
                samples.push(took);
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
