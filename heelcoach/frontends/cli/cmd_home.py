"""`heelcoach` with no command: a welcome and the screening on first run, then the overview."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from heelcoach.context import Context
from heelcoach.errors import EXIT_REFUSED, Refused
from heelcoach.frontends.cli.common import warn_open_emergency
from heelcoach.frontends.cli.console import console

if TYPE_CHECKING:
    from heelcoach.content.model import Library


def home(ctx: Context) -> None:
    from heelcoach.frontends.cli.render_home import overview_renderable
    from heelcoach.services import common
    from heelcoach.services.home import build_overview

    library = common.library(ctx)
    profile = common.load_profile(ctx, library)
    if profile is None:
        _first_run(ctx, library)
        return
    with common.open_store(ctx, create=False) as store:
        overview = build_overview(store, profile, library, ctx.today)
        warn_open_emergency(ctx, store)
    console(ctx).print(overview_renderable(overview, profile, library))
    if overview.plan.referral:
        raise typer.Exit(EXIT_REFUSED)


def _first_run(ctx: Context, library: Library) -> None:
    from heelcoach.frontends.cli.cmd_screen import save_and_report
    from heelcoach.frontends.cli.render_home import welcome_renderable
    from heelcoach.frontends.cli.screen_flow import screen_in_terminal

    target = console(ctx)
    target.print(welcome_renderable(target, ctx.data_dir))
    if not ctx.interactive:
        target.print(
            "To begin, run [bold]heelcoach screen[/bold] in a terminal "
            "(or [bold]heelcoach screen --answers FILE[/bold])."
        )
        raise Refused("no profile yet: run `heelcoach screen`")
    # The same questions, checks and saving as `heelcoach screen`.
    save_and_report(ctx, screen_in_terminal(ctx, library, ctx.today), library, None)
