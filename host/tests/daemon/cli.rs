//! The operator commands end to end: a real `gamehost serve` on a free
//! loopback port, driven by the `gamehost` binary as an operator would.

use crate::GAMEHOST;
use gamehost_tests::daemon::Daemon;
use serde_json::{Value, json};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

/// How long a condition may take to hold.
const PATIENCE: Duration = Duration::from_secs(20);

/// The operator's side: `gamehost` commands against one daemon.
struct Operator<'a> {
    daemon: &'a Daemon,
}

impl Operator<'_> {
    /// Runs `gamehost <args>` against the daemon.
    fn command(&self, args: &[&str]) -> Output {
        Command::new(GAMEHOST)
            .args(args)
            .env("GAMEHOST_URL", self.daemon.url(""))
            .env_remove("GAMEHOST_TOKEN")
            .output()
            .expect("running gamehost")
    }

    /// Runs `gamehost <args>`, which must succeed, and returns its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.command(args);
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        assert!(
            output.status.success(),
            "gamehost {args:?} failed:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        stdout
    }

    /// Runs `gamehost <args> --json` and parses its answer.
    fn json(&self, args: &[&str]) -> Value {
        let args: Vec<&str> = args.iter().copied().chain(["--json"]).collect();
        serde_json::from_str(&self.ok(&args)).expect("--json prints JSON")
    }

    fn wait_for(&self, what: &str, mut done: impl FnMut(&Self) -> bool) {
        let deadline = Instant::now() + PATIENCE;
        while !done(self) {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn ready_count(daemon: &Operator) -> usize {
    let list = daemon.json(&["gs", "list", "--fleet", "arena", "--state", "Ready"]);
    list["gameServers"].as_array().map_or(0, Vec::len)
}

// Multi-threaded: the commands block this thread while the daemon runs.
#[tokio::test(flavor = "multi_thread")]
async fn an_operator_deploys_places_a_session_and_allocates() {
    let server = crate::daemon().await;
    let daemon = Operator { daemon: &server };
    let template = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../guest-examples/rust/arena/template.json"
    );

    let deployed = daemon.ok(&[
        "deploy",
        gamehost_guests::ARENA,
        "--fleet",
        "arena",
        "--replicas",
        "3",
        "--template",
        template,
    ]);
    assert!(deployed.starts_with("NAME"), "{deployed}");
    assert!(deployed.contains("arena@sha-"), "{deployed}");

    // Deploying the same file again only updates the fleet.
    daemon.ok(&["deploy", gamehost_guests::ARENA, "--fleet", "arena"]);
    let fleets = daemon.ok(&["fleet", "list"]);
    let row = fleets.lines().nth(1).expect("a fleet row");
    assert!(row.starts_with("arena "), "{fleets}");
    daemon.wait_for("three Ready game servers", |d| ready_count(d) == 3);

    let session = daemon.json(&[
        "session",
        "create",
        "--fleet",
        "arena",
        "--max-players",
        "2",
        "--name",
        "duel",
        "--property",
        "mode=fast",
    ]);
    assert_eq!(session["status"], "ACTIVE");
    assert_eq!(
        session["gameProperties"][0],
        json!({"key": "mode", "value": "fast"})
    );
    let id = session["gameSessionId"].as_str().expect("an id");
    let sessions = daemon.ok(&["session", "list", "--fleet", "arena"]);
    assert!(
        sessions.contains(id) && sessions.contains("duel"),
        "{sessions}"
    );

    let players = daemon.ok(&["player-session", "create", id, "alice", "bob"]);
    assert_eq!(players.lines().count(), 3, "{players}");
    assert!(
        players.contains("alice") && players.contains("RESERVED"),
        "{players}"
    );
    let listed = daemon.json(&["player-session", "list", "--game-session", id]);
    assert_eq!(listed["playerSessions"].as_array().map(Vec::len), Some(2));

    let allocated = daemon.ok(&["allocate", "--fleet", "arena", "--set-label", "team=red"]);
    assert!(allocated.contains("Allocated"), "{allocated}");
    let red = daemon.json(&["gs", "list", "--label", "team=red"]);
    let red = red["gameServers"].as_array().expect("game servers");
    assert_eq!(red.len(), 1);
    let name = red[0]["objectMeta"]["name"].as_str().expect("a name");
    assert!(allocated.contains(name), "{allocated}");

    let missing = daemon.command(&["gs", "get", "nope"]);
    assert!(!missing.status.success());
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("(NOT_FOUND, HTTP 404)"), "{stderr}");
}
