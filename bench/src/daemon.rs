//! The real daemon, `gamehost serve`, started for a benchmark with the
//! example game mode deployed as the fleet `arena` (or as several fleets),
//! and driven over HTTP.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The fleet the benchmarks deploy.
pub const FLEET: &str = "arena";
/// The most warm replicas one fleet may have (the API's bound).
const MAX_REPLICAS_PER_FLEET: u32 = 10_000;

/// The release daemon, `target/release/gamehost`, for a bench target: bench
/// binaries live in `target/release/deps`, the daemon one level up.
pub fn release_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(|release| release.join("gamehost"))
        .filter(|path| path.exists())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no daemon beside {}: run `cargo build --release -p gamehost`",
                exe.display()
            )
        })
}

/// Where a benchmark daemon keeps its data and which fleet template it
/// runs, when not the usual ones (the system's temporary folder, Arena's
/// `template.json`).
#[derive(Clone, Debug, Default)]
pub struct Setting {
    /// The fleet template file.
    pub template: Option<PathBuf>,
    /// The folder its data folder is made in.
    pub data_root: Option<PathBuf>,
    /// Its `--worker-threads`; one per core when unset.
    pub worker_threads: Option<u16>,
}

/// Arena's fleet template.
pub fn arena_template() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../guest-examples/rust/arena/template.json")
}

/// A running daemon; stopped and its data removed when dropped.
pub struct Daemon {
    child: Child,
    data_dir: PathBuf,
    /// The fleets deployed, the first being [`FLEET`].
    fleets: Vec<String>,
    /// The control plane's address.
    pub addr: SocketAddr,
    /// The control plane's base URL.
    pub url: String,
    /// A client that keeps connections alive.
    pub client: reqwest::Client,
}

impl Daemon {
    /// Starts `binary` with the fleet at `replicas` warm game servers.
    pub async fn start(binary: &Path, replicas: u32, name: &str) -> anyhow::Result<Self> {
        Self::launch(binary, name, replicas, 1, &[], &Setting::default()).await
    }

    /// Starts `binary` with the fleet at `replicas` warm game servers and
    /// `extra` arguments to `gamehost serve`.
    pub async fn start_with(
        binary: &Path,
        replicas: u32,
        name: &str,
        extra: &[&str],
    ) -> anyhow::Result<Self> {
        Self::launch(binary, name, replicas, 1, extra, &Setting::default()).await
    }

    /// [`Self::start_with`], keeping its data and taking its template as
    /// `setting` says.
    pub async fn start_in(
        binary: &Path,
        replicas: u32,
        name: &str,
        extra: &[&str],
        setting: &Setting,
    ) -> anyhow::Result<Self> {
        Self::launch(binary, name, replicas, 1, extra, setting).await
    }

    /// Starts `binary` with room for `game_servers` game servers (its
    /// `--max-game-servers`) in as many fleets as that needs, each with no
    /// replicas; [`Self::spread_replicas`] grows them.
    pub async fn start_dense(binary: &Path, game_servers: u32, name: &str) -> anyhow::Result<Self> {
        let fleets = game_servers.div_ceil(MAX_REPLICAS_PER_FLEET).max(1);
        let max = game_servers.to_string();
        let extra = ["--max-game-servers", &max];
        Self::launch(binary, name, 0, fleets, &extra, &Setting::default()).await
    }

    async fn launch(
        binary: &Path,
        name: &str,
        replicas: u32,
        fleets: u32,
        extra: &[&str],
        setting: &Setting,
    ) -> anyhow::Result<Self> {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let data_root = setting.data_root.clone().unwrap_or_else(std::env::temp_dir);
        let data_dir = data_root.join(format!("gamehost-bench-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data_dir);
        let template = setting.template.clone().unwrap_or_else(arena_template);
        let fleets: Vec<String> = (0..fleets)
            .map(|i| match i {
                0 => FLEET.to_owned(),
                i => format!("{FLEET}-{i}"),
            })
            .collect();
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .arg("--listen")
            .arg(addr.to_string())
            .arg("--data-dir")
            .arg(&data_dir);
        for fleet in &fleets {
            command
                .arg("--deploy")
                .arg(format!("{fleet}={}", gamehost_guests::ARENA));
        }
        if let Some(threads) = setting.worker_threads {
            command.arg("--worker-threads").arg(threads.to_string());
        }
        let child = command
            .arg("--template")
            .arg(template)
            .arg("--replicas")
            .arg(replicas.to_string())
            .arg("--max-in-flight")
            .arg("4096")
            .args(extra)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| anyhow::anyhow!("starting {}: {e}", binary.display()))?;
        let daemon = Self {
            child,
            data_dir,
            fleets,
            addr,
            url: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(1024)
                .build()?,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let up = daemon
                .client
                .get(format!("{}/healthz", daemon.url))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if up {
                return Ok(daemon);
            }
            anyhow::ensure!(Instant::now() < deadline, "the daemon did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The daemon's process id.
    pub fn pid(&self) -> String {
        self.child.id().to_string()
    }

    /// The JSON answer to `GET path`, failing on an error status.
    pub async fn get_json(&self, path: &str) -> anyhow::Result<serde_json::Value> {
        Ok(self
            .client
            .get(format!("{}{path}", self.url))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// The value on the `/metrics` line starting with `name` (0 when the
    /// line is absent).
    pub async fn metric(&self, name: &str) -> anyhow::Result<f64> {
        Ok(find_metric(&self.metrics().await?, name))
    }

    /// The daemon's `/metrics` text.
    async fn metrics(&self) -> anyhow::Result<String> {
        let url = format!("{}/metrics", self.url);
        Ok(self.client.get(url).send().await?.text().await?)
    }

    /// Sets a fleet's warm replicas.
    async fn set_fleet_replicas(&self, fleet: &str, replicas: u32) -> anyhow::Result<()> {
        self.client
            .patch(format!("{}/v1/fleets/{fleet}", self.url))
            .json(&serde_json::json!({ "replicas": replicas }))
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    /// Sets the warm replicas of all fleets to `total` together, filling
    /// each fleet up to the API's bound before the next.
    pub async fn spread_replicas(&self, total: u32) -> anyhow::Result<()> {
        let mut left = total;
        for fleet in &self.fleets {
            let replicas = left.min(MAX_REPLICAS_PER_FLEET);
            self.set_fleet_replicas(fleet, replicas).await?;
            left -= replicas;
        }
        anyhow::ensure!(left == 0, "{left} replicas found no fleet");
        Ok(())
    }

    /// Game servers on this host in `state`, across its fleets.
    async fn in_state(&self, state: &str) -> anyhow::Result<u64> {
        let metrics = self.metrics().await?;
        let count = |fleet: &String| {
            let name = format!("gamehost_game_servers{{fleet=\"{fleet}\",state=\"{state}\"}} ");
            find_metric(&metrics, &name) as u64
        };
        Ok(self.fleets.iter().map(count).sum())
    }

    /// Why the first game server in Error could not start, if one is.
    async fn first_error(&self) -> anyhow::Result<Option<String>> {
        if self.in_state("Error").await? == 0 {
            return Ok(None);
        }
        let list = self.get_json("/v1/gameservers?state=Error").await?;
        Ok(list["gameServers"].get(0).map(|record| {
            let reason = &record["process"]["ending"]["reason"];
            reason
                .as_str()
                .map_or_else(|| record.to_string(), str::to_owned)
        }))
    }

    /// Waits until `ready` game servers of the fleets are Ready; returns how
    /// long that took. Fails as soon as a game server is in Error (it could
    /// not start, so the count would never be reached).
    pub async fn wait_ready(&self, ready: u64) -> anyhow::Result<Duration> {
        let start = Instant::now();
        let deadline = start + Duration::from_secs(600);
        loop {
            let now = self.in_state("Ready").await?;
            if now >= ready {
                return Ok(start.elapsed());
            }
            if let Some(reason) = self.first_error().await? {
                anyhow::bail!("with {now} of {ready} Ready, a game server failed: {reason}");
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "only {now} of {ready} game servers became Ready"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The value of the metric `name` (its labels included, then a space) in
/// `metrics`, 0 when it is absent.
fn find_metric(metrics: &str, name: &str) -> f64 {
    metrics
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0.0)
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
