"""How the command line talks: a Rich console, lines, and questions, all on the Context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, overload

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
    from heelcoach.domain.text import clean

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
    """A yes/no question, wrapped to the terminal; Enter takes the default, end of input
    means no."""
    hint = "[Y/n]" if default else "[y/N]"
    try:
        answer = ask(ctx, wrapped(ctx, f"{question}? {hint}") + " ").strip().lower()
    except EOFError:
        return False
    return default if not answer else answer in ("y", "yes")


@overload
def ask_number(
    ctx: Context, prompt: str, most: int, again: str, *, blank_skips: Literal[False] = False
) -> int: ...
@overload
def ask_number(
    ctx: Context, prompt: str, most: int, again: str, *, blank_skips: Literal[True]
) -> int | None: ...
def ask_number(
    ctx: Context, prompt: str, most: int, again: str, *, blank_skips: bool = False
) -> int | None:
    """Ask until a whole number from 0 to `most` is typed in the digits 0-9 (asking `again`
    after anything else). With `blank_skips`, an empty answer is None; EOFError when input
    has ended."""
    from heelcoach.domain.text import is_whole_number

    text = prompt
    while True:
        typed = ask(ctx, text).strip()
        if blank_skips and not typed:
            return None
        if is_whole_number(typed) and int(typed) <= most:
            return int(typed)
        text = again


def wrapped(ctx: Context, text: str, indent: str = "") -> str:
    """Break a long line between words for the terminal it is shown in, starting each
    line after the first with `indent` (counted in the width)."""
    if not ctx.stdout_isatty:
        return text
    import shutil
    import textwrap

    width = max(20, shutil.get_terminal_size((80, 24)).columns - 1)
    lines = textwrap.wrap(text, width, subsequent_indent=indent, break_on_hyphens=False)
    return "\n".join(lines)
