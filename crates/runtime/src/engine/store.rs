//! What each game server's wasmtime store holds: its SDK context, a WASI
//! context that grants nothing, its memory limits and the budget of the call
//! in progress.

use super::clocks::{GuestMonotonicClock, GuestWallClock};
use super::output::GuestOutput;
use crate::sdk::{LogSource, SdkCtx, SdkView};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wasmtime::component::ResourceTable;
use wasmtime::{ResourceLimiter, StoreContextMut, UpdateDeadline};
use wasmtime_wasi::{WasiCtx, WasiCtxBuilder, WasiCtxView, WasiView};

/// The data of a game server's store.
pub struct GuestState {
    pub(super) sdk: SdkCtx,
    wasi: WasiCtx,
    table: ResourceTable,
    pub(super) limits: GuestLimits,
    pub(super) budget: CallBudget,
}

impl GuestState {
    /// State for a new instance: WASI with no files, network, environment or
    /// arguments, its game server's clock for time, and stdout/stderr going
    /// to the game server's log.
    pub(super) fn new(sdk: SdkCtx, memory_bytes: usize) -> Self {
        // Nothing is granted: no preopened directories, environment variables
        // or arguments (the builder starts without them), and no network,
        // stated here rather than left to the builder's defaults.
        let wasi = WasiCtxBuilder::new()
            .allow_tcp(false)
            .allow_udp(false)
            .allow_ip_name_lookup(false)
            .wall_clock(GuestWallClock::new(sdk.model.clock()))
            .monotonic_clock(GuestMonotonicClock::new(
                sdk.model.clock(),
                sdk.model.created_at(),
            ))
            .stdout(GuestOutput::new(sdk.log.clone(), LogSource::Stdout))
            .stderr(GuestOutput::new(sdk.log.clone(), LogSource::Stderr))
            .build();
        Self {
            sdk,
            wasi,
            table: ResourceTable::new(),
            limits: GuestLimits {
                memory_bytes,
                refused: None,
            },
            budget: CallBudget::new(),
        }
    }

    /// Gives back the SDK context, to outlive the instance.
    pub(super) fn into_sdk(self) -> SdkCtx {
        self.sdk
    }
}

impl WasiView for GuestState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl SdkView for GuestState {
    fn sdk(&mut self) -> &mut SdkCtx {
        &mut self.sdk
    }
}

/// A game server's memory cap, and what it refused during the current call.
#[derive(Debug)]
pub struct GuestLimits {
    pub(super) memory_bytes: usize,
    pub(super) refused: Option<usize>,
}

impl ResourceLimiter for GuestLimits {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        if desired > self.memory_bytes {
            self.refused = Some(desired);
            return Ok(false);
        }
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        _desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        // The pool's table slots bound every table already.
        Ok(true)
    }
}

/// The running time the current call may still use. It counts while the
/// call runs on a worker thread, the thread's own waits for a CPU included,
/// and not while the call has yielded its worker to other game servers:
/// a busy host does not use up a guest's budget for it, and a guest that
/// spins is interrupted at its deadline however loaded the machine is.
#[derive(Debug)]
pub struct CallBudget {
    left: Duration,
    /// When the call started or last got its worker back.
    resumed: Arc<Mutex<Instant>>,
}

/// The error that interrupts a call that used up its budget.
#[derive(Debug, thiserror::Error)]
#[error("the call ran past its deadline")]
pub struct DeadlineExceeded;

impl CallBudget {
    fn new() -> Self {
        Self {
            left: Duration::ZERO,
            resumed: Arc::new(Mutex::new(Instant::now())),
        }
    }

    /// Gives the next call `deadline` of running time.
    pub(super) fn arm(&mut self, deadline: Duration) {
        self.left = deadline;
        *lock(&self.resumed) = Instant::now();
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
        if ran >= budget.left {
            return Err(DeadlineExceeded.into());
        }
        budget.left -= ran;
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
