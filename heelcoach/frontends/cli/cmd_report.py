"""`heelcoach report`: a progress report for an appointment, as HTML, Markdown or JSON."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from heelcoach.errors import BadInput
from heelcoach.frontends.cli.common import context

if TYPE_CHECKING:
    from heelcoach.context import Context

REPORT_FORMATS = ("html", "markdown", "json")


def report(
    tctx: typer.Context,
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks",
            min=1,
            max=520,
            help="How many program weeks, back from this one. Example: heelcoach report --weeks 6",
        ),
    ] = 12,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write the report to FILE (readable by you only) instead of the screen. "
            "Example: heelcoach report --output report.html",
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="html (one self-contained page), markdown (plain, for email) or json "
            "(the same data, see README). Example: heelcoach report --format markdown",
        ),
    ] = "html",
) -> None:
    """A progress report to bring to an appointment (HTML, Markdown or JSON).

    Who, what is left out and why, the programme, week by week sets, pain, mornings,
    tests and dose changes, charts, and the plan in force. It holds health data.

    Example: heelcoach report --output report.html
    """
    from heelcoach.frontends.report.data import report_data
    from heelcoach.frontends.report.render import render
    from heelcoach.services import common
    from heelcoach.services.report import gather

    ctx = context(tctx)
    if output_format not in REPORT_FORMATS:
        raise BadInput(f"--format: '{output_format}' is not one of: {', '.join(REPORT_FORMATS)}")
    if output is not None:
        _check_target(ctx, output)
    library = common.library(ctx)
    profile = common.require_profile(ctx, library)
    with common.open_store(ctx, create=False) as store:
        facts = gather(ctx, store, library, profile, weeks)
    text = render(report_data(facts, library), output_format)
    if output is None:
        ctx.stdout.write(text)
    else:
        _write_private(output, text)
        ctx.stderr.write(f"Report written to {output} (readable by you only).\n")


def _protected(ctx: Context) -> list[Path]:
    history = ctx.history_path
    sidecars = [history.with_name(history.name + end) for end in ("-wal", "-shm", "-journal")]
    return [ctx.profile_path, ctx.prescription_path, history, *sidecars, ctx.draft_path]


def _check_target(ctx: Context, target: Path) -> None:
    """Never over the person's own data, never onto a folder or a device."""
    resolved = Path(os.path.realpath(target))
    for data in _protected(ctx):
        if resolved == Path(os.path.realpath(data)):
            raise BadInput(f"--output: {target} is your data ({data.name}); choose another name")
    if target.is_dir():
        raise BadInput(f"--output: {target} is a folder; give a file name")
    if target.exists() and not target.is_file():
        raise BadInput(f"--output: {target} is not a regular file")
    if not target.parent.is_dir():
        raise BadInput(f"--output: no such folder {target.parent}")


def _write_private(target: Path, text: str) -> None:
    """A new 0600 file beside `target`, moved over it only when complete."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    temp = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(8).hex()}.tmp")
    fd = os.open(temp, flags, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
