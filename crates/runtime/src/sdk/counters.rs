//! `gamehost:sdk/counters`: Agones Counters.

use super::{SdkCtx, SdkFunction, convert};
use crate::bindings::counters::{CounterUpdate, Host};
use crate::bindings::types::{Counter, SdkError};
use gamehost_model as model;

impl Host for SdkCtx {
    fn get_counter_count(&mut self, key: String) -> Result<i64, SdkError> {
        self.calls.count(SdkFunction::GetCounterCount);
        Ok(self.model.counters().get(&key)?.count)
    }

    fn set_counter_count(&mut self, key: String, amount: i64) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::SetCounterCount);
        Ok(self.model.update_counters(|c| c.set_count(&key, amount))?)
    }

    fn increment_counter(&mut self, key: String, amount: i64) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::IncrementCounter);
        Ok(self.model.update_counters(|c| c.increment(&key, amount))?)
    }

    fn decrement_counter(&mut self, key: String, amount: i64) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::DecrementCounter);
        Ok(self.model.update_counters(|c| c.decrement(&key, amount))?)
    }

    fn get_counter_capacity(&mut self, key: String) -> Result<i64, SdkError> {
        self.calls.count(SdkFunction::GetCounterCapacity);
        Ok(self.model.counters().get(&key)?.capacity)
    }

    fn set_counter_capacity(&mut self, key: String, amount: i64) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::SetCounterCapacity);
        Ok(self
            .model
            .update_counters(|c| c.set_capacity(&key, amount))?)
    }

    fn get_counter(&mut self, key: String) -> Result<Counter, SdkError> {
        self.calls.count(SdkFunction::GetCounter);
        Ok(convert::counter(&key, self.model.counters().get(&key)?))
    }

    fn update_counter(&mut self, key: String, update: CounterUpdate) -> Result<Counter, SdkError> {
        self.calls.count(SdkFunction::UpdateCounter);
        let update = model::CounterUpdate {
            capacity: update.capacity,
            count: update.count,
            count_diff: update.count_diff,
        };
        let counter = self.model.update_counters(|c| c.update(&key, update))?;
        Ok(convert::counter(&key, counter))
    }
}
