"""The content's shape: frozen dataclasses for exercises, rules, questions and the programme.

Pure data with no I/O, so the domain can depend on it; `content.loader` builds these from
`content/*.yaml` and is the only code that reads the files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from heelcoach.errors import unknown_id

FAMILIES = ("warm-up", "bone-impact", "drill", "achilles", "strength", "stretch")
MEASURES = ("reps", "seconds")
IMPACTS = ("none", "low", "moderate", "high")
# Body areas an exercise loads: a pain stop on one asks before the next exercise that loads
# the same area. `lower-leg` is the calf, the Achilles tendon and the heel bone.
AREAS = ("lower-leg", "knee", "thigh", "hip", "low-back")
EQUIPMENT = ("step", "support", "mat", "chair")
QUESTION_TYPES = ("int", "bool", "choice", "multi", "number_or_null", "int_or_null")
QUESTION_GROUPS = (
    "readiness",
    "bones",
    "joints",
    "achilles",
    "balance",
    "goals",
    "equipment",
    "schedule",
)


@dataclass(frozen=True)
class Phase:
    """One phase of a repetition's tempo, e.g. Rise for 1 s, with its cue."""

    name: str
    seconds: float
    cue: str


@dataclass(frozen=True)
class Exercise:
    """One exercise of the library, with everything the coach shows and checks."""

    id: str
    name: str
    family: str
    purpose: str
    setup: tuple[str, ...]
    measure: str
    phases: tuple[Phase, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    stop_if: tuple[str, ...]
    not_for: tuple[str, ...]
    support_if: tuple[str, ...]
    support: str | None
    equipment: tuple[str, ...]
    per_side: bool
    impact: str
    needs_warm_up: bool
    rest_seconds: int
    source: str
    variant_of: str | None
    loads: tuple[str, ...]  # body areas (AREAS) the exercise loads
    heel_strikes: bool  # each rep is a heel strike: counts toward the daily impact ceiling
    custom: bool = False  # added by the user in <data dir>/exercises

    @property
    def rep_seconds(self) -> float:
        return sum(phase.seconds for phase in self.phases)

    @property
    def tempo(self) -> str:
        return " / ".join(f"{p.name.lower()} {p.seconds:g} s" for p in self.phases)


@dataclass(frozen=True)
class Rule:
    """A safety rule's words: why it leaves something out, and what to do."""

    id: str
    title: str
    reason: str
    advice: str
    source: str


@dataclass(frozen=True)
class Question:
    """One screening question and the shape of a valid answer."""

    key: str
    text: str
    help: str
    type: str
    choices: tuple[str, ...] | None
    min: float | None
    max: float | None
    group: str


@dataclass(frozen=True)
class DoseStage:
    """The dose of one exercise from `from_week` until the next stage starts."""

    from_week: int
    sets: int
    reps: int | None
    seconds: int | None
    days: int
    apart: bool  # never on two days running
    support: str | None  # how much to lean on the support at this stage


@dataclass(frozen=True)
class GoalEntry:
    """An exercise a goal brings, with stand-ins for when it is ruled out."""

    exercise: str
    instead: tuple[str, ...]  # stand-ins, in order, when the exercise itself is ruled out


@dataclass(frozen=True)
class Goal:
    """What one goal adds to the week: its warm-up candidates and exercises."""

    id: str
    warm_up: tuple[str, ...]  # candidates, most demanding first
    warm_up_every_day: bool
    exercises: tuple[GoalEntry, ...]


@dataclass(frozen=True)
class Level:
    """A level of the programme and the program week it starts in."""

    name: str
    from_week: int


@dataclass(frozen=True)
class Programme:
    """Levels, goals and doses: how a week is put together."""

    levels: tuple[Level, ...]
    goals: Mapping[str, Goal]
    doses: Mapping[str, tuple[DoseStage, ...]]
    session_order: tuple[str, ...]  # families in the order a session runs them
    base_weeks_for_jumps: int

    def level_for(self, week: int) -> str:
        name = self.levels[0].name
        for level in self.levels:
            if week >= level.from_week:
                name = level.name
        return name

    def level_start(self, name: str) -> int:
        return next(level.from_week for level in self.levels if level.name == name)

    def dose(self, exercise_id: str, week: int) -> DoseStage | None:
        """The stage in force in `week`, or None before the exercise joins."""
        current = None
        for stage in self.doses.get(exercise_id, ()):
            if week >= stage.from_week:
                current = stage
        return current


@dataclass(frozen=True)
class Library:
    """Everything in content/, validated: exercises, rules, questions, programme."""

    exercises: Mapping[str, Exercise]
    rules: Mapping[str, Rule]
    questions: tuple[Question, ...]
    programme: Programme

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise, or BadInput with close matches when the id is unknown."""
        found = self.exercises.get(exercise_id)
        if found is None:
            raise unknown_id("exercise", exercise_id, list(self.exercises))
        return found


class ExerciseFacts(NamedTuple):
    """What fast commands need of an exercise, read from the cache without a full load."""

    id: str
    name: str
    measure: str  # "reps" | "seconds"
    per_side: bool
