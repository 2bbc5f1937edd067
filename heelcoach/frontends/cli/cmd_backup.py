"""A backup of everything a person keeps: `export` writes it, `import` restores it."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# Annotations are evaluated here (no `from __future__ import annotations`): Typer reads a
# command's options at start-up, and evaluating them from strings then costs more.
from heelcoach.context import Context
from heelcoach.errors import EXIT_REFUSED, Refused
from heelcoach.frontends.cli.common import context
from heelcoach.frontends.cli.console import say

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.services.backup import ImportResult


def export(
    tctx: typer.Context,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="jsonl|csv",
            help="jsonl: everything (sets, sessions, check-ins, readiness tests, the profile,"
            " the prescription, the settings); csv: the sets only, for a spreadsheet. Default:"
            " from --output's extension, else jsonl."
            " Example: heelcoach export --format jsonl > backup.jsonl",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (private: mode 0600) instead of the screen; never one of"
            " heelcoach's own data files. Example: heelcoach export --output backup.jsonl",
        ),
    ] = None,
) -> None:
    """Write your whole history, profile, prescription and settings as JSON lines, or the
    sets as CSV.

    Example: heelcoach export -o backup.jsonl
    """
    from heelcoach.domain.text import line
    from heelcoach.frontends.words import describe_export, listing
    from heelcoach.services import common
    from heelcoach.services.backup import export_everything, export_format, left_out_of_csv

    ctx = context(tctx)
    fmt = export_format(output_format, output)
    with common.open_store(ctx, create=False) as store:
        counts, skipped = export_everything(ctx, store, fmt, output, ctx.stdout)
    if fmt == "csv":
        beside = left_out_of_csv(ctx)
        rest = ["sessions", "check-ins", "readiness tests", "the profile"]
        rest += ["the prescription"] if beside.prescription else []
        rest += ["the settings"] if beside.settings else []
        ctx.stderr.write(
            f"heelcoach: CSV holds the sets only; {listing(rest)} need --format jsonl\n"
        )
    if output is not None:
        say(ctx, f"Exported {describe_export(counts)} to {output} ({fmt}).")
    for part in skipped:
        ctx.stderr.write(f"heelcoach: left out of the export: {line(part)}\n")
    if skipped:  # written, but not whole: a script must not take it for a full backup
        raise typer.Exit(EXIT_REFUSED)


def import_(
    tctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A file from `heelcoach export` (.jsonl or .csv). "
            "Example: heelcoach import backup.jsonl",
        ),
    ],
) -> None:
    """Restore an export: what is already stored (same uuid) is kept, nothing is doubled.

    A profile, prescription or settings already here are kept. The prescription in the
    file is installed only if it passes the checks of `heelcoach prescribe`; if not, the
    rest is imported and the exit status is 1.

    Example: heelcoach import backup.jsonl
    """
    from heelcoach.frontends.words import describe_import
    from heelcoach.services import common
    from heelcoach.services.backup import import_everything

    ctx = context(tctx)
    library = common.library(ctx)
    result = import_everything(ctx, library, file)  # all checked before any write
    for line in describe_import(result, ctx):
        say(ctx, line)
    refusal = _not_installed(ctx, result, library)
    if refusal:
        raise Refused(f"the prescription in {file} was not installed: {refusal}")


def _not_installed(ctx: Context, result: "ImportResult", library: "Library") -> str | None:
    """Why the file's prescription was not installed, in one line; None if it was (or
    there was none to install)."""
    if result.prescription == "no-profile":
        return (
            "it is checked against your screening, and there is none yet; the rest was"
            " imported: run `heelcoach screen`, then import the file again"
        )
    if result.prescription == "bad-profile":
        return (
            f"your profile could not be read to check it ({result.profile_problem}); the"
            " rest was imported"
        )
    if result.prescription != "conflicts" or result.checked is None:
        return None
    from heelcoach.domain.planner import impact_ceiling
    from heelcoach.frontends.words.plan import conflict_text
    from heelcoach.services.common import require_profile

    blocking = result.checked.blocking
    ceiling = impact_ceiling(require_profile(ctx, library), library)
    more = f" (and {len(blocking) - 1} more)" if len(blocking) > 1 else ""
    return (
        f"it conflicts with your screening: {conflict_text(blocking[0], ceiling, library)}"
        f"{more}; the rest was imported (a clinician can prescribe again with"
        " `heelcoach prescribe FILE`)"
    )
