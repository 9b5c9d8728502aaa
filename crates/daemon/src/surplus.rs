//! When a fleet's surplus Ready game servers are asked to terminate.
//!
//! A game server that comes back Ready after its match makes a surplus for
//! a moment, until the next allocation takes it: ending it at once and
//! starting another for the next allocation would cost a game server's
//! start and end per match. So a surplus is ended only once it has lasted
//! [`SURPLUS_GRACE`], and only as much of it as lasted the whole time. When
//! the fleet itself changed (its replicas shrank), the surplus is ended at
//! once.

use std::time::Duration;
use tokio::time::Instant;

/// How long a fleet may keep more warm game servers than its replicas
/// before the surplus is asked to terminate, unless the fleet changed.
const SURPLUS_GRACE: Duration = Duration::from_secs(2);

/// A fleet's surplus over time, as the controller's passes see it.
#[derive(Debug, Default)]
pub(super) struct Surplus {
    /// The fleet's generation at the last pass.
    generation: Option<u64>,
    /// Since when the fleet has had a surplus, without a pass in between
    /// that found none.
    since: Option<Instant>,
    /// The smallest surplus seen since then.
    least: usize,
}

impl Surplus {
    /// How many of `surplus` warm game servers beyond the fleet's replicas
    /// (the fleet at `generation`) to ask to terminate at `now`.
    pub(super) fn ending_now(&mut self, surplus: usize, generation: u64, now: Instant) -> usize {
        let fleet_changed = self.generation.is_some_and(|seen| seen != generation);
        self.generation = Some(generation);
        if surplus == 0 || fleet_changed {
            self.since = None;
            return surplus;
        }
        let Some(since) = self.since else {
            self.since = Some(now);
            self.least = surplus;
            return 0;
        };
        self.least = self.least.min(surplus);
        if now.duration_since(since) < SURPLUS_GRACE {
            return 0;
        }
        self.since = None;
        self.least
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pass: milliseconds since the start, the surplus, the fleet's
    /// generation.
    type Pass = (u64, usize, u64);

    #[test]
    fn a_surplus_ends_after_the_grace_unless_the_fleet_changed() {
        let ms = Duration::from_millis;
        // Each case: its passes, and what each pass ends.
        let cases: &[(&str, &[Pass], &[usize])] = &[
            ("none", &[(0, 0, 1), (3_000, 0, 1)], &[0, 0]),
            (
                "a brief surplus is kept",
                &[(0, 1, 1), (500, 2, 1), (900, 0, 1), (3_000, 0, 1)],
                &[0, 0, 0, 0],
            ),
            (
                "a lasting surplus ends, only what lasted",
                &[(0, 3, 1), (1_000, 1, 1), (2_000, 4, 1), (2_100, 4, 1)],
                &[0, 0, 1, 0],
            ),
            (
                "a gap starts the grace again",
                &[
                    (0, 1, 1),
                    (1_500, 0, 1),
                    (2_500, 1, 1),
                    (4_000, 1, 1),
                    (4_600, 1, 1),
                ],
                &[0, 0, 0, 0, 1],
            ),
            (
                "a fleet that shrank ends its surplus at once",
                &[(0, 0, 1), (100, 3, 2), (200, 3, 2)],
                &[0, 3, 0],
            ),
            (
                "a fleet that changed during the grace too",
                &[(0, 1, 1), (500, 2, 2)],
                &[0, 2],
            ),
        ];
        for (name, passes, expected) in cases {
            let start = Instant::now();
            let mut surplus = Surplus::default();
            let ended: Vec<usize> = passes
                .iter()
                .map(|&(at, count, generation)| {
                    surplus.ending_now(count, generation, start + ms(at))
                })
                .collect();
            assert_eq!(&ended, expected, "{name}");
        }
    }
}
