//! The in-place hot swap of live game servers: each runs a match of the
//! example game mode (a game session, two connected players, a round
//! scored) while players keep sending messages; every game server is then
//! switched to the other version of Arena at once, handing its match over,
//! round after round.

use crate::setup::{Seat, host_match, hosting, load, spec, start};
use crate::stats::Spread;
use futures_util::future::join_all;
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use gamehost_runtime::supervisor::{GameServerHandle, SwapRequest};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The target for swapping every game server, until the last is switched.
pub const ALL_TARGET: Duration = Duration::from_millis(100);
/// Game servers whose players keep sending messages during the swaps.
const TALKING: usize = 64;

/// What the swaps measured.
pub struct SwapFigures {
    /// Game servers swapped at once.
    pub servers: usize,
    /// Rounds of swaps.
    pub rounds: usize,
    /// Per round, from its start until the last game server was switched.
    pub all: Spread,
    /// Per game server, from the round's start until it was switched.
    pub each: Spread,
    /// Swaps that handed a match over (out of servers × rounds).
    pub handed_over: usize,
    /// Player messages answered during the swaps.
    pub sent: u64,
    /// Player messages that failed during the swaps.
    pub failed: u64,
    /// Connected players at the start (two per match).
    pub players: usize,
    /// Players no longer connected after the swaps.
    pub dropped: usize,
}

impl SwapFigures {
    /// Swaps made: servers × rounds.
    pub fn swaps(&self) -> usize {
        self.servers * self.rounds
    }

    /// Whether every target is met: all swapped in time at the p99, no call
    /// failed, every match handed over and no player dropped.
    pub fn met(&self) -> bool {
        self.all.p99 <= ALL_TARGET
            && self.failed == 0
            && self.handed_over == self.swaps()
            && self.dropped == 0
    }
}

/// Starts `servers` game servers of Arena, each with a match in progress,
/// and swaps them all in place `rounds` times, alternating between the two
/// versions, while the players of some of them send messages.
pub async fn measure(servers: usize, rounds: usize) -> anyhow::Result<SwapFigures> {
    let engine = GameEngine::new(EngineSettings::default(), None)?;
    let versions = [
        (load(&engine, gamehost_guests::ARENA)?, "arena@1"),
        (load(&engine, gamehost_guests::ARENA_V2)?, "arena@2"),
    ];
    let spec = Arc::new(spec());
    let mut live: Vec<(GameServerHandle, Vec<Seat>)> = Vec::with_capacity(servers);
    for n in 0..servers {
        let handle = start(
            &versions[0].0,
            n as u64,
            &spec,
            hosting(engine.default_limits()),
        );
        let seats = start_match(&handle, n).await?;
        live.push((handle, seats));
    }
    let players = live.iter().map(|(_, seats)| seats.len()).sum();
    let stop = Arc::new(AtomicBool::new(false));
    let (sent, failed) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let talkers: Vec<_> = live
        .iter()
        .take(TALKING)
        .map(|(handle, seats)| {
            let handle = handle.clone();
            let session = seats[1].player_session_id.clone();
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
    let mut all = Vec::with_capacity(rounds);
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
        all.push(began.elapsed());
        for (result, at) in results {
            let handover = result?;
            handed_over += usize::from(handover.state_bytes.is_some_and(|b| b > 0));
            each.push(at);
        }
    }
    stop.store(true, Ordering::Relaxed);
    for talker in talkers {
        talker.await?;
    }
    let dropped = live
        .iter()
        .map(|(handle, seats)| seats.iter().filter(|s| s.dropped(handle)).count())
        .sum();
    for (handle, _) in &live {
        let _ = handle.stop("the benchmark is over").await;
    }
    Ok(SwapFigures {
        servers,
        rounds,
        all: Spread::of(all),
        each: Spread::of(each),
        handed_over,
        sent: sent.load(Ordering::Relaxed),
        failed: failed.load(Ordering::Relaxed),
        players,
        dropped,
    })
}

/// Places a match on a new game server with alice and bob connected and
/// one round scored; bob's messages make the load during the swaps.
async fn start_match(handle: &GameServerHandle, n: usize) -> anyhow::Result<Vec<Seat>> {
    let id = format!("gsess-{n}");
    let seats = host_match(handle, &id, &[("target-score", "100")], &["alice", "bob"]).await?;
    for (seat, shape) in seats.iter().zip(["rock", "scissors"]) {
        handle
            .player_message(seat.player_session_id.clone(), shape.into())
            .await?;
    }
    Ok(seats)
}
