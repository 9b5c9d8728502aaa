//! Density: the daemon holding more and more Ready game servers of the
//! example game mode, with its resident memory at each step, until the
//! steps end or the machine holds no more.

use crate::daemon::Daemon;
use crate::stats::rss_bytes;
use std::time::{Duration, Instant};

/// One step of the density run.
pub struct Step {
    /// Game servers Ready.
    pub game_servers: u32,
    /// How long the daemon took to get from the previous step to this one.
    pub took: Duration,
    /// The daemon's resident memory.
    pub rss: u64,
}

/// What the density run measured.
pub struct Density {
    /// The daemon's resident memory with no game server.
    pub base: u64,
    /// The steps reached.
    pub steps: Vec<Step>,
    /// The step the machine could not reach, and why.
    pub stopped: Option<(u32, String)>,
}

/// Grows the fleets of `daemon` (started by [`Daemon::start_dense`] with
/// room for the last step) through `steps`, stopping at the first step
/// whose game servers cannot all start.
pub async fn measure(daemon: &Daemon, steps: &[u32]) -> anyhow::Result<Density> {
    tokio::time::sleep(Duration::from_millis(500)).await;
    let base = rss_bytes(&daemon.pid())?;
    let mut reached = Vec::with_capacity(steps.len());
    for &n in steps {
        let began = Instant::now();
        daemon.spread_replicas(n).await?;
        let took = match daemon.wait_ready(u64::from(n)).await {
            Ok(_) => began.elapsed(),
            Err(why) => {
                return Ok(Density {
                    base,
                    steps: reached,
                    stopped: Some((n, why.to_string())),
                });
            }
        };
        // Let the store's group commit of the new game servers finish.
        tokio::time::sleep(Duration::from_millis(500)).await;
        reached.push(Step {
            game_servers: n,
            took,
            rss: rss_bytes(&daemon.pid())?,
        });
    }
    Ok(Density {
        base,
        steps: reached,
        stopped: None,
    })
}

/// The steps of `steps` this machine's `vm.max_map_count` leaves room for
/// and, when it cuts the steps short, the first step it has no room for
/// with why.
pub fn steps_within_map_count(steps: &[u32]) -> (Vec<u32>, Option<(u32, String)>) {
    let Some(limit) = gamehost_runtime::engine::max_map_count() else {
        return (steps.to_vec(), None);
    };
    let fit = gamehost_runtime::engine::game_servers_within(limit);
    let within: Vec<u32> = steps.iter().copied().filter(|&n| n <= fit).collect();
    let beyond = steps.iter().find(|&&n| n > fit).map(|&n| {
        let needed = gamehost_runtime::engine::map_count_for(n);
        (
            n,
            format!("vm.max_map_count is {limit}, {fit} game servers fit; {n} need {needed}"),
        )
    });
    (within, beyond)
}
