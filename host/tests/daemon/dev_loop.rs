//! `gamehost dev`: on a project `gamehost new` made outside the repository,
//! it builds, starts a daemon (or uses the one running), deploys the game
//! mode and streams its log; a saved change reaches a match in progress
//! without dropping its player, and a broken save leaves the running
//! version running.

use crate::GAMEHOST;
use gamehost_tests::TempDir;
use gamehost_tests::daemon::Daemon;
use gamehost_tests::players::join_a_new_match;
use gamehost_tests::process::free_port;
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncRead, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

/// How long a build and deployment may take: the first compiles the
/// project's dependencies.
const TURN: Duration = Duration::from_secs(600);

/// A running `gamehost dev`, its output read line by line.
struct Dev {
    child: Child,
    lines: mpsc::UnboundedReceiver<String>,
    seen: Vec<String>,
}

impl Dev {
    /// Starts `gamehost dev project --url http://127.0.0.1:port`, with the
    /// test's own build settings removed (they are for the host).
    fn start(project: &Path, port: u16) -> Self {
        Self::start_with(project, port, None)
    }

    /// The same with `token` as GAMEHOST_TOKEN, if any.
    fn start_with(project: &Path, port: u16, token: Option<&str>) -> Self {
        let mut command = Command::new(GAMEHOST);
        command
            .arg("dev")
            .arg(project)
            .args(["--url", &format!("http://127.0.0.1:{port}")])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        for var in [
            "CARGO_ENCODED_RUSTFLAGS",
            "RUSTFLAGS",
            "CARGO_TARGET_DIR",
            "CARGO_BUILD_TARGET",
            "GAMEHOST_URL",
            "GAMEHOST_TOKEN",
        ] {
            command.env_remove(var);
        }
        if let Some(token) = token {
            command.env("GAMEHOST_TOKEN", token);
        }
        let mut child = command.spawn().expect("starting gamehost dev");
        let (sender, lines) = mpsc::unbounded_channel();
        tokio::spawn(forward(
            child.stdout.take().expect("stdout"),
            sender.clone(),
        ));
        tokio::spawn(forward(child.stderr.take().expect("stderr"), sender));
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `needle`; fails the test with what was
    /// printed after `within`.
    async fn expect(&mut self, needle: &str, within: Duration) -> String {
        let found = tokio::time::timeout(within, async {
            while let Some(line) = self.lines.recv().await {
                self.seen.push(line.clone());
                if line.contains(needle) {
                    return Some(line);
                }
            }
            None
        })
        .await;
        match found {
            Ok(Some(line)) => line,
            _ => panic!(
                "gamehost dev printed no line with {needle:?}:\n{}",
                self.seen.join("\n")
            ),
        }
    }
}

impl Dev {
    /// Interrupts it as Ctrl-C would and waits for it to end well.
    async fn interrupt(&mut self) {
        let pid = self.child.id().expect("gamehost dev runs").to_string();
        let interrupted = Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .await
            .expect("running kill");
        assert!(interrupted.success());
        let status = tokio::time::timeout(Duration::from_secs(60), self.child.wait())
            .await
            .expect("gamehost dev stops after Ctrl-C")
            .expect("waiting for gamehost dev");
        assert!(status.success(), "{status}");
    }
}

/// Sends each line `from` writes to `to`.
async fn forward(from: impl AsyncRead + Unpin, to: mpsc::UnboundedSender<String>) {
    let mut lines = BufReader::new(from).lines();
    while let Ok(Some(line)) = lines.next_line().await {
        if to.send(line).is_err() {
            return;
        }
    }
}

/// Makes a Rust project with `gamehost new` in a temporary folder, its
/// build's target folder shared with the other new-project tests; returns
/// the temporary folder, removed when dropped, and the project's folder.
async fn new_rust_project(name: &str) -> (TempDir, PathBuf) {
    let dir = gamehost_tests::temp_dir("gamehost-dev");
    let made = Command::new(GAMEHOST)
        .args(["new", name, "--lang", "rust", "--dir"])
        .arg(dir.path())
        .output()
        .await
        .expect("running gamehost new");
    assert!(made.status.success(), "{made:?}");
    let project = dir.path().join(name);
    let target = Path::new(env!("CARGO_TARGET_TMPDIR")).join("new-projects");
    std::fs::create_dir_all(&target).expect("the shared target folder");
    std::os::unix::fs::symlink(&target, project.join("target")).expect("linking the target");
    (dir, project)
}

/// Replaces `from` by `to` in the project's `src/lib.rs`, as an editor's
/// save would.
fn edit(project: &Path, from: &str, to: &str) {
    let path = project.join("src/lib.rs");
    let text = std::fs::read_to_string(&path).expect("the game mode's source");
    assert!(text.contains(from), "{from:?} is in the source");
    std::fs::write(&path, text.replace(from, to)).expect("saving the game mode");
}

/// Plays through the message client at `url` in headless Chromium: sends
/// `message` and waits for `expected` back.
async fn play_in_a_browser(url: &str, message: &str, expected: &str) {
    let args = vec![url.to_owned(), message.to_owned(), expected.to_owned()];
    let stdout = gamehost_tests::browser::run("messages.mjs", args).await;
    assert!(stdout.contains(&format!("received {expected}")), "{stdout}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_change_reaches_a_running_match_and_a_broken_save_changes_nothing() {
    let (_dir, project) = new_rust_project("dev-echo").await;
    let port = free_port();
    let mut dev = Dev::start(&project, port);
    let play = dev.expect("  play  ", TURN).await;
    let play = play.trim().trim_start_matches("play").trim().to_owned();
    assert_eq!(
        play,
        format!("http://127.0.0.1:{port}/play/messages?fleet=dev-echo")
    );
    dev.expect("fleet dev-echo created", TURN).await;

    let daemon = Daemon::serving(port, None, Box::new(()));
    daemon.ready_game_servers("dev-echo", 1).await;
    play_in_a_browser(&play, "hi", "hi").await;
    let (mut player, seat) = join_a_new_match(&daemon, "dev-echo", "ada").await;
    assert_eq!(player.text().await, format!("welcome {seat}"));
    player.send("hello").await;
    assert_eq!(player.text().await, "hello");
    // The game mode's log reaches the terminal, led by its game server.
    dev.expect("a player joins", TURN).await;

    edit(
        &project,
        "let _ = gateway::send(&player_session_id, &message);",
        "let _ = gateway::send(&player_session_id, &[b\"v2:\".as_slice(), &message].concat());",
    );
    dev.expect("src/lib.rs changed", TURN).await;
    let swapped = dev.expect("hot-swapped in place", TURN).await;
    assert!(swapped.contains("game server(s) switched"), "{swapped}");
    player.send("again").await;
    assert_eq!(
        player.text().await,
        "v2:again",
        "the same connection, new code"
    );
    play_in_a_browser(&play, "hi", "v2:hi").await;

    // A version that fails its first health check is refused in place.
    edit(
        &project,
        "fn on_health_check() -> bool {\n        true",
        "fn on_health_check() -> bool {\n        false",
    );
    dev.expect("the hot swap was refused", TURN).await;
    dev.expect("keeps running", TURN).await;
    player.send("kept").await;
    assert_eq!(
        player.text().await,
        "v2:kept",
        "the running version runs on"
    );

    edit(&project, "fn on_health_check()", "fn on_health_check( {");
    dev.expect("the build `cargo build", TURN).await;
    dev.expect("keeps running", TURN).await;
    player.send("still").await;
    assert_eq!(
        player.text().await,
        "v2:still",
        "the running version runs on"
    );
    player.leave().await;

    dev.interrupt().await;
    dev.expect("stopping the daemon gamehost dev started", TURN)
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_daemon_is_used_and_left_running() {
    let (_dir, project) = new_rust_project("dev-running").await;
    let token = "dev-loop-token";
    let daemon = crate::daemon_with(Some(token), &[]).await;
    let mut dev = Dev::start_with(&project, daemon.port(), Some(token));
    dev.expect("(already running)", TURN).await;
    dev.expect("fleet dev-running created", TURN).await;
    daemon.ready_game_servers("dev-running", 1).await;
    dev.interrupt().await;
    let (status, fleet) = daemon.get("/v1/fleets/dev-running").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the daemon and the fleet are left: {fleet}"
    );
}
