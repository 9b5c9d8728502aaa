//! Players over the gateway, end to end against the real daemon: joining
//! with valid and invalid player session ids, message round trips,
//! broadcasts, order kept under a full socket, a slow reader, one that
//! reads nothing, the game loop's cadence, disconnects that complete player
//! sessions, and a guest trap while players are connected.

use gamehost_tests::daemon::{Daemon, quiet_template};
use gamehost_tests::players::{Player, Received, player_session_ids};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

/// Deploys the relay guest as fleet `relay` with `replicas` and `extra`
/// template fields, and waits for them to be Ready.
pub(crate) async fn relay(daemon: &Daemon, replicas: u32, extra: Value) {
    daemon
        .deploy(
            "relay",
            gamehost_guests::RELAY,
            replicas,
            quiet_template(extra),
        )
        .await;
    daemon.ready_game_servers("relay", replicas as usize).await;
}

/// Creates a game session for `players` on fleet `relay`; returns its id.
pub(crate) async fn game_session(daemon: &Daemon, players: u32) -> String {
    let new = json!({"maximumPlayerSessionCount": players});
    let (status, session) = daemon.post("/v1/fleets/relay/gamesessions", &new).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    session["gameSessionId"].as_str().expect("an id").to_owned()
}

/// Reserves player sessions for `players` in game session `id`; returns
/// their ids.
pub(crate) async fn seats(daemon: &Daemon, id: &str, players: &[&str]) -> Vec<String> {
    let path = format!("/v1/gamesessions/{id}/playersessions");
    let (status, created) = daemon.post(&path, &json!({"playerIds": players})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    player_session_ids(&created)
}

/// Joins with player session `id` and reads the relay's welcome.
pub(crate) async fn joined(daemon: &Daemon, id: &str) -> Player {
    let mut player = Player::join(daemon, id).await;
    assert_eq!(player.text().await, format!("welcome {id}"));
    player
}

/// Waits until player session `id` has `status`.
async fn wait_for_status(daemon: &Daemon, id: &str, status: &str) {
    daemon
        .wait_for(&format!("player session {id} {status}"), || async {
            let page = daemon
                .get_ok(&format!("/v1/playersessions?playerSessionId={id}"))
                .await;
            (page["playerSessions"][0]["status"] == status).then_some(())
        })
        .await;
}

/// The value of an unlabelled metric.
pub(crate) async fn metric(daemon: &Daemon, name: &str) -> f64 {
    let response = daemon
        .request(reqwest::Method::GET, "/metrics")
        .send()
        .await
        .expect("GET /metrics");
    let text = response.text().await.expect("the metrics");
    text.lines()
        .find_map(|line| {
            let (key, value) = line.split_once(' ')?;
            (key == name).then(|| value.parse().expect("a number"))
        })
        .unwrap_or_else(|| panic!("no metric {name} in\n{text}"))
}

#[tokio::test]
async fn players_join_with_valid_ids_and_are_refused_with_a_reason_otherwise() {
    let daemon = crate::daemon().await;
    relay(&daemon, 2, json!({"playerSessionTimeoutSeconds": 1})).await;
    let first = game_session(&daemon, 4).await;
    let second = game_session(&daemon, 4).await;
    let ids = seats(&daemon, &first, &["alice", "bob"]).await;
    let other = seats(&daemon, &second, &["carol"]).await;

    // Valid, and naming its game session: admitted, ACTIVE.
    let path = format!("/v1/play/{}?gameSessionId={first}", ids[0]);
    let mut alice = Player::connect(&daemon, &path).await;
    assert_eq!(alice.text().await, format!("welcome {}", ids[0]));
    wait_for_status(&daemon, &ids[0], "ACTIVE").await;

    // Already used: the seat is ACTIVE, not RESERVED.
    let mut again = Player::join(&daemon, &ids[0]).await;
    let reason = again.closed().await;
    assert!(reason.contains("ACTIVE, not RESERVED"), "{reason}");

    // Unknown.
    let mut stranger = Player::join(&daemon, "psess-nobody").await;
    let reason = stranger.closed().await;
    assert!(reason.contains("psess-nobody"), "{reason}");

    // Foreign: another game session's seat presented for this one.
    let path = format!("/v1/play/{}?gameSessionId={first}", other[0]);
    let mut foreign = Player::connect(&daemon, &path).await;
    let reason = foreign.closed().await;
    assert!(reason.contains("is not one of game session"), "{reason}");

    // Timed out: bob's seat expires after a second unused.
    wait_for_status(&daemon, &ids[1], "TIMEDOUT").await;
    let mut late = Player::join(&daemon, &ids[1]).await;
    let reason = late.closed().await;
    assert!(reason.contains("TIMEDOUT, not RESERVED"), "{reason}");

    // Alice is still playing.
    alice.send("echo still here").await;
    assert_eq!(alice.text().await, "still here");
}

/// Matches set up at once in each round of the test below, and its rounds.
const MATCHES_AT_ONCE: usize = 8;
const ROUNDS: usize = 25;

#[tokio::test]
async fn a_seat_is_admitted_as_soon_as_its_reservation_is_answered() {
    // Every player connects from loopback, faster than one address may.
    let daemon = crate::daemon_with(None, &["--attempts-per-address", "0"]).await;
    relay(&daemon, MATCHES_AT_ONCE as u32, json!({})).await;
    for round in 0..ROUNDS {
        daemon.ready_game_servers("relay", MATCHES_AT_ONCE).await;
        let matches = (0..MATCHES_AT_ONCE).map(|m| {
            let daemon = &daemon;
            async move {
                let id = game_session(daemon, 2).await;
                // Both players reserved at the same moment, each connecting
                // the moment its own reservation is answered.
                let join = |player: String| {
                    let id = id.clone();
                    async move {
                        let seat = seats(daemon, &id, &[&player]).await.remove(0);
                        let player = joined(daemon, &seat).await;
                        player.leave().await;
                    }
                };
                futures_util::join!(join(format!("a{round}-{m}")), join(format!("b{round}-{m}")));
            }
        });
        futures_util::future::join_all(matches).await;
    }
}

#[tokio::test]
async fn messages_round_trip_and_broadcasts_reach_every_player() {
    let daemon = crate::daemon().await;
    relay(&daemon, 1, json!({"playerCapacity": 100})).await;
    let session = game_session(&daemon, 25).await;
    let names: Vec<String> = (0..25).map(|i| format!("player-{i}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let ids = seats(&daemon, &session, &names).await;
    let mut players = Vec::new();
    for id in &ids {
        players.push(joined(&daemon, id).await);
    }

    players[3].send("echo ping").await;
    assert_eq!(players[3].text().await, "ping");
    let big = "y".repeat(60_000);
    players[3].send(&format!("echo {big}")).await;
    assert_eq!(players[3].text().await, big);

    players[0].send("all hello everyone").await;
    for player in &mut players {
        assert_eq!(player.text().await, "hello everyone");
    }
    assert_eq!(players[0].text().await, "sent 25");

    let some = format!("some {},{},psess-gone just you", ids[1], ids[2]);
    players[0].send(&some).await;
    assert_eq!(players[1].text().await, "just you");
    assert_eq!(players[2].text().await, "just you");
    assert_eq!(players[0].text().await, "sent 2");

    let messages_in = metric(&daemon, "gamehost_player_messages_in_total").await;
    let messages_out = metric(&daemon, "gamehost_player_messages_out_total").await;
    assert_eq!(messages_in, 4.0);
    // 25 welcomes, 2 echoes, 25 + 1 for the broadcast, 2 + 1 for send-many.
    assert_eq!(messages_out, 56.0);
    assert_eq!(metric(&daemon, "gamehost_player_connections").await, 25.0);
}

#[tokio::test]
async fn messages_arrive_in_order_while_the_socket_is_full() {
    // Large messages fill the socket while the player reads nothing; the
    // small ones sent next wait behind them in the player's queue.
    let daemon = crate::daemon_with(None, &["--player-queue", "1024"]).await;
    relay(&daemon, 1, json!({})).await;
    let session = game_session(&daemon, 1).await;
    let ids = seats(&daemon, &session, &["reader"]).await;
    let mut player = joined(&daemon, &ids[0]).await;
    let floods = [
        (300, 100),
        (25, 60_000),
        (25, 60_000),
        (25, 60_000),
        (25, 60_000),
        (300, 100),
    ];
    for round in 0..3 {
        for (count, size) in floods {
            player.send(&format!("flood {count} {size}")).await;
        }
        for (count, size) in floods {
            for n in 0..count {
                let message = player.text().await;
                assert_eq!(message.len(), size, "round {round}");
                assert_eq!(
                    message.trim_end_matches('x'),
                    n.to_string(),
                    "round {round}"
                );
            }
            assert_eq!(player.text().await, format!("flooded {count}: ok"));
        }
    }
}

#[tokio::test]
async fn a_message_over_64_kib_closes_the_connection() {
    let daemon = crate::daemon().await;
    relay(&daemon, 1, json!({})).await;
    let session = game_session(&daemon, 2).await;
    let ids = seats(&daemon, &session, &["alice"]).await;
    let mut alice = joined(&daemon, &ids[0]).await;
    alice.send(&"z".repeat(70_000)).await;
    assert!(matches!(alice.next().await, Received::Closed(_)));
    wait_for_status(&daemon, &ids[0], "COMPLETED").await;
}

/// A daemon whose players have queues of 4 and no byte rate, and a game
/// session of the relay with `reader` and `fast` joined: their player
/// session ids and players.
async fn one_reader_and_a_fast_player(reader: &str) -> (Daemon, Vec<String>, Player, Player) {
    let daemon = crate::daemon_with(
        None,
        &["--player-queue", "4", "--player-bytes-per-second", "0"],
    )
    .await;
    relay(&daemon, 1, json!({})).await;
    let session = game_session(&daemon, 2).await;
    let ids = seats(&daemon, &session, &[reader, "fast"]).await;
    let reader = joined(&daemon, &ids[0]).await;
    let fast = joined(&daemon, &ids[1]).await;
    (daemon, ids, reader, fast)
}

/// Has `fast` broadcast 60 KB messages, far past a player's byte rate,
/// until the other player, reading nothing, is no longer sent them: once
/// its socket's buffers and its queue are full, it is disconnected rather
/// than buffered.
async fn broadcast_until_the_other_is_dropped(fast: &mut Player) {
    let message = format!("all {}", "m".repeat(60_000));
    for _ in 0..2_000 {
        fast.send(&message).await;
        assert_eq!(fast.text().await.len(), 60_000);
        match fast.text().await.as_str() {
            "sent 2" => {}
            "sent 1" => return,
            other => panic!("unexpected {other}"),
        }
    }
    panic!("the player reading nothing was never disconnected");
}

#[tokio::test]
async fn a_slow_reader_is_disconnected_and_the_others_play_on() {
    let (daemon, ids, mut slow, mut fast) = one_reader_and_a_fast_player("slow").await;
    broadcast_until_the_other_is_dropped(&mut fast).await;
    let reason = slow.closed().await;
    assert!(reason.starts_with("too slow"), "{reason}");
    wait_for_status(&daemon, &ids[0], "COMPLETED").await;
    assert!(metric(&daemon, "gamehost_slow_players_total").await >= 1.0);
    fast.send("echo still playing").await;
    assert_eq!(fast.text().await, "still playing");
}

#[tokio::test]
async fn a_player_that_reads_nothing_is_let_go_without_its_close_frame() {
    // The stuck player never reads: once it is disconnected as too slow,
    // the close frame cannot be written, and its player session still
    // completes.
    let (daemon, ids, stuck, mut fast) = one_reader_and_a_fast_player("stuck").await;
    broadcast_until_the_other_is_dropped(&mut fast).await;
    wait_for_status(&daemon, &ids[0], "COMPLETED").await;
    drop(stuck);
}

#[tokio::test]
async fn ticks_come_at_the_fleet_tick_rate() {
    let daemon = crate::daemon().await;
    relay(&daemon, 1, json!({"tickRateHz": 20})).await;
    let session = game_session(&daemon, 2).await;
    let ids = seats(&daemon, &session, &["alice"]).await;
    let mut alice = joined(&daemon, &ids[0]).await;
    let ticks = async |alice: &mut Player| -> (u64, u64) {
        alice.send("ticks").await;
        let answer = alice.text().await;
        let mut parts = answer
            .split(' ')
            .skip(1)
            .map(|n| n.parse().expect("a number"));
        (
            parts.next().expect("a count"),
            parts.next().expect("micros"),
        )
    };
    let (count_before, micros_before) = ticks(&mut alice).await;
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (count_after, micros_after) = ticks(&mut alice).await;
    let wall = started.elapsed().as_micros() as u64;
    let count = count_after - count_before;
    // 20 Hz for a little over two seconds: 40 ticks, give or take the
    // ticks around the edges and a skipped one on a loaded machine.
    assert!((36..=44).contains(&count), "{count} ticks in {wall} µs");
    // The elapsed times the guest was given add up to the wall time.
    let given = micros_after - micros_before;
    assert!(
        given.abs_diff(wall) < 150_000,
        "{given} µs of ticks in {wall} µs"
    );
    assert!(metric(&daemon, "gamehost_tick_lateness_seconds_count").await >= count as f64);
}

#[tokio::test]
async fn a_player_leaving_or_kicked_completes_the_player_session() {
    let daemon = crate::daemon().await;
    relay(&daemon, 1, json!({})).await;
    let session = game_session(&daemon, 2).await;
    let ids = seats(&daemon, &session, &["alice", "bob"]).await;
    let alice = joined(&daemon, &ids[0]).await;
    let mut bob = joined(&daemon, &ids[1]).await;

    alice.leave().await;
    wait_for_status(&daemon, &ids[0], "COMPLETED").await;

    bob.send("kick see you").await;
    assert_eq!(bob.closed().await, "see you");
    wait_for_status(&daemon, &ids[1], "COMPLETED").await;
    assert_eq!(metric(&daemon, "gamehost_player_connections").await, 0.0);
}

#[tokio::test]
async fn a_message_the_game_server_refuses_disconnects_its_player_with_the_reason() {
    let daemon = crate::daemon().await;
    relay(&daemon, 1, json!({})).await;
    let session = game_session(&daemon, 2).await;
    let ids = seats(&daemon, &session, &["alice", "bob"]).await;
    let mut alice = joined(&daemon, &ids[0]).await;
    let mut bob = joined(&daemon, &ids[1]).await;

    alice.send("complete").await;
    assert_eq!(alice.text().await, "completed");
    alice.send("echo anyone?").await;
    let reason = alice.closed().await;
    assert!(reason.contains("COMPLETED, not ACTIVE"), "{reason}");
    bob.send("echo still here").await;
    assert_eq!(bob.text().await, "still here");
}

#[tokio::test]
async fn a_guest_trap_disconnects_its_players_with_the_reason_and_no_others() {
    let daemon = crate::daemon().await;
    relay(&daemon, 2, json!({})).await;
    let doomed = game_session(&daemon, 2).await;
    let healthy = game_session(&daemon, 2).await;
    let doomed_ids = seats(&daemon, &doomed, &["alice", "bob"]).await;
    let healthy_ids = seats(&daemon, &healthy, &["carol"]).await;
    let mut alice = joined(&daemon, &doomed_ids[0]).await;
    let mut bob = joined(&daemon, &doomed_ids[1]).await;
    let mut carol = joined(&daemon, &healthy_ids[0]).await;

    alice.send("trap").await;
    for player in [&mut alice, &mut bob] {
        let reason = player.closed().await;
        assert!(reason.contains("the game server ended"), "{reason}");
        assert!(reason.contains("trap"), "{reason}");
    }
    carol.send("echo unaffected").await;
    assert_eq!(carol.text().await, "unaffected");
    let session = daemon.get_ok(&format!("/v1/gamesessions/{healthy}")).await;
    assert_eq!(session["status"], "ACTIVE", "{session}");
}

#[tokio::test]
async fn the_gateway_needs_no_operator_token_and_bounds_connections() {
    let daemon = crate::daemon_with(
        Some("s3cret"),
        &[
            "--max-connections",
            "1",
            "--max-players-per-game-server",
            "1",
        ],
    )
    .await;
    relay(&daemon, 1, json!({})).await;
    let session = game_session(&daemon, 3).await;
    let ids = seats(&daemon, &session, &["alice", "bob"]).await;
    let alice = joined(&daemon, &ids[0]).await;
    let mut bob = Player::join(&daemon, &ids[1]).await;
    let reason = bob.closed().await;
    assert!(reason.contains("its limit"), "{reason}");
    alice.leave().await;
    wait_for_status(&daemon, &ids[0], "COMPLETED").await;
    let bob = joined(&daemon, &ids[1]).await;
    bob.leave().await;
}
