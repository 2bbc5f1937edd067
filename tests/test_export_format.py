"""The export format, pinned: a known small history exports to exactly the files in
`tests/golden/`, exports made by earlier versions still import, and a round trip (export,
forget, import) gives back the same `history --json`, `stats --json` and `plan --json`.

The golden files are compared byte for byte, so this test knows nothing of the code's own
field lists: a change to the format shows up here and must be made on purpose (and
described in the README's "Export format" section); `UPDATE_GOLDEN=1` rewrites them.
"""

from __future__ import annotations

import json
import os
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import BASE_ANSWERS, assert_one_line_error, open_store, run_cli, write_answers

from heelcoach.domain.records import CheckIn, ReadinessResult, SessionRecord, SetRecord

GOLDEN = Path(__file__).parent / "golden"
SESSION = "9f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture(autouse=True)
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


def _at(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC) + timedelta(minutes=minute)


def _set(n: int, exercise: str, day: date, **fields: object) -> SetRecord:
    values: dict[str, object] = {
        "uuid": f"0b5d3c1e-1a2b-4c3d-8e9f-{n:012d}",
        "exercise": exercise,
        "set_number": 1,
        "side": None,
        "reps": 10,
        "seconds": None,
        "target_reps": None,
        "target_seconds": None,
        "pain": None,
        "day": day,
        "started_at": _at(day, n),
        "ended_at": _at(day, n) + timedelta(seconds=40),
        "session_id": None,
        "source": "log",
        "note": None,
    }
    values.update(fields)
    return SetRecord(**values)  # type: ignore[arg-type]


def known_history(home: Path) -> None:
    """The small history the golden files hold: every kind of record, and awkward text."""
    monday, tuesday = date(2026, 1, 5), date(2026, 1, 6)
    (home / "profile.json").write_text(
        json.dumps({"format": 2, "created": "2026-01-05", "answers": BASE_ANSWERS}),
        encoding="utf-8",
    )
    with open_store() as store:
        store.start_session(SessionRecord(SESSION, tuesday, _at(tuesday, 0), None, None, "running"))
        store.finish_session(SESSION, ended_at=_at(tuesday, 9), pain=None, status="finished")
        store.set_session_pain(SESSION, 2)
        store.add_sets(
            [
                _set(1, "heel-drop", monday, pain=2),
                _set(
                    2,
                    "heel-drop",
                    monday,
                    set_number=2,
                    reps=12,
                    note='on the stairs, "slowly"\nsecond line, =1+1, é',
                ),
                _set(
                    3,
                    "eccentric-heel-drop",
                    tuesday,
                    side="left",
                    reps=15,
                    target_reps=15,
                    pain=3,
                    session_id=SESSION,
                    source="live",
                ),
                _set(
                    4,
                    "calf-stretch",
                    tuesday,
                    side="right",
                    reps=None,
                    seconds=30,
                    target_seconds=30,
                    session_id=SESSION,
                    source="live",
                ),
            ]
        )
        store.save_checkin(CheckIn(date(2026, 1, 7), 1, 2, _at(date(2026, 1, 7), 0)))
        store.add_readiness(
            [
                ReadinessResult(
                    "5e0c7a7e-3c1d-4f3e-9a1b-000000000001",
                    "heel-raise",
                    monday,
                    _at(monday, 30),
                    None,
                    None,
                    22,
                    19,
                    "entered",
                    "after the walk",
                )
            ]
        )


def matches(name: str, text: str) -> None:
    """`text` is byte for byte the golden file (`UPDATE_GOLDEN=1` rewrites it, on purpose)."""
    target = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        target.write_bytes(text.encode("utf-8"))
    assert text == target.read_bytes().decode("utf-8")


def test_a_known_history_exports_to_the_golden_files(heelcoach_home: Path) -> None:
    known_history(heelcoach_home)
    jsonl = run_cli("export", "--format", "jsonl")
    assert jsonl.returncode == 0, jsonl.stderr
    matches("export-v2.jsonl", jsonl.stdout)
    as_csv = run_cli("export", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    matches("export-v2.csv", as_csv.stdout)
    assert "sets only" in as_csv.stderr and "jsonl" in as_csv.stderr


@pytest.mark.parametrize(
    "name", ["export-v2.jsonl", "export-v2.csv", "legacy-sets.csv", "legacy-sets.jsonl"]
)
def test_exports_old_and_new_import_and_export_again_the_same(
    name: str, tmp_path: Path, heelcoach_home: Path
) -> None:
    source = tmp_path / name
    shutil.copyfile(GOLDEN / name, source)
    result = run_cli("import", str(source))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Imported 4 new sets, 0 already present"
    again = run_cli("import", str(source))
    assert again.stdout.splitlines()[0] == "Imported 0 new sets, 4 already present"
    history = json.loads(run_cli("history", "--json", "--limit", "0").stdout)
    assert sorted(item["uuid"][-1] for item in history) == ["1", "2", "3", "4"]
    assert {item["note"] for item in history} >= {None}
    # Sets come back exactly as the golden full export has them.
    csv_again = run_cli("export", "--format", "csv").stdout
    assert (
        csv_again.splitlines()[1:]
        == ((GOLDEN / "export-v2.csv").read_bytes().decode("utf-8").splitlines()[1:])
    )
    if name == "export-v2.jsonl":
        full = run_cli("export").stdout
        assert full == (GOLDEN / "export-v2.jsonl").read_bytes().decode("utf-8")
        assert "Restored your profile" in result.stdout


def test_export_forget_import_gives_back_the_same_history_stats_and_plan(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    today = date.today()
    start = today - timedelta(days=16)
    answers = write_answers(tmp_path, goals=["bone", "achilles"])
    assert (
        run_cli("screen", "--answers", str(answers), "--start", start.isoformat()).returncode == 0
    )
    for offset, reps in ((16, 10), (14, 12), (9, 10), (2, 15)):
        day = (today - timedelta(days=offset)).isoformat()
        result = run_cli("log", "heel-drop", "--sets", "2", "--reps", str(reps), "--date", day)
        assert result.returncode == 0, result.stderr
        assert run_cli("checkin", "--pain", "1", "--stiffness", "2", "--date", day).returncode == 0
    assert (
        run_cli(
            "log",
            "eccentric-heel-drop",
            "--side",
            "both",
            "--reps",
            "10",
            "--pain",
            "3",
            "--note",
            "felt fine",
        ).returncode
        == 0
    )
    with open_store() as store:
        store.start_session(SessionRecord(SESSION, today, _at(today, 0), None, None, "running"))
        store.add_set(
            _set(99, "heel-drop", today, session_id=SESSION, source="live", target_reps=10)
        )
        store.finish_session(SESSION, ended_at=_at(today, 5), pain=None, status="stopped")
        store.add_readiness(
            [
                ReadinessResult(
                    "5e0c7a7e-3c1d-4f3e-9a1b-000000000002",
                    "tiptoe",
                    today,
                    _at(today, 6),
                    "both",
                    2,
                    None,
                    None,
                    "guided",
                )
            ]
        )

    def views() -> tuple[object, ...]:
        return tuple(
            json.loads(run_cli(*command).stdout)
            for command in (
                ["history", "--json", "--limit", "0"],
                ["stats", "--json"],
                ["plan", "--json"],
            )
        )

    def stored() -> tuple[object, ...]:
        with open_store(create=False) as store:
            return store.sessions(), store.checkins(), store.readiness()

    before, records_before = views(), stored()
    backup = tmp_path / "backup.jsonl"
    exported = run_cli("export", "-o", str(backup))
    assert exported.returncode == 0, exported.stderr
    assert "and your profile" in exported.stdout
    assert run_cli("forget", "--yes").returncode == 0
    assert not (heelcoach_home / "history.db").exists()
    restored = run_cli("import", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert views() == before
    assert stored() == records_before

    # Into a folder that already has a profile: the profile stays, the person is told.
    mine = (heelcoach_home / "profile.json").read_bytes()
    again = run_cli("import", str(backup))
    assert again.returncode == 0, again.stderr
    assert "Kept the profile already in" in again.stdout
    assert (heelcoach_home / "profile.json").read_bytes() == mine


def test_a_newer_or_damaged_export_is_refused_and_nothing_is_imported(tmp_path: Path) -> None:
    lines = (GOLDEN / "export-v2.jsonl").read_bytes().decode("utf-8").splitlines(keepends=True)
    newer = tmp_path / "newer.jsonl"
    newer.write_text(lines[0].replace('"format": 2', '"format": 3') + "".join(lines[1:]))
    result = run_cli("import", str(newer))
    assert_one_line_error(result, 2)
    assert "newer heelcoach" in result.stderr
    headless = tmp_path / "headless.jsonl"
    headless.write_text("".join(lines[1:]))
    result = run_cli("import", str(headless))
    assert_one_line_error(result, 2)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(lines[:-1]) + lines[-1].replace('"reps": ', '"reps": -'))
    result = run_cli("import", str(broken))
    assert_one_line_error(result, 2)
    assert f"{broken}:{len(lines)}:" in result.stderr
    with open_store(create=False) as store:
        assert store.count_sets() == 0 and store.sessions() == []


# --------------------------------------------------------------------------- what errors say

SECRET = "root:$6$s3cr3tHash\x1b[31m"
HEADER = {"type": "header", "app": "heelcoach", "format": 2}


def _lines(*records: dict[str, object]) -> str:
    return "".join(json.dumps(record) + "\n" for record in (HEADER, *records))


def _set_line(**fields: object) -> dict[str, object]:
    from heelcoach.storage.transfer import export_row

    yesterday = date.today() - timedelta(days=1)
    return {"type": "set", **export_row(_set(1, "heel-drop", yesterday)), **fields}


SESSION_LINE = {
    "type": "session",
    "session_id": SESSION,
    "day": "2026-01-06",
    "started_at": "2026-01-06T07:30:00.000000+00:00",
    "ended_at": None,
    "pain": None,
    "status": "finished",
    "cleared_at": None,
}
CHECKIN_LINE = {
    "type": "checkin",
    "day": "2026-01-07",
    "pain": 1,
    "stiffness": 2,
    "recorded_at": "2026-01-07T07:30:00.000000+00:00",
}
PROFILE_LINE = {"type": "profile", "format": 2, "created": "2026-01-05", "answers": BASE_ANSWERS}


@pytest.mark.parametrize(
    ("line", "field"),
    [
        (_set_line(reps=SECRET), "reps"),
        (_set_line(pain=[SECRET]), "pain"),
        (_set_line(day=SECRET), "day"),
        (_set_line(started_at=SECRET), "started_at"),
        (_set_line(ended_at="2026-01-05T07:30:00" + SECRET), "ended_at"),
        (_set_line(set_number=12345678901), "set_number"),
        ({**SESSION_LINE, "pain": SECRET}, "pain"),
        ({**SESSION_LINE, "started_at": SECRET}, "started_at"),
        ({**CHECKIN_LINE, "stiffness": SECRET}, "stiffness"),
        ({**CHECKIN_LINE, "day": SECRET}, "day"),
        ({**PROFILE_LINE, "created": SECRET}, "created"),
        ({**PROFILE_LINE, "answers": {**BASE_ANSWERS, "age": SECRET}}, "age"),
        ({**PROFILE_LINE, "answers": {**BASE_ANSWERS, "bone_density": SECRET}}, "bone_density"),
        ({**PROFILE_LINE, "answers": {**BASE_ANSWERS, "t_score": 2.5}}, "t_score"),
        ({**PROFILE_LINE, "answers": {**BASE_ANSWERS, SECRET: 1}}, "unknown answer key"),
        ({**CHECKIN_LINE, SECRET: 1}, "unknown field"),
        ({**CHECKIN_LINE, "type": SECRET}, "unknown line type"),
    ],
)
def test_an_import_error_names_the_line_and_field_never_the_value(
    line: dict[str, object], field: str, tmp_path: Path, heelcoach_home: Path
) -> None:
    source = tmp_path / "backup.jsonl"
    source.write_text(_lines(line), encoding="utf-8")
    result = run_cli("import", str(source))
    assert_one_line_error(result, 2)
    assert f"{source}:2: " in result.stderr and field in result.stderr
    for leak in ("s3cr3t", "root:", "\x1b", "\\x1b", "\\u001b", "[31m", "2.5", "12345678901"):
        assert leak not in result.stderr, result.stderr
    assert list(heelcoach_home.iterdir()) == []


def test_a_csv_import_error_names_the_line_and_field_never_the_value(tmp_path: Path) -> None:
    lines = (GOLDEN / "export-v2.csv").read_bytes().decode("utf-8").split("\r\n")
    cells = lines[1].split(",")
    header = lines[0].split(",")
    cells[header.index("pain")] = '"' + SECRET + '"'
    lines[1] = ",".join(cells)
    source = tmp_path / "sets.csv"
    source.write_bytes("\r\n".join(lines).encode("utf-8"))
    result = run_cli("import", str(source))
    assert_one_line_error(result, 2)
    assert f"{source}:2: pain must be a whole number" in result.stderr
    assert "s3cr3t" not in result.stderr and "\x1b" not in result.stderr


CSV_HEADER = (GOLDEN / "export-v2.csv").read_bytes().split(b"\r\n")[0] + b"\r\n"


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("backup.jsonl", b"", "is empty"),
        ("backup.csv", b"", "is empty"),
        ("backup", b"\n \r\n\n", "is empty"),
        ("backup.jsonl", b"\xef\xbb\xbf", "is empty"),
        ("backup.jsonl", json.dumps(HEADER).encode() + b"\n", "has no records"),
        ("backup.jsonl", json.dumps(HEADER).encode() + b"\n\n\n", "has no records"),
        ("backup.csv", CSV_HEADER, "has no records"),
        ("backup", CSV_HEADER + b"\r\n", "has no records"),
    ],
)
def test_an_empty_or_header_only_file_is_refused_and_nothing_is_written(
    name: str, content: bytes, words: str, tmp_path: Path, heelcoach_home: Path
) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    result = run_cli("import", str(source))
    assert_one_line_error(result, 2)
    assert f"{source}: {words}" in result.stderr and "nothing was imported" in result.stderr
    assert result.stdout == ""
    assert list(heelcoach_home.iterdir()) == []  # no history.db, nothing at all


def test_the_export_of_an_empty_history_is_refused_on_import(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    backup = tmp_path / "nothing.jsonl"
    assert run_cli("export", "-o", str(backup)).returncode == 0
    result = run_cli("import", str(backup))
    assert_one_line_error(result, 2)
    assert "has no records" in result.stderr
    assert list(heelcoach_home.iterdir()) == []
