"""The logbook's rules: what a hand-logged set may be, how it is numbered, how undo finds it.

`log` writes one row per set, per side for one-leg work (`--side both`: a left and a
right row, as a live session records them). Every row of one `log` call shares one
`started_at`, so `undo` removes exactly what the last `log` call added.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, NamedTuple

from heelcoach.domain.records import (
    EARLIEST_DAY,
    MAX_PAIN,
    MAX_REPS,
    MAX_SECONDS,
    MAX_SET_NUMBER,
    SIDE_CHOICES,
    SetRecord,
    Side,
    note_problem,
    side_named,
)
from heelcoach.domain.text import without_controls
from heelcoach.errors import BadInput

if TYPE_CHECKING:  # `checkin` validates its scores here without the content model
    from heelcoach.content.model import Exercise

SETS_RANGE = (1, 20)
REPS_RANGE = (1, MAX_REPS)  # the limits every stored set keeps (domain.records)
SECONDS_RANGE = (1, MAX_SECONDS)
PAIN_RANGE = (0, MAX_PAIN)


def parse_day(text: str, option: str, today: date) -> date:
    """An ISO date from EARLIEST_DAY that is not in the future, or BadInput naming the option."""
    stripped = text.strip()
    try:
        if not stripped.isascii():  # `fromisoformat` would read other scripts' digits
            raise ValueError
        day = date.fromisoformat(stripped)
    except ValueError:
        raise BadInput(
            f"{option}: '{text}' is not a date (use YYYY-MM-DD, e.g. {today.isoformat()})"
        ) from None
    if day < EARLIEST_DAY:
        raise BadInput(
            f"{option}: {day.isoformat()} is too long ago (the history starts in"
            f" {EARLIEST_DAY.year})"
        )
    if day > today:
        raise BadInput(
            f"{option}: {day.isoformat()} is in the future (today is {today.isoformat()})"
        )
    return day


def check_number(value: int, option: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if not low <= value <= high:
        raise BadInput(f"{option} must be between {low} and {high}, got {value}")
    return value


def check_score(value: int, option: str) -> int:
    return check_number(value, option, PAIN_RANGE)


def _clean_note(note: str | None) -> str | None:
    """One line of text: runs of white space become one space, control characters go."""
    if note is None:
        return None
    text = " ".join(without_controls(note, " ").split())
    problem = note_problem(text)  # the history's own rule, so log and import agree
    if problem:
        raise BadInput(f"--note {problem.removeprefix('note ')}")
    return text or None


class LogRequest(NamedTuple):
    """What `heelcoach log` was asked to record, already validated."""

    exercise: str
    name: str
    sets: int
    reps: int | None
    seconds: int | None
    sides: tuple[Side | None, ...]  # one entry per row of a set: (None,), ("left",) ...
    pain: int | None
    day: date
    note: str | None


def check_log(
    exercise: Exercise,
    *,
    sets: int,
    reps: int | None,
    seconds: int | None,
    side: str | None,
    pain: int | None,
    day: date,
    note: str | None,
) -> LogRequest:
    """Validate a `log` request for `exercise`; BadInput on the first problem."""
    check_number(sets, "--sets", SETS_RANGE)
    if reps is not None and seconds is not None:
        raise BadInput("give --reps or --seconds, not both")
    if exercise.measure == "reps":
        if seconds is not None:
            raise BadInput(f"{exercise.name} is counted in reps, not seconds: use --reps N")
        if reps is None:
            raise BadInput(f"{exercise.name} is counted in reps: add --reps N (e.g. --reps 10)")
        check_number(reps, "--reps", REPS_RANGE)
    else:
        if reps is not None:
            raise BadInput(f"{exercise.name} is timed, not counted in reps: use --seconds N")
        if seconds is None:
            raise BadInput(f"{exercise.name} is timed: add --seconds N (e.g. --seconds 30)")
        check_number(seconds, "--seconds", SECONDS_RANGE)
    if pain is not None:
        check_number(pain, "--pain", PAIN_RANGE)
    return LogRequest(
        exercise.id,
        exercise.name,
        sets,
        reps,
        seconds,
        _sides(exercise, side),
        pain,
        day,
        _clean_note(note),
    )


def _sides(exercise: Exercise, side: str | None) -> tuple[Side | None, ...]:
    named = side_named(side) if side is not None else None
    if side is not None and named is None:
        raise BadInput(f"--side must be one of {', '.join(SIDE_CHOICES)}, got '{side}'")
    if not exercise.per_side:
        if side is not None:
            raise BadInput(f"{exercise.name} works both legs at once: leave out --side")
        return (None,)
    if side is None:
        raise BadInput(
            f"{exercise.name} is done one leg at a time: add --side left, right "
            "or both (both = the sets were done on each leg)"
        )
    return ("left", "right") if named == "both" else (named,)


def log_records(request: LogRequest, now: datetime) -> list[SetRecord]:
    """The rows of one `log` call, numbered from 1; they share one `started_at`."""
    moment = datetime.combine(request.day, now.timetz())
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return [
        SetRecord(
            uuid=SetRecord.new_uuid(),
            exercise=request.exercise,
            set_number=number,
            side=side,
            reps=request.reps,
            seconds=request.seconds,
            target_reps=None,
            target_seconds=None,
            pain=request.pain,
            day=request.day,
            started_at=moment,
            ended_at=moment,
            session_id=None,
            source="log",
            note=request.note,
        )
        for number in range(1, request.sets + 1)
        for side in request.sides
    ]


def numbered_after(records: Sequence[SetRecord], highest: int) -> list[SetRecord]:
    """The sets of one `log` call (numbered from 1), numbered after the `highest` stored
    for their exercise that day; BadInput when that goes past what a day may hold."""
    last = highest + max(record.set_number for record in records)
    if last > MAX_SET_NUMBER:
        first = records[0]
        raise BadInput(
            f"{first.exercise} already has {highest} sets on {first.day.isoformat()}; a day"
            f" holds at most {MAX_SET_NUMBER} sets of one exercise, so nothing was logged"
        )
    return [r._replace(set_number=r.set_number + highest) for r in records]
