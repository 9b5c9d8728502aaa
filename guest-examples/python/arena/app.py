"""Arena: the example game mode, rock-paper-scissors for up to a game
session's maximum players.

Players send `rock`, `paper` or `scissors`. When every connected player has
thrown, the round is scored: if exactly two shapes were thrown, everyone who
threw the winning one scores a point. The first player to the target score
(the game property `target-score`, 3 by default) wins; the game session ends
and the game server is Ready for the next match.

The fleet template declares the counter `rounds` and the list `players`. The
standings are published in the annotation `agones.dev/sdk-scoreboard`, and the
winner in `agones.dev/sdk-winner`.

Every SDK call that can fail raises `Err` whose `value` is an `SdkError`
(`code`, `message`); this module catches it where the game can go on.
"""

from contextlib import suppress
from typing import Optional

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import (
    counters,
    lifecycle,
    lists,
    logging,
    metadata,
    players,
    process,
    sessions,
)
from wit_world.imports.types import GameServer, GameSession, KeyValue, SdkError, UpdateGameSession

from game import Match, Round, Shape, Won

DEFAULT_TARGET_SCORE = 3

# The match in progress, if any. One instance of this module serves one game
# server, and the host never calls it concurrently.
current: Optional[Match] = None


def log(level: logging.Level, message: str, **fields) -> None:
    pairs = [KeyValue(key.replace("_", "-"), str(value)) for key, value in fields.items()]
    logging.log(level, message, pairs)


def describe(e: SdkError) -> str:
    return f"{e.code.name.lower().replace('_', '-')}: {e.message}"


def failed(message: str, e: Err) -> None:
    """Logs a failed SDK call at `error`."""
    log(logging.Level.ERROR, message, error=describe(e.value))


def worked_around(message: str, e: Err) -> None:
    """Logs a failed SDK call that the game works around at `warn`."""
    log(logging.Level.WARN, message, error=describe(e.value))


# ANCHOR: callbacks
class Callbacks(exports.Callbacks):
    def on_process_start(self) -> None:
        # An error here is a broken deployment: let it raise, which traps and
        # ends this game server with the error in its log.
        params = process.init_sdk()
        for declared in (lambda: counters.get_counter("rounds"), lambda: lists.get_list("players")):
            try:
                declared()
            except Err as e:
                failed(
                    "the fleet template must declare the counter `rounds` and the list `players`",
                    e,
                )
        process.process_ready(process.ProcessParameters(port=0))
        log(logging.Level.INFO, "arena ready", process=params.process_id, fleet=params.fleet_id)

    def on_start_game_session(self, game_session: GameSession) -> None:
        global current
        target = target_score(game_session)
        current = Match(target)
        try:
            sessions.activate_game_session()
        except Err as e:
            failed("could not activate the game session", e)
            return
        log(
            logging.Level.INFO,
            "match started",
            game_session=game_session.game_session_id,
            target_score=target,
        )

    def on_update_game_session(self, update: UpdateGameSession) -> None:
        log(logging.Level.INFO, "game session updated", reason=update.update_reason.name)

    def on_process_terminate(self, termination_time: int) -> None:
        global current
        log(logging.Level.INFO, "terminating", termination_time=termination_time)
        if current is not None:
            current = None
            # The game session may already have ended.
            with suppress(Err):
                sessions.terminate_game_session()
        try:
            process.process_ending()
        except Err as e:
            failed("process-ending failed", e)

    def on_health_check(self) -> bool:
        try:
            lifecycle.health()
            return True
        except Err:
            return False

    def on_game_server_update(self, game_server: GameServer) -> None:
        pass

    def on_player_connect(self, player_session_id: str) -> None:
        try:
            sessions.accept_player_session(player_session_id)
        except Err as e:
            # Raising Err refuses the player with this reason.
            raise Err(e.value.message)
        player_id = player_id_of(player_session_id) or player_session_id
        try:
            lists.append_list_value("players", player_id)
        except Err as e:
            worked_around("could not list the player", e)
        # Player tracking is informational here: the player session admits.
        with suppress(Err):
            players.player_connect(player_id)
        if current is not None:
            current.join(player_session_id, player_id)
        log(logging.Level.INFO, "player joined", player=player_id)

    def on_player_message(self, player_session_id: str, message: bytes) -> None:
        shape = Shape.parse(message)
        if shape is None:
            log(
                logging.Level.WARN,
                "ignoring a message that is not rock, paper or scissors",
                player_session=player_session_id,
            )
            return
        if current is None:
            return
        outcome = current.throw(player_session_id, shape)
        if isinstance(outcome, Round):
            record_round(outcome.scoreboard)
        elif isinstance(outcome, Won):
            finish(outcome.winner, outcome.scoreboard)

    def on_player_disconnect(self, player_session_id: str) -> None:
        player_id = player_id_of(player_session_id)
        try:
            sessions.remove_player_session(player_session_id)
        except Err as e:
            worked_around("could not remove the player session", e)
        if player_id is not None:
            # Either fails only when the player was never listed.
            with suppress(Err):
                lists.delete_list_value("players", player_id)
            with suppress(Err):
                players.player_disconnect(player_id)
        if current is not None:
            current.leave(player_session_id)
# ANCHOR_END: callbacks


def target_score(game_session: GameSession) -> int:
    """The game property `target-score` within [1, 100], or the default when
    it is absent or not a whole number that fits in 32 bits."""
    value = next((p.value for p in game_session.game_properties if p.key == "target-score"), "")
    if not (value.isascii() and value.isdigit()) or int(value) >= 2**32:
        return DEFAULT_TARGET_SCORE
    return min(max(int(value), 1), 100)


def player_id_of(player_session_id: str) -> Optional[str]:
    request = sessions.DescribePlayerSessionsRequest(
        game_session_id=None,
        player_session_id=player_session_id,
        player_id=None,
        player_session_status_filter=None,
        limit=None,
        next_token=None,
    )
    try:
        page = sessions.describe_player_sessions(request)
    except Err:
        return None
    return page.player_sessions[0].player_id if page.player_sessions else None


def record_round(scoreboard: str) -> None:
    try:
        counters.increment_counter("rounds", 1)
    except Err as e:
        worked_around("could not count the round", e)
    # The standings are in the log line too.
    with suppress(Err):
        metadata.set_annotation("scoreboard", scoreboard)
    log(logging.Level.INFO, "round scored", scoreboard=scoreboard)


def finish(winner: str, scoreboard: str) -> None:
    global current
    record_round(scoreboard)
    # The winner is in the log line too.
    with suppress(Err):
        metadata.set_annotation("winner", winner)
    log(logging.Level.INFO, "match won", winner=winner)
    current = None
    try:
        sessions.terminate_game_session()
    except Err as e:
        failed("could not end the game session", e)
    try:
        lifecycle.ready()
    except Err as e:
        failed("could not become Ready again", e)
