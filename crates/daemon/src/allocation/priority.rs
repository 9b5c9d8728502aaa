//! Agones' allocation `priorities`: which of the matching game servers come
//! first by the room left in a counter or a list.

use gamehost_model::GameServerRecord;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// Most priorities in one request.
pub const MAX_PRIORITIES: usize = 16;

/// What a priority looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum PriorityType {
    /// A counter: its capacity − count.
    Counter,
    /// A list: its capacity − values.
    List,
}

/// Which come first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum PriorityOrder {
    /// The least room first: fills game servers up.
    #[default]
    Ascending,
    /// The most room first.
    Descending,
}

/// One priority: the room in counter or list `key`, in `order`. Game
/// servers without that counter or list come last.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Priority {
    /// Counter or List.
    #[serde(rename = "type")]
    pub kind: PriorityType,
    /// The counter's or list's key.
    pub key: String,
    /// Ascending (the default) or Descending.
    #[serde(default)]
    pub order: PriorityOrder,
}

impl Priority {
    /// The room `record` has in this priority's counter or list.
    fn room(&self, record: &GameServerRecord) -> Option<i64> {
        let status = &record.status;
        match self.kind {
            PriorityType::Counter => status.counters.get(&self.key).map(|c| c.available()),
            PriorityType::List => {
                (status.lists.get(&self.key)).map(|l| l.capacity - l.values.len() as i64)
            }
        }
    }
}

/// How `a` and `b` compare under `priorities`, the first that tells them
/// apart deciding.
pub(super) fn compare(
    priorities: &[Priority],
    a: &GameServerRecord,
    b: &GameServerRecord,
) -> Ordering {
    for priority in priorities {
        let ordering = match (priority.room(a), priority.room(b)) {
            (Some(x), Some(y)) if priority.order == PriorityOrder::Ascending => x.cmp(&y),
            (Some(x), Some(y)) => y.cmp(&x),
            // Missing comes last in either order.
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        if ordering != Ordering::Equal {
            return ordering;
        }
    }
    Ordering::Equal
}
