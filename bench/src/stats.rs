//! Percentiles of timed samples.

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

/// Nanoseconds of `d`, as a float.
pub fn nanos(d: Duration) -> f64 {
    d.as_secs_f64() * 1e9
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
