//! How long to wait before trying the sidecar again: doubling from a tenth
//! of a second up to five seconds, back to the start after a success.

use std::time::Duration;

/// The first wait.
pub const FIRST: Duration = Duration::from_millis(100);
/// The longest wait.
pub const LONGEST: Duration = Duration::from_secs(5);

/// A retry schedule.
#[derive(Clone, Copy, Debug)]
pub struct Backoff {
    next: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self { next: FIRST }
    }
}

impl Backoff {
    /// The wait after one more failure.
    pub fn fail(&mut self) -> Duration {
        let wait = self.next;
        self.next = (self.next * 2).min(LONGEST);
        wait
    }

    /// Whether the last attempt failed.
    pub fn is_failing(&self) -> bool {
        self.next != FIRST
    }

    /// Starts over after a success.
    pub fn reset(&mut self) {
        self.next = FIRST;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_up_to_the_longest_and_start_over() {
        let mut backoff = Backoff::default();
        let waits: Vec<u64> = (0..8).map(|_| backoff.fail().as_millis() as u64).collect();
        assert_eq!(waits, [100, 200, 400, 800, 1600, 3200, 5000, 5000]);
        assert!(backoff.is_failing());
        backoff.reset();
        assert!(!backoff.is_failing());
        assert_eq!(backoff.fail(), FIRST);
    }
}
