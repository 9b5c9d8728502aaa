//! A control-plane allocation's effect on the game server it picked: the
//! state it must still be in, metadata to apply, and counter and list
//! actions (Agones' GameServerAllocation `metadata`, `counters`, `lists`).

use super::error::{Error, Result};
use super::game_server::{GameServer, check_metadata_room};
use super::limits::{MAX_ANNOTATION_VALUE_BYTES, MAX_ANNOTATIONS, MAX_LABELS};
use super::names::{validate_label_value, validate_qualified_name};
use super::state::GameServerState;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which way a counter action moves the count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum CountDirection {
    /// Adds `amount`.
    Increment,
    /// Subtracts `amount`.
    Decrement,
}

/// A change to one counter on allocation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct CounterAction {
    /// Increment or Decrement, by `amount`.
    pub action: Option<CountDirection>,
    /// How much (positive).
    pub amount: i64,
    /// A new capacity, set before the count changes.
    pub capacity: Option<i64>,
}

/// A change to one list on allocation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ListAction {
    /// Values to add; ones already present are left as they are.
    pub add_values: Vec<String>,
    /// Values to remove; absent ones are ignored.
    pub delete_values: Vec<String>,
    /// A new capacity, set before values are added.
    pub capacity: Option<i64>,
}

/// Everything an allocation does to the game server it picked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AllocationChange {
    /// The state the game server was picked in: Ready, or Allocated when a
    /// selector shares allocated game servers by capacity.
    pub from: Option<GameServerState>,
    /// Labels to set.
    pub labels: BTreeMap<String, String>,
    /// Annotations to set.
    pub annotations: BTreeMap<String, String>,
    /// Counter actions, by counter.
    pub counters: BTreeMap<String, CounterAction>,
    /// List actions, by list.
    pub lists: BTreeMap<String, ListAction>,
}

impl GameServer {
    /// Control-plane allocation: the game server must still be in the state
    /// it was picked in (Ready unless given); every change applies, or none.
    pub fn allocate_by_request(&mut self, change: &AllocationChange) -> Result<()> {
        let from = change.from.unwrap_or(GameServerState::Ready);
        if !matches!(from, GameServerState::Ready | GameServerState::Allocated) {
            return Err(Error::invalid_argument(format!(
                "only Ready or Allocated game servers can be allocated, not {from}"
            )));
        }
        if self.state != from {
            return Err(Error::failed_precondition(format!(
                "the game server is {}, not {from}",
                self.state
            )));
        }
        for (key, value) in &change.labels {
            validate_qualified_name(key)?;
            validate_label_value(value)?;
        }
        for (key, value) in &change.annotations {
            validate_qualified_name(key)?;
            if value.len() > MAX_ANNOTATION_VALUE_BYTES {
                return Err(Error::invalid_argument(format!(
                    "annotation {key:?}: values are at most {MAX_ANNOTATION_VALUE_BYTES} bytes"
                )));
            }
        }
        let mut labels = self.labels.clone();
        labels.extend(change.labels.clone());
        let mut annotations = self.annotations.clone();
        annotations.extend(change.annotations.clone());
        check_metadata_room("label", &labels, MAX_LABELS)?;
        check_metadata_room("annotation", &annotations, MAX_ANNOTATIONS)?;
        let mut counters = self.counters.clone();
        for (key, action) in &change.counters {
            if let Some(capacity) = action.capacity {
                counters.set_capacity(key, capacity)?;
            }
            match action.action {
                Some(CountDirection::Increment) => counters.increment(key, action.amount)?,
                Some(CountDirection::Decrement) => counters.decrement(key, action.amount)?,
                None => {}
            }
        }
        let mut lists = self.lists.clone();
        for (key, action) in &change.lists {
            if let Some(capacity) = action.capacity {
                lists.set_capacity(key, capacity)?;
            }
            for value in &action.delete_values {
                if lists.contains(key, value)? {
                    lists.delete(key, value)?;
                }
            }
            for value in &action.add_values {
                if !lists.contains(key, value)? {
                    lists.append(key, value)?;
                }
            }
        }
        self.labels = labels;
        self.annotations = annotations;
        self.counters = counters;
        self.lists = lists;
        self.mark_allocated();
        Ok(())
    }
}
