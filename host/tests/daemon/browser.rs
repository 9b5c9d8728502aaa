//! The browser client of the example game mode, in a real headless browser:
//! two tabs of Debian's Chromium, driven by Playwright, join one match over
//! the gateway and play it to the end.

use gamehost_tests::daemon::arena_template;
use serde_json::json;
use std::path::Path;
use std::process::Command;

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
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/browser/two_tabs.mjs");
    let base = daemon.url("");
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .arg(script)
            .arg(base)
            .output()
            .expect("running node (./scripts/setup installs it)")
    })
    .await
    .expect("the browser run");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the browser run failed:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("alice won 3-0"), "{stdout}");
}
