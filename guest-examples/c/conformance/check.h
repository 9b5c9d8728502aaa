// Reporting: every check is a log line `conformance check` with the fields
// `check`, `ok` and `detail`; every phase ends with a line
// `conformance phase` with the fields `phase` and `failures`.
//
// A checked SDK call writes its error to `sdk_error`; the helpers take the
// call's boolean result, read the error when it failed, and free it.

#ifndef CONFORMANCE_CHECK_H
#define CONFORMANCE_CHECK_H

#include "gamehost.h"

#include <stdbool.h>
#include <stdint.h>

// Where every checked SDK call writes its error.
extern gh_error_t sdk_error;

// Records a check; `detail` is a printf format.
bool check(const char *name, bool ok, const char *detail, ...)
    __attribute__((format(printf, 3, 4)));

// Reports the error of a call that should have succeeded with `expected` as
// a failed check.
bool check_error(const char *name, const char *expected);

// Checks that a call succeeded.
bool ok(const char *name, bool succeeded);

// Checks that a call failed with `code` and a message.
bool fails(const char *name, bool succeeded, gh_error_code_t code);

// Checks that a call succeeded with `expected`. The value is passed by
// pointer: it is read only after the call has written it.
bool equals_i64(const char *name, bool succeeded, const int64_t *value, int64_t expected);
bool equals_u32(const char *name, bool succeeded, const uint32_t *value, uint32_t expected);
bool equals_bool(const char *name, bool succeeded, const bool *value, bool expected);
// Frees the string the call returned.
bool equals_str(const char *name, bool succeeded, gh_string_t *value, const char *expected);

// Ends a phase, reporting the failures so far.
void phase(const char *name);

#endif
