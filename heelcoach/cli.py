"""The `heelcoach` command line: parse options, call one domain function, render the result.

No rules, SQL or Rich layout live here. Rich, YAML and the content library are imported
inside the commands that need them, so `--version`, `log` and `checkin` start as fast as
Typer itself allows. `main` is the only place that turns an error into an exit code: one
line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from heelcoach import __version__
from heelcoach.errors import (
    EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_REFUSED, BadInput, HeelcoachError, Refused,
)

if TYPE_CHECKING:
    from heelcoach.content import Library
    from heelcoach.planner import WeekPlan
    from heelcoach.screening import Profile

app = typer.Typer(
    name="heelcoach",
    help="A coach for heel exercises: screening, a safe weekly plan, live sessions and a "
         "private training history.\n\nRun `heelcoach` with no command for today's overview.",
    add_completion=True,
    no_args_is_help=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the app and map every failure to one line and an exit code."""
    from typer.main import get_command

    command = get_command(app)
    try:
        result = command.main(args=argv, prog_name="heelcoach", standalone_mode=False)
    except HeelcoachError as error:
        _fail(str(error), error.exit_code)
    except typer.Exit as done:
        sys.exit(done.exit_code)
    except (typer.Abort, KeyboardInterrupt, EOFError):
        _fail("interrupted", EXIT_INTERRUPTED)
    except typer.TyperException as error:  # usage errors: bad option, bad value, ...
        _fail(_usage_line(error), getattr(error, "exit_code", EXIT_BAD_INPUT))
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (`| head`); nothing left to say
        sys.exit(0)
    except Exception as error:  # a bug: still one line, with a way to see more
        if os.environ.get("HEELCOACH_DEBUG"):
            raise
        _fail(f"internal error: {type(error).__name__}: {error} "
              "(run again with HEELCOACH_DEBUG=1 for details)", EXIT_INTERNAL)
    sys.exit(result if isinstance(result, int) else 0)


def _usage_line(error: typer.TyperException) -> str:
    ctx = getattr(error, "ctx", None)
    hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    return f"{' '.join(error.format_message().split())}{hint}"


def _fail(message: str, code: int) -> None:
    print(f"heelcoach: {message}", file=sys.stderr)
    sys.exit(code)


# --------------------------------------------------------------------------- shared helpers


def _today() -> date:
    return date.today()


def _interactive() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()


def _library() -> Library:
    from heelcoach.content import load_library

    return load_library()


def _profile_or_screen(library: Library) -> Profile:
    """The saved profile; without one, screen first when someone can answer."""
    from heelcoach.screening import load_profile

    profile = load_profile(library)
    if profile is not None:
        return profile
    if not _interactive():
        raise Refused("no profile yet: run `heelcoach screen` in a terminal first, or "
                      "`heelcoach screen --answers FILE`")
    return _screen_interactively(library, _today())


def _screen_interactively(library: Library, start: date) -> Profile:
    from heelcoach import render
    from heelcoach.screening import ask_all, save_profile

    console = render.console()
    render.screening_intro(console)
    profile = ask_all(library, lambda question: render.ask(console, question), start)
    save_profile(profile)
    return profile


def _parse_date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise BadInput(f"{option}: '{text}' is not a date (use YYYY-MM-DD)") from None


# --------------------------------------------------------------------------- root


def _version(value: bool) -> None:
    if value:
        print(f"heelcoach {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Print the version and exit. Example: heelcoach --version")] = False,
) -> None:
    """With no command: a welcome and the screening on first run, then today's overview."""
    if ctx.invoked_subcommand is None:
        from heelcoach.home import show_home

        show_home(_interactive(), _today())


# --------------------------------------------------------------------------- screening


@app.command()
def screen(
    answers: Annotated[Optional[Path], typer.Option(
        "--answers", metavar="FILE",
        help="Take the answers from a YAML file instead of asking. "
             "Example: heelcoach screen --answers client.yaml")] = None,
    show: Annotated[bool, typer.Option(
        "--show", help="Print the saved profile. Example: heelcoach screen --show")] = False,
    start: Annotated[Optional[str], typer.Option(
        "--start", metavar="DATE",
        help="The day program week 1 starts (default today). "
             "Example: heelcoach screen --answers client.yaml --start 2026-11-02")] = None,
) -> None:
    """Answer the screening questions and save the profile that every plan is built from."""
    from heelcoach import render
    from heelcoach.screening import load_answers_file, require_profile, save_profile

    library = _library()
    if show:
        render.profile(render.console(), require_profile(library), library)
        return
    begins = _parse_date(start, "--start") if start else _today()
    if answers is not None:
        profile = load_answers_file(answers, library, begins)
        save_profile(profile)
    elif _interactive():
        profile = _screen_interactively(library, begins)
    else:
        raise BadInput("no terminal to ask the questions in: use --answers FILE")
    _after_screening(profile, library)


def _after_screening(profile: Profile, library: Library) -> None:
    from heelcoach import render
    from heelcoach.planner import build_week

    plan = build_week(profile, library, 1)
    render.screening_result(render.console(), plan)
    if plan.referral:
        raise typer.Exit(EXIT_REFUSED)


# --------------------------------------------------------------------------- plan


@app.command()
def plan(
    week: Annotated[Optional[int], typer.Option(
        "--week", min=1, max=520,
        help="Show program week N as prescribed (as if earlier weeks went to plan). "
             "Example: heelcoach plan --week 3")] = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the plan as JSON (see README). Example: heelcoach plan --json")
    ] = False,
    output_format: Annotated[str, typer.Option(
        "--format", metavar="FORMAT",
        help="text, markdown (a printable handout) or ics (a calendar file). "
             "Example: heelcoach plan --format markdown > week.md")] = "text",
    weeks: Annotated[int, typer.Option(
        "--weeks", min=1, max=52,
        help="With --format ics: how many weeks of training days to include. "
             "Example: heelcoach plan --format ics --weeks 4 > heelcoach.ics")] = 1,
) -> None:
    """Print the week: days, exercises, doses, support, cues, and what was left out and why."""
    library = _library()
    profile = _profile_or_screen(library)
    week_plan = _week_plan(profile, library, week)
    _print_plan(week_plan, profile, library, as_json, output_format, weeks)
    if week_plan.referral:
        raise typer.Exit(EXIT_REFUSED)


def _week_plan(profile: Profile, library: Library, week: int | None) -> WeekPlan:
    from heelcoach.planner import build_week, week_of

    if week is not None:
        return build_week(profile, library, week)
    from heelcoach.progression import current_week_plan

    return current_week_plan(profile, library, _today())


def _print_plan(week_plan: WeekPlan, profile: Profile, library: Library, as_json: bool,
                output_format: str, weeks: int) -> None:
    if as_json:
        import json

        from heelcoach.planner import plan_to_json

        print(json.dumps(plan_to_json(week_plan), indent=2))
    elif output_format == "text":
        from heelcoach import render

        render.week_plan(render.console(), week_plan, _today())
    elif output_format in ("markdown", "ics"):
        from heelcoach import handouts

        sys.stdout.write(handouts.render(output_format, week_plan, profile, library, weeks))
    else:
        raise BadInput(f"--format: '{output_format}' is not one of: text, markdown, ics")


# --------------------------------------------------------------------------- library


@app.command()
def exercises() -> None:
    """List the exercise library. Example: heelcoach exercises"""
    from heelcoach import render

    render.exercise_list(render.console(), _library())


@app.command()
def show(
    exercise_id: Annotated[str, typer.Argument(
        metavar="ID", help="An exercise id from `heelcoach exercises`. "
                           "Example: heelcoach show heel-drop")],
) -> None:
    """Explain one exercise: setup, tempo, cues, mistakes, who should not, and the source."""
    from heelcoach import render

    library = _library()
    render.exercise_detail(render.console(), library.exercise(exercise_id), library)
