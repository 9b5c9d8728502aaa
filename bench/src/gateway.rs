//! The players' WebSocket gateway under load: a daemon serving on loopback
//! with the `relay` test guest, players in matches of two sending echo
//! requests as fast as the answers come back.

use crate::stats::since;
use futures_util::{SinkExt, StreamExt};
use gamehost::api::{self, ApiLimits, Auth};
use gamehost_daemon::store::StoreLocation;
use gamehost_daemon::{Daemon, DaemonConfig, NewFleet, NewPlayerSessions};
use gamehost_model::{Endpoint, GameServerSpec, NewGameSession};
use gamehost_runtime::engine::EngineSettings;
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// What the gateway carried.
pub struct GatewayFigures {
    /// Players connected.
    pub players: usize,
    /// Messages the players sent.
    pub messages_in: u64,
    /// Messages queued for the players.
    pub messages_out: u64,
    /// How long the players took to send and receive them all.
    pub took: Duration,
}

impl GatewayFigures {
    /// Messages in per second.
    pub fn in_per_second(&self) -> f64 {
        self.messages_in as f64 / self.took.as_secs_f64()
    }

    /// Messages in and out per second.
    pub fn in_and_out_per_second(&self) -> f64 {
        (self.messages_in + self.messages_out) as f64 / self.took.as_secs_f64()
    }
}

/// Serves a daemon on loopback with the relay test guest, connects
/// `players` players in matches of two, and has each send `messages` echo
/// requests as fast as the answers come back.
pub async fn measure(players: usize, messages: usize) -> anyhow::Result<GatewayFigures> {
    let dir = std::env::temp_dir().join(format!("gamehost-bench-gateway-{}", std::process::id()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let daemon = relay_daemon(&dir, address, players.div_ceil(2)).await?;
    // The load generator's players send as fast as they can: no per-player
    // rate applies.
    let mut limits = ApiLimits::default();
    limits.gateway.messages_per_second = 0;
    limits.gateway.bytes_per_second = 0;
    let app = api::app(daemon.clone(), Auth::open(), limits);
    tokio::spawn(
        async move { axum::serve(gamehost_daemon::listener::no_delay(listener), app).await },
    );

    let seats = reserve_seats(&daemon, players, 2).await?;
    let mut sockets = Vec::new();
    for seat in &seats {
        let url = format!("ws://{address}/v1/play/{seat}");
        let (mut socket, _) = tokio_tungstenite::connect_async(&url).await?;
        socket.next().await.transpose()?; // the welcome
        sockets.push(socket);
    }
    let before = daemon.play_stats().snapshot();
    let started = Instant::now();
    let mut players_done = Vec::new();
    for mut socket in sockets {
        players_done.push(tokio::spawn(async move {
            for _ in 0..messages {
                socket.send(Message::text("echo hello")).await?;
                match socket.next().await {
                    Some(Ok(Message::Text(_))) => {}
                    other => anyhow::bail!("unexpected {other:?}"),
                }
            }
            anyhow::Ok(())
        }));
    }
    for done in players_done {
        done.await??;
    }
    let took = started.elapsed();
    let during = since(&daemon.play_stats().snapshot(), &before);
    daemon.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
    Ok(GatewayFigures {
        players,
        messages_in: during.messages_in,
        messages_out: during.messages_out,
        took,
    })
}

/// A daemon keeping its data in `dir`, advertising `address`, with a fleet
/// `relay` of `matches` Ready game servers of the relay guest. Its pool is no
/// larger than that needs: a measure's daemon may serve until the process
/// ends, and its pool's mappings with it.
pub(crate) async fn relay_daemon(
    dir: &std::path::Path,
    address: SocketAddr,
    matches: usize,
) -> anyhow::Result<Daemon> {
    let config = DaemonConfig {
        data_dir: dir.to_owned(),
        host_id: "bench".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: address.port(),
        },
        engine: EngineSettings {
            max_instances: u32::try_from(matches)? + 16,
            ..EngineSettings::default()
        },
        retain_ended: 1_000,
        shutdown_grace: Duration::from_secs(5),
        sdk_http: false,
        tls: false,
        store: StoreLocation::Embedded,
    };
    let daemon = Daemon::start(config).await?;
    let (module, _) = daemon
        .upload_module(
            "relay".into(),
            "1".into(),
            gamehost_guests::read(gamehost_guests::RELAY),
        )
        .await?;
    daemon
        .create_fleet(NewFleet {
            name: "relay".into(),
            module: module.id.clone(),
            replicas: u32::try_from(matches)?,
            template: GameServerSpec::default().with_health_checks_off(),
            resource_creation_limit_policy: Default::default(),
        })
        .await?;
    Ok(daemon)
}

/// Reserves `count` seats in game sessions of the fleet `relay` of
/// `per_match` players each, waiting while the fleet starts.
pub(crate) async fn reserve_seats(
    daemon: &Daemon,
    count: usize,
    per_match: usize,
) -> anyhow::Result<Vec<String>> {
    let mut seats = Vec::with_capacity(count);
    while seats.len() < count {
        let new = NewGameSession {
            maximum_player_session_count: u32::try_from(per_match)?,
            ..NewGameSession::default()
        };
        let session = match daemon.create_game_session("relay", new).await {
            Ok(session) => session,
            // The fleet is still starting its game servers.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let ids = (0..per_match).map(|n| format!("player-{n}")).collect();
        let new = NewPlayerSessions {
            player_ids: Some(ids),
            ..NewPlayerSessions::default()
        };
        for seat in daemon
            .create_player_sessions(&session.game_session_id, new)
            .await?
        {
            seats.push(seat.player_session_id);
        }
    }
    seats.truncate(count);
    Ok(seats)
}
