//! The match path side by side with Colyseus: match set-ups (a game
//! session, two player sessions, two players connected over WebSocket, a
//! round thrown and won, the match torn down), matches held with their
//! players connected, and players exchanging messages. One load generator,
//! `bench/colyseus/load.mjs` on Node.js, drives both servers the same way;
//! the Colyseus peer is `bench/colyseus/server.mjs`, an authoritative
//! rock-paper-scissors room with Arena's rules. Each system runs twice, in
//! the order Gamehost, Colyseus, Gamehost, Colyseus, each time on a fresh
//! server, and the figures are the mean of its two runs.

pub mod extras;
pub mod rounds;

use crate::daemon::{Daemon, Setting};
use serde::Deserialize;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Matches set up at once in the busy and steady measures.
pub const CONCURRENCY: usize = 32;
/// Matches exchanging messages at once.
pub const MESSAGE_MATCHES: usize = 100;
/// The worker threads Gamehost runs with beside Colyseus: one, as a
/// Colyseus server runs its rooms on one Node.js thread. Each server then
/// has a core and the load generator the other; a daemon with a worker per
/// core would share its second with the load generator. Its store writer
/// thread is its own either way. [`extras`] measures the default too.
pub const WORKER_THREADS: u16 = 1;

/// How Gamehost runs beside Colyseus: [`WORKER_THREADS`] worker threads.
pub fn beside_colyseus() -> Setting {
    Setting {
        worker_threads: Some(WORKER_THREADS),
        ..Setting::default()
    }
}

/// How much [`measure`] measures.
#[derive(Clone, Debug)]
pub struct MatchSizes {
    /// Set-ups one at a time.
    pub alone: usize,
    /// Set-ups [`CONCURRENCY`] at a time.
    pub busy: usize,
    /// How long set-ups run [`CONCURRENCY`] at a time to show whether the
    /// rate holds, and in how many windows it is counted.
    pub steady: Duration,
    /// The windows of [`Self::steady`].
    pub windows: usize,
    /// How long players exchange messages.
    pub messages_for: Duration,
    /// The matches held with players connected, in steps.
    pub held: Vec<usize>,
}

impl MatchSizes {
    /// The quick run's sizes or the full run's (a five-minute steady run).
    pub fn new(quick: bool) -> Self {
        if quick {
            Self {
                alone: 200,
                busy: 2_000,
                steady: Duration::from_secs(20),
                windows: 4,
                messages_for: Duration::from_secs(5),
                held: vec![1_000, 5_000],
            }
        } else {
            Self {
                alone: 1_000,
                busy: 10_000,
                steady: Duration::from_secs(300),
                windows: 10,
                messages_for: Duration::from_secs(20),
                held: vec![1_000, 5_000],
            }
        }
    }
}

/// Set-ups run a number at a time.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Setups {
    /// Median latency, in milliseconds.
    pub median_ms: f64,
    /// 99th percentile latency, in milliseconds.
    pub p99_ms: f64,
    /// Set-ups completed per second.
    pub per_second: f64,
    /// The server's CPU time (all threads, user and system) per set-up, in
    /// milliseconds.
    pub cpu_ms_per_setup: f64,
    /// Set-ups that failed.
    pub failures: usize,
    /// The first failures' messages.
    pub first_failures: Vec<String>,
    /// Game sessions retried because the fleet had no Ready game server at
    /// that moment (Gamehost only).
    #[serde(default)]
    pub capacity_retries: usize,
    /// Of the server's CPU time per set-up, the milliseconds of its store
    /// writer thread: commits and flushes (Gamehost only).
    #[serde(default)]
    pub store_ms_per_setup: f64,
    /// Of the server's CPU time per set-up, the milliseconds spent in calls
    /// into the game mode: its code, the SDK calls it makes and the
    /// sandbox's crossings (Gamehost only).
    #[serde(default)]
    pub guest_ms_per_setup: f64,
}

/// Set-ups run for a while.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Steady {
    /// Set-ups per second in each window, in order.
    pub per_second_by_window: Vec<f64>,
    /// Set-ups completed.
    pub setups: usize,
    /// Set-ups that failed.
    pub failures: usize,
    /// The first failures' messages.
    pub first_failures: Vec<String>,
}

/// One step of matches held.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HeldStep {
    /// Matches held with both players connected.
    pub matches: f64,
    /// The server's resident memory then, beyond what it had before the
    /// first match, per match: its resident set size.
    pub bytes_per_match: f64,
    /// The same as a proportional set size, in which a page mapped more
    /// than once in the process (each game server maps its module's memory
    /// image) counts once.
    #[serde(default)]
    pub pss_bytes_per_match: f64,
}

/// Matches held with their players connected and idle.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Held {
    /// Each step.
    pub steps: Vec<HeldStep>,
    /// Matches that could not be set up.
    pub failures: usize,
}

/// Players exchanging messages.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Messages {
    /// Messages the players sent per second, each answered by a broadcast.
    pub per_second: f64,
    /// The median round trip, in milliseconds.
    pub round_trip_median_ms: f64,
    /// The 99th percentile round trip, in milliseconds.
    pub round_trip_p99_ms: f64,
    /// The server's CPU time per message, in microseconds.
    pub cpu_us_per_message: f64,
    /// Of that, the microseconds of the store writer thread (Gamehost
    /// only).
    #[serde(default)]
    pub store_us_per_message: f64,
    /// Of that, the microseconds spent in calls into the game mode
    /// (Gamehost only).
    #[serde(default)]
    pub guest_us_per_message: f64,
}

/// One system's figures.
#[derive(Clone, Debug, Default)]
pub struct MatchFigures {
    /// Set-ups one at a time.
    pub alone: Setups,
    /// Set-ups [`CONCURRENCY`] at a time.
    pub busy: Setups,
    /// Set-ups [`CONCURRENCY`] at a time for [`MatchSizes::steady`].
    pub steady: Steady,
    /// Players exchanging messages in [`MESSAGE_MATCHES`] matches.
    pub messages: Messages,
    /// Matches held.
    pub held: Held,
}

/// Which server a run drives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum System {
    Gamehost,
    Colyseus,
}

/// Gamehost's figures and Colyseus's, each the mean of two runs.
pub fn measure(
    gamehost: &Path,
    sizes: &MatchSizes,
) -> anyhow::Result<(MatchFigures, MatchFigures)> {
    let mut runs = Vec::new();
    for (round, system) in [System::Gamehost, System::Colyseus]
        .into_iter()
        .cycle()
        .take(4)
        .enumerate()
    {
        eprintln!("  {system:?}, run {} of 2…", round / 2 + 1);
        runs.push((system, run(system, gamehost, sizes)?));
    }
    let of = |wanted: System| {
        let mine: Vec<&MatchFigures> = runs
            .iter()
            .filter(|(system, _)| *system == wanted)
            .map(|(_, figures)| figures)
            .collect();
        mean(&mine)
    };
    Ok((of(System::Gamehost), of(System::Colyseus)))
}

/// Runs every step against fresh servers of `system`: one for the set-ups
/// and messages, another for the matches held, so that what the first steps
/// leave behind does not blur the memory figures.
fn run(system: System, gamehost: &Path, sizes: &MatchSizes) -> anyhow::Result<MatchFigures> {
    let windows = sizes.windows;
    let traffic = json!([
        {"kind": "setups", "count": sizes.alone, "concurrency": 1},
        {"kind": "setups", "count": sizes.busy, "concurrency": CONCURRENCY},
        {"kind": "steady", "seconds": sizes.steady.as_secs(), "concurrency": CONCURRENCY, "windows": windows},
        {"kind": "messages", "matches": MESSAGE_MATCHES, "seconds": sizes.messages_for.as_secs()},
    ]);
    let held = json!([{"kind": "hold", "matches": sizes.held, "concurrency": CONCURRENCY}]);
    let mut lines = on_fresh_server(system, gamehost, &traffic)?;
    lines.extend(on_fresh_server(system, gamehost, &held)?);
    let mut figures = MatchFigures::default();
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(&line)?;
        match value["kind"].as_str() {
            Some("setups") if figures.alone.per_second == 0.0 => {
                figures.alone = serde_json::from_value(value)?
            }
            Some("setups") => figures.busy = serde_json::from_value(value)?,
            Some("steady") => figures.steady = serde_json::from_value(value)?,
            Some("messages") => figures.messages = serde_json::from_value(value)?,
            Some("hold") => figures.held = serde_json::from_value(value)?,
            _ => anyhow::bail!("the load generator printed {line}"),
        }
    }
    let failures = [
        &figures.alone.first_failures,
        &figures.busy.first_failures,
        &figures.steady.first_failures,
    ];
    for failure in failures.into_iter().flatten() {
        eprintln!("  {system:?}: a set-up failed: {failure}");
    }
    Ok(figures)
}

/// Starts a server of `system`, runs `steps` against it and stops it;
/// returns the lines the load generator printed.
fn on_fresh_server(
    system: System,
    gamehost: &Path,
    steps: &serde_json::Value,
) -> anyhow::Result<Vec<String>> {
    match system {
        System::Gamehost => on_fresh_gamehost(gamehost, &beside_colyseus(), steps),
        System::Colyseus => {
            let server = Colyseus::start()?;
            generate_load("colyseus", &server.url, server.child.id(), steps)
        }
    }
}

/// Starts a Gamehost daemon as `setting` says, runs `steps` against it and
/// stops it; returns the lines the load generator printed.
fn on_fresh_gamehost(
    gamehost: &Path,
    setting: &Setting,
    steps: &serde_json::Value,
) -> anyhow::Result<Vec<String>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let daemon = runtime.block_on(Daemon::start_in(
        gamehost,
        (2 * CONCURRENCY) as u32,
        "match-path",
        &[
            "--max-connections",
            "20000",
            // One load generator on loopback is thousands of
            // players: the per-address and per-player limits,
            // which Colyseus does not have, are off.
            "--attempts-per-address",
            "0",
            "--connections-per-address",
            "0",
            "--player-messages-per-second",
            "0",
            "--player-bytes-per-second",
            "0",
        ],
        setting,
    ))?;
    runtime.block_on(daemon.wait_ready(2 * CONCURRENCY as u64))?;
    let pid: u32 = daemon.pid().parse()?;
    generate_load("gamehost", &daemon.url, pid, steps)
}

/// The folder of the Colyseus peer and the load generator.
fn folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("colyseus")
}

/// Runs the load generator against `url` (the server's process `pid`);
/// returns the lines it printed, one per step.
fn generate_load(
    system: &str,
    url: &str,
    pid: u32,
    steps: &serde_json::Value,
) -> anyhow::Result<Vec<String>> {
    let config = json!({"system": system, "url": url, "pid": pid, "steps": steps});
    let output = Command::new("node")
        .current_dir(folder())
        .arg("load.mjs")
        .arg(config.to_string())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| anyhow::anyhow!("running node: {e}"))?;
    anyhow::ensure!(
        output.status.success(),
        "the load generator failed against {system}: {}",
        output.status
    );
    Ok(String::from_utf8(output.stdout)?
        .lines()
        .map(str::to_owned)
        .collect())
}

/// The Colyseus server; stopped when dropped.
struct Colyseus {
    child: Child,
    url: String,
}

impl Colyseus {
    fn start() -> anyhow::Result<Self> {
        anyhow::ensure!(
            folder().join("node_modules").exists(),
            "Colyseus is not installed: run `npm ci --legacy-peer-deps` in {}",
            folder().display()
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let child = Command::new("node")
            .current_dir(folder())
            .arg("server.mjs")
            .arg(port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| anyhow::anyhow!("starting Colyseus: {e}"))?;
        let server = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            anyhow::ensure!(Instant::now() < deadline, "Colyseus did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(server)
    }
}

impl Drop for Colyseus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The mean of `runs`, figure by figure; counts are summed.
fn mean(runs: &[&MatchFigures]) -> MatchFigures {
    let n = runs.len().max(1) as f64;
    let avg = |f: &dyn Fn(&MatchFigures) -> f64| runs.iter().map(|r| f(r)).sum::<f64>() / n;
    let setups = |pick: &dyn Fn(&MatchFigures) -> &Setups| {
        mean_setups(&runs.iter().map(|r| pick(r)).collect::<Vec<_>>())
    };
    let windows = runs
        .iter()
        .map(|r| r.steady.per_second_by_window.len())
        .min()
        .unwrap_or(0);
    let steps = runs.iter().map(|r| r.held.steps.len()).min().unwrap_or(0);
    MatchFigures {
        alone: setups(&|r| &r.alone),
        busy: setups(&|r| &r.busy),
        steady: Steady {
            per_second_by_window: (0..windows)
                .map(|w| avg(&|r| r.steady.per_second_by_window[w]))
                .collect(),
            setups: runs.iter().map(|r| r.steady.setups).sum(),
            failures: runs.iter().map(|r| r.steady.failures).sum(),
            first_failures: Vec::new(),
        },
        messages: mean_messages(&runs.iter().map(|r| &r.messages).collect::<Vec<_>>()),
        held: Held {
            steps: (0..steps)
                .map(|s| HeldStep {
                    matches: avg(&|r| r.held.steps[s].matches),
                    bytes_per_match: avg(&|r| r.held.steps[s].bytes_per_match),
                    pss_bytes_per_match: avg(&|r| r.held.steps[s].pss_bytes_per_match),
                })
                .collect(),
            failures: runs.iter().map(|r| r.held.failures).sum(),
        },
    }
}

/// The mean of `runs` of set-ups, figure by figure; counts are summed.
fn mean_setups(runs: &[&Setups]) -> Setups {
    let n = runs.len().max(1) as f64;
    let avg = |f: &dyn Fn(&Setups) -> f64| runs.iter().map(|r| f(r)).sum::<f64>() / n;
    Setups {
        median_ms: avg(&|r| r.median_ms),
        p99_ms: avg(&|r| r.p99_ms),
        per_second: avg(&|r| r.per_second),
        cpu_ms_per_setup: avg(&|r| r.cpu_ms_per_setup),
        failures: runs.iter().map(|r| r.failures).sum(),
        first_failures: Vec::new(),
        capacity_retries: runs.iter().map(|r| r.capacity_retries).sum(),
        store_ms_per_setup: avg(&|r| r.store_ms_per_setup),
        guest_ms_per_setup: avg(&|r| r.guest_ms_per_setup),
    }
}

/// The mean of `runs` of messages, figure by figure.
fn mean_messages(runs: &[&Messages]) -> Messages {
    let n = runs.len().max(1) as f64;
    let avg = |f: &dyn Fn(&Messages) -> f64| runs.iter().map(|r| f(r)).sum::<f64>() / n;
    Messages {
        per_second: avg(&|r| r.per_second),
        round_trip_median_ms: avg(&|r| r.round_trip_median_ms),
        round_trip_p99_ms: avg(&|r| r.round_trip_p99_ms),
        cpu_us_per_message: avg(&|r| r.cpu_us_per_message),
        store_us_per_message: avg(&|r| r.store_us_per_message),
        guest_us_per_message: avg(&|r| r.guest_us_per_message),
    }
}
