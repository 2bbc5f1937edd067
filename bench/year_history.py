"""A sample person's training history: sets as an export file, plus check-ins and tests.

Used by `bench/report_year.py` (how long a report of a year takes), by the report tests
(tests/test_report.py) and by `docs/make_images.py` (the README's report screenshot).

The person trains by the plan heelcoach makes from their own history: most weeks about
nine sets in ten with pain 1-3 and a next-morning check-in after most training days;
every ninth week a light one (half the sets: the dose is held); every eleventh week a
painful day (one exercise at 6/10 and a worse morning after: stepped back). Since each
week's plan depends on the weeks before it, the history is made by replaying it until
the plans it follows are the plans it produces (a few passes). Everything is seeded, so
the same call gives the same history.

The sets go in through `heelcoach import` (`write_export`), as a person moving their
history would; the morning check-ins, readiness tests and one emergency stop, which an
export does not carry, are added with the store's own API (`add_the_rest`).
"""

from __future__ import annotations

import json
import random
import uuid
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from heelcoach.content.model import Library
from heelcoach.domain.planner import PlanItem, WeekPlan, build_week
from heelcoach.domain.profile import Profile
from heelcoach.domain.progression import DayWork, History, review_weeks
from heelcoach.domain.readiness import Readiness
from heelcoach.domain.records import CheckIn, ReadinessResult, SessionRecord
from heelcoach.storage.store import Store

SEED = 20261128
LIGHT_EVERY, PAINFUL_EVERY = 9, 11
PASSES = 12


@dataclass(frozen=True)
class Sample:
    rows: list[dict[str, object]]  # sets, in the export format
    checkins: list[CheckIn]
    tests: list[ReadinessResult]
    emergency: SessionRecord | None


def _rng(*parts: object) -> random.Random:
    return random.Random(SEED ^ zlib.crc32(repr(parts).encode()))


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def _baseline(week: int) -> tuple[int, int]:
    """Morning pain and stiffness ease as the months go by."""
    return (2, 2) if week <= 10 else (1, 2) if week <= 25 else (1, 1) if week <= 40 else (0, 1)


def _tests(profile: Profile, until: date) -> list[ReadinessResult]:
    """A hop test two weeks in, then every four weeks, all passed (pain below 5)."""
    found, day = [], profile.created + timedelta(days=13)
    while day <= until:
        pain = _rng("test", day.toordinal()).choice((2, 3, 4))
        test_id = str(uuid.UUID(int=_rng("id", day.toordinal()).getrandbits(128)))
        found.append(
            ReadinessResult(test_id, "hops", day, _at(day, 18), None, pain, None, None, "entered")
        )
        day += timedelta(days=28)
    return found


def _live(plans: Sequence[WeekPlan], until: date) -> tuple[list[dict[str, object]], list[CheckIn]]:
    """What the person does of these plans, up to the day before `until`."""
    rows: list[dict[str, object]] = []
    checkins: list[CheckIn] = []
    for plan in plans:
        training = [day for day in plan.days if day.items and day.date < until]
        for number, day in enumerate(training):
            rng = _rng("day", day.date.toordinal())
            painful = plan.week % PAINFUL_EVERY == 0 and number == 1
            pain = rng.choice((1, 2, 2, 3))
            for index, item in enumerate(day.items):
                sets = item.sets
                if plan.week % LIGHT_EVERY == 0:
                    sets = max(1, sets // 2) if index % 2 else 0
                elif rng.random() > 0.9:
                    sets = max(1, sets - 1)
                rated = 6 if painful and index == 1 else pain
                rows += _sets(day.date, item.exercise.id, sets, item, rated, rng)
            pain_m, stiff_m = _baseline(plan.week)
            if painful:
                pain_m, stiff_m = pain_m + 2, stiff_m + 2
            if painful or rng.random() < 0.85:
                morning = day.date + timedelta(days=1)
                checkins.append(CheckIn(morning, pain_m, stiff_m, _at(morning, 7)))
    return rows, [c for c in checkins if c.day < until]


def _sets(
    day: date, exercise: str, sets: int, item: PlanItem, pain: int, rng: random.Random
) -> list[dict[str, object]]:
    reps, seconds, per_side = item.reps, item.seconds, item.per_side
    return [
        {
            "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
            "exercise": exercise,
            "set_number": number,
            "side": side,
            "reps": reps,
            "seconds": seconds,
            "target_reps": reps,
            "target_seconds": seconds,
            "pain": pain,
            "day": day.isoformat(),
            "started_at": _at(day, 8, number).isoformat(timespec="microseconds"),
            "ended_at": _at(day, 8, number + 1).isoformat(timespec="microseconds"),
            "session_id": None,
            "source": "import",
            "note": None,
        }
        for number in range(1, sets + 1)
        for side in (("left", "right") if per_side else (None,))
    ]


def _history(
    rows: Sequence[dict[str, object]],
    checkins: Sequence[CheckIn],
    tests: Sequence[ReadinessResult],
) -> History:
    by_day: dict[tuple[date, str], list[int]] = {}
    for row in rows:
        key = (date.fromisoformat(str(row["day"])), str(row["exercise"]))
        by_day.setdefault(key, []).append(int(row["pain"]))  # type: ignore[call-overload]
    work = tuple(
        DayWork(day, exercise, len(pains), sum(p <= 5 for p in pains), max(pains))
        for (day, exercise), pains in sorted(by_day.items())
    )
    return History(work, tuple(checkins), tuple(tests))


def _shape(plans: Sequence[WeekPlan]) -> list[tuple[object, ...]]:
    return [
        (day.date, item.exercise.id, item.sets, item.reps, item.seconds)
        for plan in plans
        for day in plan.days
        for item in day.items
    ]


def sample(profile: Profile, library: Library, until: date) -> Sample:
    """The history from program week 1 up to the day before `until`."""
    tests = [t for t in _tests(profile, until) if t.day < until]
    readiness = Readiness.latest(tests)
    weeks = (until - profile.created).days // 7 + 1
    plans = [
        build_week(profile, library, week, readiness=readiness) for week in range(1, weeks + 1)
    ]
    for _ in range(PASSES):
        rows, checkins = _live(plans, until)
        replayed = review_weeks(profile, library, _history(rows, checkins, tests), until)
        following = [r.plan for r in replayed]
        if _shape(following) == _shape(plans):
            break
        plans = following
    day = profile.created + timedelta(days=7 * (weeks // 2) + 2)
    emergency = (
        SessionRecord(
            "emergency-sample",
            day,
            _at(day, 9),
            _at(day, 9, 4),
            None,
            "emergency",
            _at(day + timedelta(days=2), 12),
        )
        if weeks > 4
        else None
    )
    return Sample(rows, checkins, tests, emergency)


def write_export(target: Path, rows: Sequence[dict[str, object]]) -> None:
    target.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")


def add_the_rest(store: Store, made: Sample) -> None:
    """The check-ins, tests and emergency stop (an export carries sets only)."""
    for checkin in made.checkins:
        store.save_checkin(checkin)
    store.add_readiness(made.tests)
    if made.emergency is not None:
        store.start_session(made.emergency)
