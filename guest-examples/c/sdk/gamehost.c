#include "gamehost.h"

#include <stdlib.h>
#include <string.h>

gh_string_t gh_str(const char *text) {
  return (gh_string_t){(uint8_t *)text, strlen(text)};
}

bool gh_str_eq(const gh_string_t *s, const char *text) {
  size_t len = strlen(text);
  return s->len == len && memcmp(s->ptr, text, len) == 0;
}

char *gh_cstr(const gh_string_t *s) {
  char *copy = malloc(s->len + 1);
  if (copy == NULL) abort();
  memcpy(copy, s->ptr, s->len);
  copy[s->len] = '\0';
  return copy;
}

const char *gh_error_code_name(gh_error_code_t code) {
  static const char *const names[] = {
      [GAMEHOST_SDK_TYPES_ERROR_CODE_INVALID_ARGUMENT] = "invalid-argument",
      [GAMEHOST_SDK_TYPES_ERROR_CODE_NOT_FOUND] = "not-found",
      [GAMEHOST_SDK_TYPES_ERROR_CODE_ALREADY_EXISTS] = "already-exists",
      [GAMEHOST_SDK_TYPES_ERROR_CODE_OUT_OF_RANGE] = "out-of-range",
      [GAMEHOST_SDK_TYPES_ERROR_CODE_AT_CAPACITY] = "at-capacity",
      [GAMEHOST_SDK_TYPES_ERROR_CODE_FAILED_PRECONDITION] = "failed-precondition",
      [GAMEHOST_SDK_TYPES_ERROR_CODE_NOT_INITIALIZED] = "not-initialized",
      [GAMEHOST_SDK_TYPES_ERROR_CODE_UNAVAILABLE] = "unavailable",
  };
  return code < sizeof names / sizeof names[0] ? names[code] : "unknown";
}

void gh_error_free(gh_error_t *error) {
  gamehost_sdk_types_sdk_error_free(error);
}

void gh_log(gh_level_t level, const char *message, const gh_field_t *fields, size_t count) {
  gamehost_sdk_logging_key_value_t pairs[count > 0 ? count : 1];
  for (size_t i = 0; i < count; i++) {
    pairs[i] = (gamehost_sdk_logging_key_value_t){gh_str(fields[i].key), fields[i].value};
  }
  gh_string_t text = gh_str(message);
  gamehost_sdk_logging_list_key_value_t list = {pairs, count};
  gamehost_sdk_logging_log(level, &text, &list);
}
