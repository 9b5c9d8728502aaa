//! The players' WebSocket route, `GET /v1/play/{playerSessionId}`: one task
//! per connection relays the player's messages to the game server and the
//! game server's to the player, until either side closes.

use super::GatewayLimits;
use super::client;
use super::limits::{Addresses, PlayerRates, Refusal};
use axum::Router;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use bytes::Bytes;
use futures_util::SinkExt;
use gamehost_daemon::Daemon;
use gamehost_runtime::players::{
    CloseSignal, MAX_CLOSE_REASON_BYTES, MAX_MESSAGE_BYTES, Outgoing, PlayStats, PlayerEnd,
    PlayerLink, TOO_SLOW,
};
use gamehost_runtime::supervisor::{CommandError, GameServerHandle};
use serde::Deserialize;
use std::collections::HashMap;
use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, mpsc};
use tokio::time::timeout;

/// How long writing one message to a player may take before the player is
/// disconnected as too slow.
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a close frame may take to write: a player too slow to read
/// its messages is not waited for again.
const CLOSE_TIMEOUT: Duration = Duration::from_secs(1);

/// What a connection's read buffer starts at, in bytes: it grows on demand
/// to the message being read (at most [`MAX_MESSAGE_BYTES`]), so an idle
/// player costs a kibibyte here rather than WebSocket's default of 128 KiB.
const READ_BUFFER_BYTES: usize = 1024;
/// Most messages of one player handed to the game mode and not yet handled:
/// a player who sends faster waits, and so stops being read.
const MESSAGES_IN_FLIGHT: usize = 8;
/// Most messages written to a player before one flush.
const WRITE_BATCH: usize = 16;

/// The gateway's shared state; cheap to clone.
#[derive(Clone)]
pub struct Gateway(Arc<Inner>);

struct Inner {
    daemon: Daemon,
    limits: GatewayLimits,
    connections: Arc<Semaphore>,
    seats: Mutex<HashMap<String, usize>>,
    addresses: Mutex<Addresses>,
    stats: PlayStats,
}

/// The gateway's routes over `daemon`: the WebSocket and the browser client.
pub fn router(daemon: Daemon, limits: GatewayLimits) -> Router {
    let stats = daemon.play_stats().clone();
    let gateway = Gateway(Arc::new(Inner {
        daemon,
        limits,
        connections: Arc::new(Semaphore::new(limits.max_connections)),
        seats: Mutex::default(),
        addresses: Mutex::default(),
        stats,
    }));
    Router::new()
        .route("/v1/play/{player_session_id}", get(play))
        .merge(client::routes())
        .with_state(gateway)
}

/// The optional query of the play route.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlayQuery {
    /// The game session the player expects to join.
    game_session_id: Option<String>,
}

/// The address a connection comes from, when the server knows it.
struct Peer(Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<ConnectInfo<SocketAddr>>();
        Ok(Self(info.map(|ConnectInfo(address)| address.ip())))
    }
}

/// A connection counted against its source address, given back when the
/// connection ends.
struct FromAddress {
    gateway: Gateway,
    address: IpAddr,
}

impl Drop for FromAddress {
    fn drop(&mut self) {
        let mut addresses = self.gateway.0.addresses.lock().expect("lock");
        addresses.close(self.address, Instant::now());
    }
}

async fn play(
    State(gateway): State<Gateway>,
    Peer(peer): Peer,
    Path(player_session_id): Path<String>,
    Query(query): Query<PlayQuery>,
    upgrade: WebSocketUpgrade,
) -> Response {
    let counted = match peer {
        Some(address) => match gateway.count(address) {
            Ok(counted) => Some(counted),
            Err(refusal) => {
                let mut response =
                    (StatusCode::TOO_MANY_REQUESTS, refusal.reason()).into_response();
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
                return response;
            }
        },
        None => None,
    };
    upgrade
        .read_buffer_size(READ_BUFFER_BYTES)
        .max_message_size(MAX_MESSAGE_BYTES)
        .max_frame_size(MAX_MESSAGE_BYTES)
        .on_upgrade(move |socket| async move {
            gateway
                .serve(socket, player_session_id, query.game_session_id)
                .await;
            drop(counted);
        })
}

/// A player's place on a game server, given back when the connection ends.
struct Seat {
    gateway: Gateway,
    game_server: String,
    _permit: OwnedSemaphorePermit,
}

impl Drop for Seat {
    fn drop(&mut self) {
        let mut seats = self.gateway.0.seats.lock().expect("lock");
        if let Some(count) = seats.get_mut(&self.game_server) {
            *count -= 1;
            if *count == 0 {
                seats.remove(&self.game_server);
            }
        }
        self.gateway.0.stats.connections(-1);
    }
}

impl Gateway {
    /// Counts a connection attempt from `address`, or says which limit it
    /// is past.
    fn count(&self, address: IpAddr) -> Result<FromAddress, Refusal> {
        let limits = &self.0.limits;
        let opened = self.0.addresses.lock().expect("lock").open(
            address,
            Instant::now(),
            limits.attempts_per_address,
            limits.connections_per_address,
        );
        match opened {
            Ok(()) => Ok(FromAddress {
                gateway: self.clone(),
                address,
            }),
            Err(refusal) => {
                self.0.stats.refused_attempt();
                Err(refusal)
            }
        }
    }

    async fn serve(self, mut socket: WebSocket, id: String, game_session_id: Option<String>) {
        let (handle, seat) = match self.admit(&id, game_session_id.as_deref()) {
            Ok(admitted) => admitted,
            Err((code, reason)) => return close(&mut socket, code, &reason).await,
        };
        let (link, end) = PlayerLink::new(self.0.limits.outbound_queue);
        if let Err(error) = handle.player_connect(id.clone(), link).await {
            let code = match error {
                CommandError::Faulted(_) | CommandError::Ended(_) => close_code::AWAY,
                CommandError::Rejected(_) | CommandError::Refused(_) => close_code::POLICY,
            };
            return close(&mut socket, code, &error.to_string()).await;
        }
        let (code, reason) = self.relay(&mut socket, end, &handle, &id).await;
        if let Some(reason) = reason {
            close(&mut socket, code, &reason).await;
        }
        // The player has gone, whoever closed: its seat is free, and the game
        // mode hears of it.
        drop(seat);
        let _ = handle.player_disconnect(id).await;
    }

    /// Finds the game server holding player session `id` and takes a
    /// connection and a seat on it, or says why not.
    fn admit(
        &self,
        id: &str,
        game_session_id: Option<&str>,
    ) -> Result<(GameServerHandle, Seat), (u16, String)> {
        let permit = self
            .0
            .connections
            .clone()
            .try_acquire_owned()
            .map_err(|_| {
                (
                    close_code::AGAIN,
                    format!(
                        "the host has {} players connected, its limit",
                        self.0.limits.max_connections
                    ),
                )
            })?;
        let handle = self
            .0
            .daemon
            .player_session_host(id, game_session_id)
            .map_err(|e| (close_code::POLICY, e.to_string()))?;
        let game_server = handle.name().to_owned();
        {
            let mut seats = self.0.seats.lock().expect("lock");
            let taken = seats.entry(game_server.clone()).or_insert(0);
            let limit = self.0.limits.max_players_per_game_server;
            if *taken >= limit {
                return Err((
                    close_code::AGAIN,
                    format!("game server {game_server} has {limit} players connected, its limit"),
                ));
            }
            *taken += 1;
        }
        self.0.stats.connections(1);
        let seat = Seat {
            gateway: self.clone(),
            game_server,
            _permit: permit,
        };
        Ok((handle, seat))
    }

    /// Carries messages both ways until one side closes; returns the close
    /// code and reason to send, if the host is the one closing.
    async fn relay(
        &self,
        socket: &mut WebSocket,
        end: PlayerEnd,
        handle: &GameServerHandle,
        id: &str,
    ) -> (u16, Option<String>) {
        let PlayerEnd {
            mut outbound,
            close,
        } = end;
        // One wait for the host closing the connection, kept across turns of
        // the loop rather than made anew for each message.
        let closed = close.given();
        tokio::pin!(closed);
        let window = Arc::new(Semaphore::new(MESSAGES_IN_FLIGHT));
        let limits = &self.0.limits;
        let id: Arc<str> = Arc::from(id);
        let mut rates = PlayerRates::new(
            limits.messages_per_second,
            limits.bytes_per_second,
            Instant::now(),
        );
        loop {
            tokio::select! {
                incoming = socket.recv() => {
                    let message = match incoming {
                        Some(Ok(Message::Text(text))) => Bytes::from(text),
                        Some(Ok(Message::Binary(bytes))) => bytes,
                        Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
                        Some(Ok(Message::Close(_)) | Err(_)) | None => {
                            return (close_code::NORMAL, None);
                        }
                    };
                    self.0.stats.message_in();
                    if !rates.unlimited() && let Err(reason) = rates.take(message.len(), Instant::now()) {
                        self.0.stats.flooding_player();
                        return (close_code::POLICY, Some(reason));
                    }
                    let permit = window.clone().acquire_owned().await.expect("never closed");
                    let relayed = handle.relay_player_message(id.clone(), message, permit);
                    if let Err(error) = relayed.await {
                        // The host's reason, when it closed the connection.
                        let reason = close.reason();
                        return (close_code::AWAY, Some(reason.unwrap_or_else(|| error.to_string())));
                    }
                }
                outgoing = outbound.recv() => match outgoing {
                    Some(message) => {
                        match in_time(write_queued(socket, message, &mut outbound)).await {
                            Some(Ok(())) => {}
                            Some(Err(_)) => return (close_code::NORMAL, None),
                            None => {
                                self.0.stats.slow_player();
                                return (close_code::POLICY, Some(TOO_SLOW.to_owned()));
                            }
                        }
                    }
                    None => return (close_code::AWAY, Some(closed_reason(&close))),
                },
                () = &mut closed => {
                    let reason = closed_reason(&close);
                    if reason != TOO_SLOW {
                        // What the game mode sent before closing still arrives.
                        while let Ok(message) = outbound.try_recv() {
                            let sent = timeout(WRITE_TIMEOUT, socket.send(frame(message))).await;
                            if !matches!(sent, Ok(Ok(()))) {
                                break;
                            }
                        }
                    }
                    let code = if reason == TOO_SLOW { close_code::POLICY } else { close_code::NORMAL };
                    return (code, Some(reason));
                }
            }
        }
    }
}

/// Writes `first` and the messages queued behind it (at most
/// [`WRITE_BATCH`] in all) to `socket`, flushing once: a player who falls
/// behind is caught up in fewer writes.
async fn write_queued(
    socket: &mut WebSocket,
    first: Outgoing,
    queue: &mut mpsc::Receiver<Outgoing>,
) -> Result<(), axum::Error> {
    socket.feed(frame(first)).await?;
    for _ in 1..WRITE_BATCH {
        match queue.try_recv() {
            Ok(message) => socket.feed(frame(message)).await?,
            Err(_) => break,
        }
    }
    socket.flush().await
}

/// Runs `write` until it is done or [`WRITE_TIMEOUT`] has passed (`None`);
/// the timer starts only when the write does not finish at once, which it
/// nearly always does.
async fn in_time<T>(write: impl Future<Output = T>) -> Option<T> {
    let mut write = pin!(write);
    if let Poll::Ready(done) = futures_util::poll!(write.as_mut()) {
        return Some(done);
    }
    timeout(WRITE_TIMEOUT, write).await.ok()
}

/// Why the host closed a player's connection.
fn closed_reason(close: &CloseSignal) -> String {
    close
        .reason()
        .unwrap_or_else(|| "the game server ended".to_owned())
}

/// A text frame for UTF-8, a binary one otherwise.
fn frame(message: Outgoing) -> Message {
    let message = Arc::unwrap_or_clone(message);
    match Utf8Bytes::try_from(message.clone()) {
        Ok(text) => Message::Text(text),
        Err(_) => Message::Binary(message),
    }
}

/// Closes `socket` with `code` and `reason`, cut to WebSocket's limit; a
/// player that does not take the close frame within [`CLOSE_TIMEOUT`] is
/// let go without it.
async fn close(socket: &mut WebSocket, code: u16, reason: &str) {
    let mut end = reason.len().min(MAX_CLOSE_REASON_BYTES);
    while !reason.is_char_boundary(end) {
        end -= 1;
    }
    let frame = CloseFrame {
        code,
        reason: reason[..end].into(),
    };
    let _ = timeout(CLOSE_TIMEOUT, socket.send(Message::Close(Some(frame)))).await;
}
