//! `gamehost serve --store postgres://…` against a real, throw-away
//! PostgreSQL: the hosts list and its metrics, a host fenced when a live
//! host declared it lost, a standby taking over from a host killed, and the
//! database restarted under load. Three hosts as one cluster: `cluster.rs`.

use crate::GAMEHOST;
use gamehost_tests::daemon::arena_template;
use gamehost_tests::postgres::PgServer;
use gamehost_tests::process::DaemonProcess;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Sends `signal` (`STOP`, `CONT`) to `pid`.
pub(crate) fn signal(pid: u32, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("running kill");
    assert!(sent.success(), "kill -{signal} {pid}");
}

/// The host "first" on the database at `url`, with the example game mode
/// deployed as the fleet `arena` of `replicas`.
async fn first_host(url: &str, replicas: u32) -> DaemonProcess {
    let args = ["--store", url, "--host-id", "first"];
    let first = DaemonProcess::start_with(GAMEHOST, None, &args).await;
    let template = arena_template(json!({}));
    first
        .deploy("arena", gamehost_guests::ARENA, replicas, template)
        .await;
    first
}

/// Each host's id and state in a `/v1/hosts` answer.
pub(crate) fn host_states(hosts: &Value) -> Vec<(&str, &str)> {
    hosts["hosts"]
        .as_array()
        .expect("hosts")
        .iter()
        .map(|h| (h["hostId"].as_str().unwrap(), h["state"].as_str().unwrap()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_on_postgres_lists_itself_with_its_lease_and_game_servers() {
    let url = PgServer::shared().new_database();
    let daemon =
        DaemonProcess::start_with(GAMEHOST, None, &["--store", &url, "--host-id", "host-a"]).await;
    daemon.deploy_arena(2).await;
    let hosts = daemon
        .wait_for("the lease renewed with two Ready game servers", || async {
            let hosts = daemon.get_ok("/v1/hosts").await;
            (hosts["hosts"][0]["gameServers"]["Ready"] == 2).then_some(hosts)
        })
        .await;
    let host = &hosts["hosts"][0];
    assert_eq!(hosts["hosts"].as_array().map(Vec::len), Some(1), "{hosts}");
    assert_eq!(host["hostId"], "host-a");
    assert_eq!(host["state"], "alive");
    assert_eq!(host["epoch"], 1);
    assert_eq!(host["address"], format!("127.0.0.1:{}", daemon.port()));
    assert!(host["leaseAgeSeconds"].as_f64().unwrap() < 3.0, "{host}");

    let listed = Command::new(GAMEHOST)
        .args(["host", "list", "--url", &daemon.url("")])
        .output()
        .expect("running gamehost host list");
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.status.success(), "{listed:?}");
    let row: Vec<&str> = text
        .lines()
        .nth(1)
        .expect("a row")
        .split_whitespace()
        .collect();
    assert_eq!((row[0], row[1], row[3]), ("host-a", "alive", "1"), "{text}");

    let metrics = daemon.metrics().await;
    for name in [
        "gamehost_lease_age_seconds ",
        "gamehost_lease_epoch 1",
        "gamehost_database_seconds_count ",
    ] {
        assert!(metrics.contains(name), "no {name:?} in:\n{metrics}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_paused_past_its_lease_is_declared_lost_by_a_live_host_and_fenced() {
    let url = PgServer::shared().new_database();
    let mut first = first_host(&url, 1).await;
    let second =
        DaemonProcess::start_with(GAMEHOST, None, &["--store", &url, "--host-id", "second"]).await;
    let hosts = second.get_ok("/v1/hosts").await;
    assert_eq!(
        host_states(&hosts),
        [("first", "alive"), ("second", "alive")]
    );

    let pid = first.pid().expect("the first host runs");
    signal(pid, "STOP");
    // The second host, alive beside it, declares the first lost once its
    // lease lapses, takes its game server over (ending it) and keeps the
    // fleet's replica itself.
    second
        .wait_for("the first host declared lost", || async {
            let hosts = second.get_ok("/v1/hosts").await;
            (host_states(&hosts) == [("first", "lost"), ("second", "alive")]).then_some(())
        })
        .await;
    second
        .wait_for(
            "the fleet's one replica Ready on the second host",
            || async {
                let listed = second.game_servers("fleet=arena").await;
                let running: Vec<_> = listed
                    .iter()
                    .filter(|r| r["process"]["ending"].is_null())
                    .collect();
                let here = |r: &&&Value| r["status"]["ports"][0]["port"] == second.port();
                let ready = |r: &&&Value| r["status"]["state"] == "Ready";
                (running.len() == 1 && running.iter().filter(here).filter(ready).count() == 1)
                    .then_some(())
            },
        )
        .await;

    // Woken, the first host finds its lease taken over and stops.
    signal(pid, "CONT");
    let status = first.wait_exit().await;
    assert!(!status.success(), "a fenced host exits with a failure");
    let stderr = first.stderr();
    assert!(stderr.contains("lease was taken over"), "{stderr}");
    assert!(!stderr.contains("throwaway-test-password"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_takes_over_when_its_holder_is_killed() {
    let url = PgServer::shared().new_database();
    let mut first = first_host(&url, 2).await;
    first.ready_game_servers("arena", 2).await;
    let new = json!({"maximumPlayerSessionCount": 2});
    let (status, session) = first.post("/v1/fleets/arena/gamesessions", &new).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let id = session["gameSessionId"].as_str().expect("an id").to_owned();
    let (status, seat) = first
        .post(
            &format!("/v1/gamesessions/{id}/playersessions"),
            &json!({"playerIds": ["ada"]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{seat}");

    let standby = tokio::spawn(async move {
        let args = ["--store", &url, "--host-id", "standby", "--standby"];
        DaemonProcess::start_with(GAMEHOST, None, &args).await
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(
        !standby.is_finished(),
        "the standby serves nothing while the lease is live"
    );
    first.kill9();
    let killed = Instant::now();
    let standby = standby.await.expect("the standby started");
    let serving = killed.elapsed();
    standby.ready_game_servers("arena", 2).await;
    let restored = killed.elapsed();

    // The killed host's match was interrupted, its player's seat ended.
    let session = standby.get_ok(&format!("/v1/gamesessions/{id}")).await;
    assert_eq!(session["status"], "TERMINATED", "{session}");
    assert_eq!(session["statusReason"], "INTERRUPTED", "{session}");
    let seats = standby
        .get_ok(&format!("/v1/playersessions?gameSessionId={id}"))
        .await;
    assert_eq!(seats["playerSessions"][0]["status"], "COMPLETED", "{seats}");
    let hosts = standby.get_ok("/v1/hosts").await;
    let states = host_states(&hosts);
    assert_eq!(states, [("first", "lost"), ("standby", "alive")]);
    gamehost_tests::figures::record(
        "failover",
        "Failover to a standby host, from kill -9 of the host holding the database",
        &[
            format!("the standby serving: {serving:.1?}"),
            format!("the fleet's replicas Ready on it: {restored:.1?}"),
        ],
    );
}

/// What the load saw: acknowledged game sessions, and every refusal.
#[derive(Default)]
struct Seen {
    created: Vec<String>,
    refusals: Vec<(StatusCode, Value, Duration)>,
    created_after_restart: usize,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_restarted_under_load_loses_nothing_acknowledged() {
    let mut server = PgServer::start();
    let url = server.new_database();
    let mut daemon = DaemonProcess::start_with(
        GAMEHOST,
        None,
        &["--store", &url, "--request-timeout", "10s"],
    )
    .await;
    daemon.deploy_arena(4).await;
    let seen = Arc::new(Mutex::new(Seen::default()));
    let phase = Arc::new(Mutex::new("up"));
    let load = {
        let (client, base) = (reqwest::Client::new(), daemon.url("/"));
        let (seen, phase) = (seen.clone(), phase.clone());
        tokio::spawn(async move {
            loop {
                let now = *phase.lock().unwrap();
                if now == "done" {
                    return;
                }
                let asked = Instant::now();
                let answer = client
                    .post(format!("{base}v1/fleets/arena/gamesessions"))
                    .json(&json!({"maximumPlayerSessionCount": 2}))
                    .send()
                    .await
                    .expect("the daemon answers");
                let status = answer.status();
                let body: Value = answer.json().await.unwrap_or(Value::Null);
                let created = if status == StatusCode::CREATED {
                    let id = body["gameSessionId"].as_str().expect("an id").to_owned();
                    let mut seen = seen.lock().unwrap();
                    seen.created.push(id.clone());
                    if now == "restarted" {
                        seen.created_after_restart += 1;
                    }
                    Some(id)
                } else {
                    // Refused: checked below (asked just before the stop,
                    // or answered just after the restart, counts too).
                    let refusal = (status, body, asked.elapsed());
                    seen.lock().unwrap().refusals.push(refusal);
                    None
                };
                match created {
                    // Ends it, so that the fleet has room for the next.
                    Some(id) => {
                        let end = format!("{base}v1/gamesessions/{id}/terminate");
                        let _ = client.post(end).json(&json!({})).send().await;
                    }
                    None => tokio::time::sleep(Duration::from_millis(50)).await,
                }
            }
        })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;
    server.stop(true);
    *phase.lock().unwrap() = "down";
    tokio::time::sleep(Duration::from_secs(3)).await;
    server.restart();
    *phase.lock().unwrap() = "restarted";
    daemon
        .wait_for("game sessions created after the restart", || async {
            (seen.lock().unwrap().created_after_restart >= 5).then_some(())
        })
        .await;
    *phase.lock().unwrap() = "done";
    load.await.expect("the load");

    let seen = std::mem::take(&mut *seen.lock().unwrap());
    // While the database was down, creates were refused as unavailable (or,
    // once every game server was taken, for want of one), each in time.
    let unavailable = seen
        .refusals
        .iter()
        .filter(|(status, ..)| *status == StatusCode::SERVICE_UNAVAILABLE)
        .count();
    assert!(
        unavailable > 0,
        "no 503 while the database was down: {:?}",
        seen.refusals
    );
    for (status, body, took) in &seen.refusals {
        let code = body["error"]["code"].as_str().unwrap_or_default();
        assert!(
            matches!(
                (*status, code),
                (StatusCode::SERVICE_UNAVAILABLE, "DATABASE_UNAVAILABLE")
                    | (StatusCode::CONFLICT, "NO_CAPACITY")
            ),
            "{status} {body}"
        );
        assert!(*took < Duration::from_secs(10), "answered after {took:?}");
    }
    // Every acknowledged game session is in the database: a host started
    // again from it finds each.
    daemon.restart().await;
    for id in &seen.created {
        let (status, session) = daemon.get(&format!("/v1/gamesessions/{id}")).await;
        assert_eq!(status, StatusCode::OK, "game session {id}: {session}");
    }
    println!(
        "{} game sessions acknowledged, {} requests refused while the database was down",
        seen.created.len(),
        seen.refusals.len()
    );
}
