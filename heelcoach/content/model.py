"""The content's shape: immutable records for exercises, rules, questions and the programme.

Pure data with no I/O, so the domain can depend on it; `content.loader` builds these from
`content/*.yaml` and is the only code that reads the files. The `Annotated` marks say what
the content may hold (ranges, names, ids it must know); the loader checks every field
against them, so a limit is written once, beside the field it limits. The annotations are
evaluated as the classes are made (no `from __future__ import annotations`), so reading
them at load time costs no parsing.
"""

from collections.abc import Mapping
from typing import Annotated, NamedTuple

from heelcoach.errors import unknown_id

MEASURES = ("reps", "seconds")

FAMILIES = ("warm-up", "bone-impact", "drill", "achilles", "strength", "stretch")
IMPACTS = ("none", "low", "moderate", "high")
# Body areas an exercise loads: a pain stop on one asks before the next exercise that loads
# the same area. `lower-leg` is the calf, the Achilles tendon and the heel bone.
AREAS = ("lower-leg", "knee", "thigh", "hip", "low-back")
EQUIPMENT = ("step", "support", "mat", "chair")
QUESTION_TYPES = ("int", "bool", "choice", "multi", "number_or_null", "int_or_null")
QUESTION_GROUPS = (
    "about you",
    "readiness",
    "bones",
    "joints",
    "achilles",
    "balance",
    "equipment",
    "schedule",
)
RULE_KINDS = ("referral", "warning", "exclude", "gate", "planner")
TESTS = ("tiptoe", "hops", "heel-raise")
# Facts a condition may read besides the screening answers (see content/rules.yaml).
DERIVED_FACTS = ("bone_category", "tiptoe_painful", "hops_not_passed")
# Answers about recent events, asked again once their window passes (`answers_age`).
DATED_ANSWERS = ("fracture_within_months", "acute_injury", "pregnant")


class Between(NamedTuple):
    """A number from `low` to `high`; on a list, how many entries it may have."""

    low: float
    high: float


class OneOf(NamedTuple):
    """A name from a fixed list."""

    names: tuple[str, ...]


class Known(NamedTuple):
    """An id the library must define (`what` is the library's mapping: exercises, rules,
    sources), so a typo in one file cannot point at nothing."""

    what: str


NON_EMPTY = Between(1, float("inf"))
WEEK = Annotated[int, Between(1, 520)]
EXERCISE_ID = Annotated[str, Known("exercises")]
PAIN = Annotated[int, Between(0, 10)]
SHARE = Annotated[float, Between(0, 1)]


class Condition(NamedTuple):
    """When a rule applies: a test of one answer, or `all`/`any`/`not` of other conditions.

    `op` names the test (content/rules.yaml documents them); `key` the answer or fact it
    reads; `value` what it compares with; `parts` the conditions it combines.
    """

    op: str
    key: str | None = None
    value: float | bool | tuple[str, ...] | None = None
    parts: tuple["Condition", ...] = ()


class Phase(NamedTuple):
    """One phase of a repetition's tempo, e.g. Rise for 1 s, with its cue."""

    name: str
    seconds: Annotated[float, Between(0.1, 600)]
    cue: str


class Exercise(NamedTuple):
    """One exercise of the library, with everything the coach shows and checks."""

    id: str
    name: str
    family: Annotated[str, OneOf(FAMILIES)]
    purpose: str
    setup: tuple[str, ...]
    measure: Annotated[str, OneOf(MEASURES)]
    phases: Annotated[tuple[Phase, ...], NON_EMPTY]
    cues: Annotated[tuple[str, ...], NON_EMPTY]
    mistakes: tuple[str, ...]
    stop_if: tuple[str, ...]
    not_for: tuple[Annotated[str, Known("rules")], ...]
    support_if: tuple[Annotated[str, Known("rules")], ...]
    support: str | None
    equipment: tuple[Annotated[str, OneOf(EQUIPMENT)], ...]
    per_side: bool
    impact: Annotated[str, OneOf(IMPACTS)]
    needs_warm_up: bool
    rest_seconds: Annotated[int, Between(0, 600)]
    source: Annotated[str, Known("sources")]
    variant_of: str | None  # checked once every file is read: it may name any of them
    loads: tuple[Annotated[str, OneOf(AREAS)], ...]  # body areas the exercise loads
    heel_strikes: bool  # each rep is a heel strike: counts toward the daily impact ceiling
    custom: bool = False  # added by the user in <data dir>/exercises

    @property
    def tempo(self) -> str:
        return " / ".join(f"{p.name.lower()} {p.seconds:g} s" for p in self.phases)


class Rule(NamedTuple):
    """A safety rule: when it applies, what it does (`kind`), and its words and source."""

    id: str
    kind: Annotated[str, OneOf(RULE_KINDS)]
    title: str
    reason: str
    advice: str
    source: Annotated[str, Known("sources")]
    when: Condition | None  # None: applied by the planner itself
    overridable: bool  # can a clinician's prescription lift it for a home programme?
    warn: bool = False  # also say the advice before the first session
    test: Annotated[str, OneOf(TESTS)] | None = None  # for a gate: the test that opens it


class Question(NamedTuple):
    """One screening question and the shape of a valid answer."""

    key: str
    text: str
    help: str
    short: str  # how the answer is named in a referral or a summary
    type: Annotated[str, OneOf(QUESTION_TYPES)]
    choices: tuple[str, ...] | None
    labels: tuple[str, ...] | None  # how to show each choice, in the same order
    min: float | None
    max: float | None
    group: Annotated[str, OneOf(QUESTION_GROUPS)]
    ask_if: Condition | None  # skipped (and not saved) when this is false

    def label(self, choice: str) -> str:
        """The words for one choice (the choice itself when it has no label)."""
        if self.choices and self.labels and choice in self.choices:
            return self.labels[self.choices.index(choice)]
        return choice.replace("_", " ")


class DoseStage(NamedTuple):
    """The dose of one exercise from `from_week` until the next stage starts."""

    from_week: WEEK
    sets: Annotated[int, Between(1, 10)]
    reps: Annotated[int, Between(1, 100)] | None
    seconds: Annotated[int, Between(1, 600)] | None
    days: Annotated[int, Between(1, 7)]
    apart: bool  # never on two days running
    support: str | None  # how much to lean on the support at this stage


class GoalEntry(NamedTuple):
    """An exercise a goal brings, with stand-ins for when it is ruled out."""

    exercise: EXERCISE_ID
    instead: tuple[EXERCISE_ID, ...]  # stand-ins, in order, when it is ruled out
    only_if: Condition | None = None  # for whom the goal brings it at all


class Goal(NamedTuple):
    """What one goal adds to the week: its warm-up candidates and exercises."""

    warm_up: tuple[EXERCISE_ID, ...]  # candidates, most demanding first
    warm_up_every_day: bool
    exercises: tuple[GoalEntry, ...]


class Level(NamedTuple):
    """A level of the programme and the program week it starts in."""

    name: str
    from_week: WEEK


class PainModel(NamedTuple):
    """The pain-monitoring model's numbers (programme.yaml `monitoring`)."""

    too_much_above: PAIN  # pain above this is too much (0-2 safe, 3-5 acceptable)
    move_on_adherence: SHARE  # share of planned sets done, rated <= too_much_above
    mornings_needed_share: SHARE  # training days with a next-morning check-in, above this
    bad_mornings_hold: Annotated[int, Between(1, 7)]  # too-much mornings a week: hold all
    base_pain_at_most: PAIN  # the pain a base week for jumps may reach
    safe_at_most: PAIN  # a morning at or below this is never "worse" (0-2 safe)
    slow_weeks: Annotated[int, Between(1, 8)]  # half the evidence: a step per this many
    # One exercise's load per session grows at most this many times from stage to stage.
    most_rise: Annotated[float, Between(1, 4)]


class CautiousStep(NamedTuple):
    """From this general week on, at most this many heel strikes a day."""

    from_week: WEEK
    strikes: Annotated[int, Between(1, 500)]


class ImpactCeiling(NamedTuple):
    """Heel strikes a day: the default, a lower start for some people that builds up by
    level (`cautious`, in order), the smallest set and the longest unbroken set of
    impacts."""

    default: Annotated[int, Between(1, 500)]
    cautious: Annotated[tuple[CautiousStep, ...], NON_EMPTY]
    cautious_when: Condition
    min_reps: Annotated[int, Between(1, 50)]
    set_most: Annotated[int, Between(1, 100)]

    def cautious_at(self, week: int) -> int:
        found = self.cautious[0][1]
        for from_week, strikes in self.cautious:
            if week >= from_week:
                found = strikes
        return found


class Comeback(NamedTuple):
    """Coming back after a break (programme.yaml `comeback`)."""

    weeks_per_stage: Annotated[int, Between(1, 12)]  # a stage lower per this many weeks off
    retest_after_weeks: Annotated[int, Between(1, 52)]  # older passed tests count no more


class MostDose(NamedTuple):
    """The most of one exercise a prescription may give at home."""

    sets: Annotated[int, Between(1, 10)]
    amount: Annotated[int, Between(1, 600)]  # reps or seconds
    days: Annotated[int, Between(1, 7)]


class PrescriptionLimits(NamedTuple):
    """What no prescription may say at home (programme.yaml `prescription_limits`)."""

    not_names: tuple[str, ...]  # words that are not a clinician's name (casefolded)
    empty_reasons: tuple[str, ...]  # override reasons that say nothing (casefolded)
    reason_words_at_least: Annotated[int, Between(1, 10)]
    heel_strikes_a_day: Annotated[int, Between(1, 1000)]  # a stage's striking items, a day
    most: Mapping[EXERCISE_ID, MostDose]


class ReadinessSpec(NamedTuple):
    """The readiness tests' numbers (programme.yaml `readiness`)."""

    tiptoe_hold_seconds: Annotated[int, Between(1, 60)]
    tiptoe_passes_at_most: PAIN
    hops_count: Annotated[int, Between(1, 100)]
    hops_pass_below: Annotated[int, Between(1, 11)]
    raise_seconds_per_rep: Annotated[float, Between(0.1, 600)]
    raise_most: Annotated[int, Between(1, 1000)]
    # test -> the exercise whose loading it needs the screening to allow
    like: Mapping[Annotated[str, OneOf(TESTS)], EXERCISE_ID]


class Programme(NamedTuple):
    """Levels, goals and doses: how a week is put together."""

    levels: tuple[Level, ...]
    goals: Mapping[str, Goal]
    doses: Mapping[EXERCISE_ID, Annotated[tuple[DoseStage, ...], NON_EMPTY]]
    # families in the order a session runs them
    session_order: tuple[Annotated[str, OneOf(FAMILIES)], ...]
    base_weeks_for_jumps: Annotated[int, Between(0, 52)]
    monitoring: PainModel
    impact_ceiling: ImpactCeiling
    never_two_days_running: tuple[EXERCISE_ID, ...]
    stretch_after_strength: EXERCISE_ID
    readiness: ReadinessSpec
    comeback: Comeback
    # answer -> months after screening it is asked again
    answers_age: Mapping[Annotated[str, OneOf(DATED_ANSWERS)], Annotated[int, Between(1, 24)]]
    prescription_limits: PrescriptionLimits
    rise_one_at_a_time: tuple[tuple[EXERCISE_ID, ...], ...]  # groups loading one tissue

    def level_for(self, week: int) -> str:
        name = self.levels[0].name
        for level in self.levels:
            if week >= level.from_week:
                name = level.name
        return name

    def stages(self, exercise_id: str) -> tuple[DoseStage, ...]:
        return tuple(self.doses.get(exercise_id, ()))


class Library(NamedTuple):
    """Everything in content/, validated: exercises, rules, questions, programme, sources."""

    exercises: Mapping[str, Exercise]
    rules: Mapping[str, Rule]
    questions: tuple[Question, ...]
    programme: Programme
    sources: Mapping[str, str]  # the id a `source:` field names -> its citation
    # What the files held (names, sizes and checksums): equal digests, equal content.
    # What is worked out from the content and kept (progression's checkpoints) names it.
    digest: str = ""

    def cite(self, source: str) -> str:
        """The citation of a source id; a person's own exercise may name anything."""
        return self.sources.get(source, source)

    def question(self, key: str) -> Question:
        return next(question for question in self.questions if question.key == key)

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise, or BadInput with close matches when the id is unknown."""
        found = self.exercises.get(exercise_id)
        if found is None:
            raise unknown_id("exercise", exercise_id, list(self.exercises))
        return found
