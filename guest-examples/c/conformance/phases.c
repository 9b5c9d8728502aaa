// The checks, one function per callback the host drives.

#include "phases.h"

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY "conformance"
#define TICKET "conformance-ticket"

#define E (&sdk_error)
#define INVALID_ARGUMENT GAMEHOST_SDK_TYPES_ERROR_CODE_INVALID_ARGUMENT
#define NOT_FOUND GAMEHOST_SDK_TYPES_ERROR_CODE_NOT_FOUND
#define ALREADY_EXISTS GAMEHOST_SDK_TYPES_ERROR_CODE_ALREADY_EXISTS
#define OUT_OF_RANGE GAMEHOST_SDK_TYPES_ERROR_CODE_OUT_OF_RANGE
#define AT_CAPACITY GAMEHOST_SDK_TYPES_ERROR_CODE_AT_CAPACITY
#define FAILED_PRECONDITION GAMEHOST_SDK_TYPES_ERROR_CODE_FAILED_PRECONDITION
#define NOT_INITIALIZED GAMEHOST_SDK_TYPES_ERROR_CODE_NOT_INITIALIZED

typedef gamehost_sdk_types_game_server_t game_server_t;
typedef gamehost_sdk_sessions_describe_player_sessions_request_t describe_request_t;
typedef gamehost_sdk_sessions_describe_player_sessions_result_t describe_result_t;

static bool watched;

// The value of a key-value list's entry `key`, or NULL.
static const gh_string_t *lookup(const gamehost_sdk_types_list_key_value_t *list, const char *key) {
  for (size_t i = 0; i < list->len; i++) {
    if (gh_str_eq(&list->ptr[i].key, key)) return &list->ptr[i].value;
  }
  return NULL;
}

// An SDK string for printing with "%.*s", or "(none)".
#define SHOW(s) (s) == NULL ? 6 : (int)(s)->len, (s) == NULL ? "(none)" : (const char *)(s)->ptr

static gamehost_sdk_types_game_server_state_t state(void) {
  game_server_t gs;
  gamehost_sdk_configuration_get_game_server(&gs);
  gamehost_sdk_types_game_server_state_t s = gs.status.state;
  gamehost_sdk_types_game_server_free(&gs);
  return s;
}

static game_server_option_string_t some(const char *text) {
  return (game_server_option_string_t){.is_some = true, .val = gh_str(text)};
}

static void shutdown_flow(void) {
  ok("ready", gamehost_sdk_lifecycle_ready(E));
  ok("shutdown", gamehost_sdk_lifecycle_shutdown(E));
  gamehost_sdk_types_game_server_state_t s = state();
  check("shutdown makes it Shutdown", s == GAMEHOST_SDK_TYPES_GAME_SERVER_STATE_SHUTDOWN,
        "state %d", s);
  fails("ready after shutdown", gamehost_sdk_lifecycle_ready(E), FAILED_PRECONDITION);
  fails("shutdown twice", gamehost_sdk_lifecycle_shutdown(E), FAILED_PRECONDITION);
  phase("shutdown");
}

static void metadata_checks(const game_server_t *gs) {
  char stamp[24];
  snprintf(stamp, sizeof stamp, "%lld", (long long)gs->object_meta.creation_timestamp);
  gh_string_t stamp_text = gh_str(stamp);
  ok("set-label", gamehost_sdk_metadata_set_label(GH_STR("creation-timestamp"), &stamp_text, E));
  fails("set-label with an invalid key",
        gamehost_sdk_metadata_set_label(GH_STR("not a key"), GH_STR("v"), E), INVALID_ARGUMENT);
  fails("set-label with an invalid value",
        gamehost_sdk_metadata_set_label(GH_STR("k"), GH_STR("not a value"), E), INVALID_ARGUMENT);
  char long_key[61];
  memset(long_key, 'k', 60);
  long_key[60] = '\0';
  gh_string_t long_key_text = gh_str(long_key);
  fails("set-label with a key too long for the prefix",
        gamehost_sdk_metadata_set_label(&long_key_text, GH_STR("v"), E), INVALID_ARGUMENT);
  ok("set-annotation",
     gamehost_sdk_metadata_set_annotation(GH_STR("note"), GH_STR("any text, with spaces"), E));
  fails("set-annotation with an empty key",
        gamehost_sdk_metadata_set_annotation(GH_STR(""), GH_STR("v"), E), INVALID_ARGUMENT);
  game_server_t after;
  gamehost_sdk_configuration_get_game_server(&after);
  const gh_string_t *stored =
      lookup(&after.object_meta.labels, "agones.dev/sdk-creation-timestamp");
  check("labels are stored under agones.dev/sdk-", stored != NULL && gh_str_eq(stored, stamp),
        "%.*s", SHOW(stored));
  const gh_string_t *note = lookup(&after.object_meta.annotations, "agones.dev/sdk-note");
  check("annotations are stored under agones.dev/sdk-",
        note != NULL && gh_str_eq(note, "any text, with spaces"), "%.*s", SHOW(note));
  gamehost_sdk_types_game_server_free(&after);
}

// Checks that a call returned the counter `name` with `count` and
// `capacity`.
static void equals_counter(const char *name, bool succeeded, gamehost_sdk_types_counter_t *got,
                           int64_t count, int64_t capacity) {
  if (!succeeded) {
    check_error(name, "a counter");
    return;
  }
  check(name, gh_str_eq(&got->name, KEY) && got->count == count && got->capacity == capacity,
        "got %.*s count %lld capacity %lld, expected count %lld capacity %lld", SHOW(&got->name),
        (long long)got->count, (long long)got->capacity, (long long)count, (long long)capacity);
  gamehost_sdk_types_counter_free(got);
}

static void counter_checks(void) {
  int64_t n;
  equals_i64("get-counter-count", gamehost_sdk_counters_get_counter_count(GH_STR(KEY), &n, E), &n,
             0);
  fails("an undeclared counter",
        gamehost_sdk_counters_get_counter_count(GH_STR("undeclared"), &n, E), NOT_FOUND);
  fails("increment an undeclared counter",
        gamehost_sdk_counters_increment_counter(GH_STR("undeclared"), 1, E), NOT_FOUND);
  ok("set-counter-count", gamehost_sdk_counters_set_counter_count(GH_STR(KEY), 5, E));
  equals_i64("the count was set", gamehost_sdk_counters_get_counter_count(GH_STR(KEY), &n, E), &n,
             5);
  fails("set-counter-count above capacity",
        gamehost_sdk_counters_set_counter_count(GH_STR(KEY), 11, E), OUT_OF_RANGE);
  fails("set-counter-count below zero", gamehost_sdk_counters_set_counter_count(GH_STR(KEY), -1, E),
        OUT_OF_RANGE);
  ok("increment-counter", gamehost_sdk_counters_increment_counter(GH_STR(KEY), 2, E));
  fails("increment-counter past capacity",
        gamehost_sdk_counters_increment_counter(GH_STR(KEY), 4, E), OUT_OF_RANGE);
  ok("increment-counter to capacity", gamehost_sdk_counters_increment_counter(GH_STR(KEY), 3, E));
  fails("increment-counter at capacity", gamehost_sdk_counters_increment_counter(GH_STR(KEY), 1, E),
        OUT_OF_RANGE);
  fails("increment-counter by a negative amount",
        gamehost_sdk_counters_increment_counter(GH_STR(KEY), -1, E), INVALID_ARGUMENT);
  ok("decrement-counter", gamehost_sdk_counters_decrement_counter(GH_STR(KEY), 10, E));
  fails("decrement-counter at zero", gamehost_sdk_counters_decrement_counter(GH_STR(KEY), 1, E),
        OUT_OF_RANGE);
  equals_i64("get-counter-capacity",
             gamehost_sdk_counters_get_counter_capacity(GH_STR(KEY), &n, E), &n, 10);
  ok("set-counter-capacity", gamehost_sdk_counters_set_counter_capacity(GH_STR(KEY), 20, E));
  equals_i64("the capacity was set",
             gamehost_sdk_counters_get_counter_capacity(GH_STR(KEY), &n, E), &n, 20);
  fails("set-counter-capacity below zero",
        gamehost_sdk_counters_set_counter_capacity(GH_STR(KEY), -1, E), OUT_OF_RANGE);
  gamehost_sdk_types_counter_t counter;
  equals_counter("get-counter", gamehost_sdk_counters_get_counter(GH_STR(KEY), &counter, E),
                 &counter, 0, 20);
  gamehost_sdk_counters_counter_update_t update = {
      .capacity = {true, 10}, .count = {true, 4}, .count_diff = 1};
  equals_counter("update-counter",
                 gamehost_sdk_counters_update_counter(GH_STR(KEY), &update, &counter, E), &counter,
                 5, 10);
  gamehost_sdk_counters_counter_update_t too_far = {.count_diff = 6};
  fails("update-counter out of range",
        gamehost_sdk_counters_update_counter(GH_STR(KEY), &too_far, &counter, E), OUT_OF_RANGE);
  equals_i64("a failed update changes nothing",
             gamehost_sdk_counters_get_counter_count(GH_STR(KEY), &n, E), &n, 5);
}

// Whether a list of strings holds exactly `expected` (`count` values).
static bool strings_are(const game_server_list_string_t *list, const char *const *expected,
                        size_t count) {
  if (list->len != count) return false;
  for (size_t i = 0; i < count; i++) {
    if (!gh_str_eq(&list->ptr[i], expected[i])) return false;
  }
  return true;
}

// Checks that a call returned the list `KEY` with `capacity` and `values`.
static void equals_list(const char *name, bool succeeded, gamehost_sdk_types_string_list_t *got,
                        int64_t capacity, const char *const *values, size_t count) {
  if (!succeeded) {
    check_error(name, "a list");
    return;
  }
  check(name,
        gh_str_eq(&got->name, KEY) && got->capacity == capacity &&
            strings_are(&got->values, values, count),
        "got capacity %lld with %zu values, expected capacity %lld with %zu",
        (long long)got->capacity, got->values.len, (long long)capacity, count);
  gamehost_sdk_types_string_list_free(got);
}

static void list_checks(void) {
  uint32_t length;
  equals_u32("get-list-length", gamehost_sdk_lists_get_list_length(GH_STR(KEY), &length, E),
             &length, 0);
  ok("append-list-value", gamehost_sdk_lists_append_list_value(GH_STR(KEY), GH_STR("a"), E));
  ok("append-list-value again", gamehost_sdk_lists_append_list_value(GH_STR(KEY), GH_STR("b"), E));
  fails("append-list-value duplicate",
        gamehost_sdk_lists_append_list_value(GH_STR(KEY), GH_STR("a"), E), ALREADY_EXISTS);
  ok("append-list-value to capacity",
     gamehost_sdk_lists_append_list_value(GH_STR(KEY), GH_STR("c"), E));
  fails("append-list-value at capacity",
        gamehost_sdk_lists_append_list_value(GH_STR(KEY), GH_STR("d"), E), AT_CAPACITY);
  char oversized[1026];
  memset(oversized, 'v', 1025);
  oversized[1025] = '\0';
  gh_string_t oversized_text = gh_str(oversized);
  fails("append-list-value oversized",
        gamehost_sdk_lists_append_list_value(GH_STR(KEY), &oversized_text, E), INVALID_ARGUMENT);
  bool contains;
  equals_bool("list-contains",
              gamehost_sdk_lists_list_contains(GH_STR(KEY), GH_STR("b"), &contains, E), &contains,
              true);
  equals_bool("list-contains a missing value",
              gamehost_sdk_lists_list_contains(GH_STR(KEY), GH_STR("z"), &contains, E), &contains,
              false);
  game_server_list_string_t values;
  if (gamehost_sdk_lists_get_list_values(GH_STR(KEY), &values, E)) {
    static const char *const abc[] = {"a", "b", "c"};
    check("get-list-values", strings_are(&values, abc, 3), "%zu values", values.len);
    game_server_list_string_free(&values);
  } else {
    check_error("get-list-values", "a, b, c");
  }
  ok("delete-list-value", gamehost_sdk_lists_delete_list_value(GH_STR(KEY), GH_STR("b"), E));
  fails("delete-list-value missing",
        gamehost_sdk_lists_delete_list_value(GH_STR(KEY), GH_STR("b"), E), NOT_FOUND);
  int64_t capacity;
  equals_i64("get-list-capacity", gamehost_sdk_lists_get_list_capacity(GH_STR(KEY), &capacity, E),
             &capacity, 3);
  ok("set-list-capacity truncates", gamehost_sdk_lists_set_list_capacity(GH_STR(KEY), 1, E));
  fails("set-list-capacity above 1000", gamehost_sdk_lists_set_list_capacity(GH_STR(KEY), 1001, E),
        OUT_OF_RANGE);
  fails("set-list-capacity below zero", gamehost_sdk_lists_set_list_capacity(GH_STR(KEY), -1, E),
        OUT_OF_RANGE);
  gamehost_sdk_types_string_list_t list;
  static const char *const a[] = {"a"};
  equals_list("get-list", gamehost_sdk_lists_get_list(GH_STR(KEY), &list, E), &list, 1, a, 1);
  gh_string_t xy[] = {gh_str("x"), gh_str("y")};
  gamehost_sdk_lists_list_update_t update = {.capacity = {true, 5}, .values = {true, {xy, 2}}};
  static const char *const x_y[] = {"x", "y"};
  equals_list("update-list", gamehost_sdk_lists_update_list(GH_STR(KEY), &update, &list, E), &list,
              5, x_y, 2);
  gh_string_t xx[] = {gh_str("x"), gh_str("x")};
  gamehost_sdk_lists_list_update_t duplicates = {.values = {true, {xx, 2}}};
  fails("update-list with duplicates",
        gamehost_sdk_lists_update_list(GH_STR(KEY), &duplicates, &list, E), INVALID_ARGUMENT);
  fails("an undeclared list", gamehost_sdk_lists_get_list(GH_STR("undeclared"), &list, E),
        NOT_FOUND);
  fails("append to an undeclared list",
        gamehost_sdk_lists_append_list_value(GH_STR("undeclared"), GH_STR("v"), E), NOT_FOUND);
}

// The gateway before any player has connected over it.
static void gateway_checks(void) {
  game_server_list_string_t connected;
  gamehost_sdk_gateway_connected(&connected);
  check("gateway connected, before any player", connected.len == 0, "%zu players", connected.len);
  game_server_list_string_free(&connected);
  game_server_list_u8_t hello = {(uint8_t *)"hello", 5};
  uint32_t sent;
  equals_u32("gateway broadcast to no player", gamehost_sdk_gateway_broadcast(&hello, &sent, E),
             &sent, 0);
  game_server_string_t none = {(uint8_t *)"psess-none", 10};
  game_server_list_string_t ids = {&none, 1};
  equals_u32("gateway send-many to players not connected",
             gamehost_sdk_gateway_send_many(&ids, &hello, &sent, E), &sent, 0);
  fails("gateway send to a player not connected",
        gamehost_sdk_gateway_send(GH_STR("psess-none"), &hello, E), NOT_FOUND);
  fails("gateway disconnect of a player not connected",
        gamehost_sdk_gateway_disconnect(GH_STR("psess-none"), GH_STR("bye"), E), NOT_FOUND);
}

static void player_checks(void) {
  int64_t capacity = gamehost_sdk_players_get_player_capacity();
  check("get-player-capacity", capacity == 2, "%lld", (long long)capacity);
  bool changed;
  equals_bool("player-connect", gamehost_sdk_players_player_connect(GH_STR("p1"), &changed, E),
              &changed, true);
  equals_bool("player-connect twice",
              gamehost_sdk_players_player_connect(GH_STR("p1"), &changed, E), &changed, false);
  equals_bool("player-connect another",
              gamehost_sdk_players_player_connect(GH_STR("p2"), &changed, E), &changed, true);
  fails("player-connect at capacity", gamehost_sdk_players_player_connect(GH_STR("p3"), &changed, E),
        AT_CAPACITY);
  fails("player-connect with an empty id",
        gamehost_sdk_players_player_connect(GH_STR(""), &changed, E), INVALID_ARGUMENT);
  int64_t count = gamehost_sdk_players_get_player_count();
  check("get-player-count", count == 2, "%lld", (long long)count);
  check("is-player-connected", gamehost_sdk_players_is_player_connected(GH_STR("p1")), "p1");
  check("is-player-connected for a stranger",
        !gamehost_sdk_players_is_player_connected(GH_STR("p3")), "p3");
  game_server_list_string_t connected;
  gamehost_sdk_players_get_connected_players(&connected);
  static const char *const p1_p2[] = {"p1", "p2"};
  check("get-connected-players", strings_are(&connected, p1_p2, 2), "%zu players", connected.len);
  game_server_list_string_free(&connected);
  equals_bool("player-disconnect",
              gamehost_sdk_players_player_disconnect(GH_STR("p1"), &changed, E), &changed, true);
  equals_bool("player-disconnect twice",
              gamehost_sdk_players_player_disconnect(GH_STR("p1"), &changed, E), &changed, false);
  ok("set-player-capacity", gamehost_sdk_players_set_player_capacity(5, E));
  capacity = gamehost_sdk_players_get_player_capacity();
  check("the player capacity was set", capacity == 5, "%lld", (long long)capacity);
  fails("set-player-capacity below zero", gamehost_sdk_players_set_player_capacity(-1, E),
        OUT_OF_RANGE);
}

static void lifecycle_checks(void) {
  ok("health", gamehost_sdk_lifecycle_health(E));
  ok("reserve until changed", gamehost_sdk_lifecycle_reserve(0, E));
  game_server_t gs;
  gamehost_sdk_configuration_get_game_server(&gs);
  check("reserve makes it Reserved", gs.status.state == GAMEHOST_SDK_TYPES_GAME_SERVER_STATE_RESERVED,
        "state %d", gs.status.state);
  check("reserve(0) has no end", !gs.status.reserved_until.is_some, "%lld",
        (long long)gs.status.reserved_until.val);
  gamehost_sdk_types_game_server_free(&gs);
  ok("reserve for an hour", gamehost_sdk_lifecycle_reserve(3600, E));
  gamehost_sdk_configuration_get_game_server(&gs);
  check("reserve(3600) ends in an hour", gs.status.reserved_until.is_some, "%lld",
        (long long)gs.status.reserved_until.val);
  gamehost_sdk_types_game_server_free(&gs);
  ok("allocate", gamehost_sdk_lifecycle_allocate(E));
  gamehost_sdk_configuration_get_game_server(&gs);
  check("allocate makes it Allocated",
        gs.status.state == GAMEHOST_SDK_TYPES_GAME_SERVER_STATE_ALLOCATED, "state %d",
        gs.status.state);
  const gh_string_t *stamp = lookup(&gs.object_meta.annotations, "agones.dev/last-allocated");
  check("allocate stamps agones.dev/last-allocated",
        stamp != NULL && stamp->len > 0 && stamp->ptr[stamp->len - 1] == 'Z', "%.*s",
        SHOW(stamp));
  gamehost_sdk_types_game_server_free(&gs);
  ok("ready from Allocated", gamehost_sdk_lifecycle_ready(E));
  gamehost_sdk_types_game_server_state_t s = state();
  check("ready reads RequestReady within the call",
        s == GAMEHOST_SDK_TYPES_GAME_SERVER_STATE_REQUEST_READY, "state %d", s);
}

static void process_checks(void) {
  int64_t time;
  fails("get-termination-time before a termination",
        gamehost_sdk_process_get_termination_time(&time, E), FAILED_PRECONDITION);
  gamehost_sdk_process_process_parameters_t ready = {.port = 0};
  ok("process-ready", gamehost_sdk_process_process_ready(&ready, E));
  fails("process-ready twice", gamehost_sdk_process_process_ready(&ready, E), FAILED_PRECONDITION);
  gamehost_sdk_process_compute_certificate_t cert;
  if (ok("get-compute-certificate", gamehost_sdk_process_get_compute_certificate(&cert, E))) {
    check("the certificate names the host", cert.host_name.len > 0, "%.*s", SHOW(&cert.host_name));
    check("the certificate path is empty in a sandbox", cert.certificate_path.len == 0, "%.*s",
          SHOW(&cert.certificate_path));
    gamehost_sdk_process_compute_certificate_free(&cert);
  }
  gamehost_sdk_process_fleet_role_credentials_t creds;
  gamehost_sdk_process_fleet_role_credentials_request_t unknown = {.role_arn = gh_str("arn:unknown")};
  fails("get-fleet-role-credentials for an unknown role",
        gamehost_sdk_process_get_fleet_role_credentials(&unknown, &creds, E), NOT_FOUND);
  gamehost_sdk_process_fleet_role_credentials_request_t known = {
      .role_arn = gh_str("arn:conformance"), .role_session_name = some("s")};
  if (ok("get-fleet-role-credentials",
         gamehost_sdk_process_get_fleet_role_credentials(&known, &creds, E))) {
    check("the credentials are the fleet's", gh_str_eq(&creds.access_key_id, "AKIACONFORMANCE"),
          "%.*s", SHOW(&creds.access_key_id));
    gamehost_sdk_process_fleet_role_credentials_free(&creds);
  }
  gh_string_t id;
  equals_str("get-game-session-id when idle", gamehost_sdk_sessions_get_game_session_id(&id, E),
             &id, "");
  ok("destroy", gamehost_sdk_process_destroy(E));
  fails("a GameLift call after destroy", gamehost_sdk_sessions_get_game_session_id(&id, E),
        NOT_INITIALIZED);
  fails("destroy twice", gamehost_sdk_process_destroy(E), NOT_INITIALIZED);
  gamehost_sdk_process_server_parameters_t params;
  if (ok("init-sdk again", gamehost_sdk_process_init_sdk(&params, E))) {
    gamehost_sdk_process_server_parameters_free(&params);
  }
}

static gamehost_sdk_sessions_matchmaking_player_t backfill_player(void) {
  static game_server_tuple2_string_string_t attributes[1];
  static game_server_tuple2_string_u32_t latencies[1];
  attributes[0] = (game_server_tuple2_string_string_t){gh_str("skill"), gh_str("10")};
  latencies[0] = (game_server_tuple2_string_u32_t){gh_str("eu"), 20};
  return (gamehost_sdk_sessions_matchmaking_player_t){
      .player_id = gh_str("p1"),
      .team = some("red"),
      .player_attributes = {attributes, 1},
      .latency_in_ms = {latencies, 1},
  };
}

// Starts a backfill for `game_session` with `ticket` (NULL for none); the
// ticket id is written to `ticket_out`.
static bool start_backfill(const char *ticket, const char *game_session, gh_string_t *ticket_out) {
  gamehost_sdk_sessions_matchmaking_player_t player = backfill_player();
  gamehost_sdk_sessions_start_match_backfill_request_t request = {
      .ticket_id = ticket == NULL ? (game_server_option_string_t){0} : some(ticket),
      .matchmaking_configuration_arn = gh_str("arn:matchmaker"),
      .game_session_arn = gh_str(game_session),
      .players = {&player, 1},
  };
  return gamehost_sdk_sessions_start_match_backfill(&request, ticket_out, E);
}

// Starts a backfill and drops the ticket id it returns.
static bool start_backfill_ignoring_ticket(const char *ticket, const char *game_session) {
  gh_string_t id;
  bool succeeded = start_backfill(ticket, game_session, &id);
  if (succeeded) game_server_string_free(&id);
  return succeeded;
}

static bool stop_backfill(const char *ticket, const char *game_session) {
  gamehost_sdk_sessions_stop_match_backfill_request_t request = {
      .ticket_id = gh_str(ticket),
      .matchmaking_configuration_arn = gh_str("arn:matchmaker"),
      .game_session_arn = gh_str(game_session),
  };
  return gamehost_sdk_sessions_stop_match_backfill(&request, E);
}

static bool describe(describe_request_t *request, describe_result_t *page) {
  return gamehost_sdk_sessions_describe_player_sessions(request, page, E);
}

static describe_request_t by_game_session(const char *id) {
  return (describe_request_t){.game_session_id = some(id)};
}

static void idle_session_checks(void) {
  fails("activate-game-session without one", gamehost_sdk_sessions_activate_game_session(E),
        FAILED_PRECONDITION);
  fails("terminate-game-session without one", gamehost_sdk_sessions_terminate_game_session(E),
        FAILED_PRECONDITION);
  fails("creation policy without a game session",
        gamehost_sdk_sessions_update_player_session_creation_policy(
            GAMEHOST_SDK_TYPES_PLAYER_SESSION_CREATION_POLICY_ACCEPT_ALL, E),
        FAILED_PRECONDITION);
  fails("accept-player-session without a game session",
        gamehost_sdk_sessions_accept_player_session(GH_STR("ps"), E), FAILED_PRECONDITION);
  fails("start-match-backfill without a game session",
        start_backfill_ignoring_ticket(TICKET, "none"), FAILED_PRECONDITION);
  fails("stop-match-backfill without a game session", stop_backfill(TICKET, "none"),
        FAILED_PRECONDITION);
  describe_result_t page;
  describe_request_t nobody = {0};
  fails("describe-player-sessions without a selector", describe(&nobody, &page), INVALID_ARGUMENT);
  nobody.player_id = some("nobody");
  bool found = ok("describe-player-sessions of an unknown player", describe(&nobody, &page));
  check("an unknown player has no player sessions", found && page.player_sessions.len == 0, "%zu",
        found ? page.player_sessions.len : 0);
  if (found) gamehost_sdk_sessions_describe_player_sessions_result_free(&page);
}

void conformance_start(void) {
  game_server_t gs;
  gamehost_sdk_configuration_get_game_server(&gs);
  const gh_string_t *ending = lookup(&gs.object_meta.labels, "conformance-ending");
  if (ending != NULL && gh_str_eq(ending, "shutdown")) {
    gamehost_sdk_types_game_server_free(&gs);
    shutdown_flow();
    return;
  }
  gh_string_t version;
  gamehost_sdk_process_get_sdk_version(&version);
  check("get-sdk-version is 0.1.0", gh_str_eq(&version, "0.1.0"), "%.*s", SHOW(&version));
  game_server_string_free(&version);
  gh_string_t id;
  fails("a GameLift call before init-sdk", gamehost_sdk_sessions_get_game_session_id(&id, E),
        NOT_INITIALIZED);
  gamehost_sdk_process_server_parameters_t params;
  if (ok("init-sdk", gamehost_sdk_process_init_sdk(&params, E))) {
    check("init-sdk names this game server",
          params.process_id.len == gs.object_meta.name.len &&
              memcmp(params.process_id.ptr, gs.object_meta.name.ptr, params.process_id.len) == 0,
          "%.*s", SHOW(&params.process_id));
    gamehost_sdk_process_server_parameters_free(&params);
  }
  check("a new game server is Scheduled",
        gs.status.state == GAMEHOST_SDK_TYPES_GAME_SERVER_STATE_SCHEDULED, "state %d",
        gs.status.state);
  check("game server has a uid", gs.object_meta.uid.len > 0, "%.*s", SHOW(&gs.object_meta.uid));
  gamehost_sdk_configuration_watch_game_server();
  metadata_checks(&gs);
  gamehost_sdk_types_game_server_free(&gs);
  counter_checks();
  list_checks();
  player_checks();
  gateway_checks();
  lifecycle_checks();
  process_checks();
  idle_session_checks();
  GH_LOG(GAMEHOST_SDK_LOGGING_LEVEL_DEBUG, "conformance structured log", GH_TEXT("a", "1"),
         GH_TEXT("b", "two"));
  phase("start");
}

void conformance_start_game_session(const gamehost_sdk_types_game_session_t *session) {
  char *id = gh_cstr(&session->game_session_id);
  check("the game session is ACTIVATING",
        session->status == GAMEHOST_SDK_TYPES_GAME_SESSION_STATUS_ACTIVATING, "status %d",
        session->status);
  check("maximum players as created", session->maximum_player_session_count == 3, "%u",
        (unsigned)session->maximum_player_session_count);
  const gh_string_t *mode = lookup(&session->game_properties, "mode");
  check("game properties as created", mode != NULL && gh_str_eq(mode, "conformance"), "%.*s",
        SHOW(mode));
  check("game session data as created", gh_str_eq(&session->game_session_data, "data"), "%.*s",
        SHOW(&session->game_session_data));
  gh_string_t current;
  equals_str("get-game-session-id", gamehost_sdk_sessions_get_game_session_id(&current, E),
             &current, id);
  gamehost_sdk_types_game_server_state_t s = state();
  check("a game session allocates the game server",
        s == GAMEHOST_SDK_TYPES_GAME_SERVER_STATE_ALLOCATED, "state %d", s);
  fails("accept-player-session of an unknown id",
        gamehost_sdk_sessions_accept_player_session(GH_STR("ps-unknown"), E), NOT_FOUND);
  ok("activate-game-session", gamehost_sdk_sessions_activate_game_session(E));
  fails("activate-game-session twice", gamehost_sdk_sessions_activate_game_session(E),
        FAILED_PRECONDITION);
  ok("deny new players", gamehost_sdk_sessions_update_player_session_creation_policy(
                             GAMEHOST_SDK_TYPES_PLAYER_SESSION_CREATION_POLICY_DENY_ALL, E));
  ok("accept new players", gamehost_sdk_sessions_update_player_session_creation_policy(
                               GAMEHOST_SDK_TYPES_PLAYER_SESSION_CREATION_POLICY_ACCEPT_ALL, E));
  describe_result_t page;
  describe_request_t request = by_game_session(id);
  bool found = ok("describe-player-sessions of the game session", describe(&request, &page));
  check("no player sessions yet", found && page.player_sessions.len == 0, "%zu",
        found ? page.player_sessions.len : 0);
  if (found) gamehost_sdk_sessions_describe_player_sessions_result_free(&page);
  describe_request_t other = by_game_session("other");
  fails("describe another game session", describe(&other, &page), NOT_FOUND);
  request.limit = (game_server_option_u32_t){true, 0};
  fails("describe with limit 0", describe(&request, &page), OUT_OF_RANGE);
  gh_string_t ticket;
  equals_str("start-match-backfill", start_backfill(TICKET, id, &ticket), &ticket, TICKET);
  fails("a second backfill", start_backfill_ignoring_ticket("t2", id), FAILED_PRECONDITION);
  fails("stop-match-backfill of another ticket", stop_backfill("t2", id), NOT_FOUND);
  ok("stop-match-backfill", stop_backfill(TICKET, id));
  fails("backfill for another game session", start_backfill_ignoring_ticket(NULL, "other"),
        NOT_FOUND);
  if (ok("start-match-backfill without a ticket id", start_backfill(NULL, id, &ticket))) {
    check("the host made a ticket id", ticket.len > 0, "%.*s", SHOW(&ticket));
    char *generated = gh_cstr(&ticket);
    ok("stop the generated ticket", stop_backfill(generated, id));
    free(generated);
    game_server_string_free(&ticket);
  }
  ok("start-match-backfill left running", start_backfill_ignoring_ticket(TICKET, id));
  free(id);
  phase("start-game-session");
}

// How many player sessions `request` finds, or -1 when the call fails.
static long count_of(describe_request_t *request) {
  describe_result_t page;
  if (!describe(request, &page)) {
    gh_error_free(&sdk_error);
    return -1;
  }
  long count = (long)page.player_sessions.len;
  gamehost_sdk_sessions_describe_player_sessions_result_free(&page);
  return count;
}

void conformance_player_connect(gh_string_t *player_session_id) {
  ok("accept-player-session", gamehost_sdk_sessions_accept_player_session(player_session_id, E));
  fails("accept-player-session twice",
        gamehost_sdk_sessions_accept_player_session(player_session_id, E), FAILED_PRECONDITION);
  gh_string_t game_session = {0};
  if (!gamehost_sdk_sessions_get_game_session_id(&game_session, E)) {
    // Checked elsewhere; the describe calls below then fail their checks.
    gh_error_free(&sdk_error);
  }
  describe_result_t mine;
  describe_request_t one = {.player_session_id = {true, *player_session_id}};
  bool described = ok("describe one player session", describe(&one, &mine));
  const gamehost_sdk_types_player_session_t *first =
      described && mine.player_sessions.len > 0 ? &mine.player_sessions.ptr[0] : NULL;
  check("the accepted player session is ACTIVE",
        first != NULL && first->status == GAMEHOST_SDK_TYPES_PLAYER_SESSION_STATUS_ACTIVE,
        "status %d", first != NULL ? first->status : -1);
  size_t seen = 0;
  game_server_option_string_t token = {0};
  for (int i = 0; i < 4; i++) {
    describe_request_t request = {.game_session_id = {true, game_session},
                                  .limit = {true, 1},
                                  .next_token = token};
    describe_result_t page;
    bool described = ok("describe a page", describe(&request, &page));
    game_server_option_string_free(&token);
    if (!described) break;
    check("a page holds at most the limit", page.player_sessions.len <= 1, "%zu",
          page.player_sessions.len);
    seen += page.player_sessions.len;
    token = page.next_token;
    page.next_token = (game_server_option_string_t){0};
    gamehost_sdk_sessions_describe_player_sessions_result_free(&page);
    if (!token.is_some) break;
  }
  game_server_option_string_free(&token);
  check("paging visits all three player sessions once", seen == 3, "%zu", seen);
  describe_request_t reserved = {
      .game_session_id = {true, game_session},
      .player_session_status_filter = {true, GAMEHOST_SDK_TYPES_PLAYER_SESSION_STATUS_RESERVED}};
  long count = count_of(&reserved);
  check("the status filter finds the two RESERVED", count == 2, "%ld", count);
  if (first != NULL) {
    describe_request_t by_player = {.player_id = {true, first->player_id}};
    count = count_of(&by_player);
    check("describe by player id", count == 1, "%ld", count);
  }
  if (described) gamehost_sdk_sessions_describe_player_sessions_result_free(&mine);
  describe_request_t forged = {.game_session_id = {true, game_session}, .next_token = some("x")};
  describe_result_t page;
  fails("describe with a forged token", describe(&forged, &page), INVALID_ARGUMENT);
  game_server_string_free(&game_session);
  phase("player-connect");
}

void conformance_update_game_session(const gamehost_sdk_types_update_game_session_t *update) {
  check("the update reason",
        update->update_reason == GAMEHOST_SDK_TYPES_UPDATE_REASON_MATCHMAKING_DATA_UPDATED,
        "reason %d", update->update_reason);
  const game_server_option_string_t *ticket = &update->backfill_ticket_id;
  check("the update answers the backfill", ticket->is_some && gh_str_eq(&ticket->val, TICKET),
        "%.*s", SHOW(ticket->is_some ? &ticket->val : NULL));
  char *data = gh_cstr(&update->game_session.matchmaker_data);
  check("the update carries matchmaker data", strstr(data, "conformance") != NULL, "%s", data);
  free(data);
  char *id = gh_cstr(&update->game_session.game_session_id);
  ok("the answered backfill has ended", start_backfill_ignoring_ticket("second", id));
  ok("stop-match-backfill", stop_backfill("second", id));
  free(id);
  phase("update-game-session");
}

void conformance_player_disconnect(gh_string_t *player_session_id) {
  ok("remove-player-session", gamehost_sdk_sessions_remove_player_session(player_session_id, E));
  fails("remove-player-session twice",
        gamehost_sdk_sessions_remove_player_session(player_session_id, E), FAILED_PRECONDITION);
  fails("remove-player-session of an unknown id",
        gamehost_sdk_sessions_remove_player_session(GH_STR("ps-unknown"), E), NOT_FOUND);
  phase("player-disconnect");
}

void conformance_game_server_update(const gamehost_sdk_types_game_server_t *gs) {
  if (watched) return;
  watched = true;
  check("watch delivers the game server", gs->object_meta.name.len > 0, "%.*s",
        SHOW(&gs->object_meta.name));
  gh_string_t uid = gs->object_meta.uid;
  ok("set-annotation from the watch",
     gamehost_sdk_metadata_set_annotation(GH_STR("uid"), &uid, E));
  phase("watch");
}

bool conformance_health_check(void) {
  if (gamehost_sdk_lifecycle_health(E)) return true;
  gh_error_free(&sdk_error);
  return false;
}

void conformance_process_terminate(int64_t termination_time) {
  int64_t told;
  equals_i64("get-termination-time", gamehost_sdk_process_get_termination_time(&told, E), &told,
             termination_time);
  ok("terminate-game-session", gamehost_sdk_sessions_terminate_game_session(E));
  gh_string_t id;
  equals_str("no game session after terminating it",
             gamehost_sdk_sessions_get_game_session_id(&id, E), &id, "");
  ok("process-ending", gamehost_sdk_process_process_ending(E));
  gamehost_sdk_types_game_server_state_t s = state();
  check("process-ending makes it Shutdown", s == GAMEHOST_SDK_TYPES_GAME_SERVER_STATE_SHUTDOWN,
        "state %d", s);
  fails("process-ending twice", gamehost_sdk_process_process_ending(E), FAILED_PRECONDITION);
  fails("ready after process-ending", gamehost_sdk_lifecycle_ready(E), FAILED_PRECONDITION);
  phase("process-terminate");
}
