//! A bounded soak of the real daemon: game sessions created and ended
//! continuously, players reserving seats in them, two of them joining over
//! the WebSocket gateway, playing a move and leaving, while a game mode of
//! another fleet spins to its call deadline in its health check (every
//! second) and is replaced.
//! The daemon's resident memory and open file descriptors are sampled after
//! a warm-up and at the end, and the control plane's latency is measured
//! from this process. Runs 30 s; `GAMEHOST_SOAK_SECONDS` makes it longer.

use crate::GAMEHOST;
use gamehost_tests::daemon::{Daemon, arena_template, quiet_template};
use gamehost_tests::figures;
use gamehost_tests::players::{Player, player_session_ids};
use gamehost_tests::process::DaemonProcess;
use reqwest::StatusCode;
use serde_json::json;
use std::time::{Duration, Instant};

/// The daemon's resident memory in KiB and its open file descriptors.
fn resources(pid: u32) -> (u64, usize) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    let rss = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS");
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .expect("/proc fd")
        .count();
    (rss, fds)
}

/// The median, 99th percentile and maximum of `samples`, in milliseconds.
fn percentiles(mut samples: Vec<Duration>) -> String {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize].as_secs_f64() * 1e3;
    format!(
        "median {:.2} ms, p99 {:.2} ms, max {:.2} ms over {} requests",
        at(0.5),
        at(0.99),
        at(1.0),
        samples.len()
    )
}

/// What one soak cycle did.
#[derive(Default)]
struct Counts {
    sessions: usize,
    ended: usize,
    players: usize,
    joined: usize,
    latencies: Vec<Duration>,
}

/// One cycle: a game session on arena, three players reserving seats, two
/// of them joining over the gateway, each playing a move and leaving, a read
/// of the game servers, and the game session ended.
async fn cycle(daemon: &Daemon, n: usize, counts: &mut Counts) {
    let timed = Instant::now();
    let new = json!({"maximumPlayerSessionCount": 4});
    let (status, session) = daemon.post("/v1/fleets/arena/gamesessions", &new).await;
    counts.latencies.push(timed.elapsed());
    if status != StatusCode::CREATED {
        assert_eq!(status, StatusCode::CONFLICT, "{session}");
        tokio::time::sleep(Duration::from_millis(20)).await;
        return;
    }
    counts.sessions += 1;
    let id = session["gameSessionId"].as_str().expect("an id").to_owned();
    let players = json!({"playerIds": [format!("a{n}"), format!("b{n}"), format!("c{n}")]});
    let timed = Instant::now();
    let (status, body) = daemon
        .post(&format!("/v1/gamesessions/{id}/playersessions"), &players)
        .await;
    counts.latencies.push(timed.elapsed());
    if status == StatusCode::CREATED {
        counts.players += 3;
        for (seat, shape) in player_session_ids(&body).iter().zip(["rock", "paper"]) {
            let mut player = Player::join(daemon, seat).await;
            player.send(shape).await;
            player.leave().await;
            counts.joined += 1;
        }
    } else {
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
    }
    let timed = Instant::now();
    daemon.get_ok("/v1/gameservers?fleet=arena").await;
    counts.latencies.push(timed.elapsed());
    let timed = Instant::now();
    let (status, body) = daemon
        .post(&format!("/v1/gamesessions/{id}/terminate"), &json!({}))
        .await;
    counts.latencies.push(timed.elapsed());
    assert!(status.is_success(), "{status} {body}");
    counts.ended += 1;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_soak_keeps_memory_and_descriptors_flat() {
    let seconds: u64 = std::env::var("GAMEHOST_SOAK_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(30);
    // Its players all connect from loopback, about as fast as one address
    // may: the per-address limit is off.
    let daemon = DaemonProcess::start_with(
        GAMEHOST,
        None,
        &["--retain-ended", "200", "--attempts-per-address", "0"],
    )
    .await;
    let pid = daemon.pid().expect("the daemon runs");
    daemon
        .deploy(
            "arena",
            gamehost_guests::ARENA,
            4,
            arena_template(json!({})),
        )
        .await;
    let spinner = quiet_template(json!({
        "labels": {"fault": "loop", "fault-in": "on-health-check"},
        "healthCheck": {"disabled": false, "periodSeconds": 1, "failureThreshold": 3}
    }));
    daemon
        .deploy("spinner", gamehost_guests::FAULTS, 1, spinner)
        .await;
    daemon.ready_game_servers("arena", 4).await;

    let mut counts = Counts::default();
    let warm_up = Instant::now();
    let mut n = 0;
    while warm_up.elapsed() < Duration::from_secs(5) {
        n += 1;
        cycle(&daemon, n, &mut counts).await;
    }
    let start = resources(pid);
    let mut counts = Counts::default();
    let soak = Instant::now();
    while soak.elapsed() < Duration::from_secs(seconds) {
        n += 1;
        cycle(&daemon, n, &mut counts).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let end = resources(pid);

    let spins = daemon
        .game_servers("fleet=spinner&state=Unhealthy")
        .await
        .len();
    assert!(spins > 0, "the spinner never reached its deadline");
    assert!(counts.ended > 0, "no game session ended");
    assert!(counts.joined > 0, "no player joined");
    figures::record(
        "soak",
        &format!(
            "Soak: {seconds} s of game sessions created and ended while a guest of another fleet \
             spins to its call deadline and is replaced"
        ),
        &[
            format!(
                "{} game sessions created and ended, {} player sessions reserved, {} players joined over the gateway, played and left, {spins} spinning game servers ended (of the last 200 kept)",
                counts.sessions, counts.players, counts.joined
            ),
            format!(
                "resident memory: {} KiB after warm-up, {} KiB at the end",
                start.0, end.0
            ),
            format!(
                "open file descriptors: {} after warm-up, {} at the end",
                start.1, end.1
            ),
            format!("control plane latency: {}", percentiles(counts.latencies)),
        ],
    );
    // Generous bounds: flat means no growth with the work done.
    assert!(
        end.1 <= start.1 + 16,
        "descriptors grew: {start:?} → {end:?}"
    );
    assert!(
        end.0 <= start.0 + 64 * 1024,
        "memory grew: {start:?} → {end:?}"
    );
}
