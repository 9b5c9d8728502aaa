#include "game.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *checked(void *p) {
  if (p == NULL) abort();
  return p;
}

static char *copy(const char *s) {
  return strcpy(checked(malloc(strlen(s) + 1)), s);
}

// ASCII whitespace, as Rust's `u8::is_ascii_whitespace` counts it.
static bool is_space(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

shape_t shape_parse(const uint8_t *message, size_t len) {
  static const char *const names[] = {[SHAPE_ROCK] = "rock", [SHAPE_PAPER] = "paper",
                                      [SHAPE_SCISSORS] = "scissors"};
  while (len > 0 && is_space(message[0])) {
    message++;
    len--;
  }
  while (len > 0 && is_space(message[len - 1])) len--;
  for (shape_t s = SHAPE_ROCK; s <= SHAPE_SCISSORS; s++) {
    if (strlen(names[s]) == len && memcmp(names[s], message, len) == 0) return s;
  }
  return SHAPE_NONE;
}

static bool beats(shape_t a, shape_t b) {
  return (a == SHAPE_ROCK && b == SHAPE_SCISSORS) || (a == SHAPE_PAPER && b == SHAPE_ROCK) ||
         (a == SHAPE_SCISSORS && b == SHAPE_PAPER);
}

void match_init(match_t *m, unsigned target) {
  *m = (match_t){.target = target};
}

void match_free(match_t *m) {
  for (size_t i = 0; i < m->count; i++) {
    free(m->players[i].session_id);
    free(m->players[i].id);
  }
  free(m->players);
  *m = (match_t){0};
}

// The index of the player with `session_id`, or where it would go.
static size_t position(const match_t *m, const char *session_id, bool *found) {
  size_t i = 0;
  while (i < m->count && strcmp(m->players[i].session_id, session_id) < 0) i++;
  *found = i < m->count && strcmp(m->players[i].session_id, session_id) == 0;
  return i;
}

void match_join(match_t *m, const char *session_id, const char *player_id) {
  bool found;
  size_t i = position(m, session_id, &found);
  if (found) {
    free(m->players[i].id);
  } else {
    m->players = checked(realloc(m->players, (m->count + 1) * sizeof *m->players));
    memmove(&m->players[i + 1], &m->players[i], (m->count - i) * sizeof *m->players);
    m->count++;
    m->players[i].session_id = copy(session_id);
  }
  m->players[i].id = copy(player_id);
  m->players[i].score = 0;
  m->players[i].thrown = SHAPE_NONE;
}

void match_leave(match_t *m, const char *session_id) {
  bool found;
  size_t i = position(m, session_id, &found);
  if (!found) return;
  free(m->players[i].session_id);
  free(m->players[i].id);
  memmove(&m->players[i], &m->players[i + 1], (m->count - i - 1) * sizeof *m->players);
  m->count--;
}

static char *scoreboard(const match_t *m) {
  size_t size = 1;
  for (size_t i = 0; i < m->count; i++) size += strlen(m->players[i].id) + 12;
  char *text = checked(malloc(size));
  size_t used = 0;
  text[0] = '\0';
  for (size_t i = 0; i < m->count; i++) {
    used += (size_t)snprintf(text + used, size - used, "%s%s=%u", i > 0 ? "," : "",
                             m->players[i].id, m->players[i].score);
  }
  return text;
}

outcome_t match_throw(match_t *m, const char *session_id, shape_t shape) {
  bool found;
  size_t i = position(m, session_id, &found);
  if (!found) return (outcome_t){OUTCOME_NONE, NULL, NULL};
  m->players[i].thrown = shape;
  if (m->count < 2) return (outcome_t){OUTCOME_NONE, NULL, NULL};
  bool thrown[SHAPE_SCISSORS + 1] = {false};
  int distinct = 0;
  for (size_t p = 0; p < m->count; p++) {
    shape_t s = m->players[p].thrown;
    if (s == SHAPE_NONE) return (outcome_t){OUTCOME_NONE, NULL, NULL};
    if (!thrown[s]) distinct++;
    thrown[s] = true;
  }
  shape_t winning = SHAPE_NONE;
  if (distinct == 2) {
    shape_t a = SHAPE_NONE, b = SHAPE_NONE;
    for (shape_t s = SHAPE_ROCK; s <= SHAPE_SCISSORS; s++) {
      if (!thrown[s]) continue;
      if (a == SHAPE_NONE) a = s;
      else b = s;
    }
    winning = beats(a, b) ? a : b;
  }
  for (size_t p = 0; p < m->count; p++) {
    if (winning != SHAPE_NONE && m->players[p].thrown == winning) m->players[p].score++;
    m->players[p].thrown = SHAPE_NONE;
  }
  for (size_t p = 0; p < m->count; p++) {
    if (m->players[p].score >= m->target) {
      return (outcome_t){OUTCOME_WON, copy(m->players[p].id), scoreboard(m)};
    }
  }
  return (outcome_t){OUTCOME_ROUND, NULL, scoreboard(m)};
}

void outcome_free(outcome_t *o) {
  free(o->winner);
  free(o->scoreboard);
  *o = (outcome_t){OUTCOME_NONE, NULL, NULL};
}
