//! The browser client of the example game mode, in a real headless browser:
//! two tabs of Debian's Chromium, driven by Playwright, join one match over
//! the gateway and play it to the end.

use gamehost_tests::daemon::arena_template;
use serde_json::json;

#[tokio::test]
async fn two_browser_tabs_play_a_match_of_arena() {
    let daemon = crate::daemon().await;
    daemon
        .deploy(
            "arena",
            gamehost_guests::ARENA,
            1,
            arena_template(json!({"tickRateHz": 10})),
        )
        .await;
    daemon.ready_game_servers("arena", 1).await;
    let stdout = gamehost_tests::browser::run("two_tabs.mjs", vec![daemon.url("")]).await;
    assert!(stdout.contains("alice won 3-0"), "{stdout}");
}
