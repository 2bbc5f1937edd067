"""Profile + library + progress -> the week's plan. Pure: dates come in, nothing is read.

How a week is built:
1. The safety rules screen the profile (a referral empties the whole week).
2. The goals' exercises are merged in order, each checked against the rules; a ruled-out
   exercise may be replaced by a stand-in (eccentric drops on the floor without a step).
3. Each exercise takes the dose in force for its week; one that has not joined yet is
   listed with the week it joins.
4. Training days are spread across the week; each exercise takes as many of them as its
   dose asks, never on two days running where the dose says so. Warm-ups open every day
   with impact work, stretches close every day with Achilles or strength work.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations, pairwise

from heelcoach.content.model import DoseStage, Exercise, Library
from heelcoach.domain.profile import Profile
from heelcoach.domain.safety import Screening, Verdict, assess, screen

DAYS_IN_WEEK = 7
# Training days within a week (0 = the profile's start weekday), spread so that any
# exercise that must never fall on two days running still has room.
TRAINING_PATTERNS = {
    2: (0, 3),
    3: (0, 2, 4),
    4: (0, 2, 4, 6),
    5: (0, 1, 3, 4, 6),
    6: (0, 1, 2, 3, 4, 5),
}
BASE_EXERCISES = ("heel-drop", "eccentric-heel-drop", "eccentric-heel-drop-floor")
JUMP = "heel-jump"


@dataclass(frozen=True)
class Progress:
    """Which programme weeks the doses come from; the calendar week may differ."""

    dose_week: int
    achilles_week: int  # eccentric drops progress on their own pain-gated ladder
    jumps_ready: bool
    reasons: tuple[str, ...] = ()

    @classmethod
    def prescribed(cls, week: int, library: Library) -> Progress:
        """As if every earlier week went to plan."""
        ready = week > library.programme.base_weeks_for_jumps
        return cls(week, week, ready)


@dataclass(frozen=True)
class PlanItem:
    """One exercise on one day, with its dose and the support to use."""

    exercise: Exercise
    sets: int
    reps: int | None
    seconds: int | None
    support: str | None
    support_required: bool

    @property
    def per_side(self) -> bool:
        return self.exercise.per_side

    @property
    def cue(self) -> str:
        return self.exercise.cues[0]

    @property
    def dose(self) -> str:
        amount = f"{self.reps} reps" if self.reps is not None else f"{self.seconds} s"
        return f"{self.sets} x {amount}" + (" per side" if self.per_side else "")

    @property
    def set_rows(self) -> int:
        """Sets as the history records them: one-leg work is one row per side."""
        return self.sets * (2 if self.per_side else 1)


@dataclass(frozen=True)
class PlanDay:
    """One day of the week; a day without items is a rest day."""

    date: date
    items: tuple[PlanItem, ...]

    @property
    def is_rest(self) -> bool:
        return not self.items


@dataclass(frozen=True)
class Exclusion:
    """An exercise left out of the week, and the plain reason why."""

    exercise: str
    reason: str


@dataclass(frozen=True)
class WeekPlan:
    """A week of training days, what was left out, warnings and any referral."""

    week: int
    level: str
    days: tuple[PlanDay, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[str, ...]
    referral: str | None
    progress: Progress  # what the doses came from: prescribed, or the history's ladder

    @property
    def level_reasons(self) -> tuple[str, ...]:
        """Why the level is what it is (empty when prescribed)."""
        return self.progress.reasons

    def day(self, when: date) -> PlanDay | None:
        return next((day for day in self.days if day.date == when), None)


def week_start(profile: Profile, week: int) -> date:
    return profile.created + timedelta(days=DAYS_IN_WEEK * (week - 1))


def week_of(profile: Profile, when: date) -> int:
    """The program week `when` falls in (week 1 starts the day the profile was made)."""
    return max(1, (when - profile.created).days // DAYS_IN_WEEK + 1)


# --------------------------------------------------------------------------- the plan


class _Choice:
    """The exercises chosen so far, with what was left out and why (built up in place)."""

    def __init__(self) -> None:
        self.items: list[tuple[Exercise, DoseStage, Verdict]] = []
        self.excluded: list[Exclusion] = []
        self.warnings: list[str] = []

    def exclude(self, exercise_id: str, reason: str) -> None:
        if all(e.exercise != exercise_id for e in self.excluded):
            self.excluded.append(Exclusion(exercise_id, reason))

    def has(self, exercise_id: str) -> bool:
        return any(exercise.id == exercise_id for exercise, _, _ in self.items)


def build_week(
    profile: Profile, library: Library, week: int, progress: Progress | None = None
) -> WeekPlan:
    progress = progress or Progress.prescribed(week, library)
    screening = screen(profile, library)
    start = week_start(profile, week)
    level = library.programme.level_for(progress.dose_week)
    if screening.referral:
        return _referral_week(profile, library, week, start, level, screening, progress)
    choice = _choose(profile, library, screening, progress)
    days = _schedule(profile, library, choice, start)
    warnings = [*screening.warnings, *choice.warnings]
    return WeekPlan(week, level, days, tuple(choice.excluded), tuple(warnings), None, progress)


def _referral_week(
    profile: Profile,
    library: Library,
    week: int,
    start: date,
    level: str,
    screening: Screening,
    progress: Progress,
) -> WeekPlan:
    reason = library.rules["red-flags"].reason
    excluded = tuple(Exclusion(exercise_id, reason) for exercise_id in _goal_ids(profile, library))
    days = tuple(PlanDay(start + timedelta(days=i), ()) for i in range(DAYS_IN_WEEK))
    return WeekPlan(week, level, days, excluded, screening.warnings, screening.referral, progress)


def _goal_ids(profile: Profile, library: Library) -> list[str]:
    ids: dict[str, None] = {}
    for goal_id in profile.goals:
        goal = library.programme.goals[goal_id]
        ids.update(dict.fromkeys(goal.warm_up[-1:]))
        ids.update(dict.fromkeys(entry.exercise for entry in goal.exercises))
    return list(ids)


def _choose(
    profile: Profile, library: Library, screening: Screening, progress: Progress
) -> _Choice:
    choice = _Choice()
    seen: set[str] = set()
    for goal_id in profile.goals:
        for entry in library.programme.goals[goal_id].exercises:
            if entry.exercise not in seen:
                seen.add(entry.exercise)
                _consider(entry.exercise, entry.instead, library, screening, progress, choice)
    _gate_jumps(library, progress, choice)
    _choose_warm_up(profile, library, screening, progress, choice)
    return choice


def _week_for(exercise: Exercise, progress: Progress) -> int:
    return progress.achilles_week if exercise.family == "achilles" else progress.dose_week


def _dose(
    library: Library, exercise: Exercise, progress: Progress, primary: Exercise
) -> DoseStage | None:
    week = _week_for(exercise, progress)
    return library.programme.dose(exercise.id, week) or library.programme.dose(primary.id, week)


def _consider(
    exercise_id: str,
    instead: Sequence[str],
    library: Library,
    screening: Screening,
    progress: Progress,
    choice: _Choice,
) -> None:
    primary = library.exercises[exercise_id]
    verdict = assess(primary, screening)
    stage = _dose(library, primary, progress, primary)
    if verdict.allowed:
        # Safety speaks first: "not yet" is only said of what is safe for this person.
        if stage is None:
            choice.exclude(exercise_id, _not_yet(library, primary))
        else:
            choice.items.append((primary, stage, verdict))
        return
    reason = " ".join(library.rules[rule].reason for rule in verdict.rules)
    for stand_in_id in instead:
        stand_in = library.exercises[stand_in_id]
        stand_in_verdict = assess(stand_in, screening)
        stand_in_stage = _dose(library, stand_in, progress, primary)
        if stand_in_verdict.allowed and stand_in_stage is not None:
            choice.items.append((stand_in, stand_in_stage, stand_in_verdict))
            choice.exclude(exercise_id, f"{reason} {stand_in.name} is planned instead.")
            return
    choice.exclude(exercise_id, reason)


def _not_yet(library: Library, exercise: Exercise) -> str:
    if exercise.id == JUMP:
        return library.rules["jumps-need-base"].reason
    first = library.programme.doses[exercise.id][0].from_week
    level = library.programme.level_for(first)
    return f"Not yet: it joins at the {level} level (program week {first})."


def _gate_jumps(library: Library, progress: Progress, choice: _Choice) -> None:
    """Heel jumps stay out until drops have built a base (004, clinical-notes.md)."""
    if not choice.has(JUMP):
        return
    has_base = any(choice.has(exercise_id) for exercise_id in BASE_EXERCISES)
    if progress.jumps_ready and has_base:
        return
    choice.items = [item for item in choice.items if item[0].id != JUMP]
    choice.exclude(JUMP, library.rules["jumps-need-base"].reason)


def _choose_warm_up(
    profile: Profile, library: Library, screening: Screening, progress: Progress, choice: _Choice
) -> None:
    """The most demanding allowed warm-up; a goal that warms up every day sets it."""
    goals = library.programme.goals
    for goal_id in sorted(profile.goals, key=lambda g: not goals[g].warm_up_every_day):
        for candidate_id in library.programme.goals[goal_id].warm_up:
            candidate = library.exercises[candidate_id]
            stage = _dose(library, candidate, progress, candidate)
            if stage is None:
                continue
            verdict = assess(candidate, screening)
            if verdict.allowed:
                choice.items.insert(0, (candidate, stage, verdict))
                return
            reasons = " ".join(library.rules[rule].reason for rule in verdict.rules)
            choice.exclude(candidate_id, reasons)


# --------------------------------------------------------------------------- the week


def _schedule(
    profile: Profile, library: Library, choice: _Choice, start: date
) -> tuple[PlanDay, ...]:
    training = TRAINING_PATTERNS[profile.days_per_week]
    by_day: dict[int, list[PlanItem]] = {day: [] for day in range(DAYS_IN_WEEK)}
    main = [item for item in choice.items if item[0].family not in ("warm-up", "stretch")]
    main.sort(key=lambda item: -item[1].days)  # the most frequent exercises claim days first
    for exercise, stage, verdict in main:
        for day in _pick_days(training, stage, by_day, exercise, choice):
            by_day[day].append(_item(exercise, stage, verdict))
    _add_bookends(profile, library, choice, by_day)
    order = _session_order(library, choice)
    return tuple(
        PlanDay(
            start + timedelta(days=day),
            tuple(sorted(by_day[day], key=lambda item: order[item.exercise.id])),
        )
        for day in range(DAYS_IN_WEEK)
    )


def _item(exercise: Exercise, stage: DoseStage, verdict: Verdict) -> PlanItem:
    if verdict.support_required:
        support = f"hold {exercise.support} throughout"
    elif exercise.support and stage.support:
        support = f"{exercise.support}, {stage.support}"
    else:
        support = None
    return PlanItem(
        exercise, stage.sets, stage.reps, stage.seconds, support, verdict.support_required
    )


def _pick_days(
    training: Sequence[int],
    stage: DoseStage,
    by_day: dict[int, list[PlanItem]],
    exercise: Exercise,
    choice: _Choice,
) -> tuple[int, ...]:
    """The best spread of `stage.days` training days, fewer (with a warning) if none fits."""
    for count in range(min(stage.days, len(training)), 0, -1):
        fitting = [
            days for days in combinations(training, count) if not stage.apart or _min_gap(days) >= 2
        ]
        if fitting:
            if count < stage.days:
                choice.warnings.append(_too_few_days(exercise, stage, count))
            return max(fitting, key=lambda days: _spread_score(days, by_day))
    return ()


def _min_gap(days: Sequence[int]) -> int:
    """The shortest gap between training days, counting into next week's first day."""
    if len(days) < 2:
        return DAYS_IN_WEEK
    ordered = sorted(days)
    gaps = [b - a for a, b in pairwise(ordered)]
    return min([*gaps, ordered[0] + DAYS_IN_WEEK - ordered[-1]])


def _spread_score(days: Sequence[int], by_day: dict[int, list[PlanItem]]) -> tuple[int, int, int]:
    """Prefer wide gaps, then lightly loaded days, then earlier days."""
    load = sum(len(by_day[day]) for day in days)
    return (_min_gap(days), -load, -sum(days))


def _too_few_days(exercise: Exercise, stage: DoseStage, count: int) -> str:
    spacing = ", never two days running" if stage.apart else ""
    return (
        f"{exercise.name} is meant for {stage.days} days a week{spacing}, but your "
        f"training days allow {count}. Add a training day (`heelcoach screen`) to get "
        "the full dose."
    )


def _add_bookends(
    profile: Profile, library: Library, choice: _Choice, by_day: dict[int, list[PlanItem]]
) -> None:
    """Warm-ups open impact days (000) and stretches close strength days (003)."""
    every_day = any(library.programme.goals[g].warm_up_every_day for g in profile.goals)
    for exercise, stage, verdict in choice.items:
        if exercise.family not in ("warm-up", "stretch"):
            continue
        for items in by_day.values():
            if items and _needs(exercise.family, items, every_day):
                items.append(_item(exercise, stage, verdict))


def _needs(family: str, items: list[PlanItem], every_day: bool) -> bool:
    if family == "warm-up":
        return every_day or any(item.exercise.needs_warm_up for item in items)
    return any(item.exercise.family in ("achilles", "strength") for item in items)


def _session_order(library: Library, choice: _Choice) -> dict[str, tuple[int, int]]:
    families = library.programme.session_order
    return {
        exercise.id: (families.index(exercise.family), position)
        for position, (exercise, _, _) in enumerate(choice.items)
    }
