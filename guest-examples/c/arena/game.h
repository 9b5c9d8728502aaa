// The rules of the match, free of any SDK call.

#ifndef ARENA_GAME_H
#define ARENA_GAME_H

#include <stddef.h>
#include <stdint.h>

typedef enum { SHAPE_NONE, SHAPE_ROCK, SHAPE_PAPER, SHAPE_SCISSORS } shape_t;

// The shape a message names, or SHAPE_NONE.
shape_t shape_parse(const uint8_t *message, size_t len);

typedef struct {
  char *session_id;
  char *id;
  unsigned score;
  shape_t thrown;
} player_t;

// A match to `target` points; its players sorted by player session id.
typedef struct {
  unsigned target;
  player_t *players;
  size_t count;
} match_t;

typedef enum { OUTCOME_NONE, OUTCOME_ROUND, OUTCOME_WON } outcome_kind_t;

// What a throw led to: nothing yet, a scored round, or a winner. The
// strings are the outcome's own (`outcome_free`).
typedef struct {
  outcome_kind_t kind;
  char *winner;
  char *scoreboard;
} outcome_t;

void match_init(match_t *m, unsigned target);
void match_free(match_t *m);

// A player joins under their player session id.
void match_join(match_t *m, const char *session_id, const char *player_id);

// A player leaves.
void match_leave(match_t *m, const char *session_id);

// A player throws; once everyone has, the round is scored.
outcome_t match_throw(match_t *m, const char *session_id, shape_t shape);

void outcome_free(outcome_t *o);

#endif
