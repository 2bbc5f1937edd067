"""A damaged write-ahead log is refused and left as it is: no read command cuts it short
(losing commits), and a garbage `-wal` is never deleted."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from conftest import make_set, sha256
from helpers import assert_one_line_error, run_cli

from heelcoach.storage.store import Store

FRAME_HEADER = 24
WAL_HEADER = 32


def _crashed_history(source: Path, home: Path, commits: int) -> Path:
    """A history as a crash leaves it: the database, its -wal of `commits` commits, -shm."""
    with Store.open(source) as first:
        first.add_sets([make_set(n) for n in range(1, 30)])
    live = Store.open(source)
    for n in range(commits):
        live.add_set(make_set(100 + n, note=f"commit {n}"))
    for name in ("history.db", "history.db-wal", "history.db-shm"):
        shutil.copyfile(source.parent / name, home / name)
    live.close()
    return home / "history.db-wal"


def test_a_wal_that_cannot_be_read_whole_is_refused_and_kept(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    source = tmp_path / "live" / "history.db"
    wal = _crashed_history(source, heelcoach_home, commits=20)
    page_size = int.from_bytes(wal.read_bytes()[8:12], "big")
    frames = (wal.stat().st_size - WAL_HEADER) // (FRAME_HEADER + page_size)
    assert frames >= 20
    data = bytearray(wal.read_bytes())
    middle = WAL_HEADER + (frames // 2) * (FRAME_HEADER + page_size) + FRAME_HEADER + 200
    data[middle : middle + 16] = bytes(b ^ 0xFF for b in data[middle : middle + 16])  # bad bytes
    wal.write_bytes(bytes(data))
    before = {name: sha256(heelcoach_home / name) for name in ("history.db", "history.db-wal")}
    for command in (["history", "--json"], ["stats"], ["export"], ["log", "heel-drop",
                    "--reps", "1"]):  # fmt: skip
        result = run_cli(*command)
        assert_one_line_error(result, 1)
        assert "damaged" in result.stderr and "history.db-wal" in result.stderr
        assert {n: sha256(heelcoach_home / n) for n in before} == before

    # A -wal of garbage beside a clean history: refused, never deleted.
    for name in ("history.db-wal", "history.db-shm"):
        (heelcoach_home / name).unlink()
    garbage = os.urandom(3 * 4096 + 100)
    wal.write_bytes(garbage)
    for command in (["history"], ["log", "heel-drop", "--reps", "1"]):
        result = run_cli(*command)
        assert_one_line_error(result, 1)
        assert "history.db-wal" in result.stderr
        assert wal.read_bytes() == garbage

    # Once the -wal is moved aside (as the message says), the history opens again.
    wal.rename(tmp_path / "kept-wal")
    assert len(json.loads(run_cli("history", "--json", "--limit", "0").stdout)) >= 29
