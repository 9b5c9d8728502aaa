//! The sidecar peer: the same counter increment through the Agones REST SDK
//! a game server serves on loopback, called with a keep-alive HTTP client.

use crate::setup::{COUNTER, hosting, load, spec, start};
use gamehost_model::GameServerState;
use gamehost_runtime::engine::GameEngine;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Times `count` `PATCH /v1beta1/counters/bench {"countDiff": "1"}` calls,
/// one at a time over one kept-alive connection, after `count / 10`
/// untimed ones.
pub async fn time_rest_calls(engine: &GameEngine, count: usize) -> anyhow::Result<Vec<Duration>> {
    let mode = load(engine, gamehost_guests::BENCH)?;
    let handle = start(
        &mode,
        1,
        &Arc::new(spec()),
        hosting(engine.default_limits()),
    );
    let address = gamehost_daemon::sidecar::start(handle.clone()).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(1)
        .build()?;
    let url = format!("http://{address}/v1beta1/counters/{COUNTER}");
    let warmup = count / 10;
    let mut samples = Vec::with_capacity(count);
    for i in 0..warmup + count {
        let start = Instant::now();
        let response = client
            .patch(&url)
            .header("content-type", "application/json")
            .body(r#"{"countDiff":"1"}"#)
            .send()
            .await?
            .error_for_status()?;
        response.bytes().await?;
        if i >= warmup {
            samples.push(start.elapsed());
        }
    }
    let record = handle.record();
    let count_now = record.status.counters.get(COUNTER).map(|c| c.count);
    anyhow::ensure!(
        count_now == Some((warmup + count) as i64),
        "the REST SDK counted {count_now:?}"
    );
    anyhow::ensure!(record.status.state != GameServerState::Error);
    handle.stop("the benchmark is over").await?;
    Ok(samples)
}
