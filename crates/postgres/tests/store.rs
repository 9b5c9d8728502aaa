//! The PostgreSQL store against a real, throw-away PostgreSQL server:
//! documents, migrations, leases and fencing, and a database that goes away
//! and comes back.

use gamehost_model::store::{Collection, Durability, Store, StoreError, Write};
use gamehost_model::{HostState, LEASE_TERM};
use gamehost_postgres::{HostIdentity, PgStore, SCHEMA_VERSION};
use gamehost_tests::postgres::PgServer;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

fn host(id: &str) -> HostIdentity {
    HostIdentity {
        host_id: id.into(),
        address: format!("{id}.example:7700"),
        version: "test".into(),
        max_game_servers: 16,
    }
}

/// Runs `sql` on the database at `url`, for what the store does not
/// expose; on a thread of its own, so async tests may call it too.
fn sql(url: &str, sql: &str) -> Vec<tokio_postgres::Row> {
    let (url, sql) = (url.to_owned(), sql.to_owned());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                .await
                .expect("connecting");
            tokio::spawn(connection);
            client.query(&sql, &[]).await.expect("the query")
        })
    })
    .join()
    .expect("the query's thread")
}

/// Checks that host "b" (`new`) took the database over from host "a"
/// (`old`): "a" shows lost and is fenced, "b" alive and writes.
async fn assert_taken_over(old: &PgStore, new: &PgStore) {
    let hosts = new.hosts().await.unwrap();
    let states: Vec<_> = hosts
        .iter()
        .map(|h| (h.host_id.as_str(), h.state))
        .collect();
    assert_eq!(states, [("a", HostState::Lost), ("b", HostState::Alive)]);
    let write = [Write::json(Collection::Fleets, "f", &1)];
    assert!(matches!(
        old.apply(&write, Durability::Immediate),
        Err(StoreError::Fenced(_))
    ));
    new.apply(&write, Durability::Immediate).unwrap();
}

#[test]
fn documents_are_written_atomically_and_read_back_in_key_order() {
    let url = PgServer::shared().new_database();
    let store = PgStore::open(&url, &host("a")).unwrap();
    store
        .apply(
            &[
                Write::json(Collection::Fleets, "a", &1),
                Write::json(Collection::Fleets, "b", &2),
                Write::delete(Collection::Fleets, "a"),
                Write::json(Collection::Logs, "a", &3),
                Write::put(Collection::ModuleBytes, "m", vec![0, 159, 255]),
            ],
            Durability::Deferred,
        )
        .unwrap();
    store.apply(&[], Durability::Immediate).unwrap();
    drop(store);
    let store = PgStore::open(&url, &host("a")).unwrap();
    assert_eq!(
        store.scan(Collection::Fleets).unwrap(),
        vec![("b".to_owned(), b"2".to_vec())]
    );
    assert_eq!(
        store.get(Collection::Logs, "a").unwrap(),
        Some(b"3".to_vec())
    );
    assert_eq!(store.get(Collection::Logs, "b").unwrap(), None);
    assert_eq!(
        store.get(Collection::ModuleBytes, "m").unwrap(),
        Some(vec![0, 159, 255])
    );

    // Keys sort bytewise, as in the embedded store.
    let keys = ["a/2", "a", "a/1", "a0", "b/1", "a/10", "A/1", "a/é"];
    let writes: Vec<Write> = keys
        .iter()
        .map(|k| Write::json(Collection::Audit, *k, &1))
        .collect();
    store.apply(&writes, Durability::Immediate).unwrap();
    let found: Vec<String> = store
        .scan_prefix(Collection::Audit, "a/")
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(found, ["a/1", "a/10", "a/2", "a/é"]);
    let all: Vec<String> = store
        .scan(Collection::Audit)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(all, ["A/1", "a", "a/1", "a/10", "a/2", "a/é", "a0", "b/1"]);
    assert!(
        store
            .scan_prefix(Collection::Audit, "c/")
            .unwrap()
            .is_empty()
    );
}

#[test]
fn hosts_starting_together_migrate_the_schema_once() {
    let url = PgServer::shared().new_database();
    let opened: Vec<Result<PgStore, StoreError>> = std::thread::scope(|scope| {
        let starts: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| PgStore::open(&url, &host("a"))))
            .collect();
        starts.into_iter().map(|s| s.join().unwrap()).collect()
    });
    let epochs: Vec<u64> = opened.into_iter().map(|s| s.unwrap().epoch()).collect();
    let mut sorted = epochs.clone();
    sorted.sort_unstable();
    assert_eq!(
        sorted,
        [1, 2, 3, 4],
        "each start took a new epoch: {epochs:?}"
    );
    let versions = sql(
        &url,
        "SELECT version FROM gamehost_migrations ORDER BY version",
    );
    let versions: Vec<i32> = versions.iter().map(|r| r.get(0)).collect();
    assert_eq!(versions, (1..=SCHEMA_VERSION).collect::<Vec<_>>());
}

#[test]
fn a_database_migrated_by_a_newer_gamehost_is_refused() {
    let url = PgServer::shared().new_database();
    drop(PgStore::open(&url, &host("a")).unwrap());
    sql(
        &url,
        &format!(
            "INSERT INTO gamehost_migrations (version, name) VALUES ({}, 'from the future')",
            SCHEMA_VERSION + 1
        ),
    );
    let refused = PgStore::open(&url, &host("a")).err().expect("refused");
    assert!(
        refused.to_string().contains("newer than this gamehost"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_host_that_started_again_fences_its_old_self() {
    let url = PgServer::shared().new_database();
    let old = PgStore::open(&url, &host("a")).unwrap();
    let new = PgStore::open(&url, &host("a")).unwrap();
    assert_eq!((old.epoch(), new.epoch()), (1, 2));
    let write = [Write::json(Collection::Fleets, "f", &"old")];
    let refused = old.apply(&write, Durability::Immediate).unwrap_err();
    assert!(matches!(refused, StoreError::Fenced(_)), "{refused}");
    assert!(matches!(
        old.renew(BTreeMap::new()).await,
        Err(StoreError::Fenced(_))
    ));
    new.apply(
        &[Write::json(Collection::Fleets, "f", &"new")],
        Durability::Immediate,
    )
    .unwrap();
    assert_eq!(
        new.get(Collection::Fleets, "f").unwrap(),
        Some(b"\"new\"".to_vec())
    );
}

#[tokio::test]
async fn hosts_share_fleets_keep_their_own_game_servers_and_take_over_a_lapsed_host() {
    let url = PgServer::shared().new_database();
    let first = PgStore::open(&url, &host("a")).unwrap();
    let second = PgStore::open(&url, &host("b")).unwrap();
    let counts = BTreeMap::from([("Ready".to_owned(), 2), ("Allocated".to_owned(), 1)]);
    first.renew(counts.clone()).await.unwrap();
    let put = |store: &PgStore, collection, key: &str| {
        let write = [Write::json(collection, key, &key)];
        store.apply(&write, Durability::Immediate).unwrap();
    };
    put(&first, Collection::Fleets, "shared-fleet");
    put(&first, Collection::GameServers, "gs-a");
    put(&second, Collection::GameServers, "gs-b");
    let keys = |store: &PgStore, collection| -> Vec<String> {
        let documents = store.scan(collection).unwrap();
        documents.into_iter().map(|(k, _)| k).collect()
    };
    assert_eq!(keys(&first, Collection::GameServers), ["gs-a"]);
    assert_eq!(keys(&second, Collection::GameServers), ["gs-b"]);
    assert_eq!(keys(&second, Collection::Fleets), ["shared-fleet"]);
    assert_eq!(second.get(Collection::GameServers, "gs-a").unwrap(), None);

    let hosts = first.hosts().await.unwrap();
    let states: Vec<_> = hosts
        .iter()
        .map(|h| (h.host_id.as_str(), h.state))
        .collect();
    assert_eq!(states, [("a", HostState::Alive), ("b", HostState::Alive)]);
    let a = &hosts[0];
    assert_eq!(a.epoch, 1);
    assert_eq!(a.address, "a.example:7700");
    assert_eq!(a.max_game_servers, 16);
    assert_eq!(a.game_servers, counts);
    assert!(a.lease_age_seconds < 2.0, "{}", a.lease_age_seconds);

    // Nothing lapsed: nothing to take over.
    let taken = second.take_over().await.unwrap();
    assert!(
        taken.declared.is_empty() && taken.documents.is_empty(),
        "{taken:?}"
    );
    // The first host stops renewing: past the lease's term the second one
    // declares it lost and takes its game servers.
    let lapsed = LEASE_TERM.as_secs() + 1;
    sql(
        &url,
        &format!(
            "UPDATE hosts SET renewed_at = now() - interval '{lapsed} seconds' \
             WHERE host_id = 'a'"
        ),
    );
    let taken = second.take_over().await.unwrap();
    assert_eq!(
        (taken.declared, taken.from),
        (vec!["a".into()], vec!["a".into()])
    );
    let documents: Vec<_> = taken
        .documents
        .iter()
        .map(|(c, k, _)| (*c, k.as_str()))
        .collect();
    assert_eq!(documents, [(Collection::GameServers, "gs-a")]);
    assert_eq!(keys(&second, Collection::GameServers), ["gs-a", "gs-b"]);
    assert_taken_over(&first, &second).await;
    let again = second.take_over().await.unwrap();
    assert!(
        again.from.is_empty() && again.documents.is_empty(),
        "{again:?}"
    );
}

#[test]
fn a_database_gone_is_unavailable_in_bounded_time_and_used_again_when_back() {
    let mut server = PgServer::start();
    let url = server.new_database();
    let store = PgStore::open(&url, &host("a")).unwrap();
    let first = [Write::json(Collection::Fleets, "before", &1)];
    store.apply(&first, Durability::Immediate).unwrap();

    server.stop(true);
    let asked = Instant::now();
    let error = store
        .apply(
            &[Write::json(Collection::Fleets, "during", &2)],
            Durability::Immediate,
        )
        .unwrap_err();
    assert!(error.is_unavailable(), "{error}");
    assert!(
        asked.elapsed() < Duration::from_secs(5),
        "answered after {:?}",
        asked.elapsed()
    );
    assert!(
        store
            .get(Collection::Fleets, "before")
            .unwrap_err()
            .is_unavailable()
    );

    server.restart();
    let after = [Write::json(Collection::Fleets, "after", &3)];
    store.apply(&after, Durability::Immediate).unwrap();
    let keys: Vec<String> = store
        .scan(Collection::Fleets)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    assert_eq!(keys, ["after", "before"]);
}

#[test]
fn a_wrong_password_or_address_is_a_clear_error_naming_no_password() {
    let server = PgServer::shared();
    let url = server.new_database();
    let wrong = url.replace("throwaway-test-password", "not-the-password");
    let error = PgStore::open(&wrong, &host("a")).err().expect("refused");
    let text = error.to_string();
    assert!(text.contains("password"), "{text}");
    assert!(!text.contains("not-the-password"), "{text}");
    let nowhere = format!(
        "postgres://gamehost:x@127.0.0.1:{}/db",
        gamehost_tests::process::free_port()
    );
    let error = PgStore::open(&nowhere, &host("a")).err().expect("refused");
    assert!(error.is_unavailable(), "{error}");
}

#[tokio::test]
async fn a_standby_takes_the_database_over_when_its_holder_leaves() {
    let url = PgServer::shared().new_database();
    let first = PgStore::open(&url, &host("a")).unwrap();
    let standby = {
        let url = url.clone();
        std::thread::spawn(move || PgStore::open_standby(&url, &host("b")))
    };
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(
        !standby.is_finished(),
        "the standby waits while the lease is live"
    );
    first.leave().await.unwrap();
    let second = standby.join().unwrap().unwrap();
    assert_taken_over(&first, &second).await;
}
