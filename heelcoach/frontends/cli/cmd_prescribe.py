"""`heelcoach prescribe`: take a clinician's programme, checked against the screening."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from heelcoach.errors import BadInput, Refused
from heelcoach.frontends.cli.common import context
from heelcoach.frontends.cli.console import say

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.context import Context
    from heelcoach.domain.profile import Profile
    from heelcoach.services.prescription import Checked


def prescribe(
    tctx: typer.Context,
    source: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE",
            help="A clinician's programme (YAML, see README). "
            "Example: heelcoach prescribe programme.yaml",
        ),
    ] = None,
    clear: Annotated[
        bool,
        typer.Option(
            "--clear",
            help="Go back to the built-in programme. Example: heelcoach prescribe --clear",
        ),
    ] = False,
) -> None:
    """Follow a physiotherapist's programme, checked against your screening first.

    Exit 0: saved. Exit 1: a conflict without an override (each listed; nothing saved).

    Exit 2: a malformed file or an unknown exercise (nothing saved).

    Example: heelcoach prescribe docs/prescription-example.yaml
    """
    from heelcoach.services import common
    from heelcoach.services import prescription as service

    ctx = context(tctx)
    if clear == (source is not None):
        raise BadInput("give a prescription FILE, or --clear (not both)")
    library = common.library(ctx)
    if source is None:
        with common.open_store(ctx, create=False) as store:
            had = service.clear(store)
        say(
            ctx,
            "Prescription cleared: the built-in programme is in force again."
            if had
            else "No prescription was in force: the built-in programme stays.",
        )
        return
    profile = common.require_profile(ctx, library)
    with common.open_store(ctx, create=False) as store:
        checked = service.prescribe(store, library, profile, source, ctx.today)
    _report(ctx, checked, library, profile)


def _report(ctx: Context, checked: Checked, library: Library, profile: Profile) -> None:
    from heelcoach.domain.planner import impact_ceiling
    from heelcoach.domain.prescription import first_week
    from heelcoach.frontends.words.plan import conflict_text

    written = checked.prescription
    begins = first_week(written, profile.created) - 1
    lines = [  # the cautious ceiling builds with the weeks: each stage's own
        conflict_text(c, impact_ceiling(profile, library, begins + c.from_week), library)
        for c in checked.conflicts
    ]
    if not checked.saved:
        say(
            ctx, f"Not saved: the prescription by {written.clinician} conflicts with the screening:"
        )
        say(ctx, "\n".join(f"- {line}" for line in lines))
        raise Refused(
            f"prescription refused: {len(checked.blocking)} conflict(s) without an override "
            "that may lift them; nothing was saved"
        )
    say(
        ctx,
        f"Prescription by {written.clinician} ({written.date:%d %b %Y}) saved: "
        f"{len(written.stages)} stage(s), {len(written.exercises())} exercise(s).",
    )
    if lines:
        say(ctx, "Kept by override:\n" + "\n".join(f"- {line}" for line in lines))
    say(ctx, "Next: heelcoach plan")
