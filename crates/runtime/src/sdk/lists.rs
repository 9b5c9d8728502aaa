//! `gamehost:sdk/lists`: Agones Lists.

use super::{SdkCtx, SdkFunction, convert};
use crate::bindings::lists::{Host, ListUpdate};
use crate::bindings::types::{SdkError, StringList};
use gamehost_model as model;

impl Host for SdkCtx {
    fn append_list_value(&mut self, key: String, value: String) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::AppendListValue);
        Ok(self.model.update_lists(|l| l.append(&key, &value))?)
    }

    fn delete_list_value(&mut self, key: String, value: String) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::DeleteListValue);
        Ok(self.model.update_lists(|l| l.delete(&key, &value))?)
    }

    fn get_list_values(&mut self, key: String) -> Result<Vec<String>, SdkError> {
        self.calls.count(SdkFunction::GetListValues);
        Ok(self.model.lists().get(&key)?.values.clone())
    }

    fn list_contains(&mut self, key: String, value: String) -> Result<bool, SdkError> {
        self.calls.count(SdkFunction::ListContains);
        Ok(self.model.lists().contains(&key, &value)?)
    }

    fn get_list_length(&mut self, key: String) -> Result<u32, SdkError> {
        self.calls.count(SdkFunction::GetListLength);
        let length = self.model.lists().get(&key)?.values.len();
        Ok(u32::try_from(length).unwrap_or(u32::MAX))
    }

    fn get_list_capacity(&mut self, key: String) -> Result<i64, SdkError> {
        self.calls.count(SdkFunction::GetListCapacity);
        Ok(self.model.lists().get(&key)?.capacity)
    }

    fn set_list_capacity(&mut self, key: String, amount: i64) -> Result<(), SdkError> {
        self.calls.count(SdkFunction::SetListCapacity);
        Ok(self.model.update_lists(|l| l.set_capacity(&key, amount))?)
    }

    fn get_list(&mut self, key: String) -> Result<StringList, SdkError> {
        self.calls.count(SdkFunction::GetList);
        Ok(convert::list(&key, self.model.lists().get(&key)?))
    }

    fn update_list(&mut self, key: String, update: ListUpdate) -> Result<StringList, SdkError> {
        self.calls.count(SdkFunction::UpdateList);
        let update = model::ListUpdate {
            capacity: update.capacity,
            values: update.values,
        };
        let list = self.model.update_lists(|l| l.update(&key, update))?;
        Ok(convert::list(&key, &list))
    }
}
