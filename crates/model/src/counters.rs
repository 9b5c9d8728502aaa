//! Counters: declared keys, each a count within [0, capacity] (Agones).

use super::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One counter's value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Counter {
    /// The count, within [0, capacity] (any non-negative count when the
    /// capacity is 0).
    pub count: i64,
    /// The capacity; 0 means no limit.
    pub capacity: i64,
}

impl Counter {
    /// Room left: capacity − count, or `i64::MAX` when the capacity is 0
    /// (no limit).
    pub fn available(self) -> i64 {
        if self.capacity == 0 {
            i64::MAX
        } else {
            self.capacity - self.count
        }
    }

    /// Checks that the capacity is not negative and the count lies within
    /// [0, capacity], naming `key` in the error.
    pub fn validate(self, key: &str) -> Result<Self> {
        if self.capacity < 0 {
            return Err(Error::out_of_range(format!(
                "counter {key:?}: capacity must be at least 0, got {}",
                self.capacity
            )));
        }
        let over = self.capacity != 0 && self.count > self.capacity;
        if self.count < 0 || over {
            return Err(Error::out_of_range(format!(
                "counter {key:?}: count must be within [0, {}], got {}",
                capacity_text(self.capacity),
                self.count
            )));
        }
        Ok(self)
    }
}

fn capacity_text(capacity: i64) -> String {
    if capacity == 0 {
        "no limit".to_owned()
    } else {
        capacity.to_string()
    }
}

/// A change to a counter applied as one step: capacity, then count, then the
/// difference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CounterUpdate {
    /// A new capacity.
    pub capacity: Option<i64>,
    /// A new count.
    pub count: Option<i64>,
    /// A signed change to the count.
    pub count_diff: i64,
}

/// The counters of one game server, keyed by their declared names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Counters(BTreeMap<String, Counter>);

impl Counters {
    /// Counters with the given declared keys and starting values.
    pub fn new(declared: BTreeMap<String, Counter>) -> Self {
        Self(declared)
    }

    /// The counters by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Counter)> {
        self.0.iter().map(|(k, c)| (k.as_str(), *c))
    }

    /// The counter `key`.
    pub fn get(&self, key: &str) -> Result<Counter> {
        self.0.get(key).copied().ok_or_else(|| undeclared(key))
    }

    /// Sets the count.
    pub fn set_count(&mut self, key: &str, count: i64) -> Result<()> {
        self.update(
            key,
            CounterUpdate {
                count: Some(count),
                ..CounterUpdate::default()
            },
        )
        .map(drop)
    }

    /// Adds a non-negative amount.
    pub fn increment(&mut self, key: &str, amount: i64) -> Result<()> {
        non_negative(key, amount)?;
        let counter = self.get(key)?;
        if counter.capacity != 0 && counter.count >= counter.capacity {
            return Err(Error::out_of_range(format!(
                "counter {key:?} is at capacity {}",
                counter.capacity
            )));
        }
        self.update(
            key,
            CounterUpdate {
                count_diff: amount,
                ..CounterUpdate::default()
            },
        )
        .map(drop)
    }

    /// Subtracts a non-negative amount.
    pub fn decrement(&mut self, key: &str, amount: i64) -> Result<()> {
        non_negative(key, amount)?;
        if self.get(key)?.count == 0 && amount > 0 {
            return Err(Error::out_of_range(format!("counter {key:?} is at zero")));
        }
        self.update(
            key,
            CounterUpdate {
                count_diff: -amount,
                ..CounterUpdate::default()
            },
        )
        .map(drop)
    }

    /// Sets the capacity; a count above it is lowered to it.
    pub fn set_capacity(&mut self, key: &str, capacity: i64) -> Result<()> {
        let counter = self.get(key)?;
        let count = if capacity != 0 {
            counter.count.min(capacity.max(0))
        } else {
            counter.count
        };
        let updated = Counter { count, capacity }.validate(key)?;
        self.0.insert(key.to_owned(), updated);
        Ok(())
    }

    /// Applies an update as one step; if any part is out of range nothing
    /// changes.
    pub fn update(&mut self, key: &str, update: CounterUpdate) -> Result<Counter> {
        let slot = self.0.get_mut(key).ok_or_else(|| undeclared(key))?;
        let mut next = *slot;
        if let Some(capacity) = update.capacity {
            next.capacity = capacity;
        }
        if let Some(count) = update.count {
            next.count = count;
        }
        next.count = next
            .count
            .checked_add(update.count_diff)
            .ok_or_else(|| Error::out_of_range(format!("counter {key:?}: count would overflow")))?;
        *slot = next.validate(key)?;
        Ok(next)
    }
}

fn undeclared(key: &str) -> Error {
    Error::not_found(format!(
        "counter {key:?} is not declared in the game server's template"
    ))
}

fn non_negative(key: &str, amount: i64) -> Result<()> {
    if amount < 0 {
        return Err(Error::invalid_argument(format!(
            "counter {key:?}: amount must not be negative, got {amount}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode::{self, *};

    fn counters() -> Counters {
        Counters::new(BTreeMap::from([
            (
                "rooms".to_owned(),
                Counter {
                    count: 1,
                    capacity: 10,
                },
            ),
            (
                "full".to_owned(),
                Counter {
                    count: 5,
                    capacity: 5,
                },
            ),
            (
                "zero".to_owned(),
                Counter {
                    count: 0,
                    capacity: 5,
                },
            ),
            (
                "unbounded".to_owned(),
                Counter {
                    count: 7,
                    capacity: 0,
                },
            ),
        ]))
    }

    type Op = fn(&mut Counters) -> Result<()>;
    /// A case: its name, the operation, the error it must return, and a
    /// counter's value afterwards.
    type Case = (&'static str, Op, Option<ErrorCode>, (&'static str, Counter));

    #[test]
    fn every_rule_and_error() {
        // (name, operation, expected error, (key, expected counter afterwards))
        let cases: &[Case] = &[
            (
                "set within range",
                |c| c.set_count("rooms", 10),
                None,
                (
                    "rooms",
                    Counter {
                        count: 10,
                        capacity: 10,
                    },
                ),
            ),
            (
                "set above capacity",
                |c| c.set_count("rooms", 11),
                Some(OutOfRange),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
            (
                "set negative",
                |c| c.set_count("rooms", -1),
                Some(OutOfRange),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
            (
                "set undeclared",
                |c| c.set_count("nope", 1),
                Some(NotFound),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
            (
                "increment",
                |c| c.increment("rooms", 4),
                None,
                (
                    "rooms",
                    Counter {
                        count: 5,
                        capacity: 10,
                    },
                ),
            ),
            (
                "increment to capacity",
                |c| c.increment("rooms", 9),
                None,
                (
                    "rooms",
                    Counter {
                        count: 10,
                        capacity: 10,
                    },
                ),
            ),
            (
                "increment past capacity",
                |c| c.increment("rooms", 10),
                Some(OutOfRange),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
            (
                "increment at capacity",
                |c| c.increment("full", 1),
                Some(OutOfRange),
                (
                    "full",
                    Counter {
                        count: 5,
                        capacity: 5,
                    },
                ),
            ),
            (
                "increment negative",
                |c| c.increment("rooms", -1),
                Some(InvalidArgument),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
            (
                "increment undeclared",
                |c| c.increment("nope", 1),
                Some(NotFound),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
            (
                "increment without limit",
                |c| c.increment("unbounded", 1_000_000),
                None,
                (
                    "unbounded",
                    Counter {
                        count: 1_000_007,
                        capacity: 0,
                    },
                ),
            ),
            (
                "increment overflow",
                |c| c.increment("unbounded", i64::MAX),
                Some(OutOfRange),
                (
                    "unbounded",
                    Counter {
                        count: 7,
                        capacity: 0,
                    },
                ),
            ),
            (
                "decrement",
                |c| c.decrement("full", 2),
                None,
                (
                    "full",
                    Counter {
                        count: 3,
                        capacity: 5,
                    },
                ),
            ),
            (
                "decrement at zero",
                |c| c.decrement("zero", 1),
                Some(OutOfRange),
                (
                    "zero",
                    Counter {
                        count: 0,
                        capacity: 5,
                    },
                ),
            ),
            (
                "decrement below zero",
                |c| c.decrement("rooms", 2),
                Some(OutOfRange),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
            (
                "decrement negative",
                |c| c.decrement("rooms", -1),
                Some(InvalidArgument),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
            (
                "capacity raised",
                |c| c.set_capacity("full", 8),
                None,
                (
                    "full",
                    Counter {
                        count: 5,
                        capacity: 8,
                    },
                ),
            ),
            (
                "capacity lowered truncates count",
                |c| c.set_capacity("full", 3),
                None,
                (
                    "full",
                    Counter {
                        count: 3,
                        capacity: 3,
                    },
                ),
            ),
            (
                "capacity zero means no limit",
                |c| c.set_capacity("full", 0),
                None,
                (
                    "full",
                    Counter {
                        count: 5,
                        capacity: 0,
                    },
                ),
            ),
            (
                "capacity negative",
                |c| c.set_capacity("full", -1),
                Some(OutOfRange),
                (
                    "full",
                    Counter {
                        count: 5,
                        capacity: 5,
                    },
                ),
            ),
            (
                "capacity undeclared",
                |c| c.set_capacity("nope", 1),
                Some(NotFound),
                (
                    "full",
                    Counter {
                        count: 5,
                        capacity: 5,
                    },
                ),
            ),
            (
                "update applies capacity, count, then diff",
                |c| {
                    c.update(
                        "rooms",
                        CounterUpdate {
                            capacity: Some(20),
                            count: Some(15),
                            count_diff: 2,
                        },
                    )
                    .map(drop)
                },
                None,
                (
                    "rooms",
                    Counter {
                        count: 17,
                        capacity: 20,
                    },
                ),
            ),
            (
                "update out of range changes nothing",
                |c| {
                    c.update(
                        "rooms",
                        CounterUpdate {
                            capacity: Some(20),
                            count: Some(15),
                            count_diff: 9,
                        },
                    )
                    .map(drop)
                },
                Some(OutOfRange),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
            (
                "update with a negative diff below zero",
                |c| {
                    c.update(
                        "rooms",
                        CounterUpdate {
                            count_diff: -2,
                            ..CounterUpdate::default()
                        },
                    )
                    .map(drop)
                },
                Some(OutOfRange),
                (
                    "rooms",
                    Counter {
                        count: 1,
                        capacity: 10,
                    },
                ),
            ),
        ];
        for (name, op, want_err, (key, want)) in cases {
            let mut c = counters();
            let got = op(&mut c);
            assert_eq!(
                got.as_ref().err().map(|e| e.code),
                *want_err,
                "{name}: {got:?}"
            );
            assert_eq!(c.get(key).unwrap(), *want, "{name}");
        }
    }

    #[test]
    fn errors_name_the_key() {
        let err = counters().increment("full", 1).unwrap_err();
        assert!(err.message.contains("\"full\""), "{err}");
        let err = counters().get("missing").unwrap_err();
        assert!(err.message.contains("\"missing\""), "{err}");
    }
}
