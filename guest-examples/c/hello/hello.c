// Hello: a C game mode that uses libc's standard output and clocks. At
// start it prints a line with printf (the host writes a game mode's standard
// output to its log), reads the time with time() and clock_gettime(), and
// logs what it read through the SDK; then it is Ready. Otherwise it is well
// behaved: it activates game sessions, accepts players and ends when asked.
//
// wasi-libc calls WASI preview1 for these; the build wraps the module with
// the preview1 adapter, which maps those calls to the WASI 0.2 interfaces
// the host links.

// clock_gettime is POSIX, beyond the C11 the guests are compiled as.
#define _POSIX_C_SOURCE 199309L

#include "gamehost.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void exports_gamehost_sdk_callbacks_on_process_start(void) {
  printf("hello from C\n");
  fflush(stdout);
  struct timespec wall;
  struct timespec since_start;
  if (clock_gettime(CLOCK_REALTIME, &wall) != 0) abort();
  if (clock_gettime(CLOCK_MONOTONIC, &since_start) != 0) abort();
  char seconds[24];
  char wall_seconds[24];
  char monotonic_nanos[24];
  snprintf(seconds, sizeof seconds, "%lld", (long long)time(NULL));
  snprintf(wall_seconds, sizeof wall_seconds, "%lld", (long long)wall.tv_sec);
  snprintf(monotonic_nanos, sizeof monotonic_nanos, "%lld",
           (long long)since_start.tv_sec * 1000000000LL + since_start.tv_nsec);
  GH_LOG(GH_INFO, "clocks read", GH_TEXT("time", seconds), GH_TEXT("realtime", wall_seconds),
         GH_TEXT("monotonic-nanos", monotonic_nanos));
  gh_error_t e;
  gamehost_sdk_process_server_parameters_t params;
  if (!gamehost_sdk_process_init_sdk(&params, &e)) abort();
  gamehost_sdk_process_server_parameters_free(&params);
  gamehost_sdk_process_process_parameters_t ready = {.port = 0};
  if (!gamehost_sdk_process_process_ready(&ready, &e)) abort();
}

void exports_gamehost_sdk_callbacks_on_start_game_session(
    exports_gamehost_sdk_callbacks_game_session_t *session) {
  gh_error_t e;
  if (!gamehost_sdk_sessions_activate_game_session(&e)) abort();
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
  bool accepted = gamehost_sdk_sessions_accept_player_session(player_session_id, &e);
  if (!accepted) *refusal = e.message;
  game_server_string_free(player_session_id);
  return accepted;
}

void exports_gamehost_sdk_callbacks_on_player_message(gh_string_t *player_session_id,
                                                      game_server_list_u8_t *message) {
  game_server_string_free(player_session_id);
  game_server_list_u8_free(message);
}

void exports_gamehost_sdk_callbacks_on_player_disconnect(gh_string_t *player_session_id) {
  gh_error_t e;
  if (!gamehost_sdk_sessions_remove_player_session(player_session_id, &e)) gh_error_free(&e);
  game_server_string_free(player_session_id);
}
