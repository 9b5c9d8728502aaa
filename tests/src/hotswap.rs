//! Helpers for the hot swap tests over HTTP: versions of a game mode, a
//! match in progress, waiting for an update, and which module each running
//! game server runs.

use crate::daemon::Daemon;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// The annotation naming the module a game server runs (`name@version`).
pub const MODULE: &str = "gamehost.dev/module";

/// Uploads the component at `path` as `name@version`; returns its id.
pub async fn upload(daemon: &Daemon, name: &str, path: &str, version: &str) -> String {
    let (status, module) = daemon
        .upload(name, version, gamehost_guests::read(path))
        .await;
    assert!(status.is_success(), "{status} {module}");
    module["id"].as_str().expect("an id").to_owned()
}

/// Places a game session on `fleet` with two reserved players (`alice`
/// and `bob`); returns its id.
pub async fn place_match(daemon: &Daemon, fleet: &str) -> String {
    let new = json!({"maximumPlayerSessionCount": 2});
    let (status, session) = daemon
        .post(&format!("/v1/fleets/{fleet}/gamesessions"), &new)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let id = session["gameSessionId"].as_str().expect("an id").to_owned();
    let players = json!({"playerIds": ["alice", "bob"]});
    let (status, body) = daemon
        .post(&format!("/v1/gamesessions/{id}/playersessions"), &players)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    id
}

/// Checks that game session `id` is ACTIVE with its two player sessions,
/// none of them ended; returns the name of the game server hosting it.
pub async fn match_intact(daemon: &Daemon, id: &str) -> String {
    let session = daemon.get_ok(&format!("/v1/gamesessions/{id}")).await;
    assert_eq!(session["status"], "ACTIVE", "{session}");
    let seats = daemon
        .get_ok(&format!("/v1/playersessions?gameSessionId={id}"))
        .await;
    let seats = seats["playerSessions"].as_array().expect("player sessions");
    assert_eq!(seats.len(), 2, "{seats:?}");
    for seat in seats {
        assert!(
            seat["status"] == "RESERVED" || seat["status"] == "ACTIVE",
            "{seat}"
        );
    }
    session["gameServerName"]
        .as_str()
        .expect("a game server")
        .to_owned()
}

/// Waits until the fleet's update has left `inProgress`; returns the fleet.
pub async fn settled(daemon: &Daemon, fleet: &str) -> Value {
    daemon
        .wait_for("the update to finish", || async {
            let view = daemon.get_ok(&format!("/v1/fleets/{fleet}")).await;
            (view["update"]["state"] != "inProgress").then_some(view)
        })
        .await
}

/// The module (`name@version`) each running game server of `fleet` runs.
pub async fn modules_running(daemon: &Daemon, fleet: &str) -> Vec<String> {
    let servers = daemon.game_servers(&format!("fleet={fleet}")).await;
    servers
        .iter()
        .filter(|r| r["process"]["ending"].is_null())
        .map(|r| {
            r["objectMeta"]["annotations"][MODULE]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

/// Waits until `fleet` has `count` Ready game servers and every running
/// one runs `module` (`name@version`); returns the Ready ones.
pub async fn ready_on(daemon: &Daemon, fleet: &str, count: usize, module: &str) -> Vec<Value> {
    daemon
        .wait_for(
            &format!("{count} Ready game servers of {module}"),
            || async {
                let ready = daemon
                    .game_servers(&format!("fleet={fleet}&state=Ready"))
                    .await;
                let all = modules_running(daemon, fleet).await;
                (ready.len() == count && all.iter().all(|m| m == module)).then_some(ready)
            },
        )
        .await
}

/// The daemon's metrics, as text.
pub async fn metrics(daemon: &Daemon) -> String {
    let response = daemon
        .request(reqwest::Method::GET, "/metrics")
        .send()
        .await
        .expect("GET /metrics");
    response.text().await.expect("the metrics text")
}

/// Waits until `count` Ready game servers of `fleet` run module `module`
/// (`name@version`).
pub async fn wait_for_ready_on(daemon: &Daemon, fleet: &str, module: &str, count: usize) {
    daemon
        .wait_for(
            &format!("{count} Ready game servers of {fleet} on {module}"),
            || async {
                let ready = daemon
                    .game_servers(&format!("fleet={fleet}&state=Ready"))
                    .await;
                let on = ready
                    .iter()
                    .filter(|r| r["objectMeta"]["annotations"][MODULE] == module)
                    .count();
                (on == count).then_some(())
            },
        )
        .await;
}
