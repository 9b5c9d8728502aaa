//! The host side of every SDK import, one file per WIT interface.
//!
//! Host functions act on an [`SdkCtx`]: the game server's [`model`] state,
//! its log, a count of calls per SDK function and the running time used. Store data exposes its
//! context through [`SdkView`], and [`add_to_linker`] wires every interface.
//!
//! [`model`]: gamehost_model

mod calls;
mod configuration;
pub mod convert;
mod counters;
mod cpu;
mod gateway;
mod lifecycle;
mod lists;
mod log;
mod logging;
mod metadata;
mod players;
mod process;
mod sessions;

use crate::bindings;
use crate::players::{PlayStats, PlayerLinks};
use gamehost_model::GameServer;
use wasmtime::component::{HasSelf, Linker};

pub use calls::{SdkCalls, SdkFunction};
pub use cpu::CpuTime;
pub use log::{GuestLog, LogLevel, LogLine, LogSource};

/// The version `get-sdk-version` reports: the WIT package's.
pub const SDK_VERSION: &str = "0.1.0";

/// What SDK calls act on for one game server. A clone shares the log and
/// the call counts and copies the state.
#[derive(Clone, Debug)]
pub struct SdkCtx {
    /// The game server's state.
    pub model: GameServer,
    /// Where the guest's log lines go.
    pub log: GuestLog,
    /// Calls per SDK function.
    pub calls: SdkCalls,
    /// The running time its calls used.
    pub cpu: CpuTime,
    /// The players connected over the gateway.
    pub players: PlayerLinks,
}

impl SdkCtx {
    /// A context for `model` that logs to `log`, counts calls in `calls`,
    /// their running time in `cpu` and players' messages in `play`.
    pub fn new(
        model: GameServer,
        log: GuestLog,
        calls: SdkCalls,
        cpu: CpuTime,
        play: PlayStats,
    ) -> Self {
        Self {
            model,
            log,
            calls,
            cpu,
            players: PlayerLinks::new(play),
        }
    }
}

/// Store data that carries an [`SdkCtx`].
pub trait SdkView: Send {
    /// The SDK context.
    fn sdk(&mut self) -> &mut SdkCtx;
}

/// Adds every SDK interface to `linker`, backed by `T`'s [`SdkCtx`].
pub fn add_to_linker<T: SdkView + 'static>(linker: &mut Linker<T>) -> wasmtime::Result<()> {
    bindings::GameLoop::add_to_linker::<T, HasSelf<SdkCtx>>(linker, T::sdk)
}

impl bindings::types::Host for SdkCtx {}
