//! The running time a game server's calls used, and the game-loop ticks its
//! CPU budget skipped: shared between the game server's store and everyone
//! reading it, and readable after it ended.

use gamehost_model::CpuUsage;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// One game server's CPU time. A clone shares the counts.
#[derive(Clone, Debug, Default)]
pub struct CpuTime(Arc<Counts>);

#[derive(Debug, Default)]
struct Counts {
    nanos: AtomicU64,
    ticks_skipped: AtomicU64,
}

impl CpuTime {
    /// Adds the running time of one call.
    #[inline]
    pub fn add(&self, ran: Duration) {
        let nanos = u64::try_from(ran.as_nanos()).unwrap_or(u64::MAX);
        self.0.nanos.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Counts a tick skipped for the budget.
    pub fn skip_tick(&self) {
        self.0.ticks_skipped.fetch_add(1, Ordering::Relaxed);
    }

    /// The running time used so far.
    pub fn used(&self) -> Duration {
        Duration::from_nanos(self.0.nanos.load(Ordering::Relaxed))
    }

    /// The figures a record shows.
    pub fn usage(&self) -> CpuUsage {
        CpuUsage {
            seconds: self.used().as_secs_f64(),
            ticks_skipped: self.0.ticks_skipped.load(Ordering::Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_counts() {
        let cpu = CpuTime::default();
        let reader = cpu.clone();
        cpu.add(Duration::from_micros(1500));
        cpu.add(Duration::from_micros(500));
        cpu.skip_tick();
        assert_eq!(reader.used(), Duration::from_millis(2));
        assert_eq!(
            reader.usage(),
            CpuUsage {
                seconds: 0.002,
                ticks_skipped: 1
            }
        );
    }
}
