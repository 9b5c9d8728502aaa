//! The table of the host's fleets, by name.

use crate::fleet::Fleet;
use std::collections::BTreeMap;

/// Every fleet the host runs, by name.
#[derive(Default)]
pub(crate) struct Fleets {
    by_name: BTreeMap<String, Fleet>,
}

impl Fleets {
    /// Adds or replaces a fleet.
    pub(crate) fn insert(&mut self, fleet: Fleet) {
        self.by_name.insert(fleet.name.clone(), fleet);
    }

    /// Replaces a fleet with `fleet` only if it is still at `fleet`'s
    /// generation: nobody changed it meanwhile.
    pub(crate) fn replace_unchanged(&mut self, fleet: Fleet) {
        if let Some(current) = self.by_name.get_mut(&fleet.name)
            && current.generation == fleet.generation
        {
            *current = fleet;
        }
    }

    /// Forgets a fleet.
    pub(crate) fn remove(&mut self, name: &str) {
        self.by_name.remove(name);
    }

    /// A fleet by name.
    pub(crate) fn get(&self, name: &str) -> Option<&Fleet> {
        self.by_name.get(name)
    }

    /// Every fleet, by name.
    pub(crate) fn all(&self) -> Vec<Fleet> {
        self.by_name.values().cloned().collect()
    }

    /// How many fleets there are.
    pub(crate) fn len(&self) -> usize {
        self.by_name.len()
    }

    /// Whether `fleet` is still the fleet of its name as it was read: the
    /// same one (not deleted and created again) at the same generation.
    pub(crate) fn is_current(&self, fleet: &Fleet) -> bool {
        self.by_name.get(&fleet.name).is_some_and(|current| {
            current.created_at == fleet.created_at && current.generation == fleet.generation
        })
    }

    /// The names of the fleets that run module `module` (an id).
    pub(crate) fn using(&self, module: &str) -> Vec<&str> {
        self.by_name
            .values()
            .filter(|f| f.module == module)
            .map(|f| f.name.as_str())
            .collect()
    }
}
