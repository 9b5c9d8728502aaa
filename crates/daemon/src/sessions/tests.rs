use super::*;
use serde_json::json;

fn game_session(id: &str, created: i64, status: &str) -> GameSession {
    serde_json::from_value(json!({
        "gameSessionId": id,
        "name": id,
        "fleetId": "arena",
        "gameServerName": format!("arena-{id}"),
        "maximumPlayerSessionCount": 8,
        "status": status,
        "statusReason": null,
        "gameProperties": [],
        "gameSessionData": "",
        "matchmakerData": "",
        "playerSessionCreationPolicy": "ACCEPT_ALL",
        "ipAddress": "127.0.0.1",
        "dnsName": "localhost",
        "port": 7070,
        "creationTime": created,
        "terminationTime": null,
        "backfill": null,
    }))
    .unwrap()
}

fn seat(id: &str, player: &str, game_session: &str, status: &str) -> PlayerSession {
    serde_json::from_value(json!({
        "playerSessionId": id,
        "playerId": player,
        "gameSessionId": game_session,
        "fleetId": "arena",
        "ipAddress": "127.0.0.1",
        "dnsName": "localhost",
        "port": 7070,
        "playerData": "",
        "status": status,
        "creationTime": 0,
        "terminationTime": null,
    }))
    .unwrap()
}

fn ids(page: &DescribePage) -> Vec<&str> {
    page.player_sessions
        .iter()
        .map(|s| s.player_session_id.as_str())
        .collect()
}

fn by_seat(id: &str) -> DescribeRequest {
    DescribeRequest {
        player_session_id: Some(id.to_owned()),
        ..DescribeRequest::default()
    }
}

fn by_player(id: &str) -> DescribeRequest {
    DescribeRequest {
        player_id: Some(id.to_owned()),
        ..DescribeRequest::default()
    }
}

#[test]
fn an_older_record_observed_later_changes_nothing() {
    let session = game_session("g1", 1, "ACTIVE");
    let both = [
        seat("p1", "alice", "g1", "RESERVED"),
        seat("p2", "bob", "g1", "RESERVED"),
    ];
    let first = [seat("p1", "alice", "g1", "RESERVED")];
    let mut sessions = Sessions::default();
    // A request observes the newer record (both seats reserved) first, the
    // tracker the older one (one seat) after it.
    assert!(sessions.observe(&session, 6, &both).changed);
    let stale = sessions.observe(&session, 5, &first);
    assert_eq!(stale, Observed::default());
    assert!(sessions.seat("p2").is_some());
    // The same record again is no change; a newer one is.
    assert_eq!(sessions.observe(&session, 6, &both), Observed::default());
    let ended = game_session("g1", 1, "TERMINATED");
    let observed = sessions.observe(&ended, 7, &both);
    assert_eq!(
        observed,
        Observed {
            changed: true,
            ended: true
        }
    );
    // An older record does not bring an ended game session back.
    assert_eq!(sessions.observe(&session, 6, &both), Observed::default());
    assert_eq!(
        sessions.get("g1").unwrap().game_session.status,
        GameSessionStatus::Terminated
    );
}

#[test]
fn seats_stay_when_the_game_server_no_longer_lists_them() {
    let mut sessions = Sessions::default();
    let session = game_session("g1", 1, "ACTIVE");
    sessions.observe(&session, 1, &[seat("p1", "alice", "g1", "ACTIVE")]);
    // The game server moved on to another game session.
    let ended = game_session("g1", 1, "TERMINATED");
    sessions.observe(&ended, 2, &[seat("q1", "carol", "g2", "RESERVED")]);
    assert_eq!(sessions.get("g1").unwrap().player_sessions.len(), 1);
    assert!(sessions.seat("p1").is_some());
    assert!(
        sessions.seat("q1").is_none(),
        "a seat of another game session"
    );
    assert_eq!(
        sessions.observe(&ended, 3, &[]),
        Observed::default(),
        "no seats listed, nothing else new: nothing to store"
    );
}

#[test]
fn describe_finds_seats_through_each_index() {
    let mut sessions = Sessions::default();
    sessions.observe(
        &game_session("g1", 1, "ACTIVE"),
        1,
        &[
            seat("p1", "alice", "g1", "ACTIVE"),
            seat("p2", "bob", "g1", "RESERVED"),
        ],
    );
    sessions.observe(
        &game_session("g2", 2, "ACTIVE"),
        1,
        &[
            seat("p3", "alice", "g2", "RESERVED"),
            seat("p4", "carol", "g2", "ACTIVE"),
        ],
    );
    let status = |id: &str, status| DescribeRequest {
        player_session_status_filter: Some(status),
        ..by_player(id)
    };
    let game = |id: &str| DescribeRequest {
        game_session_id: Some(id.to_owned()),
        ..DescribeRequest::default()
    };
    let table: Vec<(&str, DescribeRequest, Vec<&str>)> = vec![
        ("one seat", by_seat("p3"), vec!["p3"]),
        ("an unknown seat", by_seat("p9"), vec![]),
        (
            "a player, oldest first",
            by_player("alice"),
            vec!["p1", "p3"],
        ),
        ("an unknown player", by_player("dave"), vec![]),
        ("a game session", game("g2"), vec!["p3", "p4"]),
        (
            "a player's reserved seats",
            status("alice", PlayerSessionStatus::Reserved),
            vec!["p3"],
        ),
    ];
    for (case, request, expected) in table {
        let page = sessions.describe(&request).unwrap();
        assert_eq!(ids(&page), expected, "{case}");
        assert_eq!(page.next_token, None, "{case}");
    }
    let missing = sessions.describe(&game("g9")).unwrap_err();
    assert_eq!(
        missing.to_string(),
        Error::not_found("game session \"g9\" does not exist").to_string()
    );
}

#[test]
fn pages_continue_from_their_token() {
    let mut sessions = Sessions::default();
    for n in 0..3 {
        let id = format!("g{n}");
        sessions.observe(
            &game_session(&id, n, "ACTIVE"),
            1,
            &[seat(&format!("p{n}"), "alice", &id, "ACTIVE")],
        );
    }
    let first = sessions
        .describe(&DescribeRequest {
            limit: Some(2),
            ..by_player("alice")
        })
        .unwrap();
    assert_eq!(ids(&first), ["p0", "p1"]);
    let rest = sessions
        .describe(&DescribeRequest {
            limit: Some(2),
            next_token: first.next_token.clone(),
            ..by_player("alice")
        })
        .unwrap();
    assert_eq!(ids(&rest), ["p2"]);
    assert_eq!(rest.next_token, None);
}

#[test]
fn evicted_game_sessions_leave_no_index_entries() {
    let mut sessions = Sessions::default();
    for n in 0..4 {
        let id = format!("g{n}");
        sessions.observe(
            &game_session(&id, n, "TERMINATED"),
            1,
            &[seat(&format!("p{n}"), "alice", &id, "COMPLETED")],
        );
    }
    assert_eq!(sessions.evict(1), ["g0", "g1", "g2"]);
    assert!(sessions.seat("p0").is_none());
    assert!(sessions.seat("p3").is_some());
    assert_eq!(
        ids(&sessions.describe(&by_player("alice")).unwrap()),
        ["p3"]
    );
    assert_eq!(sessions.seats.len(), 1);
    assert_eq!(sessions.by_player.len(), 1);
    assert_eq!(sessions.generations.len(), 1);
    sessions.evict(0);
    assert!(sessions.by_player.is_empty());
    assert!(sessions.seats.is_empty());
}
