"""`heelcoach start` minus the terminal: which session to run, and how its sets are kept.

Every finished set is written the moment it is reported, so a set the screen calls saved
is committed. A demo (`--speed` other than 1) writes nothing but an emergency stop: the
chest pain was real.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from heelcoach.content.model import Library
from heelcoach.context import Context
from heelcoach.domain.monitoring import TOO_MUCH_PAIN_ABOVE
from heelcoach.domain.planner import (
    EMPTY,
    Exclusion,
    PlanDay,
    PlanItem,
    WeekPlan,
    week_of,
)
from heelcoach.domain.profile import Profile
from heelcoach.domain.records import SessionRecord, SetRecord, Side, Status, side_named
from heelcoach.domain.text import line
from heelcoach.errors import BadInput, Refused
from heelcoach.services.progress import week_plan
from heelcoach.storage.store import Store

if TYPE_CHECKING:  # the session engine is loaded only when a session runs (plan reads
    # the emergency state through this module and must stay light)
    from heelcoach.domain.session.model import SessionItem, SetFinished

LOOK_AHEAD_DAYS = 14
DAY_AHEAD_LIMIT = 366  # `start --day` reaches at most a year ahead


class ChosenSession(NamedTuple):
    """What `start` will run: a planned day (maybe a rest day) or one exercise, less what
    was done today already and what pain above 5 stopped today."""

    day: date
    items: tuple[PlanItem, ...]  # the plan's items for the day
    plan: WeekPlan
    done: Mapping[str, int] = EMPTY  # whole sets done today, by id
    stopped: tuple[PlanItem, ...] = ()  # left out: a set today had pain above 5

    @property
    def is_rest(self) -> bool:
        return not self.items

    @property
    def to_run(self) -> tuple[PlanItem, ...]:
        """The items with sets still to do today."""
        stopped = {item.exercise.id for item in self.stopped}
        return tuple(
            item
            for item in self.items
            if item.exercise.id not in stopped and self.done.get(item.exercise.id, 0) < item.sets
        )


def plan_for(store: Store, profile: Profile, library: Library, when: date, today: date) -> WeekPlan:
    """The week holding `when` as `plan` shows it: this week follows history; others are
    as prescribed."""
    week = week_of(profile, when)
    return week_plan(
        store, profile, library, today, None if week == week_of(profile, today) else week
    )


def choose(
    store: Store,
    profile: Profile,
    library: Library,
    today: date,
    *,
    on_day: date | None = None,
    exercise_id: str | None = None,
) -> ChosenSession:
    """The day (default today) or the single exercise to run; Refused on a referral."""
    when = on_day or today
    if when < profile.created:
        raise BadInput(f"--day: {when} is before your plan starts ({profile.created})")
    if (when - today).days > DAY_AHEAD_LIMIT:
        raise BadInput(
            f"--day: {when} is more than {DAY_AHEAD_LIMIT} days ahead; plans are "
            "made from how your training goes, so only the coming weeks exist"
        )
    plan = plan_for(store, profile, library, when, today)
    if plan.referral:
        raise NoHomePlan(plan)
    if exercise_id is not None:
        items: tuple[PlanItem, ...] = (_one_exercise(plan, library, exercise_id),)
    else:
        day = plan.day(when)
        items = day.items if day else ()
    today_sets = store.sets(since=today, until=today)
    hurt = {s.exercise for s in today_sets if s.pain is not None and s.pain > TOO_MUCH_PAIN_ABOVE}
    stopped = tuple(item for item in items if item.exercise.id in hurt)
    done = sets_done(today_sets) if when == today else {}
    return ChosenSession(when, items, plan, done, stopped)


def reached_target(record: SetRecord) -> bool:
    """A set done to its target: one stopped at 4 of 10 reps is not a set done (a second
    short of a timed target, a rounding of the clock, still is)."""
    if record.target_reps is not None and (record.reps or 0) < record.target_reps:
        return False
    return record.target_seconds is None or (record.seconds or 0) + 1 >= record.target_seconds


def sets_done(records: Sequence[SetRecord]) -> dict[str, int]:
    """Whole sets done per exercise: one-leg work counts a set when both legs are done,
    and only sets done to their target count."""
    rows = Counter((r.exercise, r.side) for r in records if reached_target(r))
    done: dict[str, int] = {}
    for exercise in {r.exercise for r in records}:
        sided = min(rows[(exercise, "left")], rows[(exercise, "right")])
        done[exercise] = rows[(exercise, None)] + rows[(exercise, "both")] + sided
    return done


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


FLOOR_EQUIPMENT = "mat"  # exercises done lying down (003: bridges, the side-lying curl)


def session_items(
    items: Sequence[PlanItem],
    done: Mapping[str, int] = EMPTY,
    alternate_legs: bool = False,
) -> list[SessionItem]:
    """The live session's items; an exercise with `done` sets today starts after them.
    With `alternate_legs`, one-leg eccentric drops take turns in one set covering both
    legs (004)."""
    from heelcoach.domain.session.model import SessionItem

    made = []
    # Text the screen shows and the voice says is made inert once, here (a clinician's
    # support, a person's own exercise).
    for item in items:
        turns = alternate_legs and takes_turns(item)
        made.append(
            SessionItem(
                exercise=item.exercise.id,
                name=line(item.exercise.name),
                sets=item.sets,
                reps=(item.reps or 0) * 2 if turns else item.reps,
                seconds=item.seconds,
                per_side=item.per_side and not turns,
                support=line(item.support) if item.support is not None else None,
                phases=item.exercise.phases,
                cues=((TURNS_CUE,) if turns else ()) + tuple(map(line, item.exercise.cues)),
                mistakes=tuple(map(line, item.exercise.mistakes)),
                rest_seconds=item.exercise.rest_seconds,
                setup=tuple(map(line, item.exercise.setup)),
                loads=item.exercise.loads,
                first_set=min(item.sets, done.get(item.exercise.id, 0) + 1),
                alternate=turns,
                floor=FLOOR_EQUIPMENT in item.exercise.equipment,
            )
        )
    return made


# 004: "alternate, one on the left, one on the right and then back to the left etc."
TURNS_CUE = "Legs in turn: one rep on the left, the next on the right"


def takes_turns(item: PlanItem) -> bool:
    """Eccentric drops on one leg can be done with the legs taking turns (004)."""
    return item.exercise.family == "achilles" and item.per_side and item.reps is not None


def estimated_minutes(items: Sequence[SessionItem]) -> int:
    from heelcoach.domain.session.engine import Session

    return max(1, round(Session(items, start=0.0).planned_seconds / 60))


class SetSaver:
    """Commits each finished set before the session moves on, and pain reported in a rest
    onto the set just done. The session clock runs `speed` times faster than the wall;
    the history keeps wall-clock times. A demo (`session_id` None) stores nothing."""

    def __init__(
        self,
        store: Store,
        session_id: str | None,
        day: date,
        speed: float,
        in_turns: frozenset[str] = frozenset(),
    ) -> None:
        self.store, self.session_id, self.day, self.speed = store, session_id, day, speed
        self.in_turns = in_turns  # exercises done with the legs taking turns
        self.uuids: list[tuple[str, ...]] = []  # the rows of every set handed over, in order

    def __call__(self, event: SetFinished) -> None:
        if self.session_id is None:
            self.uuids.append(())
            return
        ended = datetime.now(UTC)
        started = ended - timedelta(seconds=(event.ended - event.started) / self.speed)
        records = [
            SetRecord(
                uuid=SetRecord.new_uuid(),
                exercise=event.exercise,
                set_number=event.set_number,
                side=side,
                reps=reps,
                seconds=None if event.reps is not None else round(event.seconds),
                target_reps=target,
                target_seconds=event.target_seconds,
                pain=event.pain,
                day=self.day,
                started_at=started,
                ended_at=ended,
                session_id=self.session_id,
                source="live",
            )
            for side, reps, target in self._rows(event)
        ]
        if len(records) == 1 and event.landings is not None:  # a set the counter heard
            records[0] = records[0]._replace(
                landings=event.landings,
                soft_landings=event.soft_landings,
                hard_landings=event.hard_landings,
            )
        self.store.add_sets(records)
        self.uuids.append(tuple(record.uuid for record in records))

    def _rows(self, event: SetFinished) -> list[tuple[Side | None, int | None, int | None]]:
        """One row, or for legs in turn a row per leg (so history counts them per side)."""
        side = side_named(event.side) if event.side else None
        if event.exercise not in self.in_turns or event.reps is None:
            return [(side, event.reps, event.target_reps)]
        target = (event.target_reps or 0) // 2 or None
        rows: list[tuple[Side | None, int | None, int | None]] = [
            ("left", (event.reps + 1) // 2, target),
            ("right", event.reps // 2, target),
        ]
        return [row for row in rows if row[1]] or rows[:1]  # no row for a leg never trained

    def pain(self, index: int, pain: int) -> None:
        """Pain reported after the `index`-th set handed over belongs to that set."""
        for uuid_ in self.uuids[index] if 0 <= index < len(self.uuids) else ():
            self.store.set_pain(uuid_, pain)


def begin(store: Store, day: date) -> str:
    """Record that a session started and return its id."""
    session_id = uuid.uuid4().hex
    store.start_session(
        SessionRecord(
            session_id=session_id,
            day=day,
            started_at=datetime.now(UTC),
            ended_at=None,
            pain=None,
            status="running",
        )
    )
    return session_id


_STATUSES: dict[str, Status] = {
    "completed": "finished",
    "quit": "stopped",
    "interrupted": "interrupted",
    "emergency": "emergency",
}


def finish(store: Store, session_id: str, reason: str) -> None:
    """Close the session record with how it ended (an emergency stays until cleared)."""
    status = _STATUSES.get(reason, "stopped")
    store.finish_session(session_id, ended_at=datetime.now(UTC), pain=None, status=status)


def remember_emergency(store: Store, day: date) -> None:
    """A demo saves nothing, but chest pain or dizziness is remembered all the same."""
    finish(store, begin(store, day), "emergency")


def one_live_session(ctx: Context) -> AbstractContextManager[None]:
    """The live-session lock, so a second session refuses (exit 1) instead of saving the
    same training twice (with no data folder yet there is nothing to share)."""
    from heelcoach.storage.locks import live_session

    return live_session(ctx.data_dir) if ctx.data_dir.is_dir() else nullcontext()
