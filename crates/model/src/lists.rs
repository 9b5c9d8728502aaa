//! Lists: declared keys, each a set of unique values within a capacity of
//! [0, 1000] (Agones).

use super::error::{Error, Result};
use super::limits::{MAX_LIST_CAPACITY, MAX_LIST_VALUE_BYTES};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One list's value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct List {
    /// How many values the list may hold, within [0, 1000].
    pub capacity: i64,
    /// The values, unique, in the order they were added.
    pub values: Vec<String>,
}

/// A change to a list applied as one step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ListUpdate {
    /// A new capacity.
    pub capacity: Option<i64>,
    /// Values replacing all current ones.
    pub values: Option<Vec<String>>,
}

/// The lists of one game server, keyed by their declared names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Lists(BTreeMap<String, List>);

impl Lists {
    /// Lists with the given declared keys and starting values.
    pub fn new(declared: BTreeMap<String, List>) -> Self {
        Self(declared)
    }

    /// The lists by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &List)> {
        self.0.iter().map(|(k, l)| (k.as_str(), l))
    }

    /// The list `key`.
    pub fn get(&self, key: &str) -> Result<&List> {
        self.0.get(key).ok_or_else(|| undeclared(key))
    }

    /// Whether the list holds `value`.
    pub fn contains(&self, key: &str, value: &str) -> Result<bool> {
        Ok(self.get(key)?.values.iter().any(|v| v == value))
    }

    /// Appends a value that is not yet in the list.
    pub fn append(&mut self, key: &str, value: &str) -> Result<()> {
        check_value(key, value)?;
        let list = self.0.get_mut(key).ok_or_else(|| undeclared(key))?;
        if list.values.iter().any(|v| v == value) {
            return Err(Error::already_exists(format!(
                "list {key:?} already holds {value:?}"
            )));
        }
        if list.values.len() as i64 >= list.capacity {
            return Err(Error::at_capacity(format!(
                "list {key:?} is at capacity {}",
                list.capacity
            )));
        }
        list.values.push(value.to_owned());
        Ok(())
    }

    /// Deletes a value that is in the list.
    pub fn delete(&mut self, key: &str, value: &str) -> Result<()> {
        let list = self.0.get_mut(key).ok_or_else(|| undeclared(key))?;
        let index = list
            .values
            .iter()
            .position(|v| v == value)
            .ok_or_else(|| Error::not_found(format!("list {key:?} does not hold {value:?}")))?;
        list.values.remove(index);
        Ok(())
    }

    /// Sets the capacity; values beyond it are dropped from the end.
    pub fn set_capacity(&mut self, key: &str, capacity: i64) -> Result<()> {
        self.update(
            key,
            ListUpdate {
                capacity: Some(capacity),
                values: None,
            },
        )
        .map(drop)
    }

    /// Applies an update as one step; if any part is invalid nothing changes.
    pub fn update(&mut self, key: &str, update: ListUpdate) -> Result<List> {
        let list = self.0.get_mut(key).ok_or_else(|| undeclared(key))?;
        let capacity = update.capacity.unwrap_or(list.capacity);
        check_capacity(key, capacity)?;
        let values = match update.values {
            Some(values) => {
                check_values(key, &values)?;
                if values.len() as i64 > capacity {
                    return Err(Error::at_capacity(format!(
                        "list {key:?}: {} values do not fit capacity {capacity}",
                        values.len()
                    )));
                }
                values
            }
            None => {
                let mut values = std::mem::take(&mut list.values);
                values.truncate(capacity as usize);
                values
            }
        };
        *list = List { capacity, values };
        Ok(list.clone())
    }
}

/// Checks a list declared in a template: capacity, values, uniqueness.
pub fn check_declared_list(key: &str, list: &List) -> Result<()> {
    check_capacity(key, list.capacity)?;
    check_values(key, &list.values)?;
    if list.values.len() as i64 > list.capacity {
        // A request's own contradiction, not the state of anything stored.
        return Err(Error::out_of_range(format!(
            "list {key:?}: {} values do not fit capacity {}",
            list.values.len(),
            list.capacity
        )));
    }
    Ok(())
}

fn check_capacity(key: &str, capacity: i64) -> Result<()> {
    if !(0..=MAX_LIST_CAPACITY).contains(&capacity) {
        return Err(Error::out_of_range(format!(
            "list {key:?}: capacity must be within [0, {MAX_LIST_CAPACITY}], got {capacity}"
        )));
    }
    Ok(())
}

fn check_values(key: &str, values: &[String]) -> Result<()> {
    for (i, value) in values.iter().enumerate() {
        check_value(key, value)?;
        if values[..i].contains(value) {
            return Err(Error::invalid_argument(format!(
                "list {key:?}: value {value:?} appears twice"
            )));
        }
    }
    Ok(())
}

fn check_value(key: &str, value: &str) -> Result<()> {
    if value.len() > MAX_LIST_VALUE_BYTES {
        return Err(Error::invalid_argument(format!(
            "list {key:?}: values are at most {MAX_LIST_VALUE_BYTES} bytes, got {}",
            value.len()
        )));
    }
    Ok(())
}

fn undeclared(key: &str) -> Error {
    Error::not_found(format!(
        "list {key:?} is not declared in the game server's template"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode::{self, *};

    fn list(capacity: i64, values: &[&str]) -> List {
        List {
            capacity,
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    /// A case: its name, the operation, the error it must return, and a
    /// list's value afterwards.
    type Case = (
        &'static str,
        Box<dyn Fn(&mut Lists) -> Result<()>>,
        Option<ErrorCode>,
        (&'static str, List),
    );

    fn lists() -> Lists {
        Lists::new(BTreeMap::from([
            ("players".to_owned(), list(3, &["a", "b"])),
            ("full".to_owned(), list(1, &["x"])),
        ]))
    }

    #[test]
    fn every_rule_and_error() {
        let long = "v".repeat(MAX_LIST_VALUE_BYTES + 1);
        let cases: Vec<Case> = vec![
            (
                "append",
                Box::new(|l| l.append("players", "c")),
                None,
                ("players", list(3, &["a", "b", "c"])),
            ),
            (
                "append duplicate",
                Box::new(|l| l.append("players", "a")),
                Some(AlreadyExists),
                ("players", list(3, &["a", "b"])),
            ),
            (
                "append at capacity",
                Box::new(|l| l.append("full", "y")),
                Some(AtCapacity),
                ("full", list(1, &["x"])),
            ),
            (
                "append undeclared",
                Box::new(|l| l.append("nope", "y")),
                Some(NotFound),
                ("players", list(3, &["a", "b"])),
            ),
            (
                "append oversized value",
                Box::new(move |l| l.append("players", &long)),
                Some(InvalidArgument),
                ("players", list(3, &["a", "b"])),
            ),
            (
                "delete",
                Box::new(|l| l.delete("players", "a")),
                None,
                ("players", list(3, &["b"])),
            ),
            (
                "delete missing",
                Box::new(|l| l.delete("players", "zz")),
                Some(NotFound),
                ("players", list(3, &["a", "b"])),
            ),
            (
                "delete undeclared",
                Box::new(|l| l.delete("nope", "a")),
                Some(NotFound),
                ("players", list(3, &["a", "b"])),
            ),
            (
                "capacity 0",
                Box::new(|l| l.set_capacity("players", 0)),
                None,
                ("players", list(0, &[])),
            ),
            (
                "capacity 1000",
                Box::new(|l| l.set_capacity("players", 1000)),
                None,
                ("players", list(1000, &["a", "b"])),
            ),
            (
                "capacity lowered truncates",
                Box::new(|l| l.set_capacity("players", 1)),
                None,
                ("players", list(1, &["a"])),
            ),
            (
                "capacity 1001",
                Box::new(|l| l.set_capacity("players", 1001)),
                Some(OutOfRange),
                ("players", list(3, &["a", "b"])),
            ),
            (
                "capacity negative",
                Box::new(|l| l.set_capacity("players", -1)),
                Some(OutOfRange),
                ("players", list(3, &["a", "b"])),
            ),
            (
                "update replaces values",
                Box::new(|l| {
                    l.update(
                        "players",
                        ListUpdate {
                            capacity: Some(5),
                            values: Some(vec!["p".into(), "q".into()]),
                        },
                    )
                    .map(drop)
                }),
                None,
                ("players", list(5, &["p", "q"])),
            ),
            (
                "update with duplicates changes nothing",
                Box::new(|l| {
                    l.update(
                        "players",
                        ListUpdate {
                            capacity: None,
                            values: Some(vec!["p".into(), "p".into()]),
                        },
                    )
                    .map(drop)
                }),
                Some(InvalidArgument),
                ("players", list(3, &["a", "b"])),
            ),
            (
                "update over capacity changes nothing",
                Box::new(|l| {
                    l.update(
                        "players",
                        ListUpdate {
                            capacity: Some(1),
                            values: Some(vec!["p".into(), "q".into()]),
                        },
                    )
                    .map(drop)
                }),
                Some(AtCapacity),
                ("players", list(3, &["a", "b"])),
            ),
        ];
        for (name, op, want_err, (key, want)) in cases {
            let mut l = lists();
            let got = op(&mut l);
            assert_eq!(
                got.as_ref().err().map(|e| e.code),
                want_err,
                "{name}: {got:?}"
            );
            assert_eq!(l.get(key).unwrap(), &want, "{name}");
        }
    }

    #[test]
    fn reads() {
        let l = lists();
        assert!(l.contains("players", "a").unwrap());
        assert!(!l.contains("players", "z").unwrap());
        assert_eq!(l.contains("nope", "a").unwrap_err().code, NotFound);
        assert_eq!(l.get("players").unwrap().values.len(), 2);
    }

    #[test]
    fn declared_lists_are_checked() {
        assert!(check_declared_list("k", &list(2, &["a", "b"])).is_ok());
        assert_eq!(
            check_declared_list("k", &list(1, &["a", "b"]))
                .unwrap_err()
                .code,
            OutOfRange
        );
        assert_eq!(
            check_declared_list("k", &list(2, &["a", "a"]))
                .unwrap_err()
                .code,
            InvalidArgument
        );
        assert_eq!(
            check_declared_list("k", &list(1001, &[])).unwrap_err().code,
            OutOfRange
        );
    }
}
