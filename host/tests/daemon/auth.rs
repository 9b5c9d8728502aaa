//! The bearer token: required on every route but `/healthz` when set, and
//! required to listen beyond loopback.

use crate::GAMEHOST;
use reqwest::StatusCode;

#[tokio::test]
async fn requests_need_the_token() {
    let daemon = crate::daemon_with(Some("s3cret-token"), &[]).await;
    let client = reqwest::Client::new();
    let url = daemon.url("/v1/fleets");

    let missing = client.get(&url).send().await.expect("GET");
    assert_eq!(missing.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = missing.json().await.expect("a JSON error");
    assert_eq!(body["error"]["code"], "UNAUTHORIZED", "{body}");

    let wrong = client
        .get(&url)
        .bearer_auth("s3cret-tokem")
        .send()
        .await
        .expect("GET");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: serde_json::Value = wrong.json().await.expect("a JSON error");
    assert_eq!(body["error"]["code"], "UNAUTHORIZED", "{body}");

    let (status, body) = daemon.get("/v1/fleets").await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let health = client
        .get(daemon.url("/healthz"))
        .send()
        .await
        .expect("GET");
    assert_eq!(health.status(), StatusCode::OK);
}

#[test]
fn listening_beyond_loopback_needs_a_token() {
    let data = std::env::temp_dir().join(format!("gamehost-e2e-{}", uuid::Uuid::new_v4().simple()));
    let output = std::process::Command::new(GAMEHOST)
        .args(["serve", "--listen", "0.0.0.0:0", "--data-dir"])
        .arg(&data)
        .env_remove("GAMEHOST_TOKEN")
        .output()
        .expect("running gamehost serve");
    let _ = std::fs::remove_dir_all(&data);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "it started: {stderr}");
    assert!(stderr.contains("GAMEHOST_TOKEN"), "{stderr}");
}
