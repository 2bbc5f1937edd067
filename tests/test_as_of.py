"""`heelcoach --as-of DATE COMMAND`: every command that reads "today" replays that day,
so a week can be walked through honestly (by a person, a clinician or a test)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from helpers import assert_one_line_error, open_store, run_cli, write_answers

TODAY = date.today()
BEGAN = TODAY - timedelta(days=8)  # a profile from last week: days to replay


@pytest.fixture
def strength(tmp_path: Path) -> None:
    answers = write_answers(tmp_path, goals=["strength"])
    result = run_cli("screen", "--answers", str(answers), "--start", BEGAN.isoformat())
    assert result.returncode == 0, result.stderr


def as_of(day: date, *args: str) -> str:
    result = run_cli("--as-of", day.isoformat(), *args)
    assert result.returncode == 0, (args, result.stderr)
    return result.stdout


def test_a_week_replayed_day_by_day_records_and_shows_each_day(strength: None) -> None:
    assert f"{BEGAN:%a %d %b}  (today)" in as_of(BEGAN, "plan")
    assert f"{BEGAN:%a %d %b %Y}" in as_of(BEGAN)  # the home screen's date
    as_of(BEGAN, "log", "bridge", "--reps", "10")
    morning = BEGAN + timedelta(days=1)
    as_of(morning, "checkin", "--pain", "1", "--stiffness", "2")
    with open_store(create=False) as store:
        assert [s.day for s in store.sets()] == [BEGAN]
        assert [c.day for c in store.checkins()] == [morning]
    assert "Bridge" in as_of(BEGAN, "history")
    assert "Bridge (reps)" in as_of(BEGAN + timedelta(days=2), "stats")
    # The plan as it stood then: the bridge is done on that day, not on the real today.
    assert "done" in as_of(BEGAN).split("Bridge", 1)[1].splitlines()[0]
    assert "done" not in as_of(TODAY).split("Today's session", 1)[-1].split("\n\n")[0]


@pytest.mark.parametrize(
    "command",
    [
        ("plan",),
        ("stats",),
        ("history",),
        ("test",),
        ("report", "--format", "markdown"),
        ("checkin", "--pain", "0", "--stiffness", "0"),
        ("log", "calf-stretch", "--seconds", "30", "--side", "both"),
    ],
)
def test_every_command_that_reads_today_takes_as_of(
    strength: None, command: tuple[str, ...]
) -> None:
    as_of(BEGAN + timedelta(days=1), *command)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ((TODAY + timedelta(days=1)).isoformat(), "has not come yet"),
        ("1999-12-31", "too long ago"),
        ("31/12/2026", "is not a date (use YYYY-MM-DD)"),
    ],
)
def test_a_day_to_come_or_not_a_date_is_bad_input(strength: None, day: str, expected: str) -> None:
    result = run_cli("--as-of", day, "log", "bridge", "--reps", "10")
    assert_one_line_error(result, 2)
    assert expected in result.stderr
    with open_store(create=False) as store:
        assert store.sets() == []


def test_as_of_after_the_command_says_where_it_goes(strength: None) -> None:
    result = run_cli("plan", "--as-of", BEGAN.isoformat())
    assert_one_line_error(result, 2)
    assert "--as-of goes before the command: heelcoach --as-of DATE plan" in result.stderr
