"""`heelcoach settings`: preferences a person switches on and off (not health answers)."""

from __future__ import annotations

from typing import Annotated

import typer

from heelcoach.errors import BadInput
from heelcoach.frontends.cli.common import context, preferences
from heelcoach.frontends.cli.console import say

# name: (field, what "on" means, what "off" means)
SETTINGS = {
    "alternate-legs": (
        "alternate_legs",
        "eccentric drops with the legs in turn, one rep left, one right, for a short rest "
        "between reps (004: when 10 in a row on one leg is too hard)",
        "eccentric drops all on one leg, then all on the other (turn on for the legs in turn)",
    ),
}


def settings(
    tctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="SETTING",
            help="The setting to change: alternate-legs. "
            "Example: heelcoach settings alternate-legs on",
        ),
    ] = None,
    value: Annotated[
        str | None,
        typer.Argument(
            metavar="on|off",
            help="Switch it on or off. Example: heelcoach settings alternate-legs off",
        ),
    ] = None,
) -> None:
    """Show or change your preferences, such as alternating legs in eccentric drops.

    Example: heelcoach settings alternate-legs on
    """
    from heelcoach.services.settings import save_preferences

    ctx = context(tctx)
    current = preferences(ctx)
    if name is None:
        for shown, (field, when_on, when_off) in SETTINGS.items():
            on = getattr(current, field)
            say(ctx, f"{shown}: {'on' if on else 'off'} - {when_on if on else when_off}")
        return
    if name not in SETTINGS:
        raise BadInput(f"unknown setting '{name}' (there is: {', '.join(SETTINGS)})")
    if value not in ("on", "off"):
        raise BadInput(f"{name}: say on or off (e.g. heelcoach settings {name} on)")
    field, when_on, when_off = SETTINGS[name]
    save_preferences(ctx, current._replace(**{field: value == "on"}))
    say(ctx, f"{name} is now {value}: {when_on if value == 'on' else when_off}.")
