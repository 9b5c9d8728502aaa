// Reporting: every check is a log line `conformance check` with the fields
// `check`, `ok` and `detail`, or `conformance skipped` with `check` and
// `reason`; every phase ends with a line `conformance phase` with the fields
// `phase` and `failures`.
//
// An SDK call that fails throws an error whose `payload` is the SDK error,
// `{ code, message }`; the helpers below take the call as a function so they
// can catch it.

import { log } from 'gamehost:sdk/logging@0.1.0';

let failures = 0;

/** A value as text: JSON, with 64-bit integers (BigInt) as `5n`. */
export function show(value) {
  if (value === undefined) return 'undefined';
  return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
}

/** Whether two values are equal, compared as their text. */
export function same(a, b) {
  return show(a) === show(b);
}

function describe(e) {
  return e.payload ? `${e.payload.code}: ${e.payload.message}` : `not an SDK error: ${e}`;
}

/** Records a check. */
export function check(name, ok, detail) {
  if (!ok) failures += 1;
  const fields = [
    { key: 'check', value: name },
    { key: 'ok', value: String(ok) },
    { key: 'detail', value: show(detail) },
  ];
  log(ok ? 'info' : 'error', 'conformance check', fields);
  return ok;
}

/** Checks that `call` succeeds and returns its value (undefined if not). */
export function ok(name, call) {
  let value;
  try {
    value = call();
  } catch (e) {
    check(name, false, `expected ok, got ${describe(e)}`);
    return undefined;
  }
  check(name, true, value);
  return value;
}

/** Checks that `call` succeeds with `expected`. */
export function equals(name, call, expected) {
  let value;
  try {
    value = call();
  } catch (e) {
    return check(name, false, `expected ${show(expected)}, got ${describe(e)}`);
  }
  return check(name, same(value, expected), `got ${show(value)}, expected ${show(expected)}`);
}

/** Checks that `call` fails with `code` and a message. */
export function fails(name, call, code) {
  let value;
  try {
    value = call();
  } catch (e) {
    if (e.payload?.code === code) return check(name, e.payload.message !== '', e.payload.message);
    return check(name, false, `expected ${code}, got ${describe(e)}`);
  }
  return check(name, false, `expected ${code}, got ok ${show(value)}`);
}

/**
 * Records a check this language cannot make, with the reason: a log line
 * `conformance skipped` with the fields `check` and `reason`.
 */
export function skip(name, reason) {
  log('warn', 'conformance skipped', [
    { key: 'check', value: name },
    { key: 'reason', value: reason },
  ]);
}

/** Ends a phase, reporting the failures so far. */
export function phase(name) {
  const fields = [
    { key: 'phase', value: name },
    { key: 'failures', value: String(failures) },
  ];
  log(failures === 0 ? 'info' : 'error', 'conformance phase', fields);
}
