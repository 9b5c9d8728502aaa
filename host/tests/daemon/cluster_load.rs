//! Three hosts on one throw-away PostgreSQL while clients create game
//! sessions and seat players through every host:
//! - a host killed (`kill -9`): what it held ends `INTERRUPTED`, every game
//!   session and player session the surviving hosts acknowledged is in the
//!   database and answered alike by both survivors, and the survivors go on
//!   taking new ones;
//! - the database restarted: requests needing it are refused with 503 while
//!   it is down, every host serves again once it is back, and nothing any
//!   host acknowledged is lost.

use crate::cluster::three_hosts_with_arena;
use crate::postgres::host_states;
use gamehost_tests::postgres::PgServer;
use gamehost_tests::process::DaemonProcess;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::task::JoinHandle;

/// The fleet's replicas: 20 on each host.
const REPLICAS: u32 = 60;
/// Clients creating game sessions at once.
const CLIENTS: usize = 4;

/// A game session and its player's seat, acknowledged to a client.
#[derive(Clone, Debug)]
struct Acked {
    game_session_id: String,
    player_session_id: String,
    /// The port of the host running it (its gateway's).
    port: u64,
    /// Whether it was acknowledged after the kill (or the restart).
    after_kill: bool,
}

/// What the clients saw.
#[derive(Default)]
struct Load {
    acked: Mutex<Vec<Acked>>,
    /// The requests refused, with their answers.
    refused: Mutex<Vec<(StatusCode, Value)>>,
    /// Set once a host is killed (or the database restarted).
    killed: AtomicBool,
    stop: AtomicBool,
}

/// POSTs `body` to `url`; `None` when the host is out of reach.
async fn post(client: &reqwest::Client, url: String, body: &Value) -> Option<(StatusCode, Value)> {
    let answer = client.post(url).json(body).send().await.ok()?;
    let status = answer.status();
    Some((status, answer.json().await.unwrap_or(Value::Null)))
}

/// One client: a game session then a seat in it, through each host in
/// turn, until told to stop; what was acknowledged is kept.
async fn client(ports: [u16; 3], first: usize, load: Arc<Load>) {
    let http = reqwest::Client::new();
    let new = json!({"maximumPlayerSessionCount": 2});
    for turn in first.. {
        if load.stop.load(Ordering::Acquire) {
            return;
        }
        let base = format!("http://127.0.0.1:{}", ports[turn % 3]);
        let url = format!("{base}/v1/fleets/arena/gamesessions");
        let session = match post(&http, url, &new).await {
            Some((StatusCode::CREATED, session)) => session,
            refused => {
                load.refused.lock().expect("lock").extend(refused);
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        let id = session["gameSessionId"].as_str().expect("an id").to_owned();
        let url = format!("{base}/v1/gamesessions/{id}/playersessions");
        let seats = json!({"playerIds": [format!("player-{first}-{turn}")]});
        let seat = post(&http, url, &seats).await;
        if let Some((StatusCode::CREATED, seat)) = seat {
            let acked = Acked {
                game_session_id: id,
                player_session_id: seat["playerSessions"][0]["playerSessionId"]
                    .as_str()
                    .expect("a player session")
                    .to_owned(),
                port: session["port"].as_u64().expect("a port"),
                after_kill: load.killed.load(Ordering::Acquire),
            };
            load.acked.lock().expect("lock").push(acked);
        } else {
            load.refused.lock().expect("lock").extend(seat);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Three hosts sharing the fleet `arena` on the database at `url`, their
/// Ready counts renewed, and [`CLIENTS`] clients loading them.
async fn loaded_cluster(
    url: &str,
) -> (Vec<DaemonProcess>, [u16; 3], Arc<Load>, Vec<JoinHandle<()>>) {
    let hosts = three_hosts_with_arena(url, REPLICAS).await;
    tokio::time::sleep(gamehost_model::LEASE_RENEWAL * 2).await;
    let ports = [hosts[0].port(), hosts[1].port(), hosts[2].port()];
    let load = Arc::new(Load::default());
    let clients = (0..CLIENTS)
        .map(|n| tokio::spawn(client(ports, n, load.clone())))
        .collect();
    (hosts, ports, load, clients)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_killed_under_load_loses_nothing_the_others_acknowledged() {
    let url = PgServer::shared().new_database();
    let (mut hosts, ports, load, clients) = loaded_cluster(&url).await;
    let acked = || load.acked.lock().expect("lock").clone();
    hosts[0]
        .wait_for("ten game sessions acknowledged on each host", || async {
            let acked = acked();
            let on = |port: u16| acked.iter().filter(|a| a.port == u64::from(port)).count();
            ports.iter().all(|port| on(*port) >= 10).then_some(())
        })
        .await;

    hosts[2].kill9();
    let killed = Instant::now();
    load.killed.store(true, Ordering::Release);
    let (a, b) = (&hosts[0], &hosts[1]);
    a.wait_for("new game sessions acknowledged after the kill", || async {
        (acked().iter().filter(|a| a.after_kill).count() >= 4).then_some(())
    })
    .await;

    // Everything the killed host ran ends INTERRUPTED, within the bound.
    let on_killed: Vec<Acked> = acked()
        .into_iter()
        .filter(|a| a.port == u64::from(ports[2]))
        .collect();
    assert!(
        !on_killed.is_empty(),
        "no game session ran on the killed host"
    );
    for lost in &on_killed {
        let path = format!("/v1/gamesessions/{}", lost.game_session_id);
        let ended = a
            .wait_for("the killed host's game session ended", || async {
                let (status, session) = a.get(&path).await;
                (status == StatusCode::OK && session["status"] == "TERMINATED").then_some(session)
            })
            .await;
        assert_eq!(ended["statusReason"], "INTERRUPTED", "{ended}");
    }
    let interrupted = killed.elapsed();
    load.stop.store(true, Ordering::Release);
    for client in clients {
        client.await.expect("a client ends");
    }

    // Every seat the survivors acknowledged is stored and answered alike by
    // both of them (the other's from the database).
    let survived: Vec<Acked> = acked()
        .into_iter()
        .filter(|a| a.port != u64::from(ports[2]))
        .collect();
    let listed = |host: &'static str, listed: Value| {
        let ids: std::collections::BTreeSet<String> = listed["gameSessions"]
            .as_array()
            .expect("a list")
            .iter()
            .filter(|s| s["status"] != "TERMINATED")
            .map(|s| s["gameSessionId"].as_str().expect("an id").to_owned())
            .collect();
        (host, ids)
    };
    for (host, ids) in [
        listed("a", a.get_ok("/v1/gamesessions?fleet=arena").await),
        listed("b", b.get_ok("/v1/gamesessions?fleet=arena").await),
    ] {
        for kept in &survived {
            assert!(ids.contains(&kept.game_session_id), "{host} lost {kept:?}");
        }
    }
    for kept in &survived {
        let path = format!("/v1/playersessions?gameSessionId={}", kept.game_session_id);
        let (on_a, on_b) = (a.get_ok(&path).await, b.get_ok(&path).await);
        assert_eq!(on_a, on_b);
        let seat = &on_a["playerSessions"][0];
        assert_eq!(seat["playerSessionId"], kept.player_session_id.as_str());
        assert_ne!(seat["status"], "COMPLETED", "{seat}");
    }
    gamehost_tests::figures::record(
        "cluster-kill-under-load",
        "Three hosts on PostgreSQL, one killed (kill -9) under load",
        &[
            format!(
                "acknowledged: {} game sessions with a seat ({} on the killed host, {} after the kill)",
                acked().len(),
                on_killed.len(),
                acked().iter().filter(|a| a.after_kill).count()
            ),
            format!("the killed host's game sessions all INTERRUPTED: {interrupted:.1?}"),
            format!(
                "the survivors' {} acknowledged game sessions and seats: all stored, answered alike by both",
                survived.len()
            ),
        ],
    );
}

/// The ids of the game sessions `host` lists in the fleet `arena`.
async fn listed_ids(host: &DaemonProcess) -> BTreeSet<String> {
    let listed = host.get_ok("/v1/gamesessions?fleet=arena").await;
    listed["gameSessions"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| s["gameSessionId"].as_str().expect("an id").to_owned())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_restarted_under_load_loses_nothing_any_host_acknowledged() {
    let mut server = PgServer::start();
    let url = server.new_database();
    let (hosts, ports, load, clients) = loaded_cluster(&url).await;
    let acked = || load.acked.lock().expect("lock").clone();
    hosts[0]
        .wait_for("game sessions acknowledged before the stop", || async {
            (acked().len() >= 30).then_some(())
        })
        .await;
    server.stop(true);
    tokio::time::sleep(Duration::from_secs(2)).await;
    let refused_while_down = load.refused.lock().expect("lock").len();
    server.restart();
    load.killed.store(true, Ordering::Release);
    // Every host serves again.
    hosts[0]
        .wait_for(
            "game sessions acknowledged on every host after the restart",
            || async {
                let acked = acked();
                let after = |port: u16| {
                    let on = |a: &&Acked| a.after_kill && a.port == u64::from(port);
                    acked.iter().filter(on).count()
                };
                ports.iter().all(|port| after(*port) >= 5).then_some(())
            },
        )
        .await;
    load.stop.store(true, Ordering::Release);
    for client in clients {
        client.await.expect("a client ends");
    }

    // While it was down, requests were refused as unavailable (or for want
    // of a game server), never otherwise.
    let refused = load.refused.lock().expect("lock").clone();
    assert!(
        refused_while_down > 0,
        "nothing refused while the database was down"
    );
    let unavailable = |(status, body): &(StatusCode, Value)| {
        *status == StatusCode::SERVICE_UNAVAILABLE
            && body["error"]["code"] == "DATABASE_UNAVAILABLE"
    };
    assert!(refused.iter().any(unavailable), "no 503: {refused:?}");
    for (status, body) in &refused {
        let no_capacity = *status == StatusCode::CONFLICT && body["error"]["code"] == "NO_CAPACITY";
        assert!(
            unavailable(&(*status, body.clone())) || no_capacity,
            "{status} {body}"
        );
    }
    // No host was declared lost, and every game session any of them
    // acknowledged is listed by all three (the others' from the database).
    let listed = hosts[0].get_ok("/v1/hosts").await;
    assert_eq!(
        host_states(&listed),
        [("a", "alive"), ("b", "alive"), ("c", "alive")]
    );
    let acked = acked();
    for host in &hosts {
        let ids = listed_ids(host).await;
        for kept in &acked {
            assert!(ids.contains(&kept.game_session_id), "lost {kept:?}");
        }
    }
    gamehost_tests::figures::record(
        "cluster-database-restart",
        "Three hosts on PostgreSQL, the database restarted under load",
        &[
            format!(
                "acknowledged: {} game sessions with a seat, all listed by every host",
                acked.len()
            ),
            format!(
                "requests refused while it was down or reconnecting: {}",
                refused.len()
            ),
        ],
    );
}
