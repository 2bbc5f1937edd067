"""The history as progression reads it, and the plan in force this week.

`domain.progression` judges weeks from plain values; this module reads those values from
the store, once per command, with the clinician's prescription kept beside it (when
there is one, it plans the weeks from its first on).
"""

from __future__ import annotations

from datetime import date, timedelta

from heelcoach.content.model import Library
from heelcoach.domain.planner import WeekPlan, build_week
from heelcoach.domain.profile import Profile
from heelcoach.domain.progression import DayWork, History, MorningCheck, Reviewed, review_weeks
from heelcoach.domain.readiness import Readiness
from heelcoach.services.prescription import in_force
from heelcoach.storage.store import Store


def load_history(store: Store, profile: Profile, library: Library, until: date) -> History:
    """What progression needs, from the profile's first day to `until`."""
    since = profile.created
    ok = library.programme.monitoring.too_much_above
    work = tuple(DayWork(*row) for row in store.daily_evidence(since, until, ok))
    mornings = tuple(
        MorningCheck(c.day, c.pain, c.stiffness)
        for c in store.checkins(since=since, until=until + timedelta(days=1))
    )
    return History(work, mornings, tuple(store.readiness(until=until)))


def readiness(store: Store) -> Readiness:
    """The latest result of each readiness test."""
    return Readiness.latest(store.readiness())


def reviews(store: Store, profile: Profile, library: Library, today: date) -> list[Reviewed]:
    """Every program week up to today, replayed (the last is this week, as it stands)."""
    history = load_history(store, profile, library, today)
    return review_weeks(profile, library, history, today, in_force(store, library))


def missing_checkin(store: Store, today: date) -> date | None:
    """Yesterday's date when a set was recorded yesterday and today has no check-in yet.

    For the reminders in `plan`, `start` and the home screen.
    """
    yesterday = today - timedelta(days=1)
    trained = bool(store.sets(since=yesterday, until=yesterday, limit=1))
    if trained and store.checkin_for(today) is None:
        return yesterday
    return None


def current_week_plan(store: Store, profile: Profile, library: Library, today: date) -> WeekPlan:
    """This calendar week, with doses from what was actually done and how it felt."""
    return reviews(store, profile, library, today)[-1].plan


def prescribed_week(store: Store, profile: Profile, library: Library, week: int) -> WeekPlan:
    """Program week `week` as written, with today's readiness results (the gates hold in
    every week's plan) and last week's days (jumps never on two days running)."""
    found, prescription = readiness(store), in_force(store, library)
    previous = (
        build_week(profile, library, week - 1, readiness=found, prescription=prescription)
        if week > 1
        else None
    )
    return build_week(
        profile, library, week, readiness=found, previous=previous, prescription=prescription
    )


def week_plan(
    store: Store, profile: Profile, library: Library, today: date, week: int | None
) -> WeekPlan:
    """`plan --week N` as prescribed, or this week as the history has shaped it."""
    if week is not None:
        return prescribed_week(store, profile, library, week)
    return current_week_plan(store, profile, library, today)
