//! Counts of the players' traffic and the game loops' timing, shared by
//! every game server of a host and read by `/metrics` and the benchmarks.

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the tick lateness buckets, in microseconds: every 250 µs
/// up to 10 ms, then coarser up to 1 s; later ticks fall in the last, open
/// bucket.
const LATENESS_BOUNDS_MICROS: [u64; 48] = {
    let mut bounds = [0; 48];
    let mut i = 0;
    while i < 40 {
        bounds[i] = (i as u64 + 1) * 250;
        i += 1;
    }
    let coarse = [
        15_000, 20_000, 30_000, 50_000, 100_000, 250_000, 500_000, 1_000_000,
    ];
    let mut j = 0;
    while j < coarse.len() {
        bounds[40 + j] = coarse[j];
        j += 1;
    }
    bounds
};

/// The host's gateway and game-loop statistics; cloning shares them.
#[derive(Clone, Debug, Default)]
pub struct PlayStats(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    connections: AtomicI64,
    messages_in: AtomicU64,
    messages_out: AtomicU64,
    slow_players: AtomicU64,
    flooding_players: AtomicU64,
    refused_attempts: AtomicU64,
    ticks: AtomicU64,
    tick_overruns: AtomicU64,
    ticks_skipped: AtomicU64,
    lateness_sum_micros: AtomicU64,
    lateness: [AtomicU64; LATENESS_BOUNDS_MICROS.len() + 1],
}

impl Default for Inner {
    fn default() -> Self {
        Self {
            connections: AtomicI64::new(0),
            messages_in: AtomicU64::new(0),
            messages_out: AtomicU64::new(0),
            slow_players: AtomicU64::new(0),
            flooding_players: AtomicU64::new(0),
            refused_attempts: AtomicU64::new(0),
            ticks: AtomicU64::new(0),
            tick_overruns: AtomicU64::new(0),
            ticks_skipped: AtomicU64::new(0),
            lateness_sum_micros: AtomicU64::new(0),
            lateness: [const { AtomicU64::new(0) }; LATENESS_BOUNDS_MICROS.len() + 1],
        }
    }
}

/// The statistics at one moment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlaySnapshot {
    /// Players connected now.
    pub connections: i64,
    /// Messages received from players.
    pub messages_in: u64,
    /// Messages queued for players.
    pub messages_out: u64,
    /// Players disconnected for reading too slowly.
    pub slow_players: u64,
    /// Players disconnected for sending past their rate.
    pub flooding_players: u64,
    /// Connection attempts refused by an address's limits.
    pub refused_attempts: u64,
    /// Ticks run.
    pub ticks: u64,
    /// Ticks that ran longer than their period.
    pub tick_overruns: u64,
    /// Ticks skipped for their game server's CPU budget.
    pub ticks_skipped: u64,
    /// Ticks per lateness bucket, the last one open-ended.
    pub lateness: Vec<u64>,
}

impl PlaySnapshot {
    /// The lateness under which a fraction `q` (0 to 1) of ticks started, to
    /// the bucket's precision (250 µs below 10 ms); `None` without ticks or
    /// when it lies past the last bound.
    pub fn lateness_quantile(&self, q: f64) -> Option<Duration> {
        let total: u64 = self.lateness.iter().sum();
        if total == 0 {
            return None;
        }
        let wanted = (q.clamp(0.0, 1.0) * total as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (count, bound) in self.lateness.iter().zip(LATENESS_BOUNDS_MICROS) {
            seen += count;
            if seen >= wanted {
                return Some(Duration::from_micros(bound));
            }
        }
        None
    }
}

impl PlayStats {
    /// Counts a message from a player.
    pub fn message_in(&self) {
        self.0.messages_in.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a message queued for a player.
    pub fn message_out(&self) {
        self.0.messages_out.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a player disconnected for reading too slowly.
    pub fn slow_player(&self) {
        self.0.slow_players.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a player disconnected for sending past its rate.
    pub fn flooding_player(&self) {
        self.0.flooding_players.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a connection attempt refused by its address's limits.
    pub fn refused_attempt(&self) {
        self.0.refused_attempts.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a connection opening (`1`) or closing (`-1`).
    pub fn connections(&self, change: i64) {
        self.0.connections.fetch_add(change, Ordering::Relaxed);
    }

    /// Records a tick that started `late` after its time and ran for `took`
    /// of a `period`.
    pub fn tick(&self, late: Duration, took: Duration, period: Duration) {
        let inner = &self.0;
        inner.ticks.fetch_add(1, Ordering::Relaxed);
        if took > period {
            inner.tick_overruns.fetch_add(1, Ordering::Relaxed);
        }
        let micros = u64::try_from(late.as_micros()).unwrap_or(u64::MAX);
        inner
            .lateness_sum_micros
            .fetch_add(micros, Ordering::Relaxed);
        let bucket = LATENESS_BOUNDS_MICROS.partition_point(|bound| *bound < micros);
        inner.lateness[bucket].fetch_add(1, Ordering::Relaxed);
    }

    /// Counts a tick skipped because its game server was over its CPU
    /// budget.
    pub fn tick_skipped(&self) {
        self.0.ticks_skipped.fetch_add(1, Ordering::Relaxed);
    }

    /// The statistics now.
    pub fn snapshot(&self) -> PlaySnapshot {
        let inner = &self.0;
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        PlaySnapshot {
            connections: inner.connections.load(Ordering::Relaxed),
            messages_in: load(&inner.messages_in),
            messages_out: load(&inner.messages_out),
            slow_players: load(&inner.slow_players),
            flooding_players: load(&inner.flooding_players),
            refused_attempts: load(&inner.refused_attempts),
            ticks: load(&inner.ticks),
            tick_overruns: load(&inner.tick_overruns),
            ticks_skipped: load(&inner.ticks_skipped),
            lateness: inner.lateness.iter().map(load).collect(),
        }
    }
}

impl Collector for PlayStats {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let now = self.snapshot();
        let counters = [
            (
                "gamehost_player_messages_in",
                "Messages received from players over the gateway.",
                now.messages_in,
            ),
            (
                "gamehost_player_messages_out",
                "Messages queued for players by game modes.",
                now.messages_out,
            ),
            (
                "gamehost_slow_players",
                "Players disconnected because their outgoing queue was full.",
                now.slow_players,
            ),
            (
                "gamehost_flooding_players",
                "Players disconnected for sending more messages or bytes a second than allowed.",
                now.flooding_players,
            ),
            (
                "gamehost_refused_connection_attempts",
                "Connection attempts refused by their source address's limits.",
                now.refused_attempts,
            ),
            (
                "gamehost_tick_overruns",
                "Ticks that ran longer than their period.",
                now.tick_overruns,
            ),
            (
                "gamehost_ticks_skipped_for_cpu",
                "Ticks skipped because their game server was over its CPU budget.",
                now.ticks_skipped,
            ),
        ];
        for (name, help, value) in counters {
            let metric = encoder.encode_descriptor(name, help, None, MetricType::Counter)?;
            ConstCounter::new(value).encode(metric)?;
        }
        let metric = encoder.encode_descriptor(
            "gamehost_player_connections",
            "Players connected over the gateway.",
            None,
            MetricType::Gauge,
        )?;
        ConstGauge::new(now.connections).encode(metric)?;
        let mut metric = encoder.encode_descriptor(
            "gamehost_tick_lateness_seconds",
            "How late ticks start after their scheduled time.",
            None,
            MetricType::Histogram,
        )?;
        let mut cumulative = 0;
        let buckets: Vec<(f64, u64)> = now
            .lateness
            .iter()
            .zip(
                LATENESS_BOUNDS_MICROS
                    .iter()
                    .map(|b| *b as f64 / 1e6)
                    .chain([f64::MAX]),
            )
            .map(|(count, bound)| {
                cumulative += count;
                (bound, *count)
            })
            .collect();
        let sum = self.0.lateness_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        metric.encode_histogram::<NoLabelSet>(sum, cumulative, &buckets, None)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lateness_quantiles() {
        let stats = PlayStats::default();
        let period = Duration::from_millis(33);
        for micros in [100, 200, 300, 600, 900, 1_200, 2_000, 4_800, 9_000, 12_000] {
            stats.tick(
                Duration::from_micros(micros),
                Duration::from_micros(10),
                period,
            );
        }
        stats.tick(Duration::ZERO, Duration::from_millis(40), period);
        let now = stats.snapshot();
        assert_eq!(now.ticks, 11);
        assert_eq!(now.tick_overruns, 1);
        let ms = |q| now.lateness_quantile(q).map(|d| d.as_micros());
        assert_eq!(ms(0.0), Some(250));
        assert_eq!(ms(0.5), Some(1_000));
        assert_eq!(ms(0.9), Some(9_000));
        assert_eq!(ms(1.0), Some(15_000));
        assert_eq!(PlayStats::default().snapshot().lateness_quantile(0.5), None);
    }
}
