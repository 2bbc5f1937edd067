"""`heelcoach screen`: the screening questions, from a person or an answers file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from heelcoach.context import Context
from heelcoach.errors import EXIT_REFUSED, BadInput
from heelcoach.frontends.cli.common import context, parse_date

if TYPE_CHECKING:
    from datetime import date

    from heelcoach.content.model import Library
    from heelcoach.domain.profile import Profile


def screen(
    tctx: typer.Context,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
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
            "--start",
            metavar="DATE",
            help="The day program week 1 starts (default today). "
            "Example: heelcoach screen --answers client.yaml --start 2026-11-02",
        ),
    ] = None,
) -> None:
    """Answer the screening questions and save the profile that every plan is built from.

    Example: heelcoach screen
    """
    from heelcoach.frontends.cli import render_plan
    from heelcoach.frontends.cli.console import console
    from heelcoach.services import common, screening

    ctx = context(tctx)
    library = common.library(ctx)
    if show:
        render_plan.profile(console(ctx), common.require_profile(ctx, library), library)
        return
    begins = parse_date(start, "--start") if start else ctx.today
    if answers is not None:
        profile = screening.from_answers_file(ctx, library, answers, begins)
    elif ctx.interactive:
        profile = screen_interactively(ctx, library, begins)
    else:
        raise BadInput("no terminal to ask the questions in: use --answers FILE")
    report_screening(ctx, profile, library)


def screen_interactively(
    ctx: Context, library: Library, start: date, *, intro: bool = True
) -> Profile:
    """Ask every question in the terminal and save the profile (the home screen's welcome
    already says what the intro says, so it can leave the intro out)."""
    from heelcoach.domain.profile import ask_all
    from heelcoach.frontends.cli import render_plan
    from heelcoach.frontends.cli.console import console
    from heelcoach.services import screening

    target = console(ctx)
    if intro:
        render_plan.screening_intro(target)
    profile = ask_all(library, lambda question: render_plan.ask(target, question, ctx.stdin), start)
    screening.save(ctx, profile)
    return profile


def report_screening(ctx: Context, profile: Profile, library: Library) -> None:
    from heelcoach.frontends.cli import render_plan
    from heelcoach.frontends.cli.console import console
    from heelcoach.services import screening

    plan = screening.first_week(profile, library)
    render_plan.screening_result(console(ctx), plan)
    if plan.referral:
        raise typer.Exit(EXIT_REFUSED)
