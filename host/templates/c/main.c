// {{name}}: a Gamehost game mode in C. It declares itself Ready, activates
// each game session placed on it, admits the players whose player sessions
// it was given, and echoes each player's messages back to that player.
//
// The SDK is the WIT package in wit/ (gamehost:sdk): build.sh generates its
// C bindings (build/bindings/game_server.h) with wit-bindgen; sdk/gamehost.h
// adds helpers over them. A callback owns its arguments and frees them.

#include "gamehost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void exports_gamehost_sdk_callbacks_on_process_start(void) {
  // A game mode's standard output goes to its log.
  printf("{{name}} starting\n");
  fflush(stdout);
  gh_error_t e;
  gamehost_sdk_process_server_parameters_t params;
  if (!gamehost_sdk_process_init_sdk(&params, &e)) abort();  // a trap ends this game server
  gamehost_sdk_process_server_parameters_free(&params);
  if (!gamehost_sdk_lifecycle_ready(&e)) abort();
}

void exports_gamehost_sdk_callbacks_on_start_game_session(
    exports_gamehost_sdk_callbacks_game_session_t *session) {
  GH_LOG(GH_INFO, "a game session starts", GH_STRING("game-session", session->game_session_id));
  gh_error_t e;
  if (!gamehost_sdk_sessions_activate_game_session(&e)) {
    GH_LOG(GH_WARN, "the game session did not activate", GH_STRING("error", e.message));
    gh_error_free(&e);
  }
  gamehost_sdk_types_game_session_free(session);
}

void exports_gamehost_sdk_callbacks_on_update_game_session(
    exports_gamehost_sdk_callbacks_update_game_session_t *update) {
  gamehost_sdk_types_update_game_session_free(update);
}

void exports_gamehost_sdk_callbacks_on_process_terminate(int64_t termination_time) {
  (void)termination_time;
  gh_error_t e;
  if (!gamehost_sdk_process_process_ending(&e)) gh_error_free(&e);
}

bool exports_gamehost_sdk_callbacks_on_health_check(void) { return true; }

void exports_gamehost_sdk_callbacks_on_game_server_update(
    exports_gamehost_sdk_callbacks_game_server_t *game_server) {
  gamehost_sdk_types_game_server_free(game_server);
}

bool exports_gamehost_sdk_callbacks_on_player_connect(gh_string_t *player_session_id,
                                                      gh_string_t *refusal) {
  gh_error_t e;
  if (!gamehost_sdk_sessions_accept_player_session(player_session_id, &e)) {
    *refusal = e.message;  // refuses the player; the message is freed for you
    game_server_string_free(player_session_id);
    return false;
  }
  GH_LOG(GH_INFO, "a player joins", GH_STRING("player-session", *player_session_id));
  static const char greeting[] = "welcome ";
  size_t len = sizeof greeting - 1 + player_session_id->len;
  uint8_t *text = malloc(len);
  if (text == NULL) abort();
  memcpy(text, greeting, sizeof greeting - 1);
  memcpy(text + sizeof greeting - 1, player_session_id->ptr, player_session_id->len);
  game_server_list_u8_t welcome = {.ptr = text, .len = len};
  bool sent = gamehost_sdk_gateway_send(player_session_id, &welcome, &e);
  free(text);
  if (!sent) *refusal = e.message;
  game_server_string_free(player_session_id);
  return sent;
}

void exports_gamehost_sdk_callbacks_on_player_message(gh_string_t *player_session_id,
                                                      game_server_list_u8_t *message) {
  gh_error_t e;
  if (!gamehost_sdk_gateway_send(player_session_id, message, &e)) gh_error_free(&e);
  game_server_string_free(player_session_id);
  game_server_list_u8_free(message);
}

void exports_gamehost_sdk_callbacks_on_player_disconnect(gh_string_t *player_session_id) {
  GH_LOG(GH_INFO, "a player leaves", GH_STRING("player-session", *player_session_id));
  gh_error_t e;
  if (!gamehost_sdk_sessions_remove_player_session(player_session_id, &e)) gh_error_free(&e);
  game_server_string_free(player_session_id);
}
