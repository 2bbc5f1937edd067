"""The history as progression reads it, and the plan in force this week.

`domain.progression` judges weeks from plain values; this module reads those values from
the store, once per command.
"""

from __future__ import annotations

from datetime import date, timedelta

from heelcoach.content.model import Library
from heelcoach.domain.planner import WeekPlan, build_week, week_of, week_start
from heelcoach.domain.profile import Profile
from heelcoach.domain.progression import DayVolume, History, MorningCheck, progress_for
from heelcoach.storage.store import Store


def load_history(store: Store, profile: Profile, until: date) -> History:
    """What progression needs, from the profile's first day to `until`."""
    since = profile.created
    volumes = tuple(
        DayVolume(day, exercise, sets, pain)
        for day, exercise, sets, _reps, _seconds, pain in store.daily_volume(since, until)
    )
    sessions = tuple(
        (s.day, s.pain) for s in store.sessions(since=since, until=until) if s.pain is not None
    )
    checks = tuple(
        MorningCheck(c.day, c.pain, c.stiffness)
        for c in store.checkins(since=since, until=until + timedelta(days=1))
    )
    return History(volumes, sessions, checks)


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
    """This calendar week, with doses from what was actually done."""
    week = week_of(profile, today)
    history = load_history(store, profile, week_start(profile, week) - timedelta(days=1))
    return build_week(profile, library, week, progress_for(profile, library, history, week))


def week_plan(
    store: Store, profile: Profile, library: Library, today: date, week: int | None
) -> WeekPlan:
    """`plan --week N` as prescribed, or this week as the history has shaped it."""
    if week is not None:
        return build_week(profile, library, week)
    return current_week_plan(store, profile, library, today)
