//! The audit log: every change through the control plane and GameLift's
//! API, refused ones included, with the caller's token name, kept in the
//! store across restarts and read in pages by an admin.

use gamehost::api::Auth;
use gamehost::tokens::{Credential, Scope};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// Sends `method path` with `token` and `body`; returns the status.
async fn send(
    daemon: &gamehost_tests::daemon::Daemon,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> StatusCode {
    let mut request = reqwest::Client::new()
        .request(method, daemon.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("an answer").status()
}

#[tokio::test]
async fn changes_are_recorded_with_who_made_them() {
    let credentials = vec![
        Credential::new("ci", "ci-token", vec![Scope::Deploy]),
        Credential::new("dash", "dash-token", vec![Scope::Read]),
    ];
    let auth = Auth::new(Some("root-token"), credentials);
    let daemon = crate::daemon_with_auth(auth, Some("root-token"), &[]).await;
    let fleet = json!({"name": "f", "module": "nowhere@1"});
    let steps = [
        (
            "ci-token",
            Method::POST,
            "/v1/fleets",
            Some(fleet.clone()),
            StatusCode::NOT_FOUND,
        ),
        (
            "dash-token",
            Method::POST,
            "/v1/fleets",
            Some(fleet),
            StatusCode::FORBIDDEN,
        ),
        (
            "guess",
            Method::DELETE,
            "/v1/fleets/f",
            None,
            StatusCode::UNAUTHORIZED,
        ),
        (
            "dash-token",
            Method::GET,
            "/v1/fleets",
            None,
            StatusCode::OK,
        ),
    ];
    for (token, method, path, body, status) in steps {
        let got = send(&daemon, token, method.clone(), path, body).await;
        assert_eq!(got, status, "{token} {method} {path}");
    }
    // GameLift's API: this host has a token, so an unsigned change is
    // refused, and recorded.
    let refused = reqwest::Client::new()
        .post(daemon.url("/"))
        .header("content-type", "application/x-amz-json-1.1")
        .header("x-amz-target", "GameLift.CreateGameSession")
        .body(r#"{"FleetId": "f", "MaximumPlayerSessionCount": 2}"#)
        .send()
        .await
        .expect("POST /");
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);

    let page = daemon.get_ok("/v1/audit").await;
    let entries: Vec<(String, String, String, u64)> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| {
            (
                e["who"].as_str().unwrap_or_default().to_owned(),
                e["action"].as_str().unwrap_or_default().to_owned(),
                e["resource"].as_str().unwrap_or_default().to_owned(),
                e["status"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let expected = [
        ("ci", "POST /v1/fleets", "/v1/fleets", 404),
        ("dash", "POST /v1/fleets", "/v1/fleets", 403),
        (
            "unauthenticated",
            "DELETE /v1/fleets/{fleet}",
            "/v1/fleets/f",
            401,
        ),
        ("unauthenticated", "GameLift.CreateGameSession", "f", 403),
    ];
    let expected: Vec<(String, String, String, u64)> = expected
        .iter()
        .map(|(w, a, r, s)| ((*w).into(), (*a).into(), (*r).into(), *s))
        .collect();
    assert_eq!(entries, expected, "reads are not recorded: {page}");
    let seqs: Vec<u64> = page["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["seq"].as_u64().expect("a seq"))
        .collect();
    assert_eq!(seqs, [1, 2, 3, 4]);
    let second = daemon.get_ok("/v1/audit?after=2&limit=1").await;
    assert_eq!(second["entries"][0]["seq"], 3, "{second}");
    assert_eq!(second["next"], 3, "{second}");
    let reader = send(&daemon, "dash-token", Method::GET, "/v1/audit", None).await;
    assert_eq!(reader, StatusCode::FORBIDDEN, "the audit log needs admin");
}
