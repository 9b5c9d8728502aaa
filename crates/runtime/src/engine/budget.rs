//! The running time a call into a guest may use, charged at each epoch tick
//! the guest runs through.

use super::store::GuestState;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime::{StoreContextMut, UpdateDeadline};

/// The most epoch ticks one stretch between two checks is charged. A guest
/// that runs is checked at every tick, so a longer stretch is time its
/// thread waited for a CPU the machine gave to something else: a busy
/// machine does not use up a guest's budget for it.
const TICKS_CHARGED_AT_MOST: u32 = 4;

/// The running time the current call may still use. It counts while the
/// call runs on a worker thread, and not while the call has yielded its
/// worker to other game servers or its thread waited long for a CPU; a
/// guest that spins is interrupted at its deadline however loaded the
/// machine is.
#[derive(Debug)]
pub struct CallBudget {
    left: Duration,
    /// The most one stretch between two checks is charged.
    longest_stretch: Duration,
    /// When the call started or last got its worker back.
    resumed: Arc<Mutex<Instant>>,
}

/// The error that interrupts a call that used up its budget.
#[derive(Debug, thiserror::Error)]
#[error("the call ran past its deadline")]
pub struct DeadlineExceeded;

impl CallBudget {
    /// A budget checked every `epoch_tick`, with nothing left until armed.
    pub(super) fn new(epoch_tick: Duration) -> Self {
        Self {
            left: Duration::ZERO,
            longest_stretch: epoch_tick * TICKS_CHARGED_AT_MOST,
            resumed: Arc::new(Mutex::new(Instant::now())),
        }
    }

    /// Gives the next call `deadline` of running time.
    pub(super) fn arm(&mut self, deadline: Duration) {
        self.left = deadline;
        *lock(&self.resumed) = Instant::now();
    }

    /// Charges a stretch of `ran` since the call started or got its worker
    /// back; fails once the budget is used up.
    fn charge(&mut self, ran: Duration) -> Result<(), DeadlineExceeded> {
        let charged = ran.min(self.longest_stretch);
        if charged >= self.left {
            self.left = Duration::ZERO;
            return Err(DeadlineExceeded);
        }
        self.left -= charged;
        Ok(())
    }

    /// The epoch callback, at each tick a guest runs through: charges the
    /// time it ran since it last got its worker, interrupts the call once
    /// its budget is used up, and otherwise yields the worker so other game
    /// servers run, noting when the call gets it back.
    pub(super) fn on_tick(
        mut store: StoreContextMut<'_, GuestState>,
    ) -> wasmtime::Result<UpdateDeadline> {
        let budget = &mut store.data_mut().budget;
        let ran = lock(&budget.resumed).elapsed();
        budget.charge(ran)?;
        let resumed = budget.resumed.clone();
        Ok(UpdateDeadline::YieldCustom(
            1,
            Box::pin(async move {
                // tokio's yield runs the tasks already waiting first.
                tokio::task::yield_now().await;
                *lock(&resumed) = Instant::now();
            }),
        ))
    }
}

fn lock(resumed: &Mutex<Instant>) -> std::sync::MutexGuard<'_, Instant> {
    resumed
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_call_is_charged_what_it_ran_up_to_a_few_ticks_per_stretch() {
        // (case, deadline, stretches between checks, interrupted at stretch)
        let cases: [(&str, u32, &[u32], Option<usize>); 6] = [
            (
                "a spinning guest, one tick a stretch",
                40,
                &[1; 40],
                Some(39),
            ),
            ("just under the deadline", 40, &[1; 39], None),
            (
                "a thread that waited long for a CPU",
                40,
                &[1, 100, 1, 100, 1],
                None,
            ),
            ("long waits still add up", 40, &[50; 10], Some(9)),
            (
                "a stretch of a few ticks counts whole",
                10,
                &[4, 4, 2],
                Some(2),
            ),
            ("nothing left", 0, &[0], Some(0)),
        ];
        for (case, deadline, stretches, interrupted) in cases {
            let mut budget = CallBudget::new(MS);
            budget.arm(MS * deadline);
            let at = stretches
                .iter()
                .position(|&ran| budget.charge(MS * ran).is_err());
            assert_eq!(at, interrupted, "{case}");
        }
    }
}
