"""Profile + library + progress -> the week's plan. Pure: dates come in, nothing is read.

`safety.judge` gives a verdict for every exercise (a referral empties the week). The
goals' exercises are checked against it (a stand-in may replace one ruled out), each
takes the dose at its own place on its ladder (`Progress`), and jumps and fast kicks wait
for the base weeks. Training days are spread so that a dose that asks for rest days gets
them and jumping never falls on two days running, across the week boundary too. Warm-ups
open impact days, a stretch closes strength days, and each day stays within the daily
impact ceiling (`domain.ceiling`). A clinician's prescription (`domain.prescription`)
replaces the goals' exercises and doses, checked against the same table; a conflict stays
only with the item's override. The plan holds rule ids and numbers; front ends word it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from itertools import combinations, pairwise
from types import MappingProxyType
from typing import Literal, NamedTuple, TypeAlias

from heelcoach.content.model import DoseStage, Exercise, Library
from heelcoach.domain.ceiling import JUMP, ceiling_day, short_sets
from heelcoach.domain.conditions import holds
from heelcoach.domain.prescription import (
    Conflict,
    Item,
    Prescription,
    calendar_rung,
    dose_at,
    lifts,
    stage_index,
)
from heelcoach.domain.profile import Profile
from heelcoach.domain.readiness import Readiness
from heelcoach.domain.safety import Judgement, Verdict, judge, person_facts

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
BASE_EXERCISES = (
    "heel-drop",
    "eccentric-heel-drop",
    "eccentric-heel-drop-floor",
    "eccentric-heel-drop-bent-knee",
)
# Fast kicks wait for the same base as jumps when the Achilles hurts (clinical-notes.md:
# hopping and jumping only once the tendon has been loaded without too much pain).
KICKS_AFTER_BASE = ("heel-kick-running", "high-knee-heel-kick")
BASE_RULE = "jumps-need-base"
BOOKENDS = ("warm-up", "stretch")


# The empty mapping every default shares: a NamedTuple's default is one object, so it must
# be one nobody can change.
EMPTY: Mapping[str, int] = MappingProxyType({})

NoteKind: TypeAlias = Literal[
    "moved-on",
    "moved-on-slowly",
    "held-nothing-planned",
    "held-review",
    "held-one-at-a-time",
    "comeback",
    "held-adherence",
    "held-unrated",
    "held-mornings",
    "held-bad-mornings",
    "held-stepped-back",
    "stepped-back-pain",
    "stepped-back-morning",
]


class ProgressNote(NamedTuple):
    """Why a ladder is where it is: one judgement, as numbers for the front ends to word."""

    kind: NoteKind
    exercise: str | None  # None for the general ladder
    week: int  # the program week judged
    day: date | None = None  # the day a step back was triggered
    value: float | None = None  # what was measured ...
    limit: float | None = None  # ... and the bar
    extra: float | None = None  # a second measure (morning stiffness beside pain)


class Progress(NamedTuple):
    """Where each dose ladder stands: from the history, or as prescribed."""

    week: int  # the general ladder: the level, and when an exercise may join
    positions: Mapping[str, int] = EMPTY  # each joined exercise's week on its own ladder
    base_weeks: int = 0  # weeks of drops with little pain, which prepare for jumps
    hold: bool = False  # two too-much mornings: no dose rises until a review is recorded
    notes: tuple[ProgressNote, ...] = ()
    prescribed: bool = False  # the programme as written: every exercise at `week`
    rungs: Mapping[str, int] = EMPTY  # a prescribed exercise's rung (0: the first dose)
    slow: int = 0  # weeks with half the evidence since the last move (half pace)
    back_on: date | None = None  # after a long break: readiness tests before it are redone
    idle: int = 0  # whole weeks in a row with work planned and nothing done

    def position(self, exercise: Exercise, library: Library) -> int | None:
        """The week on the exercise's dose ladder, or None before it joins.

        A variant with doses of its own (one-leg drops, bent-knee drops) joins when the
        exercise it varies reaches its first stage; anything else joins when the general
        ladder does. Once joined, an exercise keeps its own place.
        """
        if self.prescribed:
            return self.week
        if exercise.id in self.positions:
            return self.positions[exercise.id]
        stages = stages_for(exercise, library)
        if not stages:
            return None
        parent = exercise.variant_of if library.programme.stages(exercise.id) else None
        # A variant loading the same tissue as its parent (bent-knee and straight-knee
        # drops) joins from the place the parent has reached on its own ladder, never from
        # the general one: it waits while the parent has not joined.
        waits = parent is not None and _one_tissue(exercise.id, parent, library)
        reached = self.positions.get(parent, 0 if waits else self.week) if parent else self.week
        return stages[0].from_week if reached >= stages[0].from_week else None

    def jumps_ready(self, library: Library) -> bool:
        return self.base_weeks >= library.programme.base_weeks_for_jumps


def _one_tissue(exercise_id: str, other: str, library: Library) -> bool:
    return any(
        exercise_id in group and other in group for group in library.programme.rise_one_at_a_time
    )


class PlanItem(NamedTuple):
    """One exercise on one day, with its dose and the support to use."""

    exercise: Exercise
    sets: int
    reps: int | None
    seconds: int | None
    support: str | None
    support_required: bool
    cut_from: tuple[int, int] | None = None  # (sets, reps) before the impact ceiling cut
    written: Item | None = None  # the clinician's item (its dose may be lighter now)
    despite: tuple[str, ...] = ()  # the rules its override lifted
    rung: int | None = None  # where a prescribed dose stands on its ladder

    @property
    def per_side(self) -> bool:
        return self.exercise.per_side

    @property
    def set_rows(self) -> int:
        """Sets as the history records them: one-leg work is one row per side."""
        return self.sets * (2 if self.per_side else 1)

    @property
    def heel_strikes(self) -> int:
        """Heel strikes this item adds to the day (each side counted)."""
        if not self.exercise.heel_strikes or self.reps is None:
            return 0
        return self.set_rows * self.reps


class PlanDay(NamedTuple):
    """One day of the week; a day without items is a rest day."""

    date: date
    items: tuple[PlanItem, ...]

    @property
    def is_rest(self) -> bool:
        return not self.items

    @property
    def heel_strikes(self) -> int:
        return sum(item.heel_strikes for item in self.items)


ExclusionKind: TypeAlias = Literal["rules", "gate", "base", "not-yet", "replaced"]


class Exclusion(NamedTuple):
    """An exercise left out of the week: which rules (or gate, base, or not yet) and what
    stands in for it, if anything."""

    exercise: str
    kind: ExclusionKind
    rules: tuple[str, ...] = ()
    joins_week: int | None = None
    stand_in: str | None = None


NoticeKind: TypeAlias = Literal["too-few-days", "hold", "rescreen"]


class Notice(NamedTuple):
    """Something the plan had to do and says: fewer days than a dose asks, every
    progression held, or an answer out of date (`exercise`: its key, `got`: months)."""

    kind: NoticeKind
    exercise: str | None = None
    wanted: int | None = None
    got: int | None = None


class WeekPlan(NamedTuple):
    """A week of training days, what was left out and why, warnings and any referral."""

    week: int
    level: str
    days: tuple[PlanDay, ...]
    excluded: tuple[Exclusion, ...]
    warnings: tuple[str, ...]  # rule ids whose advice comes before the first session
    notices: tuple[Notice, ...]
    referral: tuple[str, ...]  # referral rule ids: no home plan while any applies
    progress: Progress  # what the doses came from: prescribed, or the history's ladders
    impact_ceiling: int
    readiness: Readiness | None = None  # the test results the gates read
    prescription: Prescription | None = None  # a clinician's programme, saved
    stage: int | None = None  # which of its stages is in force (None: not begun, or none)
    conflicts: tuple[Conflict, ...] = ()  # that stage's items against the rules

    @property
    def prescribed(self) -> Prescription | None:
        """The clinician's programme when it is the one this week follows."""
        return self.prescription if self.stage is not None else None

    def day(self, when: date) -> PlanDay | None:
        return next((day for day in self.days if day.date == when), None)

    def items(self) -> list[PlanItem]:
        return [item for day in self.days for item in day.items]

    def exclusion(self, exercise_id: str) -> Exclusion | None:
        return next((e for e in self.excluded if e.exercise == exercise_id), None)


def week_start(profile: Profile, week: int) -> date:
    return profile.created + timedelta(days=DAYS_IN_WEEK * (week - 1))


def week_of(profile: Profile, when: date) -> int:
    """The program week `when` falls in (week 1 starts the day the profile was made)."""
    return max(1, (when - profile.created).days // DAYS_IN_WEEK + 1)


def stages_for(exercise: Exercise, library: Library) -> tuple[DoseStage, ...]:
    """The exercise's dose ladder; a stand-in without one follows the exercise it varies."""
    own = library.programme.stages(exercise.id)
    if own or exercise.variant_of is None:
        return own
    return library.programme.stages(exercise.variant_of)


def impact_ceiling(profile: Profile, library: Library, week: int = 1) -> int:
    """Heel strikes allowed in one day for this person at general ladder `week`
    (programme.yaml): a cautious start builds towards the default with the level."""
    ceiling = library.programme.impact_ceiling
    known = person_facts(profile, library, Readiness())
    if holds(ceiling.cautious_when, known):
        return ceiling.cautious_at(week)
    return ceiling.default


# --------------------------------------------------------------------------- the plan


class _Chosen(NamedTuple):
    exercise: Exercise
    stage: DoseStage
    verdict: Verdict
    written: Item | None = None  # as the clinician wrote it
    lifted: tuple[str, ...] = ()  # the rules its override lifts
    rung: int | None = None  # the rung of its ladder the dose stands on


class _Choice:
    """The exercises chosen so far, what was left out and why, and (for a prescription's
    stage starting at `stage_week`) every item's conflicts, lifted or not."""

    def __init__(self, stage_week: int = 0) -> None:
        self.items: list[_Chosen] = []
        self.excluded: list[Exclusion] = []
        self.notices: list[Notice] = []
        self.stage_week = stage_week
        self.conflicts: dict[Conflict, None] = {}

    def conflict(self, exercise_id: str, rule: str, lifted: bool) -> None:
        self.conflicts[Conflict(self.stage_week, exercise_id, rule, lifted)] = None

    def exclude(self, exclusion: Exclusion) -> None:
        if all(e.exercise != exclusion.exercise for e in self.excluded):
            self.excluded.append(exclusion)

    def has(self, exercise_id: str) -> bool:
        return any(chosen.exercise.id == exercise_id for chosen in self.items)


def build_week(
    profile: Profile,
    library: Library,
    week: int,
    progress: Progress | None = None,
    readiness: Readiness | None = None,
    previous: WeekPlan | None = None,
    prescription: Prescription | None = None,
    *,
    after_jump_day: bool | None = None,
) -> WeekPlan:
    """The plan for program `week`. `previous` (last week's plan), or `after_jump_day`
    without it, keeps jumping off two days running across the week boundary. A begun
    `prescription`'s stage replaces the goals' exercises; the plan carries it either way,
    so the weeks after it can be planned from the plan."""
    # Without a history: as written, as if every earlier week went to plan.
    progress = progress or Progress(week, base_weeks=week - 1, prescribed=True)
    judgement = judge(profile, library, readiness)
    start = week_start(profile, week)
    level = library.programme.level_for(progress.week)
    ceiling = impact_ceiling(profile, library, progress.week)
    index = None if prescription is None else stage_index(prescription, profile.created, week)
    if judgement.referral:
        choice = _referral(profile, library, judgement, prescription, index)
        days = tuple(PlanDay(start + timedelta(days=i), ()) for i in range(DAYS_IN_WEEK))
    else:
        if prescription is None or index is None:
            choice = _choose(profile, library, judgement, progress, readiness)
        else:
            choice = _prescribed(
                profile, library, judgement, progress, readiness, prescription, index
            )
        if after_jump_day is None:
            after_jump_day = previous is not None and ends_on_jump_day(previous, library)
        days = _schedule(profile, library, choice, start, after_jump_day, ceiling)
        if progress.hold:
            choice.notices.append(Notice("hold"))
    return WeekPlan(
        week=week,
        level=level,
        days=days,
        excluded=tuple(choice.excluded),
        warnings=judgement.warnings,
        notices=tuple(choice.notices),
        referral=judgement.referral,
        progress=progress,
        impact_ceiling=ceiling,
        readiness=None if judgement.referral else readiness,
        prescription=prescription,
        stage=index,
        conflicts=tuple(choice.conflicts),
    )


def _referral(
    profile: Profile,
    library: Library,
    judgement: Judgement,
    prescription: Prescription | None,
    index: int | None,
) -> _Choice:
    """No home plan: every goal exercise is left out for the referral, and every item of a
    prescription in force conflicts with it (none of them lifts)."""
    choice = _Choice()
    for exercise_id in goal_exercises(profile, library):
        choice.exclude(Exclusion(exercise_id, "rules", judgement.referral))
    if prescription is not None and index is not None:
        stage = prescription.stages[index]
        choice.stage_week = stage.from_week
        for item in stage.items:
            for rule in judgement.referral:
                choice.conflict(item.exercise, rule, rule in lifts(item, (rule,), library))
    return choice


def goal_exercises(profile: Profile, library: Library) -> list[str]:
    """The exercises this person's goals bring, in order (warm-ups and stand-ins aside)."""
    ids: dict[str, None] = {}
    for goal_id in profile.goals:
        goal = library.programme.goals[goal_id]
        ids.update(dict.fromkeys(goal.warm_up[-1:]))
        ids.update(dict.fromkeys(entry.exercise for entry in goal.exercises))
    return list(ids)


def _choose(
    profile: Profile,
    library: Library,
    judgement: Judgement,
    progress: Progress,
    readiness: Readiness | None,
) -> _Choice:
    choice = _Choice()
    seen: set[str] = set()
    known = person_facts(profile, library, readiness or Readiness())
    for goal_id in profile.goals:
        for entry in library.programme.goals[goal_id].exercises:
            if entry.only_if is not None and not holds(entry.only_if, known):
                continue
            if entry.exercise not in seen:
                seen.add(entry.exercise)
                _consider(entry.exercise, entry.instead, library, judgement, progress, choice)
    _gate_on_base(profile, library, progress, choice)
    _choose_warm_up(profile, library, judgement, progress, choice)
    _add_stretch(library, judgement, progress, choice)
    return choice


# --------------------------------------------------------------------------- a prescription


def _prescribed(
    profile: Profile,
    library: Library,
    judgement: Judgement,
    progress: Progress,
    readiness: Readiness | None,
    prescription: Prescription,
    index: int,
) -> _Choice:
    """The stage's items, each checked and kept or left out, then the usual bookends."""
    stage = prescription.stages[index]
    choice = _Choice(stage.from_week)
    min_reps = library.programme.impact_ceiling.min_reps
    for item in stage.items:
        exercise = library.exercises.get(item.exercise)
        if exercise is None:  # one of the person's own exercises, since removed
            continue
        rules = _item_rules(profile, library, judgement, progress, item.exercise)
        lifted = lifts(item, rules, library)
        for rule in rules:
            choice.conflict(item.exercise, rule, rule in lifted)
        blocking = tuple(rule for rule in rules if rule not in lifted)
        if blocking:
            choice.exclude(Exclusion(item.exercise, _kind(blocking, library), blocking))
            continue
        table = judge(profile, library, readiness, lifted=lifted) if lifted else judgement
        verdict = table.verdict(item.exercise)
        top = calendar_rung(prescription, item.exercise, index)
        rung = min(progress.rungs.get(item.exercise, top), top)
        dose = dose_at(prescription, item.exercise, rung, min_reps)
        stage_dose = DoseStage(stage.from_week, *dose, item.days, False, None)
        choice.items.append(_Chosen(exercise, stage_dose, verdict, item, lifted, rung))
    if not any(chosen.exercise.family == "warm-up" for chosen in choice.items):
        _choose_warm_up(profile, library, judgement, progress, choice)
    _add_stretch(library, judgement, progress, choice)
    return choice


def _item_rules(
    profile: Profile, library: Library, judgement: Judgement, progress: Progress, exercise_id: str
) -> list[str]:
    """The rules an exercise conflicts with: the safety table's, then the base for jumps."""
    verdict = judgement.verdict(exercise_id)
    rules = [] if verdict.allowed else list(verdict.rules)
    waiting = (JUMP, *KICKS_AFTER_BASE) if profile.achilles_pain else (JUMP,)
    if exercise_id in waiting and not progress.jumps_ready(library):
        rules.append(BASE_RULE)
    return rules


def _kind(rules: Sequence[str], library: Library) -> ExclusionKind:
    if tuple(rules) == (BASE_RULE,):
        return "base"
    return "gate" if all(library.rules[r].kind == "gate" for r in rules) else "rules"


def _dose(library: Library, exercise: Exercise, progress: Progress) -> DoseStage | None:
    """The stage in force at the exercise's place on its ladder (None: not joined yet)."""
    week = progress.position(exercise, library)
    return None if week is None else stage_at(exercise, library, week)


def stage_at(exercise: Exercise, library: Library, week: int) -> DoseStage | None:
    """The stage in force at `week` of the exercise's ladder (None: before its first)."""
    return next((s for s in reversed(stages_for(exercise, library)) if week >= s.from_week), None)


def _consider(
    exercise_id: str,
    instead: Sequence[str],
    library: Library,
    judgement: Judgement,
    progress: Progress,
    choice: _Choice,
) -> None:
    primary = library.exercises[exercise_id]
    verdict = judgement.verdict(exercise_id)
    if verdict.allowed:
        # Safety speaks first: "not yet" is only said of what is safe for this person.
        stage = _dose(library, primary, progress)
        if stage is None:
            choice.exclude(Exclusion(exercise_id, "not-yet", joins_week=_joins(library, primary)))
        else:
            choice.items.append(_Chosen(primary, stage, verdict))
        return
    for stand_in_id in instead:
        stand_in = library.exercises[stand_in_id]
        stand_in_verdict = judgement.verdict(stand_in_id)
        stand_in_stage = _dose(library, stand_in, progress)
        if stand_in_verdict.allowed and stand_in_stage is not None:
            choice.items.append(_Chosen(stand_in, stand_in_stage, stand_in_verdict))
            choice.exclude(Exclusion(exercise_id, "replaced", verdict.rules, stand_in=stand_in_id))
            return
    choice.exclude(_left_out(judgement, exercise_id, library))


def _left_out(judgement: Judgement, exercise_id: str, library: Library) -> Exclusion:
    rules = judgement.verdict(exercise_id).rules
    return Exclusion(exercise_id, _kind(rules, library), rules)


def _joins(library: Library, exercise: Exercise) -> int | None:
    stages = stages_for(exercise, library)
    return stages[0].from_week if stages else None


def _gate_on_base(profile: Profile, library: Library, progress: Progress, choice: _Choice) -> None:
    """Jumps (and, with Achilles pain, fast kicks) wait for a base of drops (004,
    clinical-notes.md: pain-gated entry to impact)."""
    waiting = (JUMP, *KICKS_AFTER_BASE) if profile.achilles_pain else (JUMP,)
    has_base = any(choice.has(exercise_id) for exercise_id in BASE_EXERCISES)
    if progress.jumps_ready(library) and has_base:
        return
    for exercise_id in waiting:
        if choice.has(exercise_id):
            choice.exclude(Exclusion(exercise_id, "base", (BASE_RULE,)))
    choice.items = [chosen for chosen in choice.items if chosen.exercise.id not in waiting]


def _choose_warm_up(
    profile: Profile, library: Library, judgement: Judgement, progress: Progress, choice: _Choice
) -> None:
    """The most demanding allowed warm-up; a goal that warms up every day sets it."""
    goals = library.programme.goals
    waiting = (
        KICKS_AFTER_BASE if profile.achilles_pain and not progress.jumps_ready(library) else ()
    )
    for goal_id in sorted(profile.goals, key=lambda g: not goals[g].warm_up_every_day):
        for candidate_id in goals[goal_id].warm_up:
            candidate = library.exercises[candidate_id]
            stage = _dose(library, candidate, progress)
            if stage is None:
                continue
            verdict = judgement.verdict(candidate_id)
            if candidate_id in waiting:
                choice.exclude(Exclusion(candidate_id, "base", (BASE_RULE,)))
            elif verdict.allowed:
                choice.items.insert(0, _Chosen(candidate, stage, verdict))
                return
            else:
                choice.exclude(_left_out(judgement, candidate_id, library))


def _add_stretch(
    library: Library, judgement: Judgement, progress: Progress, choice: _Choice
) -> None:
    """003: every day with strength work ends with a stretch of the back of the leg."""
    stretch_id = library.programme.stretch_after_strength
    has_strength = any(chosen.exercise.family == "strength" for chosen in choice.items)
    if not has_strength or choice.has(stretch_id) or not judgement.verdict(stretch_id).allowed:
        return
    stretch = library.exercises[stretch_id]
    stage = _dose(library, stretch, progress)
    if stage is not None:
        choice.items.append(_Chosen(stretch, stage, judgement.verdict(stretch_id)))


# --------------------------------------------------------------------------- the week


def _schedule(
    profile: Profile,
    library: Library,
    choice: _Choice,
    start: date,
    after_jump_day: bool,
    ceiling: int,
) -> tuple[PlanDay, ...]:
    training = TRAINING_PATTERNS[profile.days_per_week]
    by_day: dict[int, list[PlanItem]] = {day: [] for day in range(DAYS_IN_WEEK)}
    group = library.programme.never_two_days_running
    blocked = {0} if after_jump_day else set()  # day 0 is next to last week's last day
    main = [c for c in choice.items if c.exercise.family not in BOOKENDS]
    main.sort(key=lambda c: -c.stage.days)  # the most frequent exercises claim days first
    for chosen in main:
        in_group = chosen.exercise.id in group
        taken = _group_days(by_day, group) if in_group else set()
        usable = [d for d in training if not (in_group and (d in blocked or _next_to(d, taken)))]
        for day in _pick_days(usable, chosen, by_day, choice):
            by_day[day].append(_item(chosen, library.programme.impact_ceiling.set_most))
    _add_bookends(profile, library, choice, by_day)
    order = _session_order(library, choice)
    limits = library.programme.impact_ceiling
    ordered = {day: sorted(by_day[day], key=lambda i: order[i.exercise.id]) for day in by_day}
    return tuple(
        PlanDay(
            start + timedelta(days=day),
            ceiling_day(ordered[day], ceiling, limits, choice.conflict, library),
        )
        for day in range(DAYS_IN_WEEK)
    )


def ends_on_jump_day(plan: WeekPlan, library: Library) -> bool:
    """Whether the week's last day holds one of the exercises never done on two days
    running (then the next week's first day is off limits to them)."""
    group = library.programme.never_two_days_running
    return any(item.exercise.id in group for item in plan.days[-1].items)


def _group_days(by_day: Mapping[int, list[PlanItem]], group: Sequence[str]) -> set[int]:
    return {day for day, items in by_day.items() if any(i.exercise.id in group for i in items)}


def _next_to(day: int, taken: set[int]) -> bool:
    """`day` is next to a taken day, counting into next week (day 6 then day 0)."""
    return any((day - other) % DAYS_IN_WEEK in (1, DAYS_IN_WEEK - 1) for other in taken)


def _item(chosen: _Chosen, set_most: int | None = None) -> PlanItem:
    """A plan item; a prescribed one keeps the clinician's support words and dose, and a
    support is held throughout wherever the safety table asks for one."""
    exercise, stage, verdict, written, lifted, rung = chosen
    if written is None and set_most and exercise.heel_strikes and (stage.reps or 0) > set_most:
        stage = short_sets(stage, set_most)
    own = written.support if written is not None else None
    support: str | None
    if verdict.support_required:
        support = f"hold {exercise.support} throughout" + (f"; {own}" if own else "")
    elif written is not None:
        support = own or exercise.support
    elif exercise.support and stage.support:
        support = f"{exercise.support}, {stage.support}"
    else:
        support = None
    return PlanItem(
        exercise,
        stage.sets,
        stage.reps,
        stage.seconds,
        support,
        verdict.support_required,
        written=written,
        despite=lifted,
        rung=rung,
    )


def _pick_days(
    training: Sequence[int], chosen: _Chosen, by_day: dict[int, list[PlanItem]], choice: _Choice
) -> tuple[int, ...]:
    """The best spread of the dose's training days, fewer (with a notice) if none fits."""
    stage = chosen.stage
    for count in range(min(stage.days, len(training)), 0, -1):
        fitting = [
            days for days in combinations(training, count) if not stage.apart or _min_gap(days) >= 2
        ]
        if fitting:
            if count < stage.days:
                choice.notices.append(Notice("too-few-days", chosen.exercise.id, stage.days, count))
            return max(fitting, key=lambda days: _spread_score(days, by_day))
    return ()


def _min_gap(days: Sequence[int]) -> int:
    """The shortest gap between training days, counting into next week's first day."""
    ordered = sorted(days)
    gaps = [b - a for a, b in pairwise(ordered)]
    return min([*gaps, ordered[0] + DAYS_IN_WEEK - ordered[-1]])


def _spread_score(days: Sequence[int], by_day: dict[int, list[PlanItem]]) -> tuple[int, int, int]:
    """Prefer wide gaps, then lightly loaded days, then earlier days."""
    load = sum(len(by_day[day]) for day in days)
    return (_min_gap(days), -load, -sum(days))


def _add_bookends(
    profile: Profile, library: Library, choice: _Choice, by_day: dict[int, list[PlanItem]]
) -> None:
    """Warm-ups open impact days (000) and stretches close strength days (003)."""
    every_day = any(library.programme.goals[g].warm_up_every_day for g in profile.goals)
    for chosen in choice.items:
        if chosen.exercise.family not in BOOKENDS:
            continue
        for items in by_day.values():
            if items and _needs(chosen.exercise.family, items, every_day):
                items.append(_item(chosen))


def _needs(family: str, items: list[PlanItem], every_day: bool) -> bool:
    if family == "warm-up":
        return every_day or any(item.exercise.needs_warm_up for item in items)
    return any(item.exercise.family in ("achilles", "strength") for item in items)


def _session_order(library: Library, choice: _Choice) -> dict[str, tuple[int, int]]:
    families = library.programme.session_order
    return {
        chosen.exercise.id: (families.index(chosen.exercise.family), position)
        for position, chosen in enumerate(choice.items)
    }
