"""Chart geometry for the report in SVG user units, for the `charts.svg.j2` macros: it
keeps the templates free of arithmetic, and lets tests check it without a browser."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

WIDTH, HEIGHT = 680, 210  # the viewBox
LEFT, RIGHT, TOP, BOTTOM = 46, 12, 26, 40  # margins around the plot
MAX_LABELS = 13  # week labels under a chart; more weeks show every second, third...
NICE = (5, 10, 20, 25, 50, 60, 100, 200, 250, 500, 1000, 2000, 5000)
LINES = (  # week key, class, legend, marker
    # The worst of the week, not its mean: a 7/10 must cross the 5/10 line.
    ("pain_max", "pain", "Worst pain during exercise", "circle"),
    ("morning_pain", "mpain", "Next-morning pain", "square"),
    ("morning_stiffness", "stiff", "Next-morning stiffness", "triangle"),
)

Week = Mapping[str, Any]


def _slots(count: int) -> tuple[float, list[float]]:
    slot = (WIDTH - LEFT - RIGHT) / max(1, count)
    return slot, [round(LEFT + slot * (i + 0.5), 1) for i in range(count)]


def _y(value: float, top: float) -> float:
    return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top), 1)


def nice_top(value: float) -> int:
    """The smallest round number at or above `value` (at least 5) for an axis top."""
    return next((nice for nice in NICE if value <= nice), math.ceil(value))


def _frame(weeks: Sequence[Week], top: float, ticks: int, unit: str) -> dict[str, Any]:
    _, xs = _slots(len(weeks))
    every = max(1, math.ceil(len(weeks) / MAX_LABELS))
    return {
        "w": WIDTH,
        "h": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "top": TOP,
        "bottom": HEIGHT - BOTTOM,
        "unit": unit,
        "yticks": [
            {"y": _y(top * i / ticks, top), "label": f"{top * i / ticks:g}"}
            for i in range(ticks + 1)
        ],
        "xlabels": [
            {"x": x, "label": f"W{week['week']}"}
            for i, (x, week) in enumerate(zip(xs, weeks, strict=True))
            if i % every == 0
        ],
    }


def _bar(x: float, width: float, value: float, top: float, cls: str, tip: str) -> dict[str, Any]:
    y = _y(value, top)
    return {
        "cls": cls,
        "x": round(x, 1),
        "y": y,
        "w": round(width, 1),
        "h": round(HEIGHT - BOTTOM - y, 1),
        "tip": tip,
    }


def adherence(weeks: Sequence[Week]) -> dict[str, Any]:
    """Planned sets (outlined) beside done sets (filled), per week."""
    top = nice_top(max([5, *(max(w["planned_sets"], w["done_sets"]) for w in weeks)]))
    slot, xs = _slots(len(weeks))
    width = slot * 0.36
    bars = []
    for x, week in zip(xs, weeks, strict=True):
        label = f"Week {week['week']}"
        planned, done = week["planned_sets"], week["done_sets"]
        bars += [
            _bar(x - width, width, planned, top, "planned", f"{label}: {planned} sets planned"),
            _bar(x, width, min(done, top), top, "done", f"{label}: {done} sets done"),
        ]
    return {
        "id": "chart-adherence",
        "axes": _frame(weeks, top, 5, "sets"),
        "bars": bars,
        "series": [],
        "ref": None,
        "legend": [("planned", "Planned sets"), ("done", "Sets done")],
    }


def pain(weeks: Sequence[Week], reference: int) -> dict[str, Any]:
    """The week's worst pain during exercise, and its mean next-morning pain and
    stiffness, against the line."""
    _, xs = _slots(len(weeks))
    series = []
    for key, cls, text, marker in LINES:
        segments: list[list[dict[str, Any]]] = [[]]
        points = []
        for x, week in zip(xs, weeks, strict=True):
            value = week[key]
            if value is None:
                segments.append([])  # a gap: no line across a week without a value
                continue
            tip = f"Week {week['week']}: {text.lower()} {value:g}/10"
            point = {"x": x, "y": _y(value, 10), "tip": tip}
            segments[-1].append(point)
            points.append(point)
        series.append(
            {
                "cls": cls,
                "marker": marker,
                "points": points,
                "segments": [s for s in segments if len(s) > 1],
            }
        )
    return {
        "id": "chart-pain",
        "axes": _frame(weeks, 10, 5, "0-10"),
        "bars": [],
        "series": series,
        "ref": {"y": _y(reference, 10), "label": f"{reference}/10"},
        "legend": [(cls, text) for _, cls, text, _ in LINES]
        + [("ref", f"The {reference}/10 line")],
    }


def impacts(weeks: Sequence[Week]) -> dict[str, Any]:
    """Heel strikes done per week."""
    top = nice_top(max([5, *(w["impacts"] for w in weeks)]))
    slot, xs = _slots(len(weeks))
    width = slot * 0.5
    bars = []
    for x, week in zip(xs, weeks, strict=True):
        tip = f"Week {week['week']}: {week['impacts']} heel strikes"
        bars.append(_bar(x - width / 2, width, week["impacts"], top, "impacts", tip))
    return {
        "id": "chart-impacts",
        "axes": _frame(weeks, top, 5, "strikes"),
        "bars": bars,
        "series": [],
        "ref": None,
        "legend": [("impacts", "Heel strikes")],
    }


def charts(data: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    weeks = data["weeks"]
    return {
        "adherence": adherence(weeks),
        "pain": pain(weeks, data["reference_pain"]),
        "impacts": impacts(weeks),
    }
