//! `gamehost:sdk/logging`.

use super::log::{LogLevel, LogSource};
use super::{SdkCtx, SdkFunction};
use crate::bindings::logging::{Host, Level};
use crate::bindings::types::KeyValue;

impl Host for SdkCtx {
    fn log(&mut self, level: Level, message: String, fields: Vec<KeyValue>) {
        self.calls.count(SdkFunction::Log);
        let level = match level {
            Level::Trace => LogLevel::Trace,
            Level::Debug => LogLevel::Debug,
            Level::Info => LogLevel::Info,
            Level::Warn => LogLevel::Warn,
            Level::Error => LogLevel::Error,
        };
        let fields = fields.into_iter().map(|f| (f.key, f.value)).collect();
        self.log.write(level, LogSource::Sdk, &message, fields);
    }
}
