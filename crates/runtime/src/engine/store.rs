//! What each game server's wasmtime store holds: its SDK context, a WASI
//! context that grants nothing, its memory limits and the budget of the call
//! in progress (with the engine's lanes for long calls).

use super::budget::CallBudget;
use super::clocks::{GuestMonotonicClock, GuestWallClock};
use super::output::GuestOutput;
use crate::sdk::{LogSource, SdkCtx, SdkView};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Semaphore;
use wasmtime::ResourceLimiter;
use wasmtime::component::ResourceTable;
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
    /// to the game server's log; calls are checked every `epoch_tick`.
    pub(super) fn new(
        sdk: SdkCtx,
        memory_bytes: usize,
        epoch_tick: Duration,
        lanes: Arc<Semaphore>,
    ) -> Self {
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
            budget: CallBudget::new(epoch_tick, lanes),
        }
    }

    /// Ends the call in progress at `now`: adds the running time it used to
    /// the game server's CPU time and gives up its lane.
    pub(super) fn end_call(&mut self, now: Instant) {
        self.sdk.cpu.add(self.budget.used(now));
        self.budget.end_call();
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
