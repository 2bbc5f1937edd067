"""The `heelcoach` command line: the Typer app, and the one place errors become exit codes.

Commands live in `cmd_*` modules, registered here so that none imports this one.
`run(argv, ctx)` is the whole program minus `sys.exit`, so tests run commands in-process
with their own `Context`; `main` is the console script.
"""

import errno
import sys
from collections.abc import Mapping
from typing import NoReturn

import typer

from heelcoach import __version__
from heelcoach.context import Context
from heelcoach.errors import (
    EXIT_BAD_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_REFUSED,
    EXIT_SAVED_OUTPUT_FAILED,
    HeelcoachError,
)

# Every command, its module and function, in the order `--help` lists them: a module is
# imported only when its command runs, or for help, completion and unknown names.
COMMANDS = (
    ("screen", "cmd_screen", "screen"),
    ("plan", "cmd_plan", "plan"),
    ("exercises", "cmd_plan", "exercises"),
    ("show", "cmd_plan", "show"),
    ("start", "cmd_start", "start"),
    ("listen", "cmd_listen", "listen"),
    ("test", "cmd_test", "test"),
    ("settings", "cmd_settings", "settings"),
    ("prescribe", "cmd_prescribe", "prescribe"),
    ("report", "cmd_report", "report"),
    ("log", "cmd_logging", "log"),
    ("undo", "cmd_logging", "undo"),
    ("history", "cmd_reading", "history"),
    ("stats", "cmd_reading", "stats"),
    ("export", "cmd_backup", "export"),
    ("import", "cmd_backup", "import_"),
    ("checkin", "cmd_logging", "checkin"),
    ("check", "cmd_data_care", "check"),
    ("forget", "cmd_data_care", "forget"),
)

AS_OF = "--as-of"  # the one option that comes before the command: it sets the day

root_app = typer.Typer(
    name="heelcoach",
    # Click's plain help: it reads well at any width, and Typer's Rich help would import
    # Markdown, syntax highlighting and tracebacks first (bench/startup.py times `--help`).
    rich_markup_mode=None,
    help="A coach for heel exercises: screening, a safe weekly plan, live sessions and a "
    "private training history.\n\nRun `heelcoach` with no command for today's overview.",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"heelcoach {__version__}")
        raise typer.Exit()


@root_app.callback(invoke_without_command=True)
def root(
    tctx: typer.Context,
    version: bool = typer.Option(
        False,
        "--version",
        callback=_version,
        is_eager=True,
        help="Print the version and exit. Example: heelcoach --version",
    ),
    as_of: str | None = typer.Option(
        None,
        AS_OF,
        metavar="DATE",
        help="Run the command as on that day (today or earlier): see the plan, home or "
        "stats as they were, or record a check-in, a set or a session for it. "
        "Example: heelcoach --as-of 2026-11-24 plan",
    ),
) -> None:
    """With no command: a welcome and the screening on first run, then today's overview."""
    if as_of is not None:
        from heelcoach.frontends.cli.common import set_as_of

        set_as_of(tctx.obj, as_of, AS_OF)
    if tctx.invoked_subcommand is None:
        from heelcoach.frontends.cli import cmd_home

        cmd_home.home(tctx.obj)


def _with(names: list[str]) -> typer.Typer:
    """The root app with these commands registered (their modules imported now)."""
    import copy
    import importlib

    tree = copy.copy(root_app)
    tree.registered_commands = []
    for name, module, function in COMMANDS:
        if name in names:
            found = importlib.import_module(f"heelcoach.frontends.cli.{module}")
            tree.command(name=name)(getattr(found, function))
    return tree


def __getattr__(name: str) -> typer.Typer:
    """`app`: the whole command tree, for tools that inspect it (see `_command_for`)."""
    if name == "app":
        return _with([command for command, _, _ in COMMANDS])
    raise AttributeError(name)


def main(argv: list[str] | None = None) -> NoReturn:
    """The console script: run with the real world and exit with the documented code."""
    ctx = Context.from_environment()
    code = run(sys.argv[1:] if argv is None else argv, ctx)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout(ctx)  # `| head` closed the pipe: exit quietly, as shells expect
    sys.exit(code)


def _silence_stdout(ctx: Context) -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    import os

    try:
        fileno = ctx.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a real stream (a test's buffer)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fileno)
    os.close(devnull)


def run(argv: list[str], ctx: Context) -> int:
    """Run one command line; every failure becomes one line on stderr and an exit code."""
    undecodable = next((arg for arg in argv if not _decodes(arg)), None)
    if undecodable is not None:
        # Bytes the terminal's encoding could not decode would break every later step.
        return _fail(
            ctx,
            f"an argument is not valid text: {undecodable!r} (check the "
            "terminal's character encoding)",
            EXIT_BAD_INPUT,
        )
    late = _late_as_of(argv)
    if late is not None:
        return _fail(ctx, late, EXIT_BAD_INPUT)
    try:
        ctx.real_today()  # the clock is read first: "today" is the date the command began
        result = _command_for(argv, ctx.env).main(
            args=argv,
            prog_name="heelcoach",
            standalone_mode=False,
            obj=ctx,
            terminal_width=_help_width(),
        )
        ctx.stdout.flush()  # a full disk behind stdout is found here, not at exit
    except HeelcoachError as error:
        return _fail(ctx, str(error), error.exit_code)
    except OSError as error:
        if error.errno == errno.EPIPE:
            return _pipe_closed(ctx)
        if error.errno not in OUTPUT_ERRORS:
            raise
        return _output_failed(ctx, error)
    except typer.Exit as done:
        return done.exit_code
    except (typer.Abort, KeyboardInterrupt, EOFError):
        return _fail(ctx, "interrupted", EXIT_INTERRUPTED)
    except typer.TyperException as error:  # usage errors: bad option, bad value, ...
        return _fail(ctx, _usage_line(error), getattr(error, "exit_code", EXIT_BAD_INPUT))
    except SystemExit as stop:
        # Typer turns a broken pipe into `sys.exit(1)`; for us it is a quiet end.
        if isinstance(stop.__context__, BrokenPipeError):
            return _pipe_closed(ctx)
        raise
    except Exception as error:  # a bug: still one line, with a way to see more
        if ctx.debug:
            raise
        return _fail(
            ctx,
            f"internal error: {type(error).__name__}: {error} "
            "(run again with HEELCOACH_DEBUG=1 for details)",
            EXIT_INTERNAL,
        )
    if result == EXIT_INTERRUPTED:  # Typer turns Ctrl-C at a prompt into this code
        return _fail(ctx, "interrupted", EXIT_INTERRUPTED)
    return result if isinstance(result, int) else 0


def _help_width() -> int:
    """Click's help width (the terminal's, at most 78), without its floor of 50 columns:
    help in a narrower terminal wraps to fit instead of breaking every line in two."""
    import shutil

    return max(min(shutil.get_terminal_size().columns, 80) - 2, 20)


def _late_as_of(argv: list[str]) -> str | None:
    """`heelcoach plan --as-of DATE`: say where the option goes instead of "no such option"."""
    names = {name for name, _, _ in COMMANDS}
    if not argv or argv[0] not in names:
        return None
    options = argv[1 : argv.index("--")] if "--" in argv else argv[1:]
    if any(arg == AS_OF or arg.startswith(f"{AS_OF}=") for arg in options):
        return f"{AS_OF} goes before the command: heelcoach {AS_OF} DATE {argv[0]} ..."
    return None


# heelcoach's own files turn OS errors into a `Refused` where they are written, so one of
# these reaching `run` is the output the person redirected (`> /dev/full`, a full disk).
OUTPUT_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


def _output_failed(ctx: Context, error: OSError) -> int:
    """stdout cannot be written: say so, and whether what the command stored stays stored
    (its own exit code), so a retry does not store it twice."""
    _silence_stdout(ctx)
    problem = f"could not write the output ({error.strerror or error}), so it is incomplete"
    if ctx.done:
        done = f"{problem}, but this was done: {ctx.done} Do not run the command again."
        return _fail(ctx, done, EXIT_SAVED_OUTPUT_FAILED)
    return _fail(ctx, problem, EXIT_REFUSED)


def _pipe_closed(ctx: Context) -> int:
    """The reader went away (`| head`): nothing left to say, and nothing went wrong."""
    _silence_stdout(ctx)
    return 0


def _command_for(argv: list[str], env: Mapping[str, str]) -> typer.core.TyperGroup:
    """The click command tree, with only the subcommand being run when there is one.

    Typer inspects every command's signature when it builds the tree: building only the
    one that runs keeps `log` and `checkin` fast. Help, completion and unknown names see
    every command."""
    from typer.main import get_command

    names = [name for name, _, _ in COMMANDS]
    if argv[:1] == [AS_OF]:
        argv = argv[2:]
    elif argv[:1] and argv[0].startswith(f"{AS_OF}="):
        argv = argv[1:]
    completing = any(key.startswith("_HEELCOACH_COMPLETE") for key in env)
    unknown = bool(argv) and argv[0] not in names and argv != ["--version"]
    # No command for the home screen and `--version`, every one for help and completion.
    group = get_command(_with(names if completing or unknown else argv[:1]))
    assert isinstance(group, typer.core.TyperGroup)  # the root has a callback: a group
    return group


def _usage_line(error: typer.TyperException) -> str:
    ctx = getattr(error, "ctx", None)
    hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
    return f"{' '.join(error.format_message().split())}{hint}"


def _decodes(arg: str) -> bool:
    try:
        arg.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _fail(ctx: Context, message: str, code: int) -> int:
    from heelcoach.domain.text import line

    # Messages name paths, ids and values that came from a person or a file: one inert line.
    ctx.stderr.write(f"heelcoach: {line(message)}\n")
    return code
