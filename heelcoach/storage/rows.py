"""Records to table rows and back: the one place that knows how a record is stored.

A record's columns are its fields, in order: a day is kept as ISO text, a time as
fixed-width UTC text (so comparing the text compares the instants), everything else as it
is. Every record is checked against the rules of `domain.records` on its way in
(`BadInput`) and on its way out (`ValueError`, which the store reports as a damaged
history): a row another program wrote past those rules never reaches the rest of heelcoach.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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


def _checked(problem: str | None, what: str) -> None:
    if problem:
        raise ValueError(f"a stored {what}: {problem}")


# --------------------------------------------------------------------------- sets


def set_row(record: SetRecord) -> tuple[Any, ...]:
    """`record` as the values of `SET_COLUMNS`; BadInput when the rules refuse it."""
    problem = set_problem(record)
    if problem:
        raise BadInput(f"set {str(record.uuid)[:36]!r}: {problem}")
    return _row(record._fields, tuple(record))


def _row(fields: tuple[str, ...], values: tuple[Any, ...]) -> tuple[Any, ...]:
    """The stored values of a record's fields (checked by its rules: None where allowed)."""
    return tuple(map(_stored, fields, values))


def _stored(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DAY_FIELDS:
        return encode_day(value, name)
    if name in TIME_FIELDS:
        return encode_time(value, name)
    return value


def _values(fields: tuple[str, ...], row: tuple[Any, ...]) -> list[Any]:
    """A stored row's values as its record's fields; the record's rules then judge them."""
    return list(map(_read, fields, row))


def _read(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in _DAY_FIELDS:
        return date.fromisoformat(value)
    if name in TIME_FIELDS:
        return decode_time(value)
    return value


def decode_set(row: tuple[Any, ...]) -> SetRecord:
    """A stored row as a SetRecord; ValueError or TypeError when it breaks the rules."""
    record = SetRecord(*_values(SET_COLUMNS, row))
    _checked(set_problem(record), "set")
    return record


# --------------------------------------------------------------------------- sessions


def session_row(record: SessionRecord) -> tuple[Any, ...]:
    problem = session_problem(record)
    if problem:
        raise BadInput(f"session {str(record.session_id)[:40]!r}: {problem}")
    return _row(record._fields, tuple(record))


def decode_session(row: tuple[Any, ...]) -> SessionRecord:
    record = SessionRecord(*_values(SessionRecord._fields, row))
    _checked(session_problem(record), "session")
    return record


# --------------------------------------------------------------------------- readiness tests


def readiness_row(result: ReadinessResult) -> tuple[Any, ...]:
    problem = readiness_problem(result)
    if problem:
        raise BadInput(f"readiness test {str(result.uuid)[:36]!r}: {problem}")
    return _row(result._fields, tuple(result))


def decode_readiness(row: tuple[Any, ...]) -> ReadinessResult:
    result = ReadinessResult(*_values(ReadinessResult._fields, row))
    _checked(readiness_problem(result), "readiness test")
    return result


# --------------------------------------------------------------------------- check-ins


def checkin_row(checkin: CheckIn) -> tuple[Any, ...]:
    problem = checkin_problem(checkin)
    if problem:
        raise BadInput(f"check-in for {checkin.day}: {problem}")
    return _row(checkin._fields, tuple(checkin))


def decode_checkin(row: tuple[Any, ...]) -> CheckIn:
    checkin = CheckIn(*_values(CheckIn._fields, row))
    _checked(checkin_problem(checkin), "check-in")
    return checkin
