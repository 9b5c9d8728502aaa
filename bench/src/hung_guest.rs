//! A hung guest: game servers of the `faults` guest spinning in
//! `on-player-message` until the engine interrupts them at the call
//! deadline, while a peer game server keeps answering its player.
//!
//! Each round first times the peer's player messages alone for a while,
//! then starts the spinners and times the peer again until every spinner's
//! fault is reported; alternating the two keeps a shared machine's load
//! changes out of the comparison.

use crate::setup::{Seat, host_match, hosting, load, spec, start};
use crate::stats::Spread;
use gamehost_model::{EndKind, GameServerSpec};
use gamehost_runtime::engine::{EngineSettings, GameEngine};
use gamehost_runtime::supervisor::{CommandError, GameServerHandle};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// The target: a hung guest interrupted within 50 ms.
pub const INTERRUPTION_TARGET: Duration = Duration::from_millis(50);
/// How much slower the peer's p99 may be while guests spin and still count
/// as unchanged: one epoch tick, the engine's resolution. A spinning guest
/// yields its worker at every tick, so that is the longest a peer's call
/// can wait behind it.
pub const UNCHANGED_WITHIN: Duration = Duration::from_millis(1);
/// How long the peer is timed alone in each round.
const ALONE_WINDOW: Duration = Duration::from_millis(50);
/// The pause between two of the peer's messages.
const PEER_PAUSE: Duration = Duration::from_millis(1);

/// What the hung guests measured.
pub struct HungGuestFigures {
    /// Guests spinning at once.
    pub spinners: usize,
    /// The engine's call deadline.
    pub deadline: Duration,
    /// From the player message that sets a guest spinning until its fault
    /// (a deadline) is reported.
    pub interruption: Spread,
    /// The peer's player message (a command, a call into its guest and an
    /// SDK call) with no guest spinning.
    pub peer_alone: Spread,
    /// The same while guests spin.
    pub peer_spinning: Spread,
}

impl HungGuestFigures {
    /// How many times slower the peer's p99 was while guests spun.
    pub fn peer_p99_ratio(&self) -> f64 {
        self.peer_spinning.p99.as_secs_f64() / self.peer_alone.p99.as_secs_f64()
    }

    /// Whether the peer's p99 while guests spin stays within
    /// [`UNCHANGED_WITHIN`] of its p99 alone.
    pub fn peer_unchanged(&self) -> bool {
        self.peer_spinning.p99 <= self.peer_alone.p99 + UNCHANGED_WITHIN
    }
}

/// Runs `rounds` rounds of `spinners` guests spinning at once beside a
/// peer.
pub async fn measure(rounds: usize, spinners: usize) -> anyhow::Result<HungGuestFigures> {
    let settings = EngineSettings::default();
    let deadline = settings.call_deadline;
    let engine = GameEngine::new(settings, None)?;
    let mode = load(&engine, gamehost_guests::FAULTS)?;
    let peer = start(
        &mode,
        0,
        &Arc::new(spec()),
        hosting(engine.default_limits()),
    );
    let peer_seat = host_match(&peer, "gsess-peer", &[], &["player"]).await?;
    let spinning_spec = Arc::new(spinning_spec());
    let mut interruption = Vec::with_capacity(rounds * spinners);
    let (mut alone, mut during) = (Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut hung = Vec::with_capacity(spinners);
        for i in 0..spinners {
            let n = (1 + round * spinners + i) as u64;
            let handle = start(&mode, n, &spinning_spec, hosting(engine.default_limits()));
            let seats = host_match(&handle, &format!("gsess-{n}"), &[], &["player"]).await?;
            hung.push((handle, seats));
        }
        let timing = time_peer(&peer, &peer_seat[0]);
        tokio::time::sleep(ALONE_WINDOW).await;
        alone.extend(timing.finish().await?);

        let timing = time_peer(&peer, &peer_seat[0]);
        let spins: Vec<_> = hung
            .iter()
            .map(|(handle, seats)| spin(handle.clone(), seats[0].player_session_id.clone()))
            .collect();
        for spin in spins {
            interruption.push(spin.await??);
        }
        during.extend(timing.finish().await?);
    }
    peer.stop("the benchmark is over").await?;
    Ok(HungGuestFigures {
        spinners,
        deadline,
        interruption: Spread::of(interruption),
        peer_alone: Spread::of(alone),
        peer_spinning: Spread::of(during),
    })
}

/// The faults guest's template for a guest that spins in
/// `on-player-message`.
fn spinning_spec() -> GameServerSpec {
    let mut spec = spec();
    spec.labels.insert("fault".into(), "loop".into());
    spec.labels
        .insert("fault-in".into(), "on-player-message".into());
    spec
}

/// Sends the message that sets a spinner spinning; answers how long until
/// its fault was reported.
fn spin(
    handle: GameServerHandle,
    player_session_id: String,
) -> JoinHandle<anyhow::Result<Duration>> {
    tokio::spawn(async move {
        let began = Instant::now();
        let answer = handle
            .player_message(player_session_id, b"spin".to_vec())
            .await;
        let took = began.elapsed();
        match answer {
            Err(CommandError::Faulted(fault)) if fault.kind == EndKind::Deadline => Ok(took),
            other => anyhow::bail!("a spinning guest answered {other:?}"),
        }
    })
}

/// The peer's player messages, timed one after another until finished,
/// from a thread of their own, as a player's messages come from outside
/// the runtime the game servers run on: each waits for a worker as such a
/// message would.
struct PeerTiming {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<anyhow::Result<Vec<Duration>>>,
}

impl PeerTiming {
    /// Stops timing; answers the samples.
    async fn finish(self) -> anyhow::Result<Vec<Duration>> {
        self.stop.store(true, Ordering::Relaxed);
        let thread = self.thread;
        tokio::task::spawn_blocking(move || thread.join())
            .await?
            .map_err(|_| anyhow::anyhow!("the peer's timing thread panicked"))?
    }
}

/// Starts timing the peer's player messages from its player `seat`.
fn time_peer(peer: &GameServerHandle, seat: &Seat) -> PeerTiming {
    let stop = Arc::new(AtomicBool::new(false));
    let (peer, session, stopping) = (peer.clone(), seat.player_session_id.clone(), stop.clone());
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().build()?;
        let mut samples = Vec::new();
        while !stopping.load(Ordering::Relaxed) {
            let began = Instant::now();
            runtime.block_on(peer.player_message(session.clone(), b"ping".to_vec()))?;
            samples.push(began.elapsed());
            std::thread::sleep(PEER_PAUSE);
        }
        Ok(samples)
    });
    PeerTiming { stop, thread }
}
