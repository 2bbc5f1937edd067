"""Looking after the data itself: `check` reads the whole history, `forget` deletes it all."""

from typing import Annotated

import typer

# Annotations are evaluated here (no `from __future__ import annotations`): Typer reads a
# command's options at start-up, and evaluating them from strings then costs more.
from heelcoach.context import Context
from heelcoach.errors import BadInput, Refused
from heelcoach.frontends.cli.common import context
from heelcoach.frontends.cli.console import ask, say


def check(tctx: typer.Context) -> None:
    """Read the whole history through SQLite's full integrity check, and every record.

    Other commands run SQLite's quick check; this one runs the full integrity check
    (indexes against tables too), and says how to recover when something is damaged.

    Example: heelcoach check
    """
    from heelcoach.frontends.words import plural
    from heelcoach.services.history_edits import Damaged, check_history

    ctx = context(tctx)
    try:
        report = check_history(ctx)
    except Damaged as damage:
        _recovery_steps(ctx, damage.findings)
        raise
    if not report.exists:
        say(ctx, f"No history yet at {report.path}: nothing to check.")
        return
    say(
        ctx,
        f"The history at {report.path} is whole: SQLite's full integrity check found"
        f" nothing wrong, and every record reads back ({plural(report.sets, 'set')},"
        f" {plural(report.sessions, 'session')}, {plural(report.checkins, 'check-in')},"
        f" {plural(report.readiness, 'readiness test')}).",
    )


def _recovery_steps(ctx: Context, findings: tuple[str, ...]) -> None:
    path = ctx.history_path
    say(ctx, f"The history at {path} is damaged; nothing was changed. SQLite reports:")
    for finding in findings:
        for line in finding.splitlines():
            say(ctx, f"  {line}")
    say(ctx, "To recover what can still be read:")
    say(ctx, f"  1. keep a copy of the whole folder first: cp -a {path.parent} {path.parent}.copy")
    say(ctx, f"  2. sqlite3 {path} .recover | sqlite3 {path.parent / 'recovered.db'}")
    say(
        ctx,
        f"  3. move {path.name} and any {path.name}-wal and {path.name}-shm aside, rename"
        f" recovered.db to {path.name}, and run `heelcoach check` again",
    )
    say(ctx, "Or move it aside to start a new history (`heelcoach import` restores an export).")


def forget(
    tctx: typer.Context,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Delete without the typed confirmation (for scripts). "
            "Example: heelcoach forget --yes",
        ),
    ] = False,
) -> None:
    """Delete your profile and your whole training history.

    Example: heelcoach forget
    """
    from heelcoach.services.history_edits import forget_everything, forget_targets

    ctx = context(tctx)
    targets = forget_targets(ctx)
    if not targets:
        say(ctx, f"Nothing to delete: no profile or history in {ctx.data_dir}.")
        return
    if not yes:
        if not ctx.stdin_isatty:
            raise BadInput(
                "forget deletes your profile and history for good: type the "
                "confirmation in a terminal, or add --yes"
            )
        say(ctx, "This deletes for good:")
        for target in targets:
            say(ctx, f"  {target}")
        if ask(ctx, "Type forget to delete them: ").strip() != "forget":
            raise Refused("nothing deleted (the confirmation was not `forget`)")
    for removed in forget_everything(ctx):
        say(ctx, f"Deleted {removed}")
    kept = ctx.user_exercises_dir
    if kept.is_dir():
        say(ctx, f"Kept your own exercises in {kept}")
