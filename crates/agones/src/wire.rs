//! The REST SDK's JSON as the host reads and writes it (Agones' `sdk` and
//! `beta` swagger): proto field names (camelCase read too), 64-bit integers
//! as strings or numbers, missing fields as their defaults.

use serde::{Deserialize, Deserializer};
use std::collections::{BTreeMap, BTreeSet};

/// The GameServer as the SDK shows it: only what the host reads.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct GameServer {
    /// Name, labels and annotations.
    #[serde(alias = "objectMeta")]
    pub object_meta: ObjectMeta,
    /// Its health checking.
    pub spec: Spec,
    /// State, address, ports, counters and lists.
    pub status: Status,
}

/// The GameServer's Kubernetes metadata.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct ObjectMeta {
    /// The GameServer's name.
    pub name: String,
    /// Its annotations, including those an allocation set.
    pub annotations: BTreeMap<String, String>,
}

/// The part of the GameServer's spec the host reads.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Spec {
    /// How Agones checks the host's health.
    pub health: Health,
}

/// Agones' health checking of the GameServer.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Health {
    /// No health checking at all.
    pub disabled: bool,
    /// Seconds between the checks (Agones' default: 5).
    #[serde(alias = "periodSeconds")]
    pub period_seconds: i32,
}

/// The GameServer's status.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Status {
    /// `Scheduled`, `RequestReady`, `Ready`, `Allocated`, `Shutdown`, …
    pub state: String,
    /// The node's address players reach.
    pub address: String,
    /// The ports players reach, by name.
    pub ports: Vec<Port>,
    /// Counters by key.
    pub counters: BTreeMap<String, Counter>,
    /// Lists by key.
    pub lists: BTreeMap<String, List>,
}

/// One of the GameServer's ports.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Port {
    /// The port's name in the GameServer's spec.
    pub name: String,
    /// The port players reach on the node.
    pub port: u16,
}

/// A counter's state.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct Counter {
    /// The count.
    #[serde(deserialize_with = "int64")]
    pub count: i64,
    /// The capacity.
    #[serde(deserialize_with = "int64")]
    pub capacity: i64,
}

/// A list's state.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(default)]
pub struct List {
    /// The most values it holds.
    #[serde(deserialize_with = "int64")]
    pub capacity: i64,
    /// Its values.
    pub values: BTreeSet<String>,
}

/// One item of `/watch/gameserver`'s stream: the GameServer, or an error.
#[derive(Debug, Deserialize)]
pub struct StreamItem {
    /// The GameServer after a change.
    pub result: Option<GameServer>,
    /// Why the stream ends.
    pub error: Option<serde_json::Value>,
}

/// A 64-bit integer as protojson writes it: a string or a number; `null`
/// is 0.
fn int64<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Int64 {
        Number(i64),
        Text(String),
    }
    match Option::<Int64>::deserialize(d)? {
        None => Ok(0),
        Some(Int64::Number(n)) => Ok(n),
        Some(Int64::Text(text)) => text.trim().parse().map_err(serde::de::Error::custom),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_game_server_reads_as_agones_writes_it() {
        let text = r#"{"object_meta":{"name":"gs-1","annotations":{"a":"b"},"creation_timestamp":"17"},
            "spec":{"health":{"period_seconds":3}},
            "status":{"state":"Allocated","address":"10.0.0.7","ports":[{"name":"default","port":7443}],
              "counters":{"rooms":{"count":"2","capacity":"10"}},
              "lists":{"sessions":{"capacity":"1000","values":["m-1","m-2"]}},"players":null}}"#;
        let gs: GameServer = serde_json::from_str(text).unwrap();
        assert_eq!(gs.object_meta.name, "gs-1");
        assert_eq!(gs.object_meta.annotations["a"], "b");
        assert_eq!(gs.spec.health.period_seconds, 3);
        assert_eq!(gs.status.state, "Allocated");
        assert_eq!(gs.status.ports[0].port, 7443);
        assert_eq!(
            gs.status.counters["rooms"],
            Counter {
                count: 2,
                capacity: 10
            }
        );
        assert_eq!(gs.status.lists["sessions"].values.len(), 2);
    }

    #[test]
    fn missing_fields_and_numbers_as_numbers_read() {
        let gs: GameServer =
            serde_json::from_str(r#"{"status":{"counters":{"rooms":{"count":3}}}}"#).unwrap();
        assert_eq!(gs.status.counters["rooms"].count, 3);
        assert_eq!(gs.status.counters["rooms"].capacity, 0);
        assert!(gs.object_meta.annotations.is_empty());
        assert!(
            serde_json::from_str::<GameServer>(
                r#"{"status":{"counters":{"rooms":{"count":"x"}}}}"#
            )
            .is_err()
        );
    }
}
