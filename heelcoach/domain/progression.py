"""Progression that listens: the current week's doses follow what was done and how it felt.

Each finished program week is judged in order, the way a physiotherapist reviews a
training diary (pain-monitoring model, clinical-notes.md):
- pain above 5 in a session, or a next-morning check-in worse than the one before, steps
  back a level (to the last week of the level below);
- at least 80% of the planned sets done with pain at most 5 moves one week on, so a level
  is left only after the weeks the seeds require (001: beginner weeks 1-2, ...);
- otherwise the dose is held.
Eccentric drops climb their own ladder (10, then 15, then more per leg, 004) only while
their pain stays acceptable, and heel jumps join only after two weeks of drops with pain at
most 3 (004, clinical-notes.md: pain-gated entry to impact).
`plan --week N` does not come here: it is the programme as prescribed.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from heelcoach.content.model import Library
from heelcoach.domain.monitoring import MOVE_ON_ADHERENCE, TOO_MUCH_PAIN_ABOVE, worse_morning
from heelcoach.domain.planner import (
    BASE_EXERCISES,
    Progress,
    WeekPlan,
    build_week,
)
from heelcoach.domain.profile import Profile

BASE_PAIN = 3  # pain at most 3 while building the base for jumps
ACHILLES_FAMILY = "achilles"


class DayVolume(NamedTuple):
    """What was done on one day for one exercise (a row of the store's daily volume)."""

    day: date
    exercise: str
    sets: int
    pain: int | None


class MorningCheck(NamedTuple):
    day: date
    pain: int
    stiffness: int


@dataclass(frozen=True)
class History:
    """The slice of the store that progression reads: plain values, easy to fake in tests."""

    volumes: tuple[DayVolume, ...]
    session_pain: tuple[tuple[date, int], ...]
    checkins: tuple[MorningCheck, ...]

    @classmethod
    def empty(cls) -> History:
        return cls((), (), ())


@dataclass(frozen=True)
class WeekReview:
    """How one finished week went against its plan."""

    week: int
    planned_sets: int
    done_sets: int
    worst_pain: int | None
    worse_morning: date | None

    @property
    def adherence(self) -> float:
        return 1.0 if self.planned_sets == 0 else min(1.0, self.done_sets / self.planned_sets)


# --------------------------------------------------------------------------- the ladder


def progress_for(profile: Profile, library: Library, history: History, week: int) -> Progress:
    """The progress in force in calendar `week`, judging every earlier week in turn."""
    return review_weeks(profile, library, history, week)[-1][2]


def review_weeks(
    profile: Profile, library: Library, history: History, week: int
) -> list[tuple[WeekPlan, WeekReview, Progress]]:
    """Each week up to `week` as it was planned, how it went, and the progress after it.

    The last entry is `week` itself: its plan and review so far, and the progress that
    was in force for it (not yet judged).
    """
    weeks = _WeekSlices(profile.created, history)
    progress, base_weeks = Progress(1, 1, False), 0
    reviews = []
    for current in range(1, week + 1):
        plan = build_week(profile, library, current, progress)
        local = weeks.of(plan.days[0].date, plan.days[-1].date)
        review = review_week(plan, local)
        reviews.append((plan, review, progress))
        if current < week:
            progress, base_weeks = _next(progress, base_weeks, plan, review, local, library)
    return reviews


class _WeekSlices:
    """The history cut into program weeks once, so judging every week reads each row once.

    Every rule reads only a week's own days, except the morning check-ins, which also need
    the morning after the week and the check-in just before the week's first comparison.
    """

    def __init__(self, start: date, history: History) -> None:
        self.start = start
        self.volumes: dict[int, list[DayVolume]] = {}
        for volume in history.volumes:
            self.volumes.setdefault(self._week(volume.day), []).append(volume)
        self.pains: dict[int, list[tuple[date, int]]] = {}
        for day, pain in history.session_pain:
            self.pains.setdefault(self._week(day), []).append((day, pain))
        self.checks = sorted(history.checkins, key=lambda check: check.day)
        self.check_days = [check.day for check in self.checks]

    def _week(self, day: date) -> int:
        return (day - self.start).days // 7

    def of(self, first: date, last: date) -> History:
        week = self._week(first)
        low = bisect_left(self.check_days, first + timedelta(days=1))
        high = bisect_right(self.check_days, last + timedelta(days=1))
        return History(
            tuple(self.volumes.get(week, ())),
            tuple(self.pains.get(week, ())),
            tuple(self.checks[max(0, low - 1) : high]),
        )


def _next(
    progress: Progress,
    base_weeks: int,
    plan: WeekPlan,
    review: WeekReview,
    history: History,
    library: Library,
) -> tuple[Progress, int]:
    dose_week, reason = _judge(progress.dose_week, review, library)
    stepped_back = dose_week < progress.dose_week
    achilles_week = _achilles_step(progress.achilles_week, plan, history)
    base_weeks = 0 if stepped_back else base_weeks + _base_week(plan, history)
    ready = base_weeks >= library.programme.base_weeks_for_jumps
    return Progress(dose_week, achilles_week, ready, (reason,)), base_weeks


def _judge(dose_week: int, review: WeekReview, library: Library) -> tuple[int, str]:
    label = f"week {review.week}"
    if review.worse_morning is not None:
        return (
            _step_back(dose_week, library),
            f"stepped back: the check-in on {review.worse_morning:%a %d %b} was worse "
            f"than the one before it ({label})",
        )
    if review.worst_pain is not None and review.worst_pain > TOO_MUCH_PAIN_ABOVE:
        return (
            _step_back(dose_week, library),
            f"stepped back: pain reached {review.worst_pain}/10 in {label} "
            f"(above {TOO_MUCH_PAIN_ABOVE} is too much)",
        )
    done = f"{review.adherence:.0%} of planned sets done in {label}"
    if review.adherence >= MOVE_ON_ADHERENCE:
        return dose_week + 1, f"moved on: {done}, pain at most {TOO_MUCH_PAIN_ABOVE}"
    return dose_week, f"held: {done} (moving on needs {MOVE_ON_ADHERENCE:.0%})"


def _step_back(dose_week: int, library: Library) -> int:
    """To the last week of the level below; a beginner starts the beginner weeks again."""
    programme = library.programme
    level_start = programme.level_start(programme.level_for(dose_week))
    return max(1, level_start - 1)


def _achilles_step(achilles_week: int, plan: WeekPlan, history: History) -> int:
    planned = _planned_sets(plan, lambda family: family == ACHILLES_FAMILY)
    if planned == 0:
        return achilles_week
    achilles = {
        item.exercise.id
        for day in plan.days
        for item in day.items
        if item.exercise.family == ACHILLES_FAMILY
    }
    volumes = [v for v in _in_week(history.volumes, plan) if v.exercise in achilles]
    done = sum(v.sets for v in volumes)
    pain = _worst(v.pain for v in volumes)
    if pain is not None and pain > TOO_MUCH_PAIN_ABOVE:
        return max(1, achilles_week - 1)
    return achilles_week + 1 if done >= MOVE_ON_ADHERENCE * planned else achilles_week


def _base_week(plan: WeekPlan, history: History) -> int:
    """1 when the week had heel or eccentric drops and pain stayed at most 3."""
    volumes = [v for v in _in_week(history.volumes, plan) if v.exercise in BASE_EXERCISES]
    if not volumes:
        return 0
    pain = _worst([v.pain for v in volumes] + _session_pains(history, plan))
    return 1 if pain is None or pain <= BASE_PAIN else 0


# --------------------------------------------------------------------------- reviewing


def review_week(plan: WeekPlan, history: History) -> WeekReview:
    volumes = _in_week(history.volumes, plan)
    pain = _worst([v.pain for v in volumes] + _session_pains(history, plan))
    return WeekReview(
        plan.week,
        _planned_sets(plan, lambda family: True),
        sum(v.sets for v in volumes),
        pain,
        _worse_morning(plan, history),
    )


def _planned_sets(plan: WeekPlan, family_matches: Callable[[str], bool]) -> int:
    """Planned set rows: one-sided work is recorded once per side."""
    return sum(
        item.set_rows
        for day in plan.days
        for item in day.items
        if family_matches(item.exercise.family)
    )


def _in_week(volumes: Iterable[DayVolume], plan: WeekPlan) -> list[DayVolume]:
    first, last = plan.days[0].date, plan.days[-1].date
    return [v for v in volumes if first <= v.day <= last]


def _session_pains(history: History, plan: WeekPlan) -> list[int | None]:
    first, last = plan.days[0].date, plan.days[-1].date
    return [pain for day, pain in history.session_pain if first <= day <= last]


def _worst(pains: Iterable[int | None]) -> int | None:
    known = [pain for pain in pains if pain is not None]
    return max(known) if known else None


def _worse_morning(plan: WeekPlan, history: History) -> date | None:
    """The first morning after a training day whose check-in was worse than the previous."""
    training = {day.date for day in plan.days if not day.is_rest}
    ordered = sorted(history.checkins, key=lambda check: check.day)
    for before, after in itertools.pairwise(ordered):
        after_training = after.day - timedelta(days=1) in training
        if after_training and worse_morning(before, after):
            return after.day
    return None
