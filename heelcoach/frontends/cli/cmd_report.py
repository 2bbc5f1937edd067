"""`heelcoach report`: a progress report for an appointment, as HTML, Markdown or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from heelcoach.errors import BadInput
from heelcoach.frontends.cli.common import context, whole_number

REPORT_FORMATS = ("html", "markdown", "json")
SUFFIX_FORMATS = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".json": "json",
}


def report_format(given: str | None, output: Path | None) -> str:
    """The format asked for, else the one --output's suffix names, else html; a --format
    that contradicts the suffix is refused (bad input, before anything is written)."""
    suffix = output.suffix.lower() if output is not None else ""
    implied = SUFFIX_FORMATS.get(suffix)
    if given is None:
        return implied or "html"
    if given not in REPORT_FORMATS:
        raise BadInput(f"--format: '{given}' is not one of: {', '.join(REPORT_FORMATS)}")
    if implied is not None and implied != given:
        raise BadInput(
            f"--format {given} does not match --output {output}: a {suffix} file is"
            f" {implied}; change the name or leave out --format"
        )
    return given


def report(
    tctx: typer.Context,
    weeks: Annotated[
        int,
        typer.Option(
            parser=whole_number(1, 520),
            metavar="N",
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
        str | None,
        typer.Option(
            "--format",
            metavar="FORMAT",
            help="html (one self-contained page), markdown (plain, for email) or json "
            "(the same data, see README). Default: from --output's name (.html, .htm, .md,"
            " .markdown, .json), else html. Example: heelcoach report --format markdown",
        ),
    ] = None,
) -> None:
    """A progress report to bring to an appointment (HTML, Markdown or JSON).

    Who, what is left out and why, the programme, week by week sets, pain, mornings,
    tests and dose changes, charts, and the plan in force. It holds health data.

    Example: heelcoach report --output report.html
    """
    from heelcoach.files import check_output, open_output
    from heelcoach.frontends.report.data import report_data
    from heelcoach.frontends.report.render import render
    from heelcoach.services import common
    from heelcoach.services.report import gather

    ctx = context(tctx)
    fmt = report_format(output_format, output)
    if output is None and ctx.stdout_isatty and fmt == "html":
        # A page's markup is no use read in a terminal: the same report as plain text.
        if output_format is not None:
            raise BadInput("--format html is a page for a browser: add --output report.html")
        fmt = "markdown"
        ctx.stderr.write("For the page with charts: heelcoach report --output report.html\n")
    if output is not None:  # checked before any work: never over the person's own data
        check_output(output, ctx.data_dir, "--output")
    library = common.library(ctx)
    profile = common.require_profile(ctx, library)
    with common.open_store(ctx, create=False) as store:
        facts = gather(ctx, store, library, profile, weeks)
    text = render(report_data(facts, library), fmt)
    if output is None:
        ctx.stdout.write(text)
    else:
        with open_output(output, ctx.data_dir, "--output") as handle:
            handle.write(text)
        ctx.stderr.write(f"Report written to {output} (readable by you only).\n")
