//! The control plane's resources and its refusals over HTTP: module
//! uploads, fleets, game-server filters, the OpenAPI document, metrics and
//! the one error shape for bad input.

use gamehost_runtime::engine::MAX_MODULE_BYTES;
use gamehost_tests::daemon::quiet_template;
use gamehost_tests::hotswap::metrics;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Asserts the `{"error":{"code","message"}}` shape with `code`.
fn assert_error(body: &Value, code: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}

/// A component written in the component text format.
fn component(text: &str) -> Vec<u8> {
    wat::parse_str(text).expect("a valid component text")
}

#[tokio::test]
async fn uploads_refuse_what_is_not_a_game_mode() {
    let daemon = crate::daemon().await;
    let cases: [(&str, Vec<u8>, StatusCode, &str); 5] = [
        (
            "text",
            b"not wasm at all".to_vec(),
            StatusCode::BAD_REQUEST,
            "NOT_WASM",
        ),
        (
            "core",
            component("(module)"),
            StatusCode::BAD_REQUEST,
            "NOT_A_COMPONENT",
        ),
        (
            "empty",
            component("(component)"),
            StatusCode::BAD_REQUEST,
            "MISSING_EXPORT",
        ),
        (
            "http",
            component(r#"(component (import "wasi:http/types@0.2.0" (instance)))"#),
            StatusCode::BAD_REQUEST,
            "UNKNOWN_IMPORT",
        ),
        (
            "huge",
            vec![0; MAX_MODULE_BYTES + 1],
            StatusCode::PAYLOAD_TOO_LARGE,
            "MODULE_TOO_LARGE",
        ),
    ];
    for (name, bytes, expected, code) in cases {
        let (status, body) = daemon.upload(name, "1", bytes).await;
        assert_eq!(status, expected, "{name}: {body}");
        assert_error(&body, code);
    }
    let modules = daemon.get_ok("/v1/modules").await;
    assert_eq!(modules["modules"], json!([]), "nothing refused is stored");
}

#[tokio::test]
async fn a_module_is_stored_once_and_kept_while_a_fleet_uses_it() {
    let daemon = crate::daemon().await;
    let bytes = gamehost_guests::read(gamehost_guests::FAULTS);
    let (status, first) = daemon.upload("faults", "1", bytes.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, again) = daemon.upload("faults", "1", bytes).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(first["id"], again["id"]);
    let id = first["id"].as_str().expect("an id");
    let by_name = daemon.get_ok("/v1/modules/faults@1").await;
    assert_eq!(by_name["id"], id);

    let new =
        json!({"name": "f", "module": id, "replicas": 1, "template": quiet_template(json!({}))});
    let (status, body) = daemon.post("/v1/fleets", &new).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = daemon.delete(&format!("/v1/modules/{id}")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_error(&body, "CONFLICT");

    let (status, _) = daemon.delete("/v1/fleets/f").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = daemon.delete(&format!("/v1/modules/{id}")).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = daemon.get(&format!("/v1/modules/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
}

#[tokio::test]
async fn fleets_are_not_scaled_past_max_game_servers() {
    let daemon = crate::daemon_with(None, &["--max-game-servers", "3"]).await;
    for fleet in ["first", "second"] {
        daemon
            .deploy(fleet, gamehost_guests::FAULTS, 2, quiet_template(json!({})))
            .await;
    }
    daemon
        .wait_for("3 Ready game servers", || async {
            (daemon.game_servers("state=Ready").await.len() == 3).then_some(())
        })
        .await;
    // The fourth replica waits for room rather than starting.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert_eq!(daemon.game_servers("state=Ready").await.len(), 3);

    // Room made by scaling one fleet down goes to the other.
    let (status, body) = daemon
        .patch("/v1/fleets/first", &json!({"replicas": 1}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    daemon.ready_game_servers("first", 1).await;
    daemon.ready_game_servers("second", 2).await;
}

#[tokio::test]
async fn fleets_are_created_scaled_listed_filtered_and_deleted() {
    let daemon = crate::daemon().await;
    let template = quiet_template(json!({"labels": {"mode": "ranked"}}));
    daemon
        .deploy("ranked", gamehost_guests::FAULTS, 3, template)
        .await;
    daemon
        .deploy(
            "casual",
            gamehost_guests::FAULTS,
            1,
            quiet_template(json!({})),
        )
        .await;
    daemon.ready_game_servers("ranked", 3).await;
    daemon.ready_game_servers("casual", 1).await;

    let fleet = daemon.get_ok("/v1/fleets/ranked").await;
    assert_eq!(fleet["replicas"], 3, "{fleet}");
    let list = daemon.get_ok("/v1/fleets").await;
    let names: Vec<&str> = list["fleets"]
        .as_array()
        .expect("fleets")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert_eq!(names, ["casual", "ranked"], "{list}");

    // Filters: by fleet, by state, by label.
    assert_eq!(daemon.game_servers("state=Ready").await.len(), 4);
    let labelled = daemon.game_servers("label=mode%3Dranked").await;
    assert_eq!(labelled.len(), 3);
    assert!(
        labelled
            .iter()
            .all(|g| g["objectMeta"]["namespace"] == "ranked")
    );
    assert_eq!(daemon.game_servers("fleet=casual").await.len(), 1);
    assert!(daemon.game_servers("state=Allocated").await.is_empty());

    // Scaling down terminates the surplus; scaling up starts more.
    let (status, body) = daemon
        .patch("/v1/fleets/ranked", &json!({"replicas": 1}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["replicas"], 1, "{body}");
    daemon.ready_game_servers("ranked", 1).await;
    let (status, body) = daemon
        .patch("/v1/fleets/ranked", &json!({"replicas": 2}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    daemon.ready_game_servers("ranked", 2).await;

    let (status, body) = daemon.delete("/v1/fleets/ranked").await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = daemon.get("/v1/fleets/ranked").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_error(&body, "NOT_FOUND");
    daemon.ready_game_servers("ranked", 0).await;
}

#[tokio::test]
async fn the_openapi_document_and_metrics_describe_the_daemon() {
    let daemon = crate::daemon().await;
    daemon
        .deploy("f", gamehost_guests::FAULTS, 1, quiet_template(json!({})))
        .await;
    daemon.ready_game_servers("f", 1).await;
    let document = daemon.get_ok("/openapi.json").await;
    let paths = document["paths"].as_object().expect("paths");
    for path in [
        "/v1/modules",
        "/v1/fleets",
        "/v1/fleets/{fleet}",
        "/v1/gameservers",
        "/v1/gameservers/{name}/watch",
        "/v1/allocations",
        "/v1/gamesessions/{id}/playersessions",
        "/v1/playersessions",
    ] {
        assert!(paths.contains_key(path), "{path} is not documented");
    }
    let metrics = metrics(&daemon).await;
    assert!(
        metrics.contains(r#"gamehost_game_servers{fleet="f",state="Ready"} 1"#),
        "{metrics}"
    );
}

#[tokio::test]
async fn cpu_time_shows_in_records_and_metrics_and_budgets_are_checked() {
    let daemon = crate::daemon().await;
    let budget = json!({"millicores": 500, "windowMillis": 1000, "endAfterWindows": 10});
    let template = quiet_template(json!({
        "tickRateHz": 30,
        "labels": {"burn-millis": "5"},
        "cpuBudget": budget,
    }));
    daemon
        .deploy("burn", gamehost_guests::BURNER, 1, template.clone())
        .await;
    let name = daemon.ready_game_servers("burn", 1).await[0]["objectMeta"]["name"]
        .as_str()
        .expect("a name")
        .to_owned();
    let fleet = daemon.get_ok("/v1/fleets/burn").await;
    assert_eq!(fleet["template"]["cpuBudget"], budget, "{fleet}");
    let path = format!("/v1/gameservers/{name}");
    let used = daemon
        .wait_for("the burner's CPU time", || async {
            let record = daemon.get_ok(&path).await;
            let seconds = record["status"]["cpu"]["seconds"].as_f64()?;
            (seconds > 0.02).then_some(seconds)
        })
        .await;
    let listed = daemon.game_servers("fleet=burn").await;
    assert!(
        listed[0]["status"]["cpu"]["seconds"].as_f64() >= Some(used),
        "a list shows the time up to now: {}",
        listed[0]
    );
    let metrics = metrics(&daemon).await;
    let top = format!(r#"gamehost_game_server_cpu_seconds{{fleet="burn",game_server="{name}"}} "#);
    assert!(metrics.contains(&top), "{metrics}");
    assert!(
        metrics.contains("gamehost_guest_cpu_seconds_total "),
        "{metrics}"
    );
    assert!(
        metrics.contains("gamehost_ticks_skipped_for_cpu_total "),
        "{metrics}"
    );

    let mut refused = template;
    refused["cpuBudget"] = json!({"millicores": 0});
    let module = fleet["module"].clone();
    let (status, body) = daemon
        .post(
            "/v1/fleets",
            &json!({"name": "refused", "module": module, "template": refused}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("cpuBudget.millicores must be 1 to 1000")),
        "{body}"
    );
}

#[tokio::test]
async fn bad_requests_get_the_json_error_shape() {
    let daemon = crate::daemon().await;
    let malformed = daemon
        .request(Method::POST, "/v1/fleets")
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body("{not json")
        .send()
        .await
        .expect("POST");
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_error(
        &malformed.json().await.expect("a JSON error"),
        "INVALID_BODY",
    );

    let (status, body) = daemon.get("/v1/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_error(&body, "NOT_FOUND");

    let (status, body) = daemon.send(Method::PUT, "/v1/fleets", None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "{body}");
    assert_error(&body, "METHOD_NOT_ALLOWED");

    let huge = json!({"name": "f", "module": "x".repeat(1 << 20)});
    let (status, body) = daemon.post("/v1/fleets", &huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_error(&body, "BODY_TOO_LARGE");
}

#[tokio::test]
async fn an_unknown_field_is_a_bad_request() {
    let daemon = crate::daemon().await;
    let unknown = json!({"name": "f", "module": "m", "colour": "blue"});
    let (status, body) = daemon.post("/v1/fleets", &unknown).await;
    assert_error(&body, "INVALID_BODY");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("colour"),
        "{body}"
    );
    // As documented in the OpenAPI document and for malformed JSON.
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}
