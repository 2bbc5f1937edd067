"""`heelcoach plan --format markdown|ics`: the printable handout and the calendar file."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import icalendar
import pytest

from heelcoach.domain.planner import WeekPlan, build_week
from heelcoach.frontends import handouts
from heelcoach.frontends.words.plan import exclusion_text, item_dose, warning_texts
from heelcoach.services.progress import week_plan
from tests.helpers import (
    assert_one_line_error,
    content_library,
    context,
    open_store,
    run_cli,
    saved_profile,
    write_answers,
)

START = date(2026, 1, 5)  # a Monday; program week N is then a fixed calendar week


def screened(folder: Path, start: date = START, **answers: Any) -> None:
    """Save a profile the way a person would: `heelcoach screen --answers FILE`."""
    result = run_cli(
        "screen", "--answers", str(write_answers(folder, **answers)), "--start", start.isoformat()
    )
    assert result.returncode in (0, 1), result.stderr  # 1: a referral, still saved


def saved_week(week: int) -> WeekPlan:
    """Program week `week` as `plan --week` shows it (the readiness tests taken count)."""
    profile = saved_profile()
    assert profile is not None
    with open_store(create=False) as store:
        return week_plan(store, profile, content_library(), profile.created, week)


def flat(text: str) -> str:
    """Text with every run of whitespace as one space: wrapped lines read as one."""
    return " ".join(text.split())


def training_days(*plans: WeekPlan) -> list[date]:
    return [day.date for plan in plans for day in plan.days if not day.is_rest]


# --------------------------------------------------------------------------- Markdown


def test_handout_has_every_exercise_with_its_dose_and_how_to_do_it(tmp_path: Path) -> None:
    screened(tmp_path, goals=["bone", "achilles"])
    result = run_cli("plan", "--week", "3", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    plan = saved_week(3)
    assert text.startswith("# heelcoach: week 3, intermediate level")
    for day in plan.days:
        if day.is_rest:
            assert f"{day.date:%a %d %b}" in text  # listed with the rest days
            continue
        section = text.split(f"## {day.date:%A %d %B %Y}\n", 1)[1].split("\n## ", 1)[0]
        for number, item in enumerate(day.items, 1):
            assert f"### {number}. {item.exercise.name}: {item_dose(item)}" in section
            assert f"Tempo: {item.exercise.tempo}" in section
            assert flat(" ".join(item.exercise.setup)) in flat(section)
            for cue in item.exercise.cues[:2]:
                assert cue in section
            if item.support:
                assert f"Support: {item.support}" in flat(section)
    assert "per side" in text  # one-sided doses say so


def test_handout_lists_stop_signs_exclusions_warnings_and_disclaimer(tmp_path: Path) -> None:
    screened(tmp_path, goals=["bone", "achilles"], balance_problems=True, has_step=False)
    result = run_cli("plan", "--week", "3", "--format", "markdown")
    assert result.returncode == 0, result.stderr
    text, plan = flat(result.stdout), saved_week(3)
    stops = text.split("## Stop and get help if", 1)[1].split("##", 1)[0]
    for sign in ("Pain above 5 out of 10", "Chest pain", "Dizziness", "unsteady"):
        assert sign in stops
    own = {sign for day in plan.days for item in day.items for sign in item.exercise.stop_if}
    for sign in own:
        assert sign in stops
    assert stops.count("Pain above 5 out of 10") == 1  # the same sign is listed once
    library = content_library()
    assert plan.excluded and warning_texts(plan, library)
    for exclusion in plan.excluded:
        reason = flat(exclusion_text(exclusion, library))
        assert f"{library.exercises[exclusion.exercise].name}: {reason}" in text
    for warning in warning_texts(plan, library):
        assert flat(warning) in text
    assert "not medical advice" in text


def test_handout_reads_on_paper(tmp_path: Path) -> None:
    screened(tmp_path, goals=["bone", "achilles", "running", "strength"])
    text = run_cli("plan", "--week", "8", "--format", "markdown").stdout
    assert all(len(line) <= 90 for line in text.splitlines())
    assert "|" not in text  # no tables
    assert "\x1b" not in text  # no terminal styling


def test_referral_handout_says_see_a_professional(tmp_path: Path) -> None:
    screened(tmp_path, chest_pain=True, cleared_for_exercise=False)
    result = run_cli("plan", "--format", "markdown")
    assert result.returncode == 1
    assert "## See a professional first" in result.stdout
    assert "### 1." not in result.stdout  # no exercises at all


# --------------------------------------------------------------------------- iCalendar


def run_cli_bytes(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Like `run_cli`, but keeps stdout as bytes: text mode would turn CRLF into LF."""
    return subprocess.run(
        [sys.executable, "-m", "heelcoach", *args],
        capture_output=True,
        timeout=60,
        env=dict(os.environ),
    )


def parse_calendar(text: str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(text.encode("utf-8"))


def assert_rfc5545_layout(raw: bytes) -> None:
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines)  # every line ends with CRLF, never a bare LF
    assert all(len(line) <= 75 for line in lines), max(lines, key=len)
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    assert b"VERSION:2.0" in lines and any(line.startswith(b"PRODID:") for line in lines)


def test_calendar_has_one_event_per_training_day_over_the_weeks(tmp_path: Path) -> None:
    screened(tmp_path, goals=["bone", "achilles"])
    result = run_cli_bytes("plan", "--week", "2", "--format", "ics", "--weeks", "3")
    assert result.returncode == 0, result.stderr
    assert_rfc5545_layout(result.stdout)  # the bytes exactly as written to stdout
    events = parse_calendar(result.stdout.decode("utf-8")).walk("VEVENT")
    expected = training_days(*(saved_week(week) for week in (2, 3, 4)))
    assert [event.decoded("DTSTART") for event in events] == expected
    for event in events:
        for key in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"):
            assert key in event, key
        assert isinstance(event.decoded("DTSTART"), date)
        assert not isinstance(event.decoded("DTSTART"), datetime)  # all-day
        assert str(event["SUMMARY"]).startswith("heelcoach: ")
        alarms = event.walk("VALARM")
        assert len(alarms) == 1 and alarms[0].decoded("TRIGGER") == timedelta(hours=8)
    uids = [str(event["UID"]) for event in events]
    assert len(set(uids)) == len(uids)


def test_calendar_text_is_crlf_and_folded(tmp_path: Path) -> None:
    screened(tmp_path, goals=["bone", "achilles", "running"])
    library = content_library()
    profile = saved_profile()
    assert profile is not None
    week = build_week(profile, library, 5)
    text = handouts.ics(week, profile, library, 2, context().data_dir, datetime.now(UTC))
    raw = text.encode("utf-8")
    assert_rfc5545_layout(raw)
    assert raw.count(b"BEGIN:VEVENT") == len(training_days(saved_week(5), saved_week(6)))
    description = parse_calendar(text).walk("VEVENT")[0]["DESCRIPTION"]
    assert "\n- " in str(description)  # newlines survive escaping and unfolding


def test_cli_calendar_for_the_current_week(tmp_path: Path) -> None:
    """`plan --format ics --weeks 2` from today: the adapted week, then the next."""
    today = date.today()
    screened(tmp_path, start=today, goals=["bone"])
    result = run_cli("plan", "--format", "ics", "--weeks", "2")
    assert result.returncode == 0, result.stderr
    events = parse_calendar(result.stdout).walk("VEVENT")
    # A first week with no history is the week as prescribed, and so is the next.
    assert [e.decoded("DTSTART") for e in events] == training_days(saved_week(1), saved_week(2))
    weeks = {str(e["SUMMARY"]).rsplit("(", 1)[1] for e in events}
    assert weeks == {"week 1)", "week 2)"}
    later = [str(e["DESCRIPTION"]) for e in events if "week 2)" in str(e["SUMMARY"])]
    assert all("as if the weeks before this one go to plan" in d for d in later)


def test_reexport_keeps_uids_so_calendars_update(tmp_path: Path) -> None:
    screened(tmp_path)
    first = run_cli("plan", "--week", "1", "--format", "ics").stdout
    second = run_cli("plan", "--week", "1", "--format", "ics").stdout
    uids = [str(e["UID"]) for e in parse_calendar(first).walk("VEVENT")]
    assert uids == [str(e["UID"]) for e in parse_calendar(second).walk("VEVENT")]


def test_later_weeks_continue_from_where_the_person_is(tmp_path: Path) -> None:
    """Ten weeks in with nothing done: next week must not bring the prescribed jumps."""
    screened(tmp_path, start=date.today() - timedelta(weeks=9), goals=["bone"])
    assert run_cli("test", "hops", "--pain", "1").returncode == 0  # the hop gate is open
    assert "Heel jump" in {i.exercise.name for d in saved_week(11).days for i in d.items}
    result = run_cli("plan", "--format", "ics", "--weeks", "2")
    assert result.returncode == 0, result.stderr
    summaries = [str(e["SUMMARY"]) for e in parse_calendar(result.stdout).walk("VEVENT")]
    assert any("(week 11)" in s for s in summaries)
    assert not any("heel jump" in s for s in summaries)


def test_referral_calendar_has_no_events(tmp_path: Path) -> None:
    screened(tmp_path, pregnant=True, cleared_for_exercise=False)
    result = run_cli("plan", "--format", "ics", "--weeks", "4")
    assert result.returncode == 1
    calendar = parse_calendar(result.stdout)
    assert calendar.walk("VEVENT") == []


def test_unknown_format_exits_2(tmp_path: Path) -> None:
    screened(tmp_path)
    assert_one_line_error(run_cli("plan", "--format", "bogus"), 2)


@pytest.mark.parametrize(
    "args,words",
    [
        (("--weeks", "4"), "--weeks is for the calendar: add --format ics"),
        (("--format", "markdown", "--weeks", "2"), "--weeks is for the calendar"),
        (("--json", "--format", "markdown"), "--json and --format markdown are two outputs"),
        (("--json", "--format", "ics"), "--json and --format ics are two outputs"),
    ],
)
def test_options_that_do_not_go_together_are_refused(
    tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    screened(tmp_path)
    result = run_cli("plan", *args)
    assert_one_line_error(result, 2)
    assert words in result.stderr and result.stdout == ""


# --------------------------------------------------------------------------- text rules


def test_text_is_escaped() -> None:
    from heelcoach.domain.text import ics

    assert ics("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


@pytest.mark.parametrize("line", ["x" * 200, "DESCRIPTION:" + "é" * 100, "ab" + "€" * 60])
def test_folding_keeps_octets_and_characters_whole(line: str) -> None:
    pieces = handouts.fold(line)
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(piece[1:] if i else piece for i, piece in enumerate(pieces)) == line


def test_dtstamp_is_utc(tmp_path: Path) -> None:
    screened(tmp_path)
    library = content_library()
    profile = saved_profile()
    assert profile is not None
    stamp = datetime(2026, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    text = handouts.ics(
        build_week(profile, library, 1), profile, library, 1, context().data_dir, stamp
    )
    assert "DTSTAMP:20260301T073000Z\r\n" in text
