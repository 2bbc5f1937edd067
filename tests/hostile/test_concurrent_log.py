"""Many `log` calls at once never share a set number: it is worked out inside the write
transaction."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import open_store, run_cli

WRITERS = 40


def test_concurrent_logs_get_distinct_set_numbers(tmp_path: Path) -> None:
    assert run_cli("log", "heel-drop", "--reps", "1").returncode == 0  # the file exists
    go_read, go_write = os.pipe()
    children = []
    for _ in range(WRITERS):
        pid = os.fork()
        if pid == 0:  # a child: wait for the signal, log once, and leave at once
            code = 3
            try:
                os.close(go_write)
                os.read(go_read, 1)
                code = run_cli("log", "heel-drop", "--reps", "10").returncode
            finally:
                os._exit(code)
        children.append(pid)
    os.close(go_read)
    os.write(go_write, b"x" * WRITERS)  # every child wakes at once
    os.close(go_write)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    assert codes == [0] * WRITERS
    with open_store(create=False) as store:
        numbers = sorted(record.set_number for record in store.sets())
    assert numbers == list(range(1, WRITERS + 2))
