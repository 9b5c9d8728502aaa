//! Player tracking: connected player ids within a capacity (Agones alpha).

use super::error::{Error, Result};
use super::limits::{MAX_PLAYER_CAPACITY, MAX_PLAYER_ID_BYTES};
use serde::{Deserialize, Serialize};

/// The connected players of one game server.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Players {
    capacity: i64,
    ids: Vec<String>,
}

impl Players {
    /// No players connected, with room for `capacity`.
    pub fn new(capacity: i64) -> Self {
        Self {
            capacity,
            ids: Vec::new(),
        }
    }

    /// How many players may be connected at once.
    pub fn capacity(&self) -> i64 {
        self.capacity
    }

    /// How many players are connected.
    pub fn count(&self) -> i64 {
        self.ids.len() as i64
    }

    /// The connected players' ids, in the order they connected.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Whether `id` is connected.
    pub fn is_connected(&self, id: &str) -> bool {
        self.ids.iter().any(|p| p == id)
    }

    /// Connects a player: true when added, false when already connected.
    pub fn connect(&mut self, id: &str) -> Result<bool> {
        check_id(id)?;
        if self.is_connected(id) {
            return Ok(false);
        }
        if self.count() >= self.capacity {
            return Err(Error::at_capacity(format!(
                "players are already at capacity {}",
                self.capacity
            )));
        }
        self.ids.push(id.to_owned());
        Ok(true)
    }

    /// Disconnects a player: true when it was connected.
    pub fn disconnect(&mut self, id: &str) -> bool {
        match self.ids.iter().position(|p| p == id) {
            Some(index) => {
                self.ids.remove(index);
                true
            }
            None => false,
        }
    }

    /// Sets the capacity; connected players stay connected.
    pub fn set_capacity(&mut self, capacity: i64) -> Result<()> {
        check_capacity(capacity)?;
        self.capacity = capacity;
        Ok(())
    }
}

/// Checks a player capacity: within [0, 10000].
pub fn check_capacity(capacity: i64) -> Result<()> {
    if !(0..=MAX_PLAYER_CAPACITY).contains(&capacity) {
        return Err(Error::out_of_range(format!(
            "player capacity must be within [0, {MAX_PLAYER_CAPACITY}], got {capacity}"
        )));
    }
    Ok(())
}

fn check_id(id: &str) -> Result<()> {
    if id.is_empty() || id.len() > MAX_PLAYER_ID_BYTES {
        return Err(Error::invalid_argument(format!(
            "player ids are 1 to {MAX_PLAYER_ID_BYTES} bytes, got {}",
            id.len()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode::{self, *};

    fn players() -> Players {
        let mut p = Players::new(2);
        p.connect("alice").unwrap();
        p
    }

    #[test]
    fn every_rule_and_error() {
        type Op = fn(&mut Players) -> Result<bool>;
        type Case = (
            &'static str,
            Op,
            std::result::Result<bool, ErrorCode>,
            &'static [&'static str],
        );
        // (name, operation, expected return or error, connected afterwards)
        let cases: &[Case] = &[
            (
                "connect new",
                |p| p.connect("bob"),
                Ok(true),
                &["alice", "bob"],
            ),
            (
                "connect again",
                |p| p.connect("alice"),
                Ok(false),
                &["alice"],
            ),
            (
                "connect empty id",
                |p| p.connect(""),
                Err(InvalidArgument),
                &["alice"],
            ),
            (
                "connect at capacity",
                |p| {
                    p.connect("bob")?;
                    p.connect("carol")
                },
                Err(AtCapacity),
                &["alice", "bob"],
            ),
            (
                "connect known at capacity",
                |p| {
                    p.connect("bob")?;
                    p.connect("bob")
                },
                Ok(false),
                &["alice", "bob"],
            ),
            (
                "disconnect connected",
                |p| Ok(p.disconnect("alice")),
                Ok(true),
                &[],
            ),
            (
                "disconnect unknown",
                |p| Ok(p.disconnect("zed")),
                Ok(false),
                &["alice"],
            ),
            (
                "lower capacity keeps players",
                |p| p.set_capacity(0).map(|_| true),
                Ok(true),
                &["alice"],
            ),
            (
                "negative capacity",
                |p| p.set_capacity(-1).map(|_| true),
                Err(OutOfRange),
                &["alice"],
            ),
        ];
        for (name, op, want, after) in cases {
            let mut p = players();
            let got = op(&mut p).map_err(|e| e.code);
            assert_eq!(got, *want, "{name}");
            assert_eq!(p.ids(), *after, "{name}");
            assert_eq!(p.count(), after.len() as i64, "{name}");
        }
    }

    #[test]
    fn capacity_zero_admits_nobody() {
        let mut p = Players::new(0);
        assert_eq!(p.connect("a").unwrap_err().code, AtCapacity);
        assert!(!p.is_connected("a"));
    }
}
