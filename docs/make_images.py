"""Regenerate the README's screenshots: `python docs/make_images.py`.

Writes, next to this script:
* images/plan.svg - a week as `heelcoach plan` prints it, for a sample profile;
* images/live.svg - one frame of a live session on that week's training day (80x24);
* images/live-small.svg - the same moment in a 40x12 window.

Both are drawn by the coach's own renderers into a recording Rich console, so the images
follow any change to the output. Everything is fixed - the profile, the dates, the session
clock - and nothing is read from or written to the real data folder (a temporary
HEELCOACH_HOME and content cache are used), so running the script twice gives the same
files.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
IMAGES = HERE / "images"
sys.path.insert(0, str(HERE.parent))  # run from a checkout without installing

START = date(2026, 1, 5)  # a Monday: program week 1
WEEK = 3  # intermediate: heel jumps have joined
TODAY = date(2026, 1, 21)  # the Wednesday of week 3, a training day
SECONDS_IN = 159.4  # how far into the session the live frame is taken: heel drops, rep 4
PLAN_WIDTH = 90
SCREENS = {"live.svg": (80, 24), "live-small.svg": (40, 12)}  # the frame fits any window

SAMPLE_ANSWERS: dict[str, Any] = {
    "age": 61,
    "goals": ["bone", "achilles"],
    "heart_condition": False,
    "chest_pain": False,
    "dizziness_or_fainting": False,
    "chronic_condition": False,
    "chronic_medication": False,
    "bone_joint_problem": False,
    "supervised_only": False,
    "pregnant": False,
    "cleared_for_exercise": None,
    "bone_density": "osteopenia",
    "t_score": -1.9,
    "fracture_within_months": None,
    "fracture_history": False,
    "vertebral_fracture": False,
    "frail": False,
    "cleared_for_impact": True,
    "joint_pain": [],
    "acute_injury": False,
    "foot_condition": False,
    "injury_history": [],
    "achilles_pain": False,
    "achilles_pain_site": None,
    "tiptoe_hold_ok": None,
    "balance_problems": False,
    "has_step": True,
    "has_support": True,
    "days_per_week": 4,
}


def recording_console(width: int, height: int | None = None) -> Any:
    """A colour console that prints nowhere and keeps what was printed for export."""
    from rich.console import Console

    return Console(
        record=True,
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        highlight=False,
        emoji=False,
        legacy_windows=False,
    )


def sample_week() -> tuple[Any, Any, Any]:
    """The sample person's program week, saved and read back like a real profile, with
    the profile and the library."""
    from heelcoach.context import Context
    from heelcoach.domain.planner import build_week
    from heelcoach.domain.profile import parse_answers
    from heelcoach.services import common, screening

    ctx = Context.from_environment()
    library = common.library(ctx)
    screening.save(ctx, parse_answers(SAMPLE_ANSWERS, library, "sample", START), library)
    profile = common.load_profile(ctx, library)
    assert profile is not None
    return build_week(profile, library, WEEK), profile, library


def plan_svg(week: tuple[Any, Any, Any], target: Path) -> None:
    from heelcoach.frontends.cli import render_plan as render

    plan, profile, library = week
    console = recording_console(PLAN_WIDTH)
    render.week_plan(console, plan, TODAY, profile, library)
    console.save_svg(str(target), title="heelcoach plan")


def todays_items(plan: Any) -> list[Any]:
    """Today's plan items as the live session's items, converted as `heelcoach start` does."""
    from heelcoach.services.training import session_items

    day = plan.day(TODAY)
    assert day is not None and not day.is_rest, "TODAY must be a training day"
    return session_items(day.items)


def live_svg(week: tuple[Any, Any, Any], target: Path, size: tuple[int, int]) -> None:
    from rich.screen import Screen

    from heelcoach.domain.session.engine import Session
    from heelcoach.frontends.live import view as live_view
    from heelcoach.frontends.live.controls import Frame, hints

    session = Session(todays_items(week[0]), start=0.0)
    session.tick(SECONDS_IN)
    snapshot = session.snapshot(SECONDS_IN)
    width, height = size
    console = recording_console(width, height)
    console.print(Screen(live_view.FrameView(Frame(snapshot, hints(snapshot)))))
    console.save_svg(str(target), title="heelcoach start")


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="heelcoach-images-") as scratch:
        os.environ["HEELCOACH_HOME"] = str(Path(scratch) / "home")
        os.environ["HEELCOACH_CACHE_DIR"] = str(Path(scratch) / "cache")
        week = sample_week()
        plan_svg(week, IMAGES / "plan.svg")
        for name, size in SCREENS.items():
            live_svg(week, IMAGES / name, size)
    for name in ("plan.svg", *SCREENS):
        print(f"wrote {(IMAGES / name).relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
