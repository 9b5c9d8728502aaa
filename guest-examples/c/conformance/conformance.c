// The conformance guest: calls every SDK function, checks each result and
// reports what it saw, like the Agones SDK conformance test. The same checks,
// phases and expectations as the Rust conformance guest
// (`guest-examples/rust/conformance`), whose documentation describes the
// template and the flow the host drives.
//
// The callbacks own their arguments and free them here.

#include "phases.h"

void exports_gamehost_sdk_callbacks_on_process_start(void) {
  conformance_start();
}

void exports_gamehost_sdk_callbacks_on_start_game_session(
    exports_gamehost_sdk_callbacks_game_session_t *game_session) {
  conformance_start_game_session(game_session);
  gamehost_sdk_types_game_session_free(game_session);
}

void exports_gamehost_sdk_callbacks_on_update_game_session(
    exports_gamehost_sdk_callbacks_update_game_session_t *update) {
  conformance_update_game_session(update);
  gamehost_sdk_types_update_game_session_free(update);
}

void exports_gamehost_sdk_callbacks_on_process_terminate(int64_t termination_time) {
  conformance_process_terminate(termination_time);
}

bool exports_gamehost_sdk_callbacks_on_health_check(void) {
  return conformance_health_check();
}

void exports_gamehost_sdk_callbacks_on_game_server_update(
    exports_gamehost_sdk_callbacks_game_server_t *game_server) {
  conformance_game_server_update(game_server);
  gamehost_sdk_types_game_server_free(game_server);
}

bool exports_gamehost_sdk_callbacks_on_player_connect(gh_string_t *player_session_id,
                                                      gh_string_t *refusal) {
  (void)refusal;
  conformance_player_connect(player_session_id);
  game_server_string_free(player_session_id);
  return true;
}

void exports_gamehost_sdk_callbacks_on_player_message(gh_string_t *player_session_id,
                                                      game_server_list_u8_t *message) {
  game_server_string_free(player_session_id);
  game_server_list_u8_free(message);
}

void exports_gamehost_sdk_callbacks_on_player_disconnect(gh_string_t *player_session_id) {
  conformance_player_disconnect(player_session_id);
  game_server_string_free(player_session_id);
}
