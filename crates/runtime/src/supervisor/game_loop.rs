//! A game server's game loop: when `on-tick` is due, and how long since the
//! previous one. A tick late by a whole period is skipped, never queued.

use std::time::Duration;
use tokio::time::{Instant, Interval, MissedTickBehavior};

/// The ticks of one game server.
pub(super) struct GameLoop {
    interval: Interval,
    period: Duration,
    previous: Instant,
}

/// A tick that is due.
pub(super) struct Tick {
    /// When it should have started.
    pub(super) scheduled: Instant,
    /// When it starts.
    pub(super) now: Instant,
    /// Since the previous tick, or the loop's start.
    pub(super) elapsed: Duration,
}

impl GameLoop {
    /// A loop ticking every `period`, the first tick one period from now.
    pub(super) fn new(period: Duration) -> Self {
        let now = Instant::now();
        let mut interval = tokio::time::interval_at(now + period, period);
        interval.set_missed_tick_behavior(MissedTickBehavior::Skip);
        Self {
            interval,
            period,
            previous: now,
        }
    }

    /// The period between ticks.
    pub(super) fn period(&self) -> Duration {
        self.period
    }

    /// Waits for the next tick.
    pub(super) async fn next(&mut self) -> Tick {
        let scheduled = self.interval.tick().await;
        let now = Instant::now();
        let elapsed = now - self.previous;
        self.previous = now;
        Tick {
            scheduled,
            now,
            elapsed,
        }
    }
}

/// The next tick of `game_loop`; never, without one.
pub(super) async fn next_tick(game_loop: Option<&mut GameLoop>) -> Tick {
    match game_loop {
        Some(game_loop) => game_loop.next().await,
        None => std::future::pending().await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn ticks_at_the_period_and_skips_missed_ones() {
        let period = Duration::from_millis(100);
        let mut game_loop = GameLoop::new(period);
        let start = Instant::now();
        let first = game_loop.next().await;
        assert_eq!(first.scheduled, start + period);
        assert_eq!(first.elapsed, period);
        let second = game_loop.next().await;
        assert_eq!(second.scheduled, start + 2 * period);
        assert_eq!(second.elapsed, period);
        // A tick that overran by two and a half periods: the missed ticks
        // are skipped, not run back to back.
        tokio::time::advance(period * 5 / 2).await;
        let late = game_loop.next().await;
        assert_eq!(late.scheduled, start + 3 * period);
        assert_eq!(late.now - late.scheduled, period * 3 / 2);
        let next = game_loop.next().await;
        assert_eq!(next.scheduled, start + 5 * period);
        assert_eq!(next.elapsed, period / 2);
    }
}
