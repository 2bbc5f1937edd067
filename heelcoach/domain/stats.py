"""Training statistics for `heelcoach stats`: volume, impacts, adherence, streak, pain.

`compute` is pure; `services.stats.gather` reads what it needs, per day and exercise
(`Store.daily_volume`, never set by set), and `render_history` draws the result.
Definitions (also shown to the user):
* Weeks are program weeks with a profile, else calendar weeks from Monday; the last one
  is the current week, still in progress.
* Volume: per exercise and week, the reps done (seconds for timed exercises). Impacts:
  the reps of bone-impact exercises, each side of one-leg work counted.
* Adherence is progression's own count of planned against done set rows. A week is on
  plan at 80%; a week with nothing planned is not, and neither adds to the streak nor
  breaks it. The streak counts on-plan weeks back from the last finished week; the
  current week adds to it once on plan and never breaks it.
* Pain per week: the highest reported, and the mean of each training day's highest. The
  check-in columns are the week's mean morning pain and stiffness; the trend compares
  the last check-in with the one before, as `checkin` does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import NamedTuple, TypeVar

from heelcoach.content.model import Exercise
from heelcoach.domain.monitoring import share_done, worse_morning
from heelcoach.domain.records import CheckIn, ReadinessResult

DAYS = 7
T = TypeVar("T")


class WeekSpan(NamedTuple):
    first: date
    last: date
    program_week: int | None  # None without a profile, or before program week 1

    def holds(self, day: date) -> bool:
        return self.first <= day <= self.last


class DayVolume(NamedTuple):
    """What was done of one exercise on one day (a row of `Store.daily_volume`)."""

    day: date
    exercise: str
    sets: int
    reps: int
    seconds: int
    pain: int | None  # the highest reported that day for this exercise
    # What the listening counter heard in that day's sets of it (None: nobody listened).
    landings: int | None = None
    soft_landings: int | None = None
    hard_landings: int | None = None


class LandingsHeard(NamedTuple):
    """The landings the listening counter heard in one exercise over the weeks shown."""

    exercise: str
    heard: int
    soft: int
    hard: int


class Plan(NamedTuple):
    """Planned against done set rows for one program week (from progression); a week is on
    plan when the share done reaches `bar` (programme.yaml: the move-on adherence)."""

    week: int
    planned: int
    done: int
    bar: float

    @property
    def adherence(self) -> float:
        return share_done(self.done, self.planned)

    @property
    def on_plan(self) -> bool:
        """A week with nothing planned is not on plan: nothing was asked or done."""
        return self.planned > 0 and self.adherence >= self.bar


class WeekStats(NamedTuple):
    span: WeekSpan
    sets: int
    impacts: int
    plan: Plan | None
    pain_max: int | None
    pain_mean: float | None
    checkin_pain: float | None
    checkin_stiffness: float | None
    in_progress: bool


class ExerciseVolume(NamedTuple):
    exercise: str
    name: str
    unit: str  # "reps" or "s"
    per_week: tuple[int, ...]  # oldest week first
    sets_per_week: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.per_week)


class Stats(NamedTuple):
    today: date
    weeks: tuple[WeekStats, ...]
    volumes: tuple[ExerciseVolume, ...]
    has_profile: bool
    streak: int | None  # None without a profile
    last_checkin: CheckIn | None
    previous_checkin: CheckIn | None
    tests: tuple[ReadinessResult, ...] = ()  # readiness tests done in these weeks
    landings: tuple[LandingsHeard, ...] = ()  # heard in these weeks, per exercise

    @property
    def checkin_trend(self) -> str | None:
        """ "worse" or "same or better" (last check-in against the one before), or None."""
        last, before = self.last_checkin, self.previous_checkin
        if last is None or before is None:
            return None
        return "worse" if worse_morning(before, last) else "same or better"

    @property
    def total_sets(self) -> int:
        return sum(week.sets for week in self.weeks)


def week_spans(today: date, count: int, program_start: date | None) -> list[WeekSpan]:
    """The `count` weeks ending with the one holding `today`, oldest first."""
    if program_start is not None:
        offset = (today - program_start).days // DAYS  # floor: negative before the start
        current_first = program_start + timedelta(days=DAYS * offset)
    else:
        current_first = today - timedelta(days=today.weekday())
    spans = []
    for back in range(count - 1, -1, -1):
        first = current_first - timedelta(days=DAYS * back)
        number = None
        if program_start is not None:
            week = (first - program_start).days // DAYS + 1
            number = week if week >= 1 else None
        spans.append(WeekSpan(first, first + timedelta(days=DAYS - 1), number))
    return spans


def compute(
    today: date,
    spans: Sequence[WeekSpan],
    volumes: Iterable[DayVolume],
    session_pains: Iterable[tuple[date, int]],
    mornings: Sequence[CheckIn],
    exercises: Mapping[str, Exercise],
    plans: Sequence[Plan] | None,
) -> Stats:
    """Everything `heelcoach stats` shows. `plans` is None without a profile."""
    weekly = _by_week(spans, ((volume.day, volume) for volume in volumes))
    peaks: dict[date, int] = {}  # each day's highest pain
    for day, pain in [*((v.day, v.pain) for week in weekly for v in week), *session_pains]:
        if pain is not None and pain > peaks.get(day, -1):
            peaks[day] = pain
    pains = _by_week(spans, peaks.items())
    checks = _by_week(spans, ((morning.day, morning) for morning in mornings))
    plan_by_week = {plan.week: plan for plan in plans or ()}
    striking = {e.id for e in exercises.values() if e.heel_strikes}  # reps are heel strikes
    weeks = tuple(
        WeekStats(
            span=span,
            sets=sum(v.sets for v in weekly[i]),
            impacts=sum(v.reps for v in weekly[i] if v.exercise in striking),
            plan=plan_by_week.get(span.program_week) if span.program_week else None,
            pain_max=max(pains[i], default=None),
            pain_mean=_mean(pains[i]),
            checkin_pain=_mean([m.pain for m in checks[i]]),
            checkin_stiffness=_mean([m.stiffness for m in checks[i]]),
            in_progress=span.holds(today),
        )
        for i, span in enumerate(spans)
    )
    ordered = sorted(mornings, key=lambda m: m.day)
    current = next((span.program_week for span in spans if span.holds(today)), None)
    return Stats(
        today=today,
        weeks=weeks,
        volumes=_volumes(weekly, exercises),
        has_profile=plans is not None,
        streak=None if plans is None else streak_on_plan(plans, today_week=current),
        last_checkin=ordered[-1] if ordered else None,
        previous_checkin=ordered[-2] if len(ordered) > 1 else None,
    )


def _by_week(spans: Sequence[WeekSpan], dated: Iterable[tuple[date, T]]) -> list[list[T]]:
    """Each item in the list of the week of `spans` holding its day (others left out)."""
    weeks: list[list[T]] = [[] for _ in spans]
    for day, item in dated:
        if spans and spans[0].first <= day <= spans[-1].last:
            weeks[(day - spans[0].first).days // DAYS].append(item)
    return weeks


def _mean(values: Sequence[int]) -> float | None:
    return round(sum(values) / len(values), 1) if values else None


def _volumes(
    weekly: Sequence[Sequence[DayVolume]], exercises: Mapping[str, Exercise]
) -> tuple[ExerciseVolume, ...]:
    """Per exercise (in library order, then by id), the amount and the sets of each week."""
    amounts: defaultdict[str, list[int]] = defaultdict(lambda: [0] * len(weekly))
    set_rows: defaultdict[str, list[int]] = defaultdict(lambda: [0] * len(weekly))
    for i, week in enumerate(weekly):
        for volume in week:
            amounts[volume.exercise][i] += volume.reps or volume.seconds
            set_rows[volume.exercise][i] += volume.sets
    order = {exercise_id: n for n, exercise_id in enumerate(exercises)}
    volumes = []
    for exercise_id in sorted(amounts, key=lambda e: (order.get(e, len(order)), e)):
        exercise = exercises.get(exercise_id)
        name = exercise.name if exercise is not None else exercise_id
        unit = "s" if exercise is not None and exercise.measure == "seconds" else "reps"
        amount, sets = tuple(amounts[exercise_id]), tuple(set_rows[exercise_id])
        volumes.append(ExerciseVolume(exercise_id, name, unit, amount, sets))
    return tuple(volumes)


def streak_on_plan(plans: Sequence[Plan], today_week: int | None) -> int:
    """On-plan weeks in a row, back from the last finished week (see the docstring)."""
    streak = 0
    for plan in sorted(plans, key=lambda p: p.week, reverse=True):
        if today_week is not None and plan.week > today_week:
            continue
        if plan.week == today_week:
            streak += plan.on_plan  # in progress: counts once reached, never breaks
            continue
        if not plan.planned:
            continue  # nothing asked (everything locked): neither counts nor breaks
        if not plan.on_plan:
            break
        streak += 1
    return streak


def landings_heard(volumes: Iterable[DayVolume]) -> tuple[LandingsHeard, ...]:
    """Per exercise (in order of first appearance), the landings heard in `volumes`."""
    totals: dict[str, list[int]] = {}
    for volume in volumes:
        if volume.landings is None:
            continue
        total = totals.setdefault(volume.exercise, [0, 0, 0])
        total[0] += volume.landings
        total[1] += volume.soft_landings or 0
        total[2] += volume.hard_landings or 0
    return tuple(LandingsHeard(exercise, *total) for exercise, total in totals.items())
