//! The Agones REST SDK a game server serves on loopback: every route of
//! reference/003 over HTTP, acting on the same state as the guest's own SDK
//! calls, with the gateway's errors; and the daemon's `--sdk-http`.

use futures_util::StreamExt;
use gamehost_daemon::sidecar::{self, PORT_ANNOTATION};
use gamehost_model::{GameServerSpec, GameServerState};
use gamehost_runtime::supervisor::GameServerHandle;
use gamehost_tests::daemon::Daemon;
use gamehost_tests::{arena_spec, start, wait_for_end, wait_for_state, wait_until, within};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

mod conformance;
mod swagger;

/// A Ready arena game server serving the REST SDK, and the SDK's base URL.
async fn served() -> (GameServerHandle, String) {
    served_with(arena_spec(10)).await
}

/// A Ready arena game server with `spec` serving the REST SDK, and the SDK's
/// base URL.
async fn served_with(spec: GameServerSpec) -> (GameServerHandle, String) {
    let handle = start(gamehost_guests::ARENA, spec);
    wait_for_state(&handle, GameServerState::Ready).await;
    let address = within("the REST SDK", sidecar::start(handle.clone()))
        .await
        .expect("serving the REST SDK");
    (handle, format!("http://{address}"))
}

/// The example game mode deployed on `daemon` (serving with `--sdk-http`)
/// as one game server, its name, and the base URL of its REST SDK.
async fn served_by(daemon: &Daemon) -> (String, String) {
    let ready = daemon.deploy_arena(1).await;
    let name = ready[0]["objectMeta"]["name"]
        .as_str()
        .expect("a name")
        .to_owned();
    let port = daemon
        .wait_for("the REST SDK port annotation", || async {
            let record = daemon.get_ok(&format!("/v1/gameservers/{name}")).await;
            record["objectMeta"]["annotations"][PORT_ANNOTATION]
                .as_str()
                .map(str::to_owned)
        })
        .await;
    (name, format!("http://127.0.0.1:{port}"))
}

/// Sends `body` (if any) and returns the status and the JSON answer.
async fn call(base: &str, method: Method, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let client = reqwest::Client::new();
    let mut request = client.request(method, format!("{base}{path}"));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = within(path, request.send()).await.expect("a response");
    let status = response.status();
    let text = response.text().await.expect("a body");
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    (status, value)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_record_and_its_port_annotation() {
    let (handle, base) = served().await;
    let port = base.rsplit(':').next().expect("a port").to_owned();
    let record = wait_until(&handle, "the port annotation", |r| {
        r.object_meta.annotations.get(PORT_ANNOTATION) == Some(&port)
    })
    .await;
    let (status, body) = call(&base, Method::GET, "/gameserver", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["object_meta"]["name"],
        record.object_meta.name.as_str()
    );
    assert_eq!(body["status"]["state"], "Ready");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lifecycle_calls_change_the_state() {
    let (handle, base) = served().await;
    let cases = [
        (
            "/reserve",
            json!({"seconds": "0"}),
            GameServerState::Reserved,
        ),
        ("/ready", json!({}), GameServerState::Ready),
        ("/allocate", json!({}), GameServerState::Allocated),
    ];
    for (path, body, state) in cases {
        let (status, answer) = call(&base, Method::POST, path, Some(body)).await;
        assert_eq!((status, answer), (StatusCode::OK, json!({})), "{path}");
        assert_eq!(handle.record().status.state, state, "after {path}");
    }
    let (status, _) = call(&base, Method::POST, "/health", None).await;
    assert_eq!(status, StatusCode::OK, "an empty body reads as {{}}");
    let (status, body) = call(
        &base,
        Method::POST,
        "/reserve",
        Some(json!({"seconds": -1})),
    )
    .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::BAD_REQUEST, json!(3))
    );
    let (status, _) = call(&base, Method::POST, "/shutdown", Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK);
    let record = wait_for_end(&handle).await;
    assert_eq!(record.status.state, GameServerState::Shutdown);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metadata_goes_under_the_sdk_prefix() {
    let (handle, base) = served().await;
    let label = json!({"key": "mode", "value": "ctf"});
    let (status, _) = call(&base, Method::PUT, "/metadata/label", Some(label)).await;
    assert_eq!(status, StatusCode::OK);
    let note = json!({"key": "map", "value": "dust"});
    let (status, _) = call(&base, Method::PUT, "/metadata/annotation", Some(note)).await;
    assert_eq!(status, StatusCode::OK);
    let meta = handle.record().object_meta.clone();
    assert_eq!(
        meta.labels.get("agones.dev/sdk-mode").map(String::as_str),
        Some("ctf")
    );
    assert_eq!(
        meta.annotations
            .get("agones.dev/sdk-map")
            .map(String::as_str),
        Some("dust")
    );
    let bad = json!({"key": "not a key!", "value": "x"});
    let (status, body) = call(&base, Method::PUT, "/metadata/label", Some(bad)).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::BAD_REQUEST, json!(3)),
        "{body}"
    );
    // Agones' gateway ignores fields the proto does not declare.
    let unknown = json!({"key": "a", "value": "b", "extra": 1});
    let (status, _) = call(&base, Method::PUT, "/metadata/label", Some(unknown)).await;
    assert_eq!(status, StatusCode::OK, "unknown fields are ignored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counters_under_both_versions() {
    let (handle, base) = served().await;
    let cases = [
        (
            Method::PATCH,
            "/v1alpha1/counters/rounds",
            Some(json!({"count": 0, "capacity": "11"})),
            StatusCode::OK,
            json!({"name": "rounds", "count": "0", "capacity": "11"}),
        ),
        (
            Method::PATCH,
            "/v1beta1/counters/rounds",
            Some(json!({"countDiff": "2"})),
            StatusCode::OK,
            json!({"name": "rounds", "count": "2", "capacity": "11"}),
        ),
        (
            Method::PATCH,
            "/v1beta1/counters/rounds",
            Some(json!({"count": 5})),
            StatusCode::OK,
            json!({"name": "rounds", "count": "5", "capacity": "11"}),
        ),
        (
            Method::GET,
            "/v1alpha1/counters/rounds",
            None,
            StatusCode::OK,
            json!({"name": "rounds", "count": "5", "capacity": "11"}),
        ),
    ];
    for (method, path, body, status, answer) in cases {
        assert_eq!(
            call(&base, method.clone(), path, body).await,
            (status, answer),
            "{method} {path}"
        );
    }
    assert_eq!(handle.record().status.counters["rounds"].count, 5);
    let errors = [
        (
            Method::PATCH,
            "/v1beta1/counters/rounds",
            json!({"countDiff": "7"}),
            StatusCode::BAD_REQUEST,
            11,
        ),
        (
            Method::GET,
            "/v1beta1/counters/nope",
            Value::Null,
            StatusCode::NOT_FOUND,
            5,
        ),
        (
            Method::PATCH,
            "/v1beta1/counters/rounds",
            json!({"count": "x"}),
            StatusCode::BAD_REQUEST,
            3,
        ),
    ];
    for (method, path, body, status, code) in errors {
        let body = (!body.is_null()).then_some(body);
        let (got, answer) = call(&base, method, path, body).await;
        assert_eq!(
            (got, answer["code"].clone()),
            (status, json!(code)),
            "{path}: {answer}"
        );
    }
    assert_eq!(
        handle.record().status.counters["rounds"].count,
        5,
        "errors change nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_add_remove_and_update() {
    let (handle, base) = served().await;
    let path = "/v1beta1/lists/players";
    let add = |v: &str| Some(json!({"value": v}));
    let (status, body) = call(&base, Method::POST, &format!("{path}:addValue"), add("p1")).await;
    assert_eq!(
        (status, body["values"].clone()),
        (StatusCode::OK, json!(["p1"]))
    );
    let (status, body) = call(&base, Method::POST, &format!("{path}:addValue"), add("p1")).await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::CONFLICT, json!(6)),
        "{body}"
    );
    let (status, _) = call(&base, Method::POST, &format!("{path}:addValue"), add("p2")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = call(
        &base,
        Method::POST,
        &format!("{path}:removeValue"),
        add("p1"),
    )
    .await;
    assert_eq!(
        (status, body["values"].clone()),
        (StatusCode::OK, json!(["p2"]))
    );
    let (status, body) = call(
        &base,
        Method::POST,
        &format!("{path}:removeValue"),
        add("p9"),
    )
    .await;
    assert_eq!(
        (status, body["code"].clone()),
        (StatusCode::NOT_FOUND, json!(5)),
        "{body}"
    );
    let (status, _) = call(&base, Method::POST, &format!("{path}:sort"), add("p1")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let update = Some(json!({"capacity": "3", "values": ["a", "b"]}));
    let (status, body) = call(&base, Method::PATCH, "/v1alpha1/lists/players", update).await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"name": "players", "capacity": "3", "values": ["a", "b"]})
        )
    );
    let (status, body) = call(&base, Method::GET, path, None).await;
    assert_eq!(
        (status, body["values"].clone()),
        (StatusCode::OK, json!(["a", "b"]))
    );
    assert_eq!(handle.record().status.lists["players"].values, ["a", "b"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn player_tracking() {
    let (handle, base) = served().await;
    let capacity = Some(json!({"count": 1}));
    let (status, _) = call(&base, Method::PUT, "/alpha/player/capacity", capacity).await;
    assert_eq!(status, StatusCode::OK);
    let steps = [
        (
            Method::GET,
            "/alpha/player/capacity",
            None,
            json!({"count": "1"}),
        ),
        (
            Method::POST,
            "/alpha/player/connect",
            Some(json!({"playerID": "uzh7i"})),
            json!({"bool": true}),
        ),
        (
            Method::POST,
            "/alpha/player/connect",
            Some(json!({"playerID": "uzh7i"})),
            json!({"bool": false}),
        ),
        (
            Method::GET,
            "/alpha/player/count",
            None,
            json!({"count": "1"}),
        ),
        (
            Method::GET,
            "/alpha/player/connected/uzh7i",
            None,
            json!({"bool": true}),
        ),
        (
            Method::GET,
            "/alpha/player/connected",
            None,
            json!({"list": ["uzh7i"]}),
        ),
    ];
    for (method, path, body, answer) in steps {
        assert_eq!(
            call(&base, method, path, body).await,
            (StatusCode::OK, answer),
            "{path}"
        );
    }
    let full = Some(json!({"playerID": "other"}));
    let (status, body) = call(&base, Method::POST, "/alpha/player/connect", full).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "over capacity: {body}"
    );
    let gone = Some(json!({"playerID": "uzh7i"}));
    let (status, body) = call(&base, Method::POST, "/alpha/player/disconnect", gone).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"bool": true})));
    assert_eq!(handle.record().status.players.count, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watch_streams_the_record_then_changes_and_ends_with_the_game_server() {
    let (handle, base) = served().await;
    let response = within("a watch", reqwest::get(format!("{base}/watch/gameserver")))
        .await
        .expect("a watch");
    assert_eq!(response.status(), StatusCode::OK);
    let mut lines = response.bytes_stream();
    let mut buffer = Vec::new();
    let mut next_line = async || -> Option<Value> {
        loop {
            if let Some(end) = buffer.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = buffer.drain(..=end).collect();
                return Some(serde_json::from_slice(&line).expect("a JSON line"));
            }
            let chunk = within("a watch line", lines.next())
                .await?
                .expect("a chunk");
            buffer.extend_from_slice(&chunk);
        }
    };
    let first = next_line().await.expect("the current record");
    assert_eq!(first["result"]["object_meta"]["name"], handle.name());
    let label = Some(json!({"key": "seen", "value": "yes"}));
    call(&base, Method::PUT, "/metadata/label", label).await;
    loop {
        let line = next_line().await.expect("a change");
        if line["result"]["object_meta"]["labels"]["agones.dev/sdk-seen"] == "yes" {
            break;
        }
    }
    handle.stop("the test is over").await.expect("stopping");
    while next_line().await.is_some() {}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_bodies_and_an_ended_game_server_are_refused() {
    let (handle, base) = served().await;
    let huge = json!({"key": "a", "value": "x".repeat(sidecar::MAX_BODY_BYTES)});
    let (status, _) = call(&base, Method::PUT, "/metadata/annotation", Some(huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    handle.stop("the test is over").await.expect("stopping");
    wait_for_end(&handle).await;
    let refused = within("the server to stop", async {
        loop {
            let answer = reqwest::Client::new()
                .post(format!("{base}/ready"))
                .send()
                .await;
            match answer {
                Err(_) => return,
                Ok(r) if r.status() == StatusCode::BAD_REQUEST => return,
                Ok(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
    });
    refused.await;
}

#[tokio::test]
async fn the_daemon_serves_each_game_servers_rest_sdk_with_sdk_http() {
    let daemon = crate::daemon_with(None, &["--sdk-http"]).await;
    let (name, base) = served_by(&daemon).await;
    let label = Some(json!({"key": "from", "value": "rest"}));
    let (status, _) = call(&base, Method::PUT, "/metadata/label", label).await;
    assert_eq!(status, StatusCode::OK);
    let record = daemon.get_ok(&format!("/v1/gameservers/{name}")).await;
    assert_eq!(
        record["objectMeta"]["labels"]["agones.dev/sdk-from"],
        "rest"
    );
    let (status, body) = call(&base, Method::GET, "/gameserver", None).await;
    assert_eq!(
        (status, body["object_meta"]["name"].clone()),
        (StatusCode::OK, json!(name))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reserved_game_server_keeps_its_place_among_the_fleets_replicas() {
    let daemon = crate::daemon_with(None, &["--sdk-http"]).await;
    let (_, base) = served_by(&daemon).await;
    let reserve = Some(json!({"seconds": "60"}));
    let (status, _) = call(&base, Method::POST, "/reserve", reserve).await;
    assert_eq!(status, StatusCode::OK);
    // The controller reacts to a change within milliseconds; a reservation
    // must not make it start another game server (reference/004).
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let running = daemon.game_servers("fleet=arena").await;
    let states: Vec<&Value> = running.iter().map(|g| &g["status"]["state"]).collect();
    assert_eq!(states, [&json!("Reserved")], "{running:?}");
    // Allocated, it leaves the warm replicas: the fleet starts another.
    let (status, _) = call(&base, Method::POST, "/allocate", Some(json!({}))).await;
    assert_eq!(status, StatusCode::OK);
    daemon.ready_game_servers("arena", 1).await;
}
