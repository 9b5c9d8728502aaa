//! Players and game loops: many matches ticking at 30 Hz on this machine,
//! with how late their ticks start (p50/p99 against the 5 ms target), and
//! messages per second through the WebSocket gateway of a daemon serving on
//! loopback.
//!
//! Run with `cargo bench -p gamehost --bench play`; `-- --quick` for a
//! shorter run, `-- --matches N` for another number of matches.

use futures_util::{SinkExt, StreamExt};
use gamehost::api::{self, ApiLimits, Auth};
use gamehost::daemon::{Daemon, DaemonConfig, NewFleet, NewPlayerSessions};
use gamehost::engine::{EngineSettings, GameEngine};
use gamehost::gateway::PlaySnapshot;
use gamehost::model::{
    CounterSpec, Endpoint, GameServerSpec, GameServerState, Identity, ListSpec, NewGameSession,
};
use gamehost::supervisor::{self, RuntimeClock};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;

/// The tick rate of the matches.
const TICK_RATE_HZ: u32 = 30;
/// The target for tick lateness at the 99th percentile.
const LATENESS_P99_TARGET: Duration = Duration::from_millis(5);

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let quick = args.iter().any(|a| a == "--quick");
    let matches = args
        .iter()
        .position(|a| a == "--matches")
        .and_then(|i| args.get(i + 1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(5_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let window = Duration::from_secs(if quick { 3 } else { 10 });
    runtime.block_on(ticks(matches, window))?;
    let (players, messages) = if quick { (20, 200) } else { (100, 1_000) };
    runtime.block_on(gateway(players, messages))?;
    Ok(())
}

/// Starts `matches` game servers of the example game mode ticking at 30 Hz
/// and measures their ticks over `window`.
async fn ticks(matches: u64, window: Duration) -> anyhow::Result<()> {
    let settings = EngineSettings {
        max_instances: u32::try_from(matches)?.max(16),
        ..EngineSettings::default()
    };
    let engine = GameEngine::new(settings, None)?;
    let mode = engine.load(&gamehost_guests::read(gamehost_guests::ARENA))?;
    // The example game mode's template, without health checks.
    let spec = Arc::new(
        GameServerSpec {
            counters: [("rounds".to_owned(), CounterSpec::default())].into(),
            lists: [("players".to_owned(), ListSpec::default())].into(),
            player_capacity: 100,
            tick_rate_hz: Some(TICK_RATE_HZ),
            ..GameServerSpec::default()
        }
        .with_health_checks_off(),
    );
    let clock = RuntimeClock::new();
    let started = Instant::now();
    let mut handles = Vec::new();
    for n in 0..matches {
        let (handle, _) = supervisor::spawn(
            mode.clone(),
            identity(n),
            spec.clone(),
            engine.default_limits(),
            clock,
        );
        handles.push(handle);
    }
    for handle in &handles {
        let record = handle
            .wait_for(|r| r.status.state == GameServerState::Ready)
            .await;
        anyhow::ensure!(
            record.status.state == GameServerState::Ready,
            "a game server did not become Ready: {:?}",
            record.process.ending
        );
    }
    println!(
        "{matches} matches of arena started in {:.2?}; ticking at {TICK_RATE_HZ} Hz",
        started.elapsed()
    );
    // Let the loops settle, then measure a window.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let stats = engine.play_stats();
    let before = stats.snapshot();
    tokio::time::sleep(window).await;
    let during = since(&stats.snapshot(), &before);
    let expected = matches as f64 * f64::from(TICK_RATE_HZ) * window.as_secs_f64();
    let quantile = |q| {
        during
            .lateness_quantile(q)
            .map_or("over 1 s".to_owned(), |d| format!("≤ {d:?}"))
    };
    println!(
        "ticks: {} in {window:?} ({:.0}/s, {:.1}% of the {expected:.0} due), overruns {}",
        during.ticks,
        during.ticks as f64 / window.as_secs_f64(),
        100.0 * during.ticks as f64 / expected,
        during.tick_overruns
    );
    let p99 = during.lateness_quantile(0.99);
    let verdict = match p99 {
        Some(p99) if p99 <= LATENESS_P99_TARGET => "met",
        _ => "MISSED",
    };
    println!(
        "tick lateness: p50 {}, p99 {} (target p99 ≤ {LATENESS_P99_TARGET:?}: {verdict})",
        quantile(0.5),
        quantile(0.99)
    );
    for handle in &handles {
        let _ = handle.stop("the benchmark is over").await;
    }
    Ok(())
}

/// The identity of the `n`th game server.
fn identity(n: u64) -> Identity {
    Identity {
        name: format!("match-{n}"),
        fleet: "arena".into(),
        uid: n.to_string(),
        host_id: "bench-host".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    }
}

/// What happened between two snapshots.
fn since(now: &PlaySnapshot, before: &PlaySnapshot) -> PlaySnapshot {
    PlaySnapshot {
        connections: now.connections,
        messages_in: now.messages_in - before.messages_in,
        messages_out: now.messages_out - before.messages_out,
        slow_players: now.slow_players - before.slow_players,
        ticks: now.ticks - before.ticks,
        tick_overruns: now.tick_overruns - before.tick_overruns,
        lateness: now
            .lateness
            .iter()
            .zip(&before.lateness)
            .map(|(n, b)| n - b)
            .collect(),
    }
}

/// Serves a daemon on loopback with the relay test guest, connects
/// `players` players in matches of two, and has each send `messages` echo
/// requests as fast as the answers come back.
async fn gateway(players: usize, messages: usize) -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("gamehost-bench-{}", std::process::id()));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let address = listener.local_addr()?;
    let config = DaemonConfig {
        data_dir: dir.clone(),
        host_id: "bench".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: address.port(),
        },
        engine: EngineSettings::default(),
        retain_ended: 1_000,
        shutdown_grace: Duration::from_secs(5),
        sdk_http: false,
    };
    let daemon = Daemon::start(config).await?;
    let (module, _) = daemon
        .upload_module(
            "relay".into(),
            "1".into(),
            gamehost_guests::read(gamehost_guests::RELAY),
        )
        .await?;
    let matches = players.div_ceil(2);
    daemon
        .create_fleet(NewFleet {
            name: "relay".into(),
            module: module.id.clone(),
            replicas: u32::try_from(matches)?,
            template: GameServerSpec::default().with_health_checks_off(),
        })
        .await?;
    let app = api::app(daemon.clone(), Auth::open(), ApiLimits::default());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let mut seats = Vec::new();
    for _ in 0..matches {
        let session = loop {
            let new = NewGameSession {
                maximum_player_session_count: 2,
                ..NewGameSession::default()
            };
            match daemon.create_game_session("relay", new).await {
                Ok(session) => break session,
                // The fleet is still starting its game servers.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        };
        let new = NewPlayerSessions {
            player_ids: Some(vec!["a".into(), "b".into()]),
            ..NewPlayerSessions::default()
        };
        for seat in daemon
            .create_player_sessions(&session.game_session_id, new)
            .await?
        {
            seats.push(seat.player_session_id);
        }
    }
    seats.truncate(players);
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
    println!(
        "gateway: {players} players, {} messages in and {} out in {took:.2?}: \
         {:.0} messages/s in, {:.0} messages/s in and out",
        during.messages_in,
        during.messages_out,
        during.messages_in as f64 / took.as_secs_f64(),
        (during.messages_in + during.messages_out) as f64 / took.as_secs_f64()
    );
    daemon.shutdown().await;
    let _ = std::fs::remove_dir_all(dir);
    Ok(())
}
