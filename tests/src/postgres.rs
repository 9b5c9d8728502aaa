//! A throw-away PostgreSQL server for tests: `initdb` into a temporary
//! directory, started on a free loopback port with a password, as an
//! unprivileged user when the tests run as root (PostgreSQL refuses root).
//!
//! The server runs under a small shell that stops it (and, for the shared
//! server, removes its directory) when the test process's end closes the
//! shell's input, so no server outlives its tests, even a killed run's.

use crate::TempDir;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// The role the tests connect as, and its password.
const ROLE: &str = "gamehost";
const PASSWORD: &str = "throwaway-test-password";
/// How long a server may take to accept connections.
const READY: Duration = Duration::from_secs(30);

/// A PostgreSQL server of a test's own.
pub struct PgServer {
    /// Its directory: the cluster's data, its socket, its log.
    dir: PathBuf,
    /// Removes the directory when the server is dropped (none for the
    /// shared server, whose shell removes it).
    _owned: Option<TempDir>,
    port: u16,
    /// The shell watching the server, and its input.
    watcher: Option<(Child, ChildStdin)>,
    /// The server's own process id, while it runs.
    pid: Option<u32>,
    databases: AtomicU32,
}

impl PgServer {
    /// A new server on a free loopback port, initialized and accepting
    /// connections.
    pub fn start() -> Self {
        let owned = crate::temp_dir("gamehost-pg");
        let dir = owned.path().to_owned();
        let mut server = Self::init(dir, Some(owned));
        server.run(false);
        server
    }

    /// The server the test process's tests share, started on first use
    /// and stopped when the process ends; each test takes a database of
    /// its own ([`PgServer::new_database`]).
    pub fn shared() -> &'static Self {
        static SHARED: OnceLock<PgServer> = OnceLock::new();
        SHARED.get_or_init(|| {
            let dir = crate::temp_dir("gamehost-pg-shared").keep();
            let mut server = Self::init(dir, None);
            server.run(true);
            server
        })
    }

    fn init(dir: PathBuf, owned: Option<TempDir>) -> Self {
        let user = unprivileged_user();
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(&dir, Some(uid), Some(gid))
                .expect("chown the server's folder");
        }
        let password_file = dir.join("password");
        std::fs::write(&password_file, PASSWORD).expect("writing the password file");
        if let Some((uid, gid)) = user {
            std::os::unix::fs::chown(&password_file, Some(uid), Some(gid))
                .expect("chown the password file");
        }
        let mut initdb = as_user(Command::new(bin().join("initdb")));
        initdb
            .arg("--pgdata")
            .arg(dir.join("data"))
            .args(["--username", ROLE, "--auth", "scram-sha-256", "--pwfile"])
            .arg(&password_file)
            .args(["--encoding", "UTF8", "--no-instructions"]);
        let made = initdb.output().expect("running initdb");
        assert!(
            made.status.success(),
            "initdb failed:\n{}",
            String::from_utf8_lossy(&made.stderr)
        );
        Self {
            dir,
            _owned: owned,
            port: crate::process::free_port(),
            watcher: None,
            pid: None,
            databases: AtomicU32::new(0),
        }
    }

    /// Starts the server under its watching shell and waits until it
    /// accepts connections.
    fn run(&mut self, remove_when_done: bool) {
        let cleanup = if remove_when_done {
            r#"rm -rf "$0""#
        } else {
            ":"
        };
        let script = format!(
            r#"{postgres} -D "$0/data" -p {port} -k "$0" -c listen_addresses=127.0.0.1 \
                -c max_connections=400 -c shared_buffers=32MB >>"$0/server.log" 2>&1 &
            pid=$!
            echo "$pid"
            # The test process's end (or the server's drop) closes this input.
            cat >/dev/null
            kill -QUIT "$pid" 2>/dev/null
            wait "$pid"
            {cleanup}"#,
            postgres = bin().join("postgres").display(),
            port = self.port,
        );
        let mut shell = as_user(Command::new("sh"));
        shell
            .args(["-c", &script])
            .arg(&self.dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped());
        let mut child = shell.spawn().expect("starting the server's shell");
        let input = child.stdin.take().expect("the shell's input");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("the shell's output"))
            .read_line(&mut line)
            .expect("reading the server's pid");
        self.pid = Some(line.trim().parse().expect("the server's pid"));
        self.watcher = Some((child, input));
        self.wait_ready();
    }

    fn wait_ready(&self) {
        let started = Instant::now();
        loop {
            let ready = Command::new(bin().join("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return;
            }
            assert!(
                started.elapsed() < READY,
                "PostgreSQL did not accept connections within {READY:?}:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The server's port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The address of `database` on this server, with the role and its
    /// password.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://{ROLE}:{PASSWORD}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// A new, empty database; returns its address.
    pub fn new_database(&self) -> String {
        let n = self.databases.fetch_add(1, Ordering::Relaxed);
        let name = format!("test_{}_{n}", std::process::id());
        let made = Command::new(bin().join("createdb"))
            .args(["-h", "127.0.0.1", "-p", &self.port.to_string(), "-U", ROLE])
            .arg(&name)
            .env("PGPASSWORD", PASSWORD)
            .output()
            .expect("running createdb");
        assert!(
            made.status.success(),
            "createdb failed:\n{}",
            String::from_utf8_lossy(&made.stderr)
        );
        self.url(&name)
    }

    /// Stops the server: `fast` as an operator's restart would (clients
    /// disconnected, the log flushed), or else at once, as a crash would.
    pub fn stop(&mut self, fast: bool) {
        let pid = self.pid.take().expect("the server is running");
        let signal = if fast { "-INT" } else { "-KILL" };
        let sent = Command::new("kill")
            .args([signal, &pid.to_string()])
            .status()
            .expect("running kill");
        assert!(sent.success(), "kill {signal} {pid} failed");
        if let Some((mut child, input)) = self.watcher.take() {
            drop(input);
            child.wait().expect("reaping the server's shell");
        }
        // A crashed server leaves its pid file; PostgreSQL checks it on start
        // and finds no process with that pid.
    }

    /// Starts the server again on the same data and port.
    pub fn restart(&mut self) {
        assert!(self.pid.is_none(), "the server is running");
        self.run(false);
    }

    /// The server's log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("server.log")).unwrap_or_default()
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        if let Some((mut child, input)) = self.watcher.take() {
            drop(input);
            let _ = child.wait();
        }
    }
}

/// Where the PostgreSQL server's programs are: `GAMEHOST_PG_BIN`, or the
/// newest of Debian's `/usr/lib/postgresql/N/bin`.
fn bin() -> PathBuf {
    if let Some(dir) = std::env::var_os("GAMEHOST_PG_BIN") {
        return PathBuf::from(dir);
    }
    let root = Path::new("/usr/lib/postgresql");
    let newest = std::fs::read_dir(root)
        .ok()
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .max()
        .unwrap_or_else(|| {
            panic!(
                "no PostgreSQL server under {root:?}: run ./scripts/setup, or set GAMEHOST_PG_BIN"
            )
        });
    root.join(newest.to_string()).join("bin")
}

/// `command`, to run as the unprivileged user when the tests run as root.
fn as_user(mut command: Command) -> Command {
    if let Some((uid, gid)) = unprivileged_user() {
        command.uid(uid).gid(gid);
    }
    command
}

/// The user and group PostgreSQL runs as when the tests run as root: the
/// `postgres` user Debian's package makes, else `nobody`.
fn unprivileged_user() -> Option<(u32, u32)> {
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if !root {
        return None;
    }
    let passwd = std::fs::read_to_string("/etc/passwd").expect("reading /etc/passwd");
    let find = |name: &str| {
        passwd.lines().find_map(|line| {
            let fields: Vec<&str> = line.split(':').collect();
            (fields.first() == Some(&name) && fields.len() > 3)
                .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
                .flatten()
        })
    };
    Some(
        find("postgres")
            .or_else(|| find("nobody"))
            .expect("a postgres or nobody user to run PostgreSQL as"),
    )
}

/// The variable that puts the daemon tests on PostgreSQL: with
/// `GAMEHOST_TEST_STORE=postgres`, each daemon a test starts gets a
/// database of its own on the shared throw-away server.
pub const TEST_STORE: &str = "GAMEHOST_TEST_STORE";

/// A new database for a test's daemon when the tests run on PostgreSQL
/// ([`TEST_STORE`]); none on the embedded store.
pub fn test_database() -> Option<String> {
    test_database_kind().map(|_| PgServer::shared().new_database())
}

/// `Some("postgres")` when the tests run on PostgreSQL ([`TEST_STORE`]).
pub fn test_database_kind() -> Option<&'static str> {
    match std::env::var(TEST_STORE).as_deref() {
        Ok("postgres") => Some("postgres"),
        Ok("" | "embedded") | Err(_) => None,
        Ok(other) => panic!("{TEST_STORE}={other}: expected postgres or embedded"),
    }
}
