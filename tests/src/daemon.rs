//! The real `gamehost serve` binary as a child process (the one cargo built
//! for the calling test: `env!("CARGO_BIN_EXE_gamehost")`), for the
//! end-to-end tests over HTTP: a free loopback port, a temporary data directory, an
//! optional token, and JSON helpers that wait with a deadline.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::fs::OpenOptions;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// How long a test polls for a condition before failing.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// How long the daemon may take to answer `/healthz`: it compiles every
/// stored module before it listens, which is slow on a busy machine.
const STARTUP: Duration = Duration::from_secs(90);

/// How long a graceful shutdown may take before the test fails.
const SHUTDOWN: Duration = Duration::from_secs(90);

/// A running `gamehost serve`, killed when dropped; its stderr is kept in a
/// file and printed when the test fails.
pub struct Daemon {
    binary: PathBuf,
    child: Option<Child>,
    port: u16,
    data_dir: PathBuf,
    token: Option<String>,
    args: Vec<String>,
    stderr: PathBuf,
    client: reqwest::Client,
}

impl Daemon {
    /// Starts `binary` (`gamehost`) as a daemon without a token or extra
    /// arguments.
    pub async fn start(binary: impl AsRef<Path>) -> Self {
        Self::start_with(binary, None, &[]).await
    }

    /// Starts `binary` (`gamehost`) as a daemon with `token` in
    /// GAMEHOST_TOKEN (if any) and `args` after `serve --listen … --data-dir …`.
    pub async fn start_with(binary: impl AsRef<Path>, token: Option<&str>, args: &[&str]) -> Self {
        let dir =
            std::env::temp_dir().join(format!("gamehost-e2e-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).expect("creating the test directory");
        let mut daemon = Self {
            binary: binary.as_ref().to_owned(),
            child: None,
            port: free_port(),
            data_dir: dir.join("data"),
            token: token.map(str::to_owned),
            args: args.iter().map(|a| (*a).to_owned()).collect(),
            stderr: dir.join("stderr.log"),
            client: reqwest::Client::new(),
        };
        daemon.spawn().await;
        daemon
    }

    async fn spawn(&mut self) {
        let stderr = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.stderr)
            .expect("opening the daemon's stderr file");
        let mut command = Command::new(&self.binary);
        command
            .arg("serve")
            .arg("--listen")
            .arg(format!("127.0.0.1:{}", self.port))
            .arg("--data-dir")
            .arg(&self.data_dir)
            .args(&self.args)
            // The test's own environment must not change the daemon's settings.
            .env_remove("GAMEHOST_TOKEN")
            .env_remove("GAMEHOST_LISTEN")
            .env_remove("GAMEHOST_DATA_DIR")
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
            let answer = self.client.get(self.url("/healthz")).send().await;
            if answer.is_ok_and(|r| r.status().is_success()) {
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

    /// The full URL of `path` (which starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The loopback port the daemon listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A request to `path` carrying the daemon's token, if it has one.
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let request = self.client.request(method, self.url(path));
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// The daemon's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// What the daemon wrote on stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
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
        let mut child = self.child.take().expect("the daemon is running");
        let sent = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .expect("running kill");
        assert!(sent.success(), "kill -TERM failed");
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

    /// Sends `body` (JSON, if any) and returns the status and the JSON
    /// answer (`Null` when the body is empty).
    pub async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.request(method.clone(), path);
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\n{}", self.stderr()));
        answer(response).await
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, None).await
    }

    /// POST `body` to `path`.
    pub async fn post(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(body)).await
    }

    /// PATCH `path` with `body`.
    pub async fn patch(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        self.send(Method::PATCH, path, Some(body)).await
    }

    /// DELETE `path`.
    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::DELETE, path, None).await
    }

    /// GET `path`, which must answer 200.
    pub async fn get_ok(&self, path: &str) -> Value {
        let (status, body) = self.get(path).await;
        assert_eq!(status, StatusCode::OK, "GET {path}: {body}");
        body
    }

    /// Uploads a component as `name@version`.
    pub async fn upload(&self, name: &str, version: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let path = format!("/v1/modules?name={name}&version={version}");
        let response = self
            .request(Method::POST, &path)
            .header(reqwest::header::CONTENT_TYPE, "application/wasm")
            .body(bytes)
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        answer(response).await
    }

    /// Uploads the guest component at `component` and creates fleet `fleet`
    /// of it with `replicas` and `template`; returns the module's id.
    pub async fn deploy(
        &self,
        fleet: &str,
        component: &str,
        replicas: u32,
        template: Value,
    ) -> String {
        let (status, module) = self
            .upload(fleet, "1", gamehost_guests::read(component))
            .await;
        assert!(
            status.is_success(),
            "uploading {component}: {status} {module}"
        );
        let id = module["id"].as_str().expect("a module id").to_owned();
        let new = json!({"name": fleet, "module": id, "replicas": replicas, "template": template});
        let (status, body) = self.post("/v1/fleets", &new).await;
        assert_eq!(
            status,
            StatusCode::CREATED,
            "creating fleet {fleet}: {body}"
        );
        id
    }

    /// The game servers of `fleet` (running and recently ended).
    pub async fn game_servers(&self, query: &str) -> Vec<Value> {
        let body = self.get_ok(&format!("/v1/gameservers?{query}")).await;
        body["gameServers"]
            .as_array()
            .expect("a list of game servers")
            .clone()
    }

    /// Deploys the example game mode as the fleet `arena` with `replicas`
    /// game servers of [`arena_template`], and returns them once Ready.
    pub async fn deploy_arena(&self, replicas: u32) -> Vec<Value> {
        self.deploy(
            "arena",
            gamehost_guests::ARENA,
            replicas,
            arena_template(serde_json::json!({})),
        )
        .await;
        self.ready_game_servers("arena", replicas as usize).await
    }

    /// Waits until `fleet` has exactly `count` Ready game servers and
    /// returns them.
    pub async fn ready_game_servers(&self, fleet: &str, count: usize) -> Vec<Value> {
        self.wait_for(
            &format!("{count} Ready game servers in {fleet}"),
            || async {
                let ready = self
                    .game_servers(&format!("fleet={fleet}&state=Ready"))
                    .await;
                (ready.len() == count).then_some(ready)
            },
        )
        .await
    }

    /// Polls `check` until it answers `Some`, failing the test after
    /// [`DEADLINE`].
    pub async fn wait_for<T, F, Fut>(&self, what: &str, mut check: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let started = Instant::now();
        loop {
            if let Some(value) = check().await {
                return value;
            }
            assert!(started.elapsed() < DEADLINE, "timed out waiting for {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.kill9();
        if std::thread::panicking() {
            eprintln!("--- gamehost serve stderr ---\n{}", self.stderr());
        }
        if let Some(dir) = self.stderr.parent() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// A loopback port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("binding a free port")
        .port()
}

async fn answer(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let bytes = response.bytes().await.expect("reading the answer");
    if bytes.is_empty() {
        return (status, Value::Null);
    }
    let body = serde_json::from_slice(&bytes).unwrap_or_else(|_| {
        panic!(
            "a {status} answer that is not JSON: {}",
            String::from_utf8_lossy(&bytes)
        )
    });
    (status, body)
}

/// A template with both health checks off, so that only what a test does
/// changes the game servers, plus `extra` fields.
pub fn quiet_template(extra: Value) -> Value {
    let mut template = json!({
        "health": {"disabled": true, "periodSeconds": 5, "failureThreshold": 3, "initialDelaySeconds": 5},
        "healthCheck": {"disabled": true, "periodSeconds": 60, "failureThreshold": 3},
        "terminationGraceSeconds": 10
    });
    if let (Some(base), Value::Object(extra)) = (template.as_object_mut(), extra) {
        base.extend(extra);
    }
    template
}

/// The quiet template the arena guest needs: the counter `rounds`, the list
/// `players`, room for 100 players, plus `extra` fields.
pub fn arena_template(extra: Value) -> Value {
    let mut template = quiet_template(json!({
        "counters": {"rounds": {"count": 0, "capacity": 0}},
        "lists": {"players": {"capacity": 100}},
        "playerCapacity": 100
    }));
    if let (Some(base), Value::Object(extra)) = (template.as_object_mut(), extra) {
        base.extend(extra);
    }
    template
}

/// The names of the game servers in a list of records.
pub fn names(game_servers: &[Value]) -> std::collections::BTreeSet<String> {
    game_servers
        .iter()
        .map(|g| {
            g["object_meta"]["name"]
                .as_str()
                .expect("a name")
                .to_owned()
        })
        .collect()
}
