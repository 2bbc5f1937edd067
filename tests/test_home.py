"""`heelcoach` with no command: the welcome on first run, then the one-screen overview."""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pexpect
import pytest

from heelcoach.domain.planner import PlanItem, week_start
from heelcoach.domain.profile import Profile
from heelcoach.domain.records import CheckIn, SessionRecord, SetRecord
from heelcoach.frontends.words.plan import item_dose
from heelcoach.storage.store import Store
from tests.helpers import (
    TYPED_ANSWERS,
    answer_in_terminal,
    current_plan,
    open_store,
    run_cli,
    saved_profile,
    write_answers,
)

START = date(2026, 1, 5)  # a Monday
# Six training days a week: Monday to Saturday, Sunday off.
TUESDAY_WEEK_3 = date(2026, 1, 20)


def screened(folder: Path, **answers: Any) -> Profile:
    answers = {"days_per_week": 6, "goals": ["bone", "achilles"], **answers}
    result = run_cli(
        "screen", "--answers", str(write_answers(folder, **answers)), "--start", START.isoformat()
    )
    assert result.returncode in (0, 1), result.stderr
    profile = saved_profile()
    assert profile is not None
    return profile


def at(day: date, hour: int = 8) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def rows(item: PlanItem, day: date, sets: int | None = None) -> list[SetRecord]:
    """The stored rows of `sets` sets of `item` (all of them by default), per side."""
    sides = ("left", "right") if item.per_side else (None,)
    return [
        SetRecord(
            uuid=SetRecord.new_uuid(),
            exercise=item.exercise.id,
            set_number=number,
            side=side,
            reps=item.reps,
            seconds=item.seconds,
            target_reps=item.reps,
            target_seconds=item.seconds,
            pain=2,
            day=day,
            started_at=at(day),
            ended_at=at(day),
            session_id=None,
            source="log",
        )
        for number in range(1, (sets or item.sets) + 1)
        for side in sides
    ]


def train(profile: Profile, day: date, store: Store) -> None:
    """Do the whole of `day`'s plan, as a live session would record it."""
    plan = current_plan(profile, day)
    planned = plan.day(day)
    assert planned is not None
    for item in planned.items:
        store.add_sets(rows(item, day))
    store.start_session(SessionRecord(f"s-{day}", day, at(day), at(day, 9), 1, "finished"))


def seed_two_good_weeks_and_monday(profile: Profile) -> None:
    """Weeks 1-2 done in full with check-ins; Monday of week 3 done, no check-in since."""
    with open_store() as store:
        day = START
        while day <= TUESDAY_WEEK_3 - timedelta(days=1):
            plan_day = current_plan(profile, day).day(day)
            if plan_day is not None and not plan_day.is_rest:
                train(profile, day, store)
            if day > START and day < TUESDAY_WEEK_3 - timedelta(days=1):
                store.save_checkin(CheckIn(day + timedelta(days=1), 1, 1, at(day)))
            day += timedelta(days=1)


def overview_text(capsys: pytest.CaptureFixture[str], today: date) -> str:
    result = run_cli(today=today)
    assert result.returncode == 0, result.stderr
    return result.stdout


# --------------------------------------------------------------------------- first run


def test_first_run_without_a_terminal_welcomes_and_exits_1(heelcoach_home: Path) -> None:
    result = run_cli()
    assert result.returncode == 1
    assert "Welcome to heelcoach" in result.stdout
    text = " ".join(result.stdout.replace("|", " ").split())  # the panel's text, unwrapped
    assert "not medical advice" in text
    assert str(heelcoach_home) in result.stdout.replace("|", "").replace("\n", "").replace(
        " ", ""
    )  # a long path may wrap inside the panel
    assert "heelcoach screen" in result.stdout
    assert result.stderr.strip().splitlines() == [
        "heelcoach: no profile yet: run `heelcoach screen`"
    ]
    assert not (heelcoach_home / "profile.json").exists()


def test_first_run_shows_a_data_folder_named_like_markup_as_it_is(
    heelcoach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = heelcoach_home.parent / "[bold]data"
    home.mkdir(mode=0o700)
    monkeypatch.setenv("HEELCOACH_HOME", str(home))
    result = run_cli()
    assert result.returncode == 1
    assert "[bold]data" in result.stdout.replace("|", "").replace("\n", "").replace(" ", "")


def test_first_run_in_process_is_refused() -> None:
    result = run_cli(today=TUESDAY_WEEK_3)
    assert result.returncode == 1 and "Welcome to heelcoach" in result.stdout


TYPED = {
    **TYPED_ANSWERS,
    "age": "71",
    "goals": "bone,achilles",
    "bone_density": "osteopenia",
    "t_score": "-2.1",
    "joint_pain": "",
    "achilles_pain": "y",
    "achilles_pain_site": "1",
    "tiptoe_hold_ok": "y",
    "injury_history": "knee, low back",
    "days_per_week": "4",
}


def test_first_run_in_a_terminal_welcomes_then_screens(heelcoach_home: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "heelcoach"],
        encoding="utf-8",
        env={**os.environ, "TERM": "xterm"},
        timeout=30,
        dimensions=(40, 100),
    )
    child.expect("Welcome to heelcoach")
    child.expect("not medical advice")
    answer_in_terminal(child, TYPED)
    child.expect("Profile saved")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = json.loads((heelcoach_home / "profile.json").read_text())["answers"]
    assert saved["age"] == 71 and saved["t_score"] == -2.1
    assert saved["achilles_pain"] is True and saved["tiptoe_hold_ok"] is True
    assert saved["injury_history"] == ["knee", "low_back"]
    assert saved["goals"] == ["bone", "achilles"] and saved["joint_pain"] == []


# --------------------------------------------------------------------------- overview


def test_overview_shows_today_checkin_adherence_streak_and_next(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = screened(tmp_path)
    seed_two_good_weeks_and_monday(profile)
    plan = current_plan(profile, TUESDAY_WEEK_3)
    today = plan.day(TUESDAY_WEEK_3)
    assert today is not None and today.items
    with open_store() as store:  # one set of today's first exercise already done
        store.add_sets(rows(today.items[0], TUESDAY_WEEK_3, sets=1))
    text = overview_text(capsys, TUESDAY_WEEK_3)
    assert "week 3" in text
    assert "Today's session" in text
    for item in today.items:
        assert item.exercise.name in text
        assert item_dose(item) in text
    first = today.items[0]
    one_set = len(rows(first, TUESDAY_WEEK_3, sets=1))  # one set: a row per side
    assert f"{one_set} of {first.set_rows} sets" in text or first.set_rows == one_set
    assert "missing after Monday's session" in text
    monday = plan.day(TUESDAY_WEEK_3 - timedelta(days=1))
    assert monday is not None
    planned = sum(i.set_rows for d in (monday, today) for i in d.items)
    done = sum(i.set_rows for i in monday.items) + one_set
    assert f"{done} sets done, {planned} planned so far" in text
    assert "2 weeks on plan in a row" in text
    assert next_line(text) == "heelcoach checkin"
    assert_fits_one_screen(text)


def test_next_is_start_when_checked_in_with_sets_left(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = screened(tmp_path)
    seed_two_good_weeks_and_monday(profile)
    with open_store() as store:
        store.save_checkin(CheckIn(TUESDAY_WEEK_3, 1, 1, at(TUESDAY_WEEK_3, 7)))
    text = overview_text(capsys, TUESDAY_WEEK_3)
    assert "nothing missing" in text
    assert next_line(text) == "heelcoach start"


def test_next_is_plan_once_today_is_done(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = screened(tmp_path)
    seed_two_good_weeks_and_monday(profile)
    with open_store() as store:
        store.save_checkin(CheckIn(TUESDAY_WEEK_3, 1, 1, at(TUESDAY_WEEK_3, 7)))
        train(profile, TUESDAY_WEEK_3, store)
    text = overview_text(capsys, TUESDAY_WEEK_3)
    assert "done" in text
    assert next_line(text) == "heelcoach plan"


def test_rest_day_shows_the_next_training_day(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = screened(tmp_path)
    sunday = week_start(profile, 1) + timedelta(days=6)
    text = overview_text(capsys, sunday)
    monday = sunday + timedelta(days=1)
    assert f"Rest day. Next training day: {monday:%a %d %b}" in text
    plan = current_plan(profile, monday)
    day = plan.day(monday)
    assert day is not None
    assert all(item.exercise.name in text for item in day.items)
    assert "your first week" in text
    assert next_line(text) == "heelcoach plan"


def test_a_missed_week_breaks_the_streak(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = screened(tmp_path)
    seed_two_good_weeks_and_monday(profile)
    text = overview_text(capsys, TUESDAY_WEEK_3 + timedelta(weeks=1))  # week 3 mostly missed
    assert "0 weeks on plan in a row" in text


def test_referral_is_shown_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    screened(tmp_path, dizziness_or_fainting=True, cleared_for_exercise=False)
    result = run_cli(today=TUESDAY_WEEK_3)
    assert result.returncode == 1
    text = result.stdout
    assert "See a professional first" in text
    assert "Today's session" not in text
    assert next_line(text).startswith("heelcoach screen")


def test_cli_overview_exits_0(tmp_path: Path) -> None:
    screened(tmp_path)
    result = run_cli()
    assert result.returncode == 0, result.stderr
    assert "Next" in result.stdout
    assert_fits_one_screen(result.stdout)


def next_line(text: str) -> str:
    line = next(line for line in text.splitlines() if line.startswith("Next"))
    return line.removeprefix("Next").strip()


def assert_fits_one_screen(text: str) -> None:
    lines = text.rstrip("\n").splitlines()
    assert len(lines) <= 24, text
    assert all(len(line.rstrip()) <= 80 for line in lines), text


def test_before_the_program_starts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    screened(tmp_path)
    text = overview_text(capsys, START - timedelta(days=2))
    assert f"Your program starts on {START:%a %d %b}" in text
    assert "none planned yet" in text
    assert next_line(text) == "heelcoach plan"


def test_the_advice_before_the_first_session_stays_on_home_until_then(tmp_path: Path) -> None:
    screened(tmp_path, chronic_condition=True, cleared_for_exercise=False)
    home = run_cli().stdout
    assert "Before your first session" in home and "Ask your" in home
    assert run_cli("log", "heel-drop", "--sets", "2", "--reps", "10").returncode == 0
    assert "Before your first session" not in run_cli().stdout


def test_after_an_emergency_home_says_to_see_a_doctor_not_to_start(tmp_path: Path) -> None:
    screened(tmp_path)
    with open_store(create=True) as store:
        store.start_session(
            SessionRecord("e" * 32, date.today(), at(date.today()), None, None, "running")
        )
        store.finish_session("e" * 32, ended_at=at(date.today(), 9), pain=None, status="emergency")
    home = " ".join(run_cli().stdout.split())
    assert "Next see a doctor; then heelcoach start --doctor-checked" in home


def test_nothing_left_today_after_a_pain_stop_does_not_say_start(tmp_path: Path) -> None:
    answers = write_answers(tmp_path, goals=["achilles"])  # drops and the stretch today
    run_cli("screen", "--answers", str(answers), "--start", date.today().isoformat())
    assert "Next heelcoach start" in " ".join(run_cli().stdout.split())
    run_cli("log", "eccentric-heel-drop", "--side", "left", "--reps", "4", "--pain", "8")
    run_cli("log", "calf-stretch", "--side", "both", "--seconds", "30")
    assert "Next heelcoach start" not in " ".join(run_cli().stdout.split())


def test_one_set_is_one_set(tmp_path: Path) -> None:
    answers = write_answers(tmp_path)
    run_cli("screen", "--answers", str(answers), "--start", date.today().isoformat())
    run_cli("log", "split-squat", "--side", "left", "--reps", "10")
    assert "This week  1 set done, " in run_cli().stdout
