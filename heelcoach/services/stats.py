"""`heelcoach stats`: read the weeks to show from the store, then `domain.stats.compute`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from heelcoach.content.model import Library
from heelcoach.domain.profile import Profile
from heelcoach.domain.progression import WeekReview
from heelcoach.domain.stats import (
    DayVolume,
    Plan,
    Stats,
    compute,
    landings_heard,
    week_spans,
)
from heelcoach.services.progress import replay
from heelcoach.storage.store import Store


def gather(
    store: Store,
    library: Library,
    profile: Profile | None,
    today: date,
    weeks: int,
    judged: Sequence[WeekReview] | None = None,
) -> Stats:
    """The weeks shown, and the two check-ins before them (the trend compares the last
    two); `judged` (`Replay.judged`) spares a caller that has it a second replay."""
    spans = week_spans(today, weeks, profile.created if profile else None)
    first, last = spans[0].first, spans[-1].last  # the last week holds today
    volumes = [DayVolume(*row) for row in store.daily_volume(first, last)]
    checks = store.checkins(since=first, until=last)
    for _ in range(2 - min(2, len(checks))):  # fewer than two in the weeks shown
        earlier = store.checkin_before(checks[0].day if checks else first)
        if earlier is None:
            break
        checks.insert(0, earlier)
    sessions = store.sessions(since=first, until=last)
    session_pains = [(s.day, s.pain) for s in sessions if s.pain is not None]
    plans = on_plan(store, profile, library, today, judged) if profile is not None else None
    result = compute(today, spans, volumes, session_pains, checks, library.exercises, plans)
    tests = tuple(store.readiness(since=first, until=last))
    return result._replace(tests=tests, landings=landings_heard(volumes))


def on_plan(
    store: Store,
    profile: Profile,
    library: Library,
    today: date,
    judged: Sequence[WeekReview] | None,
) -> list[Plan]:
    """Planned and done sets of every program week so far, as progression judges them."""
    if today < profile.created:
        return []
    bar = library.programme.monitoring.move_on_adherence
    weeks = replay(store, profile, library, today).judged if judged is None else judged
    return [Plan(r.week, r.planned_sets, r.done_sets, bar) for r in weeks]
