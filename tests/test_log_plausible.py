"""`heelcoach log` queries numbers that look like a typo against the plan, and answers a
painful set with the pain-monitoring advice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import assert_one_line_error, open_store, run_cli, write_answers

TODAY = date.today()


@pytest.fixture
def anna(tmp_path: Path) -> None:
    """68, osteopenia: heel drops 2 x 10 today, at most 30 heel strikes a day."""
    answers = write_answers(tmp_path, age=68)
    result = run_cli("screen", "--answers", str(answers), "--start", TODAY.isoformat())
    assert result.returncode == 0, result.stderr


def stored() -> list[tuple[str, int | None]]:
    with open_store(create=False) as store:
        return [(s.exercise, s.reps) for s in store.sets()]


def test_a_typo_far_above_the_plan_is_refused_without_a_terminal(anna: None) -> None:
    result = run_cli("log", "heel-drop", "--sets", "2", "--reps", "90", "--pain", "1")
    assert_one_line_error(result, 1)
    assert "2 x 90 reps is far above the plan's heel drop dose (2 x 10 reps)" in result.stderr
    assert not open_store(create=False).path.exists()  # nothing written, not even a history
    kept = run_cli("log", "heel-drop", "--sets", "2", "--reps", "90", "--yes")
    assert kept.returncode == 0 and stored() == [("heel-drop", 90)] * 2


@pytest.mark.parametrize(("typed", "saved"), [("n\n", False), ("y\n", True), ("\n", False)])
def test_in_a_terminal_it_asks_and_keeps_only_a_yes(anna: None, typed: str, saved: bool) -> None:
    from helpers import context

    from heelcoach.frontends.cli.app import run

    ctx = context(stdin=typed, tty=True)
    code = run(["log", "heel-drop", "--sets", "2", "--reps", "90"], ctx)
    shown = ctx.stdout.getvalue()  # type: ignore[attr-defined]
    assert "Check the numbers: 2 x 90 reps is far above" in shown
    assert (code, bool(stored() if saved else [])) == ((0, True) if saved else (1, False))


def test_the_daily_impact_ceiling_is_checked_with_what_was_done_that_day(anna: None) -> None:
    assert run_cli("log", "heel-drop", "--sets", "2", "--reps", "10").returncode == 0
    result = run_cli("log", "heel-drop", "--sets", "1", "--reps", "20")  # 20 + 20 > 30
    assert_one_line_error(result, 1)
    assert "to 40 heel strikes, above the daily ceiling of 30" in result.stderr
    assert len(stored()) == 2


def test_the_planned_dose_and_a_timed_exercise_pass_untouched(anna: None) -> None:
    assert run_cli("log", "heel-drop", "--sets", "2", "--reps", "10").returncode == 0
    timed = run_cli("log", "heel-kick-marching", "--sets", "2", "--seconds", "20")
    assert timed.returncode == 0, timed.stderr


def test_pain_above_5_gets_the_pain_monitoring_advice_not_just_saved(anna: None) -> None:
    result = run_cli("log", "heel-drop", "--sets", "2", "--reps", "9", "--pain", "6")
    assert result.returncode == 0
    assert "Pain 6/10 is more than the 5/10 that is fine during exercise" in result.stdout
    assert "heelcoach checkin" in result.stdout and "physical therapist" in result.stdout
    calm = run_cli("log", "heel-drop", "--reps", "9", "--pain", "5")
    assert "more than the 5/10" not in calm.stdout


def test_the_quick_path_stays_below_every_dose_and_ceiling_of_the_programme() -> None:
    from helpers import content_library

    from heelcoach.services.log_check import (
        FAR_ABOVE,
        LOWEST_CEILING,
        USUAL_SECONDS,
        USUAL_VOLUME,
    )

    programme = content_library().programme
    ceiling = programme.impact_ceiling
    lowest = min(ceiling.default, *(strikes for _, strikes in ceiling.cautious))
    assert lowest >= LOWEST_CEILING
    smallest = min(
        stage.sets * (stage.reps or 0)
        for stages in programme.doses.values()
        for stage in stages
        if stage.reps
    )
    assert FAR_ABOVE * smallest >= USUAL_VOLUME
    shortest = min(
        stage.seconds for stages in programme.doses.values() for stage in stages if stage.seconds
    )
    assert FAR_ABOVE * shortest >= USUAL_SECONDS
