//! A game server's CPU budget, as its template sets it: ticks skipped while
//! a window's share is spent, and the game server ended when that persists.

use super::Runner;
use crate::sdk::{LogLevel, LogSource};
use gamehost_model::{CpuBudgetSpec, CpuGovernor, EndKind, TickVerdict};
use std::time::{Duration, Instant};

/// A game server's governor, and how much of its CPU time it was charged.
pub(super) struct Budget {
    governor: CpuGovernor,
    charged: Duration,
}

impl Budget {
    /// Follows the budget of the game server's template, if it sets one.
    pub(super) fn of(runner: &mut Runner) -> Option<Self> {
        let spec = runner.model().spec().cpu_budget?;
        let charged = runner.sdk().cpu.used();
        Some(Self {
            governor: CpuGovernor::new(spec, now()),
            charged,
        })
    }
}

/// The time the budget's windows follow: tokio's, so tests may pause it.
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

impl Runner {
    /// Charges the CPU time used since the last charge; ends the game server
    /// if it has been over its budget for too long.
    pub(super) fn keep_cpu_budget(&mut self) {
        self.cpu_verdict(false);
    }

    /// Whether a tick that is due runs under the CPU budget. A skipped tick
    /// is counted, and the first of a window logged.
    pub(super) fn tick_within_cpu_budget(&mut self) -> bool {
        match self.cpu_verdict(true) {
            None | Some((TickVerdict::Run, _)) => true,
            Some((TickVerdict::Skip { first, used }, budget)) => {
                let sdk = self.sdk();
                sdk.cpu.skip_tick();
                sdk.players.stats().tick_skipped();
                if first {
                    let message = format!(
                        "ticks skipped until the next window: {} ms of CPU used in this \
                         {} ms window, past the budget of {} ms ({} millicores)",
                        used.as_millis(),
                        budget.window_millis,
                        budget.allowance().as_millis(),
                        budget.millicores,
                    );
                    self.sdk()
                        .log
                        .write(LogLevel::Warn, LogSource::Host, &message, Vec::new());
                }
                false
            }
            Some((TickVerdict::End { .. }, _)) => false,
        }
    }

    /// Charges the CPU time used since the last charge and asks the
    /// governor, for a tick due now (`tick`) or only whether the game
    /// server may go on; ends the game server on `End`. `None` without a
    /// budget; the verdict comes with the budget it was given under.
    fn cpu_verdict(&mut self, tick: bool) -> Option<(TickVerdict, CpuBudgetSpec)> {
        let used = self.sdk().cpu.used();
        let budget = self.cpu_budget.as_mut()?;
        let now = now();
        budget
            .governor
            .charge(now, used.saturating_sub(budget.charged));
        budget.charged = used;
        let verdict = if tick {
            budget.governor.tick(now)
        } else {
            budget
                .governor
                .persisted(now)
                .map_or(TickVerdict::Run, |windows| TickVerdict::End { windows })
        };
        let spec = *budget.governor.budget();
        if let TickVerdict::End { windows } = verdict {
            let reason = format!(
                "used more than its CPU budget ({} millicores over {} ms) for {windows} \
                 windows in a row",
                spec.millicores, spec.window_millis
            );
            self.sdk().log.write(
                LogLevel::Error,
                LogSource::Host,
                format!("the game server ended: {reason}"),
                Vec::new(),
            );
            self.model().fail(EndKind::CpuBudget, &reason);
        }
        Some((verdict, spec))
    }
}
