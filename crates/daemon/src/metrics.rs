//! The host's metrics in the Prometheus text format: game servers by state,
//! game sessions by status, SDK calls by function, guest faults by kind,
//! guest CPU time (in all, and of the game servers that used the most),
//! guest call latency, game sessions created, allocations, hot swaps and
//! their failures; on a PostgreSQL store, its operations' time and errors
//! and the host's lease.

use super::Daemon;
use gamehost_model::{EndKind, GameServerRecord};
use gamehost_runtime::sdk::{CpuTime, SdkCalls, SdkFunction};
use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric, text};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::{ConstCounter, Counter};
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::{ConstGauge, Gauge};
use prometheus_client::registry::Registry;
use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

/// Counters the daemon keeps between scrapes.
#[derive(Default)]
pub(super) struct Metrics {
    sessions_created: Counter,
    allocations: Counter,
    swaps: Counter,
    swap_failures: Counter,
    forwarded: Family<Vec<(String, String)>, Counter>,
    faults: Family<Vec<(String, String)>, Counter>,
    /// SDK calls of game servers that have ended, by function.
    retired_calls: Mutex<BTreeMap<&'static str, u64>>,
    /// CPU time used by game servers that have ended.
    retired_cpu: Mutex<Duration>,
}

/// How many running game servers `/metrics` names as the top consumers of
/// CPU time.
const TOP_CPU_CONSUMERS: usize = 10;

impl Daemon {
    /// Counts a request this host forwarded to another host: `answered`,
    /// or `unreachable`.
    pub fn count_forwarded(&self, outcome: &str) {
        self.0.metrics.forwarded(outcome);
    }
}

impl Metrics {
    pub(super) fn game_session_created(&self) {
        self.sessions_created.inc();
    }

    /// A game server moved to a new version: switched in place, or retired
    /// by a rolling update to be replaced.
    pub(super) fn swapped(&self) {
        self.swaps.inc();
    }

    /// A game server the new version could not take over, or a rolling
    /// update whose new version did not become Ready.
    pub(super) fn swap_failed(&self) {
        self.swap_failures.inc();
    }

    pub(super) fn allocated(&self) {
        self.allocations.inc();
    }

    fn forwarded(&self, outcome: &str) {
        let labels = vec![("outcome".to_owned(), outcome.to_owned())];
        self.forwarded.get_or_create(&labels).inc();
    }

    /// Counts a game server's end: its fault, if it was one.
    pub(super) fn game_server_ended(&self, record: &GameServerRecord) {
        if let Some(ending) = &record.process.ending
            && matches!(
                ending.kind,
                EndKind::Trap
                    | EndKind::Deadline
                    | EndKind::OutOfMemory
                    | EndKind::CpuBudget
                    | EndKind::StartFailed
            )
        {
            let kind = serde_json::to_value(ending.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            self.faults
                .get_or_create(&vec![("kind".into(), kind)])
                .inc();
        }
    }

    /// Adds an ended game server's SDK calls to the running totals.
    pub(super) fn retire_calls(&self, calls: &SdkCalls) {
        let mut retired = self.retired_calls.lock().expect("lock");
        for (function, count) in calls.iter() {
            *retired.entry(function.name()).or_insert(0) += count;
        }
    }

    /// Adds an ended game server's CPU time to the running total.
    pub(super) fn retire_cpu(&self, cpu: &CpuTime) {
        *self.retired_cpu.lock().expect("lock") += cpu.used();
    }
}

/// Values computed at scrape time.
#[derive(Debug)]
struct Snapshot {
    game_servers: BTreeMap<(String, String), i64>,
    game_sessions: BTreeMap<String, i64>,
    sdk_calls: BTreeMap<&'static str, u64>,
    cpu_total: Duration,
    /// The running game servers that used the most CPU time: fleet, name,
    /// time, most first.
    top_cpu: Vec<(String, String, Duration)>,
}

impl Collector for Snapshot {
    fn encode(&self, mut encoder: DescriptorEncoder) -> Result<(), std::fmt::Error> {
        let mut family = encoder.encode_descriptor(
            "gamehost_game_servers",
            "Running game servers by fleet and state.",
            None,
            MetricType::Gauge,
        )?;
        for ((fleet, state), count) in &self.game_servers {
            let labels = [("fleet", fleet.as_str()), ("state", state.as_str())];
            ConstGauge::new(*count).encode(family.encode_family(&labels)?)?;
        }
        let mut family = encoder.encode_descriptor(
            "gamehost_game_sessions",
            "Game sessions the host keeps, by status.",
            None,
            MetricType::Gauge,
        )?;
        for (status, count) in &self.game_sessions {
            let labels = [("status", status.as_str())];
            ConstGauge::new(*count).encode(family.encode_family(&labels)?)?;
        }
        let mut family = encoder.encode_descriptor(
            "gamehost_sdk_calls",
            "SDK calls made by guests, by function.",
            None,
            MetricType::Counter,
        )?;
        for (function, count) in &self.sdk_calls {
            let labels = [("function", *function)];
            ConstCounter::new(*count).encode(family.encode_family(&labels)?)?;
        }
        let family = encoder.encode_descriptor(
            "gamehost_guest_cpu_seconds",
            "CPU time used by calls into guests, all game servers.",
            None,
            MetricType::Counter,
        )?;
        ConstCounter::new(self.cpu_total.as_secs_f64()).encode(family)?;
        let mut family = encoder.encode_descriptor(
            "gamehost_game_server_cpu_seconds",
            "CPU time used by calls into the running game servers that used the most.",
            None,
            MetricType::Gauge,
        )?;
        for (fleet, name, used) in &self.top_cpu {
            let labels = [("fleet", fleet.as_str()), ("game_server", name.as_str())];
            ConstGauge::new(used.as_secs_f64()).encode(family.encode_family(&labels)?)?;
        }
        Ok(())
    }
}

impl Daemon {
    /// The metrics, in the Prometheus text exposition format.
    pub fn render_metrics(&self) -> String {
        let metrics = &self.0.metrics;
        let mut sdk_calls = metrics.retired_calls.lock().expect("lock").clone();
        for function in SdkFunction::ALL {
            sdk_calls.entry(function.name()).or_insert(0);
        }
        let mut game_servers = BTreeMap::new();
        let mut cpu_total = *metrics.retired_cpu.lock().expect("lock");
        let mut top_cpu = Vec::new();
        for handle in self.live_handles(None) {
            for (function, count) in handle.sdk_calls().iter() {
                *sdk_calls.entry(function.name()).or_insert(0) += count;
            }
            let record = handle.record();
            let fleet = &record.object_meta.namespace;
            let key = (fleet.clone(), record.status.state.to_string());
            *game_servers.entry(key).or_insert(0) += 1;
            let used = handle.cpu().used();
            cpu_total += used;
            top_cpu.push((used, fleet.clone(), handle.name().to_owned()));
        }
        top_cpu.sort_unstable_by_key(|(used, ..)| std::cmp::Reverse(*used));
        top_cpu.truncate(TOP_CPU_CONSUMERS);
        let top_cpu = top_cpu
            .into_iter()
            .map(|(used, fleet, name)| (fleet, name, used))
            .collect();
        let game_sessions = self
            .0
            .sessions
            .read()
            .expect("lock")
            .count_by_status()
            .into_iter()
            .map(|(status, count)| {
                let name = serde_json::to_value(status)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                (name, i64::try_from(count).unwrap_or(i64::MAX))
            })
            .collect();
        let mut registry = Registry::default();
        registry.register(
            "gamehost_game_sessions_created",
            "Game sessions created through the control plane.",
            metrics.sessions_created.clone(),
        );
        registry.register(
            "gamehost_allocations",
            "Game servers allocated through the control plane.",
            metrics.allocations.clone(),
        );
        registry.register(
            "gamehost_forwarded_requests",
            "Requests this host forwarded to another host of the cluster, by outcome (answered, unreachable).",
            metrics.forwarded.clone(),
        );
        registry.register(
            "gamehost_hot_swaps",
            "Game servers moved to a new module version (in place, or retired by a rolling update).",
            metrics.swaps.clone(),
        );
        registry.register(
            "gamehost_hot_swap_failures",
            "Game servers a new module version could not take over, and rolling updates whose new version did not become Ready.",
            metrics.swap_failures.clone(),
        );
        registry.register(
            "gamehost_guest_faults",
            "Game servers ended by a guest fault, by kind.",
            metrics.faults.clone(),
        );
        registry.register(
            "gamehost_guest_call_seconds",
            "Time spent in calls into guests, by export.",
            self.0.engine.call_times().family(),
        );
        if let Some(database) = &self.0.database {
            registry.register(
                "gamehost_database_seconds",
                "Time each operation on the PostgreSQL store took, from asking to its answer (a transaction, a read, a lease renewal).",
                database.stats().seconds(),
            );
            registry.register(
                "gamehost_database_errors",
                "Operations on the PostgreSQL store that failed, by kind (unavailable, fenced, failed).",
                database.stats().errors(),
            );
        }
        if let Some((age, epoch)) = self.lease_age() {
            let lease_age = Gauge::<f64, AtomicU64>::default();
            lease_age.set(age);
            registry.register(
                "gamehost_lease_age_seconds",
                "Seconds since this host last renewed its lease in the PostgreSQL store.",
                lease_age,
            );
            let lease_epoch = Gauge::<i64>::default();
            lease_epoch.set(i64::try_from(epoch).unwrap_or(i64::MAX));
            registry.register(
                "gamehost_lease_epoch",
                "The epoch of this host's lease: one more each time it joined the database.",
                lease_epoch,
            );
        }
        registry.register_collector(Box::new(self.play_stats().clone()));
        registry.register_collector(Box::new(Snapshot {
            game_servers,
            game_sessions,
            sdk_calls,
            cpu_total,
            top_cpu,
        }));
        let mut out = String::new();
        text::encode(&mut out, &registry).expect("writing metrics to a string");
        out
    }
}
