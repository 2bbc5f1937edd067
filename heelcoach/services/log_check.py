"""Whether a `heelcoach log` request looks like a slip of the keyboard: far above the dose
the plan gives that exercise, or past the day's impact ceiling.

Building the plan replays the history, so it is done only for a request that could be out
of line (over `FAR_ABOVE` sets, `USUAL_VOLUME` reps or `USUAL_SECONDS` seconds, a day past
`LOWEST_CEILING` reps) or while a prescription with smaller doses is in force; below all
of them no built-in dose is exceeded `FAR_ABOVE` times and no ceiling is reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from heelcoach.content.model import Exercise, Library
    from heelcoach.context import Context
    from heelcoach.domain.logbook import LogRequest
    from heelcoach.domain.planner import PlanItem, WeekPlan
    from heelcoach.domain.records import SetRecord
    from heelcoach.storage.store import Store

FAR_ABOVE = 2  # more than twice the planned sets, reps or seconds is queried
USUAL_VOLUME = 20  # reps: twice the built-in programme's smallest dose (1 x 10)
USUAL_SECONDS = 40  # twice its shortest timed set (20 s)
LOWEST_CEILING = 30  # the programme's lowest daily impact ceiling (programme.yaml, cautious start)


def doubt(ctx: Context, store: Store, library: Library, request: LogRequest) -> str | None:
    """Why the request looks implausible against the plan, or None."""
    if not ctx.profile_path.exists():
        return None  # no plan to compare with
    volume = request.sets * (request.reps or 0) * len(request.sides)
    that_day = store.sets(since=request.day, until=request.day)
    day_reps = volume + sum(done.reps or 0 for done in that_day)
    usual = (
        request.sets <= FAR_ABOVE
        and volume <= USUAL_VOLUME
        and (request.seconds or 0) <= USUAL_SECONDS
        and day_reps <= LOWEST_CEILING
    )
    if usual and not ctx.prescription_path.exists():
        return None
    from heelcoach.services import common
    from heelcoach.services.progress import current_week_plan

    profile = common.load_profile(ctx, library)
    if profile is None:
        return None
    plan = current_week_plan(store, profile, library, request.day)
    planned = _planned(plan, request)
    over = _over_dose(request, planned) if planned is not None else None
    return over or _over_ceiling(plan, request, library.exercises, that_day)


def _planned(plan: WeekPlan, request: LogRequest) -> PlanItem | None:
    """The exercise's dose on that day, else its dose elsewhere in that week."""
    day = plan.day(request.day)
    found = [i for i in day.items if i.exercise.id == request.exercise] if day else []
    found = found or [i for i in plan.items() if i.exercise.id == request.exercise]
    return found[0] if found else None


def _over_dose(request: LogRequest, planned: PlanItem) -> str | None:
    done, dose = _amount(request.reps, request.seconds), _amount(planned.reps, planned.seconds)
    if request.sets <= FAR_ABOVE * planned.sets and (
        dose is None or done is None or done[0] <= FAR_ABOVE * dose[0]
    ):
        return None
    amount = f" x {dose[0]} {dose[1]}" if dose else ""
    side = " per side" if planned.per_side else ""
    mine = f" x {done[0]} {done[1]}" if done else ""
    return (
        f"{request.sets}{mine} is far above the plan's {request.name.lower()} dose "
        f"({planned.sets}{amount}{side})"
    )


def _amount(reps: int | None, seconds: int | None) -> tuple[int, str] | None:
    if reps is not None:
        return reps, "reps"
    return (seconds, "s") if seconds is not None else None


def _over_ceiling(
    plan: WeekPlan,
    request: LogRequest,
    exercises: Mapping[str, Exercise],
    that_day: Sequence[SetRecord],
) -> str | None:
    def strikes(exercise_id: str, reps: int | None) -> int:
        exercise = exercises.get(exercise_id)
        return (reps or 0) if exercise is not None and exercise.heel_strikes else 0

    added = request.sets * len(request.sides) * strikes(request.exercise, request.reps)
    if not added:
        return None
    total = added + sum(strikes(done.exercise, done.reps) for done in that_day)
    if total <= plan.impact_ceiling:
        return None
    return (
        f"it takes {request.day:%a %d %b} to {total} heel strikes, above the daily ceiling "
        f"of {plan.impact_ceiling}"
    )
