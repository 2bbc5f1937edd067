"""The history as progression reads it, and the plan in force this week.

A finished week is judged once: where the replay stood as each finished week began
(`WeekStart`) is kept in the history file as a checkpoint for one set of inputs (profile,
content, prescription, version). A change to the history drops the checkpoints of the
weeks it can alter (triggers, `storage.schema`), so the ones left are what a replay from
week 1 gives; a command replays from the last one (usually this week alone) and keeps
the weeks it replayed, when the history can be written and nobody wrote meanwhile.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import NamedTuple

from heelcoach import __version__
from heelcoach.content.model import Library
from heelcoach.domain.planner import WeekPlan, build_week, week_of, week_start
from heelcoach.domain.profile import Profile
from heelcoach.domain.progression import (
    FIRST_WEEK,
    DayWork,
    History,
    Reviewed,
    WeekReview,
    WeekStart,
    review_from,
    review_text,
    review_weeks,
    start_data,
    start_from,
)
from heelcoach.services.prescription import in_force
from heelcoach.services.readiness import latest_readiness
from heelcoach.storage.store import Store

CHECKPOINT_FORMAT = 6  # bump when what a checkpoint holds, or how it is judged, changes


class Replay(NamedTuple):
    """The program weeks replayed, and how the weeks before them went."""

    weeks: list[Reviewed]  # oldest first; the last is this week as it stands
    earlier: list[WeekReview]  # every week before `weeks`, oldest first (from checkpoints)

    @property
    def current(self) -> Reviewed:
        return self.weeks[-1]

    @property
    def judged(self) -> list[WeekReview]:
        """Every program week up to this one, oldest first (this one as it stands)."""
        return [*self.earlier, *(r.review for r in self.weeks)]


def load_history(
    store: Store, profile: Profile, library: Library, until: date, since: date | None = None
) -> History:
    """What progression needs from `since` (default: the profile's first day) to `until`,
    and the check-in before it (a morning is judged against the one before)."""
    first = since or profile.created
    ok = library.programme.monitoring.too_much_above
    work = tuple(DayWork(*row) for row in store.daily_evidence(first, until, ok))
    checks = store.checkins(since=first, until=until + timedelta(days=1))
    before = store.checkin_before(first) if first > profile.created else None
    return History(
        work,
        tuple(([before] if before else []) + checks),
        tuple(store.readiness(until=until)),
        reviews(store, profile, library),
        began(store, profile),
    )


def began(store: Store, profile: Profile) -> date:
    """The first day the person used heelcoach: the first screening's answers, or an
    earlier record (a new screening does not make the weeks trained before it unasked)."""
    first = store.first_day()
    return min(profile.answered, first) if first else profile.answered


def reviews(store: Store, profile: Profile, library: Library) -> tuple[date, ...]:
    """The days a professional's review was recorded: the answers given again
    (`heelcoach screen`) and the prescription in force accepted (`heelcoach prescribe`)."""
    from heelcoach.services.prescription import saved_path
    from heelcoach.storage import prescription_file

    saved = prescription_file.load_saved(saved_path(store), library)
    days = {profile.answered} if profile.screened else set()
    return tuple(sorted(days | ({saved.accepted} if saved else set())))


def replay(
    store: Store,
    profile: Profile,
    library: Library,
    today: date,
    *,
    from_week: int | None = None,
) -> Replay:
    """The program weeks from `from_week` (default: this week alone) up to this one, as a
    replay from week 1 judges them, and how every earlier week went."""
    prescription = in_force(store, library)
    current = week_of(profile, today)
    wanted = current if from_week is None else max(1, min(from_week, current))
    # Everything besides the history that the replay reads: a checkpoint made from other
    # inputs is no checkpoint.
    reviewed, first_day = reviews(store, profile, library), began(store, profile)
    inputs = repr(
        (CHECKPOINT_FORMAT, __version__, library.digest, profile, prescription, reviewed, first_day)
    )
    seen = store.data_version()
    with store.snapshot():
        kept = _kept_starts(store, inputs, current)
        start = next((s for s in reversed(kept) if s.week <= wanted), FIRST_WEEK)
        since = week_start(profile, start.week) if start.week > 1 else None
        history = load_history(store, profile, library, today, since)
    weeks = review_weeks(profile, library, history, today, prescription, start)
    earlier = [s.before for s in kept if s.week <= start.week and s.before is not None]
    fresh = [
        (
            r.start.week,
            week_start(profile, r.start.week),
            json.dumps(start_data(r.start)),
            review_text(r.start.before),
        )
        for r in weeks
        if r.start.week > len(kept) + 1 and r.start.before is not None
    ]
    if fresh:
        store.save_checkpoints(inputs, fresh, seen)
    return Replay(weeks, earlier)


def _kept_starts(store: Store, inputs: str, current: int) -> list[WeekStart]:
    """The valid checkpoints from week 2 on, without a gap, up to `current`."""
    starts: list[WeekStart] = []
    for week, state, before in store.checkpoints(inputs):
        if week != len(starts) + 2 or week > current:
            break
        review = review_from(before)
        try:
            start = start_from(json.loads(state), week, review) if review is not None else None
        except ValueError:
            start = None
        if start is None:
            break
        starts.append(start)
    return starts


def missing_checkin(store: Store, today: date) -> date | None:
    """Yesterday's date when a set was recorded yesterday and today has no check-in yet."""
    yesterday = today - timedelta(days=1)
    trained = bool(store.sets(since=yesterday, until=yesterday, limit=1))
    if trained and store.checkin_for(today) is None:
        return yesterday
    return None


def current_week_plan(store: Store, profile: Profile, library: Library, today: date) -> WeekPlan:
    """This calendar week, with doses from what was actually done and how it felt."""
    return replay(store, profile, library, today).current.plan


def week_plan(
    store: Store, profile: Profile, library: Library, today: date, week: int | None
) -> WeekPlan:
    """`plan --week N`: program week N as written, with today's readiness results (the
    gates hold in every week's plan) and last week's days (jumps never on two days
    running); without N, this week as the history has shaped it."""
    if week is None:
        return current_week_plan(store, profile, library, today)
    found, prescription = latest_readiness(store), in_force(store, library)
    previous = (
        build_week(profile, library, week - 1, readiness=found, prescription=prescription)
        if week > 1
        else None
    )
    return build_week(
        profile, library, week, readiness=found, previous=previous, prescription=prescription
    )
