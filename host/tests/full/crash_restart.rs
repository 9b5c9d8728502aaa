//! Crash and restart under load: creates of every kind (modules, fleets,
//! game sessions, player sessions, registry entries) run concurrently
//! against the real daemon, which is killed with SIGKILL in the middle of
//! them, round after round. After each restart every write the daemon
//! acknowledged (a 2xx answer) must be there; the counts are printed.

use crate::GAMEHOST;
use gamehost_tests::daemon::{Daemon, arena_template};
use gamehost_tests::figures;
use gamehost_tests::process::DaemonProcess;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How many times the daemon is killed.
const ROUNDS: usize = 5;

/// How long creates run before each kill.
const LOAD: Duration = Duration::from_millis(2500);

/// The kinds of writes, in the order they are reported.
const KINDS: [&str; 5] = [
    "modules",
    "fleets",
    "game sessions",
    "player sessions",
    "registry entries",
];

/// What the workers have had acknowledged: per kind, the path to read each
/// one back from.
#[derive(Default)]
struct Acknowledged {
    paths: Mutex<BTreeMap<&'static str, Vec<String>>>,
    active_sessions: Mutex<Vec<String>>,
}

impl Acknowledged {
    fn add(&self, kind: &'static str, path: String) {
        self.paths
            .lock()
            .unwrap()
            .entry(kind)
            .or_default()
            .push(path);
    }
}

/// One worker's view of the daemon: its base URL and a client. Requests that
/// fail because the daemon is gone are simply not acknowledged.
#[derive(Clone)]
struct Load {
    base: String,
    client: Client,
    acked: Arc<Acknowledged>,
    stop: Arc<AtomicBool>,
    round: usize,
}

impl Load {
    /// The answer to `request` when the daemon acknowledged it.
    async fn acknowledged(&self, request: reqwest::RequestBuilder) -> Option<Value> {
        let response = request.send().await.ok()?;
        if !response.status().is_success() {
            return None;
        }
        response.json().await.ok()
    }

    /// A POST of `body` to `path`.
    fn json(&self, path: &str, body: &Value) -> reqwest::RequestBuilder {
        self.client.post(format!("{}{path}", self.base)).json(body)
    }

    async fn modules(self, component: Vec<u8>) {
        let mut n = 0;
        while !self.stop.load(Ordering::Relaxed) {
            n += 1;
            let version = format!("{}.{n}", self.round);
            let path = format!("/v1/modules?name=crash&version={version}");
            let request = self
                .client
                .post(format!("{}{path}", self.base))
                .header(reqwest::header::CONTENT_TYPE, "application/wasm")
                .body(with_custom_section(&component, &version));
            if let Some(module) = self.acknowledged(request).await {
                let id = module["id"].as_str().expect("a module id");
                self.acked.add("modules", format!("/v1/modules/{id}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn fleets(self, module: String) {
        let mut n = 0;
        while !self.stop.load(Ordering::Relaxed) {
            n += 1;
            let name = format!("crash-{}-{n}", self.round);
            let body = json!({"name": name, "module": module, "replicas": 0,
                "template": arena_template(json!({}))});
            if self
                .acknowledged(self.json("/v1/fleets", &body))
                .await
                .is_some()
            {
                self.acked.add("fleets", format!("/v1/fleets/{name}"));
            }
            // A host keeps at most 256 fleets; five rounds stay below that.
            tokio::time::sleep(Duration::from_millis(80)).await;
        }
    }

    async fn game_sessions(self) {
        let path = "/v1/fleets/arena/gamesessions";
        let body = json!({"maximumPlayerSessionCount": 100});
        while !self.stop.load(Ordering::Relaxed) {
            match self.acknowledged(self.json(path, &body)).await {
                Some(session) => {
                    let id = session["gameSessionId"].as_str().expect("an id").to_owned();
                    self.acked
                        .add("game sessions", format!("/v1/gamesessions/{id}"));
                    self.acked.active_sessions.lock().unwrap().push(id);
                }
                None => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }

    async fn player_sessions(self) {
        let mut n = 0;
        while !self.stop.load(Ordering::Relaxed) {
            let latest = self.acked.active_sessions.lock().unwrap().last().cloned();
            let Some(session) = latest else {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            };
            n += 1;
            let path = format!("/v1/gamesessions/{session}/playersessions");
            let body = json!({"playerId": format!("player-{}-{n}", self.round)});
            match self.acknowledged(self.json(&path, &body)).await {
                Some(player) => {
                    let id = player["playerSessions"][0]["playerSessionId"]
                        .as_str()
                        .expect("an id");
                    self.acked.add(
                        "player sessions",
                        format!("/v1/playersessions?playerSessionId={id}"),
                    );
                }
                None => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    }

    async fn registry(self) {
        let mut n = 0;
        let path = "/v1/registry/crash-group/gameservers";
        while !self.stop.load(Ordering::Relaxed) {
            n += 1;
            let id = format!("entry-{}-{n}", self.round);
            let body = json!({"gameServerId": id, "instanceId": "instance-1",
                "connectionInfo": "127.0.0.1:7777"});
            if self.acknowledged(self.json(path, &body)).await.is_some() {
                self.acked.add("registry entries", format!("{path}/{id}"));
            }
        }
    }
}

/// The component with a custom section named for `tag` appended: different
/// bytes, so a different module, that validates and runs the same.
fn with_custom_section(component: &[u8], tag: &str) -> Vec<u8> {
    let name = b"gamehost-crash-test";
    let mut payload = vec![name.len() as u8];
    payload.extend_from_slice(name);
    payload.extend_from_slice(tag.as_bytes());
    let mut bytes = component.to_vec();
    bytes.push(0);
    let mut size = payload.len();
    loop {
        let byte = (size & 0x7f) as u8;
        size >>= 7;
        if size == 0 {
            bytes.push(byte);
            break;
        }
        bytes.push(byte | 0x80);
    }
    bytes.extend_from_slice(&payload);
    bytes
}

/// Whether what `path` names is there after the restart.
async fn present(daemon: &Daemon, path: &str) -> bool {
    let (status, body) = daemon.get(path).await;
    if status != StatusCode::OK {
        return false;
    }
    match body.get("playerSessions") {
        Some(list) => list.as_array().is_some_and(|l| l.len() == 1),
        None => true,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_writes_survive_repeated_kill_9() {
    let mut daemon = DaemonProcess::start(GAMEHOST).await;
    let component = gamehost_guests::read(gamehost_guests::ARENA);
    let module = daemon
        .deploy(
            "arena",
            gamehost_guests::ARENA,
            4,
            arena_template(json!({})),
        )
        .await;
    let acked = Arc::new(Acknowledged::default());
    let mut lines = Vec::new();
    for round in 1..=ROUNDS {
        daemon.ready_game_servers("arena", 4).await;
        let stop = Arc::new(AtomicBool::new(false));
        let load = Load {
            base: daemon.url(""),
            client: Client::new(),
            acked: acked.clone(),
            stop: stop.clone(),
            round,
        };
        acked.active_sessions.lock().unwrap().clear();
        let workers = [
            tokio::spawn(load.clone().modules(component.clone())),
            tokio::spawn(load.clone().fleets(module.clone())),
            tokio::spawn(load.clone().game_sessions()),
            tokio::spawn(load.clone().player_sessions()),
            tokio::spawn(load.clone().registry()),
        ];
        tokio::time::sleep(LOAD).await;
        daemon.kill9();
        stop.store(true, Ordering::Relaxed);
        for worker in workers {
            worker.await.expect("a load worker");
        }
        daemon.restart().await;

        let paths = acked.paths.lock().unwrap().clone();
        let mut counts = Vec::new();
        for kind in KINDS {
            let wanted = paths.get(kind).map(Vec::as_slice).unwrap_or_default();
            let mut lost = Vec::new();
            for path in wanted {
                if !present(&daemon, path).await {
                    lost.push(path.clone());
                }
            }
            assert!(lost.is_empty(), "round {round}: {kind} lost: {lost:?}");
            assert!(!wanted.is_empty(), "round {round}: no {kind} acknowledged");
            counts.push(format!("{kind} {}", wanted.len()));
        }
        println!("after kill -9 #{round}: {}", counts.join(", "));
    }
    let paths = acked.paths.lock().unwrap().clone();
    for kind in KINDS {
        let n = paths.get(kind).map_or(0, Vec::len);
        lines.push(format!("{kind}: acknowledged {n}, recovered {n}, lost 0"));
    }
    figures::record(
        "crash_restart",
        &format!("Crash and restart: {ROUNDS} rounds of kill -9 under a load of creates"),
        &lines,
    );
}
