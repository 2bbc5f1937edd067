"""Cheaper drawing: styled lines printed with one `Console.print`, tables pre-measured.

Each `Console.print` measures, wraps and renders from scratch; collecting a report's lines
into one `Text` prints the same screen for much less work. `Text` never reads Rich markup;
callers pass text from a person or a file through `domain.text.line` first.
"""

from __future__ import annotations

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

Part = str | tuple[str, str]  # plain text, or (text, style)


def fancy_terminal(target: Console) -> bool:
    """Unicode blocks and rounded borders only on a real terminal that can show them."""
    return target.is_terminal and (target.encoding or "").lower().startswith("utf")


def frame(target: Console) -> box.Box:
    """Rounded borders on a terminal, plain ASCII for a file, a pipe or a screen reader."""
    return box.ROUNDED if fancy_terminal(target) else box.ASCII


class Lines:
    """The lines of one report for `target`, wrapped to its width."""

    def __init__(self, target: Console) -> None:
        self._target = target
        self._text = Text()

    def add(self, *parts: Part, indent: int = 0, style: str = "") -> None:
        """One line of `parts`, `indent` columns in; a long one wraps under itself."""
        line = Text.assemble(*parts, style=style)
        room = max(1, self._target.width - indent)
        pieces = [line] if line.cell_len <= room else line.wrap(self._target, room)
        for piece in pieces:
            piece.rstrip()  # a wrapped line keeps the space it broke at
            self._text.append(" " * indent)
            self._text.append_text(piece)
            self._text.append("\n")

    def blank(self) -> None:
        self._text.append("\n")

    def print(self) -> None:
        """Print every line collected so far, and start again."""
        self._target.print(self._text, end="", no_wrap=True, overflow="ignore", crop=False)
        self._text = Text()


def fit_columns(table: Table, target: Console) -> Table:
    """Give each column its natural width when the whole table fits `target`: Rich would
    otherwise measure every cell twice. A table too wide is left to Rich to wrap."""
    widths = [
        max((_widest_line(cell) for cell in (column.header, *column.cells)), default=0)
        for column in table.columns
    ]
    left, right = table.padding[3], table.padding[1]
    borders = len(widths) + 1 if table.box else 0
    if sum(widths) + len(widths) * (left + right) + borders > target.width:
        return table
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return table


def _widest_line(cell: object) -> int:
    """The widest line of a cell in terminal columns (a plain string or a `Text`)."""
    plain = cell.plain if isinstance(cell, Text) else str(cell)
    return max(cell_len(line) for line in plain.split("\n"))
