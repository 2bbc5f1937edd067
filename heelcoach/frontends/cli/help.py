"""Help screens: usage, the description, then panels of arguments, options and commands.

Typer can draw these itself, but its Rich help module imports Markdown, syntax
highlighting (Pygments) and tracebacks as well: about 35 ms before the first line of
`heelcoach --help`. These panels are drawn from click's own help records with the Rich
table and panel the reports already use, so help costs what a report costs.

Every text here is heelcoach's own (docstrings and option help), and it is shown as plain
text: nothing in it is read as Rich markup.
"""

from __future__ import annotations

import inspect
import io
import shutil
from typing import TYPE_CHECKING

import typer
from typer.core import TyperCommand, TyperGroup

from heelcoach.context import Context

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.text import Text
    from typer._click import Context as ClickContext
    from typer._click import HelpFormatter, Parameter

# A help line's extras (`[default: 1]`, `[required]`) are shown on a line of their own.
EXTRAS_START = "  ["
NARROWEST = 20
# Narrower than this, a help line goes under its option's names instead of beside them.
SIDE_BY_SIDE = 72


class HelpGroup(TyperGroup):
    """The root command, with heelcoach's help screen."""

    def format_help(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        formatter.write(render_help(self, ctx))


class HelpCommand(TyperCommand):
    """A subcommand, with heelcoach's help screen."""

    def format_help(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        formatter.write(render_help(self, ctx))


def render_help(command: TyperGroup | TyperCommand, ctx: ClickContext) -> str:
    """The whole help screen of `command`, as the terminal will show it."""
    from rich.padding import Padding
    from rich.text import Text

    out = _console(ctx)
    out.print(Padding(Text(command.get_usage(ctx), style="bold"), 1))
    if command.help:
        out.print(Padding(_description(command.help), (0, 1, 1, 1)))
    params = [param for param in command.get_params(ctx) if not getattr(param, "hidden", False)]
    arguments = [param for param in params if isinstance(param, typer.core.TyperArgument)]
    options = [param for param in params if param not in arguments]
    panels = [
        ("Arguments", [_param_row(param, ctx) for param in arguments]),
        ("Options", [_param_row(param, ctx) for param in options]),
    ]
    if isinstance(command, TyperGroup):
        rows = [_command_row(command, ctx, name) for name in command.list_commands(ctx)]
        panels.append(("Commands", [row for row in rows if row]))
    for title, panel_rows in panels:
        if panel_rows:
            out.print(_panel(title, panel_rows, out.width))
    file = out.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


def _console(ctx: ClickContext) -> Console:
    """A console drawing into a string, as wide as the terminal, coloured when it is."""
    from rich.console import Console

    found = ctx.find_root().obj
    coloured = isinstance(found, Context) and found.colour
    return Console(
        file=io.StringIO(),
        width=max(NARROWEST, shutil.get_terminal_size((80, 24)).columns),
        force_terminal=coloured,
        color_system="auto" if coloured else None,
        highlight=False,
        emoji=False,
        markup=False,
    )


def _description(help_text: str) -> Text:
    """A docstring as paragraphs: the first one plain, the rest (examples, notes) dim."""
    from rich.text import Text

    paragraphs = [" ".join(part.split()) for part in inspect.cleandoc(help_text).split("\n\n")]
    text = Text(paragraphs[0])
    for paragraph in paragraphs[1:]:
        text.append("\n\n" + paragraph, style="dim")
    return text


def _param_row(param: Parameter, ctx: ClickContext) -> list[Text]:
    """Names, the value's placeholder, then the help with its default or `required`."""
    from rich.text import Text

    record = param.get_help_record(ctx)
    help_text, _, extras = (record[1] if record else "").partition(EXTRAS_START)
    described = Text(" ".join(help_text.split()))
    if extras:
        described.append(f"\n[{extras}", style="dim")
    if isinstance(param, typer.core.TyperArgument):
        names = Text(param.make_metavar(ctx), style="bold cyan")
        placeholder = ""
    else:
        spellings = sorted([*param.opts, *param.secondary_opts], key=_short_last)
        names = Text(", ".join(spellings), style="bold cyan")
        flag = getattr(param, "is_flag", False) or getattr(param, "count", False)
        placeholder = "" if flag else param.make_metavar(ctx)
    return [names, Text(placeholder, style="yellow"), described]


def _short_last(spelling: str) -> bool:
    """Sort key: `--yes` before `-y`, as the commands' examples write them."""
    return not spelling.startswith("--")


def _command_row(group: TyperGroup, ctx: ClickContext, name: str) -> list[Text]:
    """A command's name and the first paragraph of its help; empty when it is hidden."""
    from rich.text import Text

    found = group.get_command(ctx, name)
    if found is None or found.hidden:
        return []
    summary = inspect.cleandoc(found.short_help or found.help or "").split("\n\n")[0]
    return [Text(name, style="bold cyan"), Text(" ".join(summary.split()))]


def _panel(title: str, rows: list[list[Text]], width: int) -> RenderableType:
    """Rows in columns inside a box titled `title`, the last column taking the rest.

    Below `SIDE_BY_SIDE` columns the help goes under its names instead, indented, so a
    narrow terminal still shows whole words.
    """
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, show_header=False, expand=True, padding=(0, 1), pad_edge=False)
    if width < SIDE_BY_SIDE:
        table.add_column(ratio=1)
        for *names, described in rows:
            table.add_row(Text(" ").join(cell for cell in names if cell.plain))
            table.add_row(Padding(described, (0, 0, 0, 2)))
    else:
        for _ in rows[0][:-1]:
            table.add_column(no_wrap=True)
        table.add_column(ratio=1)
        for row in rows:
            table.add_row(*row)
    return Panel(table, title=title, title_align="left", border_style="dim")
