"""Records to table rows and back: the one place that knows how a record is stored.

A record's columns are its fields, in order: a day is kept as ISO text, a time as
fixed-width UTC text (so comparing the text compares the instants), everything else as it
is. Every record is checked against the rules of `domain.records` on its way in
(`BadInput`) and on its way out (`ValueError`, which the store reports as a damaged
history): a row another program wrote past those rules never reaches the rest of heelcoach.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple, TypeVar

from heelcoach.domain.records import (
    CheckIn,
    ReadinessResult,
    SessionRecord,
    SetRecord,
    checkin_problem,
    readiness_problem,
    session_problem,
    set_problem,
    utc_text,
)
from heelcoach.errors import BadInput

SET_COLUMNS: tuple[str, ...] = SetRecord._fields
SESSION_COLUMNS = "session_id, day, started_at, ended_at, pain, status, cleared_at"
READINESS_COLUMNS = (
    "uuid, test, day, recorded_at, side, pain, left_count, right_count, source, note"
)
CHECKIN_COLUMNS = "day, pain, stiffness, recorded_at"
_DAY_FIELDS = frozenset(("day",))
TIME_FIELDS = frozenset(("started_at", "ended_at", "recorded_at", "cleared_at"))


def encode_time(value: datetime, what: str) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise BadInput(f"{what} {value.isoformat()} has no timezone; give an aware time")
    try:
        return utc_text(value)
    except OverflowError:
        raise BadInput(f"{what} {value.isoformat()} is out of range") from None


def encode_day(value: date, what: str) -> str:
    # datetime is a subclass of date; a datetime here would silently store a time too.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise BadInput(f"{what} must be a date, got {value!r}")
    return value.isoformat()


def decode_time(text: Any) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a stored time has no time zone")
    return moment


R = TypeVar("R", SetRecord, SessionRecord, CheckIn, ReadinessResult)
Record = SetRecord | SessionRecord | CheckIn | ReadinessResult


class _Rules(NamedTuple):
    problem: Callable[[Any], str | None]
    what: str  # how a stored one is named
    name: Callable[[Any], str]  # how an error names a given one


_RULES: dict[type, _Rules] = {
    SetRecord: _Rules(set_problem, "set", lambda r: f"set {str(r.uuid)[:36]!r}"),
    SessionRecord: _Rules(
        session_problem, "session", lambda r: f"session {str(r.session_id)[:40]!r}"
    ),
    ReadinessResult: _Rules(
        readiness_problem, "readiness test", lambda r: f"readiness test {str(r.uuid)[:36]!r}"
    ),
    CheckIn: _Rules(checkin_problem, "check-in", lambda r: f"check-in for {r.day}"),
}


def problem_of(record: Record) -> str | None:
    """What the rules of `domain.records` find wrong with `record`, or None."""
    return _RULES[type(record)].problem(record)


def to_row(record: Record) -> tuple[Any, ...]:
    """`record` as its table's row, in field order; BadInput when the rules refuse it."""
    problem = problem_of(record)
    if problem:
        raise BadInput(f"{_RULES[type(record)].name(record)}: {problem}")
    return tuple(map(_stored, record._fields, record))


def from_row(kind: type[R], row: Sequence[Any]) -> R:
    """A stored row as a `kind` record; ValueError or TypeError when it breaks the rules."""
    record = kind(*map(_read, kind._fields, row))
    problem = problem_of(record)
    if problem:
        raise ValueError(f"a stored {_RULES[kind].what}: {problem}")
    return record


def _stored(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DAY_FIELDS:
        return encode_day(value, name)
    if name in TIME_FIELDS:
        return encode_time(value, name)
    return value


def _read(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DAY_FIELDS:
        return date.fromisoformat(value)
    if name in TIME_FIELDS:
        return decode_time(value)
    return value
