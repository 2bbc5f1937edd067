"""Records to table rows and back: the one place that knows how a record is stored.

A set's columns are the `SetRecord` fields, in order and under the same names: a day is
kept as ISO text, a time as fixed-width UTC text (so comparing the text compares the
instants), everything else as it is. A new field on `SetRecord` is a new column here with
no other change (its table gets it from a migration in `storage.schema`).

Every record is checked against the rules of `domain.records` on its way in (`BadInput`)
and on its way out (`ValueError`, which the store reports as a damaged history): a row that
another program wrote past those rules is never handed to the rest of heelcoach.
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
_TIME_FIELDS = frozenset(("started_at", "ended_at"))


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


def _optional_time(text: Any) -> datetime | None:
    return None if text is None else decode_time(text)


def _checked(problem: str | None, what: str) -> None:
    if problem:
        raise ValueError(f"a stored {what}: {problem}")


# --------------------------------------------------------------------------- sets


def set_row(record: SetRecord) -> tuple[Any, ...]:
    """`record` as the values of `SET_COLUMNS`; BadInput when the rules refuse it."""
    problem = set_problem(record)
    if problem:
        raise BadInput(f"set {str(record.uuid)[:36]!r}: {problem}")
    values: tuple[Any, ...] = tuple(record)
    return tuple(map(_stored, SET_COLUMNS, values))


def _stored(name: str, value: Any) -> Any:
    if name in _DAY_FIELDS:
        return encode_day(value, name)
    if name in _TIME_FIELDS:
        return encode_time(value, name)
    return value


def _read(name: str, value: Any) -> Any:
    if name in _DAY_FIELDS:
        return date.fromisoformat(value)
    if name in _TIME_FIELDS:
        return decode_time(value)
    return value


def decode_set(row: tuple[Any, ...]) -> SetRecord:
    """A stored row as a SetRecord; ValueError or TypeError when it breaks the rules."""
    values: dict[str, Any] = dict(zip(SET_COLUMNS, map(_read, SET_COLUMNS, row), strict=True))
    record = SetRecord(**values)
    _checked(set_problem(record), "set")
    return record


# --------------------------------------------------------------------------- sessions


def session_row(record: SessionRecord) -> tuple[Any, ...]:
    problem = session_problem(record)
    if problem:
        raise BadInput(f"session {str(record.session_id)[:40]!r}: {problem}")
    return (
        record.session_id,
        record.day.isoformat(),
        encode_time(record.started_at, "started_at"),
        encode_time(record.ended_at, "ended_at") if record.ended_at else None,
        record.pain,
        record.status,
        encode_time(record.cleared_at, "cleared_at") if record.cleared_at else None,
    )


def decode_session(row: tuple[Any, ...]) -> SessionRecord:
    session_id, day, started_at, ended_at, pain, status, cleared_at = row
    record = SessionRecord(
        session_id=session_id,
        day=date.fromisoformat(day),
        started_at=decode_time(started_at),
        ended_at=_optional_time(ended_at),
        pain=pain,
        status=status,
        cleared_at=_optional_time(cleared_at),
    )
    _checked(session_problem(record), "session")
    return record


# --------------------------------------------------------------------------- readiness tests


def readiness_row(result: ReadinessResult) -> tuple[Any, ...]:
    problem = readiness_problem(result)
    if problem:
        raise BadInput(f"readiness test {str(result.uuid)[:36]!r}: {problem}")
    return (
        result.uuid,
        result.test,
        result.day.isoformat(),
        encode_time(result.recorded_at, "recorded_at"),
        result.side,
        result.pain,
        result.left,
        result.right,
        result.source,
        result.note,
    )


def decode_readiness(row: tuple[Any, ...]) -> ReadinessResult:
    uid, test, day, recorded_at, side, pain, left, right, source, note = row
    result = ReadinessResult(
        uid, test, date.fromisoformat(day), decode_time(recorded_at), side, pain, left, right,
        source, note,
    )  # fmt: skip
    _checked(readiness_problem(result), "readiness test")
    return result


# --------------------------------------------------------------------------- check-ins


def checkin_row(checkin: CheckIn) -> tuple[Any, ...]:
    problem = checkin_problem(checkin)
    if problem:
        raise BadInput(f"check-in for {checkin.day}: {problem}")
    return (
        checkin.day.isoformat(),
        checkin.pain,
        checkin.stiffness,
        encode_time(checkin.recorded_at, "recorded_at"),
    )


def decode_checkin(row: tuple[Any, ...]) -> CheckIn:
    day, pain, stiffness, recorded_at = row
    checkin = CheckIn(date.fromisoformat(day), pain, stiffness, decode_time(recorded_at))
    _checked(checkin_problem(checkin), "check-in")
    return checkin
