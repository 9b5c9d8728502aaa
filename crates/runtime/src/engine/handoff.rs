//! Hot swap in the engine: replacing a
//! running instance with one of another module over a copy of the same SDK
//! state, keeping the old instance when the new one cannot take over.

use super::fault::Fault;
use super::instance::{GameMode, Instance, InstanceLimits};
use std::time::Instant;
use wasmtime::component::ComponentExportIndex;

/// The largest state a game mode may hand over, in bytes.
pub const MAX_HANDOFF_BYTES: usize = 16 << 20;

/// Why a swap did not happen.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SwapError {
    /// The new version could not take over: it failed to instantiate,
    /// refused or trapped in `restore-state`, or failed its first health
    /// check. The old version keeps running, untouched.
    #[error("{0}")]
    Refused(String),
    /// The old version faulted in `save-state`; that instance has failed.
    #[error("{0}")]
    Faulted(Fault),
}

/// What a completed swap did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Handover {
    /// The bytes of guest state handed over, when both versions export the
    /// hand-off.
    pub state_bytes: Option<usize>,
}

impl GameMode {
    /// Whether the component exports the state hand-off.
    pub fn has_handoff(&self) -> bool {
        self.handoff.is_some()
    }
}

impl Instance {
    /// Replaces this instance, between two calls, with an instance of `mode`
    /// over a copy of the same SDK state: the old version's `save-state`
    /// goes to the new one's `restore-state` when both export the hand-off,
    /// then the new version must pass a first `on-health-check`. Only then
    /// does the new instance take this one's place; otherwise this one runs
    /// on with its SDK state as it was.
    pub async fn swap_to(
        &mut self,
        mode: &GameMode,
        limits: InstanceLimits,
    ) -> Result<Handover, SwapError> {
        let state = match (&self.handoff, &mode.handoff) {
            (Some(old), Some(_)) => {
                let save = old.save();
                Some(self.save_state(save).await.map_err(SwapError::Faulted)?)
            }
            _ => None,
        };
        if let Some(state) = &state
            && state.len() > MAX_HANDOFF_BYTES
        {
            return Err(SwapError::Refused(format!(
                "save-state returned {} bytes; the limit is {MAX_HANDOFF_BYTES}",
                state.len()
            )));
        }
        let sdk = self.sdk().clone();
        let mut next = mode
            .instantiate(sdk, limits)
            .await
            .map_err(|(fault, _)| SwapError::Refused(fault.to_string()))?;
        if let (Some(state), Some(handoff)) = (&state, &mode.handoff) {
            match next.restore_state(handoff.restore(), state).await {
                Ok(Ok(())) => {}
                Ok(Err(reason)) => {
                    return Err(SwapError::Refused(format!(
                        "restore-state refused the state: {reason}"
                    )));
                }
                Err(fault) => return Err(SwapError::Refused(fault.to_string())),
            }
        }
        match next.on_health_check().await {
            Ok(true) => {}
            Ok(false) => {
                return Err(SwapError::Refused(
                    "the first on-health-check answered false".to_owned(),
                ));
            }
            Err(fault) => return Err(SwapError::Refused(fault.to_string())),
        }
        *self = next;
        Ok(Handover {
            state_bytes: state.map(|s| s.len()),
        })
    }

    async fn save_state(&mut self, index: ComponentExportIndex) -> Result<Vec<u8>, Fault> {
        self.arm();
        let started = Instant::now();
        let result = async {
            let func = self
                .raw
                .get_typed_func::<(), (Vec<u8>,)>(&mut self.store, index)?;
            let (state,) = func.call_async(&mut self.store, ()).await?;
            Ok(state)
        }
        .await;
        self.account("save-state", started);
        self.settle(result, "save-state")
    }

    async fn restore_state(
        &mut self,
        index: ComponentExportIndex,
        state: &[u8],
    ) -> Result<Result<(), String>, Fault> {
        self.arm();
        let started = Instant::now();
        let result = async {
            let func = self
                .raw
                .get_typed_func::<(&[u8],), (Result<(), String>,)>(&mut self.store, index)?;
            let (answer,) = func.call_async(&mut self.store, (state,)).await?;
            Ok(answer)
        }
        .await;
        self.account("restore-state", started);
        self.settle(result, "restore-state")
    }
}
