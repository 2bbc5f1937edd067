"""`heelcoach stats`: read the weeks to show from the store, then `domain.stats.compute`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from heelcoach.content.model import Library
from heelcoach.domain.profile import Profile
from heelcoach.domain.progression import Reviewed
from heelcoach.domain.stats import DayVolume, Morning, Plan, Stats, compute, week_spans
from heelcoach.services.progress import reviews
from heelcoach.storage.store import Store


def gather(
    store: Store,
    library: Library,
    profile: Profile | None,
    today: date,
    weeks: int,
    replayed: Sequence[Reviewed] | None = None,
) -> Stats:
    """Read the store and the progression ladder, then `compute`.

    `replayed` are the program weeks already replayed (`services.progress.reviews`), for a
    caller that has them; otherwise they are replayed here.
    """
    spans = week_spans(today, weeks, profile.created if profile else None)
    first, last = spans[0].first, spans[-1].last
    volumes = [DayVolume(*row) for row in store.daily_volume(first, max(last, today))]
    sessions = store.sessions(since=first, until=max(last, today))
    checks = store.checkins(until=max(last, today) + timedelta(days=1))
    mornings = [Morning(c.day, c.pain, c.stiffness) for c in checks if c.day <= last]
    session_pains = [(s.day, s.pain) for s in sessions if s.pain is not None]
    plans = _plans(store, profile, library, today, replayed) if profile is not None else None
    tests = tuple(store.readiness(since=first, until=max(last, today)))
    result = compute(
        today,
        spans,
        [v for v in volumes if first <= v.day <= last],
        [(day, pain) for day, pain in session_pains if first <= day <= last],
        mornings,
        library.exercises,
        plans,
    )
    return replace(result, tests=tests)


def _plans(
    store: Store,
    profile: Profile,
    library: Library,
    today: date,
    replayed: Sequence[Reviewed] | None,
) -> list[Plan]:
    """Planned and done sets of every program week so far, as progression judges them."""
    if today < profile.created:
        return []
    bar = library.programme.monitoring.move_on_adherence
    weeks = reviews(store, profile, library, today) if replayed is None else replayed
    return [Plan(r.review.week, r.review.planned_sets, r.review.done_sets, bar) for r in weeks]
