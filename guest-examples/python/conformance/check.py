"""Reporting: every check is a log line `conformance check` with the fields
`check`, `ok` and `detail`; every phase ends with a line `conformance phase`
with the fields `phase` and `failures`.

An SDK call that fails raises `Err` whose `value` is an `SdkError`; the
helpers below take the call as a function so they can catch it.
"""

from typing import Any, Callable, Optional, TypeVar

from componentize_py_types import Err
from wit_world.imports import logging
from wit_world.imports.types import ErrorCode, KeyValue, SdkError

T = TypeVar("T")

_failures = 0


def describe(e: SdkError) -> str:
    return f"{e.code.name.lower().replace('_', '-')}: {e.message}"


def check(name: str, ok: bool, detail: Any) -> bool:
    """Records a check."""
    global _failures
    if not ok:
        _failures += 1
    fields = [
        KeyValue("check", name),
        KeyValue("ok", "true" if ok else "false"),
        KeyValue("detail", repr(detail)),
    ]
    logging.log(logging.Level.INFO if ok else logging.Level.ERROR, "conformance check", fields)
    return ok


def ok(name: str, call: Callable[[], T]) -> Optional[T]:
    """Checks that `call` succeeds and returns its value."""
    try:
        value = call()
    except Err as e:
        check(name, False, f"expected ok, got {describe(e.value)}")
        return None
    check(name, True, value)
    return value


def equals(name: str, call: Callable[[], T], expected: T) -> bool:
    """Checks that `call` succeeds with `expected`."""
    try:
        value = call()
    except Err as e:
        return check(name, False, f"expected {expected!r}, got {describe(e.value)}")
    return check(name, value == expected, f"got {value!r}, expected {expected!r}")


def fails(name: str, call: Callable[[], Any], code: ErrorCode) -> bool:
    """Checks that `call` fails with `code` and a message."""
    try:
        value = call()
    except Err as e:
        if e.value.code == code:
            return check(name, e.value.message != "", e.value.message)
        return check(name, False, f"expected {code.name}, got {describe(e.value)}")
    return check(name, False, f"expected {code.name}, got ok {value!r}")


def phase(name: str) -> None:
    """Ends a phase, reporting the failures so far."""
    level = logging.Level.INFO if _failures == 0 else logging.Level.ERROR
    fields = [KeyValue("phase", name), KeyValue("failures", str(_failures))]
    logging.log(level, "conformance phase", fields)
