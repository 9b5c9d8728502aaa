//! The results: one row per measure with Gamehost's figure, the peer's
//! figure from the same run, their ratio and the target; printed as a
//! table and written as JSON.

use serde::Serialize;
use std::fmt::Write as _;

/// How a figure is read.
#[derive(Clone, Copy, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Nanoseconds.
    Nanos,
    /// Bytes.
    Bytes,
    /// Requests per second.
    PerSecond,
    /// A count.
    Count,
    /// How many times one figure is another.
    Times,
}

impl Unit {
    fn show(self, value: f64) -> String {
        match self {
            Unit::Nanos if value >= 1e6 => format!("{:.2} ms", value / 1e6),
            Unit::Nanos if value >= 1e3 => format!("{:.1} µs", value / 1e3),
            Unit::Nanos => format!("{value:.0} ns"),
            Unit::Bytes if value >= f64::from(1u32 << 30) => {
                format!("{:.2} GiB", value / f64::from(1u32 << 30))
            }
            Unit::Bytes if value >= f64::from(1u32 << 20) => {
                format!("{:.1} MiB", value / f64::from(1u32 << 20))
            }
            Unit::Bytes => format!("{:.0} KiB", value / 1024.0),
            Unit::PerSecond => format!("{value:.0}/s"),
            Unit::Count if value < 100.0 && value.fract() != 0.0 => format!("{value:.2}"),
            Unit::Count => format!("{value:.0}"),
            Unit::Times => format!("{value:.2}×"),
        }
    }
}

/// A peer's figure for the same measure.
#[derive(Clone, Debug, Serialize)]
pub struct Peer {
    /// Which alternative.
    pub name: String,
    /// Its figure, in the row's unit.
    pub value: f64,
}

/// A target and whether the run met it.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    /// The target as DESIGN.md states it.
    pub text: String,
    /// Whether this run's figures meet it.
    pub met: bool,
}

/// One measure.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// What was measured.
    pub measure: String,
    /// The unit of both figures.
    pub unit: Unit,
    /// Gamehost's figure.
    pub gamehost: f64,
    /// The peer's figure, when there is a peer.
    pub peer: Option<Peer>,
    /// How many times Gamehost's figure is better than the peer's: the
    /// peer's over Gamehost's where lower is better, Gamehost's over the
    /// peer's for rates ([`Unit::PerSecond`]), where higher is.
    pub ratio: Option<f64>,
    /// The target, when DESIGN.md sets one.
    pub target: Option<Target>,
}

impl Row {
    /// A row with Gamehost's figure only.
    pub fn new(measure: impl Into<String>, unit: Unit, gamehost: f64) -> Self {
        Self {
            measure: measure.into(),
            unit,
            gamehost,
            peer: None,
            ratio: None,
            target: None,
        }
    }

    /// Adds the peer's figure, and the ratio.
    pub fn peer(mut self, name: &str, value: f64) -> Self {
        self.ratio = Some(match self.unit {
            Unit::PerSecond => self.gamehost / value,
            _ => value / self.gamehost,
        });
        self.peer = Some(Peer {
            name: name.to_owned(),
            value,
        });
        self
    }

    /// Adds a target and whether it is met.
    pub fn target(mut self, text: &str, met: bool) -> Self {
        self.target = Some(Target {
            text: text.to_owned(),
            met,
        });
        self
    }
}

/// The table of `rows`, as printed and as written to BENCHMARKS.md.
pub fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "| measure | Gamehost | peer | peer's figure | ratio | target | met |"
    );
    let _ = writeln!(out, "|---|---:|---|---:|---:|---|---|");
    for row in rows {
        let (peer, peer_value) = match &row.peer {
            Some(p) => (p.name.clone(), row.unit.show(p.value)),
            None => ("-".to_owned(), "-".to_owned()),
        };
        let ratio = row
            .ratio
            .map_or_else(|| "-".to_owned(), |r| format!("{r:.1}×"));
        let (target, met) = match &row.target {
            Some(t) => (t.text.clone(), if t.met { "yes" } else { "**no**" }),
            None => ("-".to_owned(), "-"),
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            row.measure,
            row.unit.show(row.gamehost),
            peer,
            peer_value,
            ratio,
            target,
            met
        );
    }
    out
}

/// The machine the run measured.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// The CPU model.
    pub cpu: String,
    /// Logical CPUs.
    pub cpus: usize,
    /// Installed memory, in bytes.
    pub memory_bytes: u64,
    /// The kernel release.
    pub kernel: String,
    /// The load average over 1, 5 and 15 minutes when the run began: the
    /// machine may be shared, and its load moves the figures.
    pub load_average: String,
}

impl Machine {
    /// This machine, from `/proc`.
    pub fn this() -> Self {
        let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
        let cpu = read("/proc/cpuinfo")
            .lines()
            .find_map(|l| l.strip_prefix("model name"))
            .map(|v| v.trim_start_matches([' ', '\t', ':']).to_owned())
            .unwrap_or_default();
        let memory_bytes = read("/proc/meminfo")
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or_default()
            * 1024;
        Self {
            cpu,
            cpus: std::thread::available_parallelism().map_or(1, usize::from),
            memory_bytes,
            kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
            load_average: load_average(),
        }
    }

    /// One line describing the machine.
    pub fn describe(&self) -> String {
        format!(
            "{}, {} logical CPUs, {:.1} GiB memory, Linux {}, load average {}",
            self.cpu,
            self.cpus,
            self.memory_bytes as f64 / f64::from(1u32 << 30),
            self.kernel,
            self.load_average
        )
    }
}

/// This machine's load average over 1, 5 and 15 minutes, from `/proc`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What the JSON file holds.
#[derive(Serialize)]
pub struct Results<'a> {
    /// Whether this was the quick mode.
    pub quick: bool,
    /// When the run ended, in seconds since the Unix epoch.
    pub finished_at: u64,
    /// The machine.
    pub machine: &'a Machine,
    /// The figures.
    pub rows: &'a [Row],
}

/// Prints how each of `rows`' Gamehost figures moved against the results
/// in `previous` (JSON written by an earlier run), where both have it.
pub fn compare(previous: &str, rows: &[Row]) {
    let Ok(previous) = serde_json::from_str::<serde_json::Value>(previous) else {
        return;
    };
    let Some(old) = previous["rows"].as_array() else {
        return;
    };
    println!("Against the previous results (Gamehost's figure; + is higher):");
    for row in rows {
        let before = old
            .iter()
            .find(|o| o["measure"] == row.measure.as_str())
            .and_then(|o| o["gamehost"].as_f64());
        if let Some(before) = before.filter(|b| *b > 0.0) {
            let change = (row.gamehost / before - 1.0) * 100.0;
            println!(
                "  {:<70} {:>10} → {:>10}  {change:+.1}%",
                row.measure,
                row.unit.show(before),
                row.unit.show(row.gamehost)
            );
        }
    }
}
