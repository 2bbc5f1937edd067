"""What `heelcoach` with no command shows, as facts: today's session, the check-in, the week,
the streak, any referral and exactly one command to run next (`render_home` draws them).
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import NamedTuple

from heelcoach.content.model import Library
from heelcoach.domain.monitoring import TOO_MUCH_PAIN_ABOVE as TOO_MUCH
from heelcoach.domain.planner import PlanDay, PlanItem, WeekPlan, build_week
from heelcoach.domain.profile import Profile
from heelcoach.domain.stats import streak_on_plan
from heelcoach.services.progress import began, missing_checkin, replay
from heelcoach.services.stats import on_plan
from heelcoach.services.training import reached_target
from heelcoach.storage.store import Store


class TodayItem(NamedTuple):
    item: PlanItem
    planned: int  # set rows: one-sided work counts each side
    done: int


class Overview(NamedTuple):
    """Everything the home screen says, as plain values."""

    today: date
    starts: date  # the day program week 1 begins
    week: int
    level: str
    plan: WeekPlan  # this week as `plan` shows it (referral, warnings, notices)
    training_today: bool
    items: tuple[TodayItem, ...]  # today's session, or the next training day's
    next_day: date | None  # the next training day when today is a rest day
    missing_checkin: date | None  # the training day whose next-morning check-in is missing
    planned_so_far: int
    done_so_far: int
    streak: int  # weeks on plan in a row (`heelcoach stats` counts it the same way)
    weeks_judged: int  # finished program weeks
    first_session: bool = False  # nothing trained yet: the advice before it still applies
    emergency: bool = False  # a session stopped for chest pain or dizziness, not yet cleared
    stopped_today: frozenset[str] = frozenset()  # exercises pain above 5 stopped today

    @property
    def sets_left(self) -> bool:
        return self.training_today and any(
            item.done < item.planned and item.item.exercise.id not in self.stopped_today
            for item in self.items
        )

    @property
    def next_command(self) -> str:
        """The one thing to do next."""
        if self.plan.referral:
            return "heelcoach screen"
        if self.emergency:
            return "see a doctor; then heelcoach start --doctor-checked"
        if self.missing_checkin is not None:
            return "heelcoach checkin"
        if self.sets_left:
            return "heelcoach start"
        return "heelcoach plan"


def build_overview(store: Store, profile: Profile, library: Library, today: date) -> Overview:
    """Read the plan and the history and work out what the home screen says."""
    # The same ladders `plan` climbs: this week as `plan` shows it.
    replayed = replay(store, profile, library, today)
    plan, progress = replayed.current.plan, replayed.current.progress
    done_week = store.daily_volume(plan.days[0].date, today)  # per day and exercise
    today_sets = store.sets(since=today, until=today)
    done_today = Counter(s.exercise for s in today_sets if reached_target(s))  # set rows
    hurt = {s.exercise for s in today_sets if (s.pain or 0) > TOO_MUCH}
    day = plan.day(today)
    training_today = day is not None and not day.is_rest and not plan.referral
    next_day = None
    if not training_today and not plan.referral:
        following = build_week(
            profile,
            library,
            plan.week + 1,
            progress,
            previous=plan,
            prescription=plan.prescription,
        )
        next_day = _next_training_day(plan, today) or _next_training_day(following, today)
    shown = day if training_today else next_day
    items = tuple(
        TodayItem(item, item.set_rows, done_today.get(item.exercise.id, 0))
        for item in (shown.items if shown else ())
    )
    # Days before the person began (a backdated start) asked for nothing, as in `stats`.
    first = began(store, profile)
    planned = sum(item.set_rows for d in plan.days if first <= d.date <= today for item in d.items)
    judged = on_plan(store, profile, library, today, replayed.judged)
    return Overview(
        today,
        profile.created,
        plan.week,
        plan.level,
        plan,
        training_today,
        items,
        next_day.date if next_day else None,
        missing_checkin(store, today),
        planned,
        sum(sets for _, _, sets, *_ in done_week),
        streak_on_plan(judged, plan.week),
        len(judged) - 1,
        first_session=not store.sets(limit=1),
        emergency=store.open_emergency() is not None,
        stopped_today=frozenset(hurt),
    )


def _next_training_day(plan: WeekPlan, today: date) -> PlanDay | None:
    return next((d for d in plan.days if d.date > today and not d.is_rest), None)
