//! `gamehost:sdk/lifecycle`: Ready, Health, Reserve, Allocate, Shutdown.

use super::{SdkCtx, SdkFunction};
use crate::bindings::lifecycle::Host;
use crate::bindings::types::SdkError;

impl Host for SdkCtx {
    fn ready(&mut self) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::Ready);
        Ok(self.model.ready()?)
    }

    fn health(&mut self) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::Health);
        Ok(self.model.health()?)
    }

    fn reserve(&mut self, seconds: u32) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::Reserve);
        Ok(self.model.reserve(seconds)?)
    }

    fn allocate(&mut self) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::Allocate);
        Ok(self.model.allocate()?)
    }

    fn shutdown(&mut self) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::Shutdown);
        Ok(self.model.shutdown()?)
    }
}
