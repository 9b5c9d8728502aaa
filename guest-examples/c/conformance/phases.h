// The checks, one function per callback the host drives.

#ifndef CONFORMANCE_PHASES_H
#define CONFORMANCE_PHASES_H

#include "gamehost.h"

void conformance_start(void);
void conformance_start_game_session(const gamehost_sdk_types_game_session_t *session);
void conformance_update_game_session(const gamehost_sdk_types_update_game_session_t *update);
void conformance_player_connect(gh_string_t *player_session_id);
void conformance_player_disconnect(gh_string_t *player_session_id);
void conformance_game_server_update(const gamehost_sdk_types_game_server_t *game_server);
bool conformance_health_check(void);
void conformance_process_terminate(int64_t termination_time);

#endif
