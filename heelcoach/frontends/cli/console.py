"""How the command line talks: a Rich console, lines, and questions, all on the Context.

Plain text whenever stdout is not a terminal or `NO_COLOR` is set: Rich drops colour by
itself in both cases but keeps bold and dim under NO_COLOR; no colour system at all drops
every escape sequence, which is what a screen reader, a log or a file wants.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heelcoach.context import Context

if TYPE_CHECKING:
    from rich.console import Console


def console(ctx: Context) -> Console:
    """The Rich console every report prints through, writing to the context's stdout."""
    from rich.console import Console

    return Console(
        file=ctx.stdout,
        force_terminal=ctx.stdout_isatty,
        highlight=False,
        emoji=False,
        color_system="auto" if ctx.colour else None,
    )


def say(ctx: Context, text: str = "") -> None:
    """One line (or several) of plain text on stdout, with every control character inert
    (the text often names a person's exercise, a path or a value from a file)."""
    from heelcoach.frontends.safe_text import clean

    ctx.stdout.write(f"{clean(text)}\n")


def ask(ctx: Context, prompt: str) -> str:
    """Show `prompt` and read one line; EOFError when input has ended."""
    ctx.stdout.write(prompt)
    ctx.stdout.flush()
    line = ctx.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\r\n")


def confirm(ctx: Context, question: str, default: bool) -> bool:
    """A yes/no question; Enter takes the default, end of input means no."""
    hint = "[Y/n]" if default else "[y/N]"
    try:
        answer = ask(ctx, f"{question}? {hint} ").strip().lower()
    except EOFError:
        return False
    return default if not answer else answer in ("y", "yes")
