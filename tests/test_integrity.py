"""The integrity promise: SQLite's own checks on every open, the whole one on demand.

These tests change the file between two runs the way another program or a failing disk
would, and expect the next run to refuse it and leave it as it was; `heelcoach check`
reads everything and says how to recover.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import as_nobody, assert_one_line_error, run_cli, write_answers

from heelcoach.domain.records import SetRecord
from heelcoach.storage.store import Store

NOTE = "x" * 300  # a few hundred sets this long fill several pages


def history(home: Path) -> Path:
    return home / "history.db"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def log_sets(count: int) -> None:
    for _ in range(count):
        result = run_cli("log", "heel-drop", "--reps", "10", "--note", NOTE, "--yes")
        assert result.returncode == 0, result.stderr


def damage_a_page(path: Path, page: int | None = None) -> int:
    """Overwrite one page of the database in place (same size), as a failing disk would."""
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    index = len(data) // size // 2 if page is None else page - 1
    data[index * size : (index + 1) * size] = random.Random(index).randbytes(size)
    with open(path, "r+b") as handle:
        handle.write(bytes(data))
    return index + 1


def test_a_file_damaged_between_two_runs_is_refused_unchanged(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    log_sets(40)
    path = history(heelcoach_home)
    assert run_cli("history").returncode == 0
    damage_a_page(path)
    before, when = digest(path), path.stat().st_mtime_ns
    for command in (["history"], ["plan"], ["stats"], ["export"], ["log", "heel-drop",
                    "--reps", "1"], ["checkin", "--pain", "1", "--stiffness", "1"]):  # fmt: skip
        result = run_cli(*command)
        assert_one_line_error(result, 1)
        assert "damaged" in result.stderr and ".recover" in result.stderr
        assert digest(path) == before and path.stat().st_mtime_ns == when


def test_damage_with_its_times_put_back_is_still_refused(heelcoach_home: Path) -> None:
    log_sets(40)
    path = history(heelcoach_home)
    info = path.stat()
    damage_a_page(path)
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))  # the change time still moves
    assert path.stat().st_mtime_ns == info.st_mtime_ns
    result = run_cli("history")
    assert_one_line_error(result, 1)
    assert "damaged" in result.stderr


def test_a_damaged_copy_is_refused(tmp_path: Path, heelcoach_home: Path) -> None:
    log_sets(40)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    damage_a_page(history(heelcoach_home))
    shutil.copy2(history(heelcoach_home), elsewhere / "history.db")  # times kept, a new file
    result = run_cli("history", env={"HEELCOACH_HOME": str(elsewhere)})
    assert_one_line_error(result, 1)
    assert "damaged" in result.stderr


# --------------------------------------------------------------------------- heelcoach check


def test_check_reads_a_whole_history(heelcoach_home: Path) -> None:
    assert "No history yet" in run_cli("check").stdout
    log_sets(3)
    assert run_cli("checkin", "--pain", "1", "--stiffness", "0").returncode == 0
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert "is whole" in result.stdout and "3 sets" in result.stdout
    assert "1 check-in," in result.stdout and "0 sessions" in result.stdout


def test_check_finds_damage_and_says_how_to_recover(heelcoach_home: Path) -> None:
    log_sets(40)
    path = history(heelcoach_home)
    damage_a_page(path)
    before = digest(path)
    result = run_cli("check")
    assert_one_line_error(result, 1)
    assert "damaged; nothing was changed" in result.stdout
    assert f"sqlite3 {path} .recover" in result.stdout and "heelcoach check" in result.stdout
    assert digest(path) == before


def test_check_finds_a_record_that_does_not_read_back(heelcoach_home: Path) -> None:
    log_sets(2)
    conn = sqlite3.connect(history(heelcoach_home))  # text where a count belongs
    conn.execute("UPDATE sets SET reps = 'ten' WHERE rowid = 1")
    conn.commit()
    conn.close()
    result = run_cli("check")
    assert_one_line_error(result, 1)
    assert "cannot be read" in result.stderr


def _read_only_scenario(base: Path) -> dict[str, object]:
    import io

    from heelcoach.context import Context
    from heelcoach.frontends.cli.app import run

    home = base / "home"
    home.mkdir(mode=0o700)
    with Store.open(history(home)) as db:
        db.add_sets([make_set()])
    home.chmod(0o500)
    try:
        with Store.open(history(home), create=False) as db:
            seen = {"writable": db.writable}
        out, err = io.StringIO(), io.StringIO()
        env = {"HEELCOACH_HOME": str(home), "HEELCOACH_CACHE_DIR": ""}
        code = run(["check"], Context.from_environment(env, stdout=out, stderr=err))
        files = sorted(path.name for path in home.iterdir())
        return {**seen, "code": code, "out": out.getvalue(), "err": err.getvalue(),
                "files": files}  # fmt: skip
    finally:
        home.chmod(0o700)


def make_set() -> SetRecord:
    moment = datetime(2025, 3, 4, 8, tzinfo=UTC)
    return SetRecord(SetRecord.new_uuid(), "heel-drop", 1, None, 10, None, None, None, 1,
                     moment.date(), moment, moment, None, "log")  # fmt: skip


def test_check_in_a_read_only_folder_reads_and_writes_nothing() -> None:
    base = Path(tempfile.mkdtemp(prefix="heelcoach-ro-"))
    try:
        result = as_nobody(_read_only_scenario, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if "skip" in result:
        pytest.skip(f"running as root and {result['skip']}; root ignores permissions")
    assert "crash" not in result, result
    assert result["writable"] is False
    assert result["code"] == 0, result
    assert "is whole" in str(result["out"])
    assert result["files"] == ["history.db"]
