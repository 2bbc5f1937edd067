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
    EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED, EXIT_REFUSED, BadInput, HeelcoachError,
    Refused,
)

if TYPE_CHECKING:
    from heelcoach.coach import Choice
    from heelcoach.content import Library
    from heelcoach.live import SessionOutcome
    from heelcoach.session import SessionItem
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
    command = _command_for(sys.argv[1:] if argv is None else argv)
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
    if result == EXIT_INTERRUPTED:  # Typer turns Ctrl-C at a prompt into this code
        _fail("interrupted", EXIT_INTERRUPTED)
    sys.exit(result if isinstance(result, int) else 0)


def _command_for(argv: list[str]) -> typer.core.TyperGroup:
    """The click command tree, with only the subcommand being run when there is one.

    Typer inspects every command's signature when it builds the tree; building just the
    one that runs keeps `heelcoach log` and `checkin` fast. Help, completion and unknown
    names get the whole tree, so they see every command.
    """
    import copy

    from typer.main import get_command, get_command_name

    wanted = [info for info in app.registered_commands
              if argv and argv[0] == (info.name or get_command_name(info.callback.__name__))]
    completing = any(key.startswith("_HEELCOACH_COMPLETE") for key in os.environ)
    if argv == ["--version"] and not completing:
        wanted = []  # the root's eager option answers before any command would run
    elif not wanted or completing:
        return get_command(app)
    lean = copy.copy(app)
    lean.registered_commands = wanted
    return get_command(lean)


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
    return screen_interactively(library, _today())


def screen_interactively(library: Library, start: date, *, intro: bool = True) -> Profile:
    """Ask every question in the terminal and save the profile (the home screen's welcome
    already says what the intro says, so it can leave the intro out)."""
    from heelcoach import render
    from heelcoach.screening import ask_all, save_profile

    console = render.console()
    if intro:
        render.screening_intro(console)
    profile = ask_all(library, lambda question: render.ask(console, question), start)
    save_profile(profile)
    return profile


def complete_exercise_id(incomplete: str) -> list[str]:
    """Shell completion for exercise ids (built-in and the user's own)."""
    from heelcoach.catalogue import exercise_facts

    return [exercise_id for exercise_id in exercise_facts() if exercise_id.startswith(incomplete)]


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
    """Answer the screening questions and save the profile that every plan is built from.

    Example: heelcoach screen
    """
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
        profile = screen_interactively(library, begins)
    else:
        raise BadInput("no terminal to ask the questions in: use --answers FILE")
    report_screening(profile, library)


def report_screening(profile: Profile, library: Library) -> None:
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
    """Print the week: days, exercises, doses, support, cues, and what was left out and why.

    Example: heelcoach plan --week 3
    """
    library = _library()
    profile = _profile_or_screen(library)
    week_plan = _week_plan(profile, library, week)
    _remind_checkin(_today(), to_stderr=as_json or output_format != "text")
    _print_plan(week_plan, profile, library, as_json, output_format, weeks)
    if week_plan.referral:
        raise typer.Exit(EXIT_REFUSED)


def _week_plan(profile: Profile, library: Library, week: int | None) -> WeekPlan:
    from heelcoach.planner import build_week

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
        metavar="ID", autocompletion=complete_exercise_id,
        help="An exercise id from `heelcoach exercises`. Example: heelcoach show heel-drop")],
) -> None:
    """Explain one exercise: setup, tempo, cues, mistakes, who should not, and the source.

    Example: heelcoach show eccentric-heel-drop
    """
    from heelcoach import render

    library = _library()
    render.exercise_detail(render.console(), library.exercise(exercise_id), library)


# --------------------------------------------------------------------------- live session


@app.command()
def start(
    exercise: Annotated[Optional[str], typer.Option(
        "--exercise", metavar="ID", autocompletion=complete_exercise_id,
        help="Run just this exercise from this week's plan. "
             "Example: heelcoach start --exercise eccentric-heel-drop")] = None,
    day: Annotated[Optional[str], typer.Option(
        "--day", metavar="DATE",
        help="Run the session planned for another day. Example: heelcoach start --day 2026-11-24")
    ] = None,
    speed: Annotated[float, typer.Option(
        "--speed", min=0.1, max=1000.0,
        help="Run the clock X times faster: for demos and tests only, not for training. "
             "Example: heelcoach start --speed 20")] = 1.0,
    plain: Annotated[bool, typer.Option(
        "--plain", help="One line per event instead of the full-screen view (for screen "
                        "readers and logs; automatic when output is not a terminal or "
                        "TERM=dumb). Example: heelcoach start --plain")] = False,
    sound: Annotated[bool, typer.Option(
        "--sound", help="Ring the terminal bell at phase changes and speak them with "
                        "espeak-ng or say when installed. Example: heelcoach start --sound")
    ] = False,
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Start without the 'ready?' question. Example: heelcoach start -y")
    ] = False,
) -> None:
    """Run today's session live: paced reps, timers, rests, cues; every set saved at once.

    Keys: space pause, n finish the set now, s skip the exercise, q quit,
    p report pain 0-10, ! chest pain or dizziness (stops everything).

    Example: heelcoach start
    """
    from heelcoach import coach

    library = _library()
    profile = _profile_or_screen(library)
    today = _today()
    on_day = _parse_date(day, "--day") if day else None
    choice = coach.choose(profile, library, today, on_day=on_day, exercise_id=exercise)
    _remind_checkin(today)
    if choice.is_rest:
        choice = _rest_day(profile, library, choice, today)
    items = coach.session_items(choice.items)
    _outline(choice, items)
    if not yes and _interactive() and not _confirm("Ready? Start now", default=True):
        print("Not started. Run `heelcoach start` when you are ready.")
        return
    _run_live(choice, items, speed=speed, plain=plain, sound=sound)


def _remind_checkin(today: date, to_stderr: bool = False) -> None:
    """Nudge when yesterday's training has no morning check-in (it sets the next dose)."""
    from heelcoach.progression import missing_checkin

    missed = missing_checkin(today)
    if missed is not None:
        print(f"Reminder: no morning check-in yet after your session on {missed:%a %d %b}. "
              "Run `heelcoach checkin` - it decides the next dose.",
              file=sys.stderr if to_stderr else sys.stdout)


def _confirm(question: str, default: bool) -> bool:
    hint = "[Y/n]" if default else "[y/N]"
    try:
        answer = input(f"{question}? {hint} ").strip().lower()
    except EOFError:
        return False
    return default if not answer else answer in ("y", "yes")


def _rest_day(profile: Profile, library: Library, choice: Choice, today: date) -> Choice:
    from heelcoach import coach

    upcoming = coach.next_training_day(profile, library, choice.day)
    print(f"{choice.day:%a %d %b} is a rest day in your plan: rest lets bone and tendon "
          "adapt.")
    if upcoming is None:
        raise typer.Exit(0)
    print(f"Next training day: {upcoming.date:%a %d %b} "
          f"({', '.join(item.exercise.name for item in upcoming.items)}).")
    if not _interactive() or not _confirm("Do that session now instead", default=False):
        raise typer.Exit(0)
    return coach.choose(profile, library, today, on_day=upcoming.date)


def _outline(choice: Choice, items: list[SessionItem]) -> None:
    from heelcoach.records import plural
    from heelcoach import coach

    total_sets = sum(item.set_rows for item in items)
    minutes = coach.estimated_minutes(items)
    print(f"Session for {choice.day:%a %d %b}: {plural(len(items), 'exercise')}, "
          f"{plural(total_sets, 'set')}, about {plural(minutes, 'minute')}.")
    for number, item in enumerate(items, 1):
        side = " per side" if item.per_side else ""
        support = f" - support: {item.support}" if item.support else ""
        print(f"  {number}. {item.name}: {item.sets} x {item.measure}{side}{support}")


def _run_live(choice: Choice, items: list[SessionItem], *, speed: float, plain: bool,
              sound: bool) -> None:
    from heelcoach import coach
    from heelcoach.live import run_session
    from heelcoach.store import Store

    done_on = _today()  # another day's session counts for the day it is actually done
    with Store.open() as store:
        session_id = coach.begin(store, done_on)
        saver = coach.SetSaver(store, session_id, done_on, speed)
        try:
            outcome = run_session(items, on_set_finished=saver, speed=speed, plain=plain,
                                  sound=sound)
        except BaseException:  # a closed terminal (SIGHUP) or SIGTERM: sets are saved
            coach.finish(store, session_id, "interrupted")
            raise
        # Close the session record first: a Ctrl-C at the question below must not leave it
        # marked as running.
        coach.finish(store, session_id, outcome.reason)
        _summary(outcome)
        if outcome.reason in ("completed", "quit") and _interactive():
            pain = _session_pain()
            if pain is not None:
                store.set_session_pain(session_id, pain)
    _closing(outcome)


SESSION_ENDINGS = {
    "completed": "Session completed", "quit": "Session quit",
    "emergency": "Session stopped for your safety", "interrupted": "Session interrupted",
}


def _summary(outcome: SessionOutcome) -> None:
    from heelcoach.records import plural

    summary = outcome.summary
    minutes = summary.elapsed_seconds / 60
    print(f"\n{SESSION_ENDINGS[outcome.reason]}: {plural(len(outcome.saved), 'set')} saved "
          f"in {minutes:.0f} min.")
    for result in summary.exercises:
        if result.sets_done or result.skipped:
            done = plural(result.reps, "rep") if result.reps else f"{result.seconds:.0f} s"
            flags = " (skipped)" if result.skipped else ""
            flags += " (stopped: pain)" if result.pain_stopped else ""
            print(f"  {result.name}: {plural(result.sets_done, 'set')}, {done}{flags}")
    for report in summary.pain_reports:
        print(f"  pain {report.pain}/10 during {report.exercise} set {report.set_number}")
    if outcome.message and not outcome.message_shown:
        print(outcome.message)


def _session_pain() -> int | None:
    while True:
        try:
            typed = input("How much pain did this session cause, 0-10? (blank to skip) ")
        except EOFError:
            return None
        if not typed.strip():
            return None
        if typed.strip().isdecimal() and 0 <= int(typed) <= 10:
            return int(typed)
        print("Type a whole number from 0 to 10.")


def _closing(outcome: SessionOutcome) -> None:
    if outcome.emergency:
        raise typer.Exit(EXIT_REFUSED)
    print("Tomorrow morning, run `heelcoach checkin`: how you feel then decides the next dose.")
    if outcome.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)


from heelcoach import cli_history  # noqa: E402,F401  (registers the history commands)
