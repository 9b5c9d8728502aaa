"""The conformance guest: calls every SDK function, checks each result and
reports what it saw, like the Agones SDK conformance test. The same checks,
phases and expectations as the Rust conformance guest
(`guest-examples/rust/conformance`), whose documentation describes the
template and the flow the host drives.
"""

from wit_world import exports
from wit_world.imports.types import GameServer, GameSession, UpdateGameSession

import phases


class Callbacks(exports.Callbacks):
    def on_process_start(self) -> None:
        phases.start()

    def on_start_game_session(self, game_session: GameSession) -> None:
        phases.start_game_session(game_session)

    def on_update_game_session(self, update: UpdateGameSession) -> None:
        phases.update_game_session(update)

    def on_process_terminate(self, termination_time: int) -> None:
        phases.process_terminate(termination_time)

    def on_health_check(self) -> bool:
        return phases.health_check()

    def on_game_server_update(self, game_server: GameServer) -> None:
        phases.game_server_update(game_server)

    def on_player_connect(self, player_session_id: str) -> None:
        phases.player_connect(player_session_id)

    def on_player_message(self, player_session_id: str, message: bytes) -> None:
        pass

    def on_player_disconnect(self, player_session_id: str) -> None:
        phases.player_disconnect(player_session_id)
