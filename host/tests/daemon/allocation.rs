//! Allocation over HTTP: label selectors, Packed and Distributed ordering,
//! metadata, and that concurrent allocations never share a game server.

use gamehost_tests::daemon::{Daemon, quiet_template};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;

async fn allocate(daemon: &Daemon, request: Value) -> (StatusCode, Value) {
    daemon.post("/v1/allocations", &request).await
}

#[tokio::test]
async fn selectors_pick_by_label_and_metadata_is_applied() {
    let daemon = crate::daemon().await;
    for mode in ["ranked", "casual"] {
        let template = quiet_template(json!({"labels": {"mode": mode}}));
        daemon
            .deploy(mode, gamehost_guests::FAULTS, 1, template)
            .await;
        daemon.ready_game_servers(mode, 1).await;
    }
    let request = json!({
        "selectors": [
            {"matchLabels": {"mode": "tournament"}},
            {"matchLabels": {"mode": "casual"}}
        ],
        "metadata": {"labels": {"match": "m1"}, "annotations": {"map": "dust"}}
    });
    let (status, allocation) = allocate(&daemon, request).await;
    assert_eq!(status, StatusCode::CREATED, "{allocation}");
    assert_eq!(allocation["fleet"], "casual", "{allocation}");
    assert_eq!(allocation["selector"], 1, "{allocation}");
    assert_eq!(allocation["state"], "Allocated");
    let name = allocation["gameServerName"].as_str().expect("a name");
    let record = daemon.get_ok(&format!("/v1/gameservers/{name}")).await;
    assert_eq!(record["status"]["state"], "Allocated", "{record}");
    assert_eq!(record["objectMeta"]["labels"]["match"], "m1", "{record}");
    assert_eq!(
        record["objectMeta"]["annotations"]["map"], "dust",
        "{record}"
    );

    let none = json!({"selectors": [{"matchLabels": {"mode": "tournament"}}]});
    let (status, body) = allocate(&daemon, none).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "NO_CAPACITY", "{body}");
}

#[tokio::test]
async fn packed_fills_the_fullest_and_distributed_the_emptiest() {
    let daemon = crate::daemon().await;
    for (fleet, capacity) in [("small", 2), ("large", 8)] {
        let template = quiet_template(json!({"playerCapacity": capacity}));
        daemon
            .deploy(fleet, gamehost_guests::FAULTS, 1, template)
            .await;
        daemon.ready_game_servers(fleet, 1).await;
    }
    let by_players = |scheduling: &str| json!({"selectors": [{"players": {"minAvailable": 1}}], "scheduling": scheduling});
    let (status, packed) = allocate(&daemon, by_players("Packed")).await;
    assert_eq!(status, StatusCode::CREATED, "{packed}");
    assert_eq!(
        packed["fleet"], "small",
        "Packed takes the least room: {packed}"
    );
    // The replacement the controller starts in `small` still has less room
    // than `large`'s game server.
    let (status, distributed) = allocate(&daemon, by_players("Distributed")).await;
    assert_eq!(status, StatusCode::CREATED, "{distributed}");
    assert_eq!(
        distributed["fleet"], "large",
        "Distributed takes the most room: {distributed}"
    );
}

#[tokio::test]
async fn concurrent_allocations_never_share_a_game_server() {
    let daemon = crate::daemon().await;
    let template = quiet_template(json!({"labels": {"batch": "first"}}));
    daemon
        .deploy("f", gamehost_guests::FAULTS, 5, template)
        .await;
    daemon.ready_game_servers("f", 5).await;
    // Scaling to 0 would terminate the Ready ones, so replacements started
    // after this point carry another label and no selector matches them.
    let later = quiet_template(json!({"labels": {"batch": "later"}}));
    let (status, body) = daemon
        .patch("/v1/fleets/f", &json!({"template": later}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let request = json!({"selectors": [{"matchLabels": {"batch": "first"}}]});
    let answers =
        futures_util::future::join_all((0..20).map(|_| allocate(&daemon, request.clone()))).await;
    let mut allocated = BTreeSet::new();
    for (status, body) in &answers {
        match *status {
            StatusCode::CREATED => {
                let name = body["gameServerName"].as_str().expect("a name");
                assert!(allocated.insert(name.to_owned()), "{name} allocated twice");
            }
            StatusCode::CONFLICT => assert_eq!(body["error"]["code"], "NO_CAPACITY", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(allocated.len(), 5, "{answers:?}");
    let now_allocated = daemon.game_servers("fleet=f&state=Allocated").await;
    assert_eq!(now_allocated.len(), 5);
}
