"""What the history holds, as immutable records: sets, live sessions and morning check-ins.

Plain data shared by the domain (which makes and judges them) and the store (which keeps
them). They are NamedTuples rather than frozen dataclasses: as immutable, and much cheaper
to define, which every `heelcoach log` and `checkin` start-up pays.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import date, datetime
from typing import Literal, NamedTuple, TypeAlias

Side: TypeAlias = Literal["left", "right", "both"]
Source: TypeAlias = Literal["live", "log", "import"]
# How a live session ended: still running (or killed without a trace), all done, quit by
# the person, cut off (Ctrl-C, a closed terminal), or stopped for chest pain or dizziness.
Status: TypeAlias = Literal["running", "finished", "stopped", "interrupted", "emergency"]
TestKind: TypeAlias = Literal["tiptoe", "hops", "heel-raise"]
TestSource: TypeAlias = Literal["guided", "entered", "import"]

SIDE_CHOICES: tuple[Side, ...] = ("left", "right", "both")
SOURCE_CHOICES: tuple[Source, ...] = ("live", "log", "import")
STATUS_CHOICES: tuple[Status, ...] = ("running", "finished", "stopped", "interrupted", "emergency")
TEST_KINDS: tuple[TestKind, ...] = ("tiptoe", "hops", "heel-raise")
TEST_SOURCES: tuple[TestSource, ...] = ("guided", "entered", "import")


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
