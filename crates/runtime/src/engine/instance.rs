//! A loaded game mode and its running instances: every call into a guest
//! runs under the game server's memory cap and call deadline, and a failure
//! comes back as a classified [`Fault`].

use super::GameEngine;
use super::fault::Fault;
use super::handoff_exports::HandoffExports;
use super::store::GuestState;
use super::timing::CallTimes;
use crate::bindings::{self, callbacks, ticks};
use crate::sdk::{SdkCtx, convert};
use gamehost_model as model;
use std::time::{Duration, Instant};
use wasmtime::Store;
use wasmtime::component::{Component, InstancePre};

/// A validated, compiled game mode, ready to instantiate.
#[derive(Clone)]
pub struct GameMode {
    pub(super) engine: GameEngine,
    pub(super) digest: String,
    pub(super) size: usize,
    pub(super) from_cache: bool,
    pub(super) component: Component,
    pub(super) pre: InstancePre<GuestState>,
    pub(super) exports: Exports,
    pub(super) handoff: Option<HandoffExports>,
}

/// Where a game mode's exported interfaces are: the callbacks, and the game
/// loop when it has one.
#[derive(Clone)]
pub(super) struct Exports {
    pub(super) callbacks: callbacks::GuestIndices,
    pub(super) ticks: Option<ticks::GuestIndices>,
}

/// Per-game-server limits within the engine's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstanceLimits {
    /// Memory cap in bytes.
    pub memory_bytes: u64,
    /// Running-time deadline of each call.
    pub call_deadline: Duration,
}

impl GameMode {
    /// The sha256 of the module's bytes, in hex.
    pub fn digest(&self) -> &str {
        &self.digest
    }

    /// The module's size in bytes.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Whether the compiled artifact came from the engine's cache rather
    /// than from compiling the module.
    pub fn from_cache(&self) -> bool {
        self.from_cache
    }

    /// The engine the game mode runs on.
    pub fn engine(&self) -> &GameEngine {
        &self.engine
    }

    /// Whether the game mode exports the game loop, `ticks`.
    pub fn has_game_loop(&self) -> bool {
        self.exports.ticks.is_some()
    }

    /// The compiled component.
    pub fn component(&self) -> &Component {
        &self.component
    }

    /// Starts an instance acting on `sdk`. On failure the context comes back
    /// with the fault, so the game server can record it.
    pub async fn instantiate(
        &self,
        sdk: SdkCtx,
        limits: InstanceLimits,
    ) -> Result<Instance, (Fault, Box<SdkCtx>)> {
        let memory = usize::try_from(
            limits
                .memory_bytes
                .min(self.engine.settings().max_memory_bytes),
        )
        .unwrap_or(usize::MAX);
        let state = GuestState::new(
            sdk,
            memory,
            self.engine.settings().epoch_tick,
            self.engine.lanes(),
        );
        let mut store = Store::new(self.engine.wasmtime(), state);
        store.limiter(|state| &mut state.limits);
        store.epoch_deadline_callback(|mut store| store.data_mut().budget.on_tick());
        store.data_mut().budget.arm(limits.call_deadline);
        store.set_epoch_deadline(1);
        let started = match self.pre.instantiate_async(&mut store).await {
            Ok(raw) => self
                .load_exports(&mut store, &raw)
                .map(|(guest, game_loop)| (raw, guest, game_loop)),
            Err(error) => Err(error),
        };
        store.data_mut().end_call(Instant::now());
        match started {
            Ok((raw, guest, game_loop)) => Ok(Instance {
                store,
                guest,
                game_loop,
                raw,
                handoff: self.handoff.clone(),
                deadline: limits.call_deadline,
                times: self.engine.call_times().clone(),
            }),
            Err(error) => {
                let fault = Fault::start_failed(error, &store.data().limits, limits.call_deadline);
                Err((fault, Box::new(store.into_data().into_sdk())))
            }
        }
    }

    fn load_exports(
        &self,
        store: &mut Store<GuestState>,
        instance: &wasmtime::component::Instance,
    ) -> wasmtime::Result<(callbacks::Guest, Option<ticks::Guest>)> {
        let guest = self.exports.callbacks.load(&mut *store, instance)?;
        let game_loop = match &self.exports.ticks {
            Some(ticks) => Some(ticks.load(&mut *store, instance)?),
            None => None,
        };
        Ok((guest, game_loop))
    }
}

/// A running game-mode instance.
pub struct Instance {
    pub(super) store: Store<GuestState>,
    guest: callbacks::Guest,
    game_loop: Option<ticks::Guest>,
    pub(super) raw: wasmtime::component::Instance,
    pub(super) handoff: Option<HandoffExports>,
    deadline: Duration,
    times: CallTimes,
}

macro_rules! export {
    ($(#[$doc:meta])* $name:ident($($arg:ident: $ty:ty),*) -> $ret:ty, $call:ident($($value:expr),*), $wit:literal) => {
        $(#[$doc])*
        pub async fn $name(&mut self, $($arg: $ty),*) -> Result<$ret, Fault> {
            self.arm();
            let started = Instant::now();
            let result = self.guest.$call(&mut self.store, $($value),*).await;
            self.account($wit, started);
            self.settle(result, $wit)
        }
    };
}

impl Instance {
    /// The SDK context.
    pub fn sdk(&mut self) -> &mut SdkCtx {
        &mut self.store.data_mut().sdk
    }

    /// Ends the instance, keeping its SDK context.
    pub fn into_sdk(self) -> SdkCtx {
        self.store.into_data().into_sdk()
    }

    /// Whether the instance has a game loop.
    pub fn has_game_loop(&self) -> bool {
        self.game_loop.is_some()
    }

    /// Calls `on-tick` with the time since the previous tick; without a game
    /// loop, does nothing.
    pub async fn on_tick(&mut self, elapsed: Duration) -> Result<(), Fault> {
        let Some(game_loop) = self.game_loop.clone() else {
            return Ok(());
        };
        self.arm();
        let started = Instant::now();
        let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
        let result = game_loop.call_on_tick(&mut self.store, micros).await;
        self.account("on-tick", started);
        self.settle(result, "on-tick")
    }

    pub(super) fn arm(&mut self) {
        let data = self.store.data_mut();
        data.budget.arm(self.deadline);
        data.limits.refused = None;
        self.store.set_epoch_deadline(1);
    }

    /// Records a call that `started` and just ended: its time by export,
    /// and its running time in the game server's CPU time; gives up its
    /// lane.
    pub(super) fn account(&mut self, export: &'static str, started: Instant) {
        let now = Instant::now();
        self.times.record(export, now - started);
        self.store.data_mut().end_call(now);
    }

    pub(super) fn settle<R>(
        &mut self,
        result: wasmtime::Result<R>,
        export: &'static str,
    ) -> Result<R, Fault> {
        result.map_err(|error| {
            Fault::classify(error, export, &self.store.data().limits, self.deadline)
        })
    }

    export!(
        /// Calls `on-process-start`.
        on_process_start() -> (), call_on_process_start(), "on-process-start"
    );
    export!(
        /// Calls `on-start-game-session`.
        on_start_game_session(session: &model::GameSession) -> (),
        call_on_start_game_session(&convert::game_session(session)), "on-start-game-session"
    );
    export!(
        /// Calls `on-update-game-session`.
        on_update_game_session(update: bindings::types::UpdateGameSession) -> (),
        call_on_update_game_session(&update), "on-update-game-session"
    );
    export!(
        /// Calls `on-process-terminate`.
        on_process_terminate(termination_time: model::Timestamp) -> (),
        call_on_process_terminate(termination_time.as_secs()), "on-process-terminate"
    );
    export!(
        /// Calls `on-health-check`.
        on_health_check() -> bool, call_on_health_check(), "on-health-check"
    );
    export!(
        /// Calls `on-game-server-update`.
        on_game_server_update(record: &model::GameServerRecord) -> (),
        call_on_game_server_update(&convert::game_server(record)), "on-game-server-update"
    );
    export!(
        /// Calls `on-player-connect`; the guest's error is its refusal.
        on_player_connect(player_session_id: &str) -> Result<(), String>,
        call_on_player_connect(player_session_id), "on-player-connect"
    );
    export!(
        /// Calls `on-player-message`.
        on_player_message(player_session_id: &str, message: &[u8]) -> (),
        call_on_player_message(player_session_id, message), "on-player-message"
    );
    export!(
        /// Calls `on-player-disconnect`.
        on_player_disconnect(player_session_id: &str) -> (),
        call_on_player_disconnect(player_session_id), "on-player-disconnect"
    );
}
