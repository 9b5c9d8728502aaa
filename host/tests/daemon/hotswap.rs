//! In-place hot swap over HTTP: a fleet moved to a new version of its game
//! mode while game sessions run, a version that cannot take over, and a
//! rollback. Rolling updates are in `rolling.rs`.

use gamehost_tests::daemon::{Daemon, arena_template};
use gamehost_tests::hotswap::{MODULE, metrics, modules_running, place_match, settled, upload};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// The running game servers' records without what a swap changes (the
/// module annotations, generation, resource version and CPU time), by name.
async fn host_state(daemon: &Daemon, fleet: &str) -> Vec<Value> {
    let mut servers = daemon.game_servers(&format!("fleet={fleet}")).await;
    for record in &mut servers {
        let meta = &mut record["objectMeta"];
        meta["generation"] = json!(0);
        meta["resourceVersion"] = json!("");
        let annotations = meta["annotations"].as_object_mut().expect("annotations");
        annotations.remove(MODULE);
        annotations.remove("gamehost.dev/module-id");
        // The swap itself runs guest code.
        record["status"]
            .as_object_mut()
            .expect("a status")
            .remove("cpu");
    }
    servers
}

#[tokio::test]
async fn in_place_update_keeps_every_game_session_and_rolls_back() {
    let daemon = Arc::new(crate::daemon().await);
    daemon.deploy_arena(2).await;
    let matches = [
        place_match(&daemon, "arena").await,
        place_match(&daemon, "arena").await,
    ];
    daemon.ready_game_servers("arena", 2).await;
    let v2 = upload(&daemon, "arena", gamehost_guests::ARENA_V2, "2").await;

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
    let metrics = metrics(&daemon).await;
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
    let daemon = crate::daemon().await;
    let template = arena_template(json!({"labels": {"fault": "refuse-state"}}));
    daemon
        .deploy("arena", gamehost_guests::ARENA, 2, template)
        .await;
    daemon.ready_game_servers("arena", 2).await;
    let v1 = daemon.get_ok("/v1/fleets/arena").await["module"].clone();
    // The faults guest refuses the hand-off when the template says so.
    let faults = upload(&daemon, "faults", gamehost_guests::FAULTS, "1").await;
    let update = json!({"module": faults, "strategy": "inPlace"});
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
    let metrics = metrics(&daemon).await;
    assert!(
        !metrics.contains("gamehost_hot_swap_failures_total 0"),
        "{metrics}"
    );
}
