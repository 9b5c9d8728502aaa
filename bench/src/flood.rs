//! The players' gateway under a flood: players of the relay test guest
//! time echo round trips while, from other loopback addresses, a client
//! makes thousands of connection attempts, sends garbage instead of HTTP,
//! and joins with valid seats only to send oversized frames or more
//! messages a second than allowed. The daemon serves with its default
//! limits; quiet and flooded windows alternate, so a shared machine's load
//! changes stay out of the comparison.

use crate::gateway::{relay_daemon, reserve_seats};
use crate::stats::Spread;
use futures_util::{SinkExt, StreamExt};
use gamehost::api::{self, ApiLimits, Auth};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio_tungstenite::tungstenite::Message;

/// The target: under the flood, the players' p99 within twice the quiet one.
pub const FLOODED_P99_WITHIN: f64 = 2.0;
/// The address the connection attempts come from.
const ATTEMPTS_FROM: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 2);
/// The address the garbage and the abusive players come from.
const ABUSE_FROM: Ipv4Addr = Ipv4Addr::new(127, 0, 0, 3);
/// Connection attempts in flight at once.
const ATTEMPTS_AT_ONCE: usize = 8;
/// Seats the abusive players join with, in matches of ten.
const ABUSIVE_SEATS: usize = 40;
/// The pause between a player's round trips.
const PLAYER_PAUSE: Duration = Duration::from_millis(10);

/// What the flood measured.
pub struct FloodFigures {
    /// Players timing round trips.
    pub players: usize,
    /// Their round trips with no flood.
    pub quiet: Spread,
    /// Their round trips under the flood.
    pub flooded: Spread,
    /// Connection attempts the flood made.
    pub attempts: u64,
    /// Of those, refused with 429 by the address's limits.
    pub refused: u64,
    /// Connections that sent garbage instead of a request.
    pub garbage: u64,
    /// Abusive players admitted, then disconnected for what they sent.
    pub abusive_disconnected: u64,
    /// Panics anywhere in the process while it ran.
    pub panics: u64,
}

impl FloodFigures {
    /// How many times the quiet p99 the flooded one is.
    pub fn p99_ratio(&self) -> f64 {
        self.flooded.p99.as_secs_f64() / self.quiet.p99.as_secs_f64()
    }

    /// Whether the flooded p99 stays within [`FLOODED_P99_WITHIN`] of quiet.
    pub fn met(&self) -> bool {
        self.p99_ratio() <= FLOODED_P99_WITHIN
    }
}

/// What the flooding tasks count.
#[derive(Default)]
struct Counts {
    attempts: AtomicU64,
    refused: AtomicU64,
    garbage: AtomicU64,
    abusive_disconnected: AtomicU64,
}

/// Serves a daemon with its default limits, seats `players` players in
/// matches of two, and times their round trips over `rounds` quiet and
/// flooded windows of `window` each.
pub async fn measure(
    players: usize,
    rounds: usize,
    window: Duration,
) -> anyhow::Result<FloodFigures> {
    let panics = Arc::new(AtomicU64::new(0));
    let counted = panics.clone();
    let previous_hook = Arc::new(std::panic::take_hook());
    let hook = previous_hook.clone();
    std::panic::set_hook(Box::new(move |info| {
        counted.fetch_add(1, Ordering::Relaxed);
        hook(info);
    }));
    let result = run(players, rounds, window).await;
    let _ = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| previous_hook(info)));
    let mut figures = result?;
    figures.panics = panics.load(Ordering::Relaxed);
    Ok(figures)
}

async fn run(players: usize, rounds: usize, window: Duration) -> anyhow::Result<FloodFigures> {
    let dir = std::env::temp_dir().join(format!("gamehost-bench-flood-{}", std::process::id()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let daemon = relay_daemon(&dir, address, players.div_ceil(2) + ABUSIVE_SEATS / 10).await?;
    let app = api::app(daemon.clone(), Auth::open(), ApiLimits::default());
    let (stop_serving, serving_stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(gamehost::server::serve(
        gamehost_daemon::listener::no_delay(listener),
        app,
        async move {
            let _ = serving_stopped.await;
        },
    ));
    let seats = reserve_seats(&daemon, players, 2).await?;
    let abusive = reserve_seats(&daemon, ABUSIVE_SEATS, 10).await?;

    let flooding = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let mut timers = Vec::new();
    for seat in seats {
        let mut socket = connect_player(address, &seat, None).await?;
        let (flooding, stop) = (flooding.clone(), stop.clone());
        timers.push(tokio::spawn(async move {
            let (mut quiet, mut flooded) = (Vec::new(), Vec::new());
            while !stop.load(Ordering::Relaxed) {
                let during = flooding.load(Ordering::Relaxed);
                let sent = Instant::now();
                socket.send(Message::text("echo ping")).await?;
                match socket.next().await {
                    Some(Ok(Message::Text(_))) => {}
                    other => anyhow::bail!("a player's echo: {other:?}"),
                }
                if during == flooding.load(Ordering::Relaxed) {
                    let took = sent.elapsed();
                    if during { &mut flooded } else { &mut quiet }.push(took);
                }
                tokio::time::sleep(PLAYER_PAUSE).await;
            }
            anyhow::Ok((quiet, flooded))
        }));
    }

    let counts = Arc::new(Counts::default());
    let mut abusive = abusive.into_iter();
    for _ in 0..rounds {
        tokio::time::sleep(window).await;
        flooding.store(true, Ordering::Relaxed);
        let until = Instant::now() + window;
        let per_round = ABUSIVE_SEATS / rounds.max(1);
        let seats: Vec<String> = abusive.by_ref().take(per_round).collect();
        flood(address, until, seats, &counts).await;
        flooding.store(false, Ordering::Relaxed);
    }
    tokio::time::sleep(window).await;
    stop.store(true, Ordering::Relaxed);
    let (mut quiet, mut flooded) = (Vec::new(), Vec::new());
    for timer in timers {
        let (q, f) = timer.await??;
        quiet.extend(q);
        flooded.extend(f);
    }
    daemon.shutdown().await;
    // The engine and its pool go with the last handle to the daemon.
    let _ = stop_serving.send(());
    let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
    drop(daemon);
    let _ = std::fs::remove_dir_all(dir);
    Ok(FloodFigures {
        players,
        quiet: Spread::of(quiet),
        flooded: Spread::of(flooded),
        attempts: counts.attempts.load(Ordering::Relaxed),
        refused: counts.refused.load(Ordering::Relaxed),
        garbage: counts.garbage.load(Ordering::Relaxed),
        abusive_disconnected: counts.abusive_disconnected.load(Ordering::Relaxed),
        panics: 0,
    })
}

type Socket = tokio_tungstenite::WebSocketStream<TcpStream>;

/// Connects a player to `seat` from `from` (or the default address), past
/// its welcome.
async fn connect_player(
    server: SocketAddr,
    seat: &str,
    from: Option<Ipv4Addr>,
) -> anyhow::Result<Socket> {
    let stream = connect_from(server, from).await?;
    let url = format!("ws://{server}/v1/play/{seat}");
    let (mut socket, _) = tokio_tungstenite::client_async(url, stream).await?;
    socket.next().await.transpose()?;
    Ok(socket)
}

async fn connect_from(server: SocketAddr, from: Option<Ipv4Addr>) -> std::io::Result<TcpStream> {
    let socket = TcpSocket::new_v4()?;
    if let Some(from) = from {
        socket.bind(SocketAddr::new(IpAddr::V4(from), 0))?;
    }
    socket.connect(server).await
}

/// Floods the gateway until `until`: connection attempts, garbage and the
/// abusive players with `seats`.
async fn flood(server: SocketAddr, until: Instant, seats: Vec<String>, counts: &Arc<Counts>) {
    let mut tasks = Vec::new();
    for _ in 0..ATTEMPTS_AT_ONCE {
        let counts = counts.clone();
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                attempt(server, &counts).await;
            }
        }));
    }
    let garbage_counts = counts.clone();
    tasks.push(tokio::spawn(async move {
        while Instant::now() < until {
            send_garbage(server, &garbage_counts).await;
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }));
    let pause = until
        .saturating_duration_since(Instant::now())
        .checked_div(u32::try_from(seats.len().max(1)).unwrap_or(1))
        .unwrap_or_default();
    let abusive_counts = counts.clone();
    tasks.push(tokio::spawn(async move {
        for (n, seat) in seats.iter().enumerate() {
            if abuse(server, seat, n % 2 == 0).await {
                abusive_counts
                    .abusive_disconnected
                    .fetch_add(1, Ordering::Relaxed);
            }
            tokio::time::sleep(pause).await;
        }
    }));
    for task in tasks {
        let _ = task.await;
    }
}

/// One connection attempt for a seat nobody holds; counts a 429.
async fn attempt(server: SocketAddr, counts: &Counts) {
    counts.attempts.fetch_add(1, Ordering::Relaxed);
    let Ok(mut stream) = connect_from(server, Some(ATTEMPTS_FROM)).await else {
        return;
    };
    let request = format!(
        "GET /v1/play/psess-nobody HTTP/1.1\r\nHost: {server}\r\nUpgrade: websocket\r\n\
         Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\
         Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).await.is_err() {
        return;
    }
    let mut head = [0u8; 12];
    if stream.read_exact(&mut head).await.is_ok() && head.ends_with(b"429") {
        counts.refused.fetch_add(1, Ordering::Relaxed);
    }
}

/// Bytes that are not HTTP, then waits for the server to close.
async fn send_garbage(server: SocketAddr, counts: &Counts) {
    let Ok(mut stream) = connect_from(server, Some(ABUSE_FROM)).await else {
        return;
    };
    counts.garbage.fetch_add(1, Ordering::Relaxed);
    let garbage: Vec<u8> = (0..4096u32)
        .map(|n| (n.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let _ = stream.write_all(&garbage).await;
    let mut sink = [0u8; 1024];
    let _ = tokio::time::timeout(Duration::from_secs(1), stream.read(&mut sink)).await;
}

/// Joins with `seat` and sends an oversized message (`oversized`) or more
/// messages than a player may; returns whether the gateway disconnected
/// the player for it.
async fn abuse(server: SocketAddr, seat: &str, oversized: bool) -> bool {
    let Ok(mut socket) = connect_player(server, seat, Some(ABUSE_FROM)).await else {
        return false;
    };
    if oversized {
        let _ = socket.send(Message::binary(vec![0xA5u8; 1 << 20])).await;
    } else {
        for _ in 0..1_000 {
            if socket
                .send(Message::binary(vec![0xFFu8; 512]))
                .await
                .is_err()
            {
                break;
            }
        }
    }
    let closed = async {
        while let Some(message) = socket.next().await {
            match message {
                Ok(Message::Close(_)) | Err(_) => return true,
                Ok(_) => {}
            }
        }
        true
    };
    tokio::time::timeout(Duration::from_secs(2), closed)
        .await
        .unwrap_or(false)
}
