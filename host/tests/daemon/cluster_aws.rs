//! GameLift's API on a cluster, with boto3 unchanged: three hosts on one
//! throw-away PostgreSQL, requests signed with their shared token, each
//! call asked of one host and carried out by the host that must
//! (`tests/aws/cluster.py`); each change recorded once, in the audit log
//! of the host that carried it out.

use crate::GAMEHOST;
use crate::aws_api::clients::{SECRET, run};
use crate::cluster::{create_fleet, upload_arena, wait_for_spread};
use gamehost_tests::aws;
use gamehost_tests::postgres::PgServer;
use gamehost_tests::process::DaemonProcess;
use std::process::Command;

/// How many entries of `action` answered 200 the audit logs of `hosts`
/// hold in all.
async fn recorded(hosts: &[DaemonProcess], action: &str) -> usize {
    let mut found = 0;
    for host in hosts {
        let page = host.get_ok("/v1/audit?limit=500").await;
        let entries = page["entries"].as_array().expect("entries");
        found += entries
            .iter()
            .filter(|e| e["action"] == action && e["status"] == 200)
            .count();
    }
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn boto3_asks_any_host_and_the_host_that_must_carries_it_out() {
    let url = PgServer::shared().new_database();
    let mut hosts = Vec::new();
    for id in ["a", "b", "c"] {
        // One game server each: a host hosting a match has no room left.
        let args = ["--store", &url, "--host-id", id, "--max-game-servers", "1"];
        hosts.push(DaemonProcess::start_with(GAMEHOST, Some(SECRET), &args).await);
    }
    upload_arena(&hosts[0]).await;
    create_fleet(&hosts[0], "arena", 3).await;
    let all: Vec<&DaemonProcess> = hosts.iter().collect();
    wait_for_spread(&all, &[1, 1, 1]).await;

    let mut command = Command::new(aws::python());
    command
        .arg(aws::script("cluster.py"))
        .args(hosts.iter().map(|host| host.url("")))
        .args([SECRET, "arena"]);
    let printed = run(command).await;
    assert!(
        printed.contains("answers match GameLift's model"),
        "{printed}"
    );
    assert!(printed.contains("every check passed"), "{printed}");

    // Each of the three game sessions was renamed and terminated once, by
    // the host running it, whichever host was asked.
    for action in [
        "GameLift.UpdateGameSession",
        "GameLift.TerminateGameSession",
    ] {
        assert_eq!(recorded(&hosts, action).await, 3, "{action}");
    }
}
