//! The operator console in a real headless browser: Debian's Chromium,
//! driven by Playwright (`tests/browser/console.mjs`), signs in with the
//! token, finds the fleet `arena`, watches a game server's log while a
//! player joins, scales the fleet and hot swaps it to an uploaded second
//! version; each change is then checked through the API. Screenshots of
//! every view go to the target's temporary directory (`console-*.png`).

use gamehost_tests::daemon::arena_template;
use gamehost_tests::hotswap::{MODULE, place_match};
use serde_json::{Value, json};
use std::path::Path;

const TOKEN: &str = "console-browser-token";

#[tokio::test]
async fn the_console_follows_a_game_server_scales_and_hot_swaps_a_fleet() {
    let daemon = crate::daemon_with(Some(TOKEN), &[]).await;
    daemon
        .deploy(
            "arena",
            gamehost_guests::ARENA,
            2,
            arena_template(json!({"tickRateHz": 10})),
        )
        .await;
    daemon.ready_game_servers("arena", 2).await;
    // A match with two seats: a player joins it while the console watches.
    let match_id = place_match(&daemon, "arena").await;
    let session = daemon.get_ok(&format!("/v1/gamesessions/{match_id}")).await;
    let game_server = session["gameServerName"].as_str().expect("a game server");
    let seats = daemon
        .get_ok(&format!("/v1/playersessions?gameSessionId={match_id}"))
        .await;
    let alice = seats["playerSessions"]
        .as_array()
        .expect("player sessions")
        .iter()
        .find(|s| s["playerId"] == "alice")
        .and_then(|s| s["playerSessionId"].as_str())
        .expect("alice's seat");

    let shots = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let args: Vec<String> = vec![
        daemon.url(""),
        TOKEN.to_owned(),
        game_server.to_owned(),
        alice.to_owned(),
        match_id.clone(),
        gamehost_guests::ARENA_V2.to_owned(),
        shots.display().to_string(),
    ];
    let stdout = gamehost_tests::browser::run("console.mjs", args).await;
    assert!(stdout.contains("console: hot swap done"), "{stdout}");

    // What the console did, through the API.
    let fleet = daemon.get_ok("/v1/fleets/arena").await;
    assert_eq!(fleet["replicas"], 3, "{fleet}");
    assert_eq!(fleet["update"]["state"], "succeeded", "{fleet}");
    let v2 = daemon.get_ok("/v1/modules/arena@2").await;
    assert_eq!(fleet["module"], v2["id"], "{fleet}");
    let running: Vec<Value> = daemon
        .game_servers("fleet=arena")
        .await
        .into_iter()
        .filter(|g| g["process"]["ending"].is_null())
        .collect();
    assert!(running.len() >= 4, "3 Ready and the match: {running:?}");
    for record in &running {
        assert_eq!(
            record["objectMeta"]["annotations"][MODULE], "arena@2",
            "{record}"
        );
    }
    // Alice connected (and left when the browser closed).
    let seat = daemon
        .get_ok(&format!("/v1/playersessions?playerSessionId={alice}"))
        .await;
    let status = &seat["playerSessions"][0]["status"];
    assert!(status == "ACTIVE" || status == "COMPLETED", "{seat}");
}
