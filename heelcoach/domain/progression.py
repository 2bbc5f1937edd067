"""Progression that listens: every dose follows the pain-monitoring model, day by day.

The model (clinical-notes.md, Silbernagel 2007): pain on 0-10 is safe at 0-2, acceptable
at 3-5 and too much above 5, and the next morning decides; the numbers come from
programme.yaml `monitoring`. The history is replayed one day at a time, keeping each
joined exercise's place on its own dose ladder. Straight away, for the next session:
- a set with pain above 5 (during it, at the end of its session, or `log --pain`) steps
  that exercise back a stage;
- a morning with pain or stiffness above 5, or worse than the one before (a rise within
  the safe 0-2 is not worse), steps back every exercise done the day before;
- two too-much mornings in a week hold every progression and call for a professional,
  until a review is recorded (a new screening, a prescription).
At a week's end an exercise moves on one week only with evidence: 80% of its planned sets
done with pain 5 or less, a check-in after most training days, and no step back. With the
sets and only one of the other two it moves on at half pace (`slow_weeks`); else it
holds. A week with nothing planned is nothing done; weeks before the person began are not
judged. The general ladder (the level, and when exercises join) moves by the same rule
over all the week's sets. Jumps wait for weeks of drops with pain below 5; within a group
loading one tissue (`rise_one_at_a_time`) one dose rises or joins a week. Whole weeks
planned and not done step every ladder down (`comeback`), and after a long break the
readiness tests count again only from the day training resumes. A prescribed dose follows
the same signals one rung at a time, never past the clinician's calendar.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import date, timedelta
from functools import partial
from typing import NamedTuple, get_args

from heelcoach.content.model import Exercise, Library, PainModel
from heelcoach.domain.ceiling import JUMP
from heelcoach.domain.monitoring import morning_verdict, share_done, too_much_morning
from heelcoach.domain.planner import (
    BASE_EXERCISES,
    NoteKind,
    Notice,
    Progress,
    ProgressNote,
    WeekPlan,
    build_week,
    ends_on_jump_day,
    stage_at,
    stages_for,
    week_of,
    week_start,
)
from heelcoach.domain.prescription import STEPS_DOWN, Prescription
from heelcoach.domain.profile import Profile, out_of_date
from heelcoach.domain.readiness import Readiness
from heelcoach.domain.records import CheckIn, ReadinessResult


class DayWork(NamedTuple):
    """What was done of one exercise on one day (set rows; one-leg work per side)."""

    day: date
    exercise: str
    sets: int
    rated_ok: int  # sets whose pain (their own, or their session's) was rated 0-5
    worst: int | None  # the highest pain rated for these sets, if any


class History(NamedTuple):
    """The slice of the store progression reads: plain values, easy to build in tests."""

    work: tuple[DayWork, ...]
    mornings: tuple[CheckIn, ...]
    tests: tuple[ReadinessResult, ...] = ()  # readiness tests, oldest first
    reviews: tuple[date, ...] = ()  # a professional's reviews: each lifts a hold
    # The first day the person used heelcoach (None: program week 1): the days before a
    # start set in the past are neither done nor missed.
    began: date | None = None

    def readiness_on(self, day: date, since: date | None = None) -> Readiness:
        """The test results in force on `day`: a test counts from the day it was done, and
        only from `since` on (tests passed before a long break are repeated)."""
        return Readiness.latest(
            [
                test
                for test in self.tests
                if test.day <= day and (since is None or test.day >= since)
            ]
        )


class WeekReview(NamedTuple):
    """How one week went against its plan (all its sets)."""

    week: int
    planned_sets: int
    done_sets: int
    rated_ok: int
    training_days: int
    mornings: int  # training days followed by a next-morning check-in
    bad_mornings: int  # next-morning check-ins with pain or stiffness above 5

    @property
    def adherence(self) -> float:
        return share_done(self.done_sets, self.planned_sets)


class WeekStart(NamedTuple):
    """Where the replay stands as a program week begins: all it needs to go on from there.
    It depends only on the days before it, so it is kept as a checkpoint."""

    week: int
    progress: Progress  # the week before, as judged
    after_jump_day: bool = False  # the week before ended on a day of jumping
    before: WeekReview | None = None  # how the week before went


FIRST_WEEK = WeekStart(1, Progress(1))
MOVED_ON = ("moved-on", "moved-on-slowly")


class Reviewed(NamedTuple):
    """One replayed week: its plan, how it went, the progress it was built from (step
    backs during the week included) and where the replay stood as it began."""

    plan: WeekPlan
    review: WeekReview
    progress: Progress
    start: WeekStart


# --------------------------------------------------------------------------- replay


def review_weeks(
    profile: Profile,
    library: Library,
    history: History,
    today: date,
    prescription: Prescription | None = None,
    start: WeekStart = FIRST_WEEK,
) -> list[Reviewed]:
    """Every week from `start` up to the one holding `today`: planned, lived through,
    judged. A past week is planned with the tests done before it began; the last entry
    is this week as it stands today (step backs included). From a checkpoint (`start`
    past week 1) `history` needs only the days from its week on, and the check-in before."""
    days = _Days(history)
    current = week_of(profile, today)
    reviews: list[Reviewed] = []
    for week in range(start.week, current + 1):
        progress = start.progress
        first = week_start(profile, week)
        since = progress.back_on
        readiness = history.readiness_on(min(first, today) if week < current else today, since)
        plan_week = partial(
            build_week, profile, library, week, readiness=readiness,
            prescription=prescription, after_jump_day=start.after_jump_day,
        )  # fmt: skip
        plan = plan_week(progress)
        progress = _joined(progress, plan, library)
        last_day = min(plan.days[-1].date, today - timedelta(days=1))
        progress, events = _live_through(progress, plan, days, library, last_day)
        asked = _asked(plan, history.began)
        review = _review(asked, days, library)
        if week == current:
            shown = plan_week(progress)
            shown = shown._replace(notices=(*shown.notices, *rescreen(profile, library, today)))
            reviews.append(Reviewed(shown, review, progress, start))
            break
        reviews.append(Reviewed(plan, review, progress, start))
        if history.began is not None and plan.days[-1].date < history.began:
            # Someone starting now begins as written, with no base for jumps built yet.
            start = WeekStart(week + 1, Progress(week + 1, prescribed=True), before=review)
            continue
        judged = _judge_week(progress, asked, review, events, days, library)
        judged = _comeback(judged, asked, review, library, week_start(profile, week + 1))
        start = WeekStart(week + 1, judged, ends_on_jump_day(plan, library), review)
    return reviews


def _asked(plan: WeekPlan, began: date | None) -> WeekPlan:
    """`plan` less the days before the person began: what the week can be judged on."""
    if began is None or plan.days[0].date >= began:
        return plan
    days = tuple(day if day.date >= began else day._replace(items=()) for day in plan.days)
    return plan._replace(days=days)


def rescreen(profile: Profile, library: Library, today: date) -> tuple[Notice, ...]:
    """One notice for each answer whose window has passed (`domain.profile.out_of_date`)."""
    ages = library.programme.answers_age
    return tuple(Notice("rescreen", key, ages[key]) for key in out_of_date(profile, ages, today))


class _Days:
    """The history indexed by day, so replaying reads each row once."""

    def __init__(self, history: History) -> None:
        self.work: dict[date, list[DayWork]] = defaultdict(list)
        for row in history.work:
            self.work[row.day].append(row)
        self.mornings = {check.day: check for check in history.mornings}
        self.morning_days = sorted(self.mornings)
        self.reviews = frozenset(history.reviews)

    def previous_morning(self, day: date) -> CheckIn | None:
        index = bisect_left(self.morning_days, day)
        return self.mornings[self.morning_days[index - 1]] if index else None


def _joined(progress: Progress, plan: WeekPlan, library: Library) -> Progress:
    """Exercises planned for the first time take their place on their own ladders."""
    positions = dict(progress.positions)
    for item in plan.items():
        if item.exercise.id not in positions:
            start = progress.position(item.exercise, library)
            positions[item.exercise.id] = start or progress.week
    # From here on each dose moves with its own evidence, as written only where it began.
    return progress._replace(positions=positions, prescribed=False)


# --------------------------------------------------------------------------- step backs


class _Events(NamedTuple):
    stepped: frozenset[str]  # exercises stepped back this week
    bad_mornings: int
    any_too_much: bool


def _live_through(
    progress: Progress, plan: WeekPlan, days: _Days, library: Library, last_day: date
) -> tuple[Progress, _Events]:
    """Apply this week's too-much signals, day by day, up to `last_day` (yesterday)."""
    model = library.programme.monitoring
    positions = dict(progress.positions)
    rungs = _Rungs(progress, plan)
    notes: list[ProgressNote] = []
    stepped: set[str] = set()
    bad = 0
    hold = progress.hold

    def step_back(exercise_id: str) -> None:
        _step_back(positions, exercise_id, library, progress.week)
        rungs.step(exercise_id, -1)
        stepped.add(exercise_id)

    day = plan.days[0].date
    while day <= last_day:
        if day in days.reviews:
            hold = False  # a professional has looked at it: the doses may build again
        for row in days.work.get(day, ()):
            if row.worst is not None and row.worst > model.too_much_above:
                step_back(row.exercise)
                notes.append(
                    ProgressNote(
                        "stepped-back-pain",
                        row.exercise,
                        plan.week,
                        day=day,
                        value=row.worst,
                        limit=model.too_much_above,
                    )
                )
        morning = days.mornings.get(day + timedelta(days=1))
        if morning is not None and days.work.get(day):
            before = days.previous_morning(morning.day)
            signal = morning_verdict(before, morning, model.too_much_above, model.safe_at_most)
            if signal in ("too much", "worse"):
                bad += signal == "too much"
                hold = hold or bad >= model.bad_mornings_hold
                for row in days.work[day]:
                    exercise = library.exercises.get(row.exercise)
                    if exercise is not None and exercise.loads:
                        step_back(row.exercise)
                notes.append(
                    ProgressNote(
                        "stepped-back-morning",
                        None,
                        plan.week,
                        day=morning.day,
                        value=morning.pain,
                        limit=model.too_much_above,
                        extra=morning.stiffness,
                    )
                )
        day += timedelta(days=1)
    events = _Events(frozenset(stepped), bad, bool(notes))
    return progress._replace(
        positions=positions,
        hold=hold,
        notes=(*progress.notes, *notes),
        rungs=rungs.values,
    ), events


class _Rungs:
    """Where each prescribed dose of a week's plan stands on its ladder, as it moves: never
    above the rung the plan used (the clinician's calendar caps it), so one step is one
    rung from the dose the person did."""

    def __init__(self, progress: Progress, plan: WeekPlan) -> None:
        self.values = dict(progress.rungs)
        self.planned = {i.exercise.id: i.rung for i in plan.items() if i.rung is not None}

    def step(self, exercise_id: str, by: int) -> None:
        planned = self.planned.get(exercise_id)
        if planned is not None:
            now = min(self.values.get(exercise_id, planned), planned)
            self.values[exercise_id] = max(-STEPS_DOWN, now + by)


def _step_back(positions: dict[str, int], exercise_id: str, library: Library, week: int) -> None:
    """Down one stage of the exercise's ladder: to the last week of the stage below."""
    exercise = library.exercises.get(exercise_id)
    if exercise is None:
        return
    position = positions.get(exercise_id, week)
    starts = [stage.from_week for stage in stages_for(exercise, library)]
    current = max((start for start in starts if start <= position), default=1)
    below = [start for start in starts if start < current]
    positions[exercise_id] = max(1, current - 1) if below else max(1, min(position, current))


def _step_to_lighter(
    positions: dict[str, int],
    exercise_id: str,
    library: Library,
    week: int,
    planned: int | None = None,
) -> None:
    """Down the ladder to the first stage with a lighter dose than now (stages that differ
    only in the support they lean on are one step), or to the bottom. Now is the lighter
    of the ladder's dose and the `planned` one: a ladder that climbed past the daily
    impact ceiling was planned cut to it, and a step back is from what was planned."""
    exercise = library.exercises.get(exercise_id)
    if exercise is None:
        return
    load = _load_at(positions.get(exercise_id, week), exercise, library)
    load = load if planned is None else min(load, planned)
    while True:
        before = positions.get(exercise_id, week)
        _step_back(positions, exercise_id, library, week)
        now = positions[exercise_id]
        if now == before or _load_at(now, exercise, library) < load:
            return


def _load_at(position: int, exercise: Exercise, library: Library) -> int:
    """Sets times reps (or seconds) of the stage in force at `position` on the ladder."""
    stage = stage_at(exercise, library, position)
    return stage.sets * (stage.reps or stage.seconds or 0) if stage else 0


# --------------------------------------------------------------------------- the week's end


def _review(plan: WeekPlan, days: _Days, library: Library) -> WeekReview:
    rows = _rows(days, plan)
    trained = sorted({row.day for row in rows})
    model = library.programme.monitoring
    mornings = [days.mornings.get(d + timedelta(days=1)) for d in trained]
    bad = sum(1 for m in mornings if m and too_much_morning(m, model.too_much_above))
    return WeekReview(
        plan.week,
        sum(item.set_rows for item in plan.items()),
        sum(r.sets for r in rows),
        sum(r.rated_ok for r in rows),
        len(trained),
        sum(1 for m in mornings if m),
        bad,
    )


def _judge_week(
    progress: Progress,
    plan: WeekPlan,
    review: WeekReview,
    events: _Events,
    days: _Days,
    library: Library,
) -> Progress:
    """Move each ladder on, or hold it, on the week's evidence (see the module docstring)."""
    model = library.programme.monitoring
    evidence = _evidence(review.planned_sets, review.done_sets, review.rated_ok, review, model)
    slow = progress.slow + 1 if evidence == "half" else 0
    slow_due = evidence == "half" and slow >= model.slow_weeks
    note = _general(progress, review, events, model, evidence, slow_due)
    general = progress.week + (note.kind in MOVED_ON)
    blocked = progress.hold or review.bad_mornings >= model.bad_mornings_hold
    moving = {
        exercise_id
        for exercise_id, planned in _planned_by_exercise(plan).items()
        if not blocked
        and exercise_id not in events.stepped
        and _moves_on(_rows(days, plan, exercise_id), planned, review, model, slow_due)
    }
    base = _base_weeks(progress.base_weeks, plan, days, events, model)
    moving, notes = _one_at_a_time(moving, progress, plan, base, library)
    positions = dict(progress.positions)
    rungs = _Rungs(progress, plan)
    for exercise_id in _planned_by_exercise(plan):
        if exercise_id in moving:
            positions[exercise_id] = positions.get(exercise_id, progress.week) + 1
        rungs.step(exercise_id, 1 if exercise_id in moving else 0)
    return Progress(
        general,
        positions,
        base,
        progress.hold,
        (note, *notes),
        rungs=rungs.values,
        slow=0 if general > progress.week or evidence == "full" else slow,
        back_on=progress.back_on,
        idle=progress.idle,
    )


def _evidence(planned: int, done: int, rated: int, review: WeekReview, model: PainModel) -> str:
    """'full': the sets done and rated, and most mornings checked in; 'half': the sets done
    with one of the two (they move on at half pace); 'none' otherwise, and for a week
    with nothing planned (an empty week is nothing done, never 100%)."""
    bar = model.move_on_adherence
    if not planned or done < bar * planned:
        return "none"
    rated_ok = rated >= bar * planned
    mornings_ok = not review.training_days or (
        review.mornings > model.mornings_needed_share * review.training_days
    )
    if rated_ok and mornings_ok:
        return "full"
    return "half" if rated_ok or mornings_ok else "none"


def _general(
    progress: Progress,
    review: WeekReview,
    events: _Events,
    model: PainModel,
    evidence: str,
    slow_due: bool,
) -> ProgressNote:
    """Why the general ladder moves on this week (`MOVED_ON`) or holds."""
    bar, planned = model.move_on_adherence, review.planned_sets

    def note(
        kind: NoteKind, value: float | None = None, limit: float | None = None
    ) -> ProgressNote:
        return ProgressNote(kind, None, review.week, value=value, limit=limit)

    if review.bad_mornings >= model.bad_mornings_hold:
        return note("held-bad-mornings", review.bad_mornings)
    if progress.hold:
        return note("held-review")
    if events.any_too_much:
        return note("held-stepped-back")
    if not planned:
        return note("held-nothing-planned")
    if review.done_sets < bar * planned:
        return note("held-adherence", review.adherence, bar)
    if evidence == "full":
        return note("moved-on", review.adherence, bar)
    if slow_due:
        return note("moved-on-slowly", review.mornings, review.training_days)
    if review.rated_ok < bar * planned:
        return note("held-unrated", review.rated_ok / planned, bar)
    return note("held-mornings", review.mornings, review.training_days)


def _planned_by_exercise(plan: WeekPlan) -> dict[str, int]:
    planned: dict[str, int] = defaultdict(int)
    for item in plan.items():
        planned[item.exercise.id] += item.set_rows
    return planned


def _moves_on(
    rows: list[DayWork], planned: int, review: WeekReview, model: PainModel, slow_due: bool
) -> bool:
    done = sum(row.sets for row in rows)
    rated = sum(row.rated_ok for row in rows)
    evidence = _evidence(planned, done, rated, review, model)
    return evidence == "full" or (evidence == "half" and slow_due)


def _one_at_a_time(
    moving: set[str], progress: Progress, plan: WeekPlan, base: int, library: Library
) -> tuple[set[str], tuple[ProgressNote, ...]]:
    """clinical-notes.md (load spikes): within a group loading one tissue, one dose rises
    (or joins) a week. Jumps joining next week (they waited only for the base, now built)
    come first, then the group's order; the others hold a week."""
    programme = library.programme
    waiting = plan.exclusion(JUMP)
    week = plan.week
    joining = (
        {JUMP}
        if waiting is not None
        and waiting.kind == "base"
        and progress.base_weeks < programme.base_weeks_for_jumps <= base
        else set()
    )
    held: list[ProgressNote] = []
    for group in programme.rise_one_at_a_time:
        rising = [e for e in group if _dose_rises(e, moving, progress, library)]
        joins = [e for e in group if e in joining]
        for exercise_id in rising[0 if joins else 1 :]:
            moving.discard(exercise_id)
            held.append(ProgressNote("held-one-at-a-time", exercise_id, week))
    return moving, tuple(held)


def _dose_rises(exercise_id: str, moving: set[str], progress: Progress, library: Library) -> bool:
    """Whether moving on one week raises the load: a new stage of its own begins, or a
    variant waiting on it joins (bent-knee drops when the straight-knee ones reach them)."""
    if exercise_id not in moving:
        return False
    position = progress.positions.get(exercise_id, progress.week) + 1
    exercise = library.exercises.get(exercise_id)
    starts = {stage.from_week for stage in stages_for(exercise, library)} if exercise else set()
    joining = (
        variant
        for variant in library.exercises.values()
        if variant.variant_of == exercise_id and variant.id not in progress.positions
    )
    return position in starts or any(
        stages[0].from_week == position
        for variant in joining
        if (stages := library.programme.stages(variant.id))
    )


def _comeback(
    progress: Progress, plan: WeekPlan, review: WeekReview, library: Library, next_start: date
) -> Progress:
    """After whole weeks with planned work and nothing done, one stage lower on every
    ladder for each `weeks_per_stage` off, and from `retest_after_weeks` off the readiness
    tests are asked again (clinical-notes.md, detraining; 001: gains reverse when training
    stops). Judged at each week's end, so a longer break steps down again."""
    comeback = library.programme.comeback
    if not review.planned_sets:
        return progress  # nothing was asked of this week: no break, nothing to lose
    idle = progress.idle + 1 if review.done_sets == 0 else 0
    progress = progress._replace(idle=idle)
    if idle and idle % comeback.weeks_per_stage == 0:
        positions = dict(progress.positions)
        for exercise_id in positions:
            planned = _planned_load(plan, exercise_id)
            _step_to_lighter(positions, exercise_id, library, progress.week, planned)
        progress = progress._replace(
            positions=positions,
            week=max(1, progress.week - comeback.weeks_per_stage),
            base_weeks=0,
        )
    if idle >= comeback.weeks_per_stage:
        note = ProgressNote("comeback", None, review.week, value=idle)
        progress = progress._replace(notes=(*progress.notes, note))
    if idle == comeback.retest_after_weeks:
        progress = progress._replace(back_on=next_start, base_weeks=0)
    return progress


def _planned_load(plan: WeekPlan, exercise_id: str) -> int | None:
    """The most sets times reps (or seconds) `plan` gave the exercise on one day."""
    loads = [
        item.sets * (item.reps or item.seconds or 0)
        for day in plan.days
        for item in day.items
        if item.exercise.id == exercise_id
    ]
    return max(loads, default=None)


def _rows(days: _Days, plan: WeekPlan, exercise_id: str | None = None) -> list[DayWork]:
    """The week's work, of one exercise or of all."""
    week = (plan.days[0].date + timedelta(days=n) for n in range(len(plan.days)))
    return [
        row
        for day in week
        for row in days.work.get(day, ())
        if exercise_id is None or row.exercise == exercise_id
    ]


def _base_weeks(
    base_weeks: int, plan: WeekPlan, days: _Days, events: _Events, model: PainModel
) -> int:
    """One more week of base when drops were done, rated, and pain stayed at most 3."""
    rows = [row for exercise_id in BASE_EXERCISES for row in _rows(days, plan, exercise_id)]
    if any(exercise_id in events.stepped for exercise_id in BASE_EXERCISES):
        return 0
    rated = [row.worst for row in rows if row.worst is not None]
    if not rated or max(rated) > model.base_pain_at_most:
        return base_weeks
    return base_weeks + 1


# --------------------------------------------------------------------------- checkpoints
#
# A week's start as plain JSON data (lists, numbers, text), and back. Reading checks the
# shape of everything: a checkpoint that does not read back is no checkpoint, and the
# replay goes on from the one before it.

NOTE_KINDS: tuple[NoteKind, ...] = get_args(NoteKind)


def start_data(start: WeekStart) -> dict[str, object]:
    """`start` as JSON data, less its week (the checkpoint's key) and how the week before
    went (`review_text`): `start_from(start_data(s), s.week, s.before) == s`."""
    progress = start.progress
    return {
        **progress._asdict(),
        "positions": dict(progress.positions),
        "notes": [_note_data(note) for note in progress.notes],
        "rungs": dict(progress.rungs),
        "back_on": progress.back_on.isoformat() if progress.back_on else None,
        "after_jump_day": start.after_jump_day,
    }


def review_text(review: WeekReview) -> str:
    """A week's review as one line of numbers; `review_from(review_text(r)) == r`."""
    return " ".join(str(number) for number in review)


def review_from(text: str) -> WeekReview | None:
    """The review `review_text` wrote, or None."""
    numbers = text.split()
    if len(numbers) != len(WeekReview._fields) or not all(n.isdecimal() for n in numbers):
        return None
    return WeekReview(*(int(n) for n in numbers))


def _note_data(note: ProgressNote) -> list[object]:
    day = note.day.isoformat() if note.day else None
    return [note.kind, note.exercise, note.week, day, note.value, note.limit, note.extra]


def start_from(data: object, week: int, before: WeekReview | None) -> WeekStart | None:
    """The start of program week `week` that `data` holds (and `before`), or None when it
    is not what `start_data` writes: read back, it must write the same data again, with
    every count in range."""
    if not isinstance(data, dict):
        return None
    try:
        progress = Progress(
            int(data["week"]),
            _counts(data["positions"]),
            int(data["base_weeks"]),
            bool(data["hold"]),
            tuple(_note(note) for note in data["notes"]),
            rungs=_counts(data["rungs"]),
            slow=int(data["slow"]),
            idle=int(data["idle"]),
            back_on=_day(data["back_on"]),
            prescribed=bool(data["prescribed"]),
        )
        start = WeekStart(week, progress, bool(data["after_jump_day"]), before)
        written = start_data(start)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError):
        return None
    counts = (progress.week, progress.base_weeks, progress.slow, progress.idle)
    weeks = (*progress.positions.values(), *(note.week for note in progress.notes))
    if written != data or min((*counts, *weeks)) < 0:
        return None
    return start if min(progress.rungs.values(), default=0) >= -STEPS_DOWN else None


def _counts(value: object) -> dict[str, int]:
    if not isinstance(value, dict):
        raise ValueError(value)
    return {str(key): int(count) for key, count in value.items()}


def _day(value: object) -> date | None:
    if value is None or isinstance(value, str):
        return None if value is None else date.fromisoformat(value)
    raise ValueError(value)


def _note(value: object) -> ProgressNote:
    """A note as `_note_data` writes it; ValueError when it is not one."""
    if not isinstance(value, list) or len(value) != len(ProgressNote._fields):
        raise ValueError(value)
    kind, exercise, week, day, *numbers = value
    if kind not in NOTE_KINDS or not isinstance(exercise, str | None):
        raise ValueError(kind)
    if any(n is not None and type(n) not in (int, float) for n in numbers):
        raise ValueError(kind)
    return ProgressNote(kind, exercise, int(week), _day(day), *numbers)
