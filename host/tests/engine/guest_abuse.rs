//! Misuse a guest can make of the SDK, with the faults guest: huge strings
//! and lists passed to every SDK import, calls in the wrong state, and
//! reaching for another game server's game session, player sessions and
//! players. Each is refused with an error and the guest keeps running; the
//! other game server is untouched. Also the latency of a healthy game
//! server while others fault one after another around it.

use gamehost_guests::FAULTS;
use gamehost_model::{GameServerState, GameSessionStatus, PlayerSessionStatus};
use gamehost_runtime::engine::InstanceLimits;
use gamehost_runtime::supervisor::GameServerHandle;
use gamehost_tests::{
    engine, faults_spec, field, figures, host_player, lines_with, quiet_spec, start,
    start_with_limits, wait_for_end, wait_for_state, within,
};
use std::time::{Duration, Instant};

/// Waits for the probe's log line `message` and returns its `calls` and
/// `accepted` fields.
async fn tally(gs: &GameServerHandle, message: &str) -> (u32, String) {
    let line = within(message, async {
        loop {
            if let Some(line) = lines_with(gs, message).pop() {
                return line;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await;
    let calls = field(&line, "calls")
        .expect("calls")
        .parse()
        .expect("a count");
    let accepted = field(&line, "accepted").expect("accepted").to_owned();
    (calls, accepted)
}

/// Checks that the game server still runs, with no line from the host (no
/// fault).
fn assert_running(gs: &GameServerHandle, what: &str) {
    let record = gs.record();
    assert_eq!(record.process.ending, None, "{what}");
    assert!(!record.status.state.is_terminal(), "{what}");
    let host_lines = gs
        .log()
        .lines()
        .into_iter()
        .filter(|l| l.source == gamehost_runtime::sdk::LogSource::Host)
        .count();
    assert_eq!(host_lines, 0, "{what}: the guest faulted");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn huge_strings_and_lists_get_errors_not_traps() {
    // The host's work on 33 arguments of a mebibyte counts against the
    // call's deadline; an unoptimized host build needs more than 40 ms.
    let limits = InstanceLimits {
        call_deadline: Duration::from_secs(5),
        ..engine().default_limits()
    };
    let gs = start_with_limits(FAULTS, faults_spec("huge", "on-start-game-session"), limits);
    host_player(&gs, "gsess-huge", "psess-1").await;
    let (calls, accepted) = tally(&gs, "huge arguments").await;
    assert_eq!(calls, 33, "every import that takes a string or a list");
    assert_eq!(accepted, "", "calls that took a huge argument");
    assert_running(&gs, "after huge arguments");
    let huge_line = gs
        .log()
        .lines()
        .into_iter()
        .find(|l| l.message.starts_with("xxxx"))
        .expect("the huge log line, cut");
    assert_eq!(huge_line.message.len(), 8 * 1024);
    assert_eq!(huge_line.fields.len(), 32);
    figures::record(
        "guest_huge_arguments",
        "Huge arguments (1 MiB strings, 10,000-item lists) to every SDK import",
        &[format!("{calls} calls, all refused with an error, no trap")],
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_in_the_wrong_state_get_errors() {
    let gs = start(FAULTS, faults_spec("wrong-state", "on-process-start"));
    let (calls, accepted) = tally(&gs, "wrong state").await;
    assert_eq!(calls, 17);
    assert_eq!(accepted, "", "calls made in the wrong state");
    wait_for_state(&gs, GameServerState::Ready).await;
    assert_running(&gs, "after calls in the wrong state");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_game_server_cannot_reach_anothers_sessions_or_players() {
    let victim = start(FAULTS, quiet_spec());
    host_player(&victim, "gsess-victim", "psess-victim").await;
    let before = victim.record();
    let mut spec = faults_spec("trespass", "on-start-game-session");
    for (key, value) in [
        ("victim-session", "gsess-victim"),
        ("victim-player-session", "psess-victim"),
        ("victim-player", "player"),
    ] {
        spec.labels.insert(key.into(), value.into());
    }
    let trespasser = start(FAULTS, spec);
    host_player(&trespasser, "gsess-trespasser", "psess-own").await;
    let (calls, accepted) = tally(&trespasser, "trespass").await;
    assert_eq!(calls, 8);
    assert_eq!(accepted, "", "what reached the other game server");
    assert_running(&trespasser, "after trespassing");

    let after = victim.record();
    assert_eq!(
        after.object_meta.generation, before.object_meta.generation,
        "the victim changed"
    );
    let session = after.process.game_session.as_ref().expect("its session");
    assert_eq!(session.status, GameSessionStatus::Active);
    let statuses: Vec<PlayerSessionStatus> =
        victim.player_sessions().iter().map(|p| p.status).collect();
    assert_eq!(statuses, [PlayerSessionStatus::Active]);
}

/// The median, 99th percentile and maximum of `samples`, in microseconds.
fn percentiles(mut samples: Vec<Duration>) -> (u128, u128, u128) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() - 1) as f64 * q) as usize].as_micros();
    (
        at(0.5),
        at(0.99),
        samples.last().expect("samples").as_micros(),
    )
}

/// Player messages to `peer`, timed one by one: at least 200, and more
/// until `until` answers true.
async fn timed_messages(peer: &GameServerHandle, until: impl Fn() -> bool) -> Vec<Duration> {
    let mut samples = Vec::new();
    while samples.len() < 200 || !until() {
        let sent = Instant::now();
        within(
            "the peer",
            peer.player_message("psess-peer".into(), b"ping".to_vec()),
        )
        .await
        .expect("the peer answers");
        samples.push(sent.elapsed());
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    samples
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_keeps_answering_while_others_fault_around_it() {
    let peer = start(FAULTS, quiet_spec());
    host_player(&peer, "gsess-peer", "psess-peer").await;
    let quiet = percentiles(timed_messages(&peer, || true).await);

    let limits = InstanceLimits {
        memory_bytes: 16 << 20,
        ..engine().default_limits()
    };
    let faults = ["trap", "loop", "memory", "stack"];
    let rounds = 8;
    let faulting = tokio::spawn(async move {
        for _ in 0..rounds {
            let servers: Vec<GameServerHandle> = faults
                .iter()
                .map(|f| start_with_limits(FAULTS, faults_spec(f, "on-process-start"), limits))
                .collect();
            for gs in servers {
                let record = wait_for_end(&gs).await;
                assert_eq!(record.status.state, GameServerState::Unhealthy);
            }
        }
    });
    let loaded = percentiles(timed_messages(&peer, || faulting.is_finished()).await);
    faulting.await.expect("the faulting game servers");
    assert_running(&peer, "after the faults around it");

    let survived = rounds * faults.len();
    let line = |what: &str, (p50, p99, max): (u128, u128, u128)| {
        format!("{what}: median {p50} µs, p99 {p99} µs, max {max} µs")
    };
    figures::record(
        "peer_latency_under_faults",
        &format!(
            "A peer's player-message latency while {survived} game servers trap, spin to their \
             deadline, exhaust memory and overflow their stack around it"
        ),
        &[line("quiet", quiet), line("under faults", loaded)],
    );
    // A generous bound: a peer is never held up for a whole second.
    assert!(loaded.2 < 1_000_000, "the peer was held up: {loaded:?}");
}
