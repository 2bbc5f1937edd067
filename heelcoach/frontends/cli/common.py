"""Small pieces every command module shares: the Context, dates, completion, reminders."""

from __future__ import annotations

from datetime import date

import typer

from heelcoach.context import Context
from heelcoach.errors import BadInput


def context(tctx: typer.Context) -> Context:
    """The Context `app.run` built for this command line."""
    found = tctx.find_root().obj
    if not isinstance(found, Context):
        raise RuntimeError("heelcoach commands run through heelcoach.frontends.cli.app.run")
    return found


def parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option}: '{text}' is not a date (use YYYY-MM-DD)") from None


def complete_exercise_id(incomplete: str) -> list[str]:
    """Shell completion for exercise ids (built-in and the user's own)."""
    from heelcoach.services.common import exercise_facts

    facts = exercise_facts(Context.from_environment())
    return [exercise_id for exercise_id in facts if exercise_id.startswith(incomplete)]
