//! Percentiles of timed samples, what the host's play statistics counted
//! between two moments, and a process's resident memory and CPU time.

use gamehost_runtime::players::PlaySnapshot;
use std::time::Duration;

/// The median and 99th percentile of a set of samples.
#[derive(Clone, Copy, Debug)]
pub struct Spread {
    /// The median.
    pub median: Duration,
    /// The 99th percentile.
    pub p99: Duration,
}

impl Spread {
    /// The spread of `samples`, which must not be empty.
    pub fn of(mut samples: Vec<Duration>) -> Self {
        assert!(!samples.is_empty(), "no samples");
        samples.sort();
        let at = |q: f64| samples[((samples.len() - 1) as f64 * q).round() as usize];
        Self {
            median: at(0.5),
            p99: at(0.99),
        }
    }
}

/// Prints `figures` (a measure, its spread, and a target for its median)
/// as a table, with whether each target is met.
pub fn print(figures: &[(String, Spread, Option<Duration>)]) {
    println!(
        "\n{:<42} {:>12} {:>12} {:>12}  verdict",
        "measure", "median", "p99", "target"
    );
    for (measure, spread, target) in figures {
        let (target, verdict) = match target {
            Some(t) => (
                format!("≤ {t:?}"),
                if spread.median <= *t { "met" } else { "MISSED" },
            ),
            None => ("-".to_owned(), ""),
        };
        println!(
            "{:<42} {:>12?} {:>12?} {:>12}  {}",
            measure, spread.median, spread.p99, target, verdict
        );
    }
}

/// Nanoseconds of `d`, as a float.
pub fn nanos(d: Duration) -> f64 {
    d.as_secs_f64() * 1e9
}

/// What the play statistics counted between the snapshots `before` and
/// `now`.
pub fn since(now: &PlaySnapshot, before: &PlaySnapshot) -> PlaySnapshot {
    PlaySnapshot {
        connections: now.connections,
        messages_in: now.messages_in - before.messages_in,
        messages_out: now.messages_out - before.messages_out,
        slow_players: now.slow_players - before.slow_players,
        flooding_players: now.flooding_players - before.flooding_players,
        refused_attempts: now.refused_attempts - before.refused_attempts,
        ticks: now.ticks - before.ticks,
        tick_overruns: now.tick_overruns - before.tick_overruns,
        ticks_skipped: now.ticks_skipped - before.ticks_skipped,
        lateness: now
            .lateness
            .iter()
            .zip(&before.lateness)
            .map(|(n, b)| n - b)
            .collect(),
    }
}

/// The resident memory of process `pid` (`self` for this one), in bytes.
pub fn rss_bytes(pid: &str) -> anyhow::Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .ok_or_else(|| anyhow::anyhow!("no VmRSS for process {pid}"))?;
    Ok(kib * 1024)
}

/// The CPU time process `pid` has used, user and system, all its threads.
pub fn cpu_time(pid: &str) -> anyhow::Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The fields after the command, which is in parentheses and may hold
    // spaces: utime and stime are the 12th and 13th of them.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map(|(_, rest)| rest.split_whitespace().collect())
        .unwrap_or_default();
    let ticks = |i: usize| -> anyhow::Result<u64> {
        Ok(fields
            .get(i)
            .ok_or_else(|| anyhow::anyhow!("short /proc/{pid}/stat"))?
            .parse()?)
    };
    // In USER_HZ, which Linux fixes at 100 per second for user space.
    Ok(Duration::from_millis((ticks(11)? + ticks(12)?) * 10))
}
