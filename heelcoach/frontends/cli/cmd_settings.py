"""`heelcoach settings`: preferences a person switches on and off (not health answers)."""

from __future__ import annotations

from typing import Annotated

import typer

from heelcoach.errors import BadInput
from heelcoach.frontends.cli.common import context

SETTINGS = {
    "alternate-legs": (
        "alternate_legs",
        "eccentric drops one on the left, one on the right, and so on, for a short rest "
        "between each (004: when 10 in a row on one leg is too hard)",
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
    from heelcoach.frontends.cli.console import say
    from heelcoach.storage.settings_file import load_settings, save_settings

    ctx = context(tctx)
    current = load_settings(ctx.settings_path)
    if name is None:
        for shown, (field, meaning) in SETTINGS.items():
            state = "on" if getattr(current, field) else "off"
            say(ctx, f"{shown}: {state} - {meaning}")
        return
    if name not in SETTINGS:
        raise BadInput(f"unknown setting '{name}' (there is: {', '.join(SETTINGS)})")
    if value not in ("on", "off"):
        raise BadInput(f"{name}: say on or off (e.g. heelcoach settings {name} on)")
    field = SETTINGS[name][0]
    save_settings(ctx.settings_path, current._replace(**{field: value == "on"}))
    say(ctx, f"{name} is now {value}.")
