//! The checks, one function per callback the host drives.

use crate::check::{check, equals, fails, ok, phase};
use gamehost_guest::counters::{self, CounterUpdate};
use gamehost_guest::lists::{self, ListUpdate};
use gamehost_guest::process::{self, FleetRoleCredentialsRequest, ProcessParameters};
use gamehost_guest::sessions::{
    self, DescribePlayerSessionsRequest, MatchmakingPlayer, StartMatchBackfillRequest,
    StopMatchBackfillRequest,
};
use gamehost_guest::types::{
    Counter, ErrorCode::*, GameServer, GameServerState, GameSession, GameSessionStatus,
    PlayerSessionCreationPolicy, PlayerSessionStatus, StringList, UpdateGameSession, UpdateReason,
};
use gamehost_guest::{configuration, gateway, kv, lifecycle, logging, metadata, players};
use std::cell::Cell;

const KEY: &str = "conformance";
const TICKET: &str = "conformance-ticket";

thread_local! {
    static WATCHED: Cell<bool> = const { Cell::new(false) };
}

fn label<'a>(gs: &'a GameServer, key: &str) -> Option<&'a str> {
    gs.object_meta
        .labels
        .iter()
        .find(|l| l.key == key)
        .map(|l| l.value.as_str())
}

fn annotation<'a>(gs: &'a GameServer, key: &str) -> Option<&'a str> {
    gs.object_meta
        .annotations
        .iter()
        .find(|l| l.key == key)
        .map(|l| l.value.as_str())
}

fn state() -> GameServerState {
    configuration::get_game_server().status.state
}

/// `on-process-start`.
pub fn start() {
    let gs = configuration::get_game_server();
    if label(&gs, "conformance-ending") == Some("shutdown") {
        return shutdown_flow();
    }
    check(
        "get-sdk-version is 0.1.0",
        process::get_sdk_version() == "0.1.0",
        process::get_sdk_version(),
    );
    fails(
        "a GameLift call before init-sdk",
        sessions::get_game_session_id(),
        NotInitialized,
    );
    if let Some(params) = ok("init-sdk", process::init_sdk()) {
        check(
            "init-sdk names this game server",
            params.process_id == gs.object_meta.name,
            &params,
        );
    }
    check(
        "a new game server is Scheduled",
        gs.status.state == GameServerState::Scheduled,
        gs.status.state,
    );
    check(
        "game server has a uid",
        !gs.object_meta.uid.is_empty(),
        &gs.object_meta.uid,
    );
    configuration::watch_game_server();
    metadata_checks(&gs);
    counter_checks();
    list_checks();
    player_checks();
    gateway_checks();
    lifecycle_checks();
    process_checks();
    idle_session_checks();
    logging::log(
        logging::Level::Debug,
        "conformance structured log",
        &[kv("a", 1), kv("b", "two")],
    );
    phase("start");
}

fn shutdown_flow() {
    ok("ready", lifecycle::ready());
    ok("shutdown", lifecycle::shutdown());
    check(
        "shutdown makes it Shutdown",
        state() == GameServerState::Shutdown,
        state(),
    );
    fails(
        "ready after shutdown",
        lifecycle::ready(),
        FailedPrecondition,
    );
    fails("shutdown twice", lifecycle::shutdown(), FailedPrecondition);
    phase("shutdown");
}

fn metadata_checks(gs: &GameServer) {
    let stamp = gs.object_meta.creation_timestamp.to_string();
    ok(
        "set-label",
        metadata::set_label("creation-timestamp", &stamp),
    );
    fails(
        "set-label with an invalid key",
        metadata::set_label("not a key", "v"),
        InvalidArgument,
    );
    fails(
        "set-label with an invalid value",
        metadata::set_label("k", "not a value"),
        InvalidArgument,
    );
    fails(
        "set-label with a key too long for the prefix",
        metadata::set_label(&"k".repeat(60), "v"),
        InvalidArgument,
    );
    ok(
        "set-annotation",
        metadata::set_annotation("note", "any text, with spaces"),
    );
    fails(
        "set-annotation with an empty key",
        metadata::set_annotation("", "v"),
        InvalidArgument,
    );
    let after = configuration::get_game_server();
    let stored = label(&after, "agones.dev/sdk-creation-timestamp");
    check(
        "labels are stored under agones.dev/sdk-",
        stored == Some(stamp.as_str()),
        stored,
    );
    let note = annotation(&after, "agones.dev/sdk-note");
    check(
        "annotations are stored under agones.dev/sdk-",
        note == Some("any text, with spaces"),
        note,
    );
}

fn counter_checks() {
    equals("get-counter-count", counters::get_counter_count(KEY), 0);
    fails(
        "an undeclared counter",
        counters::get_counter_count("undeclared"),
        NotFound,
    );
    fails(
        "increment an undeclared counter",
        counters::increment_counter("undeclared", 1),
        NotFound,
    );
    ok("set-counter-count", counters::set_counter_count(KEY, 5));
    equals("the count was set", counters::get_counter_count(KEY), 5);
    fails(
        "set-counter-count above capacity",
        counters::set_counter_count(KEY, 11),
        OutOfRange,
    );
    fails(
        "set-counter-count below zero",
        counters::set_counter_count(KEY, -1),
        OutOfRange,
    );
    ok("increment-counter", counters::increment_counter(KEY, 2));
    fails(
        "increment-counter past capacity",
        counters::increment_counter(KEY, 4),
        OutOfRange,
    );
    ok(
        "increment-counter to capacity",
        counters::increment_counter(KEY, 3),
    );
    fails(
        "increment-counter at capacity",
        counters::increment_counter(KEY, 1),
        OutOfRange,
    );
    fails(
        "increment-counter by a negative amount",
        counters::increment_counter(KEY, -1),
        InvalidArgument,
    );
    ok("decrement-counter", counters::decrement_counter(KEY, 10));
    fails(
        "decrement-counter at zero",
        counters::decrement_counter(KEY, 1),
        OutOfRange,
    );
    equals(
        "get-counter-capacity",
        counters::get_counter_capacity(KEY),
        10,
    );
    ok(
        "set-counter-capacity",
        counters::set_counter_capacity(KEY, 20),
    );
    equals(
        "the capacity was set",
        counters::get_counter_capacity(KEY),
        20,
    );
    fails(
        "set-counter-capacity below zero",
        counters::set_counter_capacity(KEY, -1),
        OutOfRange,
    );
    let expected = Counter {
        name: KEY.into(),
        count: 0,
        capacity: 20,
    };
    equals("get-counter", counters::get_counter(KEY), expected);
    let update = CounterUpdate {
        capacity: Some(10),
        count: Some(4),
        count_diff: 1,
    };
    equals(
        "update-counter",
        counters::update_counter(KEY, update),
        Counter {
            name: KEY.into(),
            count: 5,
            capacity: 10,
        },
    );
    let too_far = CounterUpdate {
        capacity: None,
        count: None,
        count_diff: 6,
    };
    fails(
        "update-counter out of range",
        counters::update_counter(KEY, too_far),
        OutOfRange,
    );
    equals(
        "a failed update changes nothing",
        counters::get_counter_count(KEY),
        5,
    );
}

fn list_checks() {
    equals("get-list-length", lists::get_list_length(KEY), 0);
    ok("append-list-value", lists::append_list_value(KEY, "a"));
    ok(
        "append-list-value again",
        lists::append_list_value(KEY, "b"),
    );
    fails(
        "append-list-value duplicate",
        lists::append_list_value(KEY, "a"),
        AlreadyExists,
    );
    ok(
        "append-list-value to capacity",
        lists::append_list_value(KEY, "c"),
    );
    fails(
        "append-list-value at capacity",
        lists::append_list_value(KEY, "d"),
        AtCapacity,
    );
    fails(
        "append-list-value oversized",
        lists::append_list_value(KEY, &"v".repeat(1025)),
        InvalidArgument,
    );
    equals("list-contains", lists::list_contains(KEY, "b"), true);
    equals(
        "list-contains a missing value",
        lists::list_contains(KEY, "z"),
        false,
    );
    equals(
        "get-list-values",
        lists::get_list_values(KEY),
        vec!["a".to_owned(), "b".to_owned(), "c".to_owned()],
    );
    ok("delete-list-value", lists::delete_list_value(KEY, "b"));
    fails(
        "delete-list-value missing",
        lists::delete_list_value(KEY, "b"),
        NotFound,
    );
    equals("get-list-capacity", lists::get_list_capacity(KEY), 3);
    ok(
        "set-list-capacity truncates",
        lists::set_list_capacity(KEY, 1),
    );
    fails(
        "set-list-capacity above 1000",
        lists::set_list_capacity(KEY, 1001),
        OutOfRange,
    );
    fails(
        "set-list-capacity below zero",
        lists::set_list_capacity(KEY, -1),
        OutOfRange,
    );
    let expected = StringList {
        name: KEY.into(),
        capacity: 1,
        values: vec!["a".into()],
    };
    equals("get-list", lists::get_list(KEY), expected);
    let update = ListUpdate {
        capacity: Some(5),
        values: Some(vec!["x".into(), "y".into()]),
    };
    let updated = StringList {
        name: KEY.into(),
        capacity: 5,
        values: vec!["x".into(), "y".into()],
    };
    equals("update-list", lists::update_list(KEY, &update), updated);
    let duplicates = ListUpdate {
        capacity: None,
        values: Some(vec!["x".into(), "x".into()]),
    };
    fails(
        "update-list with duplicates",
        lists::update_list(KEY, &duplicates),
        InvalidArgument,
    );
    fails(
        "an undeclared list",
        lists::get_list("undeclared"),
        NotFound,
    );
    fails(
        "append to an undeclared list",
        lists::append_list_value("undeclared", "v"),
        NotFound,
    );
}

/// The gateway before any player has connected over it.
fn gateway_checks() {
    let connected = gateway::connected();
    check(
        "gateway connected, before any player",
        connected.is_empty(),
        &connected,
    );
    equals(
        "gateway broadcast to no player",
        gateway::broadcast(b"hello"),
        0,
    );
    equals(
        "gateway send-many to players not connected",
        gateway::send_many(&["psess-none".to_owned()], b"hello"),
        0,
    );
    fails(
        "gateway send to a player not connected",
        gateway::send("psess-none", b"hello"),
        NotFound,
    );
    fails(
        "gateway disconnect of a player not connected",
        gateway::disconnect("psess-none", "bye"),
        NotFound,
    );
}

fn player_checks() {
    check(
        "get-player-capacity",
        players::get_player_capacity() == 2,
        players::get_player_capacity(),
    );
    equals("player-connect", players::player_connect("p1"), true);
    equals("player-connect twice", players::player_connect("p1"), false);
    equals(
        "player-connect another",
        players::player_connect("p2"),
        true,
    );
    fails(
        "player-connect at capacity",
        players::player_connect("p3"),
        AtCapacity,
    );
    fails(
        "player-connect with an empty id",
        players::player_connect(""),
        InvalidArgument,
    );
    check(
        "get-player-count",
        players::get_player_count() == 2,
        players::get_player_count(),
    );
    check(
        "is-player-connected",
        players::is_player_connected("p1"),
        "p1",
    );
    check(
        "is-player-connected for a stranger",
        !players::is_player_connected("p3"),
        "p3",
    );
    let connected = players::get_connected_players();
    check(
        "get-connected-players",
        connected == ["p1", "p2"],
        &connected,
    );
    equals("player-disconnect", players::player_disconnect("p1"), true);
    equals(
        "player-disconnect twice",
        players::player_disconnect("p1"),
        false,
    );
    ok("set-player-capacity", players::set_player_capacity(5));
    check(
        "the player capacity was set",
        players::get_player_capacity() == 5,
        players::get_player_capacity(),
    );
    fails(
        "set-player-capacity below zero",
        players::set_player_capacity(-1),
        OutOfRange,
    );
}

fn lifecycle_checks() {
    ok("health", lifecycle::health());
    ok("reserve until changed", lifecycle::reserve(0));
    let gs = configuration::get_game_server();
    check(
        "reserve makes it Reserved",
        gs.status.state == GameServerState::Reserved,
        gs.status.state,
    );
    check(
        "reserve(0) has no end",
        gs.status.reserved_until.is_none(),
        gs.status.reserved_until,
    );
    ok("reserve for an hour", lifecycle::reserve(3600));
    let until = configuration::get_game_server().status.reserved_until;
    check("reserve(3600) ends in an hour", until.is_some(), until);
    ok("allocate", lifecycle::allocate());
    let gs = configuration::get_game_server();
    check(
        "allocate makes it Allocated",
        gs.status.state == GameServerState::Allocated,
        gs.status.state,
    );
    let stamp = annotation(&gs, "agones.dev/last-allocated");
    check(
        "allocate stamps agones.dev/last-allocated",
        stamp.is_some_and(|s| s.ends_with('Z')),
        stamp,
    );
    ok("ready from Allocated", lifecycle::ready());
    check(
        "ready reads RequestReady within the call",
        state() == GameServerState::RequestReady,
        state(),
    );
}

fn process_checks() {
    fails(
        "get-termination-time before a termination",
        process::get_termination_time(),
        FailedPrecondition,
    );
    ok(
        "process-ready",
        process::process_ready(ProcessParameters { port: 0 }),
    );
    fails(
        "process-ready twice",
        process::process_ready(ProcessParameters { port: 0 }),
        FailedPrecondition,
    );
    if let Some(cert) = ok(
        "get-compute-certificate",
        process::get_compute_certificate(),
    ) {
        check(
            "the certificate names the host",
            !cert.host_name.is_empty(),
            &cert,
        );
        check(
            "the certificate path is empty in a sandbox",
            cert.certificate_path.is_empty(),
            &cert,
        );
    }
    let unknown = FleetRoleCredentialsRequest {
        role_arn: "arn:unknown".into(),
        role_session_name: None,
    };
    fails(
        "get-fleet-role-credentials for an unknown role",
        process::get_fleet_role_credentials(&unknown),
        NotFound,
    );
    let known = FleetRoleCredentialsRequest {
        role_arn: "arn:conformance".into(),
        role_session_name: Some("s".into()),
    };
    if let Some(creds) = ok(
        "get-fleet-role-credentials",
        process::get_fleet_role_credentials(&known),
    ) {
        check(
            "the credentials are the fleet's",
            creds.access_key_id == "AKIACONFORMANCE",
            &creds.access_key_id,
        );
    }
    equals(
        "get-game-session-id when idle",
        sessions::get_game_session_id(),
        String::new(),
    );
    ok("destroy", process::destroy());
    fails(
        "a GameLift call after destroy",
        sessions::get_game_session_id(),
        NotInitialized,
    );
    fails("destroy twice", process::destroy(), NotInitialized);
    ok("init-sdk again", process::init_sdk());
}

fn by_game_session(
    id: &str,
    limit: Option<u32>,
    token: Option<String>,
) -> DescribePlayerSessionsRequest {
    DescribePlayerSessionsRequest {
        game_session_id: Some(id.into()),
        player_session_id: None,
        player_id: None,
        player_session_status_filter: None,
        limit,
        next_token: token,
    }
}

fn idle_session_checks() {
    fails(
        "activate-game-session without one",
        sessions::activate_game_session(),
        FailedPrecondition,
    );
    fails(
        "terminate-game-session without one",
        sessions::terminate_game_session(),
        FailedPrecondition,
    );
    let policy = PlayerSessionCreationPolicy::AcceptAll;
    fails(
        "creation policy without a game session",
        sessions::update_player_session_creation_policy(policy),
        FailedPrecondition,
    );
    fails(
        "accept-player-session without a game session",
        sessions::accept_player_session("ps"),
        FailedPrecondition,
    );
    let backfill = backfill_request(Some(TICKET), "none");
    fails(
        "start-match-backfill without a game session",
        sessions::start_match_backfill(&backfill),
        FailedPrecondition,
    );
    fails(
        "stop-match-backfill without a game session",
        sessions::stop_match_backfill(&stop_request(TICKET, "none")),
        FailedPrecondition,
    );
    let mut nobody = by_game_session("x", None, None);
    nobody.game_session_id = None;
    fails(
        "describe-player-sessions without a selector",
        sessions::describe_player_sessions(&nobody),
        InvalidArgument,
    );
    nobody.player_id = Some("nobody".into());
    let page = ok(
        "describe-player-sessions of an unknown player",
        sessions::describe_player_sessions(&nobody),
    );
    check(
        "an unknown player has no player sessions",
        page.is_some_and(|p| p.player_sessions.is_empty()),
        (),
    );
}

fn backfill_request(ticket: Option<&str>, game_session: &str) -> StartMatchBackfillRequest {
    StartMatchBackfillRequest {
        ticket_id: ticket.map(str::to_owned),
        matchmaking_configuration_arn: "arn:matchmaker".into(),
        game_session_arn: game_session.into(),
        players: vec![MatchmakingPlayer {
            player_id: "p1".into(),
            team: Some("red".into()),
            player_attributes: vec![("skill".into(), "10".into())],
            latency_in_ms: vec![("eu".into(), 20)],
        }],
    }
}

fn stop_request(ticket: &str, game_session: &str) -> StopMatchBackfillRequest {
    StopMatchBackfillRequest {
        ticket_id: ticket.into(),
        matchmaking_configuration_arn: "arn:matchmaker".into(),
        game_session_arn: game_session.into(),
    }
}

/// `on-start-game-session`.
pub fn start_game_session(session: &GameSession) {
    let id = session.game_session_id.as_str();
    check(
        "the game session is ACTIVATING",
        session.status == GameSessionStatus::Activating,
        session.status,
    );
    check(
        "maximum players as created",
        session.maximum_player_session_count == 3,
        session.maximum_player_session_count,
    );
    let mode = session
        .game_properties
        .iter()
        .find(|p| p.key == "mode")
        .map(|p| p.value.as_str());
    check(
        "game properties as created",
        mode == Some("conformance"),
        mode,
    );
    check(
        "game session data as created",
        session.game_session_data == "data",
        &session.game_session_data,
    );
    equals(
        "get-game-session-id",
        sessions::get_game_session_id(),
        id.to_owned(),
    );
    check(
        "a game session allocates the game server",
        state() == GameServerState::Allocated,
        state(),
    );
    fails(
        "accept-player-session of an unknown id",
        sessions::accept_player_session("ps-unknown"),
        NotFound,
    );
    ok("activate-game-session", sessions::activate_game_session());
    fails(
        "activate-game-session twice",
        sessions::activate_game_session(),
        FailedPrecondition,
    );
    ok(
        "deny new players",
        sessions::update_player_session_creation_policy(PlayerSessionCreationPolicy::DenyAll),
    );
    ok(
        "accept new players",
        sessions::update_player_session_creation_policy(PlayerSessionCreationPolicy::AcceptAll),
    );
    let page = ok(
        "describe-player-sessions of the game session",
        sessions::describe_player_sessions(&by_game_session(id, None, None)),
    );
    check(
        "no player sessions yet",
        page.is_some_and(|p| p.player_sessions.is_empty()),
        (),
    );
    fails(
        "describe another game session",
        sessions::describe_player_sessions(&by_game_session("other", None, None)),
        NotFound,
    );
    fails(
        "describe with limit 0",
        sessions::describe_player_sessions(&by_game_session(id, Some(0), None)),
        OutOfRange,
    );
    equals(
        "start-match-backfill",
        sessions::start_match_backfill(&backfill_request(Some(TICKET), id)),
        TICKET.to_owned(),
    );
    fails(
        "a second backfill",
        sessions::start_match_backfill(&backfill_request(Some("t2"), id)),
        FailedPrecondition,
    );
    fails(
        "stop-match-backfill of another ticket",
        sessions::stop_match_backfill(&stop_request("t2", id)),
        NotFound,
    );
    ok(
        "stop-match-backfill",
        sessions::stop_match_backfill(&stop_request(TICKET, id)),
    );
    fails(
        "backfill for another game session",
        sessions::start_match_backfill(&backfill_request(None, "other")),
        NotFound,
    );
    if let Some(ticket) = ok(
        "start-match-backfill without a ticket id",
        sessions::start_match_backfill(&backfill_request(None, id)),
    ) {
        check("the host made a ticket id", !ticket.is_empty(), &ticket);
        ok(
            "stop the generated ticket",
            sessions::stop_match_backfill(&stop_request(&ticket, id)),
        );
    }
    ok(
        "start-match-backfill left running",
        sessions::start_match_backfill(&backfill_request(Some(TICKET), id)),
    );
    phase("start-game-session");
}

/// `on-player-connect`.
pub fn player_connect(player_session_id: &str) {
    ok(
        "accept-player-session",
        sessions::accept_player_session(player_session_id),
    );
    fails(
        "accept-player-session twice",
        sessions::accept_player_session(player_session_id),
        FailedPrecondition,
    );
    let game_session = sessions::get_game_session_id().unwrap_or_default();
    let mut one = by_game_session("", None, None);
    one.game_session_id = None;
    one.player_session_id = Some(player_session_id.into());
    let mine = ok(
        "describe one player session",
        sessions::describe_player_sessions(&one),
    );
    let mine = mine.and_then(|p| p.player_sessions.into_iter().next());
    check(
        "the accepted player session is ACTIVE",
        mine.as_ref()
            .is_some_and(|s| s.status == PlayerSessionStatus::Active),
        &mine,
    );
    let mut seen = Vec::new();
    let mut token = None;
    for _ in 0..4 {
        let Some(page) = ok(
            "describe a page",
            sessions::describe_player_sessions(&by_game_session(
                &game_session,
                Some(1),
                token.take(),
            )),
        ) else {
            break;
        };
        check(
            "a page holds at most the limit",
            page.player_sessions.len() <= 1,
            page.player_sessions.len(),
        );
        seen.extend(
            page.player_sessions
                .into_iter()
                .map(|s| s.player_session_id),
        );
        token = page.next_token;
        if token.is_none() {
            break;
        }
    }
    check(
        "paging visits all three player sessions once",
        seen.len() == 3,
        &seen,
    );
    let mut reserved = by_game_session(&game_session, None, None);
    reserved.player_session_status_filter = Some(PlayerSessionStatus::Reserved);
    let count = sessions::describe_player_sessions(&reserved).map(|p| p.player_sessions.len());
    check(
        "the status filter finds the two RESERVED",
        count == Ok(2),
        count,
    );
    if let Some(player_id) = mine.map(|s| s.player_id) {
        let mut by_player = by_game_session("", None, None);
        by_player.game_session_id = None;
        by_player.player_id = Some(player_id);
        let count = sessions::describe_player_sessions(&by_player).map(|p| p.player_sessions.len());
        check("describe by player id", count == Ok(1), count);
    }
    fails(
        "describe with a forged token",
        sessions::describe_player_sessions(&by_game_session(&game_session, None, Some("x".into()))),
        InvalidArgument,
    );
    phase("player-connect");
}

/// `on-update-game-session`.
pub fn update_game_session(update: &UpdateGameSession) {
    check(
        "the update reason",
        update.update_reason == UpdateReason::MatchmakingDataUpdated,
        update.update_reason,
    );
    check(
        "the update answers the backfill",
        update.backfill_ticket_id.as_deref() == Some(TICKET),
        &update.backfill_ticket_id,
    );
    let data = &update.game_session.matchmaker_data;
    check(
        "the update carries matchmaker data",
        data.contains("conformance"),
        data,
    );
    let id = update.game_session.game_session_id.as_str();
    ok(
        "the answered backfill has ended",
        sessions::start_match_backfill(&backfill_request(Some("second"), id)),
    );
    ok(
        "stop-match-backfill",
        sessions::stop_match_backfill(&stop_request("second", id)),
    );
    phase("update-game-session");
}

/// `on-player-disconnect`.
pub fn player_disconnect(player_session_id: &str) {
    ok(
        "remove-player-session",
        sessions::remove_player_session(player_session_id),
    );
    fails(
        "remove-player-session twice",
        sessions::remove_player_session(player_session_id),
        FailedPrecondition,
    );
    fails(
        "remove-player-session of an unknown id",
        sessions::remove_player_session("ps-unknown"),
        NotFound,
    );
    phase("player-disconnect");
}

/// `on-game-server-update`.
pub fn game_server_update(gs: &GameServer) {
    if WATCHED.replace(true) {
        return;
    }
    check(
        "watch delivers the game server",
        !gs.object_meta.name.is_empty(),
        &gs.object_meta.name,
    );
    ok(
        "set-annotation from the watch",
        metadata::set_annotation("uid", &gs.object_meta.uid),
    );
    phase("watch");
}

/// `on-health-check`.
pub fn health_check() -> bool {
    lifecycle::health().is_ok()
}

/// `on-process-terminate`.
pub fn process_terminate(termination_time: i64) {
    equals(
        "get-termination-time",
        process::get_termination_time(),
        termination_time,
    );
    ok("terminate-game-session", sessions::terminate_game_session());
    equals(
        "no game session after terminating it",
        sessions::get_game_session_id(),
        String::new(),
    );
    ok("process-ending", process::process_ending());
    check(
        "process-ending makes it Shutdown",
        state() == GameServerState::Shutdown,
        state(),
    );
    fails(
        "process-ending twice",
        process::process_ending(),
        FailedPrecondition,
    );
    fails(
        "ready after process-ending",
        lifecycle::ready(),
        FailedPrecondition,
    );
    phase("process-terminate");
}
