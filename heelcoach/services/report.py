"""`heelcoach report`: everything a physiotherapist asks at an appointment, gathered once.

One replay gives each week's plan, how it went and why each dose moved; the store adds
pain and check-ins (counted as `stats` counts them), readiness tests, sets that hurt more
than 5/10 and sessions stopped for chest pain or dizziness. The result holds ids and
numbers; `frontends.report` words it as JSON, HTML or Markdown.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from heelcoach.content.model import Library
from heelcoach.context import Context
from heelcoach.domain.planner import Exclusion, ProgressNote, WeekPlan, week_of, week_start
from heelcoach.domain.prescription import Prescription
from heelcoach.domain.profile import Profile
from heelcoach.domain.records import ReadinessResult, SessionRecord
from heelcoach.domain.safety import judge
from heelcoach.domain.stats import LandingsHeard, WeekStats
from heelcoach.services import stats
from heelcoach.services.progress import replay
from heelcoach.services.readiness import latest_readiness
from heelcoach.storage.store import Store


class PainStop(NamedTuple):
    """An exercise that hurt more than 5/10 on a day (the live session stops it there)."""

    day: date
    exercise: str
    pain: int
    notes: tuple[str, ...] = ()  # what the person wrote with the sets that hurt


class ReportWeek(NamedTuple):
    """One program week: its numbers, what was tested, what changed and what stopped."""

    week: int
    first_day: date
    last_day: date
    prescribed: bool  # a clinician's prescription was in force
    planned_sets: int
    done_sets: int
    numbers: WeekStats  # pain, mornings and impacts, as `heelcoach stats` counts them
    tests: tuple[ReadinessResult, ...]
    changes: tuple[ProgressNote, ...]  # every dose change and hold judged in this week
    pain_stops: tuple[PainStop, ...]
    emergencies: tuple[SessionRecord, ...]


class Report(NamedTuple):
    """The report's facts for one person, oldest week first; the current plan last."""

    today: date
    profile: Profile
    concerns: tuple[str, ...]  # rule ids that apply to the person (what the screening found)
    excluded: tuple[Exclusion, ...]  # as this week's plan leaves them out
    prescription: Prescription | None  # the programme in force: None for the built-in one
    weeks: tuple[ReportWeek, ...]
    current: WeekPlan
    pain_too_much_above: int
    landings: tuple[LandingsHeard, ...] = ()  # heard by `start --listen`, per exercise


def gather(ctx: Context, store: Store, library: Library, profile: Profile, weeks: int) -> Report:
    """The last `weeks` program weeks up to today, and the plan in force now."""
    today = ctx.today
    current = week_of(profile, today)
    replayed = replay(store, profile, library, today, from_week=current - weeks + 1)
    shown = replayed.weeks
    gathered = stats.gather(store, library, profile, today, len(shown), replayed.judged)
    numbers = gathered.weeks
    first, last = week_start(profile, shown[0].review.week), shown[-1].plan.days[-1].date
    notes = _notes_by_week([note for r in shown for note in r.progress.notes])
    facts = _Dated(
        store.readiness(since=first, until=last),
        _pain_stops(store, first, last, library.programme.monitoring.too_much_above),
        [s for s in store.sessions(since=first, until=last) if s.status == "emergency"],
    )
    plan = replayed.current.plan
    fired = judge(profile, library, latest_readiness(store)).fired
    return Report(
        today,
        profile,
        tuple(rule for rule in library.rules if rule in fired),
        plan.excluded,
        plan.prescribed,
        tuple(
            _week(r.plan, r.review.planned_sets, r.review.done_sets, week, notes, facts)
            for r, week in zip(shown, numbers, strict=True)
        ),
        plan,
        library.programme.monitoring.too_much_above,
        gathered.landings,
    )


class _Dated(NamedTuple):
    """What happened on given days over the whole period, shared out week by week."""

    tests: Sequence[ReadinessResult]
    stops: Sequence[PainStop]
    emergencies: Sequence[SessionRecord]


def _week(
    plan: WeekPlan,
    planned: int,
    done: int,
    numbers: WeekStats,
    notes: dict[int, list[ProgressNote]],
    facts: _Dated,
) -> ReportWeek:
    first, last = plan.days[0].date, plan.days[-1].date
    return ReportWeek(
        plan.week,
        first,
        last,
        plan.prescribed is not None,
        planned,
        done,
        numbers,
        tuple(t for t in facts.tests if first <= t.day <= last),
        tuple(notes.get(plan.week, ())),
        tuple(s for s in facts.stops if first <= s.day <= last),
        tuple(e for e in facts.emergencies if first <= e.day <= last),
    )


def _notes_by_week(notes: Sequence[ProgressNote]) -> dict[int, list[ProgressNote]]:
    """Each judgement once (the replay carries some into the next week), by the week judged."""
    found: dict[int, list[ProgressNote]] = {}
    for note in dict.fromkeys(notes):
        found.setdefault(note.week, []).append(note)
    return found


def _pain_stops(store: Store, first: date, last: date, too_much_above: int) -> list[PainStop]:
    """Each exercise and day with a set rated above the line (one row per exercise a day),
    with the notes written on those sets."""
    notes: dict[tuple[date, str], list[str]] = {}
    for done in store.sets(since=first, until=last, newest_first=False):
        if done.note and done.pain is not None and done.pain > too_much_above:
            notes.setdefault((done.day, done.exercise), []).append(done.note)
    return [
        PainStop(day, exercise, pain, tuple(dict.fromkeys(notes.get((day, exercise), ()))))
        for day, exercise, _, _, _, pain, *_ in store.daily_volume(first, last)
        if pain is not None and pain > too_much_above
    ]
