//! Health: the guest's own pings (Agones) and the host's `on-health-check`
//! calls (GameLift), both counted in consecutive failures.

use super::clock::Timestamp;
use super::spec::{HealthCheckSpec, HealthSpec};
use std::time::Duration;

/// Tracks the guest's `health` pings against Agones' settings.
///
/// The first period starts `initial-delay` after the game server starts. At
/// the end of each period the tracker checks for a ping within that period; a
/// period without one is a failure and a ping resets the count.
#[derive(Clone, Debug)]
pub struct PingHealth {
    period: Duration,
    threshold: u32,
    last_ping: Timestamp,
    failures: u32,
    next_check: Option<Timestamp>,
}

impl PingHealth {
    /// A tracker for a game server started at `start`.
    pub fn new(spec: &HealthSpec, start: Timestamp) -> Self {
        let period = Duration::from_secs(spec.period_seconds.into());
        let first_period = start + Duration::from_secs(spec.initial_delay_seconds.into());
        Self {
            period,
            threshold: spec.failure_threshold,
            last_ping: first_period,
            failures: 0,
            next_check: (!spec.disabled).then(|| first_period + period),
        }
    }

    /// Records a ping.
    pub fn ping(&mut self, now: Timestamp) {
        self.last_ping = self.last_ping.max(now);
        self.failures = 0;
    }

    /// When the next check is due, if checks are enabled.
    pub fn next_check(&self) -> Option<Timestamp> {
        self.next_check
    }

    /// Runs every check due by `now`; returns the failure count once it
    /// reaches the threshold.
    pub fn check(&mut self, now: Timestamp) -> Option<u32> {
        while let Some(due) = self.next_check.filter(|due| *due <= now) {
            if due.since(self.last_ping) > self.period {
                self.failures += 1;
            } else {
                self.failures = 0;
            }
            self.next_check = Some(due + self.period);
            if self.failures >= self.threshold {
                self.next_check = None;
                return Some(self.failures);
            }
        }
        None
    }
}

/// Schedules the host's `on-health-check` calls and counts unhealthy answers.
#[derive(Clone, Debug)]
pub struct HealthChecks {
    period: Duration,
    threshold: u32,
    failures: u32,
    /// Whether calls are scheduled once begun: the spec enables them and
    /// they have not begun or stopped yet.
    pending: bool,
    next_due: Option<Timestamp>,
}

impl HealthChecks {
    /// A schedule that begins when the process is ready.
    pub fn new(spec: &HealthCheckSpec) -> Self {
        Self {
            period: Duration::from_secs(spec.period_seconds.into()),
            threshold: spec.failure_threshold,
            failures: 0,
            pending: !spec.disabled,
            next_due: None,
        }
    }

    /// Begins the calls when the process is ready (`process-ready` or
    /// `ready`) at `now`: the first a period later. Only the first readiness
    /// begins them; a stopped schedule stays stopped.
    pub fn begin(&mut self, now: Timestamp) {
        if std::mem::take(&mut self.pending) {
            self.next_due = Some(now + self.period);
        }
    }

    /// When the next call is due.
    pub fn next_due(&self) -> Option<Timestamp> {
        self.next_due
    }

    /// Whether a call is due by `now`; if so the next one is scheduled a
    /// period later.
    pub fn take_due(&mut self, now: Timestamp) -> bool {
        match self.next_due {
            Some(due) if due <= now => {
                self.next_due = Some(now + self.period);
                true
            }
            _ => false,
        }
    }

    /// Records an answer; returns the failure count once it reaches the
    /// threshold.
    pub fn record(&mut self, healthy: bool) -> Option<u32> {
        self.failures = if healthy { 0 } else { self.failures + 1 };
        (self.failures >= self.threshold).then(|| {
            self.next_due = None;
            self.failures
        })
    }

    /// Stops scheduling calls.
    pub fn stop(&mut self) {
        self.pending = false;
        self.next_due = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1000;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_millis(secs * S)
    }

    #[test]
    fn pings_follow_agones_settings() {
        let spec = HealthSpec {
            disabled: false,
            period_seconds: 5,
            failure_threshold: 3,
            initial_delay_seconds: 5,
        };
        // (name, ping times in seconds, check time, expected unhealthy failure count)
        let cases: &[(&str, &[i64], i64, Option<u32>)] = &[
            (
                "initial delay plus one period is fine without pings",
                &[],
                10,
                None,
            ),
            (
                "two missed periods are not yet the threshold",
                &[],
                20,
                None,
            ),
            ("three missed periods are", &[], 25, Some(3)),
            (
                "a ping every period keeps it healthy",
                &[9, 14, 19, 24, 29],
                30,
                None,
            ),
            ("a late ping resets the count", &[24], 34, None),
            ("pings that stop count again", &[12], 32, Some(3)),
        ];
        for (name, pings, check_at, want) in cases {
            let mut health = PingHealth::new(&spec, at(0));
            let mut got = None;
            for p in *pings {
                got = got.or(health.check(at(*p)));
                health.ping(at(*p));
            }
            got = got.or(health.check(at(*check_at)));
            assert_eq!(got, *want, "{name}");
        }
    }

    #[test]
    fn disabled_pings_are_never_checked() {
        let spec = HealthSpec {
            disabled: true,
            ..HealthSpec::default()
        };
        let mut health = PingHealth::new(&spec, at(0));
        assert_eq!(health.next_check(), None);
        assert_eq!(health.check(at(3600)), None);
    }

    #[test]
    fn host_checks_count_unhealthy_answers_in_a_row() {
        let spec = HealthCheckSpec {
            disabled: false,
            period_seconds: 60,
            failure_threshold: 3,
        };
        let mut checks = HealthChecks::new(&spec);
        assert!(
            !checks.take_due(at(500)),
            "nothing before the process is ready"
        );
        checks.begin(at(10));
        assert!(!checks.take_due(at(69)));
        assert!(checks.take_due(at(70)));
        assert_eq!(checks.next_due(), Some(at(130)));
        checks.begin(at(100));
        assert_eq!(
            checks.next_due(),
            Some(at(130)),
            "a second readiness changes nothing"
        );
        assert_eq!(checks.record(false), None);
        assert_eq!(checks.record(true), None);
        assert_eq!(checks.record(false), None);
        assert_eq!(checks.record(false), None);
        assert_eq!(checks.record(false), Some(3));
        assert_eq!(checks.next_due(), None);
    }

    #[test]
    fn host_checks_begin_only_when_enabled_and_not_stopped() {
        let spec = |disabled| HealthCheckSpec {
            disabled,
            period_seconds: 5,
            failure_threshold: 1,
        };
        let mut disabled = HealthChecks::new(&spec(true));
        disabled.begin(at(0));
        assert_eq!(disabled.next_due(), None);
        let mut stopped = HealthChecks::new(&spec(false));
        stopped.stop();
        stopped.begin(at(0));
        assert_eq!(stopped.next_due(), None);
    }
}
