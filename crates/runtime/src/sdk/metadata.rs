//! `gamehost:sdk/metadata`: SetLabel and SetAnnotation.

use super::{SdkCtx, SdkFunction};
use crate::bindings::metadata::Host;
use crate::bindings::types::SdkError;

impl Host for SdkCtx {
    fn set_label(&mut self, key: String, value: String) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::SetLabel);
        Ok(self.model.set_label(&key, &value)?)
    }

    fn set_annotation(&mut self, key: String, value: String) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::SetAnnotation);
        Ok(self.model.set_annotation(&key, &value)?)
    }
}
