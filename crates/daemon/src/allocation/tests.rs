//! Which game servers an allocation may pick, and in which order: one
//! table of cases over a small set of game servers.

use super::*;
use gamehost_model::{
    Counter, Endpoint, FakeClock, GameServer, GameServerSpec, Identity, List, Timestamp,
};
use serde_json::json;

/// A game server of the test set: name, fleet, state, creation second,
/// labels, counter `rooms` (count, capacity), list `seats` (values,
/// capacity), player slots (count, capacity), and whether it is terminating.
struct Server {
    name: &'static str,
    fleet: &'static str,
    state: GameServerState,
    created: i64,
    labels: &'static [(&'static str, &'static str)],
    rooms: (i64, i64),
    seats: (&'static [&'static str], i64),
    players: (i64, i64),
    terminating: bool,
}

const READY: GameServerState = GameServerState::Ready;
const ALLOCATED: GameServerState = GameServerState::Allocated;

/// The game servers every case chooses from.
const SERVERS: &[Server] = &[
    Server {
        name: "a",
        fleet: "ranked",
        state: READY,
        created: 100,
        labels: &[("mode", "ranked"), ("region", "eu")],
        rooms: (1, 4),
        seats: (&["p1"], 4),
        players: (1, 10),
        terminating: false,
    },
    Server {
        name: "b",
        fleet: "ranked",
        state: READY,
        created: 200,
        labels: &[("mode", "ranked"), ("region", "us")],
        rooms: (3, 4),
        seats: (&[], 4),
        players: (8, 10),
        terminating: false,
    },
    Server {
        name: "c",
        fleet: "casual",
        state: READY,
        created: 50,
        labels: &[("mode", "casual")],
        rooms: (0, 0),
        seats: (&["p2", "p3"], 3),
        players: (0, 10),
        terminating: false,
    },
    Server {
        name: "d",
        fleet: "ranked",
        state: ALLOCATED,
        created: 10,
        labels: &[("mode", "ranked"), ("region", "eu")],
        rooms: (2, 4),
        seats: (&["p4"], 2),
        players: (5, 10),
        terminating: false,
    },
    Server {
        name: "e",
        fleet: "ranked",
        state: READY,
        created: 1,
        labels: &[("mode", "ranked"), ("region", "eu")],
        rooms: (0, 4),
        seats: (&[], 4),
        players: (0, 10),
        terminating: true,
    },
];

fn record(server: &Server) -> Arc<GameServerRecord> {
    let identity = Identity {
        name: server.name.into(),
        fleet: server.fleet.into(),
        uid: format!("uid-{}", server.name),
        host_id: "host".into(),
        endpoint: Endpoint {
            ip_address: "127.0.0.1".into(),
            dns_name: "localhost".into(),
            port: 7777,
        },
    };
    let clock = Arc::new(FakeClock::new(Timestamp::from_millis(0)));
    let game_server = GameServer::new(identity, Arc::new(GameServerSpec::default()), clock);
    let mut record = game_server.record();
    record.object_meta.creation_timestamp = server.created;
    record.object_meta.labels = server
        .labels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    record.status.state = server.state;
    record.status.counters = BTreeMap::from([(
        "rooms".to_owned(),
        Counter {
            count: server.rooms.0,
            capacity: server.rooms.1,
        },
    )]);
    record.status.lists = BTreeMap::from([(
        "seats".to_owned(),
        List {
            capacity: server.seats.1,
            values: server.seats.0.iter().map(|v| (*v).to_owned()).collect(),
        },
    )]);
    record.status.players.count = server.players.0;
    record.status.players.capacity = server.players.1;
    if server.terminating {
        record.process.termination_time = Some(Timestamp::from_millis(1_000));
    }
    Arc::new(record)
}

fn selector(json: serde_json::Value) -> Selector {
    serde_json::from_value(json).expect("a selector")
}

/// The names `request` would try, in order, and the index of the selector
/// that matched.
fn picked(request: &AllocationRequest) -> (Vec<&'static str>, Option<usize>) {
    let records: Vec<_> = SERVERS.iter().map(record).collect();
    let found = candidates(request, &records);
    let index = found.first().map(|(index, _)| *index);
    let names = found
        .iter()
        .map(|(_, r)| {
            SERVERS
                .iter()
                .find(|s| s.name == r.object_meta.name)
                .expect("a known server")
                .name
        })
        .collect();
    (names, index)
}

/// A case: its name, the selectors, the scheduling, the names expected in
/// order, and the index of the selector expected to match.
type Case = (
    &'static str,
    Vec<Selector>,
    Scheduling,
    &'static [&'static str],
    Option<usize>,
);

#[test]
fn candidates_follow_selectors_and_scheduling() {
    use Scheduling::{Distributed, Packed};
    let cases: Vec<Case> = vec![
        (
            "no selector: every Ready one not terminating, oldest first",
            vec![],
            Packed,
            &["c", "a", "b"],
            Some(0),
        ),
        (
            "no selector, distributed: newest first",
            vec![],
            Distributed,
            &["b", "a", "c"],
            Some(0),
        ),
        (
            "fleet",
            vec![selector(json!({"fleet": "casual"}))],
            Packed,
            &["c"],
            Some(0),
        ),
        (
            "labels must all match",
            vec![selector(
                json!({"matchLabels": {"mode": "ranked", "region": "eu"}}),
            )],
            Packed,
            &["a"],
            Some(0),
        ),
        (
            "the first selector with a match decides",
            vec![
                selector(json!({"matchLabels": {"region": "ap"}})),
                selector(json!({"matchLabels": {"region": "us"}})),
                selector(json!({"fleet": "ranked"})),
            ],
            Packed,
            &["b"],
            Some(1),
        ),
        (
            "Allocated ones are shared by capacity only when asked for",
            vec![selector(
                json!({"gameServerState": "Allocated", "counters": {"rooms": {"minAvailable": 1}}}),
            )],
            Packed,
            &["d"],
            Some(0),
        ),
        (
            "an Allocated one without room does not match",
            vec![selector(
                json!({"gameServerState": "Allocated", "counters": {"rooms": {"minAvailable": 3}}}),
            )],
            Packed,
            &[],
            None,
        ),
        (
            "counter count range",
            vec![selector(
                json!({"counters": {"rooms": {"minCount": 1, "maxCount": 2}}}),
            )],
            Packed,
            &["a"],
            Some(0),
        ),
        (
            "counter available range, where capacity 0 is no limit",
            vec![selector(
                json!({"counters": {"rooms": {"minAvailable": 2}}}),
            )],
            Distributed,
            &["c", "a"],
            Some(0),
        ),
        (
            "a counter the game server lacks does not match",
            vec![selector(json!({"counters": {"missing": {}}}))],
            Packed,
            &[],
            None,
        ),
        (
            "list contains a value",
            vec![selector(
                json!({"lists": {"seats": {"containsValue": "p2"}}}),
            )],
            Packed,
            &["c"],
            Some(0),
        ),
        (
            "list available room, fewest first when packed",
            vec![selector(json!({"lists": {"seats": {"minAvailable": 1}}}))],
            Packed,
            &["c", "a", "b"],
            Some(0),
        ),
        (
            "list available upper bound",
            vec![selector(
                json!({"lists": {"seats": {"minAvailable": 1, "maxAvailable": 3}}}),
            )],
            Packed,
            &["c", "a"],
            Some(0),
        ),
        (
            "free player slots",
            vec![selector(json!({"players": {"minAvailable": 5}}))],
            Distributed,
            &["c", "a"],
            Some(0),
        ),
    ];
    for (name, selectors, scheduling, expected, index) in cases {
        let request = AllocationRequest {
            selectors,
            scheduling,
            ..AllocationRequest::default()
        };
        let (names, matched) = picked(&request);
        assert_eq!(names, expected, "{name}");
        assert_eq!(matched, index, "{name}");
    }
}

#[test]
fn ties_are_broken_by_age() {
    let records: Vec<_> = [("young", 300), ("old", 100), ("middle", 200)]
        .into_iter()
        .map(|(name, created)| {
            record(&Server {
                name,
                created,
                ..SERVERS[1]
            })
        })
        .collect();
    let order = |scheduling| {
        let request = AllocationRequest {
            scheduling,
            ..AllocationRequest::default()
        };
        candidates(&request, &records)
            .into_iter()
            .map(|(_, r)| r.object_meta.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(order(Scheduling::Packed), ["old", "middle", "young"]);
    assert_eq!(order(Scheduling::Distributed), ["young", "middle", "old"]);
}

#[test]
fn requests_are_checked_before_anything_is_picked() {
    let too_many = AllocationRequest {
        selectors: vec![Selector::default(); MAX_SELECTORS + 1],
        ..AllocationRequest::default()
    };
    assert!(too_many.validate().is_err());
    let shutdown = AllocationRequest {
        selectors: vec![selector(json!({"gameServerState": "Shutdown"}))],
        ..AllocationRequest::default()
    };
    assert!(shutdown.validate().is_err());
    let ok = AllocationRequest {
        selectors: vec![selector(json!({"gameServerState": "Allocated"}))],
        ..AllocationRequest::default()
    };
    assert!(ok.validate().is_ok());
}

#[test]
fn priorities_order_by_room_before_the_scheduling() {
    use Scheduling::{Distributed, Packed};
    // (priorities, scheduling, the names expected in order); with no
    // selector the Ready ones not terminating match: a (rooms 3 free, seats
    // 3 free), b (1, 4) and c (no limit on rooms, 1).
    let cases = [
        (json!([]), Packed, ["c", "a", "b"]),
        (
            json!([{"type": "Counter", "key": "rooms"}]),
            Packed,
            ["b", "a", "c"],
        ),
        (
            json!([{"type": "Counter", "key": "rooms", "order": "Descending"}]),
            Packed,
            ["c", "a", "b"],
        ),
        (
            json!([{"type": "List", "key": "seats", "order": "Ascending"}]),
            Distributed,
            ["c", "a", "b"],
        ),
        (
            json!([{"type": "List", "key": "seats", "order": "Descending"}]),
            Packed,
            ["b", "a", "c"],
        ),
        // Missing everywhere: the scheduling decides.
        (
            json!([{"type": "Counter", "key": "none"}]),
            Distributed,
            ["b", "a", "c"],
        ),
    ];
    for (priorities, scheduling, expected) in cases {
        let request = AllocationRequest {
            priorities: serde_json::from_value(priorities.clone()).expect("priorities"),
            scheduling,
            ..AllocationRequest::default()
        };
        let (names, _) = picked(&request);
        assert_eq!(names, expected, "{priorities} {scheduling:?}");
    }
}

#[test]
fn too_many_priorities_are_refused() {
    let one = Priority {
        kind: PriorityType::Counter,
        key: "rooms".into(),
        order: PriorityOrder::Ascending,
    };
    let request = AllocationRequest {
        priorities: vec![one; MAX_PRIORITIES + 1],
        ..AllocationRequest::default()
    };
    assert!(request.validate().is_err());
}
