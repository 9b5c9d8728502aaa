//! The real `gamehost serve` binary as a child process (the one cargo built
//! for the calling test: `env!("CARGO_BIN_EXE_gamehost")`), for the tests of
//! signals, crashes and restarts: a free loopback port, a temporary data
//! directory and an optional token. It is a [`Daemon`] for requests.

use crate::daemon::Daemon;
use std::fs::OpenOptions;
use std::ops::Deref;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long the daemon may take to answer `/healthz`: it compiles every
/// stored module before it listens, which is slow on a busy machine.
const STARTUP: Duration = Duration::from_secs(90);

/// How long a graceful shutdown may take before the test fails.
const SHUTDOWN: Duration = Duration::from_secs(90);

/// A running `gamehost serve`, killed when dropped; its stderr is kept in a
/// file and printed when the test fails.
pub struct DaemonProcess {
    daemon: Daemon,
    binary: PathBuf,
    child: Option<Child>,
    port: u16,
    dir: crate::TempDir,
    token: Option<String>,
    args: Vec<String>,
}

impl DaemonProcess {
    /// Starts `binary` (`gamehost`) as a daemon without a token or extra
    /// arguments.
    pub async fn start(binary: impl AsRef<Path>) -> Self {
        Self::start_with(binary, None, &[]).await
    }

    /// Starts `binary` (`gamehost`) as a daemon with `token` in
    /// GAMEHOST_TOKEN (if any) and `args` after `serve --listen … --data-dir …`
    /// (and `--store` with a database of its own when the tests run on
    /// PostgreSQL and `args` name none).
    pub async fn start_with(binary: impl AsRef<Path>, token: Option<&str>, args: &[&str]) -> Self {
        let dir = crate::temp_dir("gamehost-e2e");
        let port = free_port();
        let mut process = Self {
            daemon: Daemon::process(port, token, dir.path().join("stderr.log")),
            binary: binary.as_ref().to_owned(),
            child: None,
            port,
            dir,
            token: token.map(str::to_owned),
            args: store_args(args)
                .into_iter()
                .chain(args.iter().map(|a| (*a).to_owned()))
                .collect(),
        };
        process.spawn().await;
        process
    }

    async fn spawn(&mut self) {
        let stderr = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.dir.path().join("stderr.log"))
            .expect("opening the daemon's stderr file");
        let mut command = Command::new(&self.binary);
        command
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--data-dir")
            .arg(self.dir.path().join("data"))
            .args(&self.args)
            // The test's own environment must not change the daemon's settings.
            .env_remove("GAMEHOST_TOKEN")
            .env_remove("GAMEHOST_TOKENS")
            .env_remove("GAMEHOST_LISTEN")
            .env_remove("GAMEHOST_DATA_DIR")
            .env_remove("GAMEHOST_WORKER_THREADS")
            .env_remove("GAMEHOST_STORE")
            .env_remove("GAMEHOST_HOST_ID")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr);
        if let Some(token) = &self.token {
            command.env("GAMEHOST_TOKEN", token);
        }
        self.child = Some(command.spawn().expect("starting gamehost serve"));
        self.wait_healthy().await;
    }

    async fn wait_healthy(&mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self
                .child
                .as_mut()
                .and_then(|c| c.try_wait().ok().flatten())
            {
                panic!(
                    "gamehost serve exited with {status} before answering:\n{}",
                    self.stderr()
                );
            }
            if self.daemon.healthy().await {
                return;
            }
            assert!(
                started.elapsed() < STARTUP,
                "gamehost serve did not answer /healthz within {STARTUP:?}:\n{}",
                self.stderr()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The daemon's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// Kills the daemon with SIGKILL, as a crash would.
    pub fn kill9(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().expect("SIGKILL");
            child.wait().expect("reaping the daemon");
        }
    }

    /// Sends SIGTERM and waits for the daemon to exit; returns its status.
    pub async fn terminate(&mut self) -> ExitStatus {
        self.signal_term();
        self.wait_exit().await
    }

    /// Sends SIGTERM to the daemon.
    pub fn signal_term(&self) {
        let child = self.child.as_ref().expect("the daemon is running");
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("running kill");
        assert!(sent.success(), "kill -TERM failed");
    }

    /// Waits for the daemon to exit after a signal; returns its status.
    pub async fn wait_exit(&mut self) -> ExitStatus {
        let mut child = self.child.take().expect("the daemon is running");
        let started = Instant::now();
        loop {
            if let Some(status) = child.try_wait().expect("polling the daemon") {
                return status;
            }
            if started.elapsed() > SHUTDOWN {
                let _ = child.kill();
                panic!(
                    "gamehost serve did not exit within {SHUTDOWN:?} of SIGTERM:\n{}",
                    self.stderr()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Starts the daemon again on the same data directory, port, token and
    /// arguments, killing it first if it still runs.
    pub async fn restart(&mut self) {
        self.kill9();
        self.spawn().await;
    }
}

impl Deref for DaemonProcess {
    type Target = Daemon;

    fn deref(&self) -> &Daemon {
        &self.daemon
    }
}

impl Drop for DaemonProcess {
    fn drop(&mut self) {
        self.kill9();
        if std::thread::panicking() {
            eprintln!("--- gamehost serve stderr ---\n{}", self.stderr());
        }
    }
}

/// `--store` with a database of its own when the tests run on PostgreSQL
/// and `args` name no store.
fn store_args(args: &[&str]) -> Vec<String> {
    if args.contains(&"--store") {
        return Vec::new();
    }
    crate::postgres::test_database()
        .map(|url| vec!["--store".to_owned(), url])
        .unwrap_or_default()
}

/// A loopback port nothing listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("binding a free port")
        .port()
}
