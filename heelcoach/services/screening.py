"""Screening: answers in (a file or a person), a saved profile, and what changed.

A new screening keeps the person's place in the programme unless they restart: the plan
itself advises screening again when something changes, and that must not throw away
weeks of progress.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import NamedTuple

from heelcoach.content.model import Library
from heelcoach.context import Context
from heelcoach.domain.planner import Exclusion, WeekPlan
from heelcoach.domain.profile import Profile
from heelcoach.services.progress import current_week_plan
from heelcoach.storage import profile_file
from heelcoach.storage.store import Store


class Previous(NamedTuple):
    """What was saved before this screening: the profile (if readable) and its start."""

    profile: Profile | None
    created: date
    answers: dict[str, object]  # the saved answers, for a person to confirm or change


def previous(ctx: Context, library: Library) -> Previous | None:
    """The screening saved before, even one from an earlier version (to keep its week)."""
    try:
        saved = profile_file.load_profile(ctx.profile_path, library, ctx.today)
    except profile_file.OldProfile as old:
        return Previous(None, old.created, old.answers)
    if saved is None:
        return None
    return Previous(saved, saved.created, dict(saved.answers()))


def start_date(ctx: Context, before: Previous | None, start: date | None, restart: bool) -> date:
    """`--start` if given; else the saved programme's start unless restarting; else today."""
    if start is not None:
        return start
    if before is not None and not restart:
        return before.created
    return ctx.today


def check_start(day: date, today: date) -> date:
    """The day program week 1 begins (`--start`), within the window around today."""
    return profile_file.check_start(day, today)


def load_draft(ctx: Context) -> tuple[dict[str, object], date | None] | None:
    """The answers and start date of a screening stopped part-way, if any."""
    return profile_file.load_draft(ctx.draft_path)


def save_draft(ctx: Context, answers: Mapping[str, object], created: date | None) -> None:
    """Keep the answers so far, so Ctrl-C loses none of them."""
    profile_file.save_draft(ctx.draft_path, answers, created)


def clear_draft(ctx: Context) -> None:
    profile_file.clear_draft(ctx.draft_path)


def from_answers_file(library: Library, path: Path, created: date) -> Profile:
    """Read and check the answers in `path` (nothing is saved here)."""
    return profile_file.load_answers_file(path, library, created)


def save(ctx: Context, profile: Profile) -> None:
    """Save the profile, with the day it was answered, and forget the unfinished
    screening's answers."""
    answered = profile if profile.screened else profile._replace(screened=ctx.today)
    profile_file.save_profile(ctx.profile_path, answered)
    profile_file.clear_draft(ctx.draft_path)


class PlanChange(NamedTuple):
    """How this week's plan differs after a new screening."""

    now_left_out: tuple[Exclusion, ...]
    back_in: tuple[str, ...]  # exercise ids planned now that were left out before
    referral_now: bool
    referral_lifted: bool

    @property
    def nothing(self) -> bool:
        return not (self.now_left_out or self.back_in or self.referral_now or self.referral_lifted)


def plan_change(
    store: Store, before: Profile | None, after: Profile, library: Library, today: date
) -> tuple[WeekPlan, PlanChange | None]:
    """This week's plan under the new answers, and what changed since the old ones."""
    # The old answers first: the checkpoints kept are those of the last plan worked out.
    old = current_week_plan(store, before, library, today) if before is not None else None
    plan = current_week_plan(store, after, library, today)
    if old is None:
        return plan, None
    planned_before = {item.exercise.id for item in old.items()}
    planned_now = {item.exercise.id for item in plan.items()}
    left_out = tuple(e for e in plan.excluded if e.exercise in planned_before)
    back = tuple(sorted(planned_now - planned_before))
    return plan, PlanChange(
        left_out,
        back,
        bool(plan.referral and not old.referral),
        bool(old.referral and not plan.referral),
    )
