"""A clinician's programme, and how it meets the screening: the model, its weeks, its doses.

A `Prescription` is a list of stages, a later stage replacing the earlier ones from its
week; its week 1 is the program week holding its `date`. Every item is checked with the
same safety table, base rule and impact ceiling as the built-in programme (`check`). A
conflict stays only when the item gives `override: <reason>`, never for a rule marked
`overridable: false` (red flags, supervision, a recent or spinal fracture, an acute
injury, frailty), and once accepted an override lifts only the rules it was accepted for.
The pain-monitoring engine still applies: each prescribed exercise has a ladder of
`STEPS_DOWN` lighter rungs below the first dose written and each later dose above it; it
steps back a rung after too much pain or a worse morning, and moves up one after a good
week, never ahead of the clinician's calendar.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from heelcoach.content.model import Exercise, Library
from heelcoach.domain.profile import Profile
from heelcoach.domain.readiness import Readiness

STEPS_DOWN = 3  # lighter rungs below a prescribed dose
MIN_SECONDS = 10  # a timed set is never cut below this
CEILING_RULE = "impact-ceiling"  # the planner's rule for the daily impact ceiling


class Item(NamedTuple):
    """One exercise as the clinician wrote it: the dose, the support, a note, an override."""

    exercise: str
    sets: int
    reps: int | None
    seconds: int | None
    days: int
    per_side: bool | None = None  # as written; None when the file left it out
    support: str | None = None
    note: str | None = None
    override: str | None = None  # why the clinician keeps it despite a conflict
    # The rules the override was accepted for (None until checked: any it may lift).
    accepted: tuple[str, ...] | None = None

    @property
    def dose(self) -> Dose:
        return Dose(self.sets, self.reps, self.seconds)


class Stage(NamedTuple):
    """The items in force from prescription week `from_week` until the next stage."""

    from_week: int
    items: tuple[Item, ...]

    def item(self, exercise_id: str) -> Item | None:
        return next((i for i in self.items if i.exercise == exercise_id), None)


class Prescription(NamedTuple):
    """A clinician's programme: who wrote it and when, a note, and its stages (in order)."""

    clinician: str
    date: date
    note: str | None
    stages: tuple[Stage, ...]

    def exercises(self) -> list[str]:
        """Every exercise it names, in the order first written."""
        return list(dict.fromkeys(item.exercise for s in self.stages for item in s.items))


class Dose(NamedTuple):
    sets: int
    reps: int | None
    seconds: int | None


class Conflict(NamedTuple):
    """One item against one rule: `lifted` when the item's override keeps it anyway."""

    from_week: int  # the stage's prescription week
    exercise: str
    rule: str
    lifted: bool


def first_week(prescription: Prescription, created: date) -> int:
    """The program week that is week 1 of the prescription (the week holding its date)."""
    return max(1, (prescription.date - created).days // 7 + 1)


def stage_index(prescription: Prescription, created: date, week: int) -> int | None:
    """Which stage is in force in program `week` (None: the prescription has not begun)."""
    own = week - first_week(prescription, created) + 1
    index = bisect_right([stage.from_week for stage in prescription.stages], own) - 1
    return index if index >= 0 else None


def program_week(prescription: Prescription, created: date, stage: Stage) -> int:
    """The program week a stage begins in."""
    return first_week(prescription, created) + stage.from_week - 1


def lifts(item: Item, rules: Sequence[str], library: Library) -> tuple[str, ...]:
    """The rules the item's override lifts: none without an override, never one marked
    `overridable: false`, and once accepted only those it was accepted for (a conflict
    that arises later, from new answers or a base lost to a painful week, is not)."""
    if item.override is None:
        return ()
    return tuple(
        rule
        for rule in rules
        if library.rules[rule].overridable and (item.accepted is None or rule in item.accepted)
    )


def accepted(prescription: Prescription, conflicts: Sequence[Conflict]) -> Prescription:
    """The prescription with each overriding item's lifted rules recorded on it."""
    lifted: dict[tuple[int, str], list[str]] = {}
    for conflict in conflicts:
        if conflict.lifted:
            lifted.setdefault((conflict.from_week, conflict.exercise), []).append(conflict.rule)
    stages = tuple(
        stage._replace(items=tuple(
            item._replace(accepted=tuple(lifted.get((stage.from_week, item.exercise), ())))
            if item.override is not None else item
            for item in stage.items
        ))
        for stage in prescription.stages
    )  # fmt: skip
    return prescription._replace(stages=stages)


def step_down(dose: Dose, min_reps: int) -> Dose:
    """One rung lighter: a set fewer while there are two or more, then a third fewer reps
    (or seconds), never below `min_reps` reps or `MIN_SECONDS` seconds."""
    if dose.sets > 1:
        return dose._replace(sets=dose.sets - 1)
    if dose.reps is not None:
        return dose._replace(reps=max(min(dose.reps, min_reps), math.ceil(dose.reps * 2 / 3)))
    seconds = dose.seconds or MIN_SECONDS
    return dose._replace(seconds=max(min(seconds, MIN_SECONDS), math.ceil(seconds * 2 / 3)))


def ladder(prescription: Prescription, exercise_id: str, min_reps: int) -> list[Dose]:
    """The exercise's rungs, lightest first: `STEPS_DOWN` below the first prescribed dose,
    then each dose written for it, in order (a dose repeated in the next stage is one rung)."""
    written: list[Dose] = []
    for stage in prescription.stages:
        item = stage.item(exercise_id)
        if item is not None and (not written or written[-1] != item.dose):
            written.append(item.dose)
    below: list[Dose] = []
    for _ in range(STEPS_DOWN):
        below.insert(0, step_down(below[0] if below else written[0], min_reps))
    return [*below, *written]


def calendar_rung(prescription: Prescription, exercise_id: str, index: int) -> int:
    """The rung the clinician's calendar reaches for the exercise in stage `index`
    (0 for the first dose written, 1 for the next different one, and so on)."""
    rung, last = -1, None
    for stage in prescription.stages[: index + 1]:
        item = stage.item(exercise_id)
        if item is not None and item.dose != last:
            rung, last = rung + 1, item.dose
    return max(rung, 0)


def dose_at(prescription: Prescription, exercise_id: str, rung: int, min_reps: int) -> Dose:
    rungs = ladder(prescription, exercise_id, min_reps)
    return rungs[max(0, min(len(rungs) - 1, rung + STEPS_DOWN))]


def strikes(exercise: Exercise, dose: Dose, per_side: bool) -> int:
    """Heel strikes a dose adds to a day (each side counted), as the planner counts them."""
    if not exercise.heel_strikes or dose.reps is None:
        return 0
    return dose.sets * (2 if per_side else 1) * dose.reps


def check(
    prescription: Prescription,
    profile: Profile,
    library: Library,
    readiness: Readiness | None = None,
    base_weeks: int = 0,
) -> list[Conflict]:
    """Every conflict of every stage with the person, lifted or not: each stage planned as
    its first week, with the base for jumps as it stands (`base_weeks`) plus the earlier
    prescribed weeks that hold drops. (The planner imports this module, hence late.)"""
    from heelcoach.domain.planner import BASE_EXERCISES, Progress, build_week

    found: dict[Conflict, None] = {}
    base = base_weeks
    for index, stage in enumerate(prescription.stages):
        week = program_week(prescription, profile.created, stage)
        progress = Progress(week, base_weeks=base, prescribed=True)
        plan = build_week(profile, library, week, progress, readiness, prescription=prescription)
        found.update(dict.fromkeys(plan.conflicts))
        following = prescription.stages[index + 1 : index + 2]
        length = following[0].from_week - stage.from_week if following else 0
        if any(stage.item(exercise_id) for exercise_id in BASE_EXERCISES):
            base += length
    return list(found)
