"""The integrity promise without reading the whole file on every command.

heelcoach notes beside the history (`history.db-verified`) how the files looked when it
last checked them or wrote them itself; an open that finds them so skips SQLite's page
checks, and any other state gets them first. These tests change the file between two
runs the way another program or a failing disk would, and expect the next run to refuse
it and leave it as it was; `heelcoach check` always reads everything.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import as_nobody, assert_one_line_error, open_store, run_cli, write_answers

from heelcoach.domain.records import CheckIn, SetRecord
from heelcoach.storage import store as store_module
from heelcoach.storage.store import Store

NOTE = "x" * 300  # a few hundred sets this long fill several pages


def history(home: Path) -> Path:
    return home / "history.db"


def stamp(home: Path) -> Path:
    return home / "history.db-verified"


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


@pytest.fixture
def inspections(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Each time an open reads the pages through SQLite's checks: whether it was the full one."""
    seen: list[bool] = []
    real = store_module._inspect

    def counting(path: Path, *, full: bool = False) -> None:
        seen.append(full)
        real(path, full=full)

    monkeypatch.setattr(store_module, "_inspect", counting)
    yield seen


def test_a_file_heelcoach_left_is_not_read_through_again(
    heelcoach_home: Path, inspections: list[bool]
) -> None:
    log_sets(3)
    assert stamp(heelcoach_home).is_file()
    assert inspections == []  # heelcoach made it and wrote it: nothing to re-check
    for command in (["history"], ["stats"], ["log", "heel-drop", "--reps", "5"]):
        assert run_cli(*command).returncode == 0
    assert inspections == []


def test_a_file_changed_outside_is_checked_once_then_trusted(
    heelcoach_home: Path, inspections: list[bool]
) -> None:
    log_sets(2)
    conn = sqlite3.connect(history(heelcoach_home))  # another program, a valid change
    conn.execute("UPDATE sets SET note = 'edited by hand'")
    conn.commit()
    conn.close()
    assert run_cli("history").returncode == 0
    assert inspections == [False]  # the quick check of every page, once
    assert run_cli("history").returncode == 0
    assert inspections == [False]


def foreign_edit(home: Path) -> None:
    """Another program changes a valid history, as SQLite allows."""
    conn = sqlite3.connect(history(home))
    conn.execute("UPDATE sets SET note = 'edited by hand'")
    conn.commit()
    conn.close()


def test_a_change_made_while_heelcoach_has_the_file_open_is_never_noted_as_checked(
    heelcoach_home: Path, inspections: list[bool]
) -> None:
    log_sets(2)
    reader = open_store(create=False)  # as a read command holds it
    foreign_edit(heelcoach_home)
    reader.close()
    assert run_cli("history").returncode == 0
    assert inspections == [False]  # the next command reads it through


def test_a_change_between_a_live_sessions_writes_is_never_noted_as_checked(
    heelcoach_home: Path, inspections: list[bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    log_sets(2)
    monkeypatch.setattr(store_module, "RESTAMP_AFTER_SECONDS", 0.0)  # a long session
    with open_store() as live:
        live.save_checkin(CheckIn(date.today(), 1, 1, datetime.now(UTC)))
        foreign_edit(heelcoach_home)
        live.save_checkin(CheckIn(date.today(), 2, 1, datetime.now(UTC)))
        assert not live.checkpoints_usable
    assert run_cli("history").returncode == 0
    assert inspections == [False]


def test_checkpoints_that_could_not_be_dropped_are_never_trusted_later(
    heelcoach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log_sets(2)
    foreign_edit(heelcoach_home)
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.05)
    blocker = sqlite3.connect(history(heelcoach_home), isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock: no DELETE possible
    try:
        with open_store() as first:
            assert first.changed_outside and not first.checkpoints_usable
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with open_store() as second:
        assert second.changed_outside  # still "changed outside": its checkpoints go now


def test_a_file_damaged_between_two_runs_is_refused_unchanged(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    log_sets(40)
    path = history(heelcoach_home)
    assert run_cli("history").returncode == 0
    noted = stamp(heelcoach_home).read_text()
    damage_a_page(path)
    before, when = digest(path), path.stat().st_mtime_ns
    for command in (
        ["history"],
        ["plan"],
        ["stats"],
        ["export"],
        ["log", "heel-drop", "--reps", "1"],
        ["checkin", "--pain", "1", "--stiffness", "1"],
    ):
        result = run_cli(*command)
        assert_one_line_error(result, 1)
        assert "damaged" in result.stderr and ".recover" in result.stderr
        assert digest(path) == before and path.stat().st_mtime_ns == when
    assert stamp(heelcoach_home).read_text() == noted  # never blessed


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


def test_a_damaged_copy_with_its_stamp_is_refused(tmp_path: Path, heelcoach_home: Path) -> None:
    log_sets(40)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    damage_a_page(history(heelcoach_home))
    for name in ("history.db", "history.db-verified"):
        shutil.copy2(heelcoach_home / name, elsewhere / name)  # times kept, a new file
    result = run_cli("history", env={"HEELCOACH_HOME": str(elsewhere)})
    assert_one_line_error(result, 1)
    assert "damaged" in result.stderr


def test_a_log_damaged_while_a_session_writes_is_refused(heelcoach_home: Path) -> None:
    log_sets(3)
    live = open_store()  # a live session in another terminal: its log is not folded yet
    try:
        for n in range(20):
            assert run_cli("log", "heel-drop", "--reps", str(n + 1)).returncode == 0
            live.add_sets(
                [live.latest_logged_set()._replace(uuid=f"{n:08d}-0000-4000-8000-000000000000")]
            )
        wal = heelcoach_home / "history.db-wal"
        assert wal.stat().st_size > 4096 * 4
        assert run_cli("history").returncode == 0  # as it is: trusted
        data = bytearray(wal.read_bytes())
        middle = 32 + (len(data) // 4096 // 2) * (4096 + 24) + 24 + 100
        data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])
        with open(wal, "r+b") as handle:
            handle.write(bytes(data))
        before = digest(wal)
        result = run_cli("history")
        assert_one_line_error(result, 1)
        assert "write-ahead log" in result.stderr
        assert digest(wal) == before
    finally:
        live._conn.close()  # as if the session was killed: no folding of the damaged log
        live._conn = None  # type: ignore[assignment]


def test_a_stamp_that_is_garbage_or_no_file_only_costs_a_check(
    heelcoach_home: Path, inspections: list[bool]
) -> None:
    log_sets(2)
    stamp(heelcoach_home).write_bytes(os.urandom(300))
    assert run_cli("history").returncode == 0
    stamp(heelcoach_home).unlink()
    os.mkfifo(stamp(heelcoach_home))  # would block a careless reader
    assert run_cli("history").returncode == 0
    assert inspections == [False, False]


# --------------------------------------------------------------------------- heelcoach check


def test_check_reads_a_whole_history(heelcoach_home: Path, inspections: list[bool]) -> None:
    assert "No history yet" in run_cli("check").stdout
    log_sets(3)
    assert run_cli("checkin", "--pain", "1", "--stiffness", "0").returncode == 0
    result = run_cli("check")
    assert result.returncode == 0, result.stderr
    assert "is whole" in result.stdout and "3 sets" in result.stdout
    assert "1 check-in," in result.stdout and "0 sessions" in result.stdout
    assert inspections == [True]  # always the full check, even of a file heelcoach left


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
    assert not stamp(heelcoach_home).exists()  # the next command checks again


def _read_only_scenario(base: Path) -> dict[str, object]:
    import io

    from heelcoach.context import Context
    from heelcoach.frontends.cli.app import run

    home = base / "home"
    home.mkdir(mode=0o700)
    with Store.open(history(home)) as db:
        db.add_sets([make_set()])
    stamp(home).unlink()  # as if another program had changed the file
    home.chmod(0o500)
    try:
        with Store.open(history(home), create=False) as db:
            seen = {"writable": db.writable, "changed": db.changed_outside}
        out, err = io.StringIO(), io.StringIO()
        env = {"HEELCOACH_HOME": str(home), "HEELCOACH_CACHE_DIR": ""}
        code = run(["check"], Context.from_environment(env, stdout=out, stderr=err))
        return {
            **seen,
            "code": code,
            "out": out.getvalue(),
            "err": err.getvalue(),
            "stamp": stamp(home).exists(),
        }
    finally:
        home.chmod(0o700)


def make_set() -> SetRecord:
    moment = datetime(2025, 3, 4, 8, tzinfo=UTC)
    return SetRecord(
        SetRecord.new_uuid(),
        "heel-drop",
        1,
        None,
        10,
        None,
        None,
        None,
        1,
        moment.date(),
        moment,
        moment,
        None,
        "log",
    )


def test_check_in_a_read_only_folder_reads_and_notes_nothing() -> None:
    base = Path(tempfile.mkdtemp(prefix="heelcoach-ro-"))
    try:
        result = as_nobody(_read_only_scenario, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if "skip" in result:
        pytest.skip(f"running as root and {result['skip']}; root ignores permissions")
    assert "crash" not in result, result
    assert result["writable"] is False and result["changed"] is True
    assert result["code"] == 0, result
    assert "is whole" in str(result["out"]) and "checks it again" in str(result["out"])
    assert result["stamp"] is False
