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
from helpers import (
    BASE_ANSWERS,
    a_set,
    assert_one_line_error,
    open_store,
    run_cli,
    write_answers,
)

from heelcoach.domain.records import CheckIn, ReadinessResult, SessionRecord, SetRecord

GOLDEN = Path(__file__).parent / "golden"
SESSION = "9f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture(autouse=True)
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


def _at(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC) + timedelta(minutes=minute)


def _set(n: int, exercise: str, day: date, **fields: object) -> SetRecord:
    uuid = f"0b5d3c1e-1a2b-4c3d-8e9f-{n:012d}"
    return a_set(day, _at(day, n), 40, **{"uuid": uuid, "exercise": exercise, **fields})


PRESCRIPTION = {
    "format": 1,
    "accepted": "2026-01-05",
    "prescription": {
        "clinician": "A. Example",
        "date": "2026-01-05",
        "note": None,
        "stages": [
            {
                "from_week": 1,
                "items": [
                    {"exercise": "bridge", "sets": 2, "reps": 10, "days": 2},
                    {"exercise": "heel-drop", "sets": 1, "reps": 10, "days": 2, "note": "slowly"},
                ],
            }
        ],
    },
}


def known_history(home: Path) -> None:
    """The small history the golden files hold: every kind of record, and awkward text."""
    monday, tuesday = date(2026, 1, 5), date(2026, 1, 6)
    (home / "profile.json").write_text(
        json.dumps({"format": 2, "created": "2026-01-05", "answers": BASE_ANSWERS}),
        encoding="utf-8",
    )
    (home / "prescription.json").write_text(json.dumps(PRESCRIPTION), encoding="utf-8")
    (home / "settings.json").write_text(json.dumps({"alternate_legs": True}), encoding="utf-8")
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
    matches("export-v3.jsonl", jsonl.stdout)
    as_csv = run_cli("export", "--format", "csv")
    assert as_csv.returncode == 0, as_csv.stderr
    matches("export-v3.csv", as_csv.stdout)
    assert "sets only" in as_csv.stderr and "jsonl" in as_csv.stderr


@pytest.mark.parametrize(
    "name",
    [
        "export-v3.jsonl",
        "export-v3.csv",
        "export-v2.jsonl",
        "export-v2.csv",
        "legacy-sets.csv",
        "legacy-sets.jsonl",
        "export-profile-format-2.jsonl",
    ],
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
        == ((GOLDEN / "export-v3.csv").read_bytes().decode("utf-8").splitlines()[1:])
    )
    if name == "export-v3.jsonl":
        full = run_cli("export").stdout
        assert full == (GOLDEN / "export-v3.jsonl").read_bytes().decode("utf-8")
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
        store.add_sets(
            [_set(99, "heel-drop", today, session_id=SESSION, source="live", target_reps=10)]
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
    lines = (GOLDEN / "export-v3.jsonl").read_bytes().decode("utf-8").splitlines(keepends=True)
    newer = tmp_path / "newer.jsonl"
    newer.write_text(lines[0].replace('"format": 3', '"format": 4') + "".join(lines[1:]))
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


def _prescription_item(**fields: object) -> dict[str, object]:
    first = {"exercise": "bridge", "sets": 2, "reps": 10, "days": 2, **fields}
    body = {**PRESCRIPTION["prescription"], "stages": [{"from_week": 1, "items": [first]}]}  # type: ignore[dict-item]
    return {**PRESCRIPTION, "type": "prescription", "prescription": body}


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
        ({"type": "settings", "alternate_legs": SECRET}, "alternate_legs"),
        ({"type": "settings", SECRET: True}, "unknown setting"),
        ({**PRESCRIPTION, "type": "prescription", "accepted": SECRET}, "accepted"),
        (_prescription_item(sets=SECRET), "stages.0.items.0.sets"),
        (_prescription_item(sets=12345678901), "stages.0.items.0.sets"),
        (_prescription_item(exercise=SECRET), "stages.0.items.0.exercise"),
        (_prescription_item(**{SECRET: 1}), "stages.0.items.0: unknown field"),
        ({**PRESCRIPTION, "type": "prescription", "prescription": {"date": SECRET}}, "clinician"),
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
    lines = (GOLDEN / "export-v3.csv").read_bytes().decode("utf-8").split("\r\n")
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


CSV_HEADER = (GOLDEN / "export-v3.csv").read_bytes().split(b"\r\n")[0] + b"\r\n"


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


# --------------------------------------------------------------------------- prescription, settings


def _prescription_file(folder: Path, start: date) -> Path:
    """A clinician's programme with an override (jumps before the hop test)."""
    target = folder / "rx.yaml"
    target.write_text(
        f"""clinician: A. Example
date: {start.isoformat()}
note: Keep pain under 4/10.
stages:
  - from_week: 1
    items:
      - {{exercise: bridge, sets: 2, reps: 10, days: 2}}
      - {{exercise: eccentric-heel-drop, sets: 2, reps: 12, days: 3, per_side: true}}
      - {{exercise: heel-jump, sets: 1, reps: 10, days: 2, override: seen in clinic}}
""",
        encoding="utf-8",
    )
    return target


def _screen(folder: Path, **answers: object) -> date:
    """Screen for bone and Achilles goals (and `answers`), week 1 starting 9 days ago."""
    start = date.today() - timedelta(days=9)
    answered = write_answers(folder, **{"goals": ["bone", "achilles"], **answers})
    screened = run_cli("screen", "--answers", str(answered), "--start", start.isoformat())
    assert screened.returncode == 0, screened.stderr
    return start


def _person_with_a_prescription(folder: Path) -> None:
    start = _screen(folder)
    prescribed = run_cli("prescribe", str(_prescription_file(folder, start)))
    assert prescribed.returncode == 0, prescribed.stdout + prescribed.stderr
    assert run_cli("settings", "alternate-legs", "on").returncode == 0
    day = (date.today() - timedelta(days=2)).isoformat()
    logged = run_cli("log", "bridge", "--sets", "2", "--reps", "10", "--date", day)
    assert logged.returncode == 0, logged.stderr


def _backed_up_and_forgotten(folder: Path) -> Path:
    """A person with a prescription and settings, exported to a file and then forgotten."""
    _person_with_a_prescription(folder)
    backup = folder / "backup.jsonl"
    assert run_cli("export", "-o", str(backup)).returncode == 0
    assert run_cli("forget", "--yes").returncode == 0
    return backup


def test_export_forget_import_gives_back_the_prescription_and_the_settings(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    _person_with_a_prescription(tmp_path)

    def views() -> list[str]:
        return [
            run_cli(*command).stdout for command in (["plan", "--json"], ["settings"], ["plan"])
        ]

    before = views()
    assert '"by": "A. Example"' in before[0] and "alternate-legs: on" in before[1]
    backup = tmp_path / "backup.jsonl"
    exported = run_cli("export", "-o", str(backup))
    assert exported.returncode == 0, exported.stderr
    assert "your profile, the prescription and your settings" in exported.stdout
    assert run_cli("forget", "--yes").returncode == 0
    assert list(heelcoach_home.iterdir()) == []
    restored = run_cli("import", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert f"Restored the prescription to {heelcoach_home / 'prescription.json'}" in restored.stdout
    assert f"Restored your settings to {heelcoach_home / 'settings.json'}" in restored.stdout
    assert views() == before

    # Into a folder that has its own: theirs stay, and the import says so.
    mine = {
        name: (heelcoach_home / name).read_bytes()
        for name in ("prescription.json", "settings.json")
    }
    assert run_cli("settings", "alternate-legs", "off").returncode == 0
    mine["settings.json"] = (heelcoach_home / "settings.json").read_bytes()
    again = run_cli("import", str(backup))
    assert again.returncode == 0, again.stderr
    assert "Kept the prescription already in" in again.stdout
    assert "Kept the settings already in" in again.stdout
    assert {name: (heelcoach_home / name).read_bytes() for name in mine} == mine
    assert "alternate-legs: off" in run_cli("settings").stdout


def test_csv_names_the_prescription_and_settings_it_leaves_out_only_when_there_are_some(
    tmp_path: Path,
) -> None:
    logged = run_cli("log", "bridge", "--reps", "10")
    assert logged.returncode == 0, logged.stderr
    plain = run_cli("export", "--format", "csv")
    assert plain.returncode == 0 and "sets only" in plain.stderr
    assert "prescription" not in plain.stderr and "settings" not in plain.stderr
    _person_with_a_prescription(tmp_path)
    full = run_cli("export", "--format", "csv")
    assert full.returncode == 0
    assert "the profile, the prescription and the settings need --format jsonl" in full.stderr


def test_an_imported_prescription_that_fails_the_screening_is_not_installed(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    backup = _backed_up_and_forgotten(tmp_path)
    _screen(tmp_path, fracture_within_months=3)
    plan_before = run_cli("plan", "--json").stdout

    result = run_cli("import", str(backup))
    assert_one_line_error(result, 1)
    assert f"the prescription in {backup} was not installed: it conflicts with" in result.stderr
    assert "recent-fracture" in result.stderr and "the rest was imported" in result.stderr
    assert "Imported 2 new sets" in result.stdout and "Restored your settings" in result.stdout
    assert "Kept the profile already in" in result.stdout
    assert not (heelcoach_home / "prescription.json").exists()
    assert run_cli("plan", "--json").stdout == plan_before


def test_an_override_in_the_file_lifts_no_more_than_prescribe_would(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    """The saved form records the rules an override was accepted for; a file that claims
    more (a rule that can never be lifted at home) or fewer gets no further."""
    backup = _backed_up_and_forgotten(tmp_path)
    lines = [json.loads(line) for line in backup.read_text(encoding="utf-8").splitlines()]
    line = next(line for line in lines if line["type"] == "prescription")
    jump = line["prescription"]["stages"][0]["items"][2]
    assert jump["exercise"] == "heel-jump" and jump["accepted"]
    for claimed in ([], ["recent-fracture", "impact-ceiling", *jump["accepted"]]):
        jump["accepted"] = claimed
        crafted = tmp_path / "crafted.jsonl"
        crafted.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
        assert run_cli("forget", "--yes").returncode == 0
        _screen(tmp_path, **({"fracture_within_months": 3} if claimed else {}))
        result = run_cli("import", str(crafted))
        assert_one_line_error(result, 1)
        assert "was not installed: it conflicts with your screening" in result.stderr
        assert not (heelcoach_home / "prescription.json").exists()


def test_a_prescription_without_a_screening_to_check_it_against_is_not_installed(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    backup = _backed_up_and_forgotten(tmp_path)
    lines = backup.read_text(encoding="utf-8").splitlines(keepends=True)
    backup.write_text("".join(line for line in lines if '"type": "profile"' not in line))
    result = run_cli("import", str(backup))
    assert_one_line_error(result, 1)
    assert "not installed: it is checked against your screening, and there is none" in result.stderr
    assert "Imported 2 new sets" in result.stdout
    assert not (heelcoach_home / "prescription.json").exists()
    assert (heelcoach_home / "settings.json").exists()


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ({"type": "settings", "alternate_legs": "yes"}, "settings: alternate_legs: expected true"),
        ({"type": "settings", "colour": True}, "settings: unknown setting 'colour'"),
        ({**PRESCRIPTION, "type": "prescription", "format": 2}, "prescription: format: expected 1"),
        (
            {
                "type": "prescription",
                **PRESCRIPTION,
                "prescription": {**PRESCRIPTION["prescription"], "stages": []},  # type: ignore[dict-item]
            },
            "prescription: stages: expected a list",
        ),
        (
            {
                "type": "prescription",
                **PRESCRIPTION,
                "prescription": {**PRESCRIPTION["prescription"], "date": "9999-12-31"},  # type: ignore[dict-item]
            },
            "prescription: date: expected a day from 2000 to 9000",
        ),
    ],
)
def test_a_malformed_prescription_or_settings_line_is_bad_input(
    line: dict[str, object], words: str, tmp_path: Path, heelcoach_home: Path
) -> None:
    source = tmp_path / "backup.jsonl"
    source.write_text(_lines(line, _set_line()), encoding="utf-8")
    result = run_cli("import", str(source))
    assert_one_line_error(result, 2)
    assert f"{source}:2: {words}" in result.stderr and "nothing was imported" in result.stderr
    assert list(heelcoach_home.iterdir()) == []


@pytest.mark.parametrize(
    "line", [{"type": "settings", "alternate_legs": True}, {"type": "prescription", **PRESCRIPTION}]
)
def test_a_second_settings_or_prescription_line_is_refused(
    line: dict[str, object], tmp_path: Path
) -> None:
    source = tmp_path / "backup.jsonl"
    source.write_text(_lines(line, _set_line(), line), encoding="utf-8")
    result = run_cli("import", str(source))
    assert_one_line_error(result, 2)
    assert f"{source}:4: a second {line['type']} line" in result.stderr


def test_a_prescription_is_not_installed_over_a_profile_that_cannot_be_read(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    backup = _backed_up_and_forgotten(tmp_path)
    damaged = json.dumps({"format": 2, "created": "2026-01-05", "answers": {}})
    (heelcoach_home / "profile.json").write_text(damaged, encoding="utf-8")
    result = run_cli("import", str(backup))
    assert_one_line_error(result, 1)
    assert "not installed: your profile could not be read to check it" in result.stderr
    assert "Kept the profile already in" in result.stdout
    assert (heelcoach_home / "profile.json").read_text(encoding="utf-8") == damaged
    assert not (heelcoach_home / "prescription.json").exists()


def test_an_imported_prescription_gets_the_same_limits_as_prescribe(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    """A file edited to say `clinician: Self` and 10 x 100 drops is refused as a whole
    (exit 2, nothing written), as `prescribe` refuses it."""
    backup = _backed_up_and_forgotten(tmp_path)
    lines = [json.loads(line) for line in backup.read_text(encoding="utf-8").splitlines()]
    for line in lines:
        if line["type"] == "prescription":
            line["prescription"]["clinician"] = "Self"
    backup.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = run_cli("import", str(backup))
    assert_one_line_error(result, 2)
    assert "clinician" in result.stderr
    assert not (heelcoach_home / "prescription.json").exists()
