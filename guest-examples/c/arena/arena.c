// Arena: the example game mode, rock-paper-scissors for up to a game
// session's maximum players.
//
// Players send `rock`, `paper` or `scissors`. When every connected player has
// thrown, the round is scored: if exactly two shapes were thrown, everyone
// who threw the winning one scores a point. The first player to the target
// score (the game property `target-score`, 3 by default) wins; the game
// session ends and the game server is Ready for the next match.
//
// The fleet template declares the counter `rounds` and the list `players`.
// The standings are published in the annotation `agones.dev/sdk-scoreboard`,
// and the winner in `agones.dev/sdk-winner`.
//
// Every SDK call that can fail returns false and fills in a `gh_error_t`
// (a code and a message); this file checks each one where the game can go on.

#include "game.h"
#include "gamehost.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TARGET_SCORE 3

// The match in progress, if any. One instance serves one game server, and
// the host never calls it concurrently.
static match_t current;
static bool playing;

// Logs a failed SDK call at `level`, as `code: message`, and frees its error.
static void report(gh_level_t level, const char *message, gh_error_t *e) {
  const char *code = gh_error_code_name(e->code);
  size_t size = strlen(code) + 2 + e->message.len + 1;
  char *line = malloc(size);
  if (line == NULL) abort();
  snprintf(line, size, "%s: %.*s", code, (int)e->message.len, (const char *)e->message.ptr);
  GH_LOG(level, message, GH_TEXT("error", line));
  free(line);
  gh_error_free(e);
}

// Logs a failed SDK call at `error`.
static void failed(const char *message, gh_error_t *e) {
  report(GH_ERROR, message, e);
}

// Logs a failed SDK call that the game works around at `warn`.
static void worked_around(const char *message, gh_error_t *e) {
  report(GH_WARN, message, e);
}

// Drops the error of a call whose failure changes nothing for the game.
static void ignore(bool succeeded, gh_error_t *e) {
  if (!succeeded) gh_error_free(e);
}

void exports_gamehost_sdk_callbacks_on_process_start(void) {
  gh_error_t e;
  gamehost_sdk_process_server_parameters_t params;
  // Without the SDK there is no game: trap, which ends this game server.
  if (!gamehost_sdk_process_init_sdk(&params, &e)) abort();
  gamehost_sdk_counters_counter_t rounds;
  if (gamehost_sdk_counters_get_counter(GH_STR("rounds"), &rounds, &e)) {
    gamehost_sdk_types_counter_free(&rounds);
  } else {
    failed("the fleet template must declare the counter `rounds` and the list `players`", &e);
  }
  gamehost_sdk_lists_string_list_t players;
  if (gamehost_sdk_lists_get_list(GH_STR("players"), &players, &e)) {
    gamehost_sdk_types_string_list_free(&players);
  } else {
    failed("the fleet template must declare the counter `rounds` and the list `players`", &e);
  }
  gamehost_sdk_process_process_parameters_t ready = {.port = 0};
  if (!gamehost_sdk_process_process_ready(&ready, &e)) abort();
  GH_LOG(GH_INFO, "arena ready", GH_STRING("process", params.process_id),
         GH_STRING("fleet", params.fleet_id));
  gamehost_sdk_process_server_parameters_free(&params);
}

// The game property `target-score` within [1, 100], or the default when it
// is absent or not a whole number that fits in 32 bits.
static unsigned target_score(const gamehost_sdk_types_game_session_t *session) {
  const gh_string_t *value = NULL;
  const gamehost_sdk_types_list_key_value_t *props = &session->game_properties;
  for (size_t i = 0; i < props->len && value == NULL; i++) {
    if (gh_str_eq(&props->ptr[i].key, "target-score")) value = &props->ptr[i].value;
  }
  if (value == NULL || value->len == 0) return DEFAULT_TARGET_SCORE;
  uint64_t n = 0;
  for (size_t c = 0; c < value->len; c++) {
    if (value->ptr[c] < '0' || value->ptr[c] > '9') return DEFAULT_TARGET_SCORE;
    n = n * 10 + (value->ptr[c] - '0');
    if (n > UINT32_MAX) return DEFAULT_TARGET_SCORE;
  }
  return n < 1 ? 1 : n > 100 ? 100 : (unsigned)n;
}

void exports_gamehost_sdk_callbacks_on_start_game_session(
    exports_gamehost_sdk_callbacks_game_session_t *session) {
  unsigned target = target_score(session);
  if (playing) match_free(&current);
  match_init(&current, target);
  playing = true;
  gh_error_t e;
  if (gamehost_sdk_sessions_activate_game_session(&e)) {
    char text[16];
    snprintf(text, sizeof text, "%u", target);
    GH_LOG(GH_INFO, "match started", GH_STRING("game-session", session->game_session_id),
           GH_TEXT("target-score", text));
  } else {
    failed("could not activate the game session", &e);
  }
  gamehost_sdk_types_game_session_free(session);
}

void exports_gamehost_sdk_callbacks_on_update_game_session(
    exports_gamehost_sdk_callbacks_update_game_session_t *update) {
  static const char *const reasons[] = {
      [GAMEHOST_SDK_TYPES_UPDATE_REASON_MATCHMAKING_DATA_UPDATED] = "matchmaking-data-updated",
      [GAMEHOST_SDK_TYPES_UPDATE_REASON_BACKFILL_FAILED] = "backfill-failed",
      [GAMEHOST_SDK_TYPES_UPDATE_REASON_BACKFILL_TIMED_OUT] = "backfill-timed-out",
      [GAMEHOST_SDK_TYPES_UPDATE_REASON_BACKFILL_CANCELLED] = "backfill-cancelled",
      [GAMEHOST_SDK_TYPES_UPDATE_REASON_UNKNOWN] = "unknown",
  };
  GH_LOG(GH_INFO, "game session updated", GH_TEXT("reason", reasons[update->update_reason]));
  gamehost_sdk_types_update_game_session_free(update);
}

void exports_gamehost_sdk_callbacks_on_process_terminate(int64_t termination_time) {
  char text[24];
  snprintf(text, sizeof text, "%lld", (long long)termination_time);
  GH_LOG(GH_INFO, "terminating", GH_TEXT("termination-time", text));
  gh_error_t e;
  if (playing) {
    match_free(&current);
    playing = false;
    // The game session may already have ended.
    ignore(gamehost_sdk_sessions_terminate_game_session(&e), &e);
  }
  if (!gamehost_sdk_process_process_ending(&e)) failed("process-ending failed", &e);
}

bool exports_gamehost_sdk_callbacks_on_health_check(void) {
  gh_error_t e;
  if (gamehost_sdk_lifecycle_health(&e)) return true;
  gh_error_free(&e);
  return false;
}

void exports_gamehost_sdk_callbacks_on_game_server_update(
    exports_gamehost_sdk_callbacks_game_server_t *game_server) {
  gamehost_sdk_types_game_server_free(game_server);
}

// The player id of a player session, to free, or NULL.
static char *player_id_of(gh_string_t *player_session_id) {
  gamehost_sdk_sessions_describe_player_sessions_request_t request = {
      .player_session_id = {.is_some = true, .val = *player_session_id},
  };
  gamehost_sdk_sessions_describe_player_sessions_result_t page;
  gh_error_t e;
  if (!gamehost_sdk_sessions_describe_player_sessions(&request, &page, &e)) {
    gh_error_free(&e);
    return NULL;
  }
  char *id = page.player_sessions.len > 0 ? gh_cstr(&page.player_sessions.ptr[0].player_id) : NULL;
  gamehost_sdk_sessions_describe_player_sessions_result_free(&page);
  return id;
}

bool exports_gamehost_sdk_callbacks_on_player_connect(gh_string_t *player_session_id,
                                                      gh_string_t *refusal) {
  gh_error_t e;
  if (!gamehost_sdk_sessions_accept_player_session(player_session_id, &e)) {
    // Returning false refuses the player; the refusal is the SDK's message,
    // which the bindings free after the call.
    *refusal = e.message;
    game_server_string_free(player_session_id);
    return false;
  }
  char *session = gh_cstr(player_session_id);
  char *player = player_id_of(player_session_id);
  if (player == NULL) player = gh_cstr(player_session_id);
  gh_string_t id = gh_str(player);
  if (!gamehost_sdk_lists_append_list_value(GH_STR("players"), &id, &e)) {
    worked_around("could not list the player", &e);
  }
  // Player tracking is informational here: the player session admits.
  bool added;
  ignore(gamehost_sdk_players_player_connect(&id, &added, &e), &e);
  if (playing) match_join(&current, session, player);
  GH_LOG(GH_INFO, "player joined", GH_TEXT("player", player));
  free(player);
  free(session);
  game_server_string_free(player_session_id);
  return true;
}

static void record_round(const char *scoreboard) {
  gh_error_t e;
  if (!gamehost_sdk_counters_increment_counter(GH_STR("rounds"), 1, &e)) {
    worked_around("could not count the round", &e);
  }
  // The standings are in the log line too.
  gh_string_t text = gh_str(scoreboard);
  ignore(gamehost_sdk_metadata_set_annotation(GH_STR("scoreboard"), &text, &e), &e);
  GH_LOG(GH_INFO, "round scored", GH_TEXT("scoreboard", scoreboard));
}

static void finish(const char *winner, const char *scoreboard) {
  record_round(scoreboard);
  gh_error_t e;
  // The winner is in the log line too.
  gh_string_t text = gh_str(winner);
  ignore(gamehost_sdk_metadata_set_annotation(GH_STR("winner"), &text, &e), &e);
  GH_LOG(GH_INFO, "match won", GH_TEXT("winner", winner));
  match_free(&current);
  playing = false;
  if (!gamehost_sdk_sessions_terminate_game_session(&e)) {
    failed("could not end the game session", &e);
  }
  if (!gamehost_sdk_lifecycle_ready(&e)) failed("could not become Ready again", &e);
}

void exports_gamehost_sdk_callbacks_on_player_message(gh_string_t *player_session_id,
                                                      game_server_list_u8_t *message) {
  shape_t shape = shape_parse(message->ptr, message->len);
  if (shape == SHAPE_NONE) {
    GH_LOG(GH_WARN, "ignoring a message that is not rock, paper or scissors",
           GH_STRING("player-session", *player_session_id));
  } else if (playing) {
    char *session = gh_cstr(player_session_id);
    outcome_t outcome = match_throw(&current, session, shape);
    if (outcome.kind == OUTCOME_ROUND) record_round(outcome.scoreboard);
    if (outcome.kind == OUTCOME_WON) finish(outcome.winner, outcome.scoreboard);
    outcome_free(&outcome);
    free(session);
  }
  game_server_list_u8_free(message);
  game_server_string_free(player_session_id);
}

void exports_gamehost_sdk_callbacks_on_player_disconnect(gh_string_t *player_session_id) {
  char *player = player_id_of(player_session_id);
  gh_error_t e;
  if (!gamehost_sdk_sessions_remove_player_session(player_session_id, &e)) {
    worked_around("could not remove the player session", &e);
  }
  if (player != NULL) {
    gh_string_t id = gh_str(player);
    bool removed;
    // Either fails only when the player was never listed.
    ignore(gamehost_sdk_lists_delete_list_value(GH_STR("players"), &id, &e), &e);
    ignore(gamehost_sdk_players_player_disconnect(&id, &removed, &e), &e);
    free(player);
  }
  if (playing) {
    char *session = gh_cstr(player_session_id);
    match_leave(&current, session);
    free(session);
  }
  game_server_string_free(player_session_id);
}
