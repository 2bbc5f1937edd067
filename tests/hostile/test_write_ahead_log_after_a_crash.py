"""A history a crash left with its write-ahead log not yet folded in: every commit in the
log is read (SQLite's own recovery), none is lost."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import make_set
from helpers import run_cli

from heelcoach.storage.store import Store


def _crashed_history(source: Path, home: Path, commits: int) -> Path:
    """A history as a crash leaves it: the database, its -wal of `commits` commits, -shm."""
    with Store.open(source) as first:
        first.add_sets([make_set(n) for n in range(1, 30)])
    live = Store.open(source)
    for n in range(commits):
        live.add_sets([make_set(100 + n, note=f"commit {n}")])
    for name in ("history.db", "history.db-wal", "history.db-shm"):
        shutil.copyfile(source.parent / name, home / name)
    live.close()
    return home / "history.db-wal"


def test_every_commit_in_the_log_a_crash_left_is_read(tmp_path: Path, heelcoach_home: Path) -> None:
    source = tmp_path / "live" / "history.db"
    wal = _crashed_history(source, heelcoach_home, commits=20)
    assert wal.stat().st_size > 0
    shown = json.loads(run_cli("history", "--json", "--limit", "0").stdout)
    assert len(shown) == 29 + 20
    assert {f"commit {n}" for n in range(20)} <= {row["note"] for row in shown}
    result = run_cli("log", "heel-drop", "--reps", "1")  # and it is written on as usual
    assert result.returncode == 0, result.stderr
    assert len(json.loads(run_cli("history", "--json", "--limit", "0").stdout)) == 29 + 21
