//! `gamehost serve --agones` against a stand-in for Agones, without
//! Kubernetes. Another Gamehost plays Agones: one of its game servers is the
//! Gamehost pod's GameServer, and the REST SDK it serves (`--sdk-http`, an
//! implementation of Agones' REST SDK) is the pod's sidecar; its allocation
//! API plays Agones' allocator, applying a GameServerAllocation's counter
//! and list actions to that GameServer as Agones would. The host under test
//! runs as a process, so SIGTERM is real.
//!
//! What the stand-in cannot do as Agones does: it shows every change at
//! once, where Agones shows the host's own changes about a second later
//! (the ledger's rules, tested with late views in `gamehost-agones`, are
//! built for that), and it has one GameServer, where Agones allocates over
//! many pods.

mod drain;
mod manifests;
mod outage;
mod proxy;

use super::GAMEHOST;
use gamehost_daemon::sidecar::PORT_ANNOTATION;
use gamehost_tests::daemon::{Daemon, quiet_template};
use gamehost_tests::process::DaemonProcess;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The Fleet's name in `deploy/agones`: the stand-in's fleet, whose label
/// `agones.dev/fleet` the allocation selects on.
const FLEET: &str = "gamehost";

/// Agones, played by a Gamehost serving the REST SDK, and the pod's
/// GameServer in it.
struct Agones {
    daemon: Daemon,
    game_server: String,
    sdk_port: u16,
}

impl Agones {
    /// A stand-in whose GameServer, of the fleet named as the Fleet in
    /// `deploy/agones`, declares its counters and lists, never becomes
    /// Ready on its own, and is checked for health pings when `health`.
    async fn start(health: bool) -> Self {
        let daemon = super::daemon_with(None, &["--sdk-http"]).await;
        let declared = manifests::game_server_template();
        let mut template = quiet_template(json!({
            "labels": {"fault": "never-ready"},
            "counters": declared["counters"],
            "lists": declared["lists"],
        }));
        if health {
            template["health"] = json!({"disabled": false, "periodSeconds": 1, "failureThreshold": 2, "initialDelaySeconds": 2});
        }
        daemon
            .deploy(FLEET, gamehost_guests::FAULTS, 1, template)
            .await;
        let (game_server, sdk_port) = daemon
            .wait_for("the pod's REST SDK", || async {
                let pods = daemon.game_servers(&format!("fleet={FLEET}")).await;
                let pod = pods.first()?;
                let port = pod["objectMeta"]["annotations"][PORT_ANNOTATION].as_str()?;
                let name = pod["objectMeta"]["name"].as_str()?;
                Some((name.to_owned(), port.parse().expect("a port")))
            })
            .await;
        Self {
            daemon,
            game_server,
            sdk_port,
        }
    }

    /// The pod's GameServer as the sidecar shows it.
    async fn sdk_game_server(&self) -> Value {
        let url = format!("http://127.0.0.1:{}/gameserver", self.sdk_port);
        let response = reqwest::get(url).await.expect("GET /gameserver");
        response.json().await.expect("a GameServer")
    }

    /// The pod's record.
    async fn record(&self) -> Value {
        let path = format!("/v1/gameservers/{}", self.game_server);
        self.daemon.get_ok(&path).await
    }

    /// Waits until the pod's record passes `check`, and returns it.
    async fn wait_until(&self, what: &str, check: impl Fn(&Value) -> bool) -> Value {
        self.daemon
            .wait_for(what, || async {
                let record = self.record().await;
                check(&record).then_some(record)
            })
            .await
    }

    /// Allocates with the GameServerAllocation of `deploy/agones`: an
    /// Allocated GameServer with a room first, then a Ready one; one more
    /// room; the match's id in the list when given, else no list action;
    /// `annotations` set instead of the manifest's.
    async fn allocate(&self, id: Option<&str>, annotations: Value) -> Value {
        let text = manifests::manifest("allocation.yaml")["spec"].to_string();
        let mut request: Value =
            serde_json::from_str(&text.replace("MATCH_ID", id.unwrap_or("none")))
                .expect("the allocation");
        request["metadata"]["annotations"] = annotations;
        if id.is_none() {
            request.as_object_mut().expect("a spec").remove("lists");
        }
        let (status, allocation) = self.daemon.post("/v1/allocations", &request).await;
        assert!(status.is_success(), "allocating: {status} {allocation}");
        allocation
    }
}

/// The pod's `rooms` counter as (count, capacity).
fn rooms(record: &Value) -> (i64, i64) {
    let counter = &record["status"]["counters"]["rooms"];
    let read = |v: &Value| v.as_i64().expect("an integer");
    (read(&counter["count"]), read(&counter["capacity"]))
}

/// The pod's `sessions` list's values, sorted.
fn sessions(record: &Value) -> Vec<String> {
    let mut values: Vec<String> = record["status"]["lists"]["sessions"]["values"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|v| v.as_str().expect("a value").to_owned())
        .collect();
    values.sort();
    values
}

/// The host under test: `gamehost serve --agones` on the sidecar at
/// `sdk_port`, with the relay game mode as its only fleet of two warm
/// game servers, at most six game servers in all, and `extra` arguments.
async fn host(sdk_port: u16, extra: &[&str]) -> DaemonProcess {
    // The daemon reads its template as it starts.
    let dir = gamehost_tests::temp_dir("agones-template");
    let template = write_template(dir.path());
    let port = sdk_port.to_string();
    let deploy = format!("relay={}", gamehost_guests::RELAY);
    let mut args = vec![
        "--agones",
        "--agones-sdk-port",
        &port,
        "--deploy",
        &deploy,
        "--template",
        template.to_str().expect("a UTF-8 path"),
        "--replicas",
        "2",
        "--max-game-servers",
        "6",
    ];
    args.extend(extra);
    DaemonProcess::start_with(GAMEHOST, None, &args).await
}

/// The relay's template, in a file in `dir` for `--template`.
fn write_template(dir: &Path) -> PathBuf {
    let path = dir.join("relay.json");
    std::fs::write(&path, quiet_template(json!({})).to_string()).expect("writing a template");
    path
}

/// The ids of the host's game sessions in progress, sorted.
async fn matches(host: &Daemon) -> Vec<String> {
    let page = host.get_ok("/v1/gamesessions").await;
    let mut ids: Vec<String> = page["gameSessions"]
        .as_array()
        .expect("game sessions")
        .iter()
        .filter(|s| matches!(s["status"].as_str(), Some("ACTIVATING" | "ACTIVE")))
        .map(|s| s["gameSessionId"].as_str().expect("an id").to_owned())
        .collect();
    ids.sort();
    ids
}

/// Ends game session `id` on `host` at once.
async fn end_match(host: &Daemon, id: &str) {
    let path = format!("/v1/gamesessions/{id}/terminate");
    let (status, body) = host
        .post(&path, &json!({"terminationMode": "FORCE_TERMINATE"}))
        .await;
    assert!(status.is_success(), "terminating {id}: {status} {body}");
}
