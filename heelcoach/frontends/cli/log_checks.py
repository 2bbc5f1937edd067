"""What `heelcoach log` asks and says beyond recording: a query for a request that looks
like a typo against the plan, and the pain-monitoring advice for a painful set."""

from __future__ import annotations

from typing import TYPE_CHECKING

from heelcoach.errors import Refused
from heelcoach.frontends.cli.console import confirm, say, wrapped

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.context import Context
    from heelcoach.domain.logbook import LogRequest
    from heelcoach.services.common import Store


def confirm_plausible(
    ctx: Context, store: Store, library: Library, request: LogRequest, yes: bool
) -> None:
    """Ask about a request far above the plan (in a terminal), refuse it without one;
    `--yes` records it as given."""
    from heelcoach.services.log_check import doubt

    why = None if yes else doubt(ctx, store, library, request)
    if why is None:
        return
    if not ctx.interactive:
        raise Refused(f"{request.name} not recorded: {why}; check the numbers, or add --yes")
    say(ctx, wrapped(ctx, f"Check the numbers: {why}."))
    if not confirm(ctx, "Record it as typed", default=False, wrap=True):
        raise Refused(f"{request.name} not recorded")


def pain_advice(request: LogRequest) -> str | None:
    """Silbernagel's pain-monitoring model (clinical-notes.md): above 5/10 is too much."""
    from heelcoach.domain.monitoring import TOO_MUCH_PAIN_ABOVE

    if request.pain is None or request.pain <= TOO_MUCH_PAIN_ABOVE:
        return None
    return (
        f"Pain {request.pain}/10 is more than the {TOO_MUCH_PAIN_ABOVE}/10 that is fine during "
        f"exercise: stop {request.name.lower()} for today. Its next session steps back a stage "
        "where there is one below. Tomorrow morning, run `heelcoach checkin`; if the pain "
        "keeps coming back above 5, see a physical therapist."
    )
