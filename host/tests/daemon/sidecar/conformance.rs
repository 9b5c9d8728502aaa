//! The REST SDK as Agones' own clients see it: every answer validated
//! against the swagger documents, and the sequence of Agones' REST
//! conformance client (`test/sdk/restapi/http-api-test.go`) replayed with
//! the bodies its generated client sends, expecting exactly its values.

use super::swagger::{Swagger, assert_valid};
use super::{call, served, served_with};
use futures_util::StreamExt;
use gamehost_model::{CounterSpec, GameServerSpec, ListSpec};
use gamehost_tests::{arena_spec, within};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use tokio_tungstenite::tungstenite::Message;

/// Reads the first line of a newline-delimited JSON stream.
async fn first_line(response: reqwest::Response) -> Value {
    let mut chunks = response.bytes_stream();
    let mut buffer = Vec::new();
    loop {
        if let Some(end) = buffer.iter().position(|b| *b == b'\n') {
            return serde_json::from_slice(&buffer[..end]).expect("a JSON line");
        }
        let chunk = within("a watch line", chunks.next())
            .await
            .expect("a line before the stream ends")
            .expect("a chunk");
        buffer.extend_from_slice(&chunk);
    }
}

/// The first message of the watch over a WebSocket.
async fn first_message(base: &str) -> Value {
    let url = format!("{}/watch/gameserver", base.replace("http://", "ws://"));
    let (mut socket, _) = within("a WebSocket watch", tokio_tungstenite::connect_async(url))
        .await
        .expect("a WebSocket");
    match within("a WebSocket message", socket.next()).await {
        Some(Ok(Message::Text(text))) => serde_json::from_str(&text).expect("JSON"),
        other => panic!("expected a text message, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_matches_agones_swagger() {
    let swagger = Swagger::load();
    let (_handle, base) = served().await;
    let empty = || Some(json!({}));
    // (method, URL path, body, swagger path)
    let calls = [
        ("get", "/gameserver", None, "/gameserver"),
        ("post", "/health", empty(), "/health"),
        (
            "post",
            "/reserve",
            Some(json!({"seconds": "5"})),
            "/reserve",
        ),
        ("post", "/ready", empty(), "/ready"),
        (
            "put",
            "/metadata/label",
            Some(json!({"key": "k", "value": "v"})),
            "/metadata/label",
        ),
        (
            "put",
            "/metadata/annotation",
            Some(json!({"key": "k", "value": "v"})),
            "/metadata/annotation",
        ),
        (
            "get",
            "/v1beta1/counters/rounds",
            None,
            "/v1beta1/counters/{name}",
        ),
        (
            "patch",
            "/v1beta1/counters/rounds",
            Some(json!({"countDiff": "1"})),
            "/v1beta1/counters/{counterUpdateRequest.name}",
        ),
        (
            "get",
            "/v1beta1/lists/players",
            None,
            "/v1beta1/lists/{name}",
        ),
        (
            "post",
            "/v1beta1/lists/players:addValue",
            Some(json!({"value": "p1"})),
            "/v1beta1/lists/{name}:addValue",
        ),
        (
            "post",
            "/v1beta1/lists/players:removeValue",
            Some(json!({"value": "p1"})),
            "/v1beta1/lists/{name}:removeValue",
        ),
        (
            "patch",
            "/v1beta1/lists/players",
            Some(json!({"capacity": "5"})),
            "/v1beta1/lists/{list.name}",
        ),
        (
            "put",
            "/alpha/player/capacity",
            Some(json!({"count": "4"})),
            "/alpha/player/capacity",
        ),
        (
            "get",
            "/alpha/player/capacity",
            None,
            "/alpha/player/capacity",
        ),
        (
            "post",
            "/alpha/player/connect",
            Some(json!({"playerID": "p1"})),
            "/alpha/player/connect",
        ),
        (
            "get",
            "/alpha/player/connected",
            None,
            "/alpha/player/connected",
        ),
        (
            "get",
            "/alpha/player/connected/p1",
            None,
            "/alpha/player/connected/{playerID}",
        ),
        ("get", "/alpha/player/count", None, "/alpha/player/count"),
        (
            "post",
            "/alpha/player/disconnect",
            Some(json!({"playerID": "p1"})),
            "/alpha/player/disconnect",
        ),
        ("post", "/allocate", empty(), "/allocate"),
        ("get", "/gameserver", None, "/gameserver"),
    ];
    for (method, path, body, swagger_path) in calls {
        let verb = Method::from_bytes(method.to_uppercase().as_bytes()).expect("a method");
        let (status, answer) = call(&base, verb, path, body).await;
        assert_eq!(status, StatusCode::OK, "{method} {path}: {answer}");
        let validator = swagger.answer(method, swagger_path, "200");
        assert_valid(&validator, &answer, &format!("{method} {path}"));
    }
    let watch = swagger.answer("get", "/watch/gameserver", "200");
    let response = reqwest::get(format!("{base}/watch/gameserver"))
        .await
        .expect("a watch");
    let line = first_line(response).await;
    assert_valid(&watch, &line, "a watch line");
    let game_server = swagger.answer("get", "/gameserver", "200");
    assert_valid(&game_server, &line["result"], "a watch line's GameServer");
    let message = first_message(&base).await;
    assert_valid(&watch, &message, "a WebSocket watch message");
    assert_valid(
        &game_server,
        &message["result"],
        "a WebSocket message's GameServer",
    );
    let errors = [
        (Method::GET, "/v1beta1/counters/nope", None),
        (
            Method::POST,
            "/v1beta1/lists/players:removeValue",
            Some(json!({"value": "absent"})),
        ),
        (
            Method::PATCH,
            "/v1beta1/lists/players?updateMask=size",
            Some(json!({})),
        ),
        (Method::POST, "/reserve", Some(json!({"seconds": "soon"}))),
        (Method::POST, "/ready", Some(json!([]))),
    ];
    for (method, path, body) in errors {
        let (status, answer) = call(&base, method.clone(), path, body).await;
        assert!(status.is_client_error(), "{method} {path}: {status}");
        assert_valid(
            &swagger.error(),
            &answer,
            &format!("the error of {method} {path}"),
        );
    }
}

/// The GameServer Agones' conformance client expects: a counter `rooms` at
/// 1 of 10 and a list `players` of three values with room for 100.
fn conformance_spec() -> GameServerSpec {
    let mut spec = arena_spec(0);
    spec.counters = BTreeMap::from([(
        "rooms".into(),
        CounterSpec {
            count: 1,
            capacity: 10,
        },
    )]);
    spec.lists = BTreeMap::from([(
        "players".into(),
        ListSpec {
            capacity: 100,
            values: vec!["test0".into(), "test1".into(), "test2".into()],
        },
    )]);
    spec
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agones_rest_conformance_sequence() {
    let (handle, base) = served_with(conformance_spec()).await;
    let ok = async |method: Method, path: &str, body: Option<Value>| -> Value {
        let (status, answer) = call(&base, method.clone(), path, body).await;
        assert_eq!(status, StatusCode::OK, "{method} {path}: {answer}");
        answer
    };
    assert_eq!(ok(Method::POST, "/ready", Some(json!({}))).await, json!({}));
    let watch = reqwest::get(format!("{base}/watch/gameserver"))
        .await
        .expect("a watch");
    let uid = first_line(watch).await["result"]["object_meta"]["uid"].clone();
    assert_eq!(
        ok(Method::POST, "/health", Some(json!({}))).await,
        json!({})
    );
    assert_eq!(
        ok(Method::POST, "/reserve", Some(json!({"seconds": "5"}))).await,
        json!({})
    );
    assert_eq!(
        ok(Method::POST, "/allocate", Some(json!({}))).await,
        json!({})
    );
    let game_server = ok(Method::GET, "/gameserver", None).await;
    assert_eq!(game_server["status"]["state"], "Allocated");
    let created = game_server["object_meta"]["creation_timestamp"].clone();
    assert!(
        created.as_str().is_some_and(|t| t.parse::<i64>().is_ok()),
        "{created}"
    );
    assert_eq!(game_server["object_meta"]["uid"], uid);
    let label = json!({"key": "creationTimestamp", "value": created});
    assert_eq!(
        ok(Method::PUT, "/metadata/label", Some(label)).await,
        json!({})
    );
    let annotation = json!({"key": "UID", "value": uid});
    assert_eq!(
        ok(Method::PUT, "/metadata/annotation", Some(annotation)).await,
        json!({})
    );

    let players = [
        (
            Method::PUT,
            "/alpha/player/capacity",
            Some(json!({"count": "10"})),
            json!({}),
        ),
        (
            Method::GET,
            "/alpha/player/capacity",
            None,
            json!({"count": "10"}),
        ),
        (
            Method::POST,
            "/alpha/player/connect",
            Some(json!({"playerID": "1234"})),
            json!({"bool": true}),
        ),
        (
            Method::GET,
            "/alpha/player/connected/1234",
            None,
            json!({"bool": true}),
        ),
        (
            Method::GET,
            "/alpha/player/connected",
            None,
            json!({"list": ["1234"]}),
        ),
        (
            Method::POST,
            "/alpha/player/disconnect",
            Some(json!({"playerID": "1234"})),
            json!({"bool": true}),
        ),
        (
            Method::GET,
            "/alpha/player/count",
            None,
            json!({"count": "0"}),
        ),
    ];
    let counters = [
        (
            Method::GET,
            "/v1beta1/counters/rooms",
            None,
            json!({"name": "rooms", "count": "1", "capacity": "10"}),
        ),
        (
            Method::PATCH,
            "/v1beta1/counters/rooms",
            Some(json!({"countDiff": "-1", "capacity": "42"})),
            json!({"name": "rooms", "count": "0", "capacity": "42"}),
        ),
        (
            Method::PATCH,
            "/v1beta1/counters/rooms",
            Some(json!({"count": "40", "capacity": "42"})),
            json!({"name": "rooms", "count": "40", "capacity": "42"}),
        ),
    ];
    let list = |values: &[&str], capacity: &str| json!({"name": "players", "values": values, "capacity": capacity});
    let lists = [
        (
            Method::GET,
            "/v1beta1/lists/players",
            None,
            list(&["test0", "test1", "test2"], "100"),
        ),
        (
            Method::PATCH,
            "/v1beta1/lists/players",
            Some(json!({"values": ["test123", "test456"], "capacity": "10"})),
            list(&["test123", "test456"], "10"),
        ),
        (
            Method::POST,
            "/v1beta1/lists/players:addValue",
            Some(json!({"value": "test789"})),
            list(&["test123", "test456", "test789"], "10"),
        ),
        (
            Method::POST,
            "/v1beta1/lists/players:removeValue",
            Some(json!({"value": "test456"})),
            list(&["test123", "test789"], "10"),
        ),
    ];
    for (method, path, body, expected) in players.into_iter().chain(counters).chain(lists) {
        assert_eq!(
            ok(method.clone(), path, body).await,
            expected,
            "{method} {path}"
        );
    }
    assert_eq!(
        ok(Method::POST, "/shutdown", Some(json!({}))).await,
        json!({})
    );
    let record = gamehost_tests::wait_for_end(&handle).await;
    let meta = &record.object_meta;
    assert_eq!(
        meta.labels.get("agones.dev/sdk-creationTimestamp"),
        created.as_str().map(str::to_owned).as_ref()
    );
    assert_eq!(
        meta.annotations.get("agones.dev/sdk-UID"),
        uid.as_str().map(str::to_owned).as_ref()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_list_update_sets_what_its_mask_names() {
    let (_handle, base) = served_with(conformance_spec()).await;
    let cases = [
        // The mask from the query: only capacity changes.
        (
            "?updateMask=capacity",
            json!({"capacity": "50", "values": ["x"]}),
            json!(["test0", "test1", "test2"]),
            "50",
        ),
        // Named but not set: the zero value.
        (
            "?update_mask=values",
            json!({"capacity": "7"}),
            json!([]),
            "50",
        ),
        // No mask: the fields the body sets.
        ("", json!({"values": ["a", "b"]}), json!(["a", "b"]), "50"),
        // An empty body changes nothing.
        ("", json!({}), json!(["a", "b"]), "50"),
        // The path's name wins over the body's.
        (
            "",
            json!({"name": "other", "capacity": "9"}),
            json!(["a", "b"]),
            "9",
        ),
    ];
    for (query, body, values, capacity) in cases {
        let path = format!("/v1beta1/lists/players{query}");
        let (status, answer) = call(&base, Method::PATCH, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::OK, "{path} {body}: {answer}");
        assert_eq!(
            answer,
            json!({"name": "players", "values": values, "capacity": capacity}),
            "{path} {body}"
        );
    }
}
