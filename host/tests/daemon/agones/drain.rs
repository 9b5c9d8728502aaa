//! The whole life of a Gamehost pod: Ready once warm, health pings,
//! capacity in the counter, allocations with and without an id starting
//! matches players join, matches ending and matches of the host's own in
//! the books, and SIGTERM draining before Shutdown.

use super::{Agones, end_match, host, matches, rooms, sessions};
use gamehost_tests::players::{Player, player_session_ids};
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allocations_start_matches_the_books_follow_them_and_sigterm_drains() {
    let agones = Agones::start(true).await;
    let mut host = host(agones.sdk_port, &["--shutdown-grace", "30s"]).await;

    // Ready once the relay fleet's two game servers are; the capacity is
    // the two idle ones and the four more the host can start.
    let ready = agones
        .wait_until("the pod Ready with its capacity", |r| {
            r["status"]["state"] == "Ready" && rooms(r) == (0, 6)
        })
        .await;
    assert_eq!(
        ready["status"]["lists"]["sessions"]["capacity"], 1000,
        "{ready}"
    );
    // Pinged from the start: the pod's health checks (every second after
    // two, two missed make it Unhealthy) pass for longer than they allow.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let record = agones.record().await;
    assert_eq!(record["status"]["state"], "Ready", "{record}");

    // An allocation naming its match, with properties for it.
    let annotations = json!({"gamehost.dev/properties.match-1": r#"{"map":"garden"}"#});
    let allocation = agones.allocate(Some("match-1"), annotations).await;
    assert_eq!(allocation["gameServerName"], agones.game_server.as_str());
    let session = host
        .wait_for("match-1 active", || async {
            let (_, s) = host.get("/v1/gamesessions/match-1").await;
            (s["status"] == "ACTIVE").then_some(s)
        })
        .await;
    assert_eq!(
        session["gameProperties"],
        json!([{"key": "map", "value": "garden"}])
    );
    // Players are told the pod's address and port, which Kubernetes maps
    // to the host's listener; here they connect to it directly.
    let sdk = agones.sdk_game_server().await;
    assert_eq!(session["ipAddress"], sdk["status"]["address"], "{sdk}");
    assert_eq!(session["port"], sdk["status"]["ports"][0]["port"], "{sdk}");
    let (status, seats) = host
        .post(
            "/v1/gamesessions/match-1/playersessions",
            &json!({"playerId": "ada"}),
        )
        .await;
    assert!(status.is_success(), "{seats}");
    let seat = player_session_ids(&seats).remove(0);
    let mut player = Player::join(&host, &seat).await;
    assert_eq!(player.text().await, format!("welcome {seat}"));

    // An allocation without an id: the host names the match and lists it.
    agones.allocate(None, json!({})).await;
    let record = agones
        .wait_until("two matches in the books", |r| {
            rooms(r).0 == 2 && sessions(r).len() == 2
        })
        .await;
    let running = host
        .wait_for("two matches running", || async {
            let ids = matches(&host).await;
            (ids.len() == 2).then_some(ids)
        })
        .await;
    assert_eq!(sessions(&record), running);
    assert!(
        running.iter().any(|id| id.starts_with("agones-")),
        "{running:?}"
    );
    assert_eq!(record["status"]["state"], "Allocated", "{record}");

    // A match ending comes off the books; one made through the host's own
    // API goes on them.
    end_match(&host, "match-1").await;
    let (status, own) = host
        .post(
            "/v1/fleets/relay/gamesessions",
            &json!({"maximumPlayerSessionCount": 2}),
        )
        .await;
    assert!(status.is_success(), "{own}");
    let own = own["gameSessionId"].as_str().expect("an id").to_owned();
    let record = agones
        .wait_until("match-1 off and the host's own on", |r| {
            let listed = sessions(r);
            rooms(r).0 == 2 && listed.contains(&own) && !listed.iter().any(|v| v == "match-1")
        })
        .await;
    assert_eq!(sessions(&record), matches(&host).await);

    // SIGTERM: the capacity comes down to the count and the host waits for
    // its matches; once they end, Agones is told to shut the pod down.
    host.signal_term();
    agones
        .wait_until("the capacity down to the count", |r| rooms(r) == (2, 2))
        .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(matches(&host).await.len(), 2, "the drain ended matches");
    for id in matches(&host).await {
        end_match(&host, &id).await;
    }
    let status = host.wait_exit().await;
    assert!(status.success(), "{status}");
    let record = agones
        .wait_until("the pod shut down", |r| r["status"]["state"] == "Shutdown")
        .await;
    assert_eq!(rooms(&record).0, 0, "{record}");
    assert!(sessions(&record).is_empty(), "{record}");
    drop(player);
}
