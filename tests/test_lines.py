"""The cheaper drawing helpers show exactly what Rich alone would, only sooner."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from heelcoach.frontends.cli.lines import Lines, fit_columns


def a_console(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, color_system=None, highlight=False)


def shown(target: Console) -> str:
    file = target.file
    assert isinstance(file, io.StringIO)
    return file.getvalue()


def test_a_long_line_wraps_under_its_own_indent() -> None:
    target = a_console(30)
    out = Lines(target)
    out.add("cue: keep the knee over the second toe all the way down", indent=5)
    out.print()
    rows = shown(target).splitlines()
    assert len(rows) > 1 and all(row.startswith("     ") for row in rows)
    assert all(len(row) <= 30 for row in rows)
    assert (
        " ".join(" ".join(rows).split())
        == "cue: keep the knee over the second toe all the way down"
    )


@pytest.mark.parametrize("width", [24, 40, 80])
def test_lines_match_padded_prints(width: int) -> None:
    words = "Heel drop  2 x 10 reps, support: a wall or kitchen counter, use as needed"
    by_lines, by_prints = a_console(width), a_console(width)
    out = Lines(by_lines)
    out.add(words, indent=2)
    out.print()
    by_prints.print(Padding(Text(words), (0, 0, 0, 2), expand=False))
    strip = [row.rstrip() for row in shown(by_prints).splitlines()]
    assert shown(by_lines).splitlines() == strip


def test_markup_and_wide_characters_are_shown_as_written() -> None:
    target = a_console(20)
    out = Lines(target)
    out.add("[bold]not bold[/] 足跟足跟足跟足跟足跟")
    out.print()
    text = shown(target)
    assert "[bold]not bold[/]" in text
    assert all(Text(row).cell_len <= 20 for row in text.splitlines())


def week_table() -> Table:
    table = Table(title="Week by week")
    table.add_column("Week", justify="right")
    table.add_column("Impacts")
    for week, impacts in (("1", "##### 120"), ("2*", "######## 200")):
        table.add_row(week, Text(impacts))
    return table


@pytest.mark.parametrize("width", [12, 20, 80])
def test_fitted_tables_draw_as_rich_draws_them(width: int) -> None:
    plain, fitted = a_console(width), a_console(width)
    plain.print(week_table())
    fitted.print(fit_columns(week_table(), fitted))
    assert shown(fitted) == shown(plain)


def test_a_table_too_wide_is_left_to_rich() -> None:
    table = fit_columns(week_table(), a_console(12))
    assert [column.width for column in table.columns] == [None, None]
    table = fit_columns(week_table(), a_console(80))
    assert [column.width for column in table.columns] == [4, 12]
