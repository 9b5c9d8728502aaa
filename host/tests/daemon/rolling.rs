//! Rolling updates over HTTP: idle game servers replaced while a match
//! finishes on the old version, and a new version that fails its first
//! health check sending the fleet back to the old one without touching the
//! match.

use gamehost_tests::daemon::{Daemon, arena_template};
use gamehost_tests::hotswap::{
    MODULE, match_intact, metrics, modules_running, place_match, ready_on, settled, upload,
    wait_for_ready_on,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

#[tokio::test]
async fn a_rolling_update_replaces_idle_game_servers_and_waits_for_matches() {
    let daemon = crate::daemon().await;
    daemon.deploy_arena(2).await;
    let id = place_match(&daemon, "arena").await;
    daemon.ready_game_servers("arena", 2).await;
    let v2 = upload(&daemon, "arena", gamehost_guests::ARENA_V2, "2").await;
    let (status, view) = daemon
        .patch("/v1/fleets/arena", &json!({"module": v2}))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["update"]["strategy"], "rolling", "{view}");
    // The Ready ones are replaced by game servers of the new version; the
    // one hosting the match keeps running the old one.
    wait_for_ready_on(&daemon, "arena", "arena@2", 2).await;
    let host = match_intact(&daemon, &id).await;
    let record = daemon.get_ok(&format!("/v1/gameservers/{host}")).await;
    assert_eq!(record["objectMeta"]["annotations"][MODULE], "arena@1");
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

/// Moves the fleet `arena` to `update` (a rolling update that must fail);
/// returns the fleet once it has, with the reason.
async fn failed_update(daemon: &Daemon, update: Value) -> (Value, String) {
    let (status, view) = daemon.patch("/v1/fleets/arena", &update).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    assert_eq!(view["update"]["strategy"], "rolling", "{view}");
    let view = settled(daemon, "arena").await;
    assert_eq!(view["update"]["state"], "failed", "{view}");
    assert!(!view["update"]["finishedAt"].is_null(), "{view}");
    let reason = view["update"]["reason"].as_str().unwrap_or("").to_owned();
    (view, reason)
}

/// The game server a failure reason names (`game server NAME of …`).
async fn named_game_server(daemon: &Daemon, reason: &str) -> Value {
    let name = reason
        .strip_prefix("game server ")
        .and_then(|r| r.split_whitespace().next())
        .unwrap_or_else(|| panic!("no game server named in {reason:?}"));
    daemon.get_ok(&format!("/v1/gameservers/{name}")).await
}

#[tokio::test]
async fn a_version_failing_its_first_health_check_sends_a_rolling_update_back() {
    let daemon = crate::daemon().await;
    // Arena ignores the label; the faults guest answers `on-health-check`
    // with false because of it.
    let template = arena_template(json!({"labels": {"fault": "unhealthy"}}));
    let v1 = daemon
        .deploy("arena", gamehost_guests::ARENA, 2, template)
        .await;
    daemon.ready_game_servers("arena", 2).await;
    let id = place_match(&daemon, "arena").await;
    let host = match_intact(&daemon, &id).await;
    daemon.ready_game_servers("arena", 2).await;
    let faults = upload(&daemon, "faults", gamehost_guests::FAULTS, "1").await;

    let (view, reason) = failed_update(&daemon, json!({"module": faults})).await;
    assert!(
        reason.ends_with(
            "of faults@1 became Unhealthy before it was Ready: \
             the first on-health-check answered false"
        ),
        "{reason}"
    );
    assert_eq!(view["module"], v1.as_str(), "{view}");
    assert_eq!(view["previousModule"], faults.as_str(), "{view}");
    assert_eq!(view["update"]["from"], v1.as_str(), "{view}");
    assert_eq!(view["update"]["to"], faults.as_str(), "{view}");
    let failed = named_game_server(&daemon, &reason).await;
    assert_eq!(failed["status"]["state"], "Unhealthy", "{failed}");
    assert_eq!(failed["objectMeta"]["annotations"][MODULE], "faults@1");
    // The new version's game servers are gone, the replicas are Ready on
    // the old one, and the match never noticed.
    ready_on(&daemon, "arena", 2, "arena@1").await;
    assert_eq!(match_intact(&daemon, &id).await, host);
    let record = daemon.get_ok(&format!("/v1/gameservers/{host}")).await;
    assert_eq!(record["status"]["state"], "Allocated", "{record}");
    let text = metrics(&daemon).await;
    assert!(
        text.contains("gamehost_hot_swap_failures_total 1"),
        "{text}"
    );

    // A version that traps in its first health check fails the same way.
    let template = arena_template(json!({
        "labels": {"fault": "trap", "fault-in": "on-health-check"}
    }));
    let update = json!({"module": faults, "template": template});
    let (view, reason) = failed_update(&daemon, update).await;
    assert!(
        reason.contains("of faults@1 became Unhealthy before it was Ready: trap: on-health-check"),
        "{reason}"
    );
    assert_eq!(view["module"], v1.as_str(), "{view}");
    let failed = named_game_server(&daemon, &reason).await;
    assert_eq!(failed["process"]["ending"]["kind"], "trap", "{failed}");
    ready_on(&daemon, "arena", 2, "arena@1").await;
    assert_eq!(match_intact(&daemon, &id).await, host);
    let text = metrics(&daemon).await;
    assert!(
        text.contains("gamehost_hot_swap_failures_total 2"),
        "{text}"
    );
}
