"""How the console script ends: with its documented exit code, all of its output, and
quietly when the reader of its output has gone.

Every case runs the real entry point (`python -m heelcoach`) in its own process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import a_set, open_store, run_process

ENTRY = "from heelcoach.frontends.cli.app import main; main()"


SETS = 4000


@pytest.fixture
def long_history() -> None:
    """About 1.5 MB of export: far more than a pipe holds at once."""
    start = datetime(2026, 1, 5, 8, tzinfo=UTC)
    with open_store() as store:
        store.add_sets(
            [
                a_set(date(2026, 1, 5) + timedelta(days=n // 4), start, note="x" * 200)
                for n in range(SETS)
            ]
        )


@pytest.mark.usefixtures("long_history")
def test_a_long_output_reaches_the_pipe_whole() -> None:
    result = run_process("export")
    assert result.returncode == 0, result.stderr
    kinds = [json.loads(line)["type"] for line in result.stdout.splitlines()]
    assert kinds.count("set") == SETS and kinds[0] == "header"
    assert result.stdout.endswith("\n")


def test_the_exit_code_is_kept() -> None:
    assert run_process("show", "no-such-exercise").returncode == 2
    assert run_process("--version").returncode == 0


def run_with(prelude: str) -> subprocess.CompletedProcess[str]:
    """`heelcoach --version` with `prelude` run first in the same process."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"{prelude}\nimport sys; sys.argv = ['heelcoach', '--version']\n{ENTRY}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )


def test_an_exit_handler_still_runs() -> None:
    result = run_with("import atexit; atexit.register(print, 'handler ran')")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [result.stdout.splitlines()[0], "handler ran"]


@pytest.mark.usefixtures("long_history")
def test_a_closed_pipe_is_a_quiet_end() -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "heelcoach", "export"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=dict(os.environ),
    )
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.read(10)
    reader.stdout.close()  # as `| head -c 10` does, long before the export ends
    assert reader.wait(timeout=60) == 0
    assert reader.stderr.read() == b""


def test_a_closed_stderr_still_ends_well() -> None:
    result = subprocess.run(
        ["sh", "-c", f"'{sys.executable}' -m heelcoach --version 2>&-"],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ),
    )
    assert result.returncode == 0 and result.stdout.startswith("heelcoach ")
