"""Golden output: the plan, history and stats text exactly as a person reads it.

Each renders fixed data through the real renderer on an 80-column plain console and
compares with a file in tests/golden/. A change to what a person sees shows up here as a
diff to review; when it is wanted, regenerate with `UPDATE_GOLDEN=1 python -m pytest
tests/test_golden.py` and commit the new files.
"""

from __future__ import annotations

import io
import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import content_library, open_store, profile
from rich.console import Console

from heelcoach.domain.planner import build_week
from heelcoach.domain.readiness import Readiness
from heelcoach.domain.records import CheckIn, ReadinessResult, SetRecord
from heelcoach.frontends.cli import render_history, render_plan
from heelcoach.services.stats import gather

GOLDEN = Path(__file__).parent / "golden"
START = date(2026, 3, 2)
TODAY = date(2026, 3, 18)


def plain_console() -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    return Console(
        file=buffer, width=80, force_terminal=False, color_system=None, highlight=False, emoji=False
    ), buffer


def matches(name: str, text: str) -> None:
    target = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        target.parent.mkdir(exist_ok=True)
        target.write_text(text, encoding="utf-8")
    assert target.exists(), f"no golden file {target}: run with UPDATE_GOLDEN=1"
    assert text == target.read_text(encoding="utf-8")


def at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_the_plan_text() -> None:
    person = profile(
        START,
        goals=["bone", "achilles"],
        age=67,
        balance_problems=True,
        achilles_pain=True,
        achilles_pain_site="insertion",
        tiptoe_hold_ok=True,
    )
    library = content_library()
    target, buffer = plain_console()
    render_plan.week_plan(
        target, build_week(person, library, 3, readiness=Readiness()), TODAY, person, library
    )
    matches("plan_week3.txt", buffer.getvalue())


def sets() -> list[SetRecord]:
    rows = []
    for number, (day, exercise, reps, seconds, side, pain, note) in enumerate(
        [
            (date(2026, 3, 16), "heel-drop", 10, None, None, 2, None),
            (date(2026, 3, 16), "eccentric-heel-drop", 10, None, "left", 4, "on the stairs"),
            (date(2026, 3, 16), "eccentric-heel-drop", 10, None, "right", None, None),
            (date(2026, 3, 17), "calf-stretch", None, 30, "left", 0, None),
        ],
        1,
    ):
        rows.append(
            SetRecord(
                f"00000000-0000-4000-8000-{number:012d}",
                exercise,
                1,
                side,
                reps,
                seconds,
                reps,
                seconds,
                pain,
                day,
                at(day, 8 + number),
                at(day, 8 + number),
                None,
                "log",
                note,
            )
        )
    return rows


def test_the_history_table() -> None:
    records = sorted(sets(), key=lambda r: (r.day, r.started_at), reverse=True)
    names = {e.id: e.name for e in content_library().exercises.values()}
    target, buffer = plain_console()
    render_history.history(target, records, names, more=True, limit=4)
    matches("history.txt", buffer.getvalue())


@pytest.mark.usefixtures("heelcoach_home")
def test_the_stats_screen() -> None:
    person = profile(START, goals=["bone", "achilles"])
    library = content_library()
    with open_store() as store:
        store.add_sets(sets())
        store.save_checkin(CheckIn(date(2026, 3, 17), 2, 3, at(date(2026, 3, 17), 7)))
        store.save_checkin(CheckIn(date(2026, 3, 18), 3, 3, at(date(2026, 3, 18), 7)))
        store.add_readiness(
            [
                ReadinessResult(
                    "00000000-0000-4000-8000-00000000aaaa",
                    "hops",
                    date(2026, 3, 17),
                    at(date(2026, 3, 17), 12),
                    None,
                    2,
                    None,
                    None,
                    "entered",
                )
            ]
        )
        result = gather(store, library, person, TODAY, 4)
    target, buffer = plain_console()
    render_history.stats(target, result, library.programme.monitoring.move_on_adherence)
    matches("stats.txt", buffer.getvalue())
