#include "check.h"

#include <stdarg.h>
#include <stdio.h>

gh_error_t sdk_error;

static unsigned failures;

bool check(const char *name, bool ok, const char *detail, ...) {
  char text[512];
  va_list args;
  va_start(args, detail);
  vsnprintf(text, sizeof text, detail, args);
  va_end(args);
  if (!ok) failures++;
  GH_LOG(ok ? GH_INFO : GH_ERROR, "conformance check", GH_TEXT("check", name),
         GH_TEXT("ok", ok ? "true" : "false"), GH_TEXT("detail", text));
  return ok;
}

bool check_error(const char *name, const char *expected) {
  bool result = check(name, false, "expected %s, got %s: %.*s", expected,
                      gh_error_code_name(sdk_error.code), (int)sdk_error.message.len,
                      (const char *)sdk_error.message.ptr);
  gh_error_free(&sdk_error);
  return result;
}

bool ok(const char *name, bool succeeded) {
  return succeeded ? check(name, true, "ok") : check_error(name, "ok");
}

bool fails(const char *name, bool succeeded, gh_error_code_t code) {
  const char *wanted = gh_error_code_name(code);
  if (succeeded) return check(name, false, "expected %s, got ok", wanted);
  if (sdk_error.code != code) return check_error(name, wanted);
  bool result = check(name, sdk_error.message.len > 0, "%.*s", (int)sdk_error.message.len,
                      (const char *)sdk_error.message.ptr);
  gh_error_free(&sdk_error);
  return result;
}

bool equals_i64(const char *name, bool succeeded, const int64_t *value, int64_t expected) {
  if (!succeeded) return check_error(name, "a number");
  return check(name, *value == expected, "got %lld, expected %lld", (long long)*value,
               (long long)expected);
}

bool equals_u32(const char *name, bool succeeded, const uint32_t *value, uint32_t expected) {
  if (!succeeded) return check_error(name, "a number");
  return check(name, *value == expected, "got %u, expected %u", (unsigned)*value,
               (unsigned)expected);
}

bool equals_bool(const char *name, bool succeeded, const bool *value, bool expected) {
  if (!succeeded) return check_error(name, expected ? "true" : "false");
  return check(name, *value == expected, "got %s, expected %s", *value ? "true" : "false",
               expected ? "true" : "false");
}

bool equals_str(const char *name, bool succeeded, gh_string_t *value, const char *expected) {
  if (!succeeded) return check_error(name, expected);
  bool result = check(name, gh_str_eq(value, expected), "got \"%.*s\", expected \"%s\"",
                      (int)value->len, (const char *)value->ptr, expected);
  game_server_string_free(value);
  return result;
}

void phase(const char *name) {
  char count[16];
  snprintf(count, sizeof count, "%u", failures);
  GH_LOG(failures == 0 ? GH_INFO : GH_ERROR, "conformance phase", GH_TEXT("phase", name),
         GH_TEXT("failures", count));
}
