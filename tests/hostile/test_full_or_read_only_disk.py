"""On a full disk or a read-only medium the read commands still work (a backup can be
exported elsewhere), and every write refuses with one line and exit 1."""

from __future__ import annotations

import errno
import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import fill, make_set
from helpers import assert_one_line_error, run_cli, write_answers

from heelcoach.storage.store import Store


def _reads_still_work(env: dict[str, str], outside: Path, count: int, home: Path) -> None:
    names = sorted(p.name for p in home.iterdir())
    history = run_cli("history", "--json", "--limit", "0", env=env)
    assert history.returncode == 0, history.stderr
    assert len(json.loads(history.stdout)) == count
    for command in (["stats", "--json"], ["history"], ["plan", "--json"]):
        result = run_cli(*command, env=env)
        assert result.returncode == 0, (command, result.stderr)
    backup = outside / "backup.jsonl"
    result = run_cli("export", "-o", str(backup), env=env)
    assert result.returncode == 0, result.stderr
    assert sum('"set"' in line for line in backup.read_text().splitlines()) == count
    assert sorted(p.name for p in home.iterdir()) == names  # reads create nothing


def test_reads_work_on_a_full_or_read_only_disk_and_writes_refuse_cleanly(
    small_disk: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = write_answers(tmp_path)
    # The profile cannot be written (full disk, read-only medium): one line, exit 1.
    for code in (errno.ENOSPC, errno.EROFS):

        def fail(fd: int, code: int = code) -> None:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "fsync", fail)
        result = run_cli("screen", "--answers", str(answers))
        assert_one_line_error(result, 1)
        monkeypatch.undo()

    if small_disk is None:
        pytest.skip("cannot mount a small file system here (needs privileges)")
    home = small_disk / "home"
    env = {"HEELCOACH_HOME": str(home)}
    assert run_cli("screen", "--answers", str(answers), env=env).returncode == 0
    with Store.open(home / "history.db") as store:
        store.add_sets([make_set(n) for n in range(1, 41)])

    fill(small_disk)
    _reads_still_work(env, tmp_path, 40, home)
    for command in (["log", "heel-drop", "--reps", "10"], ["screen", "--answers", str(answers)],
                    ["undo", "--yes"]):  # fmt: skip
        result = run_cli(*command, env=env)
        assert_one_line_error(result, 1)
        assert "is full" in result.stderr, (command, result.stderr)

    (small_disk / "filler").unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    _reads_still_work(env, tmp_path, 40, home)
    for command in (["log", "heel-drop", "--reps", "10"], ["screen", "--answers", str(answers)]):
        result = run_cli(*command, env=env)
        assert_one_line_error(result, 1)
        assert "read-only" in result.stderr or "writable" in result.stderr
