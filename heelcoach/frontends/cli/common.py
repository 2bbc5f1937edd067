"""Small pieces every command module shares: the Context, dates, completion, reminders."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import typer

from heelcoach.context import EARLIEST_TODAY, Context
from heelcoach.domain.text import is_whole_number
from heelcoach.errors import BadInput
from heelcoach.frontends.cli.console import wrapped

if TYPE_CHECKING:
    from heelcoach.services.common import Store
    from heelcoach.services.settings import Settings

CLEARED_OPTION = "--doctor-checked"
MAX_DIGITS = 40  # longer is no count a person means, and int() of it is slow
OPEN_EMERGENCY = (
    "Your last session was stopped for chest pain or dizziness: see a doctor before training again."
)


def context(tctx: typer.Context) -> Context:
    """The Context `app.run` built for this command line."""
    found: Context = tctx.find_root().obj
    return found


def preferences(ctx: Context) -> Settings:
    """The person's settings; a damaged settings file warns once and gives the defaults."""
    from heelcoach.services.settings import preferences as saved

    settings, problem = saved(ctx)
    if problem:
        ctx.stderr.write(
            f"heelcoach: warning: {problem}; using the default settings "
            "(`heelcoach settings` to set them again)\n"
        )
    return settings


def warn_open_emergency(ctx: Context, store: Store, *, to_stderr: bool = False) -> None:
    """Say so when the last session was stopped for chest pain or dizziness and no
    doctor's check has been confirmed since (plan and the home screen; `start` asks)."""
    if store.open_emergency() is None:
        return
    stream = ctx.stderr if to_stderr else ctx.stdout
    text = (
        f"Warning: {OPEN_EMERGENCY} Once a doctor has checked you, run "
        f"`heelcoach start` and answer yes (or `heelcoach start {CLEARED_OPTION}`)."
    )
    stream.write((text if to_stderr else wrapped(ctx, text)) + "\n")


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option}: '{text}' is not a date (use YYYY-MM-DD)") from None


def set_as_of(ctx: Context, text: str, option: str) -> None:
    """Make `ctx` run as on the day `text` names; a day to come, or a day that differs
    from one already set, is bad input (a record is kept under the day it was made for)."""
    day = parse_date(text, option)
    if day > ctx.real_today():
        raise BadInput(f"{option}: {day:%Y-%m-%d} has not come yet (use today or earlier)")
    if day < EARLIEST_TODAY:
        raise BadInput(f"{option}: {day:%Y-%m-%d} is too long ago (use {EARLIEST_TODAY} or later)")
    if ctx.as_of is not None and ctx.as_of != day:
        raise BadInput(f"{option} {day:%Y-%m-%d} and --as-of {ctx.as_of:%Y-%m-%d} disagree")
    ctx.as_of = day


def complete_exercise_id(incomplete: str) -> list[str]:
    """Shell completion for exercise ids (built-in and the user's own)."""
    from heelcoach.services.common import library

    exercises = library(Context.from_environment()).exercises
    return [exercise_id for exercise_id in exercises if exercise_id.startswith(incomplete)]


# Typer's own conversions are too trusting for health data: `int()` reads other scripts'
# digits (`--reps ٣`) and numbers of any length, and a float range lets `nan` through.


def whole_number(low: int | None = None, high: int | None = None) -> Callable[[object], int]:
    """A parser for a whole number written with the digits 0-9, optionally in a range."""

    def parse(value: object) -> int:
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            # Digits only, as the help says: no sign, no spaces, so `+5`, ` 5` and `-0`
            # are refused rather than read as something the person did not write.
            text = str(value)
            if not (is_whole_number(text) and len(text) <= MAX_DIGITS):
                raise typer.BadParameter(f"'{value}' is not a whole number (use the digits 0-9)")
            number = int(text)
        if (low is not None and number < low) or (high is not None and number > high):
            raise typer.BadParameter(f"{number} is not between {low} and {high}")
        return number

    return parse


def finite_number(low: float, high: float) -> Callable[[object], float]:
    """A parser for a finite decimal number from `low` to `high`."""

    def parse(value: object) -> float:
        try:
            text = str(value).strip()
            number = float(text) if text.isascii() else math.nan
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or not low <= number <= high:
            raise typer.BadParameter(f"'{value}' is not a number from {low:g} to {high:g}")
        return number

    return parse


WHOLE = whole_number()
