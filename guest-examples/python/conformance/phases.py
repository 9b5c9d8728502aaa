"""The checks, one function per callback the host drives."""

from typing import List, Optional

from componentize_py_types import Err
from wit_world.imports import (
    configuration,
    counters,
    gateway,
    lifecycle,
    lists,
    logging,
    metadata,
    players,
    process,
    sessions,
)
from wit_world.imports.types import (
    Counter,
    ErrorCode,
    GameServer,
    GameServerState,
    GameSession,
    GameSessionStatus,
    KeyValue,
    PlayerSessionCreationPolicy,
    PlayerSessionStatus,
    StringList,
    UpdateGameSession,
    UpdateReason,
)

from check import check, equals, fails, ok, phase

KEY = "conformance"
TICKET = "conformance-ticket"

NOT_INITIALIZED = ErrorCode.NOT_INITIALIZED
FAILED_PRECONDITION = ErrorCode.FAILED_PRECONDITION
INVALID_ARGUMENT = ErrorCode.INVALID_ARGUMENT
NOT_FOUND = ErrorCode.NOT_FOUND
OUT_OF_RANGE = ErrorCode.OUT_OF_RANGE
ALREADY_EXISTS = ErrorCode.ALREADY_EXISTS
AT_CAPACITY = ErrorCode.AT_CAPACITY

_watched = False


def label(gs: GameServer, key: str) -> Optional[str]:
    return next((l.value for l in gs.object_meta.labels if l.key == key), None)


def annotation(gs: GameServer, key: str) -> Optional[str]:
    return next((a.value for a in gs.object_meta.annotations if a.key == key), None)


def state() -> GameServerState:
    return configuration.get_game_server().status.state


def start() -> None:
    """`on-process-start`."""
    gs = configuration.get_game_server()
    if label(gs, "conformance-ending") == "shutdown":
        shutdown_flow()
        return
    version = process.get_sdk_version()
    check("get-sdk-version is 0.1.0", version == "0.1.0", version)
    fails("a GameLift call before init-sdk", sessions.get_game_session_id, NOT_INITIALIZED)
    params = ok("init-sdk", process.init_sdk)
    if params is not None:
        check("init-sdk names this game server", params.process_id == gs.object_meta.name, params)
    check(
        "a new game server is Scheduled",
        gs.status.state == GameServerState.SCHEDULED,
        gs.status.state,
    )
    check("game server has a uid", gs.object_meta.uid != "", gs.object_meta.uid)
    configuration.watch_game_server()
    metadata_checks(gs)
    counter_checks()
    list_checks()
    player_checks()
    gateway_checks()
    lifecycle_checks()
    process_checks()
    idle_session_checks()
    logging.log(
        logging.Level.DEBUG,
        "conformance structured log",
        [KeyValue("a", "1"), KeyValue("b", "two")],
    )
    phase("start")


def shutdown_flow() -> None:
    ok("ready", lifecycle.ready)
    ok("shutdown", lifecycle.shutdown)
    check("shutdown makes it Shutdown", state() == GameServerState.SHUTDOWN, state())
    fails("ready after shutdown", lifecycle.ready, FAILED_PRECONDITION)
    fails("shutdown twice", lifecycle.shutdown, FAILED_PRECONDITION)
    phase("shutdown")


def metadata_checks(gs: GameServer) -> None:
    stamp = str(gs.object_meta.creation_timestamp)
    ok("set-label", lambda: metadata.set_label("creation-timestamp", stamp))
    fails(
        "set-label with an invalid key",
        lambda: metadata.set_label("not a key", "v"),
        INVALID_ARGUMENT,
    )
    fails(
        "set-label with an invalid value",
        lambda: metadata.set_label("k", "not a value"),
        INVALID_ARGUMENT,
    )
    fails(
        "set-label with a key too long for the prefix",
        lambda: metadata.set_label("k" * 60, "v"),
        INVALID_ARGUMENT,
    )
    ok("set-annotation", lambda: metadata.set_annotation("note", "any text, with spaces"))
    fails(
        "set-annotation with an empty key",
        lambda: metadata.set_annotation("", "v"),
        INVALID_ARGUMENT,
    )
    after = configuration.get_game_server()
    stored = label(after, "agones.dev/sdk-creation-timestamp")
    check("labels are stored under agones.dev/sdk-", stored == stamp, stored)
    note = annotation(after, "agones.dev/sdk-note")
    check("annotations are stored under agones.dev/sdk-", note == "any text, with spaces", note)


def counter_checks() -> None:
    equals("get-counter-count", lambda: counters.get_counter_count(KEY), 0)
    fails("an undeclared counter", lambda: counters.get_counter_count("undeclared"), NOT_FOUND)
    fails(
        "increment an undeclared counter",
        lambda: counters.increment_counter("undeclared", 1),
        NOT_FOUND,
    )
    ok("set-counter-count", lambda: counters.set_counter_count(KEY, 5))
    equals("the count was set", lambda: counters.get_counter_count(KEY), 5)
    fails(
        "set-counter-count above capacity",
        lambda: counters.set_counter_count(KEY, 11),
        OUT_OF_RANGE,
    )
    fails(
        "set-counter-count below zero",
        lambda: counters.set_counter_count(KEY, -1),
        OUT_OF_RANGE,
    )
    ok("increment-counter", lambda: counters.increment_counter(KEY, 2))
    fails(
        "increment-counter past capacity",
        lambda: counters.increment_counter(KEY, 4),
        OUT_OF_RANGE,
    )
    ok("increment-counter to capacity", lambda: counters.increment_counter(KEY, 3))
    fails(
        "increment-counter at capacity",
        lambda: counters.increment_counter(KEY, 1),
        OUT_OF_RANGE,
    )
    fails(
        "increment-counter by a negative amount",
        lambda: counters.increment_counter(KEY, -1),
        INVALID_ARGUMENT,
    )
    ok("decrement-counter", lambda: counters.decrement_counter(KEY, 10))
    fails(
        "decrement-counter at zero",
        lambda: counters.decrement_counter(KEY, 1),
        OUT_OF_RANGE,
    )
    equals("get-counter-capacity", lambda: counters.get_counter_capacity(KEY), 10)
    ok("set-counter-capacity", lambda: counters.set_counter_capacity(KEY, 20))
    equals("the capacity was set", lambda: counters.get_counter_capacity(KEY), 20)
    fails(
        "set-counter-capacity below zero",
        lambda: counters.set_counter_capacity(KEY, -1),
        OUT_OF_RANGE,
    )
    equals("get-counter", lambda: counters.get_counter(KEY), Counter(KEY, 0, 20))
    update = counters.CounterUpdate(capacity=10, count=4, count_diff=1)
    equals("update-counter", lambda: counters.update_counter(KEY, update), Counter(KEY, 5, 10))
    too_far = counters.CounterUpdate(capacity=None, count=None, count_diff=6)
    fails(
        "update-counter out of range",
        lambda: counters.update_counter(KEY, too_far),
        OUT_OF_RANGE,
    )
    equals("a failed update changes nothing", lambda: counters.get_counter_count(KEY), 5)


def list_checks() -> None:
    equals("get-list-length", lambda: lists.get_list_length(KEY), 0)
    ok("append-list-value", lambda: lists.append_list_value(KEY, "a"))
    ok("append-list-value again", lambda: lists.append_list_value(KEY, "b"))
    fails(
        "append-list-value duplicate",
        lambda: lists.append_list_value(KEY, "a"),
        ALREADY_EXISTS,
    )
    ok("append-list-value to capacity", lambda: lists.append_list_value(KEY, "c"))
    fails(
        "append-list-value at capacity",
        lambda: lists.append_list_value(KEY, "d"),
        AT_CAPACITY,
    )
    fails(
        "append-list-value oversized",
        lambda: lists.append_list_value(KEY, "v" * 1025),
        INVALID_ARGUMENT,
    )
    equals("list-contains", lambda: lists.list_contains(KEY, "b"), True)
    equals("list-contains a missing value", lambda: lists.list_contains(KEY, "z"), False)
    equals("get-list-values", lambda: lists.get_list_values(KEY), ["a", "b", "c"])
    ok("delete-list-value", lambda: lists.delete_list_value(KEY, "b"))
    fails("delete-list-value missing", lambda: lists.delete_list_value(KEY, "b"), NOT_FOUND)
    equals("get-list-capacity", lambda: lists.get_list_capacity(KEY), 3)
    ok("set-list-capacity truncates", lambda: lists.set_list_capacity(KEY, 1))
    fails(
        "set-list-capacity above 1000",
        lambda: lists.set_list_capacity(KEY, 1001),
        OUT_OF_RANGE,
    )
    fails(
        "set-list-capacity below zero",
        lambda: lists.set_list_capacity(KEY, -1),
        OUT_OF_RANGE,
    )
    equals("get-list", lambda: lists.get_list(KEY), StringList(KEY, 1, ["a"]))
    update = lists.ListUpdate(capacity=5, values=["x", "y"])
    equals("update-list", lambda: lists.update_list(KEY, update), StringList(KEY, 5, ["x", "y"]))
    duplicates = lists.ListUpdate(capacity=None, values=["x", "x"])
    fails(
        "update-list with duplicates",
        lambda: lists.update_list(KEY, duplicates),
        INVALID_ARGUMENT,
    )
    fails("an undeclared list", lambda: lists.get_list("undeclared"), NOT_FOUND)
    fails(
        "append to an undeclared list",
        lambda: lists.append_list_value("undeclared", "v"),
        NOT_FOUND,
    )


def gateway_checks() -> None:
    """The gateway before any player has connected over it."""
    connected = gateway.connected()
    check("gateway connected, before any player", connected == [], connected)
    equals("gateway broadcast to no player", lambda: gateway.broadcast(b"hello"), 0)
    equals(
        "gateway send-many to players not connected",
        lambda: gateway.send_many(["psess-none"], b"hello"),
        0,
    )
    fails(
        "gateway send to a player not connected",
        lambda: gateway.send("psess-none", b"hello"),
        NOT_FOUND,
    )
    fails(
        "gateway disconnect of a player not connected",
        lambda: gateway.disconnect("psess-none", "bye"),
        NOT_FOUND,
    )


def player_checks() -> None:
    capacity = players.get_player_capacity()
    check("get-player-capacity", capacity == 2, capacity)
    equals("player-connect", lambda: players.player_connect("p1"), True)
    equals("player-connect twice", lambda: players.player_connect("p1"), False)
    equals("player-connect another", lambda: players.player_connect("p2"), True)
    fails("player-connect at capacity", lambda: players.player_connect("p3"), AT_CAPACITY)
    fails(
        "player-connect with an empty id",
        lambda: players.player_connect(""),
        INVALID_ARGUMENT,
    )
    count = players.get_player_count()
    check("get-player-count", count == 2, count)
    check("is-player-connected", players.is_player_connected("p1"), "p1")
    check("is-player-connected for a stranger", not players.is_player_connected("p3"), "p3")
    connected = players.get_connected_players()
    check("get-connected-players", connected == ["p1", "p2"], connected)
    equals("player-disconnect", lambda: players.player_disconnect("p1"), True)
    equals("player-disconnect twice", lambda: players.player_disconnect("p1"), False)
    ok("set-player-capacity", lambda: players.set_player_capacity(5))
    capacity = players.get_player_capacity()
    check("the player capacity was set", capacity == 5, capacity)
    fails(
        "set-player-capacity below zero",
        lambda: players.set_player_capacity(-1),
        OUT_OF_RANGE,
    )


def lifecycle_checks() -> None:
    ok("health", lifecycle.health)
    ok("reserve until changed", lambda: lifecycle.reserve(0))
    gs = configuration.get_game_server()
    check(
        "reserve makes it Reserved",
        gs.status.state == GameServerState.RESERVED,
        gs.status.state,
    )
    check("reserve(0) has no end", gs.status.reserved_until is None, gs.status.reserved_until)
    ok("reserve for an hour", lambda: lifecycle.reserve(3600))
    until = configuration.get_game_server().status.reserved_until
    check("reserve(3600) ends in an hour", until is not None, until)
    ok("allocate", lifecycle.allocate)
    gs = configuration.get_game_server()
    check(
        "allocate makes it Allocated",
        gs.status.state == GameServerState.ALLOCATED,
        gs.status.state,
    )
    stamp = annotation(gs, "agones.dev/last-allocated")
    check(
        "allocate stamps agones.dev/last-allocated",
        stamp is not None and stamp.endswith("Z"),
        stamp,
    )
    ok("ready from Allocated", lifecycle.ready)
    check(
        "ready reads RequestReady within the call",
        state() == GameServerState.REQUEST_READY,
        state(),
    )


def process_checks() -> None:
    fails(
        "get-termination-time before a termination",
        process.get_termination_time,
        FAILED_PRECONDITION,
    )
    ready = process.ProcessParameters(port=0)
    ok("process-ready", lambda: process.process_ready(ready))
    fails("process-ready twice", lambda: process.process_ready(ready), FAILED_PRECONDITION)
    cert = ok("get-compute-certificate", process.get_compute_certificate)
    if cert is not None:
        check("the certificate names the host", cert.host_name != "", cert)
        check("the certificate path is empty in a sandbox", cert.certificate_path == "", cert)
    unknown = process.FleetRoleCredentialsRequest(role_arn="arn:unknown", role_session_name=None)
    fails(
        "get-fleet-role-credentials for an unknown role",
        lambda: process.get_fleet_role_credentials(unknown),
        NOT_FOUND,
    )
    known = process.FleetRoleCredentialsRequest(role_arn="arn:conformance", role_session_name="s")
    creds = ok("get-fleet-role-credentials", lambda: process.get_fleet_role_credentials(known))
    if creds is not None:
        check(
            "the credentials are the fleet's",
            creds.access_key_id == "AKIACONFORMANCE",
            creds.access_key_id,
        )
    equals("get-game-session-id when idle", sessions.get_game_session_id, "")
    ok("destroy", process.destroy)
    fails("a GameLift call after destroy", sessions.get_game_session_id, NOT_INITIALIZED)
    fails("destroy twice", process.destroy, NOT_INITIALIZED)
    ok("init-sdk again", process.init_sdk)


def request(
    game_session_id: Optional[str] = None,
    player_session_id: Optional[str] = None,
    player_id: Optional[str] = None,
    status: Optional[PlayerSessionStatus] = None,
    limit: Optional[int] = None,
    next_token: Optional[str] = None,
) -> sessions.DescribePlayerSessionsRequest:
    return sessions.DescribePlayerSessionsRequest(
        game_session_id=game_session_id,
        player_session_id=player_session_id,
        player_id=player_id,
        player_session_status_filter=status,
        limit=limit,
        next_token=next_token,
    )


def describe(req: sessions.DescribePlayerSessionsRequest):
    return lambda: sessions.describe_player_sessions(req)


def idle_session_checks() -> None:
    fails(
        "activate-game-session without one",
        sessions.activate_game_session,
        FAILED_PRECONDITION,
    )
    fails(
        "terminate-game-session without one",
        sessions.terminate_game_session,
        FAILED_PRECONDITION,
    )
    fails(
        "creation policy without a game session",
        lambda: sessions.update_player_session_creation_policy(PlayerSessionCreationPolicy.ACCEPT_ALL),
        FAILED_PRECONDITION,
    )
    fails(
        "accept-player-session without a game session",
        lambda: sessions.accept_player_session("ps"),
        FAILED_PRECONDITION,
    )
    backfill = backfill_request(TICKET, "none")
    fails(
        "start-match-backfill without a game session",
        lambda: sessions.start_match_backfill(backfill),
        FAILED_PRECONDITION,
    )
    fails(
        "stop-match-backfill without a game session",
        lambda: sessions.stop_match_backfill(stop_request(TICKET, "none")),
        FAILED_PRECONDITION,
    )
    fails("describe-player-sessions without a selector", describe(request()), INVALID_ARGUMENT)
    page = ok("describe-player-sessions of an unknown player", describe(request(player_id="nobody")))
    check(
        "an unknown player has no player sessions",
        page is not None and page.player_sessions == [],
        None,
    )


def backfill_request(ticket: Optional[str], game_session: str) -> sessions.StartMatchBackfillRequest:
    player = sessions.MatchmakingPlayer(
        player_id="p1",
        team="red",
        player_attributes=[("skill", "10")],
        latency_in_ms=[("eu", 20)],
    )
    return sessions.StartMatchBackfillRequest(
        ticket_id=ticket,
        matchmaking_configuration_arn="arn:matchmaker",
        game_session_arn=game_session,
        players=[player],
    )


def stop_request(ticket: str, game_session: str) -> sessions.StopMatchBackfillRequest:
    return sessions.StopMatchBackfillRequest(
        ticket_id=ticket,
        matchmaking_configuration_arn="arn:matchmaker",
        game_session_arn=game_session,
    )


def start_game_session(session: GameSession) -> None:
    """`on-start-game-session`."""
    gid = session.game_session_id
    check(
        "the game session is ACTIVATING",
        session.status == GameSessionStatus.ACTIVATING,
        session.status,
    )
    check(
        "maximum players as created",
        session.maximum_player_session_count == 3,
        session.maximum_player_session_count,
    )
    mode = next((p.value for p in session.game_properties if p.key == "mode"), None)
    check("game properties as created", mode == "conformance", mode)
    check(
        "game session data as created",
        session.game_session_data == "data",
        session.game_session_data,
    )
    equals("get-game-session-id", sessions.get_game_session_id, gid)
    check("a game session allocates the game server", state() == GameServerState.ALLOCATED, state())
    fails(
        "accept-player-session of an unknown id",
        lambda: sessions.accept_player_session("ps-unknown"),
        NOT_FOUND,
    )
    ok("activate-game-session", sessions.activate_game_session)
    fails("activate-game-session twice", sessions.activate_game_session, FAILED_PRECONDITION)
    ok(
        "deny new players",
        lambda: sessions.update_player_session_creation_policy(PlayerSessionCreationPolicy.DENY_ALL),
    )
    ok(
        "accept new players",
        lambda: sessions.update_player_session_creation_policy(PlayerSessionCreationPolicy.ACCEPT_ALL),
    )
    page = ok("describe-player-sessions of the game session", describe(request(gid)))
    check("no player sessions yet", page is not None and page.player_sessions == [], None)
    fails("describe another game session", describe(request("other")), NOT_FOUND)
    fails("describe with limit 0", describe(request(gid, limit=0)), OUT_OF_RANGE)
    equals(
        "start-match-backfill",
        lambda: sessions.start_match_backfill(backfill_request(TICKET, gid)),
        TICKET,
    )
    fails(
        "a second backfill",
        lambda: sessions.start_match_backfill(backfill_request("t2", gid)),
        FAILED_PRECONDITION,
    )
    fails(
        "stop-match-backfill of another ticket",
        lambda: sessions.stop_match_backfill(stop_request("t2", gid)),
        NOT_FOUND,
    )
    ok("stop-match-backfill", lambda: sessions.stop_match_backfill(stop_request(TICKET, gid)))
    fails(
        "backfill for another game session",
        lambda: sessions.start_match_backfill(backfill_request(None, "other")),
        NOT_FOUND,
    )
    ticket = ok(
        "start-match-backfill without a ticket id",
        lambda: sessions.start_match_backfill(backfill_request(None, gid)),
    )
    if ticket is not None:
        check("the host made a ticket id", ticket != "", ticket)
        ok(
            "stop the generated ticket",
            lambda: sessions.stop_match_backfill(stop_request(ticket, gid)),
        )
    ok(
        "start-match-backfill left running",
        lambda: sessions.start_match_backfill(backfill_request(TICKET, gid)),
    )
    phase("start-game-session")


def count_of(req: sessions.DescribePlayerSessionsRequest) -> Optional[int]:
    """How many player sessions `req` finds, or None when it fails."""
    try:
        return len(sessions.describe_player_sessions(req).player_sessions)
    except Err:
        return None


def player_connect(player_session_id: str) -> None:
    """`on-player-connect`."""
    ok("accept-player-session", lambda: sessions.accept_player_session(player_session_id))
    fails(
        "accept-player-session twice",
        lambda: sessions.accept_player_session(player_session_id),
        FAILED_PRECONDITION,
    )
    try:
        game_session = sessions.get_game_session_id()
    except Err:
        game_session = ""
    page = ok("describe one player session", describe(request(player_session_id=player_session_id)))
    mine = page.player_sessions[0] if page is not None and page.player_sessions else None
    check(
        "the accepted player session is ACTIVE",
        mine is not None and mine.status == PlayerSessionStatus.ACTIVE,
        mine,
    )
    seen: List[str] = []
    token = None
    for _ in range(4):
        page = ok("describe a page", describe(request(game_session, limit=1, next_token=token)))
        if page is None:
            break
        check("a page holds at most the limit", len(page.player_sessions) <= 1, len(page.player_sessions))
        seen.extend(s.player_session_id for s in page.player_sessions)
        token = page.next_token
        if token is None:
            break
    check("paging visits all three player sessions once", len(seen) == 3, seen)
    count = count_of(request(game_session, status=PlayerSessionStatus.RESERVED))
    check("the status filter finds the two RESERVED", count == 2, count)
    if mine is not None:
        count = count_of(request(player_id=mine.player_id))
        check("describe by player id", count == 1, count)
    fails(
        "describe with a forged token",
        describe(request(game_session, next_token="x")),
        INVALID_ARGUMENT,
    )
    phase("player-connect")


def update_game_session(update: UpdateGameSession) -> None:
    """`on-update-game-session`."""
    check(
        "the update reason",
        update.update_reason == UpdateReason.MATCHMAKING_DATA_UPDATED,
        update.update_reason,
    )
    check(
        "the update answers the backfill",
        update.backfill_ticket_id == TICKET,
        update.backfill_ticket_id,
    )
    data = update.game_session.matchmaker_data
    check("the update carries matchmaker data", "conformance" in data, data)
    gid = update.game_session.game_session_id
    ok(
        "the answered backfill has ended",
        lambda: sessions.start_match_backfill(backfill_request("second", gid)),
    )
    ok("stop-match-backfill", lambda: sessions.stop_match_backfill(stop_request("second", gid)))
    phase("update-game-session")


def player_disconnect(player_session_id: str) -> None:
    """`on-player-disconnect`."""
    ok("remove-player-session", lambda: sessions.remove_player_session(player_session_id))
    fails(
        "remove-player-session twice",
        lambda: sessions.remove_player_session(player_session_id),
        FAILED_PRECONDITION,
    )
    fails(
        "remove-player-session of an unknown id",
        lambda: sessions.remove_player_session("ps-unknown"),
        NOT_FOUND,
    )
    phase("player-disconnect")


def game_server_update(gs: GameServer) -> None:
    """`on-game-server-update`: checks the first update only."""
    global _watched
    if _watched:
        return
    _watched = True
    check("watch delivers the game server", gs.object_meta.name != "", gs.object_meta.name)
    ok("set-annotation from the watch", lambda: metadata.set_annotation("uid", gs.object_meta.uid))
    phase("watch")


def health_check() -> bool:
    """`on-health-check`."""
    try:
        lifecycle.health()
        return True
    except Err:
        return False


def process_terminate(termination_time: int) -> None:
    """`on-process-terminate`."""
    equals("get-termination-time", process.get_termination_time, termination_time)
    ok("terminate-game-session", sessions.terminate_game_session)
    equals("no game session after terminating it", sessions.get_game_session_id, "")
    ok("process-ending", process.process_ending)
    check("process-ending makes it Shutdown", state() == GameServerState.SHUTDOWN, state())
    fails("process-ending twice", process.process_ending, FAILED_PRECONDITION)
    fails("ready after process-ending", lifecycle.ready, FAILED_PRECONDITION)
    phase("process-terminate")
