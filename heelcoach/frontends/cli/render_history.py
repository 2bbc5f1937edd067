"""Rich output for `heelcoach history` and `heelcoach stats`. Off a UTF-8 terminal, tables
use ASCII borders and bar charts `#`, so a file or a screen reader gets clean text."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from heelcoach.domain.records import SetRecord
from heelcoach.domain.stats import Stats, WeekStats
from heelcoach.domain.text import line
from heelcoach.frontends.cli.lines import Lines, Part, fancy_terminal, fit_columns, frame
from heelcoach.frontends.safe_text import rich_text
from heelcoach.frontends.words import amount, landings_text, plural, readiness_text

BAR_WIDTH = 8
# Columns only some sets fill, and what their cell holds for a set without it.
_OPTIONAL_COLUMNS = {"Target": "-", "Landings heard": "-", "Note": ""}
_EIGHTHS = " ▏▎▍▌▋▊▉"
_SPARKS = "▁▂▃▄▅▆▇█"


# --------------------------------------------------------------------------- history


def history(
    target: Console,
    records: Sequence[SetRecord],
    names: Mapping[str, str],
    more: bool,
    limit: int | None,
) -> None:
    if not records:
        target.print("No sets recorded yet. Log one with: heelcoach log heel-drop --reps 10")
        return
    table = Table(box=frame(target), title="Training history, newest first")
    right = {"justify": "right", "no_wrap": True}
    columns: list[tuple[str, dict[str, Any], list[str]]] = [
        ("Date", {"no_wrap": True}, [f"{r.day:%Y-%m-%d}" for r in records]),
        ("Exercise", {}, [names.get(r.exercise, r.exercise) for r in records]),
        ("Set", {"justify": "right"}, [str(r.set_number) for r in records]),
        ("Side", {}, [r.side or "-" for r in records]),
        ("Done", right, [amount(r.reps, r.seconds) for r in records]),
        ("Target", right, [amount(r.target_reps, r.target_seconds) for r in records]),
        ("Pain", right, ["-" if r.pain is None else f"{r.pain}/10" for r in records]),
        ("Source", {}, [r.source for r in records]),
        ("Landings heard", {}, [heard_text(r) for r in records]),
        ("Note", {}, [r.note or "" for r in records]),
    ]
    # Every cell is a Text: Rich never reads markup in it, and `rich_text` makes any control
    # character inert (a note or an imported row may hold anything).
    shown = [
        (name, options, [rich_text(cell) for cell in cells])
        for name, options, cells in columns
        if any(cell != _OPTIONAL_COLUMNS.get(name) for cell in cells)
    ]
    target.print(fit_columns(_filled(table, shown), target))
    if more:
        target.print(
            f"Showing the newest {limit}; more are stored: raise --limit "
            "(0 = all) or narrow with --since / --exercise."
        )


def _filled(
    table: Table, columns: Sequence[tuple[str, dict[str, Any], Sequence[Text | str]]]
) -> Table:
    """`table` with these columns (name, Rich column options, cells), row by row."""
    for name, options, _ in columns:
        table.add_column(name, **options)
    for row in zip(*(cells for _, _, cells in columns), strict=True):
        table.add_row(*row)
    return table


def heard_text(record: SetRecord) -> str:
    """'8 of 10 landings firm, 2 soft' for a set the listening counter heard, else '-'."""
    if record.landings is None:
        return "-"
    return landings_text(record.landings, record.soft_landings or 0, record.hard_landings or 0)


# --------------------------------------------------------------------------- stats


def stats(target: Console, result: Stats, bar: float) -> None:
    """The stats screen; `bar` is the share of planned sets that puts a week on plan."""
    fancy = fancy_terminal(target)
    first, last = result.weeks[0].span, result.weeks[-1].span
    kind = "program weeks" if result.has_profile else "weeks (Monday to Sunday)"
    target.print(
        f"[bold]Training stats[/bold] - last {len(result.weeks)} {kind}, "
        f"{first.first:%d %b %Y} to {last.last:%d %b %Y}"
    )
    if result.total_sets == 0:
        target.print(
            "No sets recorded in these weeks. Log one with: heelcoach log heel-drop --reps 10"
            if result.has_profile
            else "No sets recorded yet. Start with the screening: heelcoach screen"
        )
    else:
        target.print(fit_columns(_volume_table(target, result, fancy), target))
    target.print(fit_columns(_week_table(target, result, fancy), target))
    plan = (
        "Plan: set rows done / planned (one per side for one-leg work). "
        if result.has_profile
        else ""
    )
    out = Lines(target)
    out.add(
        f"* this week, in progress. {plan}Impacts: heel strikes in heel drops and "
        "jumps. Pain: the highest reported while training / the mean of each training "
        "day's highest. Morning: mean check-in pain / stiffness.",
        style="dim",
    )
    for part in (*_test_lines(result), *_landing_lines(result), *map(line, _summary(result, bar))):
        out.add(part)
    out.print()


def _week_label(week: WeekStats) -> str:
    number = week.span.program_week
    return ("-" if number is None else str(number)) + ("*" if week.in_progress else "")


def _volume_table(target: Console, result: Stats, fancy: bool) -> Table:
    volumes = result.volumes
    charts = [
        _sparkline(v.per_week) if fancy else " ".join(map(_compact, v.per_week)) for v in volumes
    ]
    right = {"justify": "right"}
    columns: list[tuple[str, dict[str, Any], Sequence[Text | str]]] = [
        ("Exercise", {}, [rich_text(f"{v.name} ({v.unit})") for v in volumes]),
        ("Per week, oldest first", {}, charts),
        ("This week", right, [str(v.per_week[-1]) for v in volumes]),
        ("Total", right, [str(v.total) for v in volumes]),
    ]
    title = "Volume per exercise and week (reps, or seconds for timed work)"
    return _filled(Table(box=frame(target), title=title), columns)


def _week_table(target: Console, result: Stats, fancy: bool) -> Table:
    profile = result.has_profile
    # An empty week before the programme began says nothing.
    weeks = [week for week in result.weeks if not profile or week.plan is not None or week.sets]
    top = max((week.impacts for week in result.weeks), default=0)
    right = {"justify": "right", "no_wrap": True}
    starred = "" if profile else "*"  # without program weeks, the start marks this week
    columns: list[tuple[str, dict[str, Any], Sequence[Text | str]]] = [
        ("Week", right, [_week_label(week) for week in weeks]),
        (
            "Starts",
            {"no_wrap": True},
            [f"{w.span.first:%d %b}" + (starred if w.in_progress else "") for w in weeks],
        ),
        ("Sets", {"justify": "right"}, [str(week.sets) for week in weeks]),
        ("Impacts", {"no_wrap": True}, [_bar(week.impacts, top, fancy) for week in weeks]),
        ("Plan", right, [_plan_cell(week, fancy) for week in weeks]),
        ("Pain", right, [_pair(week.pain_max, week.pain_mean) for week in weeks]),
        ("Morning", right, [_pair(w.checkin_pain, w.checkin_stiffness) for w in weeks]),
    ]
    # Program weeks, and the plan done, need a profile; without one each week's sets show.
    left_out = {"Sets"} if profile else {"Week", "Plan"}
    shown = [column for column in columns if column[0] not in left_out]
    return _filled(Table(box=frame(target), title="Week by week"), shown)


def _plan_cell(week: WeekStats, fancy: bool) -> Text | str:
    if week.plan is None:
        return "before week 1"
    if not week.plan.planned:
        return "nothing planned"  # never "100%" of nothing
    share = f"{week.plan.done}/{week.plan.planned} {week.plan.adherence:.0%}"
    if week.in_progress:
        return f"{share} so far"
    if week.plan.on_plan:
        return Text(f"{share} {'✓' if fancy else 'ok'}", style="green")
    return Text(f"{share} {'✗' if fancy else 'low'}", style="yellow")


def _pair(first: float | int | None, second: float | int | None) -> str:
    if first is None and second is None:
        return "-"
    return f"{_number(first)} / {_number(second)}"


def _number(value: float | int | None) -> str:
    if value is None:
        return "-"
    return f"{value:.1f}" if isinstance(value, float) else str(value)


def _compact(value: int) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return str(value)


def _bar(value: int, top: int, fancy: bool) -> str:
    if value == 0 or top == 0:
        return "0"
    eighths = max(1, round(BAR_WIDTH * 8 * value / top))
    if fancy:
        bar = "█" * (eighths // 8) + (_EIGHTHS[eighths % 8] if eighths % 8 else "")
    else:
        bar = "#" * max(1, round(eighths / 8))
    return f"{bar} {value}"


def _sparkline(values: Sequence[int]) -> str:
    top = max(values, default=0)
    if top == 0:
        return "·" * len(values)
    return "".join(
        "·" if value == 0 else _SPARKS[min(7, (value * 8 - 1) // top)] for value in values
    )


def _landing_lines(result: Stats) -> list[Part]:
    """'Heel drop: 16 of 20 landings firm, 4 soft', per exercise the counter heard."""
    if not result.landings:
        return []
    lines: list[Part] = [("Landings heard (start --listen)", "bold")]
    for heard in result.landings:
        name = next(
            (v.name for v in result.volumes if v.exercise == heard.exercise), heard.exercise
        )
        lines.append(f"  {line(name)}: {landings_text(heard.heard, heard.soft, heard.hard)}")
    return lines


def _test_lines(result: Stats) -> list[Part]:
    """The readiness tests done in these weeks, newest last."""
    if not result.tests:
        return []
    lines: list[Part] = [("Readiness tests", "bold")]
    for test in result.tests:
        lines.append(f"  {_day(test.day)}  {readiness_text(test)}")
    return lines


def _summary(result: Stats, bar: float) -> list[str]:
    lines = []
    if result.has_profile:
        lines.append(
            f"On plan: {plural(result.streak or 0, 'week')} in a row (a week is on plan "
            f"when at least {bar:.0%} of its planned sets were done; a week with "
            "nothing planned neither counts nor breaks it)."
        )
    else:
        lines.append("Adherence needs a profile: run `heelcoach screen` to get a plan.")
    last, before = result.last_checkin, result.previous_checkin
    if last is None:
        lines.append(
            "No morning check-ins yet: run `heelcoach checkin` the morning after training."
        )
    elif before is None:
        lines.append(
            f"Morning check-in {_day(last.day)}: pain {last.pain}/10, stiffness "
            f"{last.stiffness}/10 (the first one: nothing to compare yet)."
        )
    else:
        trend = result.checkin_trend
        advice = "the next dose will be reduced" if trend == "worse" else "keep going"
        lines.append(
            f"Morning check-in {_day(last.day)}: pain {last.pain}/10, stiffness "
            f"{last.stiffness}/10, {trend} than {_day(before.day)} "
            f"(pain {before.pain}, stiffness {before.stiffness}): {advice}."
        )
    return lines


def _day(day: date) -> str:
    return f"{day:%a %d %b}"
