//! `gamehost new`: a project made in a folder outside the repository builds
//! with its language's toolchain, passes `gamehost check`, and plays: a
//! player joins it through the gateway and its message comes back.

use crate::GAMEHOST;
use gamehost_tests::players::{Player, player_session_ids};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `command` to its end off the runtime's workers; returns its stdout,
/// failing the test with its output when it fails.
async fn run(mut command: Command, what: &str) -> String {
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .expect("the command's run")
        .unwrap_or_else(|e| panic!("starting {what}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "{what} failed:\n{stdout}\n{stderr}"
    );
    stdout
}

/// Builds the Rust project in `project` into a component, in a target
/// folder kept between runs; returns the component's path.
async fn build_rust(project: &Path, crate_name: &str) -> PathBuf {
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new-projects");
    let mut cargo = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cargo
        .current_dir(project)
        .args([
            "build",
            "--release",
            "--target",
            "wasm32-wasip2",
            "--target-dir",
        ])
        .arg(&target);
    // The test's own build settings are for the host, not for the project.
    for var in [
        "CARGO_ENCODED_RUSTFLAGS",
        "RUSTFLAGS",
        "CARGO_TARGET_DIR",
        "CARGO_BUILD_TARGET",
    ] {
        cargo.env_remove(var);
    }
    run(cargo, "building the new project").await;
    target
        .join("wasm32-wasip2/release")
        .join(format!("{crate_name}.wasm"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_rust_project_builds_checks_and_echoes_a_player() {
    let dir = gamehost_tests::temp_dir("gamehost-new");
    let mut new = Command::new(GAMEHOST);
    new.args(["new", "echo-game", "--lang", "rust", "--dir"])
        .arg(&dir);
    run(new, "gamehost new").await;
    let project = dir.join("echo-game");
    let repo_wit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit/world.wit");
    assert_eq!(
        std::fs::read_to_string(project.join("wit/world.wit")).expect("the project's WIT"),
        std::fs::read_to_string(repo_wit).expect("the repository's WIT"),
        "the WIT is the binary's"
    );
    let mut again = Command::new(GAMEHOST);
    again
        .args(["new", "echo-game", "--lang", "rust", "--dir"])
        .arg(&dir);
    let refused = again.output().expect("running gamehost new");
    assert!(
        !refused.status.success(),
        "an existing folder is not overwritten"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"));

    let component = build_rust(&project, "echo_game").await;
    let mut check = Command::new(GAMEHOST);
    check.arg("check").arg(&component);
    let checked = run(check, "gamehost check").await;
    assert!(
        checked.contains("a gamehost:sdk/game-server component"),
        "{checked}"
    );

    let template: Value = serde_json::from_slice(
        &std::fs::read(project.join("template.json")).expect("the project's template"),
    )
    .expect("a JSON template");
    let daemon = crate::daemon().await;
    let path = component.to_str().expect("a UTF-8 path");
    daemon.deploy("echo-game", path, 1, template).await;
    daemon.ready_game_servers("echo-game", 1).await;
    let new = json!({"maximumPlayerSessionCount": 2});
    let (status, session) = daemon.post("/v1/fleets/echo-game/gamesessions", &new).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let id = session["gameSessionId"].as_str().expect("an id");
    let path = format!("/v1/gamesessions/{id}/playersessions");
    let (status, created) = daemon.post(&path, &json!({"playerIds": ["ada"]})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let seat = &player_session_ids(&created)[0];
    let mut player = Player::join(&daemon, seat).await;
    assert_eq!(player.text().await, format!("welcome {seat}"));
    player.send("hello").await;
    assert_eq!(player.text().await, "hello");
    player.leave().await;
}
