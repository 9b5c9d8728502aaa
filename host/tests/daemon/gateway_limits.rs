//! The gateway's limits on strangers, against the real daemon: connection
//! attempts and open connections per source address (answered 429), and
//! messages and bytes per player (the player is disconnected, told why).

use crate::gateway::{game_session, joined, metric, relay, seats};
use futures_util::StreamExt;
use gamehost_tests::daemon::Daemon;
use serde_json::json;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};

/// Opens a WebSocket to the gateway; the HTTP status when it is refused
/// before the upgrade.
async fn attempt(daemon: &Daemon, path: &str) -> Result<(), u16> {
    let url = daemon.url(path).replacen("http://", "ws://", 1);
    match tokio_tungstenite::connect_async(&url).await {
        Ok(_) => Ok(()),
        Err(WsError::Http(response)) => Err(response.status().as_u16()),
        Err(other) => panic!("connecting to {url}: {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_is_held_to_its_attempts_a_second() {
    let daemon = crate::daemon_with(None, &["--attempts-per-address", "3"]).await;
    let mut outcomes = Vec::new();
    for _ in 0..5 {
        outcomes.push(attempt(&daemon, "/v1/play/psess-nobody").await);
    }
    assert_eq!(outcomes[..3], [Ok(()), Ok(()), Ok(())], "{outcomes:?}");
    assert!(outcomes[3..].iter().all(|o| *o == Err(429)), "{outcomes:?}");
    let refused = metric(&daemon, "gamehost_refused_connection_attempts_total").await;
    assert_eq!(refused, 2.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_address_is_held_to_its_open_connections() {
    let daemon = crate::daemon_with(None, &["--connections-per-address", "1"]).await;
    relay(&daemon, 1, json!({})).await;
    let id = game_session(&daemon, 2).await;
    let ids = seats(&daemon, &id, &["alice", "bob"]).await;
    let alice = joined(&daemon, &ids[0]).await;
    assert_eq!(
        attempt(&daemon, &format!("/v1/play/{}", ids[1])).await,
        Err(429)
    );
    alice.leave().await;
    // Alice's connection is given back once the host has seen her go.
    let url = daemon
        .url(&format!("/v1/play/{}", ids[1]))
        .replacen("http://", "ws://", 1);
    let welcome = daemon
        .wait_for("alice's connection to be given back", || async {
            let (mut bob, _) = tokio_tungstenite::connect_async(&url).await.ok()?;
            match bob.next().await {
                Some(Ok(Message::Text(text))) => Some(text.to_string()),
                other => panic!("expected a welcome, got {other:?}"),
            }
        })
        .await;
    assert_eq!(welcome, format!("welcome {}", ids[1]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_player_past_its_rates_is_disconnected_with_the_reason() {
    let daemon = crate::daemon_with(
        None,
        &[
            "--player-messages-per-second",
            "5",
            "--player-bytes-per-second",
            "4096",
        ],
    )
    .await;
    relay(&daemon, 1, json!({})).await;
    let id = game_session(&daemon, 2).await;
    let ids = seats(&daemon, &id, &["chatty", "bulky"]).await;
    let mut chatty = joined(&daemon, &ids[0]).await;
    for n in 0..20 {
        chatty.send(&format!("m{n}")).await;
    }
    let reason = chatty.closed().await;
    assert_eq!(reason, "sent more than 5 messages a second, the limit");
    let mut bulky = joined(&daemon, &ids[1]).await;
    bulky.send(&"x".repeat(5_000)).await;
    let reason = bulky.closed().await;
    assert_eq!(reason, "sent more than 4096 bytes a second, the limit");
    let flooding = metric(&daemon, "gamehost_flooding_players_total").await;
    assert_eq!(flooding, 2.0);
}
