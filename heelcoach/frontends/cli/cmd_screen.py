"""`heelcoach screen`: the screening questions, from a person or an answers file.

Screening again keeps the person's place in the programme unless they choose to restart,
and says what the new answers change in the plan.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from heelcoach.context import Context
from heelcoach.errors import EXIT_REFUSED, BadInput
from heelcoach.frontends.cli.common import context, parse_date
from heelcoach.frontends.cli.console import confirm, console, say, wrapped

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.domain.profile import Profile
    from heelcoach.services.screening import Previous


def screen(
    tctx: typer.Context,
    answers: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Take the answers from a YAML file instead of asking. "
            "Example: heelcoach screen --answers client.yaml",
        ),
    ] = None,
    show: Annotated[
        bool,
        typer.Option("--show", help="Print the saved profile. Example: heelcoach screen --show"),
    ] = False,
    start: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="The day program week 1 starts (default: today, or the saved programme's "
            "start when screening again). "
            "Example: heelcoach screen --answers client.yaml --start 2026-11-02",
        ),
    ] = None,
    restart: Annotated[
        bool,
        typer.Option(
            "--restart",
            help="With --answers: start the programme again at week 1 today (otherwise a new "
            "screening keeps your place). Example: heelcoach screen --answers new.yaml --restart",
        ),
    ] = False,
) -> None:
    """Answer the screening questions and save the profile that every plan is built from.

    Example: heelcoach screen
    """
    from heelcoach.frontends.cli import render_plan
    from heelcoach.services import common, screening

    ctx = context(tctx)
    library = common.library(ctx)
    if show:
        render_plan.profile(console(ctx), common.require_profile(ctx, library), library)
        return
    begins = screening.check_start(parse_date(start, "--start"), ctx.today) if start else None
    before = screening.previous(ctx, library)
    if answers is not None:
        created = screening.start_date(ctx, before, begins, restart)
        profile = screening.from_answers_file(library, answers, created)
    elif ctx.interactive:
        profile = _ask(ctx, library, before, begins)
    else:
        raise BadInput("no terminal to ask the questions in: use --answers FILE")
    save_and_report(ctx, profile, library, before)


def _ask(ctx: Context, library: Library, before: Previous | None, begins: date | None) -> Profile:
    """The questions in the terminal; a re-screen offers the saved answers and asks
    whether to keep the programme's place."""
    from heelcoach.frontends.cli import render_plan
    from heelcoach.frontends.cli.screen_flow import screen_in_terminal
    from heelcoach.services import screening

    if before is None:
        render_plan.screening_intro(console(ctx))
    created = screening.start_date(ctx, before, begins, restart=False)
    profile = screen_in_terminal(ctx, library, created, known=before.answers if before else None)
    if before is not None and begins is None and not _keep_place(ctx, before):
        profile = profile._replace(created=ctx.today)
    return profile


def _keep_place(ctx: Context, before: Previous) -> bool:
    from heelcoach.domain.planner import DAYS_IN_WEEK

    week = max(1, (ctx.today - before.created).days // DAYS_IN_WEEK + 1)
    say(
        ctx,
        wrapped(
            ctx,
            f"You are in week {week} of the programme (started "
            f"{before.created:%d %b %Y}). Answering no starts again at week 1 "
            "today.",
        ),
    )
    return confirm(ctx, "Keep your place in the programme", default=True)


def save_and_report(
    ctx: Context, profile: Profile, library: Library, before: Previous | None
) -> None:
    """Save the profile, then show the result and what changed in this week's plan."""
    from heelcoach.frontends.cli import render_plan
    from heelcoach.services import common, screening

    with common.open_store(ctx, create=False) as store:
        plan, change = screening.plan_change(
            store, before.profile if before else None, profile, library, ctx.today
        )
    screening.save(ctx, profile)
    target = console(ctx)
    render_plan.screening_result(target, plan, profile, library, _starts(ctx, profile))
    if change is not None:
        render_plan.plan_change(target, change, library)
    if plan.referral:
        raise typer.Exit(EXIT_REFUSED)


def _starts(ctx: Context, profile: Profile) -> str:
    from heelcoach.domain.planner import week_of

    if profile.created == ctx.today:
        return "Your plan starts today."
    if profile.created > ctx.today:
        return f"Your plan starts on {profile.created:%a %d %b %Y}."
    week = week_of(profile, ctx.today)
    return f"You are in program week {week} (started {profile.created:%d %b %Y})."
