"""What the history holds, as immutable records: sets, live sessions and morning check-ins,
shared by the domain (which makes and judges them) and the store (which keeps them).
"""

from __future__ import annotations

import re
import uuid as uuid_module
from datetime import UTC, date, datetime
from typing import Literal, NamedTuple, TypeAlias, get_args

from heelcoach.domain.text import has_surrogates

Side: TypeAlias = Literal["left", "right", "both"]
Source: TypeAlias = Literal["live", "log", "import"]
# How a live session ended: still running (or killed without a trace), all done, quit by
# the person, cut off (Ctrl-C, a closed terminal), or stopped for chest pain or dizziness.
Status: TypeAlias = Literal["running", "finished", "stopped", "interrupted", "emergency"]
TestKind: TypeAlias = Literal["tiptoe", "hops", "heel-raise"]
TestSource: TypeAlias = Literal["guided", "entered", "import"]

SIDE_CHOICES: tuple[Side, ...] = get_args(Side)
SOURCE_CHOICES: tuple[Source, ...] = get_args(Source)
STATUS_CHOICES: tuple[Status, ...] = get_args(Status)
TEST_KINDS: tuple[TestKind, ...] = get_args(TestKind)
TEST_SOURCES: tuple[TestSource, ...] = get_args(TestSource)


class SetRecord(NamedTuple):
    """One finished set, as the history keeps it."""

    uuid: str
    exercise: str  # exercise id, e.g. "heel-drop"
    set_number: int  # 1-based within the exercise on that day/session
    side: Side | None  # None: not one-sided
    reps: int | None  # reps done (None for timed work)
    seconds: int | None  # seconds done (None for rep work)
    target_reps: int | None  # what the plan asked for, if known
    target_seconds: int | None
    pain: int | None  # 0-10 if reported
    day: date  # the local date the set counts for
    started_at: datetime  # timezone-aware; stored as ISO 8601 UTC text
    ended_at: datetime
    session_id: str | None  # live session id; None for `heelcoach log`
    source: Source
    note: str | None = None
    # Heard by the listening counter (`start --listen`): landings, and how many were soft
    # or hard; None when nobody listened.
    landings: int | None = None
    soft_landings: int | None = None
    hard_landings: int | None = None

    @staticmethod
    def new_uuid() -> str:
        return str(uuid_module.uuid4())


class SessionRecord(NamedTuple):
    """One live session: when it ran, how it ended, and its pain answer."""

    session_id: str
    day: date
    started_at: datetime
    ended_at: datetime | None
    pain: int | None  # the end-of-session pain answer 0-10
    status: Status
    cleared_at: datetime | None = None  # after an emergency: when the person said a doctor
    # had checked them (until then every plan says to see one first)


class CheckIn(NamedTuple):
    """One next-morning check: pain and stiffness, each 0-10."""

    day: date  # the morning it was recorded for
    pain: int  # 0-10
    stiffness: int  # 0-10
    recorded_at: datetime


class ReadinessResult(NamedTuple):
    """One readiness test: the tiptoe hold and the hop test by pain, heel raises by count."""

    uuid: str
    test: TestKind
    day: date  # the day the test was done
    recorded_at: datetime
    side: Side | None  # tiptoe: the leg tested ("both": both, the worse pain); else None
    pain: int | None  # 0-10, for the tiptoe hold and the hops
    left: int | None  # heel raises to fatigue on the left leg
    right: int | None  # ... and on the right
    source: TestSource  # run live by `heelcoach test`, typed in, or imported
    note: str | None = None


def side_named(text: str) -> Side | None:
    """The side `text` names, or None when it names none."""
    return next((side for side in SIDE_CHOICES if side == text), None)


def test_named(text: str) -> TestKind | None:
    """The readiness test `text` names, or None."""
    return next((test for test in TEST_KINDS if test == text), None)


# --------------------------------------------------------------------------- what may be stored
#
# One set of rules for every record the history keeps, whoever made it (a live session,
# `log`, an import), checked before writing and on reading back, so an import can never
# hold what `log` would refuse. Each function returns the first problem, or None.

EARLIEST_DAY = date(2000, 1, 1)  # no history is older; year 1 broke date arithmetic
LATEST_YEAR = 9000  # far enough from date.max that converting time zones cannot overflow
MAX_SET_NUMBER = 1000  # sets of one exercise on one day
MAX_REPS = 200
MAX_SECONDS = 3600
MAX_PAIN = 10
MAX_TEST_COUNT = 1000  # heel raises to fatigue
NOTE_MAX_CHARS = 500
ID_MAX_CHARS = 100  # exercise ids, session ids


def _whole(value: object, name: str, low: int, high: int) -> str | None:
    if type(value) is int and low <= value <= high:  # the common case, first and fast
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        return f"{name} must be a whole number"
    return f"{name} must be between {low} and {high}"


def _optional_whole(value: object, name: str, low: int, high: int) -> str | None:
    return None if value is None else _whole(value, name, low, high)


def identifier_problem(value: object, name: str, *, optional: bool = False) -> str | None:
    """What is wrong with an id (a session's, an exercise's) as the history keeps it."""
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value or value.isspace():
        return f"{name} must be non-empty text"
    if len(value) > ID_MAX_CHARS:
        return f"{name} is longer than {ID_MAX_CHARS} characters"
    if value[0] == " " or value[-1] == " " or not value.isprintable():  # no controls at all
        return f"{name} must be one word without control characters"
    return None


def note_problem(value: object) -> str | None:
    """What is wrong with a note (any text up to NOTE_MAX_CHARS characters), or None."""
    if value is None:
        return None
    if not isinstance(value, str):
        return "note must be text"
    if len(value) > NOTE_MAX_CHARS:
        return f"note is {len(value):,} characters long; keep it under {NOTE_MAX_CHARS}"
    if not value.isprintable() and has_surrogates(value):
        return "note is not valid text (it holds undecodable bytes)"
    return None


CANONICAL_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


def uuid_problem(value: object) -> str | None:
    """None for a UUID written as `str(uuid.UUID(...))` writes it (lowercase, hyphens)."""
    if isinstance(value, str) and re.fullmatch(CANONICAL_UUID, value):
        return None
    return f"uuid must be a lowercase UUID like {SetRecord.new_uuid()}"


def day_problem(value: object, name: str, today: date | None = None) -> str | None:
    """A day the history can hold: a date from EARLIEST_DAY, not after `today` if given."""
    if not isinstance(value, date) or isinstance(value, datetime):
        return f"{name} must be a date"
    if value < EARLIEST_DAY or value.year > LATEST_YEAR:
        return f"{name} is not a plausible day (expected one from {EARLIEST_DAY.year} on)"
    if today is not None and value > today:
        return f"{name} is in the future (today is {today.isoformat()})"
    return None


def moment_problem(value: object, name: str, *, optional: bool = False) -> str | None:
    """A timezone-aware moment between EARLIEST_DAY and LATEST_YEAR."""
    if value is None and optional:
        return None
    if not isinstance(value, datetime):
        return f"{name} must be a date and time"
    if value.tzinfo is None or value.utcoffset() is None:
        return f"{name} has no timezone (e.g. +00:00)"
    if value.date() < EARLIEST_DAY or value.year > LATEST_YEAR:
        return f"{name} is not a plausible time (expected one from {EARLIEST_DAY.year} on)"
    return None


def set_problem(record: SetRecord, today: date | None = None) -> str | None:
    """The first thing wrong with `record` as a stored set, or None.

    `today` (when known) also refuses a set dated in the future. A set a live session cut
    short may have 0 reps or seconds; one that was logged or imported has at least 1.
    Straight-line checks: an import and every read of the history run this for each set.
    """
    reps: object = record.reps
    seconds: object = record.seconds
    least = 0 if record.source == "live" else 1
    problem = (
        uuid_problem(record.uuid)
        or identifier_problem(record.exercise, "exercise")
        or _whole(record.set_number, "set_number", 1, MAX_SET_NUMBER)
        or _one_of(record.side, "side", SIDE_CHOICES, optional=True)
    )
    if problem:
        return problem
    if (reps is None) == (seconds is None):
        return "give reps or seconds: exactly one of them"
    problem = (
        _optional_whole(reps, "reps", least, MAX_REPS)
        or _optional_whole(seconds, "seconds", least, MAX_SECONDS)
        or _optional_whole(record.target_reps, "target_reps", 0, MAX_REPS)
        or _optional_whole(record.target_seconds, "target_seconds", 0, MAX_SECONDS)
        or _optional_whole(record.pain, "pain", 0, MAX_PAIN)
        or day_problem(record.day, "day", today)
        or moment_problem(record.started_at, "started_at")
        or moment_problem(record.ended_at, "ended_at")
    )
    if problem:
        return problem
    if record.ended_at < record.started_at:
        return "ended_at is before started_at"
    return (
        _one_of(record.source, "source", SOURCE_CHOICES)
        or identifier_problem(record.session_id, "session_id", optional=True)
        or note_problem(record.note)
        or _landings_problem(record)
    )


def _landings_problem(record: SetRecord) -> str | None:
    """Landings heard are counts, and the soft and hard ones are among them."""
    heard = record.landings
    soft, hard = record.soft_landings, record.hard_landings
    if heard is None:
        return None if soft is None and hard is None else "soft or hard landings without landings"
    return (
        _optional_whole(heard, "landings", 0, MAX_REPS)
        or _optional_whole(soft, "soft_landings", 0, MAX_REPS)
        or _optional_whole(hard, "hard_landings", 0, MAX_REPS)
        or (
            None
            if (soft or 0) + (hard or 0) <= heard
            else "more soft and hard landings than landings"
        )
    )


def exercise_problem(record: SetRecord, measure: str, per_side: bool) -> str | None:
    """What is wrong with `record` for its exercise: counted in `measure` ("reps" or
    "seconds"), on one leg at a time (`per_side`) or both at once."""
    amount = "reps" if record.reps is not None else "seconds"
    if amount != measure:
        return f"{record.exercise} is counted in {measure}, not {amount}"
    if record.side is not None and not per_side:
        return f"{record.exercise} works both legs at once: it has no side"
    if record.side is None and per_side:
        return f"{record.exercise} is done one leg at a time: it needs a side"
    return None


def _one_of(
    value: object, name: str, choices: tuple[str, ...], optional: bool = False
) -> str | None:
    if value in choices or (optional and value is None):
        return None
    return f"{name} must be one of {', '.join(choices)}" + (" or empty" if optional else "")


def session_problem(record: SessionRecord) -> str | None:
    return (
        identifier_problem(record.session_id, "session_id")
        or day_problem(record.day, "day")
        or moment_problem(record.started_at, "started_at")
        or moment_problem(record.ended_at, "ended_at", optional=True)
        or _optional_whole(record.pain, "pain", 0, MAX_PAIN)
        or _one_of(record.status, "status", STATUS_CHOICES)
        or moment_problem(record.cleared_at, "cleared_at", optional=True)
    )


def checkin_problem(checkin: CheckIn, today: date | None = None) -> str | None:
    return (
        day_problem(checkin.day, "day", today)
        or _whole(checkin.pain, "pain", 0, MAX_PAIN)
        or _whole(checkin.stiffness, "stiffness", 0, MAX_PAIN)
        or moment_problem(checkin.recorded_at, "recorded_at")
    )


def readiness_problem(result: ReadinessResult, today: date | None = None) -> str | None:
    return (
        uuid_problem(result.uuid)
        or _one_of(result.test, "test", TEST_KINDS)
        or day_problem(result.day, "day", today)
        or moment_problem(result.recorded_at, "recorded_at")
        or _one_of(result.side, "side", SIDE_CHOICES, optional=True)
        or _optional_whole(result.pain, "pain", 0, MAX_PAIN)
        or _optional_whole(result.left, "left", 0, MAX_TEST_COUNT)
        or _optional_whole(result.right, "right", 0, MAX_TEST_COUNT)
        or _one_of(result.source, "source", TEST_SOURCES)
        or note_problem(result.note)
    )


def utc_text(moment: datetime) -> str:
    """An aware time as fixed-width UTC text (microseconds, `+00:00`): the form the history
    stores and exports write, so comparing the text compares the instants."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
