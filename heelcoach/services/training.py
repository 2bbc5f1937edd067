"""`heelcoach start` minus the terminal: which session to run, and how its sets are kept.

The plan decides what is safe; this module only chooses among what the plan allows (today,
another planned day, or one exercise from this week), turns plan items into the live
session's items, and writes every finished set to the history the moment it is reported,
so a set the screen calls saved is already committed.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from heelcoach.content.model import Library
from heelcoach.domain.planner import Exclusion, PlanDay, PlanItem, WeekPlan, build_week, week_of
from heelcoach.domain.profile import Profile
from heelcoach.domain.records import SessionRecord, SetRecord, side_named
from heelcoach.domain.session import Session, SessionItem, SetFinished
from heelcoach.errors import BadInput, Refused
from heelcoach.services.progress import current_week_plan
from heelcoach.storage.store import Store

LOOK_AHEAD_DAYS = 14


@dataclass(frozen=True)
class Choice:
    """What `start` will run: a planned day (maybe a rest day) or one exercise."""

    day: date
    items: tuple[PlanItem, ...]
    plan: WeekPlan

    @property
    def is_rest(self) -> bool:
        return not self.items


def plan_for(store: Store, profile: Profile, library: Library, when: date, today: date) -> WeekPlan:
    """This week's plan follows history; other weeks are shown as prescribed."""
    if week_of(profile, when) == week_of(profile, today):
        return current_week_plan(store, profile, library, today)
    return build_week(profile, library, week_of(profile, when))


def choose(
    store: Store,
    profile: Profile,
    library: Library,
    today: date,
    *,
    on_day: date | None = None,
    exercise_id: str | None = None,
) -> Choice:
    """The day (default today) or the single exercise to run; Refused on a referral."""
    when = on_day or today
    if when < profile.created:
        raise BadInput(f"--day: {when} is before your plan starts ({profile.created})")
    plan = plan_for(store, profile, library, when, today)
    if plan.referral:
        raise NoHomePlan(plan)
    if exercise_id is not None:
        return Choice(when, (_one_exercise(plan, library, exercise_id),), plan)
    day = plan.day(when)
    return Choice(when, day.items if day else (), plan)


def _one_exercise(plan: WeekPlan, library: Library, exercise_id: str) -> PlanItem:
    library.exercise(exercise_id)  # unknown ids get close matches
    for day in plan.days:
        for item in day.items:
            if item.exercise.id == exercise_id:
                return item
    raise NotInPlan(exercise_id, plan.exclusion(exercise_id))


class NoHomePlan(Refused):
    """The screening found a reason to see a professional first: no session to run."""

    def __init__(self, plan: WeekPlan) -> None:
        super().__init__("see a professional first (see `heelcoach plan`)")
        self.plan = plan


class NotInPlan(Refused):
    """`start --exercise ID` for an exercise this week's plan does not hold."""

    def __init__(self, exercise_id: str, exclusion: Exclusion | None) -> None:
        super().__init__(f"{exercise_id} is not part of this week's plan (see `heelcoach plan`)")
        self.exercise_id, self.exclusion = exercise_id, exclusion


def next_training_day(
    store: Store, profile: Profile, library: Library, today: date
) -> PlanDay | None:
    plans: dict[int, WeekPlan] = {}  # each week planned once, not once per day looked at
    for offset in range(1, LOOK_AHEAD_DAYS + 1):
        when = today + timedelta(days=offset)
        week = week_of(profile, when)
        if week not in plans:
            plans[week] = plan_for(store, profile, library, when, today)
        day = plans[week].day(when)
        if day is not None and not day.is_rest:
            return day
    return None


def session_items(items: Sequence[PlanItem]) -> list[SessionItem]:
    return [
        SessionItem(
            exercise=item.exercise.id,
            name=item.exercise.name,
            sets=item.sets,
            reps=item.reps,
            seconds=item.seconds,
            per_side=item.per_side,
            support=item.support,
            phases=item.exercise.phases,
            cues=item.exercise.cues,
            mistakes=item.exercise.mistakes,
            rest_seconds=item.exercise.rest_seconds,
        )
        for item in items
    ]


def estimated_minutes(items: Sequence[SessionItem]) -> int:
    return max(1, round(Session(items, start=0.0).planned_seconds / 60))


class SetSaver:
    """Commits each finished set before the session moves on (the `on_set_finished` hook).

    Times on the session clock run `speed` times faster than the wall; the stored start
    and end are real wall-clock times, so history shows when the set was really done.
    """

    def __init__(self, store: Store, session_id: str, day: date, speed: float) -> None:
        self.store, self.session_id, self.day, self.speed = store, session_id, day, speed

    def __call__(self, event: SetFinished) -> None:
        ended = datetime.now(UTC)
        started = ended - timedelta(seconds=(event.ended - event.started) / self.speed)
        self.store.add_set(
            SetRecord(
                uuid=SetRecord.new_uuid(),
                exercise=event.exercise,
                set_number=event.set_number,
                side=side_named(event.side) if event.side else None,
                reps=event.reps,
                seconds=None if event.reps is not None else round(event.seconds),
                target_reps=event.target_reps,
                target_seconds=event.target_seconds,
                pain=event.pain,
                day=self.day,
                started_at=started,
                ended_at=ended,
                session_id=self.session_id,
                source="live",
            )
        )


def begin(store: Store, day: date) -> str:
    """Record that a session started and return its id."""
    session_id = uuid.uuid4().hex
    store.start_session(SessionRecord(session_id, day, datetime.now(UTC), None, None, "running"))
    return session_id


def finish(store: Store, session_id: str, reason: str) -> None:
    status = "finished" if reason == "completed" else "stopped"
    store.finish_session(session_id, ended_at=datetime.now(UTC), pain=None, status=status)
