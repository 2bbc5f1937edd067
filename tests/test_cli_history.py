"""The history commands as a user runs them: a real `python -m heelcoach` process each time.

Every bad input must exit 2 with one `heelcoach: ...` line on stderr, no traceback, and
nothing written: not the history, not even the data folder.
"""

from __future__ import annotations

import csv
import io
import json
import os
import stat
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pexpect
import pytest
from helpers import a_set, assert_one_line_error, open_store, run_cli, write_answers

from heelcoach.storage.store import CheckIn, SetRecord

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("content-cache")


@pytest.fixture(autouse=True)
def private_cache(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", str(shared_cache))
    monkeypatch.setenv("NO_COLOR", "1")


def sets_stored() -> list[SetRecord]:
    with open_store(create=False) as store:
        return store.sets(newest_first=False)


def stored(**overrides: object) -> SetRecord:
    day = overrides.get("day", YESTERDAY)
    assert isinstance(day, date)
    return a_set(day, datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC), **overrides)


def add(*records: SetRecord) -> None:
    with open_store() as store:
        store.add_sets(records)


def fresh_home(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose data folder does not exist yet."""
    home = tmp_path / "not-created-yet"
    return {"HEELCOACH_HOME": str(home)}, home


def spawn(*args: str) -> pexpect.spawn:
    """Run heelcoach on a pseudo-terminal, as when a person types the answers."""
    return pexpect.spawn(
        sys.executable,
        ["-m", "heelcoach", *args],
        env=dict(os.environ),
        encoding="utf-8",
        timeout=30,
        dimensions=(40, 120),
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus


# --------------------------------------------------------------------------- log


def test_log_saves_the_sets_and_says_so() -> None:
    day = (TODAY - timedelta(days=2)).isoformat()
    result = run_cli(
        "log",
        "heel-drop",
        "--sets",
        "2",
        "--reps",
        "10",
        "--pain",
        "2",
        "--date",
        day,
        "--note",
        "on the stairs",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == (
        f"Saved 2 sets of Heel drop (10 reps, pain 2/10) on {day}."
    )
    rows = sets_stored()
    assert [
        (r.set_number, r.reps, r.pain, r.day.isoformat(), r.source, r.session_id, r.note)
        for r in rows
    ] == [(1, 10, 2, day, "log", None, "on the stairs")] * 1 + [
        (2, 10, 2, day, "log", None, "on the stairs")
    ]
    assert rows[0].started_at == rows[1].started_at


def test_log_defaults_to_one_set_today() -> None:
    result = run_cli("log", "calf-stretch", "--seconds", "30", "--side", "left")
    assert result.returncode == 0, result.stderr
    assert f"Saved 1 set of Calf stretch (30 s) on the left side on {TODAY}." in result.stdout
    [row] = sets_stored()
    assert (row.day, row.side, row.seconds, row.reps) == (TODAY, "left", 30, None)


def test_log_both_sides_records_one_row_per_side_per_set() -> None:
    result = run_cli("log", "eccentric-heel-drop", "--sets", "2", "--reps", "15", "--side", "both")
    assert result.returncode == 0, result.stderr
    assert "on each side" in result.stdout
    assert [(r.set_number, r.side) for r in sets_stored()] == [
        (1, "left"),
        (1, "right"),
        (2, "left"),
        (2, "right"),
    ]


def test_log_numbers_sets_after_those_already_done_that_day() -> None:
    add(
        stored(day=TODAY, set_number=1),
        stored(day=TODAY, set_number=2, source="live", session_id="s"),
    )
    assert run_cli("log", "heel-drop", "--reps", "12").returncode == 0
    assert sorted(r.set_number for r in sets_stored() if r.day == TODAY) == [1, 2, 3]


BAD_LOGS = [
    (["heel-drp", "--reps", "10"], "did you mean heel-drop"),
    (["heel-drop", "--seconds", "30"], "counted in reps"),
    (["calf-stretch", "--side", "left", "--reps", "10"], "timed"),
    (["heel-drop"], "add --reps"),
    (["heel-drop", "--reps", "10", "--seconds", "5"], "not both"),
    (["heel-drop", "--reps", "0"], "--reps must be between 1 and 200"),
    (["heel-drop", "--reps", "-3"], "the digits 0-9"),
    (["heel-drop", "--reps", "500"], "--reps must be between 1 and 200"),
    (["heel-drop", "--reps", "ten"], "--reps"),
    (["heel-drop", "--reps", "10", "--sets", "0"], "--sets must be between 1 and 20"),
    (["heel-drop", "--reps", "10", "--sets", "99"], "--sets must be between 1 and 20"),
    (["calf-stretch", "--side", "left", "--seconds", "4000"], "--seconds must be"),
    (["heel-drop", "--reps", "10", "--pain", "11"], "--pain must be between 0 and 10"),
    (["heel-drop", "--reps", "10", "--pain", "-1"], "the digits 0-9"),
    (
        ["heel-drop", "--reps", "10", "--date", (TODAY + timedelta(days=1)).isoformat()],
        "in the future",
    ),
    (["heel-drop", "--reps", "10", "--date", "20/11/2026"], "not a date"),
    (["eccentric-heel-drop", "--reps", "10"], "--side left, right or both"),
    (["heel-drop", "--reps", "10", "--side", "left"], "leave out --side"),
    (["eccentric-heel-drop", "--reps", "10", "--side", "middle"], "--side must be one of"),
    (["heel-drop", "--reps", "10", "--note", "x" * 600], "keep it under 500"),
]


@pytest.mark.parametrize("args,words", BAD_LOGS, ids=[" ".join(a)[:40] for a, _ in BAD_LOGS])
def test_bad_log_exits_2_with_one_line_and_writes_nothing(
    args: list[str], words: str, tmp_path: Path
) -> None:
    env, home = fresh_home(tmp_path)
    result = run_cli("log", *args, env=env)
    assert_one_line_error(result, 2)
    assert words in result.stderr
    assert not home.exists()


def test_bad_log_leaves_an_existing_history_unchanged() -> None:
    add(stored())
    result = run_cli("log", "heel-drop", "--reps", "10", "--pain", "12")
    assert_one_line_error(result, 2)
    assert len(sets_stored()) == 1


# --------------------------------------------------------------------------- undo


def test_undo_removes_the_whole_last_log_call_only() -> None:
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    assert (
        run_cli(
            "log", "eccentric-heel-drop", "--reps", "15", "--side", "both", "--sets", "2"
        ).returncode
        == 0
    )
    result = run_cli("undo", "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"Removed 4 sets of Eccentric heel drop (15 reps, left and right) logged for {TODAY}."
    )
    assert [r.exercise for r in sets_stored()] == ["heel-drop"]
    assert run_cli("undo", "-y").returncode == 0
    assert sets_stored() == []


def test_undo_without_a_terminal_needs_yes() -> None:
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    result = run_cli("undo")
    assert_one_line_error(result, 2)
    assert "--yes" in result.stderr and len(sets_stored()) == 1


def test_undo_with_nothing_to_undo(tmp_path: Path) -> None:
    env, home = fresh_home(tmp_path)
    result = run_cli("undo", "--yes", env=env)
    assert_one_line_error(result, 1)
    assert "nothing to undo" in result.stderr and not home.exists()


def test_undo_takes_back_the_last_live_session() -> None:
    add(stored(source="live", session_id="session-1"))
    result = run_cli("undo", "--yes")
    assert result.returncode == 0 and "the live session of" in result.stdout
    assert sets_stored() == []


@pytest.mark.parametrize("answer,left", [("n", 1), ("", 1), ("y", 0), ("yes", 0)])
def test_undo_asks_first_in_a_terminal(answer: str, left: int) -> None:
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    child = spawn("undo")
    child.expect(r"Remove 1 set of Heel drop \(10 reps\) logged for .*\? \[y/N\] ")
    child.sendline(answer)
    assert finish(child) == (0 if left == 0 else 1)
    assert len(sets_stored()) == left


# --------------------------------------------------------------------------- history


HISTORY_KEYS = {
    "uuid": str,
    "date": str,
    "exercise": str,
    "set": int,
    "side": (str, type(None)),
    "reps": (int, type(None)),
    "seconds": (int, type(None)),
    "target_reps": (int, type(None)),
    "target_seconds": (int, type(None)),
    "pain": (int, type(None)),
    "started_at": str,
    "ended_at": str,
    "session_id": (str, type(None)),
    "source": str,
    "note": (str, type(None)),
    "landings": (int, type(None)),
    "soft_landings": (int, type(None)),
    "hard_landings": (int, type(None)),
}


def test_history_json_contract() -> None:
    live = stored(
        exercise="calf-stretch",
        side="right",
        reps=None,
        seconds=30,
        target_seconds=30,
        pain=2,
        session_id="abc",
        source="live",
        note="tight",
        ended_at=datetime(YESTERDAY.year, YESTERDAY.month, YESTERDAY.day, 7, 31, tzinfo=UTC),
    )
    add(stored(), live)
    result = run_cli("history", "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and len(rows) == 2
    for row in rows:
        assert set(row) == set(HISTORY_KEYS)
        for key, kind in HISTORY_KEYS.items():
            assert isinstance(row[key], kind), (key, row[key])
            assert not isinstance(row[key], bool)
    newest = rows[0]
    assert newest == {
        "uuid": live.uuid,
        "date": YESTERDAY.isoformat(),
        "exercise": "calf-stretch",
        "set": 1,
        "side": "right",
        "reps": None,
        "seconds": 30,
        "target_reps": None,
        "target_seconds": 30,
        "pain": 2,
        "started_at": f"{YESTERDAY.isoformat()}T07:30:00.000000+00:00",
        "ended_at": f"{YESTERDAY.isoformat()}T07:31:00.000000+00:00",
        "session_id": "abc",
        "source": "live",
        "note": "tight",
        "landings": None,  # nobody listened (`start --listen` fills them)
        "soft_landings": None,
        "hard_landings": None,
    }
    assert date.fromisoformat(rows[1]["date"]) == YESTERDAY
    assert datetime.fromisoformat(rows[1]["started_at"]).tzinfo is not None


def test_history_is_newest_first_limited_and_filtered() -> None:
    add(
        *[stored(day=TODAY - timedelta(days=n), set_number=1) for n in range(25)],
        stored(day=TODAY, exercise="bridge"),
    )
    rows = json.loads(run_cli("history", "--json").stdout)
    assert len(rows) == 20
    assert rows[0]["exercise"] == "bridge"
    days = [row["date"] for row in rows]
    assert days == sorted(days, reverse=True)
    assert len(json.loads(run_cli("history", "--json", "--limit", "0").stdout)) == 26
    assert len(json.loads(run_cli("history", "--json", "--limit", "3").stdout)) == 3
    since = (TODAY - timedelta(days=4)).isoformat()
    recent = json.loads(run_cli("history", "--json", "--since", since).stdout)
    assert len(recent) == 6 and min(row["date"] for row in recent) == since
    only = json.loads(run_cli("history", "--json", "--exercise", "bridge").stdout)
    assert [row["exercise"] for row in only] == ["bridge"]


def test_history_table_is_plain_when_piped() -> None:
    add(
        *[stored(day=TODAY - timedelta(days=n)) for n in range(22)],
        stored(exercise="eccentric-heel-drop", side="left", day=TODAY, pain=3),
    )
    result = run_cli("history")
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    lines = result.stdout.splitlines()
    assert any(
        "Eccentric heel drop" in line and "left" in line and "3/10" in line for line in lines
    )
    first_row = next(i for i, line in enumerate(lines) if "Eccentric" in line)
    assert all("Eccentric" not in line for line in lines[first_row + 1 :])  # newest first
    assert (
        sum(line.count(f"{TODAY - timedelta(days=n)}") for n in range(22) for line in lines) == 20
    )  # the newest 20 of 23 rows
    assert "more are stored" in result.stdout


def test_history_on_a_fresh_machine_says_so_and_creates_nothing(tmp_path: Path) -> None:
    env, home = fresh_home(tmp_path)
    result = run_cli("history", env=env)
    assert result.returncode == 0 and "No sets recorded yet" in result.stdout
    assert json.loads(run_cli("history", "--json", env=env).stdout) == []
    assert not home.exists()


@pytest.mark.parametrize(
    "args,words",
    [
        (["--since", "last week"], "--since: 'last week' is not a date"),
        (["--exercise", "heeldrop"], "did you mean heel-drop"),
        (["--limit", "-1"], "--limit"),
    ],
)
def test_bad_history_options(args: list[str], words: str) -> None:
    result = run_cli("history", *args)
    assert_one_line_error(result, 2)
    assert words in result.stderr


def test_history_accepts_an_exercise_no_longer_in_the_library() -> None:
    add(stored(exercise="my-old-custom"))
    rows = json.loads(run_cli("history", "--json", "--exercise", "my-old-custom").stdout)
    assert [row["exercise"] for row in rows] == ["my-old-custom"]


# --------------------------------------------------------------------------- stats


def screen(tmp_path: Path, start: date, **overrides: object) -> None:
    answers = write_answers(tmp_path, **overrides)
    result = run_cli("screen", "--answers", str(answers), "--start", start.isoformat())
    assert result.returncode == 0, result.stderr


def test_stats_without_a_profile_shows_volume_impacts_and_pain() -> None:
    add(
        stored(day=TODAY, reps=20, set_number=1, pain=2),
        stored(day=TODAY, reps=20, set_number=2, pain=4),
        stored(day=TODAY, exercise="bridge", reps=10),
    )
    result = run_cli("stats", "--weeks", "2", env={"COLUMNS": "120"})
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert "Heel drop (reps)" in text and "Bridge (reps)" in text
    assert "# 40" in text  # 40 heel strikes, drawn as a bar
    assert "4 / 4.0" in text  # highest pain / mean of the day's highest
    assert "Adherence needs a profile" in text
    assert "\x1b[" not in text
    data = json.loads(run_cli("stats", "--weeks", "2", "--json").stdout)
    assert data["has_profile"] is False and data["streak_weeks_on_plan"] is None
    assert [w["impacts"] for w in data["weeks"]] == [0, 40]
    assert [w["sets"] for w in data["weeks"]] == [0, 3]
    assert data["landings"] == []  # nobody listened


def test_stats_with_a_profile_shows_adherence_and_the_streak(tmp_path: Path) -> None:
    start = TODAY - timedelta(days=14)  # weeks 1 and 2 are finished, week 3 is today's
    screen(tmp_path, start, goals=["bone", "achilles"], days_per_week=3)
    # 30 set rows are planned in each of weeks 1 and 2: all of week 1, 60% of week 2
    add(
        *[stored(day=start + timedelta(days=n % 7), set_number=n + 1) for n in range(30)],
        *[stored(day=start + timedelta(days=7 + n % 7), set_number=n + 1) for n in range(18)],
    )
    data = json.loads(run_cli("stats", "--weeks", "3", "--json").stdout)
    weeks = data["weeks"]
    assert [w["program_week"] for w in weeks] == [1, 2, 3]
    assert [(w["done_sets"], w["planned_sets"]) for w in weeks[:2]] == [(30, 30), (18, 30)]
    assert [w["on_plan"] for w in weeks[:2]] == [True, False]
    assert weeks[2]["in_progress"] is True
    assert data["streak_weeks_on_plan"] == 0
    text = run_cli("stats", "--weeks", "3", env={"COLUMNS": "120"}).stdout
    assert "30/30 100% ok" in text and "18/30 60% low" in text
    assert "On plan: 0 weeks in a row" in text


def test_stats_reports_the_checkin_trend() -> None:
    with open_store() as store:
        store.save_checkin(CheckIn(TODAY - timedelta(days=2), 1, 1, datetime.now(UTC)))
        store.save_checkin(CheckIn(TODAY - timedelta(days=1), 3, 1, datetime.now(UTC)))
    text = " ".join(run_cli("stats", "--weeks", "1").stdout.split())
    assert "pain 3/10, stiffness 1/10, worse than" in text
    assert "the next dose will be reduced" in text


def test_stats_on_a_fresh_machine(tmp_path: Path) -> None:
    env, home = fresh_home(tmp_path)
    result = run_cli("stats", env=env)
    assert result.returncode == 0, result.stderr
    assert "No sets recorded yet. Start with the screening" in result.stdout and not home.exists()


@pytest.mark.parametrize("weeks", ["0", "53", "many"])
def test_bad_stats_weeks(weeks: str) -> None:
    assert_one_line_error(run_cli("stats", "--weeks", weeks), 2)


# --------------------------------------------------------------------------- export/import


def varied_history() -> None:
    add(
        stored(),
        stored(
            exercise="eccentric-heel-drop",
            side="left",
            pain=3,
            target_reps=15,
            note='a "quoted", comma note\nover two lines, é',
        ),
        stored(
            exercise="calf-stretch",
            side="right",
            reps=None,
            seconds=30,
            target_seconds=30,
            session_id="s-1",
            source="live",
        ),
        stored(day=TODAY - timedelta(days=40), source="import", pain=0),
    )


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_export_import_round_trip_adds_no_duplicates(fmt: str, tmp_path: Path) -> None:
    varied_history()
    first = tmp_path / f"backup.{fmt}"
    result = run_cli("export", "--format", fmt, "--output", str(first))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"Exported 4 sets to {first} ({fmt})."
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    env, _home = fresh_home(tmp_path)
    imported = run_cli("import", str(first), env=env)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "Imported 4 new sets, 0 already present"
    again = run_cli("import", str(first), env=env)
    assert again.stdout.strip() == "Imported 0 new sets, 4 already present"
    into_same = run_cli("import", str(first))
    assert into_same.stdout.strip() == "Imported 0 new sets, 4 already present"
    second = run_cli("export", "--format", fmt, env=env)
    assert second.returncode == 0
    assert second.stdout == first.read_bytes().decode("utf-8")
    assert len(json.loads(run_cli("history", "--json", env=env).stdout)) == 4


def test_export_writes_every_field_to_stdout_by_default() -> None:
    varied_history()
    result = run_cli("export", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "CSV holds the sets only" in result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert list(rows[0]) == list(SetRecord._fields)
    assert len(rows) == 4 and rows[0]["day"] == (TODAY - timedelta(days=40)).isoformat()
    lines = [json.loads(line) for line in run_cli("export").stdout.splitlines()]
    assert lines[0] == {"type": "header", "app": "heelcoach", "format": 3}
    sets = [line for line in lines if line["type"] == "set"]
    assert [set(line) for line in sets] == [{"type", *SetRecord._fields}] * 4


def test_export_format_follows_the_output_extension(tmp_path: Path) -> None:
    add(stored())
    target = tmp_path / "out.jsonl"
    assert run_cli("export", "-o", str(target)).returncode == 0
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert lines[-1]["type"] == "set" and lines[-1]["exercise"] == "heel-drop"
    as_csv = target.with_suffix(".csv")
    assert run_cli("export", "-o", str(as_csv)).returncode == 0
    assert as_csv.read_text().startswith("uuid,exercise,")


@pytest.mark.parametrize(
    "args,words",
    [
        (["--format", "xml"], "not one of: csv, jsonl"),
        (["--output", "/nonexistent-folder/x.csv"], "cannot write"),
    ],
)
def test_bad_export(args: list[str], words: str) -> None:
    result = run_cli("export", *args)
    assert_one_line_error(result, 2)
    assert words in result.stderr


def test_import_reports_the_bad_line_and_imports_nothing(tmp_path: Path) -> None:
    varied_history()
    source = tmp_path / "backup.csv"
    assert run_cli("export", "-o", str(source)).returncode == 0
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    # line 1 is the header, then oldest first; the quoted note spans lines 4 and 5
    assert lines[-1].split(",")[1] == "calf-stretch" and len(lines) == 6
    lines[-1] = lines[-1].replace("calf-stretch", "calf-strech")
    bad = tmp_path / "bad.csv"
    bad.write_text("".join(lines), encoding="utf-8")
    env, home = fresh_home(tmp_path)
    result = run_cli("import", str(bad), env=env)
    assert_one_line_error(result, 2)
    assert result.stderr.startswith(
        f"heelcoach: {bad}:6: not an exercise id heelcoach knows; did you mean calf-stretch"
    )
    assert "nothing was imported" in result.stderr
    assert not home.exists()


def test_import_of_bad_jsonl_lists_how_many_rows_are_bad(tmp_path: Path) -> None:
    add(stored())
    good = run_cli("export", "--format", "jsonl").stdout
    row = json.loads(good.splitlines()[-1])
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        good + json.dumps({**row, "uuid": SetRecord.new_uuid(), "pain": 11}) + "\n" + "{broken\n",
        encoding="utf-8",
    )
    before = sets_stored()
    result = run_cli("import", str(bad))
    assert_one_line_error(result, 2)
    assert f"{bad}:3: pain must be between 0 and 10 (and 1 more bad lines)" in result.stderr
    assert sets_stored() == before


@pytest.mark.parametrize(
    "name,content,words",
    [
        ("missing.csv", None, "no such file"),
        ("header.csv", "uuid,exercise,when\n", "not a heelcoach export"),
    ],
)
def test_import_of_a_file_that_is_not_an_export(
    name: str, content: str | None, words: str, tmp_path: Path
) -> None:
    target = tmp_path / name
    if content is not None:
        target.write_text(content, encoding="utf-8")
    result = run_cli("import", str(target))
    assert_one_line_error(result, 2)
    assert words in result.stderr


# --------------------------------------------------------------------------- checkin


def test_checkin_compares_with_the_previous_one() -> None:
    first = run_cli("checkin", "--pain", "2", "--stiffness", "2", "--date", YESTERDAY.isoformat())
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        f"Saved the check-in for {YESTERDAY}: pain 2/10, stiffness 2/10.",
        "first check-in: the next one will be compared with it",
    ]
    worse = run_cli("checkin", "--pain", "2", "--stiffness", "3")
    assert worse.stdout.splitlines()[-1] == "worse than last time: the next dose will be reduced"
    better = run_cli("checkin", "--pain", "1", "--stiffness", "2")
    assert better.stdout.splitlines() == [
        f"Replaced the check-in for {TODAY}: pain 1/10, stiffness 2/10.",
        "same or better: keep going",
    ]
    with open_store(create=False) as store:
        assert [(c.day, c.pain, c.stiffness) for c in store.checkins()] == [
            (YESTERDAY, 2, 2),
            (TODAY, 1, 2),
        ]


@pytest.mark.parametrize(
    "args,words",
    [
        (["--pain", "2"], "--stiffness is needed"),
        (["--stiffness", "2"], "--pain is needed"),
        ([], "--pain is needed"),
        (["--pain", "11", "--stiffness", "1"], "--pain must be between 0 and 10"),
        (["--pain", "1", "--stiffness", "-2"], "the digits 0-9"),
        (
            ["--pain", "1", "--stiffness", "1", "--date", (TODAY + timedelta(days=1)).isoformat()],
            "in the future",
        ),
        (["--pain", "1", "--stiffness", "1", "--date", "tomorrow"], "not a date"),
    ],
)
def test_bad_checkin_exits_2_and_writes_nothing(
    args: list[str], words: str, tmp_path: Path
) -> None:
    env, home = fresh_home(tmp_path)
    result = run_cli("checkin", *args, env=env)
    assert_one_line_error(result, 2)
    assert words in result.stderr
    assert not home.exists()


def test_checkin_asks_in_a_terminal() -> None:
    run_cli("checkin", "--pain", "1", "--stiffness", "1", "--date", YESTERDAY.isoformat())
    child = spawn("checkin")
    child.expect("Pain 0-10: ")
    child.sendline("eleven")
    child.expect("type a whole number from 0 to 10")
    child.sendline("\u0663")  # an Arabic-Indic 3: only the digits 0-9 count
    child.expect("type a whole number from 0 to 10")
    child.sendline("3")
    child.expect("Stiffness 0-10: ")
    child.sendline("1")
    child.expect("worse than last time: the next dose will be reduced")
    assert finish(child) == 0
    with open_store(create=False) as store:
        saved = store.checkin_for(TODAY)
    assert saved is not None and (saved.pain, saved.stiffness) == (3, 1)


def test_checkin_asks_only_for_what_is_missing() -> None:
    child = spawn("checkin", "--pain", "0")
    child.expect("Stiffness 0-10: ")
    child.sendline("4")
    assert finish(child) == 0
    with open_store(create=False) as store:
        saved = store.checkin_for(TODAY)
    assert saved is not None and (saved.pain, saved.stiffness) == (0, 4)


# --------------------------------------------------------------------------- forget


def test_forget_with_yes_deletes_profile_and_history(tmp_path: Path, heelcoach_home: Path) -> None:
    screen(tmp_path, TODAY)
    add(stored())
    result = run_cli("forget", "--yes")
    assert result.returncode == 0, result.stderr
    assert f"Deleted {heelcoach_home / 'profile.json'}" in result.stdout
    assert f"Deleted {heelcoach_home / 'history.db'}" in result.stdout
    assert not (heelcoach_home / "profile.json").exists()
    assert not (heelcoach_home / "history.db").exists()
    assert "No sets recorded yet" in run_cli("history").stdout


def test_forget_without_a_terminal_needs_yes(tmp_path: Path, heelcoach_home: Path) -> None:
    screen(tmp_path, TODAY)
    add(stored())
    result = run_cli("forget")
    assert_one_line_error(result, 2)
    assert "--yes" in result.stderr
    assert (heelcoach_home / "profile.json").exists() and len(sets_stored()) == 1


@pytest.mark.parametrize("typed,deleted", [("forget", True), ("yes", False), ("", False)])
def test_forget_needs_the_word_typed(
    typed: str, deleted: bool, tmp_path: Path, heelcoach_home: Path
) -> None:
    screen(tmp_path, TODAY)
    add(stored())
    child = spawn("forget")
    child.expect("Type forget to delete them: ")
    child.sendline(typed)
    assert finish(child) == (0 if deleted else 1)
    assert (heelcoach_home / "profile.json").exists() is not deleted
    assert (heelcoach_home / "history.db").exists() is not deleted


def test_forget_with_nothing_to_delete(tmp_path: Path) -> None:
    env, home = fresh_home(tmp_path)
    result = run_cli("forget", env=env)
    assert result.returncode == 0 and "Nothing to delete" in result.stdout
    assert not home.exists()


def test_stats_never_calls_a_week_with_nothing_planned_100_percent(tmp_path: Path) -> None:
    """Insertional Achilles pain with a painful tiptoe hold: the tendon rests and nothing
    is planned, which is not "100% of planned sets done"."""
    start = TODAY - timedelta(days=14)
    screen(
        tmp_path,
        start,
        goals=["achilles"],
        achilles_pain=True,
        achilles_pain_site="insertion",
        tiptoe_hold_ok=False,
    )
    text = run_cli("stats", "--weeks", "3", env={"COLUMNS": "120"}).stdout
    assert "nothing planned" in text and "0/0" not in text and "100%" not in text


def test_a_single_rep_is_written_as_one_rep(heelcoach_home: Path) -> None:
    result = run_cli("log", "heel-drop", "--reps", "1")
    assert result.returncode == 0, result.stderr
    assert "Saved 1 set of Heel drop (1 rep) on " in result.stdout
    assert "1 rep " in " ".join(run_cli("history").stdout.split())
