//! Density: the daemon holding more and more Ready game servers of the
//! example game mode, with its resident memory at each step.

use crate::daemon::Daemon;
use crate::stats::rss_bytes;
use std::time::Duration;

/// One step of the density run.
pub struct Step {
    /// Game servers Ready.
    pub game_servers: u32,
    /// How long the daemon took to get from the previous step to this one.
    pub took: Duration,
    /// The daemon's resident memory.
    pub rss: u64,
}

/// Grows the fleet of `daemon` (started with no replicas) through `steps`;
/// returns the daemon's resident memory with none and at each step.
pub async fn measure(daemon: &Daemon, steps: &[u32]) -> anyhow::Result<(u64, Vec<Step>)> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let base = rss_bytes(&daemon.pid())?;
    let mut out = Vec::with_capacity(steps.len());
    for &n in steps {
        daemon.set_replicas(n).await?;
        let took = daemon.wait_ready(u64::from(n)).await?;
        // Let the store's group commit of the new game servers finish.
        tokio::time::sleep(Duration::from_millis(500)).await;
        out.push(Step {
            game_servers: n,
            took,
            rss: rss_bytes(&daemon.pid())?,
        });
    }
    Ok((base, out))
}
