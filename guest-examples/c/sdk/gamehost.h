// Helpers for game modes written in C, over the bindings that wit-bindgen
// generates from the WIT package gamehost:sdk (`game_server.h`).
//
// The bindings are the SDK: every function of the WIT is there, named
// `gamehost_sdk_INTERFACE_FUNCTION`. A call that can fail returns `true` on
// success and `false` with the SDK error written to its last argument, a
// `gh_error_t` whose message the caller frees (`gh_error_free`). Values a
// call returns are the caller's to free too, with the generated `_free`
// functions; the arguments of a callback are the callback's to free.

#ifndef GAMEHOST_H
#define GAMEHOST_H

#include "game_server.h"

#include <stdbool.h>
#include <stddef.h>

typedef game_server_string_t gh_string_t;
typedef gamehost_sdk_types_sdk_error_t gh_error_t;
typedef gamehost_sdk_types_error_code_t gh_error_code_t;
typedef gamehost_sdk_logging_level_t gh_level_t;

// A pointer to a string of the SDK viewing a string literal (not a copy).
#define GH_STR(literal) (&(gh_string_t){(uint8_t *)(literal), sizeof(literal) - 1})

// A string of the SDK viewing a NUL-terminated C string (not a copy).
gh_string_t gh_str(const char *text);

// Whether an SDK string holds exactly `text`.
bool gh_str_eq(const gh_string_t *s, const char *text);

// A NUL-terminated copy of an SDK string, to free with free().
char *gh_cstr(const gh_string_t *s);

// The WIT name of an error code: "not-found", "out-of-range", ...
const char *gh_error_code_name(gh_error_code_t code);

// Frees the message of an SDK error.
void gh_error_free(gh_error_t *error);

// A structured log field: a key and a value.
typedef struct {
  const char *key;
  gh_string_t value;
} gh_field_t;

// A field whose value is a NUL-terminated C string.
#define GH_TEXT(key, text) ((gh_field_t){(key), gh_str(text)})
// A field whose value is an SDK string.
#define GH_STRING(key, s) ((gh_field_t){(key), (s)})

// Logs `message` with `count` fields.
void gh_log(gh_level_t level, const char *message, const gh_field_t *fields, size_t count);

// Logs `message` with the fields given after it (at least one).
#define GH_LOG(level, message, ...)                                                                \
  gh_log((level), (message), (gh_field_t[]){__VA_ARGS__},                                          \
         sizeof((gh_field_t[]){__VA_ARGS__}) / sizeof(gh_field_t))

#define GH_INFO GAMEHOST_SDK_LOGGING_LEVEL_INFO
#define GH_WARN GAMEHOST_SDK_LOGGING_LEVEL_WARN
#define GH_ERROR GAMEHOST_SDK_LOGGING_LEVEL_ERROR

#endif
