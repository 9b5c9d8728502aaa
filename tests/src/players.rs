//! Players of the gateway for the end-to-end tests: a WebSocket client that
//! connects with a player session id, sends and reads text messages, and
//! reads the reason its connection was closed with.

use crate::daemon::{DEADLINE, Daemon};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

/// A connected player.
pub struct Player {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// What a player reads next.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    /// A message, as text.
    Text(String),
    /// The close frame's reason.
    Closed(String),
}

impl Player {
    /// Connects to `daemon`'s gateway at `path` (`/v1/play/…`).
    pub async fn connect(daemon: &Daemon, path: &str) -> Self {
        let url = daemon.url(path).replacen("http://", "ws://", 1);
        let (socket, _) = tokio::time::timeout(DEADLINE, connect_async(&url))
            .await
            .unwrap_or_else(|_| panic!("timed out connecting to {url}"))
            .unwrap_or_else(|e| panic!("connecting to {url}: {e}"));
        Self { socket }
    }

    /// Connects with player session `id`.
    pub async fn join(daemon: &Daemon, id: &str) -> Self {
        Self::connect(daemon, &format!("/v1/play/{id}")).await
    }

    /// Sends a text message.
    pub async fn send(&mut self, text: &str) {
        self.socket
            .send(Message::text(text))
            .await
            .expect("sending a message");
    }

    /// The next message or close reason, failing the test after the
    /// deadline.
    pub async fn next(&mut self) -> Received {
        loop {
            let message = tokio::time::timeout(DEADLINE, self.socket.next())
                .await
                .expect("timed out waiting for a message");
            match message {
                Some(Ok(Message::Text(text))) => return Received::Text(text.to_string()),
                Some(Ok(Message::Binary(bytes))) => {
                    return Received::Text(String::from_utf8_lossy(&bytes).into_owned());
                }
                Some(Ok(Message::Close(frame))) => {
                    return Received::Closed(
                        frame.map(|f| f.reason.to_string()).unwrap_or_default(),
                    );
                }
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Received::Closed(format!("error: {e}")),
                None => return Received::Closed(String::new()),
            }
        }
    }

    /// The next message, which must be text.
    pub async fn text(&mut self) -> String {
        match self.next().await {
            Received::Text(text) => text,
            Received::Closed(reason) => panic!("closed ({reason}) while expecting a message"),
        }
    }

    /// Skips messages until the connection closes; returns the reason.
    pub async fn closed(&mut self) -> String {
        loop {
            if let Received::Closed(reason) = self.next().await {
                return reason;
            }
        }
    }

    /// Closes the connection from the player's side.
    pub async fn leave(mut self) {
        let _ = self.socket.close(None).await;
        while let Ok(Some(Ok(_))) = tokio::time::timeout(DEADLINE, self.socket.next()).await {}
    }
}

/// The player session ids of a create-player-sessions answer.
pub fn player_session_ids(created: &serde_json::Value) -> Vec<String> {
    created["playerSessions"]
        .as_array()
        .expect("player sessions")
        .iter()
        .map(|s| s["playerSessionId"].as_str().expect("an id").to_owned())
        .collect()
}

/// Places a game session of two seats on `fleet`, reserves one for
/// `player_id` and connects it; returns the player and its player session
/// id.
pub async fn join_a_new_match(daemon: &Daemon, fleet: &str, player_id: &str) -> (Player, String) {
    let new = serde_json::json!({"maximumPlayerSessionCount": 2});
    let (status, session) = daemon
        .post(&format!("/v1/fleets/{fleet}/gamesessions"), &new)
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{session}");
    let id = session["gameSessionId"].as_str().expect("an id");
    let seat = serde_json::json!({"playerIds": [player_id]});
    let (status, created) = daemon
        .post(&format!("/v1/gamesessions/{id}/playersessions"), &seat)
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{created}");
    let seat = player_session_ids(&created).remove(0);
    (Player::join(daemon, &seat).await, seat)
}
