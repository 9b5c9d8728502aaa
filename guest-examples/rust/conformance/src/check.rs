//! Reporting: every check is a log line `conformance check` with the fields
//! `check`, `ok` and `detail`; every phase ends with a line
//! `conformance phase` with the fields `phase` and `failures`.

use gamehost_guest::kv;
use gamehost_guest::logging::{Level, log};
use gamehost_guest::types::{ErrorCode, SdkError};
use std::cell::Cell;
use std::fmt::Debug;

thread_local! {
    static FAILURES: Cell<u32> = const { Cell::new(0) };
}

/// Records a check.
pub fn check(name: &str, ok: bool, detail: impl Debug) -> bool {
    let level = if ok { Level::Info } else { Level::Error };
    if !ok {
        FAILURES.set(FAILURES.get() + 1);
    }
    let fields = [
        kv("check", name),
        kv("ok", ok),
        kv("detail", format!("{detail:?}")),
    ];
    log(level, "conformance check", &fields);
    ok
}

/// Checks that `result` is Ok and returns its value.
pub fn ok<T: Debug>(name: &str, result: Result<T, SdkError>) -> Option<T> {
    match result {
        Ok(value) => {
            check(name, true, &value);
            Some(value)
        }
        Err(e) => {
            check(name, false, format!("expected ok, got {e}"));
            None
        }
    }
}

/// Checks that `result` is Ok with `expected`.
pub fn equals<T: Debug + PartialEq>(name: &str, result: Result<T, SdkError>, expected: T) -> bool {
    match result {
        Ok(value) => check(
            name,
            value == expected,
            format!("got {value:?}, expected {expected:?}"),
        ),
        Err(e) => check(name, false, format!("expected {expected:?}, got {e}")),
    }
}

/// Checks that `result` failed with `code`.
pub fn fails<T: Debug>(name: &str, result: Result<T, SdkError>, code: ErrorCode) -> bool {
    match result {
        Err(e) if e.code == code => check(name, !e.message.is_empty(), e.message),
        Err(e) => check(name, false, format!("expected {code:?}, got {e}")),
        Ok(value) => check(name, false, format!("expected {code:?}, got ok {value:?}")),
    }
}

/// Ends a phase, reporting the failures so far.
pub fn phase(name: &str) {
    let failures = FAILURES.get();
    let level = if failures == 0 {
        Level::Info
    } else {
        Level::Error
    };
    log(
        level,
        "conformance phase",
        &[kv("phase", name), kv("failures", failures)],
    );
}
