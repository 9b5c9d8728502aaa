//! `gamehost new`: a project made in a folder outside the repository builds
//! with its language's toolchain (as `./scripts/setup` installs it), passes
//! `gamehost check`, and plays: a player joins it through the gateway and
//! its message comes back.

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

/// Makes project `name` in language `lang` in a new temporary folder, and
/// checks that the WIT it holds is the binary's and that making it again
/// is refused; returns the project's folder.
async fn new_project(name: &str, lang: &str) -> PathBuf {
    let dir = gamehost_tests::temp_dir("gamehost-new");
    let mut new = Command::new(GAMEHOST);
    new.args(["new", name, "--lang", lang, "--dir"]).arg(&dir);
    run(new, "gamehost new").await;
    let project = dir.join(name);
    let repo_wit = Path::new(env!("CARGO_MANIFEST_DIR")).join("../wit/world.wit");
    assert_eq!(
        std::fs::read_to_string(project.join("wit/world.wit")).expect("the project's WIT"),
        std::fs::read_to_string(repo_wit).expect("the repository's WIT"),
        "the WIT is the binary's"
    );
    let mut again = Command::new(GAMEHOST);
    again.args(["new", name, "--lang", lang, "--dir"]).arg(&dir);
    let refused = again.output().expect("running gamehost new");
    assert!(
        !refused.status.success(),
        "an existing folder is not overwritten"
    );
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"));
    project
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

/// Builds the C project in `project` with its `build.sh` and the tools
/// `./scripts/setup` installs; returns the component's path.
async fn build_c(project: &Path, name: &str) -> PathBuf {
    let toolchains = std::env::var_os("GAMEHOST_TOOLCHAINS").map_or_else(
        || {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
                .join(".cache/gamehost/toolchains")
        },
        PathBuf::from,
    );
    let mut build = Command::new(project.join("build.sh"));
    build
        .env("WIT_BINDGEN", toolchains.join("bin/wit-bindgen"))
        .env("WASM_TOOLS", toolchains.join("bin/wasm-tools"))
        .env("PYTHON", toolchains.join("python/bin/python"));
    let printed = run(build, "the new project's build.sh").await;
    assert!(printed.contains(&format!("built {name}.wasm")), "{printed}");
    project.join(format!("{name}.wasm"))
}

/// Checks the component at `component` with `gamehost check`, serves it as
/// fleet `fleet` with the project's template, and plays: a player joins,
/// is welcomed, and gets its message back.
async fn check_and_play(project: &Path, component: &Path, fleet: &str) {
    let mut check = Command::new(GAMEHOST);
    check.arg("check").arg(component);
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
    daemon.deploy(fleet, path, 1, template).await;
    daemon.ready_game_servers(fleet, 1).await;
    let new = json!({"maximumPlayerSessionCount": 2});
    let path = format!("/v1/fleets/{fleet}/gamesessions");
    let (status, session) = daemon.post(&path, &new).await;
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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_rust_project_builds_checks_and_echoes_a_player() {
    let project = new_project("echo-game", "rust").await;
    let component = build_rust(&project, "echo_game").await;
    check_and_play(&project, &component, "echo-game").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_c_project_builds_checks_and_echoes_a_player() {
    let project = new_project("echo-c", "c").await;
    let component = build_c(&project, "echo-c").await;
    check_and_play(&project, &component, "echo-c").await;
}
