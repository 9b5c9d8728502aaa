//! Fleet updates across a daemon restart: an in-place update that finished
//! before a graceful restart, a rolling update still in progress at a
//! `kill -9`, and a failed one; after each, the fleet names the module it
//! ran, keeps its update and previous module, starts game servers of that
//! module, and still rolls back.

use crate::GAMEHOST;
use gamehost_tests::daemon::{Daemon, arena_template, names};
use gamehost_tests::hotswap::{place_match, ready_on, settled, upload, wait_for_ready_on};
use gamehost_tests::process::DaemonProcess;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Checks the fleet `arena` runs `module`, after an update from `from`
/// with `strategy` that ended in `state`.
fn assert_fleet(view: &Value, module: &str, from: &str, strategy: &str, state: &str) {
    assert_eq!(view["module"], module, "{view}");
    assert_eq!(view["previousModule"], from, "{view}");
    let update = &view["update"];
    assert_eq!(update["strategy"], strategy, "{view}");
    assert_eq!(update["state"], state, "{view}");
    assert_eq!(update["from"], from, "{view}");
    assert_eq!(update["to"], module, "{view}");
}

/// Rolls the fleet `arena` back and waits for two Ready game servers of
/// `module` (`name@version`); returns the fleet.
async fn roll_back(daemon: &Daemon, module: &str) -> Value {
    let (status, view) = daemon.post("/v1/fleets/arena/rollback", &json!({})).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let view = settled(daemon, "arena").await;
    assert_eq!(view["update"]["state"], "succeeded", "{view}");
    ready_on(daemon, "arena", 2, module).await;
    view
}

#[tokio::test]
async fn an_in_place_update_survives_a_graceful_restart_and_rolls_back() {
    let mut daemon = DaemonProcess::start(GAMEHOST).await;
    let before = names(&daemon.deploy_arena(2).await);
    let v1 = daemon.get_ok("/v1/fleets/arena").await["module"]
        .as_str()
        .expect("a module")
        .to_owned();
    let v2 = upload(&daemon, "arena", gamehost_guests::ARENA_V2, "2").await;
    let update = json!({"module": v2, "strategy": "inPlace"});
    let (status, view) = daemon.patch("/v1/fleets/arena", &update).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let view = settled(&daemon, "arena").await;
    assert_fleet(&view, &v2, &v1, "inPlace", "succeeded");

    let status = daemon.terminate().await;
    assert!(status.success(), "exit status {status}");
    daemon.restart().await;

    let view = daemon.get_ok("/v1/fleets/arena").await;
    assert_fleet(&view, &v2, &v1, "inPlace", "succeeded");
    let ready = ready_on(&daemon, "arena", 2, "arena@2").await;
    assert!(names(&ready).is_disjoint(&before), "{ready:?}");
    for record in &ready {
        let annotations = &record["objectMeta"]["annotations"];
        assert_eq!(annotations["gamehost.dev/module-id"], v2.as_str());
    }

    let view = roll_back(&daemon, "arena@1").await;
    assert_fleet(&view, &v1, &v2, "inPlace", "succeeded");
}

#[tokio::test]
async fn a_rolling_update_in_progress_survives_kill_9_and_rolls_back() {
    let mut daemon = DaemonProcess::start(GAMEHOST).await;
    daemon.deploy_arena(2).await;
    let v1 = daemon.get_ok("/v1/fleets/arena").await["module"]
        .as_str()
        .expect("a module")
        .to_owned();
    // The match keeps the update in progress: its game server finishes it
    // on the old version.
    let id = place_match(&daemon, "arena").await;
    let v2 = upload(&daemon, "arena", gamehost_guests::ARENA_V2, "2").await;
    let (status, view) = daemon
        .patch("/v1/fleets/arena", &json!({"module": v2}))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    wait_for_ready_on(&daemon, "arena", "arena@2", 2).await;
    let view = daemon.get_ok("/v1/fleets/arena").await;
    assert_fleet(&view, &v2, &v1, "rolling", "inProgress");

    daemon.kill9();
    daemon.restart().await;

    // The match's game server did not survive the host, so nothing runs
    // the old version any more and the update finishes.
    let session = daemon.get_ok(&format!("/v1/gamesessions/{id}")).await;
    assert_eq!(session["statusReason"], "INTERRUPTED", "{session}");
    let view = settled(&daemon, "arena").await;
    assert_fleet(&view, &v2, &v1, "rolling", "succeeded");
    ready_on(&daemon, "arena", 2, "arena@2").await;

    let view = roll_back(&daemon, "arena@1").await;
    assert_fleet(&view, &v1, &v2, "rolling", "succeeded");
}

#[tokio::test]
async fn a_failed_rolling_update_stays_failed_after_kill_9() {
    let mut daemon = DaemonProcess::start(GAMEHOST).await;
    let template = arena_template(json!({"labels": {"fault": "unhealthy"}}));
    let v1 = daemon
        .deploy("arena", gamehost_guests::ARENA, 2, template)
        .await;
    daemon.ready_game_servers("arena", 2).await;
    let faults = upload(&daemon, "faults", gamehost_guests::FAULTS, "1").await;
    let (status, view) = daemon
        .patch("/v1/fleets/arena", &json!({"module": faults}))
        .await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let failed = settled(&daemon, "arena").await;
    assert_eq!(failed["update"]["state"], "failed", "{failed}");
    assert_eq!(failed["module"], v1.as_str(), "{failed}");

    daemon.kill9();
    daemon.restart().await;

    let view = daemon.get_ok("/v1/fleets/arena").await;
    assert_eq!(view["module"], failed["module"], "{view}");
    assert_eq!(view["previousModule"], failed["previousModule"], "{view}");
    assert_eq!(view["update"], failed["update"], "{view}");
    ready_on(&daemon, "arena", 2, "arena@1").await;
}
