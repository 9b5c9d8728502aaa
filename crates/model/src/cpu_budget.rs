//! A game server's CPU budget: a share of one core over a window. Past it,
//! the game loop's ticks are skipped until the next window; over budget for
//! too many windows in a row, the game server is ended.
//!
//! The rules take the time as an argument, so they are tested without a
//! clock; the runner passes a monotonic one.

use super::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

/// The most a budget may allow: one whole core, as a game server runs one
/// call at a time.
pub const MAX_MILLICORES: u32 = 1000;
/// The shortest budget window, in milliseconds.
pub const MIN_WINDOW_MILLIS: u32 = 100;
/// The longest budget window, in milliseconds.
pub const MAX_WINDOW_MILLIS: u32 = 60_000;
/// The most windows over budget in a row a template may tolerate before the
/// game server is ended.
pub const MAX_END_AFTER_WINDOWS: u32 = 3600;

/// A template's CPU budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct CpuBudgetSpec {
    /// The share of one core a game server may use, in thousandths
    /// (Kubernetes' millicores): 250 is a quarter of a core. 1 to 1000.
    pub millicores: u32,
    /// The window the share is measured over, in milliseconds (100 to
    /// 60,000).
    pub window_millis: u32,
    /// Windows over budget in a row after which the game server is ended;
    /// 0 never ends it (its ticks are only skipped). At most 3600.
    pub end_after_windows: u32,
}

impl Default for CpuBudgetSpec {
    fn default() -> Self {
        Self {
            millicores: 250,
            window_millis: 1000,
            end_after_windows: 10,
        }
    }
}

impl CpuBudgetSpec {
    /// Checks the bounds, naming the offending field.
    pub fn validate(&self) -> Result<()> {
        let check = |field: &str, value: u32, min: u32, max: u32| {
            if (min..=max).contains(&value) {
                Ok(())
            } else {
                Err(Error::out_of_range(format!(
                    "cpuBudget.{field} must be {min} to {max}, got {value}"
                )))
            }
        };
        check("millicores", self.millicores, 1, MAX_MILLICORES)?;
        check(
            "windowMillis",
            self.window_millis,
            MIN_WINDOW_MILLIS,
            MAX_WINDOW_MILLIS,
        )?;
        check(
            "endAfterWindows",
            self.end_after_windows,
            0,
            MAX_END_AFTER_WINDOWS,
        )
    }

    /// The window.
    pub fn window(&self) -> Duration {
        Duration::from_millis(self.window_millis.into())
    }

    /// The running time allowed in one window.
    pub fn allowance(&self) -> Duration {
        self.window() * self.millicores / MAX_MILLICORES
    }
}

/// What to do with a tick that is due.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TickVerdict {
    /// Run it.
    Run,
    /// Skip it: the window's budget is spent. `first` is true for the first
    /// tick skipped in this window, the one to log.
    Skip {
        /// Whether it is the window's first skipped tick.
        first: bool,
        /// The running time used in the window so far.
        used: Duration,
    },
    /// End the game server: it was over budget for this many windows in a
    /// row.
    End {
        /// Windows over budget in a row.
        windows: u32,
    },
}

/// Keeps one game server's running time against its budget.
#[derive(Clone, Debug)]
pub struct CpuGovernor {
    budget: CpuBudgetSpec,
    window_start: Instant,
    used: Duration,
    over_in_a_row: u32,
    skipped_this_window: bool,
}

impl CpuGovernor {
    /// A governor whose first window starts at `now`.
    pub fn new(budget: CpuBudgetSpec, now: Instant) -> Self {
        Self {
            budget,
            window_start: now,
            used: Duration::ZERO,
            over_in_a_row: 0,
            skipped_this_window: false,
        }
    }

    /// The budget it keeps.
    pub fn budget(&self) -> &CpuBudgetSpec {
        &self.budget
    }

    /// Counts `ran` of running time, used by a call that ended at `now`.
    pub fn charge(&mut self, now: Instant, ran: Duration) {
        self.roll(now);
        self.used = self.used.saturating_add(ran);
    }

    /// The windows over budget in a row, once they reach the template's
    /// `endAfterWindows`: the game server is to be ended.
    pub fn persisted(&mut self, now: Instant) -> Option<u32> {
        self.roll(now);
        let end_after = self.budget.end_after_windows;
        (end_after > 0 && self.over_in_a_row >= end_after).then_some(self.over_in_a_row)
    }

    /// Whether a tick due at `now` runs.
    pub fn tick(&mut self, now: Instant) -> TickVerdict {
        if let Some(windows) = self.persisted(now) {
            return TickVerdict::End { windows };
        }
        if self.used < self.budget.allowance() {
            return TickVerdict::Run;
        }
        let first = !self.skipped_this_window;
        self.skipped_this_window = true;
        TickVerdict::Skip {
            first,
            used: self.used,
        }
    }

    /// Moves to the window `now` falls in, counting the windows that ended
    /// over budget in a row; a window without a call is under budget.
    fn roll(&mut self, now: Instant) {
        let window = self.budget.window();
        let since = now.saturating_duration_since(self.window_start);
        if since < window {
            return;
        }
        let ended = u32::try_from(since.as_nanos() / window.as_nanos()).unwrap_or(u32::MAX);
        let over = self.used > self.budget.allowance();
        self.over_in_a_row = match (over, ended) {
            (true, 1) => self.over_in_a_row.saturating_add(1),
            _ => 0,
        };
        self.window_start += window * ended;
        self.used = Duration::ZERO;
        self.skipped_this_window = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    fn budget(millicores: u32, end_after_windows: u32) -> CpuBudgetSpec {
        CpuBudgetSpec {
            millicores,
            window_millis: 1000,
            end_after_windows,
        }
    }

    #[test]
    fn bounds_are_checked() {
        let cases = [
            (budget(250, 10), None),
            (
                budget(0, 10),
                Some("cpuBudget.millicores must be 1 to 1000"),
            ),
            (budget(1001, 10), Some("millicores")),
            (budget(1000, 3601), Some("cpuBudget.endAfterWindows")),
            (
                CpuBudgetSpec {
                    window_millis: 99,
                    ..budget(250, 0)
                },
                Some("cpuBudget.windowMillis must be 100 to 60000"),
            ),
        ];
        for (spec, refused) in cases {
            let result = spec.validate();
            match refused {
                None => assert!(result.is_ok(), "{spec:?}: {result:?}"),
                Some(text) => {
                    let message = result.expect_err("refused").message;
                    assert!(message.contains(text), "{spec:?}: {message}");
                }
            }
        }
        assert_eq!(budget(250, 0).allowance(), MS * 250);
    }

    /// Milliseconds since the start, and the running time charged then in
    /// milliseconds, or `None` for a tick due then.
    type Step = (u64, Option<u64>);

    /// Replays `steps` and returns each tick's verdict.
    fn replay(spec: CpuBudgetSpec, steps: &[Step]) -> Vec<TickVerdict> {
        let start = Instant::now();
        let mut governor = CpuGovernor::new(spec, start);
        let mut verdicts = Vec::new();
        for &(at, charged) in steps {
            let now = start + Duration::from_millis(at);
            match charged {
                Some(ran) => governor.charge(now, Duration::from_millis(ran)),
                None => verdicts.push(governor.tick(now)),
            }
        }
        verdicts
    }

    #[test]
    fn ticks_run_until_the_window_budget_is_spent_then_skip_until_the_next() {
        use TickVerdict::{End, Run, Skip};
        let skip = |first, used| Skip {
            first,
            used: MS * used,
        };
        // (case, budget, steps, verdicts)
        let cases: [(&str, CpuBudgetSpec, &[Step], Vec<TickVerdict>); 6] = [
            (
                "under budget, every tick runs",
                budget(100, 3),
                &[
                    (0, None),
                    (0, Some(60)),
                    (33, None),
                    (33, Some(30)),
                    (66, None),
                ],
                vec![Run, Run, Run],
            ),
            (
                "spent: skipped, the first one logged, until the next window",
                budget(100, 0),
                &[
                    (0, Some(100)),
                    (33, None),
                    (66, None),
                    (999, None),
                    (1000, None),
                ],
                vec![skip(true, 100), skip(false, 100), skip(false, 100), Run],
            ),
            (
                "over in a row for end-after windows: ended",
                budget(100, 2),
                &[
                    (0, Some(150)),
                    (1000, None),
                    (1000, Some(150)),
                    (2000, None),
                    (2000, Some(150)),
                    (3000, None),
                ],
                vec![Run, End { windows: 2 }, End { windows: 3 }],
            ),
            (
                "end-after 0 never ends",
                budget(100, 0),
                &[
                    (0, Some(150)),
                    (1000, Some(150)),
                    (2000, Some(150)),
                    (3000, None),
                ],
                vec![Run],
            ),
            (
                "a window under budget starts the count again",
                budget(100, 2),
                &[
                    (0, Some(150)),
                    (1000, Some(50)),
                    (2000, Some(150)),
                    (3000, None),
                ],
                vec![Run],
            ),
            (
                "an idle window between two over budget breaks the run",
                budget(100, 2),
                &[(0, Some(150)), (2000, Some(150)), (3000, None)],
                vec![Run],
            ),
        ];
        for (case, spec, steps, expected) in cases {
            assert_eq!(replay(spec, steps), expected, "{case}");
        }
    }
}
