"""`heelcoach stats`: read the weeks to show from the store, then `domain.stats.compute`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from heelcoach.content.model import Library
from heelcoach.domain import progression
from heelcoach.domain.planner import week_of
from heelcoach.domain.profile import Profile
from heelcoach.domain.records import CheckIn
from heelcoach.domain.stats import DayVolume, Morning, Plan, Stats, compute, week_spans
from heelcoach.storage.store import Store


def gather(
    store: Store, library: Library, profile: Profile | None, today: date, weeks: int
) -> Stats:
    """Read the store and the progression ladder, then `compute`."""
    spans = week_spans(today, weeks, profile.created if profile else None)
    first, last = spans[0].first, spans[-1].last
    # One read serves both the window and, from week 1 on, the progression ladder.
    since = min(first, profile.created) if profile else first
    volumes = [DayVolume(*row) for row in store.daily_volume(since, max(last, today))]
    sessions = store.sessions(since=since, until=max(last, today))
    checks = store.checkins(until=max(last, today) + timedelta(days=1))
    mornings = [Morning(c.day, c.pain, c.stiffness) for c in checks if c.day <= last]
    session_pains = [(s.day, s.pain) for s in sessions if s.pain is not None]
    plans = None
    if profile is not None:
        plans = _plans(profile, library, today, volumes, session_pains, checks)
    return compute(
        today,
        spans,
        [v for v in volumes if first <= v.day <= last],
        [(day, pain) for day, pain in session_pains if first <= day <= last],
        mornings,
        library.exercises,
        plans,
    )


def _plans(
    profile: Profile,
    library: Library,
    today: date,
    volumes: Sequence[DayVolume],
    session_pains: Sequence[tuple[date, int]],
    checks: Sequence[CheckIn],
) -> list[Plan]:
    """Planned and done sets of every program week so far, as progression judges them.

    The history is what `services.progress.load_history` reads, taken from the rows
    `gather` already has instead of a second pass over the store.
    """
    if today < profile.created:
        return []
    start, end = profile.created, today + timedelta(days=1)
    history = progression.History(
        tuple(
            progression.DayVolume(v.day, v.exercise, v.sets, v.pain)
            for v in volumes
            if start <= v.day <= today
        ),
        tuple((day, pain) for day, pain in session_pains if start <= day <= today),
        tuple(
            progression.MorningCheck(c.day, c.pain, c.stiffness)
            for c in checks
            if start <= c.day <= end
        ),
    )
    return [
        Plan(review.week, review.planned_sets, review.done_sets)
        for _plan, review, _progress in progression.review_weeks(
            profile, library, history, week_of(profile, today)
        )
    ]
