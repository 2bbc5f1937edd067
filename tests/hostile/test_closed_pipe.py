"""`heelcoach export --format csv | head -1` ends quietly with exit 0: no "Exception
ignored", no traceback."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import make_set
from helpers import open_store


def test_a_closed_pipe_ends_quietly() -> None:
    with open_store() as store:
        store.add_sets([make_set(n % 50 + 1, note="padding " * 20) for n in range(3000)])
    for fmt in ("csv", "jsonl"):
        reader = subprocess.Popen(
            [sys.executable, "-m", "heelcoach", "export", "--format", fmt],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=dict(os.environ),
        )
        assert reader.stdout is not None and reader.stderr is not None
        assert reader.stdout.readline()
        reader.stdout.close()  # as `| head -1` does
        code = reader.wait(timeout=30)
        stderr = reader.stderr.read().decode()
        reader.stderr.close()
        assert code in (0, 141), (code, stderr)
        assert stderr == "", stderr
