//! The clock game servers run on: wall-clock time that advances with tokio's
//! clock, so tests with paused time control it too.

use gamehost_model::{Clock, SystemClock, Timestamp};
use tokio::time::Instant;

/// Wall-clock time derived from tokio's monotonic clock.
#[derive(Clone, Copy, Debug)]
pub struct RuntimeClock {
    wall_origin: Timestamp,
    origin: Instant,
}

impl RuntimeClock {
    /// A clock reading the system time now and advancing with tokio's clock.
    pub fn new() -> Self {
        Self {
            wall_origin: SystemClock.now(),
            origin: Instant::now(),
        }
    }

    /// The tokio instant at which this clock reads `at`.
    pub fn instant_at(&self, at: Timestamp) -> Instant {
        self.origin + at.since(self.wall_origin)
    }
}

impl Default for RuntimeClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for RuntimeClock {
    fn now(&self) -> Timestamp {
        self.wall_origin + self.origin.elapsed()
    }
}
