//! Three hosts on one throw-away PostgreSQL as one cluster: a module
//! uploaded to one host and a fleet created on another run everywhere, the
//! fleet's replicas spread over the live hosts, a change made on any host
//! reaches the others, a game session or an allocation asked of a host with
//! no Ready game server is placed on one that has, a request about a game
//! session or game server is answered alike by every host, and a host
//! killed with a match running is declared lost by the others, which end
//! its match and restore its replicas.

use crate::GAMEHOST;
use crate::postgres::host_states;
use gamehost_tests::daemon::arena_template;
use gamehost_tests::postgres::PgServer;
use gamehost_tests::process::DaemonProcess;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeMap;
use std::time::Instant;

/// Three hosts, `a`, `b` and `c`, on the database at `url`.
pub(crate) async fn three_hosts(url: &str) -> Vec<DaemonProcess> {
    let mut hosts = Vec::new();
    for id in ["a", "b", "c"] {
        let args = ["--store", url, "--host-id", id];
        hosts.push(DaemonProcess::start_with(GAMEHOST, None, &args).await);
    }
    hosts
}

/// Three hosts on the database at `url` sharing the fleet `arena` of
/// `replicas` (a multiple of three), each with its share Ready.
pub(crate) async fn three_hosts_with_arena(url: &str, replicas: u32) -> Vec<DaemonProcess> {
    let hosts = three_hosts(url).await;
    upload_arena(&hosts[0]).await;
    create_fleet(&hosts[0], "arena", replicas).await;
    let all: Vec<&DaemonProcess> = hosts.iter().collect();
    let share = usize::try_from(replicas / 3).expect("a share");
    wait_for_spread(&all, &[share; 3]).await;
    hosts
}

/// Uploads the example game mode to `uploaded_to` as `arena@1`.
pub(crate) async fn upload_arena(uploaded_to: &DaemonProcess) {
    let bytes = gamehost_guests::read(gamehost_guests::ARENA);
    let (status, module) = uploaded_to.upload("arena", "1", bytes).await;
    assert!(status.is_success(), "{status} {module}");
}

/// Creates the fleet `name` of `arena@1` with `replicas` on `host`.
pub(crate) async fn create_fleet(host: &DaemonProcess, name: &str, replicas: u32) {
    let fleet = json!({
        "name": name,
        "module": "arena@1",
        "replicas": replicas,
        "template": arena_template(json!({})),
    });
    let (status, body) = host.post("/v1/fleets", &fleet).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

/// How many of the fleet `arena`'s game servers are Ready on `host` (the
/// cluster's list, as `host` answers it, holds every host's: those on
/// `host` have its port).
async fn ready(host: &DaemonProcess) -> usize {
    let listed = host.game_servers("fleet=arena&state=Ready").await;
    let here = |record: &&serde_json::Value| record["status"]["ports"][0]["port"] == host.port();
    listed.iter().filter(here).count()
}

/// The names in a list of game servers or the ids in one of game sessions.
fn names(listed: &[serde_json::Value]) -> Vec<String> {
    listed
        .iter()
        .map(|v| {
            v["objectMeta"]["name"]
                .as_str()
                .or(v["gameSessionId"].as_str())
        })
        .map(|name| name.expect("a name or an id").to_owned())
        .collect()
}

/// Waits until the hosts hold `expected` Ready game servers each.
pub(crate) async fn wait_for_spread(hosts: &[&DaemonProcess], expected: &[usize]) {
    hosts[0]
        .wait_for(
            &format!("Ready game servers spread as {expected:?}"),
            || async {
                let mut counts = Vec::new();
                for host in hosts {
                    counts.push(ready(host).await);
                }
                let mut sorted = counts.clone();
                sorted.sort_unstable();
                (sorted == expected).then_some(())
            },
        )
        .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
pub(crate) async fn three_hosts_share_a_fleet_and_take_over_a_host_killed() {
    let url = PgServer::shared().new_database();
    let mut hosts = three_hosts(&url).await;
    let listed = hosts[1].get_ok("/v1/hosts").await;
    assert_eq!(
        host_states(&listed),
        [("a", "alive"), ("b", "alive"), ("c", "alive")]
    );

    // Uploaded to a, created on b: every host compiles the module and
    // keeps its share of the replicas.
    upload_arena(&hosts[0]).await;
    create_fleet(&hosts[1], "arena", 6).await;
    let all: Vec<&DaemonProcess> = hosts.iter().collect();
    wait_for_spread(&all, &[2, 2, 2]).await;

    // Scaled on c: the new replicas spread too.
    let scale = json!({"replicas": 9});
    let (status, body) = hosts[2].patch("/v1/fleets/arena", &scale).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    wait_for_spread(&all, &[3, 3, 3]).await;
    // Every host counts the whole fleet.
    for host in &hosts {
        host.wait_for("the fleet's nine Ready counted by every host", || async {
            let view = host.get_ok("/v1/fleets/arena").await;
            (view["status"]["ready"] == 9 && view["status"]["replicas"] == 9).then_some(())
        })
        .await;
    }

    // A fleet of one replica lives on one host; a game session asked of
    // another host is forwarded to it and answered with its address.
    create_fleet(&hosts[0], "solo", 1).await;
    let holder = hosts[0]
        .wait_for("the solo fleet's replica Ready on a host", || async {
            for (index, host) in hosts.iter().enumerate() {
                if !host.game_servers("fleet=solo&state=Ready").await.is_empty() {
                    return Some(index);
                }
            }
            None
        })
        .await;
    let asked = &hosts[(holder + 1) % 3];
    let new = json!({"maximumPlayerSessionCount": 2});
    let (status, session) = asked
        .wait_for("the holder's Ready count renewed", || async {
            let answer = asked.post("/v1/fleets/solo/gamesessions", &new).await;
            (answer.0 != StatusCode::CONFLICT).then_some(answer)
        })
        .await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    assert_eq!(session["port"], hosts[holder].port(), "{session}");
    let metrics = asked.metrics().await;
    let forwarded = "gamehost_forwarded_requests_total{outcome=\"answered\"}";
    assert!(metrics.contains(forwarded), "{metrics}");
    // So is an allocation, once the holder has started another replica;
    // the allocated game server is then found through any host.
    let request = json!({"selectors": [{"matchLabels": {"agones.dev/fleet": "solo"}}]});
    let (status, allocation) = asked
        .wait_for("the solo fleet's next replica Ready", || async {
            let answer = asked.post("/v1/allocations", &request).await;
            (answer.0 != StatusCode::CONFLICT).then_some(answer)
        })
        .await;
    assert_eq!(status, StatusCode::CREATED, "{allocation}");
    let name = allocation["gameServerName"].as_str().expect("a name");
    let record = asked.get_ok(&format!("/v1/gameservers/{name}")).await;
    assert_eq!(record["status"]["state"], "Allocated", "{record}");
    let on_holder = hosts[holder]
        .get_ok(&format!("/v1/gameservers/{name}"))
        .await;
    assert_eq!(record, on_holder);

    // A match with a player on c.
    let new = json!({"maximumPlayerSessionCount": 2});
    let (status, session) = hosts[2].post("/v1/fleets/arena/gamesessions", &new).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let id = session["gameSessionId"].as_str().expect("an id").to_owned();
    assert_eq!(session["port"], hosts[2].port(), "{session}");
    // Asked of another host, a request about it goes to c.
    let seats = json!({"playerIds": ["ada"]});
    let path = format!("/v1/gamesessions/{id}/playersessions");
    let (status, seat) = hosts[0].post(&path, &seats).await;
    assert_eq!(status, StatusCode::CREATED, "{seat}");
    let on_c = hosts[2].get_ok(&format!("/v1/gamesessions/{id}")).await;
    let on_b = hosts[1].get_ok(&format!("/v1/gamesessions/{id}")).await;
    assert_eq!(on_b, on_c);
    let seats = hosts[1]
        .get_ok(&format!("/v1/playersessions?gameSessionId={id}"))
        .await;
    assert_eq!(seats["playerSessions"][0]["playerId"], "ada", "{seats}");
    // Every host lists the whole cluster's game servers and game sessions
    // (the others' as they stored them: each within half a second).
    let everywhere = hosts[2]
        .wait_for("every host listing the cluster's game servers", || async {
            let mut lists = Vec::new();
            for host in &hosts {
                lists.push(names(&host.game_servers("fleet=arena").await));
            }
            lists
                .iter()
                .all(|l| *l == lists[0])
                .then(|| lists.remove(0))
        })
        .await;
    assert!(everywhere.len() >= 9, "{everywhere:?}");
    for host in &hosts {
        let listed = host.get_ok("/v1/gamesessions?fleet=arena").await;
        let ids = names(listed["gameSessions"].as_array().expect("a list"));
        assert_eq!(ids, std::slice::from_ref(&id), "{listed}");
    }

    // c is killed: a live host declares it lost, ends its match and the
    // player's seat, and the survivors keep the fleet's nine replicas.
    hosts[2].kill9();
    let killed = Instant::now();
    let (a, b) = (&hosts[0], &hosts[1]);
    let ended = a
        .wait_for("c's game session ended by a live host", || async {
            let (status, session) = a.get(&format!("/v1/gamesessions/{id}")).await;
            (status == StatusCode::OK && session["status"] == "TERMINATED").then_some(session)
        })
        .await;
    let declared = killed.elapsed();
    assert_eq!(ended["statusReason"], "INTERRUPTED", "{ended}");
    // Either survivor answers alike: the one that took it over, or the
    // other through it.
    let path = format!("/v1/playersessions?gameSessionId={id}");
    for host in [a, b] {
        assert_eq!(host.get_ok(&format!("/v1/gamesessions/{id}")).await, ended);
        let seats = host.get_ok(&path).await;
        assert_eq!(seats["playerSessions"][0]["status"], "COMPLETED", "{seats}");
    }
    let listed = a.get_ok("/v1/hosts").await;
    assert_eq!(
        host_states(&listed),
        [("a", "alive"), ("b", "alive"), ("c", "lost")]
    );
    wait_for_spread(&[a, b], &[4, 5]).await;
    let restored = killed.elapsed();
    gamehost_tests::figures::record(
        "cluster-failover",
        "Three hosts on PostgreSQL: one killed (kill -9) with a match running",
        &[
            format!("its match ended INTERRUPTED by a live host: {declared:.1?}"),
            format!("the fleet's nine replicas Ready on the two others: {restored:.1?}"),
        ],
    );

    // Deleted on a: b's game servers of the fleet end too.
    let (status, body) = a.delete("/v1/fleets/arena").await;
    assert!(status.is_success(), "{status} {body}");
    b.wait_for("b's game servers of a deleted fleet ended", || async {
        let fleet = b.get("/v1/fleets/arena").await;
        (fleet.0 == StatusCode::NOT_FOUND && ready(b).await == 0).then_some(())
    })
    .await;
}

/// How many game sessions the concurrency test creates at once, as many
/// as the fleet has replicas.
const CONCURRENT_CREATES: usize = 500;

/// The host each of the concurrency test's creates is asked of: half of
/// them a (which holds a third of the game servers, so it must place some
/// on the others), the rest b or c, in an order that looks random and is
/// the same on every run.
fn asked_hosts() -> Vec<usize> {
    let mut state: u32 = 0x9e37_79b9;
    (0..CONCURRENT_CREATES)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            match state % 4 {
                0 | 1 => 0,
                2 => 1,
                _ => 2,
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_creates_through_every_host_never_share_a_game_server() {
    let url = PgServer::shared().new_database();
    let hosts = three_hosts(&url).await;
    upload_arena(&hosts[0]).await;

    // A fleet of one name created on the three hosts at once: one wins,
    // the others are refused, and every host keeps the winner's.
    let creates = hosts.iter().zip(1..).map(|(host, replicas)| {
        let fleet = json!({"name": "race", "module": "arena@1", "replicas": replicas,
            "template": arena_template(json!({}))});
        async move { host.post("/v1/fleets", &fleet).await }
    });
    let answers = futures_util::future::join_all(creates).await;
    let won: Vec<&serde_json::Value> = answers
        .iter()
        .filter(|(status, _)| *status == StatusCode::CREATED)
        .map(|(_, fleet)| fleet)
        .collect();
    assert_eq!(won.len(), 1, "{answers:?}");
    for (status, body) in &answers {
        assert!(
            matches!(*status, StatusCode::CREATED | StatusCode::CONFLICT),
            "{body}"
        );
    }
    for host in &hosts {
        let kept = host
            .wait_for("the fleet followed by every host", || async {
                let (status, kept) = host.get("/v1/fleets/race").await;
                (status == StatusCode::OK).then_some(kept)
            })
            .await;
        assert_eq!(kept["replicas"], won[0]["replicas"], "{kept}");
    }
    let (status, body) = hosts[0].delete("/v1/fleets/race").await;
    assert!(status.is_success(), "{status} {body}");

    let replicas = u32::try_from(CONCURRENT_CREATES).expect("a fleet's size");
    create_fleet(&hosts[0], "arena", replicas).await;
    let all: Vec<&DaemonProcess> = hosts.iter().collect();
    // An even split, the remainder one each to as many hosts.
    let (share, remainder) = (CONCURRENT_CREATES / 3, CONCURRENT_CREATES % 3);
    let spread: Vec<usize> = (0..3)
        .map(|n| share + usize::from(n >= 3 - remainder))
        .collect();
    wait_for_spread(&all, &spread).await;
    // Let every host's lease renewal carry its Ready count.
    tokio::time::sleep(gamehost_model::LEASE_RENEWAL * 2).await;

    let creates = asked_hosts().into_iter().map(|host| {
        let new = json!({"maximumPlayerSessionCount": 2});
        let host = &hosts[host];
        async move { host.post("/v1/fleets/arena/gamesessions", &new).await }
    });
    let answers = futures_util::future::join_all(creates).await;
    // Every create found a game server (one was free for each), and no
    // game server was taken twice.
    let mut game_servers = std::collections::BTreeSet::new();
    for (status, session) in &answers {
        assert_eq!(*status, StatusCode::CREATED, "{session}");
        let name = session["gameServerName"].as_str().expect("a game server");
        assert!(game_servers.insert(name.to_owned()), "{name} taken twice");
    }
    let by_port = answers.iter().fold(BTreeMap::new(), |mut by_port, (_, s)| {
        *by_port
            .entry(s["port"].as_u64().expect("a port"))
            .or_insert(0) += 1;
        by_port
    });
    assert_eq!(by_port.len(), 3, "game sessions by host: {by_port:?}");
    // Every host lists all of them, each on the host that answered it.
    let listed = hosts[1]
        .wait_for("every game session listed by b", || async {
            let listed = hosts[1].get_ok("/v1/gamesessions?fleet=arena").await;
            let listed = listed["gameSessions"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            (listed.len() == CONCURRENT_CREATES).then_some(listed)
        })
        .await;
    let ports: BTreeMap<&str, &serde_json::Value> = listed
        .iter()
        .map(|s| (s["gameSessionId"].as_str().expect("an id"), &s["port"]))
        .collect();
    for (_, session) in &answers {
        let id = session["gameSessionId"].as_str().expect("an id");
        assert_eq!(ports.get(id), Some(&&session["port"]), "{session}");
    }
}
