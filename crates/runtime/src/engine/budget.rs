//! The running time a call into a guest may use, charged at each epoch tick
//! the guest runs through; and the lanes that calls running past their
//! first tick take turns in, so that long calls never hold every worker.

use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::{Duration, Instant};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use wasmtime::UpdateDeadline;

/// The most epoch ticks the stretch before a call's first check is charged.
/// That stretch is timed by the clock on the wall (reading the thread's CPU
/// clock on every call would cost more than most calls); a guest that runs
/// is checked at every tick, so a longer first stretch is its thread
/// waiting for a CPU that the machine gave to something else.
const FIRST_STRETCH_TICKS: u32 = 4;

/// The running time the current call may still use. It counts the CPU time
/// the call's thread spends running it, and not the time the call has
/// yielded its worker to other game servers or its thread waited for a
/// CPU: a busy machine does not use up a guest's budget for it, and a guest
/// that spins is interrupted once it has run for its deadline.
#[derive(Debug)]
pub struct CallBudget {
    /// What the call was given.
    armed: Duration,
    left: Duration,
    /// The most the stretch before the first check is charged.
    longest_first_stretch: Duration,
    /// Where the current stretch started.
    mark: Arc<Mutex<Mark>>,
    /// The engine's lanes for long calls.
    lanes: Arc<Semaphore>,
    /// The lane the call holds, once it has run past a tick.
    lane: Arc<Mutex<Option<OwnedSemaphorePermit>>>,
}

/// Where a stretch of running started: when, and once the call has been
/// checked, on which thread and at what CPU time of that thread.
#[derive(Clone, Copy, Debug)]
struct Mark {
    at: Instant,
    cpu: Option<(ThreadId, Duration)>,
}

/// A reading at the end of a stretch.
#[derive(Clone, Copy, Debug)]
struct Reading {
    at: Instant,
    thread: ThreadId,
    cpu: Duration,
}

impl Reading {
    fn now() -> Self {
        let cpu = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        Self {
            at: Instant::now(),
            thread: std::thread::current().id(),
            cpu: Duration::new(
                u64::try_from(cpu.tv_sec).unwrap_or_default(),
                u32::try_from(cpu.tv_nsec).unwrap_or_default(),
            ),
        }
    }
}

/// The error that interrupts a call that used up its budget.
#[derive(Debug, thiserror::Error)]
#[error("the call ran past its deadline")]
pub struct DeadlineExceeded;

impl CallBudget {
    /// A budget checked every `epoch_tick`, with nothing left until armed,
    /// whose call takes one of `lanes` once it runs past a tick.
    pub(super) fn new(epoch_tick: Duration, lanes: Arc<Semaphore>) -> Self {
        Self {
            lanes,
            lane: Arc::new(Mutex::new(None)),
            armed: Duration::ZERO,
            left: Duration::ZERO,
            longest_first_stretch: epoch_tick * FIRST_STRETCH_TICKS,
            mark: Arc::new(Mutex::new(Mark {
                at: Instant::now(),
                cpu: None,
            })),
        }
    }

    /// Gives the next call `deadline` of running time.
    pub(super) fn arm(&mut self, deadline: Duration) {
        self.end_call();
        self.armed = deadline;
        self.left = deadline;
        *lock(&self.mark) = Mark {
            at: Instant::now(),
            cpu: None,
        };
    }

    /// Gives up the call's lane, if it holds one: the call has ended.
    pub(super) fn end_call(&mut self) {
        lock(&self.lane).take();
    }

    /// The running time the call used, had it ended at `now`: what its
    /// ticks were charged, and the stretch since the last one on the wall
    /// (capped as a first stretch is). A call that ends before its first
    /// tick costs no read of the thread's CPU clock.
    pub(super) fn used(&self, now: Instant) -> Duration {
        let since = now
            .saturating_duration_since(lock(&self.mark).at)
            .min(self.longest_first_stretch);
        (self.armed - self.left) + since
    }

    /// How long the call ran in the stretch from `mark` to `now`: its
    /// thread's CPU time when the stretch started on the same thread, and
    /// otherwise (the first stretch, or a call that moved to another
    /// thread while it waited on the host) the time on the wall, capped.
    fn ran(&self, mark: Mark, now: Reading) -> Duration {
        match mark.cpu {
            Some((thread, cpu)) if thread == now.thread => now.cpu.saturating_sub(cpu),
            _ => now
                .at
                .saturating_duration_since(mark.at)
                .min(self.longest_first_stretch),
        }
    }

    /// Charges `ran`; fails once the budget is used up.
    fn charge(&mut self, ran: Duration) -> Result<(), DeadlineExceeded> {
        if ran >= self.left {
            self.left = Duration::ZERO;
            return Err(DeadlineExceeded);
        }
        self.left -= ran;
        Ok(())
    }

    /// The epoch callback's work at each tick a guest runs through: charges
    /// the time it ran since it last got its worker, interrupts the call
    /// once its budget is used up, and otherwise yields the worker so other
    /// game servers run and queues for a lane (in turn with the other long
    /// calls), marking where the call starts running again.
    pub(super) fn on_tick(&mut self) -> wasmtime::Result<UpdateDeadline> {
        let mark = *lock(&self.mark);
        let ran = self.ran(mark, Reading::now());
        self.charge(ran)?;
        let next = self.mark.clone();
        let lanes = self.lanes.clone();
        let lane = self.lane.clone();
        Ok(UpdateDeadline::YieldCustom(
            1,
            Box::pin(async move {
                // The lane goes to the long call that waited longest, and
                // tokio's yield runs the tasks already waiting first. The
                // call resumes on the thread this completes on.
                lock(&lane).take();
                tokio::task::yield_now().await;
                if let Ok(permit) = lanes.acquire_owned().await {
                    *lock(&lane) = Some(permit);
                }
                let now = Reading::now();
                *lock(&next) = Mark {
                    at: now.at,
                    cpu: Some((now.thread, now.cpu)),
                };
            }),
        ))
    }
}

fn lock<T>(shared: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    shared
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn a_call_is_charged_until_its_budget_is_used_up() {
        // (case, deadline, stretches, interrupted at stretch)
        let cases: [(&str, u32, &[u32], Option<usize>); 4] = [
            (
                "a spinning guest, one tick a stretch",
                40,
                &[1; 40],
                Some(39),
            ),
            ("just under the deadline", 40, &[1; 39], None),
            ("a few long stretches", 10, &[4, 4, 2], Some(2)),
            ("nothing left", 0, &[0], Some(0)),
        ];
        for (case, deadline, stretches, interrupted) in cases {
            let mut budget = CallBudget::new(MS, Arc::new(Semaphore::new(1)));
            budget.arm(MS * deadline);
            let at = stretches
                .iter()
                .position(|&ran| budget.charge(MS * ran).is_err());
            assert_eq!(at, interrupted, "{case}");
        }
    }

    #[test]
    fn a_call_uses_what_its_ticks_were_charged_and_its_last_stretch() {
        let mut budget = CallBudget::new(MS, Arc::new(Semaphore::new(1)));
        budget.arm(MS * 40);
        let start = lock(&budget.mark).at;
        assert_eq!(budget.used(start + MS / 2), MS / 2, "no tick yet");
        budget.charge(MS * 3).expect("within the deadline");
        let mark = start + MS * 30;
        lock(&budget.mark).at = mark;
        assert_eq!(budget.used(mark + MS), MS * 4, "three charged, one since");
        assert_eq!(
            budget.used(mark + MS * 100),
            MS * 7,
            "a last stretch that waited for a CPU is capped"
        );
        budget.arm(MS * 40);
        assert!(
            budget.used(Instant::now()) < MS * 4,
            "a new call starts at 0"
        );
    }

    /// Runs the tick callback's yield of a call that has just armed.
    fn run_past_a_tick(budget: &mut CallBudget) -> tokio::task::JoinHandle<()> {
        match budget.on_tick().expect("within the deadline") {
            UpdateDeadline::YieldCustom(_, resume) => tokio::spawn(resume),
            _ => panic!("a running call yields at each tick"),
        }
    }

    #[tokio::test]
    async fn long_calls_take_turns_in_the_lanes() {
        let lanes = Arc::new(Semaphore::new(1));
        let mut first = CallBudget::new(MS, lanes.clone());
        let mut second = CallBudget::new(MS, lanes.clone());
        first.arm(MS * 40);
        second.arm(MS * 40);
        run_past_a_tick(&mut first).await.expect("the lane is free");
        assert_eq!(lanes.available_permits(), 0, "the first call holds it");
        let waiting = run_past_a_tick(&mut second);
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert!(!waiting.is_finished(), "the second waits for the lane");
        first.end_call();
        waiting.await.expect("the lane passes on");
        assert_eq!(lanes.available_permits(), 0, "now the second holds it");
        second.arm(MS * 40);
        assert_eq!(
            lanes.available_permits(),
            1,
            "a new call starts without one"
        );
    }

    #[test]
    fn a_stretch_counts_its_threads_cpu_time_or_a_capped_wall_time() {
        let start = Instant::now();
        let here = std::thread::current().id();
        let elsewhere = std::thread::spawn(|| std::thread::current().id())
            .join()
            .unwrap();
        let reading = |wall: u32, cpu: u32| Reading {
            at: start + MS * wall,
            thread: here,
            cpu: MS * cpu,
        };
        // (case, where the stretch started, the reading at its end, charged)
        let cases = [
            (
                "the first stretch, on the wall",
                Mark {
                    at: start,
                    cpu: None,
                },
                reading(2, 100),
                MS * 2,
            ),
            (
                "a first stretch that waited long for a CPU",
                Mark {
                    at: start,
                    cpu: None,
                },
                reading(50, 100),
                MS * 4,
            ),
            (
                "a later stretch on one thread, by its CPU time",
                Mark {
                    at: start,
                    cpu: Some((here, MS * 90)),
                },
                reading(50, 91),
                MS,
            ),
            (
                "a stretch that moved threads, on the wall, capped",
                Mark {
                    at: start,
                    cpu: Some((elsewhere, MS * 90)),
                },
                reading(50, 91),
                MS * 4,
            ),
        ];
        let budget = CallBudget::new(MS, Arc::new(Semaphore::new(1)));
        for (case, mark, now, charged) in cases {
            assert_eq!(budget.ran(mark, now), charged, "{case}");
        }
    }
}
