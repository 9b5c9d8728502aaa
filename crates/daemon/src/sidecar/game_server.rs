//! The GameServer as the REST SDK answers it (`sdk.GameServer` in Agones'
//! `sdk.swagger.json`): protobuf JSON with proto field names, 64-bit
//! integers as strings, and every field present, zero or not — what Agones'
//! gateway writes, so that a client generated from the swagger reads it.

use gamehost_model::{Counter, GameServerRecord, List};
use serde::Serialize;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// `sdk.GameServer`.
#[derive(Serialize)]
pub(super) struct GameServer {
    object_meta: ObjectMeta,
    spec: Spec,
    status: Status,
}

#[derive(Serialize)]
struct ObjectMeta {
    name: String,
    namespace: String,
    uid: String,
    resource_version: String,
    generation: String,
    creation_timestamp: String,
    deletion_timestamp: String,
    annotations: BTreeMap<String, String>,
    labels: BTreeMap<String, String>,
}

#[derive(Serialize)]
struct Spec {
    health: Health,
}

#[derive(Serialize)]
struct Health {
    disabled: bool,
    period_seconds: u32,
    failure_threshold: u32,
    initial_delay_seconds: u32,
}

#[derive(Serialize)]
struct Status {
    state: String,
    address: String,
    addresses: Vec<Address>,
    ports: Vec<Port>,
    players: Players,
    counters: BTreeMap<String, CounterStatus>,
    lists: BTreeMap<String, ListStatus>,
}

#[derive(Serialize)]
struct Address {
    r#type: &'static str,
    address: String,
}

#[derive(Serialize)]
struct Port {
    name: String,
    port: u16,
}

#[derive(Serialize)]
struct Players {
    count: String,
    capacity: String,
    ids: Vec<String>,
}

#[derive(Serialize)]
struct CounterStatus {
    count: String,
    capacity: String,
}

#[derive(Serialize)]
struct ListStatus {
    capacity: String,
    values: Vec<String>,
}

impl From<&GameServerRecord> for GameServer {
    fn from(record: &GameServerRecord) -> Self {
        let meta = &record.object_meta;
        let status = &record.status;
        let health = record.spec.health;
        // A game server that has ended is on its way out, as a GameServer
        // whose pod Kubernetes is deleting.
        let deletion = record.process.ending.as_ref().map_or(0, |e| e.at.as_secs());
        Self {
            object_meta: ObjectMeta {
                name: meta.name.clone(),
                namespace: meta.namespace.clone(),
                uid: meta.uid.clone(),
                resource_version: meta.resource_version.clone(),
                generation: meta.generation.to_string(),
                creation_timestamp: meta.creation_timestamp.to_string(),
                deletion_timestamp: deletion.to_string(),
                annotations: meta.annotations.clone(),
                labels: meta.labels.clone(),
            },
            spec: Spec {
                health: Health {
                    disabled: health.disabled,
                    period_seconds: health.period_seconds,
                    failure_threshold: health.failure_threshold,
                    initial_delay_seconds: health.initial_delay_seconds,
                },
            },
            status: Status {
                state: status.state.to_string(),
                address: status.address.clone(),
                addresses: addresses(&status.address),
                ports: status
                    .ports
                    .iter()
                    .map(|p| Port {
                        name: p.name.clone(),
                        port: p.port,
                    })
                    .collect(),
                players: Players {
                    count: status.players.count.to_string(),
                    capacity: status.players.capacity.to_string(),
                    ids: status.players.ids.clone(),
                },
                counters: status
                    .counters
                    .iter()
                    .map(|(name, c)| (name.clone(), CounterStatus::from(*c)))
                    .collect(),
                lists: status
                    .lists
                    .iter()
                    .map(|(name, l)| (name.clone(), ListStatus::from(l)))
                    .collect(),
            },
        }
    }
}

impl From<Counter> for CounterStatus {
    fn from(counter: Counter) -> Self {
        Self {
            count: counter.count.to_string(),
            capacity: counter.capacity.to_string(),
        }
    }
}

impl From<&List> for ListStatus {
    fn from(list: &List) -> Self {
        Self {
            capacity: list.capacity.to_string(),
            values: list.values.clone(),
        }
    }
}

/// The address players reach the game server at, typed as Kubernetes types
/// node addresses: an IP address is `ExternalIP`, a name `ExternalDNS`.
fn addresses(address: &str) -> Vec<Address> {
    if address.is_empty() {
        return Vec::new();
    }
    let r#type = if address.parse::<IpAddr>().is_ok() {
        "ExternalIP"
    } else {
        "ExternalDNS"
    };
    vec![Address {
        r#type,
        address: address.to_owned(),
    }]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_typed_by_their_form() {
        let cases = [
            ("", vec![]),
            ("127.0.0.1", vec![("ExternalIP", "127.0.0.1")]),
            ("::1", vec![("ExternalIP", "::1")]),
            (
                "play.example.com",
                vec![("ExternalDNS", "play.example.com")],
            ),
        ];
        for (address, expected) in cases {
            let got: Vec<_> = addresses(address)
                .into_iter()
                .map(|a| (a.r#type, a.address))
                .collect();
            let expected: Vec<_> = expected
                .into_iter()
                .map(|(t, a)| (t, a.to_owned()))
                .collect();
            assert_eq!(got, expected, "{address:?}");
        }
    }
}
