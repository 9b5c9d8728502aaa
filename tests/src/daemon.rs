//! A client of a daemon serving on a loopback port, for the tests over
//! HTTP: requests with its token, JSON helpers that wait with a deadline,
//! and the templates the tests deploy. The daemon runs in the test's
//! process ([`Daemon::serving`]) or as a child process
//! ([`crate::process::DaemonProcess`]).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::any::Any;
use std::future::Future;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// How long a test polls for a condition before failing.
pub const DEADLINE: Duration = Duration::from_secs(20);

/// A daemon's control plane on a loopback port, and what keeps the daemon
/// running while the test holds this.
pub struct Daemon {
    port: u16,
    token: Option<String>,
    client: reqwest::Client,
    /// The file the daemon's log goes to, when it runs as a process.
    stderr: Option<PathBuf>,
    _running: Option<Box<dyn Any + Send + Sync>>,
}

impl Daemon {
    /// The daemon serving on `port` in this process, requiring `token`
    /// (if any); `running` keeps it running until this is dropped.
    pub fn serving(port: u16, token: Option<&str>, running: Box<dyn Any + Send + Sync>) -> Self {
        Self {
            port,
            token: token.map(str::to_owned),
            client: reqwest::Client::new(),
            stderr: None,
            _running: Some(running),
        }
    }

    /// A client of the daemon process on `port` whose log goes to `stderr`.
    pub(crate) fn process(port: u16, token: Option<&str>, stderr: PathBuf) -> Self {
        Self {
            port,
            token: token.map(str::to_owned),
            client: reqwest::Client::new(),
            stderr: Some(stderr),
            _running: None,
        }
    }

    /// Whether the daemon answers `/healthz`.
    pub(crate) async fn healthy(&self) -> bool {
        let answer = self.client.get(self.url("/healthz")).send().await;
        answer.is_ok_and(|r| r.status().is_success())
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

    /// What the daemon wrote on stderr so far (a daemon in the test's
    /// process logs to the test's output).
    pub fn stderr(&self) -> String {
        self.stderr
            .as_ref()
            .and_then(|path| std::fs::read_to_string(path).ok())
            .unwrap_or_default()
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

    /// The daemon's `/metrics`, as text.
    pub async fn metrics(&self) -> String {
        let response = self.request(Method::GET, "/metrics").send().await;
        let response = response.unwrap_or_else(|e| panic!("GET /metrics: {e}"));
        response.text().await.expect("the metrics")
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
        .map(|g| g["objectMeta"]["name"].as_str().expect("a name").to_owned())
        .collect()
}
