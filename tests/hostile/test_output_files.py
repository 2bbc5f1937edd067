"""Every output file (`--events`, `report --output`, `export --output`) is opened one way:
private (0600) whatever was there before, never through a link planted at its path, never
inside the data folder. Writing it, or stdout, can fail (a full disk, `> /dev/full`, a
FIFO whose reader left): one line saying so and a documented exit code; a live session
goes on without its events, and what `log` saved is said to be saved."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import fill, make_set, snapshot
from helpers import assert_one_line_error, context, open_store, run_cli, write_answers

from heelcoach.frontends.cli.app import run
from heelcoach.frontends.live import runner

SECRET = "the attacker wants this file\n"
DEMO = ("start", "--plain", "--speed", "100", "--exercise", "calf-stretch")


@pytest.fixture
def screened(tmp_path: Path, heelcoach_home: Path) -> Path:
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    return heelcoach_home


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _outputs(target: Path) -> list[list[str]]:
    return [
        [*DEMO, "--events", str(target)],
        ["report", "--output", str(target.with_suffix(".html"))],
        ["export", "--output", str(target.with_suffix(".jsonl"))],
        ["export", "--format", "csv", "--output", str(target.with_suffix(".csv"))],
    ]


def test_an_output_is_private_and_never_written_through_a_link(
    tmp_path: Path, screened: Path
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    for command in _outputs(shared / "out"):
        target = Path(command[-1])
        target.write_text("", encoding="utf-8")
        target.chmod(0o644)  # made earlier by someone else's umask
        result = run_cli(*command)
        assert result.returncode == 0, (command, result.stderr)
        assert _mode(target) == 0o600, command
        assert target.stat().st_size > 0

    victim = tmp_path / "victim.txt"
    victim.write_text(SECRET, encoding="utf-8")
    victim.chmod(0o644)
    for command in _outputs(tmp_path / "planted"):
        link = Path(command[-1])
        link.symlink_to(victim)
        result = run_cli(*command)
        assert_one_line_error(result, 2)
        assert "link" in result.stderr
        assert link.is_symlink() and victim.read_text(encoding="utf-8") == SECRET
    link = tmp_path / "planted.wav"
    link.symlink_to(victim)
    result = run_cli(*DEMO, "--listen", "--record", str(link))  # a recording is health data too
    assert_one_line_error(result, 2)
    assert "link" in result.stderr and victim.read_text(encoding="utf-8") == SECRET
    assert _mode(victim) == 0o644


def test_no_output_lands_in_the_data_folder(screened: Path) -> None:
    (screened / "exercises").mkdir()
    before = snapshot(screened), snapshot(screened / "exercises")
    for command in _outputs(screened / "exercises" / "report"):
        result = run_cli(*command)
        assert_one_line_error(result, 2)
        assert "data folder" in result.stderr
    for command in _outputs(screened / "backup"):
        assert_one_line_error(run_cli(*command), 2)
    assert (snapshot(screened), snapshot(screened / "exercises")) == before
    assert run_cli("export").returncode == 0  # the sets are still there to back up


def _process(*args: str, stdout: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "heelcoach", *args]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=60)


def test_a_full_disk_behind_stdout_or_events_is_one_line_and_loses_nothing(
    screened: Path,
) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here to stand for a full disk")
    with open("/dev/full", "w") as full:
        result = _process("export", stdout=full)
        assert_one_line_error(result, 1)
        assert "could not write the output" in result.stderr
        result = _process("log", "heel-drop", "--reps", "7", stdout=full)
        assert_one_line_error(result, 4)
        assert "Saved 1 set of Heel drop (7 reps)" in result.stderr
        assert "not run the command again" in result.stderr
    sets = json.loads(run_cli("history", "--json").stdout)
    assert sorted(row["reps"] for row in sets) == [7, 10]  # saved once, not lost

    result = run_cli(*DEMO, "--events", "/dev/full")
    assert result.returncode == 0, result.stderr
    assert "Demo complete" in result.stdout  # the session ran to its end
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--events stopped" in lines[0], result.stderr


class _ReaderLeaves:
    """Scripted keys on a fake clock whose FIFO reader goes away after `leave_at` s."""

    def __init__(self, reader: int, leave_at: float) -> None:
        self.now, self.reader, self.leave_at, self.interactive = 0.0, reader, leave_at, False

    def clock(self) -> float:
        return self.now

    def read(self, timeout: float) -> str | None:
        if self.reader >= 0 and self.now >= self.leave_at:
            os.close(self.reader)
            self.reader = -1
        self.now += timeout
        return None


@contextlib.contextmanager
def _fifo(path: Path) -> Iterator[int]:
    os.mkfifo(path, 0o600)
    reader = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    yield reader


def test_a_fifo_whose_reader_leaves_stops_the_events_not_the_session(
    tmp_path: Path, screened: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _fifo(tmp_path / "events") as reader:
        keys = _ReaderLeaves(reader, leave_at=20.0)
        monkeypatch.setattr(runner, "default_clock", keys.clock)
        monkeypatch.setattr(runner, "default_keys", lambda: contextlib.nullcontext(keys))
        ctx = context()
        out, err = ctx.stdout, ctx.stderr
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):  # type: ignore[arg-type]
            code = run(["start", "--plain", "--exercise", "calf-stretch", "--events",
                        str(tmp_path / "events")], ctx)  # fmt: skip
    shown, said = out.getvalue(), err.getvalue()  # type: ignore[attr-defined]
    assert keys.reader == -1, "the reader never left"
    assert code == 0, said
    assert "Session complete" in shown or "2 sets saved" in shown, shown
    assert "--events stopped" in said and "session went on" in said
    stretches = [r for r in json.loads(run_cli("history", "--json").stdout)
                 if r["exercise"] == "calf-stretch"]  # fmt: skip
    assert len(stretches) == 2  # both sets, the ones after the reader left included


def test_an_output_that_does_not_fit_leaves_nothing_behind(
    screened: Path, small_disk: Path | None
) -> None:
    if small_disk is None:
        pytest.skip("cannot mount a small file system here (needs privileges)")
    with open_store() as store:
        store.add_sets([make_set(n % 50 + 1, note="padding " * 50) for n in range(2000)])
    spacer = small_disk / "spacer"
    spacer.write_bytes(b"\0" * 65536)
    fill(small_disk)
    spacer.unlink()  # room to begin the backup, not to finish it
    before = sorted(p.name for p in small_disk.iterdir())
    result = run_cli("export", "--output", str(small_disk / "backup.jsonl"))
    assert_one_line_error(result, 1)
    assert "full" in result.stderr
    assert sorted(p.name for p in small_disk.iterdir()) == before  # no partial backup
