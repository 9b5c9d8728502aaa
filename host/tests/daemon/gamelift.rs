//! The GameLift flows (server process ready, game session, player
//! sessions, shutting down, terminating a process) walked step by step over
//! the daemon's HTTP control plane.

use gamehost_tests::daemon::{Daemon, arena_template, quiet_template};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// Creates a game session for `players` players on `fleet`.
async fn create_game_session(daemon: &Daemon, fleet: &str, players: u32) -> Value {
    let new = json!({"name": "match", "maximumPlayerSessionCount": players});
    let (status, session) = daemon
        .post(&format!("/v1/fleets/{fleet}/gamesessions"), &new)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    session
}

/// Waits until the game session's status is `status` and returns it.
async fn wait_for_session(daemon: &Daemon, id: &str, status: &str) -> Value {
    daemon
        .wait_for(&format!("game session {id} {status}"), || async {
            let session = daemon.get_ok(&format!("/v1/gamesessions/{id}")).await;
            (session["status"] == status).then_some(session)
        })
        .await
}

/// The player sessions of a describe query.
async fn describe(daemon: &Daemon, query: &str) -> Value {
    daemon.get_ok(&format!("/v1/playersessions?{query}")).await
}

fn ids(page: &Value) -> Vec<String> {
    page["playerSessions"]
        .as_array()
        .expect("player sessions")
        .iter()
        .map(|s| s["playerSessionId"].as_str().expect("an id").to_owned())
        .collect()
}

#[tokio::test]
async fn a_server_process_is_ready_then_hosts_a_game_session_until_it_terminates() {
    let daemon = crate::daemon().await;
    daemon
        .deploy(
            "arena",
            gamehost_guests::ARENA,
            1,
            arena_template(json!({})),
        )
        .await;

    // Setting up a new server process: init-sdk and process-ready.
    let ready = daemon.ready_game_servers("arena", 1).await;
    assert_eq!(ready[0]["process"]["status"], "ACTIVE", "{}", ready[0]);
    assert_eq!(ready[0]["process"]["sdkInitialized"], true);

    // Creating a game session: ACTIVATING until on-start-game-session
    // activates it, which arena does at once.
    let session = create_game_session(&daemon, "arena", 2).await;
    let status = session["status"].as_str().expect("a status");
    assert!(["ACTIVATING", "ACTIVE"].contains(&status), "{session}");
    let id = session["gameSessionId"].as_str().expect("an id").to_owned();
    let server = session["gameServerName"]
        .as_str()
        .expect("a game server")
        .to_owned();
    wait_for_session(&daemon, &id, "ACTIVE").await;
    let record = daemon.get_ok(&format!("/v1/gameservers/{server}")).await;
    assert_eq!(record["status"]["state"], "Allocated", "{record}");
    assert_eq!(
        record["process"]["gameSession"]["gameSessionId"],
        id.as_str()
    );

    // Shutting down a game session: terminate it; arena's
    // on-process-terminate ends it and calls process-ending.
    let (status, body) = daemon
        .post(&format!("/v1/gamesessions/{id}/terminate"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    wait_for_session(&daemon, &id, "TERMINATED").await;
    let ended = daemon
        .wait_for("the game server to end", || async {
            let record = daemon.get_ok(&format!("/v1/gameservers/{server}")).await;
            (!record["process"]["ending"].is_null()).then_some(record)
        })
        .await;
    assert_eq!(ended["status"]["state"], "Shutdown", "{ended}");
    assert_eq!(ended["process"]["status"], "TERMINATED", "{ended}");

    // The game session's logs outlive it.
    let logs = daemon.get_ok(&format!("/v1/gamesessions/{id}/logs")).await;
    let messages: Vec<&str> = logs["lines"]
        .as_array()
        .expect("log lines")
        .iter()
        .filter_map(|l| l["message"].as_str())
        .collect();
    assert!(messages.contains(&"match started"), "{logs}");
}

#[tokio::test]
async fn a_game_session_not_activated_in_time_is_terminated() {
    let daemon = crate::daemon().await;
    // The bench guest declares readiness but never activates a game session.
    let template = quiet_template(json!({"activationTimeoutSeconds": 1}));
    daemon
        .deploy("lazy", gamehost_guests::BENCH, 1, template)
        .await;
    daemon.ready_game_servers("lazy", 1).await;
    let session = create_game_session(&daemon, "lazy", 2).await;
    assert_eq!(session["status"], "ACTIVATING", "{session}");
    let id = session["gameSessionId"].as_str().expect("an id");
    let ended = wait_for_session(&daemon, id, "TERMINATED").await;
    assert_eq!(ended["statusReason"], "ACTIVATION_TIMEOUT", "{ended}");
}

#[tokio::test]
async fn player_sessions_are_reserved_described_and_time_out() {
    let daemon = crate::daemon().await;
    let template = arena_template(json!({"playerSessionTimeoutSeconds": 1}));
    daemon
        .deploy("arena", gamehost_guests::ARENA, 1, template)
        .await;
    daemon.ready_game_servers("arena", 1).await;
    let session = create_game_session(&daemon, "arena", 3).await;
    let id = session["gameSessionId"].as_str().expect("an id").to_owned();
    wait_for_session(&daemon, &id, "ACTIVE").await;

    // Adding players: RESERVED, three of three slots.
    let path = format!("/v1/gamesessions/{id}/playersessions");
    let (status, one) = daemon.post(&path, &json!({"playerId": "alice"})).await;
    assert_eq!(status, StatusCode::CREATED, "{one}");
    let (status, two) = daemon
        .post(&path, &json!({"playerIds": ["bob", "carol"]}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{two}");
    for created in one["playerSessions"]
        .as_array()
        .into_iter()
        .chain(two["playerSessions"].as_array())
        .flatten()
    {
        assert_eq!(created["status"], "RESERVED", "{created}");
    }
    let (status, full) = daemon.post(&path, &json!({"playerId": "dave"})).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the game session is full: {full}"
    );
    let alice = one["playerSessions"][0]["playerSessionId"]
        .as_str()
        .expect("an id")
        .to_owned();

    // Describing: by game session, by player session, by player, with a
    // status filter, and one page at a time.
    let all = describe(&daemon, &format!("gameSessionId={id}")).await;
    assert_eq!(ids(&all).len(), 3, "{all}");
    let by_id = describe(&daemon, &format!("playerSessionId={alice}")).await;
    assert_eq!(ids(&by_id), [alice.as_str()], "{by_id}");
    let by_player = describe(&daemon, "playerId=alice").await;
    assert_eq!(ids(&by_player), [alice.as_str()], "{by_player}");
    let reserved = describe(
        &daemon,
        &format!("gameSessionId={id}&playerSessionStatusFilter=RESERVED"),
    )
    .await;
    assert_eq!(ids(&reserved).len(), 3, "{reserved}");
    let mut paged = Vec::new();
    let mut query = format!("gameSessionId={id}&limit=1");
    loop {
        let page = describe(&daemon, &query).await;
        assert!(ids(&page).len() <= 1, "{page}");
        paged.extend(ids(&page));
        match page["nextToken"].as_str() {
            Some(token) => query = format!("gameSessionId={id}&limit=1&nextToken={token}"),
            None => break,
        }
        assert!(paged.len() <= 3, "paging does not end: {paged:?}");
    }
    assert_eq!(paged, ids(&all), "pages in order, each session once");

    // Nothing over HTTP connects a player, so no one accepts them: they
    // time out after a second and their slots reopen.
    daemon
        .wait_for("the player sessions to time out", || async {
            let timed_out = describe(
                &daemon,
                &format!("gameSessionId={id}&playerSessionStatusFilter=TIMEDOUT"),
            )
            .await;
            (ids(&timed_out).len() == 3).then_some(())
        })
        .await;
    let (status, again) = daemon.post(&path, &json!({"playerId": "dave"})).await;
    assert_eq!(status, StatusCode::CREATED, "a slot reopened: {again}");
    assert_eq!(again["playerSessions"][0]["status"], "RESERVED");
}

#[tokio::test]
async fn a_terminated_process_ends_with_process_ending() {
    let daemon = crate::daemon().await;
    let ready = daemon.deploy_arena(1).await;
    let name = ready[0]["objectMeta"]["name"]
        .as_str()
        .expect("a name")
        .to_owned();

    let (status, answer) = daemon
        .post(&format!("/v1/gameservers/{name}/terminate"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer["terminationTime"].is_i64(), "{answer}");
    let ended = daemon
        .wait_for("process-ending", || async {
            let record = daemon.get_ok(&format!("/v1/gameservers/{name}")).await;
            (!record["process"]["ending"].is_null()).then_some(record)
        })
        .await;
    assert!(ended["process"]["terminationTime"].is_i64(), "{ended}");
    assert_eq!(
        ended["process"]["ending"]["kind"], "process_ending",
        "{ended}"
    );
    assert_eq!(ended["status"]["state"], "Shutdown", "{ended}");
    assert_eq!(ended["process"]["status"], "TERMINATED", "{ended}");
}

#[tokio::test]
async fn concurrent_game_sessions_never_share_a_game_server() {
    let daemon = crate::daemon().await;
    daemon.deploy_arena(6).await;
    let new = json!({"maximumPlayerSessionCount": 2});
    let answers = futures_util::future::join_all(
        (0..12).map(|_| daemon.post("/v1/fleets/arena/gamesessions", &new)),
    )
    .await;
    let mut hosts = std::collections::BTreeSet::new();
    for (status, body) in &answers {
        match *status {
            StatusCode::CREATED => {
                assert_eq!(body["status"], "ACTIVE", "{body}");
                let host = body["gameServerName"].as_str().expect("a game server");
                assert!(
                    hosts.insert(host.to_owned()),
                    "{host} hosts two game sessions"
                );
            }
            StatusCode::CONFLICT => assert_eq!(body["error"]["code"], "NO_CAPACITY", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    // The six Ready ones at least; replacements that became Ready in time
    // may have taken more.
    assert!(hosts.len() >= 6, "{answers:?}");
}

#[tokio::test]
async fn a_game_session_is_renamed_and_resized_without_an_update_reason() {
    let daemon = crate::daemon().await;
    daemon.deploy_arena(1).await;
    let session = create_game_session(&daemon, "arena", 2).await;
    let id = session["gameSessionId"].as_str().expect("an id");
    wait_for_session(&daemon, id, "ACTIVE").await;
    let update = json!({"name": "final", "maximumPlayerSessionCount": 4,
        "playerSessionCreationPolicy": "DENY_ALL"});
    let (status, updated) = daemon
        .patch(&format!("/v1/gamesessions/{id}"), &update)
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(
        (
            &updated["name"],
            &updated["maximumPlayerSessionCount"],
            &updated["playerSessionCreationPolicy"]
        ),
        (&json!("final"), &json!(4), &json!("DENY_ALL")),
        "{updated}"
    );
}

#[tokio::test]
async fn a_fleet_limits_the_game_sessions_one_creator_creates() {
    let daemon = crate::daemon().await;
    daemon.deploy_arena(2).await;
    let policy = json!({"resourceCreationLimitPolicy":
        {"newGameSessionsPerCreator": 1, "policyPeriodInMinutes": 15}});
    let (status, fleet) = daemon.patch("/v1/fleets/arena", &policy).await;
    assert_eq!(status, StatusCode::OK, "{fleet}");
    assert_eq!(
        fleet["resourceCreationLimitPolicy"],
        policy["resourceCreationLimitPolicy"]
    );
    daemon.ready_game_servers("arena", 2).await;
    let by = |creator: &str| json!({"maximumPlayerSessionCount": 2, "creatorId": creator});
    let path = "/v1/fleets/arena/gamesessions";
    let (status, first) = daemon.post(path, &by("player-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let (status, refused) = daemon.post(path, &by("player-1")).await;
    assert_eq!(
        (status, &refused["error"]["code"]),
        (StatusCode::TOO_MANY_REQUESTS, &json!("LIMIT_EXCEEDED")),
        "{refused}"
    );
    let message = refused["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("player-1"), "{message}");
    // Another creator, or none, is not held back by player-1's count.
    let (status, other) = daemon.post(path, &by("player-2")).await;
    assert_eq!(status, StatusCode::CREATED, "{other}");
    // Lifting the limit lets player-1 create again.
    let lift = json!({"resourceCreationLimitPolicy": {"newGameSessionsPerCreator": 0}});
    let (status, _) = daemon.patch("/v1/fleets/arena", &lift).await;
    assert_eq!(status, StatusCode::OK);
    daemon.ready_game_servers("arena", 2).await;
    let (status, again) = daemon.post(path, &by("player-1")).await;
    assert_eq!(status, StatusCode::CREATED, "{again}");
    let bad = json!({"resourceCreationLimitPolicy": {"newGameSessionsPerCreator": 1, "policyPeriodInMinutes": 0}});
    let (status, body) = daemon.patch("/v1/fleets/arena", &bad).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}
