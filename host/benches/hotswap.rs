//! The in-place hot swap of 1,000 live game servers: each runs a match of
//! the example game mode (a game session, two connected players, a round
//! scored) while players keep sending messages; every game server is then
//! switched to the other version of Arena at once, handing its match over.
//! Prints the time until all are switched, per-server swap times, and the
//! calls that failed during the swaps (there must be none).
//!
//! Run with `cargo bench -p gamehost --bench hotswap`; add `-- --quick` for
//! 100 game servers and fewer rounds.

#[allow(
    dead_code,
    reason = "the benchmarks share `support`; this one times swaps, not instantiation"
)]
mod support;

use futures_util::future::join_all;
use gamehost::engine::{EngineSettings, GameEngine};
use gamehost::gateway::PlayerLink;
use gamehost::model::{Endpoint, Identity, NewGameSession, NewPlayerSession};
use gamehost::supervisor::{GameServerHandle, RuntimeClock, SwapRequest, spawn};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use support::{Figure, load, print, spec, summarize};

fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    let (servers, rounds) = if quick { (100, 2) } else { (1_000, 6) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(run(servers, rounds))
}

async fn run(servers: usize, rounds: usize) -> anyhow::Result<()> {
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    let versions = [
        (load(&engine, gamehost_guests::ARENA)?, "arena@1"),
        (load(&engine, gamehost_guests::ARENA_V2)?, "arena@2"),
    ];
    let spec = spec(&[("rounds", 0)], &["players"]);
    let mut live = Vec::with_capacity(servers);
    for n in 0..servers {
        let (handle, _) = spawn(
            versions[0].0.clone(),
            identity(n),
            spec.clone(),
            engine.default_limits(),
            RuntimeClock::new(),
        );
        live.push((handle.clone(), start_match(&handle, n).await?));
    }
    let stop = Arc::new(AtomicBool::new(false));
    let (sent, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let players: Vec<_> = live
        .iter()
        .take(64)
        .map(|(handle, session)| {
            let (handle, session) = (handle.clone(), session.clone());
            let (stop, sent, failed) = (stop.clone(), sent.clone(), failed.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    match handle
                        .player_message(session.clone(), b"hello".to_vec())
                        .await
                    {
                        Ok(()) => sent.fetch_add(1, Ordering::Relaxed),
                        Err(_) => failed.fetch_add(1, Ordering::Relaxed),
                    };
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            })
        })
        .collect();
    let mut totals = Vec::with_capacity(rounds);
    let mut each = Vec::with_capacity(rounds * servers);
    let mut handed_over = 0;
    for round in 0..rounds {
        let (mode, module) = &versions[(round + 1) % 2];
        let request = SwapRequest {
            mode: mode.clone(),
            module: (*module).to_owned(),
            limits: engine.default_limits(),
        };
        let began = Instant::now();
        let swaps = live.iter().map(|(handle, _)| {
            let request = request.clone();
            async move {
                let result = handle.swap(request).await;
                (result, began.elapsed())
            }
        });
        let results = join_all(swaps).await;
        totals.push(began.elapsed());
        for (result, at) in results {
            let handover = result?;
            handed_over += usize::from(handover.state_bytes.is_some_and(|b| b > 0));
            each.push(at);
        }
    }
    stop.store(true, Ordering::Relaxed);
    for player in players {
        player.await?;
    }
    let figures: Vec<Figure> = vec![
        summarize(
            format!("in-place swap of {servers} live game servers, all of them"),
            totals,
            Some(Duration::from_millis(100)),
        ),
        summarize(
            format!("a game server switched, from the swap's start ({servers} at once)"),
            each,
            None,
        ),
    ];
    print(&figures);
    println!(
        "matches handed over: {handed_over} of {}; player messages during the swaps: {} sent, {} failed",
        rounds * servers,
        sent.load(Ordering::Relaxed),
        failed.load(Ordering::Relaxed)
    );
    anyhow::ensure!(
        failed.load(Ordering::Relaxed) == 0,
        "calls failed during the swaps"
    );
    anyhow::ensure!(
        handed_over == rounds * servers,
        "a match was not handed over"
    );
    Ok(())
}

fn identity(n: usize) -> Identity {
    Identity {
        name: format!("swap-{n}"),
        fleet: "bench".into(),
        uid: n.to_string(),
        host_id: "bench-host".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    }
}

/// Places a match on a new game server with alice and bob connected and
/// one round scored; returns bob's player session, whose messages make the
/// load.
async fn start_match(handle: &GameServerHandle, n: usize) -> anyhow::Result<String> {
    handle
        .wait_for(|r| r.status.state == gamehost::model::GameServerState::Ready)
        .await;
    let new = NewGameSession {
        maximum_player_session_count: 2,
        game_properties: vec![("target-score".into(), "100".into())],
        ..NewGameSession::default()
    };
    handle.start_game_session(format!("gsess-{n}"), new).await?;
    let sessions = [format!("gsess-{n}-alice"), format!("gsess-{n}-bob")];
    let players = sessions
        .iter()
        .zip(["alice", "bob"])
        .map(|(session, player)| {
            let player = NewPlayerSession {
                player_id: player.into(),
                player_data: String::new(),
            };
            (session.clone(), player)
        })
        .collect();
    handle.create_player_sessions(players).await?;
    for (session, shape) in sessions.iter().zip(["rock", "scissors"]) {
        // The bench's players have no socket: what the game mode sends them
        // is dropped.
        let (link, _) = PlayerLink::new(16);
        handle.player_connect(session.clone(), link).await?;
        handle.player_message(session.clone(), shape.into()).await?;
    }
    Ok(sessions[1].clone())
}
