//! A rolling update asked of one host of three moves every host's game
//! servers: each replaces its idle ones, a match on another host finishes
//! on the old version, the update ends (as every host shows) once no host
//! runs the old version, and a rollback asked of a third host moves them
//! all back. An in-place update asked of one host switches every host's
//! game servers, their matches kept.

use crate::cluster::three_hosts_with_arena;
use gamehost_tests::hotswap::{
    MODULE, match_intact, modules_running, place_match, ready_on, upload, wait_for_ready_on,
};
use gamehost_tests::postgres::PgServer;
use gamehost_tests::process::DaemonProcess;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Waits until every host shows the fleet `arena`'s update to `module`
/// ended; returns each host's view of it.
async fn ended_everywhere(hosts: &[DaemonProcess], module: &str) -> Vec<Value> {
    let mut views = Vec::new();
    for host in hosts {
        let view = host
            .wait_for("the update ended, as every host shows", || async {
                let view = host.get_ok("/v1/fleets/arena").await;
                let ended =
                    view["update"]["to"] == module && view["update"]["state"] != "inProgress";
                ended.then_some(view)
            })
            .await;
        views.push(view);
    }
    views
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rolling_update_and_its_rollback_move_every_host() {
    let url = PgServer::shared().new_database();
    let hosts = three_hosts_with_arena(&url, 6).await;
    // A match on c, on the old version.
    let id = place_match(&hosts[2], "arena").await;

    // Moved to version 2 on b: every host replaces its idle game servers.
    let v2 = upload(&hosts[1], "arena", gamehost_guests::ARENA_V2, "2").await;
    let (status, view) = hosts[1]
        .patch("/v1/fleets/arena", &json!({"module": v2}))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["update"]["strategy"], "rolling", "{view}");
    wait_for_ready_on(&hosts[0], "arena", "arena@2", 6).await;
    // The match on c finishes on version 1, so the update goes on.
    let hosting = match_intact(&hosts[0], &id).await;
    let record = hosts[1].get_ok(&format!("/v1/gameservers/{hosting}")).await;
    assert_eq!(record["objectMeta"]["annotations"][MODULE], "arena@1");
    for host in &hosts {
        let view = host.get_ok("/v1/fleets/arena").await;
        assert_eq!(view["update"]["state"], "inProgress", "{view}");
    }

    // Once it ends, the update has succeeded, as every host shows.
    let path = format!("/v1/gamesessions/{id}/terminate");
    let (status, body) = hosts[0].post(&path, &json!({})).await;
    assert!(status.is_success(), "{status} {body}");
    for view in ended_everywhere(&hosts, &v2).await {
        assert_eq!(view["update"]["state"], "succeeded", "{view}");
        assert_eq!(view["module"], v2.as_str(), "{view}");
    }
    let running = modules_running(&hosts[2], "arena").await;
    assert!(running.iter().all(|m| m == "arena@2"), "{running:?}");

    // Rolled back on c: every host goes back to version 1.
    let (status, view) = hosts[2].post("/v1/fleets/arena/rollback", &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let v1 = view["update"]["to"]
        .as_str()
        .expect("the module rolled back to");
    ready_on(&hosts[1], "arena", 6, "arena@1").await;
    for view in ended_everywhere(&hosts, v1).await {
        assert_eq!(view["update"]["state"], "succeeded", "{view}");
        assert_eq!(view["update"]["from"], v2.as_str(), "{view}");
        assert_eq!(view["module"], v1, "{view}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_in_place_update_switches_every_host_and_keeps_their_matches() {
    let url = PgServer::shared().new_database();
    let hosts = three_hosts_with_arena(&url, 6).await;
    // A match on each host.
    let mut matches = Vec::new();
    for host in &hosts {
        matches.push(place_match(host, "arena").await);
    }
    let v2 = upload(&hosts[1], "arena", gamehost_guests::ARENA_V2, "2").await;

    // Asked of c: every host switches its game servers, matches and all.
    let update = json!({"module": v2, "strategy": "inPlace"});
    let (status, view) = hosts[2].patch("/v1/fleets/arena", &update).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    for view in ended_everywhere(&hosts, &v2).await {
        assert_eq!(view["update"]["state"], "succeeded", "{view}");
        assert_eq!(view["module"], v2.as_str(), "{view}");
    }
    let running = modules_running(&hosts[0], "arena").await;
    assert!(running.len() >= 9, "{running:?}");
    assert!(running.iter().all(|m| m == "arena@2"), "{running:?}");
    for id in &matches {
        match_intact(&hosts[1], id).await;
    }
}
