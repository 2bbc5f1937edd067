"""Bad input is exit 1 or 2, never 3 (a bug): huge integers, 2**63, years near 1 and 9999,
deep nesting, surrogates, `start --speed nan`, `history --limit 2**63`, HEELCOACH_HOME
pointing at a file or /dev/null, a history.db with our application id but missing tables
(left unchanged), rows breaking a CHECK constraint."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import make_set, set_row, sha256, write_user_exercise
from helpers import open_store, run_cli

from heelcoach.storage.schema import APPLICATION_ID, SCHEMA_VERSION


def _refuses(result: object, *codes: int) -> None:
    code, stderr = result.returncode, result.stderr  # type: ignore[attr-defined]
    assert code in codes, (code, stderr)
    assert code == 0 or len(stderr.strip().splitlines()) == 1, stderr
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr


def test_hostile_values_get_a_documented_exit_code_never_3(
    tmp_path: Path, heelcoach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [
        set_row(reps=2**63),
        set_row(set_number=10**30),
        set_row(pain=-(2**63)),
        set_row(started_at="0001-01-01T00:00:00+01:00"),
        set_row(ended_at="9999-12-31T23:59:59-01:00"),
        set_row(day="9999-12-31"),
        set_row(note="\ud800 lone surrogate"),
        set_row(session_id="\udcff"),
    ]
    for row in rows:
        source = tmp_path / "hostile.jsonl"
        source.write_text(json.dumps(row) + "\n", encoding="utf-8")
        _refuses(run_cli("import", str(source)), 2)
    for text in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000,
                 "1" * 5000, '{"reps": 1e999}'):  # fmt: skip
        source = tmp_path / "deep.jsonl"
        source.write_text(text + "\n", encoding="utf-8")
        _refuses(run_cli("import", str(source)), 2)
    _refuses(run_cli("log", "heel-drop", "--reps", "10", "--note", "bad \udcff byte"), 0, 2)
    _refuses(run_cli("log", "heel-drop", "--reps", str(2**63)), 2)
    _refuses(run_cli("history", "--limit", str(2**63)), 2)
    _refuses(run_cli("stats", "--weeks", str(2**63)), 2)
    _refuses(run_cli("start", "--speed", "nan"), 2)
    _refuses(run_cli("history", "--exercise", "\udcff"), 2)  # an undecodable argument
    _refuses(run_cli("start", "--day", "9999-12-31", "--plain", "--yes"), 1, 2)
    _refuses(run_cli("start", "--speed", "inf"), 2)

    deep = "exercises: " + "[" * 5000 + "]" * 5000 + "\n"
    write_user_exercise(heelcoach_home, deep)
    _refuses(run_cli("exercises"), 2)
    _refuses(run_cli("log", "heel-drop", "--reps", "10"), 2)
    (heelcoach_home / "exercises" / "mine.yaml").unlink()

    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n")
    for home in (a_file, Path("/dev/null")):
        env = {"HEELCOACH_HOME": str(home)}
        for command in (["log", "heel-drop", "--reps", "10"], ["history"], ["export"],
                        ["checkin", "--pain", "1", "--stiffness", "1"]):  # fmt: skip
            _refuses(run_cli(*command, env=env), 1, 2)
    assert a_file.read_text() == "not a folder\n"

    # Our application id, but not our tables: refused as damaged and left unchanged.
    history = heelcoach_home / "history.db"
    conn = sqlite3.connect(history)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    conn.execute("CREATE TABLE unrelated (x)")
    conn.commit()
    conn.close()
    before = sha256(history)
    for command in (["history"], ["log", "heel-drop", "--reps", "10"], ["export"]):
        _refuses(run_cli(*command), 1)
        assert sha256(history) == before
    history.unlink()

    # Rows that break a CHECK constraint (written by some other program).
    with open_store() as store:
        store.add_sets([make_set(n) for n in range(1, 4)])
    conn = sqlite3.connect(history)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE sets SET pain = 99, day = 'yesterday' WHERE set_number = 2")
    conn.execute("UPDATE sets SET reps = 'many' WHERE set_number = 3")
    conn.commit()
    conn.close()
    for command in (["history"], ["history", "--json"], ["export"]):
        _refuses(run_cli(*command), 1)  # they read the bad rows: refused as damaged
    conn = sqlite3.connect(history)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    conn.execute("UPDATE sets SET day = date('now'), reps = 10 WHERE set_number IN (2, 3)")
    conn.commit()
    conn.close()
    _refuses(run_cli("history"), 1)  # a pain of 99 alone is damage too, not "99/10"
    for command in (["stats"], ["plan"]):
        _refuses(run_cli(*command), 0, 1)  # they may not read them at all
