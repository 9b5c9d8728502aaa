//! A deadline kept across the turns of the runner's loop.

use std::pin::Pin;
use tokio::time::{Instant, Sleep};

/// A timer moved only when its deadline changes, rather than made anew (and
/// registered with the timer driver again) for every command a game server
/// runs.
pub(super) struct Alarm {
    sleep: Pin<Box<Sleep>>,
    at: Option<Instant>,
}

impl Alarm {
    /// An alarm with no deadline.
    pub(super) fn new() -> Self {
        Self {
            sleep: Box::pin(tokio::time::sleep_until(Instant::now())),
            at: None,
        }
    }

    /// Sets the deadline; with `None` the alarm never rings.
    pub(super) fn set(&mut self, at: Option<Instant>) {
        if at != self.at {
            if let Some(at) = at {
                self.sleep.as_mut().reset(at);
            }
            self.at = at;
        }
    }

    /// Whether it has a deadline it has not rung at.
    pub(super) fn is_set(&self) -> bool {
        self.at.is_some()
    }

    /// Waits for the deadline, then clears it; waits forever without one.
    pub(super) async fn ring(&mut self) {
        if self.at.is_none() {
            return std::future::pending().await;
        }
        self.sleep.as_mut().await;
        self.at = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn it_rings_once_at_its_latest_deadline() {
        let mut alarm = Alarm::new();
        let start = Instant::now();
        let quiet = tokio::time::timeout(Duration::from_secs(60), alarm.ring()).await;
        assert!(quiet.is_err(), "no deadline, no ring");

        alarm.set(Some(start + Duration::from_secs(100)));
        alarm.set(Some(start + Duration::from_secs(90)));
        alarm.ring().await;
        assert_eq!(Instant::now(), start + Duration::from_secs(90));

        let again = tokio::time::timeout(Duration::from_secs(60), alarm.ring()).await;
        assert!(again.is_err(), "rung once");
        alarm.set(Some(start + Duration::from_secs(90)));
        alarm.ring().await;
        assert_eq!(
            Instant::now(),
            start + Duration::from_secs(150),
            "a past deadline rings at once"
        );
    }
}
