"""{{name}}: a Gamehost game mode. It declares itself Ready, activates each game
session placed on it, admits the players whose player sessions it was given,
and echoes each player's messages back to that player.

The SDK is the WIT package in `wit/` (`gamehost:sdk`): `wit_world.imports`
holds the calls a game mode makes, `wit_world.exports.Callbacks` the calls the
host makes on it. Every SDK call that can fail raises `Err` whose `value` is
an `SdkError` (`code`, `message`).
"""

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import gateway, lifecycle, logging, process, sessions
from wit_world.imports.types import GameServer, GameSession, KeyValue, UpdateGameSession


class Callbacks(exports.Callbacks):
    def on_process_start(self) -> None:
        # An error here is a broken deployment: let it raise, which traps and
        # ends this game server with the error in its log.
        process.init_sdk()
        lifecycle.ready()

    def on_start_game_session(self, game_session: GameSession) -> None:
        log("a game session starts", "game-session", game_session.game_session_id)
        try:
            sessions.activate_game_session()
        except Err as e:
            log("the game session did not activate", "error", e.value.message)

    def on_update_game_session(self, update: UpdateGameSession) -> None:
        pass

    def on_process_terminate(self, termination_time: int) -> None:
        try:
            process.process_ending()
        except Err:
            pass

    def on_health_check(self) -> bool:
        return True

    def on_game_server_update(self, game_server: GameServer) -> None:
        pass

    def on_player_connect(self, player_session_id: str) -> None:
        try:
            sessions.accept_player_session(player_session_id)
        except Err as e:
            # Raising Err with a string refuses the player with this reason.
            raise Err(e.value.message)
        log("a player joins", "player-session", player_session_id)
        try:
            gateway.send(player_session_id, f"welcome {player_session_id}".encode())
        except Err as e:
            raise Err(e.value.message)

    def on_player_message(self, player_session_id: str, message: bytes) -> None:
        try:
            gateway.send(player_session_id, message)
        except Err:
            pass

    def on_player_disconnect(self, player_session_id: str) -> None:
        log("a player leaves", "player-session", player_session_id)
        try:
            sessions.remove_player_session(player_session_id)
        except Err:
            pass


def log(message: str, key: str, value: str) -> None:
    """Logs `message` at `info` with one field, `key`=`value`."""
    logging.log(logging.Level.INFO, message, [KeyValue(key, value)])
