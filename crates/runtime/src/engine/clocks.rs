//! The time a guest can read through WASI: its game server's own clock, the
//! one that stamps its records, at millisecond resolution. A guest never
//! sees the host's clocks: in tests and `gamehost run` the injected clock
//! drives the game mode's time too, and no guest gets a timer fine enough
//! to measure what other game servers on the host are doing.

use gamehost_model::{Clock, Timestamp};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use wasmtime_wasi::{HostMonotonicClock, HostWallClock};

/// The finest step either clock takes.
pub const GUEST_CLOCK_RESOLUTION: Duration = Duration::from_millis(1);

/// `wasi:clocks/wall-clock`: the game server's clock.
pub(super) struct GuestWallClock {
    clock: Arc<dyn Clock>,
}

impl GuestWallClock {
    /// The wall clock of a game server running on `clock`.
    pub(super) fn new(clock: Arc<dyn Clock>) -> Self {
        Self { clock }
    }
}

impl HostWallClock for GuestWallClock {
    fn resolution(&self) -> Duration {
        GUEST_CLOCK_RESOLUTION
    }

    fn now(&self) -> Duration {
        Duration::from_millis(u64::try_from(self.clock.now().as_millis()).unwrap_or(0))
    }
}

/// `wasi:clocks/monotonic-clock`: time since the game server was created,
/// by its clock, never going back. It carries on across hot swaps, which
/// keep the game server's creation time.
pub(super) struct GuestMonotonicClock {
    clock: Arc<dyn Clock>,
    origin: Timestamp,
    latest: AtomicU64,
}

impl GuestMonotonicClock {
    /// The monotonic clock of a game server created at `origin` on `clock`.
    pub(super) fn new(clock: Arc<dyn Clock>, origin: Timestamp) -> Self {
        Self {
            clock,
            origin,
            latest: AtomicU64::new(0),
        }
    }
}

impl HostMonotonicClock for GuestMonotonicClock {
    fn resolution(&self) -> u64 {
        GUEST_CLOCK_RESOLUTION.as_nanos() as u64
    }

    fn now(&self) -> u64 {
        let since = self.clock.now().since(self.origin);
        let nanos = u64::try_from(since.as_nanos()).unwrap_or(u64::MAX);
        self.latest.fetch_max(nanos, Ordering::Relaxed).max(nanos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gamehost_model::FakeClock;

    #[test]
    fn guests_read_the_game_servers_clock_in_whole_milliseconds() {
        let clock = Arc::new(FakeClock::new(Timestamp::from_millis(1_700_000_000_123)));
        let wall = GuestWallClock::new(clock.clone());
        let monotonic = GuestMonotonicClock::new(clock.clone(), clock.now());
        assert_eq!(wall.now(), Duration::from_millis(1_700_000_000_123));
        assert_eq!(monotonic.now(), 0);
        clock.advance(Duration::from_micros(2_500));
        assert_eq!(wall.now(), Duration::from_millis(1_700_000_000_125));
        assert_eq!(monotonic.now(), 2_000_000);
        assert_eq!(wall.resolution(), Duration::from_millis(1));
        assert_eq!(monotonic.resolution(), 1_000_000);
    }

    /// A clock the test sets, backwards too.
    #[derive(Debug)]
    struct SetClock(std::sync::Mutex<Timestamp>);

    impl Clock for SetClock {
        fn now(&self) -> Timestamp {
            *self.0.lock().unwrap()
        }
    }

    #[test]
    fn the_monotonic_clock_never_goes_back() {
        let clock = Arc::new(SetClock(Timestamp::from_millis(10_000).into()));
        let monotonic = GuestMonotonicClock::new(clock.clone(), Timestamp::from_millis(9_000));
        // (the game server's clock reads, the guest's monotonic clock reads)
        let table = [
            (10_000, 1_000_000_000),
            (9_500, 1_000_000_000),
            (12_000, 3_000_000_000),
        ];
        for (at, expected) in table {
            *clock.0.lock().unwrap() = Timestamp::from_millis(at);
            assert_eq!(monotonic.now(), expected, "at {at}");
        }
    }
}
