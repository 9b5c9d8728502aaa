//! The sidecar going away and coming back: matches keep running and
//! players keep playing meanwhile, and the books catch up after.

use super::proxy::Proxy;
use super::{Agones, end_match, host, matches, rooms, sessions};
use gamehost_tests::players::{Player, player_session_ids};
use serde_json::json;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matches_keep_running_while_the_sidecar_is_away_and_the_books_catch_up() {
    let agones = Agones::start(false).await;
    let target = ([127, 0, 0, 1], agones.sdk_port).into();
    let mut sidecar = Proxy::start(target).await;
    let host = host(sidecar.port(), &[]).await;
    agones
        .wait_until("the pod Ready", |r| r["status"]["state"] == "Ready")
        .await;
    agones.allocate(Some("kept"), json!({})).await;
    agones.allocate(Some("ended"), json!({})).await;
    host.wait_for("both matches running", || async {
        (matches(&host).await.len() == 2).then_some(())
    })
    .await;
    let (status, seats) = host
        .post(
            "/v1/gamesessions/kept/playersessions",
            &json!({"playerId": "ada"}),
        )
        .await;
    assert!(status.is_success(), "{seats}");
    let seat = player_session_ids(&seats).remove(0);
    let mut player = Player::join(&host, &seat).await;
    assert_eq!(player.text().await, format!("welcome {seat}"));

    sidecar.go_away();
    end_match(&host, "ended").await;
    // Longer than several retries: the match and its player carry on.
    tokio::time::sleep(Duration::from_secs(3)).await;
    player.send("echo still here").await;
    assert_eq!(player.text().await, "still here");
    assert_eq!(matches(&host).await, ["kept"]);
    assert!(
        host.stderr()
            .contains("the Agones SDK sidecar failed; matches keep running"),
        "{}",
        host.stderr()
    );

    sidecar.come_back().await;
    // Counted down first, unlisted second: wait for both steps.
    let record = agones
        .wait_until("the ended match off the books", |r| {
            rooms(r).0 == 1 && sessions(r) == ["kept"]
        })
        .await;
    assert_eq!(rooms(&record).0, 1);
    // New allocations start again.
    agones.allocate(Some("after"), json!({})).await;
    host.wait_for("the new match running", || async {
        (matches(&host).await == ["after", "kept"]).then_some(())
    })
    .await;
}
