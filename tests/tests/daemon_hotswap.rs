//! Hot swap over HTTP: a fleet moved to a new version of its game mode in
//! place and rolling while game sessions run, a version that cannot take
//! over, and a rollback.

use gamehost_tests::daemon::{Daemon, arena_template};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

const MODULE: &str = "gamehost.dev/module";

/// Uploads the component at `path` as `arena@version`; returns its id.
async fn upload(daemon: &Daemon, path: &str, version: &str) -> String {
    let (status, module) = daemon
        .upload("arena", version, gamehost_guests::read(path))
        .await;
    assert!(status.is_success(), "{status} {module}");
    module["id"].as_str().expect("an id").to_owned()
}

/// Places a game session with two reserved players; returns its id.
async fn place_match(daemon: &Daemon, fleet: &str) -> String {
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

/// Waits until the fleet's update has left `inProgress`; returns the fleet.
async fn settled(daemon: &Daemon, fleet: &str) -> Value {
    daemon
        .wait_for("the update to finish", || async {
            let view = daemon.get_ok(&format!("/v1/fleets/{fleet}")).await;
            (view["update"]["state"] != "inProgress").then_some(view)
        })
        .await
}

/// The running game servers' records without what a swap changes (the
/// module annotations, generation and resource version), by name.
async fn host_state(daemon: &Daemon, fleet: &str) -> Vec<Value> {
    let mut servers = daemon.game_servers(&format!("fleet={fleet}")).await;
    for record in &mut servers {
        let meta = &mut record["object_meta"];
        meta["generation"] = json!(0);
        meta["resource_version"] = json!("");
        let annotations = meta["annotations"].as_object_mut().expect("annotations");
        annotations.remove(MODULE);
        annotations.remove("gamehost.dev/module-id");
    }
    servers
}

async fn modules_running(daemon: &Daemon, fleet: &str) -> Vec<String> {
    let servers = daemon.game_servers(&format!("fleet={fleet}")).await;
    servers
        .iter()
        .filter(|r| r["process"]["ending"].is_null())
        .map(|r| {
            r["object_meta"]["annotations"][MODULE]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn in_place_update_keeps_every_game_session_and_rolls_back() {
    let daemon = Arc::new(Daemon::start().await);
    daemon.deploy_arena(2).await;
    let matches = [
        place_match(&daemon, "arena").await,
        place_match(&daemon, "arena").await,
    ];
    daemon.ready_game_servers("arena", 2).await;
    let v2 = upload(&daemon, gamehost_guests::ARENA_V2, "2").await;

    // Control-plane traffic to the game servers while they switch.
    let stop = Arc::new(AtomicBool::new(false));
    let failed = Arc::new(AtomicU64::new(0));
    let load = {
        let (daemon, stop, failed) = (daemon.clone(), stop.clone(), failed.clone());
        let id = matches[0].clone();
        tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let (status, _) = daemon
                    .get(&format!("/v1/playersessions?gameSessionId={id}"))
                    .await;
                if status != StatusCode::OK {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    let before = host_state(&daemon, "arena").await;
    let update = json!({"module": v2, "strategy": "inPlace"});
    let (status, view) = daemon.patch("/v1/fleets/arena", &update).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let view = settled(&daemon, "arena").await;
    stop.store(true, Ordering::Relaxed);
    load.await.expect("the load task");
    assert_eq!(failed.load(Ordering::Relaxed), 0);
    assert_eq!(view["update"]["state"], "succeeded", "{view}");
    assert_eq!(view["update"]["updated"], 4, "{view}");
    assert_eq!(view["module"], v2.as_str(), "{view}");
    assert_eq!(host_state(&daemon, "arena").await, before);
    assert_eq!(modules_running(&daemon, "arena").await, ["arena@2"; 4]);
    for id in &matches {
        let session = daemon.get_ok(&format!("/v1/gamesessions/{id}")).await;
        assert_eq!(session["status"], "ACTIVE", "{session}");
        let seats = daemon
            .get_ok(&format!("/v1/playersessions?gameSessionId={id}"))
            .await;
        assert_eq!(
            seats["playerSessions"].as_array().map(Vec::len),
            Some(2),
            "{seats}"
        );
    }
    let metrics = daemon
        .request(reqwest::Method::GET, "/metrics")
        .send()
        .await;
    let metrics = metrics.expect("metrics").text().await.expect("text");
    assert!(metrics.contains("gamehost_hot_swaps_total 4"), "{metrics}");

    let (status, view) = daemon.post("/v1/fleets/arena/rollback", &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let view = settled(&daemon, "arena").await;
    assert_eq!(view["update"]["state"], "succeeded", "{view}");
    assert_eq!(modules_running(&daemon, "arena").await, ["arena@1"; 4]);
    assert_eq!(host_state(&daemon, "arena").await, before);
}

#[tokio::test]
async fn an_update_the_new_version_cannot_take_leaves_the_old_one() {
    let daemon = Daemon::start().await;
    let template = arena_template(json!({"labels": {"fault": "refuse-state"}}));
    daemon
        .deploy("arena", gamehost_guests::ARENA, 2, template)
        .await;
    daemon.ready_game_servers("arena", 2).await;
    let v1 = daemon.get_ok("/v1/fleets/arena").await["module"].clone();
    // The faults guest refuses the hand-off when the template says so.
    let (status, faults) = daemon
        .upload(
            "faults",
            "1",
            gamehost_guests::read(gamehost_guests::FAULTS),
        )
        .await;
    assert!(status.is_success(), "{faults}");
    let update = json!({"module": faults["id"], "strategy": "inPlace"});
    let (status, view) = daemon.patch("/v1/fleets/arena", &update).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let view = settled(&daemon, "arena").await;
    assert_eq!(view["update"]["state"], "failed", "{view}");
    let reason = view["update"]["reason"].as_str().unwrap_or("");
    assert!(
        reason.contains("restore-state refused the state"),
        "{reason}"
    );
    assert_eq!(view["module"], v1, "{view}");
    assert_eq!(modules_running(&daemon, "arena").await, ["arena@1"; 2]);
    let metrics = daemon
        .request(reqwest::Method::GET, "/metrics")
        .send()
        .await;
    let metrics = metrics.expect("metrics").text().await.expect("text");
    assert!(
        !metrics.contains("gamehost_hot_swap_failures_total 0"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_rolling_update_replaces_idle_game_servers_and_waits_for_matches() {
    let daemon = Daemon::start().await;
    daemon.deploy_arena(2).await;
    let id = place_match(&daemon, "arena").await;
    daemon.ready_game_servers("arena", 2).await;
    let v2 = upload(&daemon, gamehost_guests::ARENA_V2, "2").await;
    let (status, view) = daemon
        .patch("/v1/fleets/arena", &json!({"module": v2}))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["update"]["strategy"], "rolling", "{view}");
    // The Ready ones are replaced by game servers of the new version; the
    // one hosting the match keeps running the old one.
    daemon
        .wait_for("the idle game servers to be replaced", || async {
            let ready = daemon.game_servers("fleet=arena&state=Ready").await;
            let new = ready
                .iter()
                .filter(|r| r["object_meta"]["annotations"][MODULE] == "arena@2")
                .count();
            (new == 2).then_some(())
        })
        .await;
    let session = daemon.get_ok(&format!("/v1/gamesessions/{id}")).await;
    assert_eq!(session["status"], "ACTIVE", "{session}");
    let host = session["gameServerName"].as_str().expect("a game server");
    let record = daemon.get_ok(&format!("/v1/gameservers/{host}")).await;
    assert_eq!(record["object_meta"]["annotations"][MODULE], "arena@1");
    let view = daemon.get_ok("/v1/fleets/arena").await;
    assert_eq!(view["update"]["state"], "inProgress", "{view}");
    // Once the match ends, its game server goes and the update is done.
    let (status, body) = daemon
        .post(&format!("/v1/gamesessions/{id}/terminate"), &json!({}))
        .await;
    assert!(status.is_success(), "{body}");
    let view = settled(&daemon, "arena").await;
    assert_eq!(view["update"]["state"], "succeeded", "{view}");
    assert!(
        modules_running(&daemon, "arena")
            .await
            .iter()
            .all(|m| m == "arena@2")
    );
}
