//! Allocations across three hosts follow their `scheduling`, as Agones'
//! across nodes: `Packed` fills the host with the most Allocated game
//! servers first, `Distributed` goes to a host with the fewest.

use crate::cluster::three_hosts_with_arena;
use gamehost_tests::postgres::PgServer;
use gamehost_tests::process::DaemonProcess;
use reqwest::StatusCode;
use serde_json::json;

/// Allocates a game server of the fleet `arena` through `host` with
/// `scheduling`; returns the port of the host it runs on.
async fn allocate(host: &DaemonProcess, scheduling: &str) -> u64 {
    let request = json!({
        "selectors": [{"matchLabels": {"agones.dev/fleet": "arena"}}],
        "scheduling": scheduling,
    });
    let (status, allocation) = host.post("/v1/allocations", &request).await;
    assert_eq!(status, StatusCode::CREATED, "{allocation}");
    allocation["ports"][0]["port"].as_u64().expect("a port")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn allocations_pack_onto_the_busiest_host_or_spread_to_the_idlest() {
    let url = PgServer::shared().new_database();
    let hosts = three_hosts_with_arena(&url, 6).await;
    let port = |n: usize| u64::from(hosts[n].port());

    // With no host busier than another, a host asked places on itself.
    assert_eq!(allocate(&hosts[0], "Packed").await, port(0));
    assert_eq!(allocate(&hosts[0], "Packed").await, port(0));
    // Once the others know a is the busiest, Packed asked of b fills a.
    tokio::time::sleep(gamehost_model::LEASE_RENEWAL * 2).await;
    assert_eq!(allocate(&hosts[1], "Packed").await, port(0));
    // Distributed asked of a goes to a host with none Allocated.
    let spread = allocate(&hosts[0], "Distributed").await;
    assert!(spread == port(1) || spread == port(2), "placed on {spread}");
}
