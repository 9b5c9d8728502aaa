// Unit tests of the rules, built for this machine:
// ./scripts/test compiles and runs them.

#include "game.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

static const uint8_t *bytes(const char *s) {
  return (const uint8_t *)s;
}

// Asserts an outcome and frees it.
static void expect(outcome_t o, outcome_kind_t kind, const char *winner, const char *scoreboard) {
  assert(o.kind == kind);
  assert(winner == NULL ? o.winner == NULL : strcmp(o.winner, winner) == 0);
  assert(scoreboard == NULL ? o.scoreboard == NULL : strcmp(o.scoreboard, scoreboard) == 0);
  outcome_free(&o);
}

static void rounds_score_the_winning_shape(void) {
  match_t m;
  match_init(&m, 2);
  match_join(&m, "s2", "bob");
  match_join(&m, "s1", "alice");
  expect(match_throw(&m, "s1", SHAPE_ROCK), OUTCOME_NONE, NULL, NULL);
  expect(match_throw(&m, "s2", SHAPE_SCISSORS), OUTCOME_ROUND, NULL, "alice=1,bob=0");
  expect(match_throw(&m, "s1", SHAPE_PAPER), OUTCOME_NONE, NULL, NULL);
  expect(match_throw(&m, "s2", SHAPE_PAPER), OUTCOME_ROUND, NULL, "alice=1,bob=0");
  expect(match_throw(&m, "s1", SHAPE_PAPER), OUTCOME_NONE, NULL, NULL);
  expect(match_throw(&m, "s2", SHAPE_ROCK), OUTCOME_WON, "alice", "alice=2,bob=0");
  match_free(&m);
}

static void three_shapes_are_a_draw_and_strangers_are_ignored(void) {
  match_t m;
  match_init(&m, 1);
  match_join(&m, "s1", "a");
  match_join(&m, "s2", "b");
  match_join(&m, "s3", "c");
  expect(match_throw(&m, "nobody", SHAPE_ROCK), OUTCOME_NONE, NULL, NULL);
  expect(match_throw(&m, "s1", SHAPE_ROCK), OUTCOME_NONE, NULL, NULL);
  expect(match_throw(&m, "s2", SHAPE_PAPER), OUTCOME_NONE, NULL, NULL);
  expect(match_throw(&m, "s3", SHAPE_SCISSORS), OUTCOME_ROUND, NULL, "a=0,b=0,c=0");
  match_leave(&m, "s2");
  assert(m.count == 2 && strcmp(m.players[1].id, "c") == 0);
  match_free(&m);
  assert(shape_parse(bytes(" rock\n"), 6) == SHAPE_ROCK);
  assert(shape_parse(bytes("lizard"), 6) == SHAPE_NONE);
  assert(shape_parse(bytes("rock\0"), 5) == SHAPE_NONE);
}

int main(void) {
  rounds_score_the_winning_shape();
  three_shapes_are_a_draw_and_strangers_are_ignored();
  puts("2 passed, 0 failed");
  return 0;
}
