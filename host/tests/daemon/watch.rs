//! Watching a game server over HTTP: newline-delimited JSON, and the same
//! URL as a WebSocket; the current record comes first, then each change.

use futures_util::StreamExt;
use gamehost_tests::daemon::{DEADLINE, Daemon, quiet_template};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

/// A fleet of one Ready game server; returns its name.
async fn one_ready(daemon: &Daemon) -> String {
    daemon
        .deploy("f", gamehost_guests::FAULTS, 1, quiet_template(json!({})))
        .await;
    let ready = daemon.ready_game_servers("f", 1).await;
    ready[0]["objectMeta"]["name"]
        .as_str()
        .expect("a name")
        .to_owned()
}

/// Allocates the fleet's game server.
async fn allocate(daemon: &Daemon) {
    let (status, body) = daemon.post("/v1/allocations", &json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn a_watch_streams_the_record_then_its_changes_as_ndjson() {
    let daemon = crate::daemon().await;
    let name = one_ready(&daemon).await;
    let response = daemon
        .request(Method::GET, &format!("/v1/gameservers/{name}/watch"))
        .send()
        .await
        .expect("GET watch");
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()[reqwest::header::CONTENT_TYPE].clone();
    assert_eq!(content_type, "application/x-ndjson");
    let mut body = response.bytes_stream();
    let mut buffer = Vec::new();
    let mut next_line = async || -> Value {
        loop {
            if let Some(end) = buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=end).collect();
                return serde_json::from_slice(&line).expect("a JSON line");
            }
            let chunk = tokio::time::timeout(DEADLINE, body.next())
                .await
                .expect("a watch line in time")
                .expect("the watch to go on")
                .expect("a chunk");
            buffer.extend_from_slice(&chunk);
        }
    };
    let first = next_line().await;
    assert_eq!(first["result"]["objectMeta"]["name"], name.as_str());
    assert_eq!(first["result"]["status"]["state"], "Ready", "{first}");
    allocate(&daemon).await;
    loop {
        let line = next_line().await;
        if line["result"]["status"]["state"] == "Allocated" {
            break;
        }
    }
}

#[tokio::test]
async fn a_watch_is_also_a_websocket() {
    let daemon = crate::daemon().await;
    let name = one_ready(&daemon).await;
    let url = format!(
        "ws://127.0.0.1:{}/v1/gameservers/{name}/watch",
        daemon.port()
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(url)
        .await
        .expect("a WebSocket upgrade");
    let mut next_record = async || -> Value {
        loop {
            let message = tokio::time::timeout(DEADLINE, socket.next())
                .await
                .expect("a message in time")
                .expect("the socket to stay open")
                .expect("a message");
            if let Message::Text(text) = message {
                let event: Value = serde_json::from_str(&text).expect("JSON");
                return event["result"].clone();
            }
        }
    };
    let first = next_record().await;
    assert_eq!(first["objectMeta"]["name"], name.as_str());
    assert_eq!(first["status"]["state"], "Ready", "{first}");
    allocate(&daemon).await;
    while next_record().await["status"]["state"] != "Allocated" {}
}
