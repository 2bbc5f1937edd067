"""A clock heelcoach cannot trust gives one clear line that says so, and nothing is
written: past 2262 Python cannot read the clock at all (`datetime.now()` overflows), and a
clock in 1999 is before any date heelcoach keeps (the profile is not called damaged)."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from conftest import snapshot
from helpers import context, run_cli, write_answers

from heelcoach.frontends.cli.app import run

COMMANDS = (
    ["plan"], ["log", "heel-drop", "--reps", "10"], ["history"], ["export"], ["report"],
    ["checkin", "--pain", "1", "--stiffness", "1"], ["stats"],
)  # fmt: skip


def _run_at(clock: Callable[[], datetime], *args: str) -> tuple[int, str, str]:
    ctx = context(now=clock)
    out, err = ctx.stdout, ctx.stderr
    assert isinstance(out, io.StringIO) and isinstance(err, io.StringIO)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args), ctx)
    return code, out.getvalue(), err.getvalue()


def _past_2262() -> datetime:
    # What CPython's datetime.now() raises once the clock passes April 2262.
    raise OverflowError("timestamp too large to convert to C _PyTime_t")


def test_clocks_that_cannot_be_right_get_one_clear_line(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    before = snapshot(heelcoach_home)
    in_1999 = datetime(1999, 6, 1, 9).astimezone()
    for clock, words in ((_past_2262, "2262"), (lambda: in_1999, "1999-06-01")):
        for command in COMMANDS:
            code, _, stderr = _run_at(clock, *command)
            lines = stderr.strip().splitlines()
            assert code == 1 and len(lines) == 1, (command, code, stderr)
            assert words in stderr and "clock" in stderr, stderr
            assert "damaged" not in stderr and "internal error" not in stderr
    assert snapshot(heelcoach_home) == before
