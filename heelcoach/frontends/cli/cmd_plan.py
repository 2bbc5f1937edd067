"""`heelcoach plan`, `exercises` and `show`: the week and the library."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

# Annotations are evaluated here (no `from __future__ import annotations`): Typer reads a
# command's options at start-up, and evaluating them from strings then costs more.
from heelcoach.context import Context
from heelcoach.errors import EXIT_REFUSED, BadInput
from heelcoach.frontends.cli.common import (
    complete_exercise_id,
    context,
    preferences,
    warn_open_emergency,
    whole_number,
)
from heelcoach.frontends.cli.console import console

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.domain.planner import WeekPlan
    from heelcoach.domain.profile import Profile
    from heelcoach.services.common import Store

PLAN_FORMATS = ("text", "markdown", "ics")


def plan(
    tctx: typer.Context,
    week: Annotated[
        int | None,
        typer.Option(
            parser=whole_number(1, 520),
            metavar="N",
            help="Show program week N as prescribed (as if earlier weeks went to plan). "
            "Example: heelcoach plan --week 3",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json", help="Print the plan as JSON (see README). Example: heelcoach plan --json"
        ),
    ] = False,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="text, markdown (a printable handout) or ics (a calendar file). "
            "Example: heelcoach plan --format markdown > week.md",
        ),
    ] = "text",
    weeks: Annotated[
        int | None,
        typer.Option(
            parser=whole_number(1, 52),
            metavar="N",
            help="With --format ics: how many weeks of training days to include (default 1). "
            "Example: heelcoach plan --format ics --weeks 4 > heelcoach.ics",
        ),
    ] = None,
) -> None:
    """Print the week: days, exercises, doses, support, cues, and what was left out and why.

    Example: heelcoach plan --week 3
    """
    from heelcoach.services import common
    from heelcoach.services.progress import week_plan

    ctx = context(tctx)
    if output_format not in PLAN_FORMATS:
        raise BadInput(f"--format: '{output_format}' is not one of: {', '.join(PLAN_FORMATS)}")
    if as_json and output_format != "text":
        raise BadInput(f"--json and --format {output_format} are two outputs: choose one")
    if weeks is not None and output_format != "ics":
        raise BadInput("--weeks is for the calendar: add --format ics")
    library = common.library(ctx)
    profile = profile_or_screen(ctx, library)
    with common.open_store(ctx, create=False) as store:
        shown = week_plan(store, profile, library, ctx.today, week)
        warn_open_emergency(ctx, store, to_stderr=as_json or output_format != "text")
        remind_checkin(ctx, store, to_stderr=as_json or output_format != "text")
    _print_plan(ctx, shown, profile, library, as_json, output_format, weeks or 1)
    if shown.referral:
        raise typer.Exit(EXIT_REFUSED)


def profile_or_screen(ctx: Context, library: "Library") -> "Profile":
    """The saved profile; without one, screen first when someone can answer."""
    from heelcoach.services import common

    profile = common.load_profile(ctx, library)
    if profile is not None:
        return profile
    from heelcoach.errors import Refused
    from heelcoach.frontends.cli.cmd_screen import save_and_report
    from heelcoach.frontends.cli.screen_flow import screen_in_terminal

    if not ctx.interactive:
        raise Refused(
            "no profile yet: run `heelcoach screen` in a terminal first, or "
            "`heelcoach screen --answers FILE`"
        )
    profile = screen_in_terminal(ctx, library, ctx.today)
    save_and_report(ctx, profile, library, None)
    return profile


def remind_checkin(ctx: Context, store: "Store", to_stderr: bool = False) -> None:
    """Nudge when yesterday's training has no morning check-in (it sets the next dose)."""
    from heelcoach.services.progress import missing_checkin

    missed = missing_checkin(store, ctx.today)
    if missed is not None:
        stream = ctx.stderr if to_stderr else ctx.stdout
        stream.write(
            f"Reminder: no morning check-in yet after your session on "
            f"{missed:%a %d %b}. Run `heelcoach checkin` - it decides the next "
            "dose.\n"
        )


def _print_plan(
    ctx: Context,
    week_plan: "WeekPlan",
    profile: "Profile",
    library: "Library",
    as_json: bool,
    output_format: str,
    weeks: int,
) -> None:
    if as_json:
        from heelcoach.frontends.cli.render_json import dumps, plan_to_json

        ctx.stdout.write(dumps(plan_to_json(week_plan, profile, library)))
    elif output_format == "text":
        from heelcoach.frontends.cli import render_plan

        alternate = preferences(ctx).alternate_legs
        render_plan.week_plan(console(ctx), week_plan, ctx.today, profile, library, alternate)
    else:
        from heelcoach.frontends import handouts

        if output_format == "markdown":
            ctx.stdout.write(handouts.markdown(week_plan, profile, library))
        else:
            now = datetime.now(UTC)
            ctx.stdout.write(handouts.ics(week_plan, profile, library, weeks, ctx.data_dir, now))


def exercises(tctx: typer.Context) -> None:
    """List the exercise library. Example: heelcoach exercises"""
    from heelcoach.frontends.cli import render_plan
    from heelcoach.services import common

    ctx = context(tctx)
    render_plan.exercise_list(console(ctx), common.library(ctx))


def show(
    tctx: typer.Context,
    exercise_id: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            autocompletion=complete_exercise_id,
            help="An exercise id from `heelcoach exercises`. Example: heelcoach show heel-drop",
        ),
    ],
) -> None:
    """Explain one exercise: setup, tempo, cues, mistakes, who should not, and the source.

    Example: heelcoach show eccentric-heel-drop
    """
    from heelcoach.frontends.cli import render_plan
    from heelcoach.services import common

    ctx = context(tctx)
    library = common.library(ctx)
    render_plan.exercise_detail(console(ctx), library.exercise(exercise_id), library)
