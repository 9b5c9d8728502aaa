//! The manifests of `deploy/agones`, read as Kubernetes would: the Fleet
//! declares what the host keeps true and runs valid `gamehost serve`
//! arguments; the FleetAutoscaler scales it on its counter. The
//! GameServerAllocation is the one the other tests allocate with.

use gamehost::cli::{ServeArgs, Serving};
use serde_json::Value;
use std::time::Duration;

/// A manifest of `deploy/agones`, as JSON.
pub(super) fn manifest(name: &str) -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../deploy/agones/");
    let text = std::fs::read_to_string(format!("{path}{name}"))
        .unwrap_or_else(|e| panic!("reading deploy/agones/{name}: {e}"));
    serde_norway::from_str(&text).unwrap_or_else(|e| panic!("deploy/agones/{name}: {e}"))
}

/// The GameServer template of the Fleet.
pub(super) fn game_server_template() -> Value {
    let fleet = manifest("fleet.yaml");
    assert_eq!(fleet["kind"], "Fleet");
    fleet["spec"]["template"]["spec"].clone()
}

/// The argument after `flag` in `args`.
fn after<'a>(args: &'a [&str], flag: &str) -> &'a str {
    let at = args.iter().position(|a| *a == flag);
    at.and_then(|at| args.get(at + 1))
        .unwrap_or_else(|| panic!("{flag} in {args:?}"))
}

#[test]
fn the_fleet_declares_the_books_and_runs_valid_serve_arguments() {
    let template = game_server_template();
    // The counter and list the host keeps by default, the list as long as
    // Agones allows.
    assert!(template["counters"]["rooms"].is_object(), "{template}");
    assert_eq!(
        template["lists"]["sessions"]["capacity"],
        gamehost_agones::LIST_LIMIT
    );
    let pod = &template["template"]["spec"];
    let container = &pod["containers"][0];
    let args: Vec<&str> = container["args"]
        .as_array()
        .expect("args")
        .iter()
        .map(|a| a.as_str().expect("a word"))
        .collect();
    assert_eq!(args[0], "serve");
    if let Err(error) = ServeArgs::from_words(args[1..].iter().copied()) {
        panic!("the Fleet's arguments: {error}");
    }
    // Players reach the port the host listens on.
    let listen = after(&args, "--listen");
    let port = template["ports"][0]["containerPort"]
        .as_u64()
        .expect("a port");
    assert!(listen.ends_with(&format!(":{port}")), "{listen} and {port}");
    // Kubernetes waits longer than the host's drain and stop.
    let grace = humantime::parse_duration(after(&args, "--shutdown-grace")).expect("a grace");
    let kubernetes = pod["terminationGracePeriodSeconds"]
        .as_u64()
        .expect("seconds");
    assert!(
        Duration::from_secs(kubernetes) > Serving::longest_agones_stop(grace),
        "{kubernetes} s against {grace:?}"
    );
    // The token comes from the Secret.
    let secret = manifest("secret.yaml");
    let token = &container["env"][0];
    assert_eq!(token["name"], "GAMEHOST_TOKEN");
    let reference = &token["valueFrom"]["secretKeyRef"];
    assert_eq!(reference["name"], secret["metadata"]["name"]);
    let key = reference["key"].as_str().expect("a key");
    assert!(secret["stringData"][key].is_string(), "{secret}");
}

#[test]
fn the_autoscaler_scales_the_fleet_on_its_counter() {
    let fleet = manifest("fleet.yaml");
    let autoscaler = manifest("autoscaler.yaml");
    assert_eq!(autoscaler["kind"], "FleetAutoscaler");
    assert_eq!(autoscaler["spec"]["fleetName"], fleet["metadata"]["name"]);
    let policy = &autoscaler["spec"]["policy"];
    assert_eq!(policy["type"], "Counter");
    let counter = &policy["counter"];
    assert!(
        game_server_template()["counters"][counter["key"].as_str().expect("a key")].is_object()
    );
    let read = |field: &str| counter[field].as_i64().expect("a number");
    assert!(read("bufferSize") <= read("minCapacity"), "{counter}");
    assert!(read("minCapacity") <= read("maxCapacity"), "{counter}");
}

#[test]
fn the_allocation_selects_the_fleets_game_servers_by_their_rooms() {
    let fleet = manifest("fleet.yaml");
    let allocation = manifest("allocation.yaml");
    assert_eq!(allocation["kind"], "GameServerAllocation");
    for selector in allocation["spec"]["selectors"]
        .as_array()
        .expect("selectors")
    {
        assert_eq!(
            selector["matchLabels"]["agones.dev/fleet"],
            fleet["metadata"]["name"]
        );
        assert_eq!(selector["counters"]["rooms"]["minAvailable"], 1);
    }
    assert_eq!(
        allocation["spec"]["counters"]["rooms"],
        serde_json::json!({"action": "Increment", "amount": 1})
    );
}
