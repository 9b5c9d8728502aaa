//! What survives the daemon: after `kill -9` and a restart on the same data
//! directory, everything stored is back, interrupted game sessions are
//! closed, and fleets start new game servers; after SIGTERM, game servers
//! are asked to terminate and the daemon exits cleanly.

use crate::GAMEHOST;
use gamehost_tests::daemon::{Daemon, names};
use gamehost_tests::players::{Player, player_session_ids};
use gamehost_tests::process::DaemonProcess;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeSet;

/// The messages of the log lines the daemon answers at `path`.
async fn logged_at(daemon: &Daemon, path: &str) -> Vec<String> {
    let logs = daemon.get_ok(path).await;
    logs["lines"]
        .as_array()
        .expect("log lines")
        .iter()
        .map(|l| l["message"].as_str().expect("a message").to_owned())
        .collect()
}

/// The messages a game session logged.
async fn messages(daemon: &Daemon, id: &str) -> Vec<String> {
    logged_at(daemon, &format!("/v1/gamesessions/{id}/logs")).await
}

/// The messages a game server logged.
async fn server_messages(daemon: &Daemon, name: &str) -> Vec<String> {
    logged_at(daemon, &format!("/v1/gameservers/{name}/logs")).await
}

/// Deploys arena with two replicas, starts a game session with two
/// player sessions; returns the game session's id and the Ready game
/// servers' names.
async fn a_match_in_progress(daemon: &Daemon) -> (String, BTreeSet<String>) {
    daemon.deploy_arena(2).await;
    let new = json!({"maximumPlayerSessionCount": 4});
    let (status, session) = daemon.post("/v1/fleets/arena/gamesessions", &new).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let id = session["gameSessionId"].as_str().expect("an id").to_owned();
    daemon
        .wait_for("the game session to be ACTIVE", || async {
            let session = daemon.get_ok(&format!("/v1/gamesessions/{id}")).await;
            (session["status"] == "ACTIVE").then_some(())
        })
        .await;
    let players = json!({"playerIds": ["alice", "bob"]});
    let (status, body) = daemon
        .post(&format!("/v1/gamesessions/{id}/playersessions"), &players)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let before = names(&daemon.game_servers("fleet=arena").await);
    (id, before)
}

/// The name of the game server hosting game session `id`.
async fn host_of(daemon: &Daemon, id: &str) -> String {
    let session = daemon.get_ok(&format!("/v1/gamesessions/{id}")).await;
    session["gameServerName"]
        .as_str()
        .expect("a name")
        .to_owned()
}

/// Waits for the fleet's two replicas to be Ready again on game servers
/// started after the restart.
async fn replaced(daemon: &Daemon, before: &BTreeSet<String>) {
    let ready = daemon.ready_game_servers("arena", 2).await;
    assert!(
        names(&ready).is_disjoint(before),
        "new game servers after the restart: {ready:?}"
    );
}

#[tokio::test]
async fn everything_stored_survives_kill_9() {
    let mut daemon = DaemonProcess::start(GAMEHOST).await;
    let (id, before) = a_match_in_progress(&daemon).await;
    let logged = messages(&daemon, &id).await;
    assert!(logged.contains(&"match started".to_owned()), "{logged:?}");
    let host = host_of(&daemon, &id).await;
    let host_logged = server_messages(&daemon, &host).await;
    assert!(!host_logged.is_empty(), "the game server logged nothing");
    // A running game server's log, and its game session's, is stored every
    // two seconds, and on disk half a second after that at the latest.
    tokio::time::sleep(std::time::Duration::from_secs(4)).await;
    daemon.kill9();
    daemon.restart().await;
    let kept = messages(&daemon, &id).await;
    assert!(
        kept.starts_with(&logged),
        "{kept:?} lost some of {logged:?}"
    );
    let host_kept = server_messages(&daemon, &host).await;
    assert!(
        host_kept.starts_with(&host_logged),
        "{host_kept:?} lost some of {host_logged:?}"
    );

    let modules = daemon.get_ok("/v1/modules").await;
    assert_eq!(
        modules["modules"].as_array().map(Vec::len),
        Some(1),
        "{modules}"
    );
    let fleet = daemon.get_ok("/v1/fleets/arena").await;
    assert_eq!(fleet["replicas"], 2, "{fleet}");

    let session = daemon.get_ok(&format!("/v1/gamesessions/{id}")).await;
    assert_eq!(session["status"], "TERMINATED", "{session}");
    assert_eq!(session["statusReason"], "INTERRUPTED", "{session}");
    let players = daemon
        .get_ok(&format!("/v1/playersessions?gameSessionId={id}"))
        .await;
    let sessions = players["playerSessions"]
        .as_array()
        .expect("player sessions");
    assert_eq!(sessions.len(), 2, "{players}");
    for player in sessions {
        assert_eq!(player["status"], "COMPLETED", "{player}");
    }
    replaced(&daemon, &before).await;
}

#[tokio::test]
async fn what_a_guest_changes_on_its_own_survives_kill_9_half_a_second_later() {
    let mut daemon = DaemonProcess::start(GAMEHOST).await;
    let (id, _) = a_match_in_progress(&daemon).await;
    let host = host_of(&daemon, &id).await;
    let seats = daemon
        .get_ok(&format!("/v1/playersessions?gameSessionId={id}"))
        .await;
    let ids = player_session_ids(&seats);
    let mut alice = Player::join(&daemon, &ids[0]).await;
    let mut bob = Player::join(&daemon, &ids[1]).await;
    alice.send("rock").await;
    bob.send("paper").await;
    // Arena counts the round and writes the scoreboard itself: no request
    // acknowledges either, so nothing else makes them durable.
    let scoreboard = daemon
        .wait_for("the round to be counted", || async {
            let record = daemon.get_ok(&format!("/v1/gameservers/{host}")).await;
            (record["status"]["counters"]["rounds"]["count"] == 1)
                .then(|| record["objectMeta"]["annotations"]["agones.dev/sdk-scoreboard"].clone())
        })
        .await;
    assert!(scoreboard.is_string(), "no scoreboard: {scoreboard}");
    // Such a change is on disk within half a second; the rest is slack
    // for a busy machine.
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    daemon.kill9();
    daemon.restart().await;
    let record = daemon.get_ok(&format!("/v1/gameservers/{host}")).await;
    assert_eq!(
        record["status"]["counters"]["rounds"]["count"], 1,
        "{record}"
    );
    assert_eq!(
        record["objectMeta"]["annotations"]["agones.dev/sdk-scoreboard"], scoreboard,
        "{record}"
    );
}

#[tokio::test]
async fn sigterm_terminates_game_servers_and_exits_cleanly() {
    let mut daemon = DaemonProcess::start_with(GAMEHOST, None, &["--shutdown-grace", "20s"]).await;
    let (id, before) = a_match_in_progress(&daemon).await;
    let status = daemon.terminate().await;
    assert!(
        status.success(),
        "exit status {status}\n{}",
        daemon.stderr()
    );
    daemon.restart().await;

    // Each game server ran on-process-terminate, and arena answers it with
    // process-ending.
    for name in &before {
        let record = daemon.get_ok(&format!("/v1/gameservers/{name}")).await;
        assert_eq!(
            record["process"]["ending"]["kind"], "process_ending",
            "{record}"
        );
    }
    let session = daemon.get_ok(&format!("/v1/gamesessions/{id}")).await;
    assert_eq!(session["status"], "TERMINATED", "{session}");
    let fleet = daemon.get_ok("/v1/fleets/arena").await;
    assert_eq!(fleet["replicas"], 2, "{fleet}");
    replaced(&daemon, &before).await;
}

#[tokio::test]
async fn the_audit_log_survives_kill_9_half_a_second_later() {
    let mut daemon = DaemonProcess::start(GAMEHOST).await;
    daemon.deploy_arena(1).await;
    // An entry rides the store's next commit, within half a second; the
    // rest is slack for a busy machine.
    tokio::time::sleep(std::time::Duration::from_millis(1_500)).await;
    daemon.kill9();
    daemon.restart().await;
    let page = daemon.get_ok("/v1/audit").await;
    let actions: Vec<(u64, &str, u64)> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["seq"].as_u64().unwrap_or_default(),
                e["action"].as_str().unwrap_or_default(),
                e["status"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        actions,
        [(1, "POST /v1/modules", 201), (2, "POST /v1/fleets", 201)],
        "{page}"
    );
    let (status, _) = daemon
        .patch("/v1/fleets/arena", &json!({"replicas": 0}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let page = daemon.get_ok("/v1/audit?after=2").await;
    assert_eq!(page["entries"][0]["seq"], 3, "numbering goes on: {page}");
}
