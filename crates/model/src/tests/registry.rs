//! The game-server registry (GameLift FleetIQ): registration, claims and
//! their expiry, updates, deregistration, listing, draining and restore.

use super::super::limits::{MAX_GAME_SERVERS_PER_GROUP, MAX_REGISTERED_GAME_SERVERS};
use super::super::*;
use super::fixture::START;
use ErrorCode::*;
use std::sync::Arc;
use std::time::Duration;

const HOST: &str = "host-a";
const ARN_PREFIX: &str = "arn:gamehost:gamelift:host-a:gameservergroup/";

fn registry() -> (Registry, Arc<FakeClock>) {
    let clock = Arc::new(FakeClock::new(START));
    (Registry::new(HOST, clock.clone()), clock)
}

fn request(id: &str) -> RegisterGameServer {
    RegisterGameServer {
        game_server_id: id.into(),
        instance_id: HOST.into(),
        connection_info: Some("127.0.0.1:7777".into()),
        game_server_data: None,
    }
}

/// A registry with `ids` registered in group "arena", one second apart.
fn registered(ids: &[&str]) -> (Registry, Arc<FakeClock>) {
    let (mut r, clock) = registry();
    for id in ids {
        r.register("arena", request(id)).unwrap();
        clock.advance(Duration::from_secs(1));
    }
    (r, clock)
}

fn at(secs: u64) -> Timestamp {
    START + Duration::from_secs(secs)
}

fn claim_id(id: &str) -> ClaimGameServer {
    ClaimGameServer {
        game_server_id: Some(id.into()),
        ..ClaimGameServer::default()
    }
}

fn utilize(r: &mut Registry, id: &str) {
    let update = UpdateGameServer {
        utilization_status: Some(UtilizationStatus::Utilized),
        ..UpdateGameServer::default()
    };
    r.update("arena", id, update).unwrap();
}

fn ids(page: &GameServerPage) -> Vec<&str> {
    page.game_servers
        .iter()
        .map(|g| g.game_server_id.as_str())
        .collect()
}

#[test]
fn registration_is_available_unclaimed_and_shaped_as_in_gamelift() {
    let (mut r, _) = registry();
    let registered = r.register("arena", request("gs-1")).unwrap();
    assert_eq!(
        registered,
        RegisteredGameServer {
            game_server_group_name: "arena".into(),
            game_server_group_arn: format!("{ARN_PREFIX}arena"),
            game_server_id: "gs-1".into(),
            instance_id: HOST.into(),
            connection_info: Some("127.0.0.1:7777".into()),
            game_server_data: None,
            claim_status: None,
            utilization_status: UtilizationStatus::Available,
            registration_time: START,
            last_claim_time: None,
            last_health_check_time: Some(START),
        }
    );
    assert_eq!(r.describe("arena", "gs-1").unwrap(), registered);
    let json = serde_json::to_value(&registered).unwrap();
    assert_eq!(
        json["gameServerGroupArn"],
        "arn:gamehost:gamelift:host-a:gameservergroup/arena"
    );
    assert_eq!(json["utilizationStatus"], "AVAILABLE");
    assert_eq!(json["claimStatus"], serde_json::Value::Null);
    assert_eq!(json["registrationTime"], START.as_millis());

    // The group's ARN names it as well as its name; another host's does not.
    let by_arn = r
        .register(&format!("{ARN_PREFIX}arena"), request("gs-2"))
        .unwrap();
    assert_eq!(by_arn.game_server_group_name, "arena");
    let elsewhere = "arn:gamehost:gamelift:host-b:gameservergroup/arena";
    assert_eq!(r.describe(elsewhere, "gs-2").unwrap_err().code, NotFound);
}

#[test]
fn registration_refuses_bad_fields_and_duplicates_and_changes_nothing() {
    type Case = (
        &'static str,
        &'static str,
        fn(&mut RegisterGameServer),
        ErrorCode,
    );
    let cases: Vec<Case> = vec![
        (
            "id too short",
            "arena",
            |q| q.game_server_id = "ab".into(),
            InvalidArgument,
        ),
        (
            "id too long",
            "arena",
            |q| q.game_server_id = "i".repeat(129),
            InvalidArgument,
        ),
        (
            "id with a space",
            "arena",
            |q| q.game_server_id = "gs 2".into(),
            InvalidArgument,
        ),
        (
            "id with '_'",
            "arena",
            |q| q.game_server_id = "gs_2".into(),
            InvalidArgument,
        ),
        (
            "no instance id",
            "arena",
            |q| q.instance_id = String::new(),
            InvalidArgument,
        ),
        (
            "long instance id",
            "arena",
            |q| q.instance_id = "h".repeat(129),
            InvalidArgument,
        ),
        (
            "empty connection info",
            "arena",
            |q| q.connection_info = Some(String::new()),
            InvalidArgument,
        ),
        (
            "blank connection info",
            "arena",
            |q| q.connection_info = Some("  ".into()),
            InvalidArgument,
        ),
        (
            "long connection info",
            "arena",
            |q| q.connection_info = Some("c".repeat(513)),
            InvalidArgument,
        ),
        (
            "long data",
            "arena",
            |q| q.game_server_data = Some("d".repeat(1025)),
            InvalidArgument,
        ),
        ("empty group", "", |_| {}, InvalidArgument),
        (
            "long group",
            "g".repeat(129).leak(),
            |_| {},
            InvalidArgument,
        ),
        ("group with '/'", "are/na", |_| {}, InvalidArgument),
        (
            "same id, same group",
            "arena",
            |q| q.game_server_id = "gs-1".into(),
            AlreadyExists,
        ),
        (
            "same id, other group",
            "duel",
            |q| q.game_server_id = "gs-1".into(),
            AlreadyExists,
        ),
    ];
    for (name, group, change, code) in cases {
        let (mut r, _) = registered(&["gs-1"]);
        let mut q = request("gs-2");
        change(&mut q);
        assert_eq!(r.register(group, q).unwrap_err().code, code, "{name}");
        let left: Vec<String> = r.entries().map(|e| e.game_server_id).collect();
        assert_eq!(left, ["gs-1"], "{name} changed nothing");
    }

    let (mut r, _) = registry();
    let widest = RegisterGameServer {
        game_server_id: "i".repeat(128),
        instance_id: "i-1234567890abcdef0".into(),
        connection_info: Some("c".repeat(512)),
        game_server_data: Some("d".repeat(1024)),
    };
    r.register(&"g".repeat(128), widest).unwrap();
    r.register("a", request("abc")).unwrap();
}

#[test]
fn registrations_are_bounded_per_group_and_per_host() {
    let (mut r, _) = registry();
    for i in 0..MAX_GAME_SERVERS_PER_GROUP {
        r.register("a", request(&format!("a-{i}"))).unwrap();
    }
    let over = r.register("a", request("a-over")).unwrap_err();
    assert_eq!(over.code, AtCapacity);
    assert!(over.message.contains("\"a\""), "{}", over.message);
    let mut group = 0;
    while r.entries().count() < MAX_REGISTERED_GAME_SERVERS {
        group += 1;
        for i in 0..MAX_GAME_SERVERS_PER_GROUP {
            r.register(&format!("g{group}"), request(&format!("g{group}-{i}")))
                .unwrap();
        }
    }
    let over = r.register("fresh", request("fresh-1")).unwrap_err();
    assert_eq!(over.code, AtCapacity);
    assert!(over.message.contains("this host"), "{}", over.message);
    r.deregister("a", "a-0").unwrap();
    r.register("fresh", request("fresh-1")).unwrap();
}

#[test]
fn claiming_a_named_game_server() {
    // (name, setup, group, id, claimed or the error code)
    type Case = (
        &'static str,
        fn(&mut Registry),
        &'static str,
        &'static str,
        std::result::Result<(), ErrorCode>,
    );
    let cases: [Case; 6] = [
        ("available", |_| {}, "arena", "gs-1", Ok(())),
        (
            "utilized",
            |r| utilize(r, "gs-1"),
            "arena",
            "gs-1",
            Err(FailedPrecondition),
        ),
        (
            "claimed",
            |r| {
                r.claim("arena", claim_id("gs-1")).unwrap();
            },
            "arena",
            "gs-1",
            Err(FailedPrecondition),
        ),
        ("unknown id", |_| {}, "arena", "gs-9", Err(NotFound)),
        ("unknown group", |_| {}, "duel", "gs-1", Err(NotFound)),
        (
            "another group's",
            |r| {
                r.register("duel", request("duel-1")).unwrap();
            },
            "duel",
            "gs-1",
            Err(NotFound),
        ),
    ];
    for (name, setup, group, id, want) in cases {
        let (mut r, clock) = registered(&["gs-1", "gs-2"]);
        setup(&mut r);
        let got = r.claim(group, claim_id(id));
        match (got, want) {
            (Ok(claimed), Ok(())) => {
                assert_eq!(claimed.game_server_id, id, "{name}");
                assert_eq!(claimed.claim_status, Some(ClaimStatus::Claimed), "{name}");
                assert_eq!(claimed.last_claim_time, Some(clock.now()), "{name}");
                assert_eq!(claimed.utilization_status, UtilizationStatus::Available);
            }
            (Err(e), Err(code)) => {
                assert_eq!(e.code, code, "{name}: {e}");
                assert!(
                    e.message.contains(id) || e.message.contains(group),
                    "{name}: {e}"
                );
            }
            (got, want) => panic!("{name}: got {got:?}, want {want:?}"),
        }
    }
}

#[test]
fn claiming_without_an_id_picks_the_oldest_claimable_one() {
    let (mut r, clock) = registered(&["gs-1", "gs-2", "gs-3"]);
    r.register("duel", request("duel-1")).unwrap();
    utilize(&mut r, "gs-1");
    let with_data = ClaimGameServer {
        game_server_data: Some("map=dust".into()),
        ..ClaimGameServer::default()
    };
    let first = r.claim("arena", with_data).unwrap();
    assert_eq!(first.game_server_id, "gs-2");
    assert_eq!(first.game_server_data.as_deref(), Some("map=dust"));
    assert_eq!(
        r.claim("arena", ClaimGameServer::default())
            .unwrap()
            .game_server_id,
        "gs-3"
    );
    let none = r.claim("arena", ClaimGameServer::default()).unwrap_err();
    assert_eq!(none.code, AtCapacity, "GameLift's OutOfCapacityException");
    assert_eq!(
        r.claim("nowhere", ClaimGameServer::default())
            .unwrap_err()
            .code,
        NotFound
    );

    clock.advance(CLAIM_DURATION);
    assert_eq!(
        r.claim("arena", ClaimGameServer::default())
            .unwrap()
            .game_server_id,
        "gs-2",
        "an expired claim frees the game server"
    );
}

#[test]
fn a_claim_lasts_sixty_seconds() {
    assert_eq!(CLAIM_DURATION, Duration::from_secs(60));
    let (mut r, clock) = registered(&["gs-1"]);
    let claimed_at = clock.now();
    r.claim("arena", claim_id("gs-1")).unwrap();

    clock.advance(CLAIM_DURATION - Duration::from_millis(1));
    let still = r.describe("arena", "gs-1").unwrap();
    assert_eq!(still.claim_status, Some(ClaimStatus::Claimed));
    assert_eq!(
        r.claim("arena", claim_id("gs-1")).unwrap_err().code,
        FailedPrecondition
    );

    clock.advance(Duration::from_millis(1));
    let expired = r.describe("arena", "gs-1").unwrap();
    assert_eq!(expired.claim_status, None);
    assert_eq!(expired.last_claim_time, Some(claimed_at));
    let again = r.claim("arena", claim_id("gs-1")).unwrap();
    assert_eq!(again.last_claim_time, Some(clock.now()));
}

#[test]
fn utilized_game_servers_are_not_claimed_and_never_available_again() {
    let (mut r, _) = registered(&["gs-1"]);
    r.claim("arena", claim_id("gs-1")).unwrap();
    utilize(&mut r, "gs-1");
    let described = r.describe("arena", "gs-1").unwrap();
    assert_eq!(described.utilization_status, UtilizationStatus::Utilized);
    assert_eq!(
        described.claim_status,
        Some(ClaimStatus::Claimed),
        "the claim runs its minute"
    );

    let back = UpdateGameServer {
        utilization_status: Some(UtilizationStatus::Available),
        ..UpdateGameServer::default()
    };
    let refused = r.update("arena", "gs-1", back).unwrap_err();
    assert_eq!(refused.code, FailedPrecondition);
    assert!(refused.message.contains("UTILIZED"), "{refused}");
    utilize(&mut r, "gs-1");
    assert_eq!(
        r.claim("arena", ClaimGameServer::default())
            .unwrap_err()
            .code,
        AtCapacity
    );
}

#[test]
fn updates_report_health_and_data_all_or_nothing() {
    let (mut r, clock) = registered(&["gs-1"]);
    clock.advance(Duration::from_secs(5));
    let healthy = UpdateGameServer {
        health_check: Some(HealthCheck::Healthy),
        ..UpdateGameServer::default()
    };
    let reported = r.update("arena", "gs-1", healthy).unwrap();
    assert_eq!(reported.last_health_check_time, Some(at(6)));

    clock.advance(Duration::from_secs(5));
    let data = UpdateGameServer {
        game_server_data: Some("round=2".into()),
        ..UpdateGameServer::default()
    };
    let updated = r.update("arena", "gs-1", data).unwrap();
    assert_eq!(updated.game_server_data.as_deref(), Some("round=2"));
    assert_eq!(
        updated.last_health_check_time,
        Some(at(6)),
        "only a health check moves it"
    );

    let bad = UpdateGameServer {
        utilization_status: Some(UtilizationStatus::Utilized),
        health_check: Some(HealthCheck::Healthy),
        game_server_data: Some("d".repeat(1025)),
    };
    assert_eq!(
        r.update("arena", "gs-1", bad).unwrap_err().code,
        InvalidArgument
    );
    assert_eq!(r.describe("arena", "gs-1").unwrap(), updated);
    assert_eq!(
        r.update("arena", "gs-9", UpdateGameServer::default())
            .unwrap_err()
            .code,
        NotFound
    );
}

#[test]
fn deregistration_removes_the_game_server_and_an_emptied_group() {
    let (mut r, _) = registered(&["gs-1", "gs-2"]);
    r.claim("arena", claim_id("gs-1")).unwrap();
    r.deregister("arena", "gs-1").unwrap();
    assert_eq!(r.describe("arena", "gs-1").unwrap_err().code, NotFound);
    assert_eq!(r.deregister("arena", "gs-1").unwrap_err().code, NotFound);
    assert_eq!(
        ids(&r.list("arena", &ListGameServers::default()).unwrap()),
        ["gs-2"]
    );

    r.deregister("arena", "gs-2").unwrap();
    assert_eq!(
        r.list("arena", &ListGameServers::default())
            .unwrap_err()
            .code,
        NotFound
    );
    r.register("duel", request("gs-1")).unwrap();
    assert_eq!(r.describe("duel", "gs-1").unwrap().claim_status, None);
}

#[test]
fn describing_what_is_not_registered_names_it() {
    let (mut r, _) = registered(&["gs-1"]);
    r.register("duel", request("duel-1")).unwrap();
    let cases = [
        ("unknown group", "ffa", "gs-1", NotFound, "\"ffa\""),
        ("unknown id", "arena", "gs-9", NotFound, "\"gs-9\""),
        (
            "another group's id",
            "arena",
            "duel-1",
            NotFound,
            "\"duel-1\"",
        ),
        (
            "malformed id",
            "arena",
            "g s",
            InvalidArgument,
            "gameServerId",
        ),
        (
            "malformed group",
            "a/b",
            "gs-1",
            InvalidArgument,
            "gameServerGroupName",
        ),
    ];
    for (name, group, id, code, named) in cases {
        let e = r.describe(group, id).unwrap_err();
        assert_eq!(e.code, code, "{name}");
        assert!(e.message.contains(named), "{name}: {e}");
    }
}

#[test]
fn listing_pages_by_registration_time_in_either_order() {
    let (mut r, clock) = registered(&["gs-1", "gs-2", "gs-3", "gs-4"]);
    // Same registration time: the id breaks the tie.
    r.register("arena", request("gs-6")).unwrap();
    r.register("arena", request("gs-5")).unwrap();
    let page = |r: &Registry, order, token| {
        let request = ListGameServers {
            limit: Some(2),
            next_token: token,
            sort_order: order,
        };
        r.list("arena", &request).unwrap()
    };
    let cases = [
        (
            SortOrder::Ascending,
            [["gs-1", "gs-2"], ["gs-3", "gs-4"], ["gs-5", "gs-6"]],
        ),
        (
            SortOrder::Descending,
            [["gs-6", "gs-5"], ["gs-4", "gs-3"], ["gs-2", "gs-1"]],
        ),
    ];
    for (order, pages) in cases {
        let mut token = None;
        for (i, want) in pages.iter().enumerate() {
            let got = page(&r, order, token.take());
            assert_eq!(ids(&got), want, "{order:?} page {i}");
            token = got.next_token;
            assert_eq!(token.is_some(), i < 2, "{order:?} page {i}");
        }
    }

    // Registrations and deregistrations between pages shift nothing.
    let first = page(&r, SortOrder::Ascending, None);
    r.deregister("arena", "gs-1").unwrap();
    r.deregister("arena", "gs-3").unwrap();
    clock.advance(Duration::from_secs(1));
    r.register("arena", request("gs-0")).unwrap();
    let second = page(&r, SortOrder::Ascending, first.next_token);
    assert_eq!(ids(&second), ["gs-4", "gs-5"]);
    let third = page(&r, SortOrder::Ascending, second.next_token);
    assert_eq!(ids(&third), ["gs-6", "gs-0"]);
    assert_eq!(third.next_token, None);

    let all = r.list("arena", &ListGameServers::default()).unwrap();
    assert_eq!(ids(&all), ["gs-2", "gs-4", "gs-5", "gs-6", "gs-0"]);
    assert_eq!(all.next_token, None);
}

#[test]
fn listing_refuses_bad_requests() {
    let (r, _) = registered(&["gs-1"]);
    let cases = [
        ("limit 0", "arena", Some(0), None, OutOfRange),
        ("limit 101", "arena", Some(101), None, OutOfRange),
        (
            "foreign token",
            "arena",
            None,
            Some("page-2"),
            InvalidArgument,
        ),
        (
            "token without a time",
            "arena",
            None,
            Some("x:gs-1"),
            InvalidArgument,
        ),
        ("unknown group", "duel", None, None, NotFound),
    ];
    for (name, group, limit, token, code) in cases {
        let request = ListGameServers {
            limit,
            next_token: token.map(str::to_owned),
            sort_order: SortOrder::Ascending,
        };
        assert_eq!(r.list(group, &request).unwrap_err().code, code, "{name}");
    }
    let widest = ListGameServers {
        limit: Some(100),
        ..ListGameServers::default()
    };
    assert_eq!(r.list("arena", &widest).unwrap().game_servers.len(), 1);
}

#[test]
fn a_draining_host_takes_no_registrations_and_claims_only_when_asked() {
    let (mut r, _) = registered(&["gs-1", "gs-2"]);
    r.set_instance_status(InstanceStatus::Draining);
    assert_eq!(
        r.register("arena", request("gs-3")).unwrap_err().code,
        FailedPrecondition
    );
    let draining_too = ClaimFilter {
        instance_statuses: vec![InstanceStatus::Active, InstanceStatus::Draining],
    };
    let active_only = ClaimFilter {
        instance_statuses: vec![InstanceStatus::Active],
    };
    let cases = [
        ("pick, no filter", None, None, Err(AtCapacity)),
        (
            "pick, ACTIVE only",
            None,
            Some(active_only.clone()),
            Err(AtCapacity),
        ),
        (
            "named, no filter",
            Some("gs-1"),
            None,
            Err(FailedPrecondition),
        ),
        (
            "named, DRAINING accepted",
            Some("gs-1"),
            Some(draining_too.clone()),
            Ok("gs-1"),
        ),
        (
            "pick, DRAINING accepted",
            None,
            Some(draining_too),
            Ok("gs-2"),
        ),
    ];
    for (name, id, filter, want) in cases {
        let request = ClaimGameServer {
            game_server_id: id.map(str::to_owned),
            game_server_data: None,
            filter_option: filter,
        };
        let got = r.claim("arena", request);
        assert_eq!(
            got.as_ref()
                .map(|g| g.game_server_id.as_str())
                .map_err(|e| e.code),
            want,
            "{name}"
        );
    }
    r.set_instance_status(InstanceStatus::Active);
    r.register("arena", request("gs-3")).unwrap();
}

#[test]
fn claim_filters_must_list_active_once() {
    let (mut r, _) = registered(&["gs-1"]);
    use InstanceStatus::*;
    for statuses in [
        vec![],
        vec![Draining],
        vec![Active, Active],
        vec![Active, Draining, Draining],
    ] {
        let request = ClaimGameServer {
            filter_option: Some(ClaimFilter {
                instance_statuses: statuses.clone(),
            }),
            ..ClaimGameServer::default()
        };
        let e = r.claim("arena", request).unwrap_err();
        assert_eq!(e.code, InvalidArgument, "{statuses:?}");
        assert!(e.message.contains("filterOption"), "{e}");
    }
    assert_eq!(r.describe("arena", "gs-1").unwrap().claim_status, None);
}

#[test]
fn requests_are_read_in_camel_case_and_refuse_unknown_fields() {
    let claim: ClaimGameServer = serde_json::from_str(
        r#"{"gameServerId":"gs-1","filterOption":{"instanceStatuses":["ACTIVE","DRAINING"]}}"#,
    )
    .unwrap();
    assert!(claim.accepts_draining());
    let update: UpdateGameServer =
        serde_json::from_str(r#"{"utilizationStatus":"UTILIZED","healthCheck":"HEALTHY"}"#)
            .unwrap();
    assert_eq!(update.utilization_status, Some(UtilizationStatus::Utilized));
    let list: ListGameServers =
        serde_json::from_str(r#"{"limit":5,"sortOrder":"DESCENDING"}"#).unwrap();
    assert_eq!(
        (list.limit, list.sort_order),
        (Some(5), SortOrder::Descending)
    );
    let register: RegisterGameServer =
        serde_json::from_str(r#"{"gameServerId":"gs-1","instanceId":"host-a"}"#).unwrap();
    assert_eq!(register.connection_info, None);

    assert!(
        serde_json::from_str::<RegisterGameServer>(r#"{"gameServerId":"gs-1","port":1}"#).is_err()
    );
    assert!(
        serde_json::from_str::<ClaimGameServer>(r#"{"filterOption":{"statuses":[]}}"#).is_err()
    );
    assert!(serde_json::from_str::<UpdateGameServer>(r#"{"healthCheck":"SICK"}"#).is_err());
    assert!(serde_json::from_str::<ListGameServers>(r#"{"sortOrder":"RANDOM"}"#).is_err());
}

#[test]
fn restore_rebuilds_the_registry_from_its_stored_entries() {
    let (mut r, clock) = registered(&["gs-1", "gs-2", "gs-3"]);
    r.register("duel", request("duel-1")).unwrap();
    r.claim("arena", claim_id("gs-2")).unwrap();
    utilize(&mut r, "gs-3");
    let healthy = UpdateGameServer {
        health_check: Some(HealthCheck::Healthy),
        game_server_data: Some("map=dust".into()),
        ..UpdateGameServer::default()
    };
    r.update("duel", "duel-1", healthy).unwrap();

    let stored = serde_json::to_string(&r.entries().collect::<Vec<_>>()).unwrap();
    let read: Vec<RegisteredGameServer> = serde_json::from_str(&stored).unwrap();
    let restored = Registry::restore(HOST, clock.clone(), read.clone()).unwrap();
    assert_eq!(
        restored.entries().collect::<Vec<_>>(),
        r.entries().collect::<Vec<_>>()
    );
    assert_eq!(read.len(), 4);

    // The claim keeps running from its stored time; the restored registry
    // goes on as the old one would.
    let mut restored = restored;
    assert_eq!(
        restored
            .claim("arena", ClaimGameServer::default())
            .unwrap()
            .game_server_id,
        "gs-1"
    );
    clock.advance(CLAIM_DURATION);
    assert_eq!(
        restored.describe("arena", "gs-2").unwrap().claim_status,
        None
    );

    // Derived fields are recomputed, not trusted.
    let mut stale = read[0].clone();
    stale.game_server_group_arn = "arn:elsewhere".into();
    stale.claim_status = Some(ClaimStatus::Claimed);
    let moved = Registry::restore("host-b", clock.clone(), [stale]).unwrap();
    let entry = moved.entries().next().unwrap();
    assert_eq!(
        entry.game_server_group_arn,
        "arn:gamehost:gamelift:host-b:gameservergroup/arena"
    );
    assert_eq!(entry.claim_status, None);

    let twice = Registry::restore(HOST, clock.clone(), [read[0].clone(), read[0].clone()]);
    assert_eq!(twice.unwrap_err().code, AlreadyExists);
    let mut corrupt = read[0].clone();
    corrupt.game_server_group_name = String::new();
    let e = Registry::restore(HOST, clock, [corrupt]).unwrap_err();
    assert_eq!(e.code, InvalidArgument);
    assert!(e.message.contains("stored game server \"gs-1\""), "{e}");
}

#[test]
fn any_game_servers_are_paged_as_a_registered_group_is() {
    let (r, _) = registered(&["gs-a", "gs-b", "gs-c"]);
    let all = r
        .list("arena", &ListGameServers::default())
        .unwrap()
        .game_servers;
    let mut shuffled = all.clone();
    shuffled.reverse();
    // (sort order, page size) → the pages, each a list of ids
    let cases: [(SortOrder, u32, &[&[&str]]); 4] = [
        (SortOrder::Ascending, 100, &[&["gs-a", "gs-b", "gs-c"]]),
        (SortOrder::Ascending, 2, &[&["gs-a", "gs-b"], &["gs-c"]]),
        (SortOrder::Descending, 1, &[&["gs-c"], &["gs-b"], &["gs-a"]]),
        (SortOrder::Descending, 2, &[&["gs-c", "gs-b"], &["gs-a"]]),
    ];
    for (sort_order, limit, pages) in cases {
        let mut request = ListGameServers {
            limit: Some(limit),
            next_token: None,
            sort_order,
        };
        for (n, expected) in pages.iter().enumerate() {
            let page = page_game_servers(shuffled.clone(), &request).unwrap();
            let registry_page = r.list("arena", &request).unwrap();
            assert_eq!(
                page, registry_page,
                "{sort_order:?} {limit}: as the registry pages"
            );
            assert_eq!(ids(&page), *expected, "{sort_order:?} {limit}: page {n}");
            request.next_token = page.next_token;
        }
        assert_eq!(
            request.next_token, None,
            "{sort_order:?} {limit}: no page after the last"
        );
    }
}
