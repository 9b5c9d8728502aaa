//! Allocation, as Agones' GameServerAllocation: ordered selectors on fleet,
//! labels, state, players, counters and lists; packed or distributed; the
//! picked game server is changed in the same step, and allocations run one
//! at a time, so two never get the same game server unless a selector
//! shares Allocated ones by capacity.

mod priority;

pub use priority::{MAX_PRIORITIES, Priority, PriorityOrder, PriorityType};

use super::Daemon;
use super::error::{DaemonError, DaemonResult};
use gamehost_model::{
    AllocationChange, CounterAction, Error, GameServerRecord, GameServerState, ListAction, Port,
};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// Most selectors in one request.
pub const MAX_SELECTORS: usize = 16;

/// How to choose among matching game servers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum Scheduling {
    /// Fill game servers up: the least available capacity, then the oldest.
    #[default]
    Packed,
    /// Spread load: the most available capacity, then the newest.
    Distributed,
}

/// A range on a counter.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct CounterSelector {
    /// Least count.
    pub min_count: i64,
    /// Most count (0: no limit).
    pub max_count: i64,
    /// Least capacity − count.
    pub min_available: i64,
    /// Most capacity − count (0: no limit).
    pub max_available: i64,
}

/// A condition on a list.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct ListSelector {
    /// A value the list must hold.
    pub contains_value: Option<String>,
    /// Least capacity − length.
    pub min_available: i64,
    /// Most capacity − length (0: no limit).
    pub max_available: i64,
}

/// A range on free player slots.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct PlayerSelector {
    /// Least capacity − count.
    pub min_available: i64,
    /// Most capacity − count (0: no limit).
    pub max_available: i64,
}

/// Which game servers may be allocated.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Selector {
    /// Only this fleet's.
    pub fleet: Option<String>,
    /// Labels the game server must carry.
    pub match_labels: BTreeMap<String, String>,
    /// Ready (the default) or Allocated (sharing by capacity).
    pub game_server_state: Option<GameServerState>,
    /// Free player slots.
    pub players: Option<PlayerSelector>,
    /// Counter ranges, by counter.
    pub counters: BTreeMap<String, CounterSelector>,
    /// List conditions, by list.
    pub lists: BTreeMap<String, ListSelector>,
}

/// Metadata applied to the allocated game server.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Metadata {
    /// Labels to set.
    pub labels: BTreeMap<String, String>,
    /// Annotations to set.
    pub annotations: BTreeMap<String, String>,
}

/// A request to allocate a game server.
#[derive(Clone, Debug, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct AllocationRequest {
    /// Tried in order; the first that matches a game server wins. Empty
    /// means any Ready game server.
    pub selectors: Vec<Selector>,
    /// Packed or Distributed.
    pub scheduling: Scheduling,
    /// Which matching game servers come first by the room in a counter or
    /// list, before the scheduling's own order.
    pub priorities: Vec<Priority>,
    /// Labels and annotations to apply.
    pub metadata: Metadata,
    /// Counter actions to apply.
    pub counters: BTreeMap<String, CounterAction>,
    /// List actions to apply.
    pub lists: BTreeMap<String, ListAction>,
}

/// The allocated game server.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Allocation {
    /// Always `Allocated`.
    pub state: String,
    /// The game server.
    pub game_server_name: String,
    /// Its fleet.
    pub fleet: String,
    /// Where players connect.
    pub address: String,
    /// Its ports.
    pub ports: Vec<Port>,
    /// Its labels and annotations after allocation.
    pub metadata: Metadata,
    /// Which selector matched, from 0.
    pub selector: usize,
}

impl Selector {
    fn state(&self) -> GameServerState {
        self.game_server_state.unwrap_or(GameServerState::Ready)
    }

    fn validate(&self) -> Result<(), Error> {
        match self.state() {
            GameServerState::Ready | GameServerState::Allocated => Ok(()),
            other => Err(Error::invalid_argument(format!(
                "gameServerState must be Ready or Allocated, not {other}"
            ))),
        }
    }

    /// Whether `record` matches, and its available capacity under this
    /// selector (the smallest of those it constrains) for scheduling.
    fn matches(&self, record: &GameServerRecord) -> Option<i64> {
        let status = &record.status;
        if status.state != self.state()
            || record.process.termination_time.is_some()
            || self
                .fleet
                .as_ref()
                .is_some_and(|f| &record.object_meta.namespace != f)
            || self
                .match_labels
                .iter()
                .any(|(k, v)| record.object_meta.labels.get(k) != Some(v))
        {
            return None;
        }
        let mut available = i64::MAX;
        if let Some(players) = &self.players {
            let free = status.players.capacity - status.players.count;
            within(free, players.min_available, players.max_available)?;
            available = available.min(free);
        }
        for (key, range) in &self.counters {
            let counter = status.counters.get(key)?;
            within(counter.count, range.min_count, range.max_count)?;
            let free = counter.available();
            within(free, range.min_available, range.max_available)?;
            available = available.min(free);
        }
        for (key, condition) in &self.lists {
            let list = status.lists.get(key)?;
            if let Some(value) = &condition.contains_value
                && !list.values.contains(value)
            {
                return None;
            }
            let free = list.capacity - list.values.len() as i64;
            within(free, condition.min_available, condition.max_available)?;
            available = available.min(free);
        }
        Some(available)
    }
}

/// `Some` when `value` is within `[min, max]`, where a `max` of 0 means no
/// upper limit (as in Agones).
fn within(value: i64, min: i64, max: i64) -> Option<()> {
    (value >= min && (max == 0 || value <= max)).then_some(())
}

/// The game servers `request` may pick, best first: the first selector
/// with any match decides, then scheduling orders them.
pub(super) fn candidates(
    request: &AllocationRequest,
    records: &[Arc<GameServerRecord>],
) -> Vec<(usize, Arc<GameServerRecord>)> {
    let default = [Selector::default()];
    let selectors = if request.selectors.is_empty() {
        &default[..]
    } else {
        &request.selectors[..]
    };
    for (index, selector) in selectors.iter().enumerate() {
        let mut matching: Vec<(i64, &Arc<GameServerRecord>)> = records
            .iter()
            .filter_map(|r| selector.matches(r).map(|free| (free, r)))
            .collect();
        if matching.is_empty() {
            continue;
        }
        let age =
            |r: &GameServerRecord| (r.object_meta.creation_timestamp, r.object_meta.name.clone());
        matching.sort_by(|(free_a, a), (free_b, b)| {
            let by_scheduling = match request.scheduling {
                Scheduling::Packed => (free_a, age(a)).cmp(&(free_b, age(b))),
                Scheduling::Distributed => (free_b, age(b)).cmp(&(free_a, age(a))),
            };
            priority::compare(&request.priorities, a, b).then(by_scheduling)
        });
        return matching
            .into_iter()
            .map(|(_, r)| (index, r.clone()))
            .collect();
    }
    Vec::new()
}

impl AllocationRequest {
    /// Checks the number of selectors and the state each asks for; the
    /// metadata and actions are checked on the game server picked, as part
    /// of its [`AllocationRequest::change`].
    pub fn validate(&self) -> Result<(), Error> {
        if self.selectors.len() > MAX_SELECTORS {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_SELECTORS} selectors"
            )));
        }
        if self.priorities.len() > MAX_PRIORITIES {
            return Err(Error::invalid_argument(format!(
                "at most {MAX_PRIORITIES} priorities"
            )));
        }
        self.selectors.iter().try_for_each(Selector::validate)
    }

    /// What allocating a game server picked in state `from` does to it.
    pub fn change(&self, from: GameServerState) -> AllocationChange {
        AllocationChange {
            from: Some(from),
            labels: self.metadata.labels.clone(),
            annotations: self.metadata.annotations.clone(),
            counters: self.counters.clone(),
            lists: self.lists.clone(),
        }
    }
}

impl Daemon {
    /// Allocates the best matching game server.
    pub async fn allocate(&self, request: AllocationRequest) -> DaemonResult<Allocation> {
        self.require_running()?;
        request.validate()?;
        let _one_at_a_time = self.0.placement.lock().await;
        let records = self.live_records(None);
        for (selector, record) in candidates(&request, &records) {
            let name = &record.object_meta.name;
            let Ok(handle) = self.handle(name) else {
                continue;
            };
            match handle.allocate(request.change(record.status.state)).await {
                Ok(()) => {
                    self.persist(&handle).await?;
                    self.0.metrics.allocated();
                    let after = handle.record();
                    return Ok(Allocation {
                        state: "Allocated".to_owned(),
                        game_server_name: name.clone(),
                        fleet: after.object_meta.namespace.clone(),
                        address: after.status.address.clone(),
                        ports: after.status.ports.clone(),
                        metadata: Metadata {
                            labels: after.object_meta.labels.clone(),
                            annotations: after.object_meta.annotations.clone(),
                        },
                        selector,
                    });
                }
                // Bad metadata or an action out of range: the request's
                // fault, the same on every game server.
                Err(gamehost_runtime::supervisor::CommandError::Rejected(e))
                    if e.code != gamehost_model::ErrorCode::FailedPrecondition =>
                {
                    return Err(e.into());
                }
                Err(_) => continue,
            }
        }
        Err(DaemonError::NoCapacity(
            "no game server matches the allocation's selectors".into(),
        ))
    }
}

#[cfg(test)]
mod tests;
