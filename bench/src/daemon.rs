//! The real daemon, `gamehost serve`, started for a benchmark with the
//! example game mode deployed as the fleet `arena`, and driven over HTTP.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The fleet the benchmarks deploy.
pub const FLEET: &str = "arena";

/// A running daemon; stopped and its data removed when dropped.
pub struct Daemon {
    child: Child,
    data_dir: PathBuf,
    /// The control plane's base URL.
    pub url: String,
    /// A client that keeps connections alive.
    pub client: reqwest::Client,
}

impl Daemon {
    /// Starts `binary` with the fleet at `replicas` warm game servers.
    pub async fn start(binary: &Path, replicas: u32, name: &str) -> anyhow::Result<Self> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let data_dir =
            std::env::temp_dir().join(format!("gamehost-bench-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data_dir);
        let template = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../guest-examples/rust/arena/template.json");
        let child = Command::new(binary)
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--data-dir")
            .arg(&data_dir)
            .arg("--deploy")
            .arg(format!("{FLEET}={}", gamehost_guests::ARENA))
            .arg("--template")
            .arg(template)
            .arg("--replicas")
            .arg(replicas.to_string())
            .arg("--max-in-flight")
            .arg("4096")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| anyhow::anyhow!("starting {}: {e}", binary.display()))?;
        let daemon = Self {
            child,
            data_dir,
            url: format!("http://127.0.0.1:{port}"),
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

    /// The fleet's status: how many game servers are in each state.
    pub async fn fleet_status(&self) -> anyhow::Result<serde_json::Value> {
        let view: serde_json::Value = self
            .client
            .get(format!("{}/v1/fleets/{FLEET}", self.url))
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        Ok(view["status"].clone())
    }

    /// Sets the fleet's warm replicas.
    pub async fn set_replicas(&self, replicas: u32) -> anyhow::Result<()> {
        self.client
            .patch(format!("{}/v1/fleets/{FLEET}", self.url))
            .json(&serde_json::json!({ "replicas": replicas }))
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    /// Waits until `ready` game servers of the fleet are Ready; returns how
    /// long that took.
    pub async fn wait_ready(&self, ready: u64) -> anyhow::Result<Duration> {
        let start = Instant::now();
        let deadline = start + Duration::from_secs(600);
        loop {
            let now = self.fleet_status().await?["ready"].as_u64().unwrap_or(0);
            if now >= ready {
                return Ok(start.elapsed());
            }
            anyhow::ensure!(
                Instant::now() < deadline,
                "only {now} of {ready} game servers became Ready"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}
