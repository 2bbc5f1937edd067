"""Many `log` calls at once never share a set number: it is worked out inside the write
transaction."""

from __future__ import annotations

import os
from pathlib import Path

from helpers import open_store, run_cli

WRITERS = 50


def test_concurrent_logs_get_distinct_set_numbers(tmp_path: Path) -> None:
    assert run_cli("log", "heel-drop", "--reps", "1").returncode == 0  # the file exists
    assert _log_at_once(WRITERS) == []  # every writer saved its set
    with open_store(create=False) as store:
        numbers = sorted(record.set_number for record in store.sets())
    assert numbers == list(range(1, WRITERS + 2))


def _log_at_once(writers: int) -> list[tuple[int, str]]:
    """`writers` processes each log one set at the same instant: their exit codes, and
    the error line of any that failed."""
    go_read, go_write = os.pipe()
    errors_read, errors_write = os.pipe()
    children = []
    for _ in range(writers):
        pid = os.fork()
        if pid == 0:  # a child: wait for the signal, log once, and leave at once
            code = 3
            try:
                os.close(go_write)
                os.read(go_read, 1)
                result = run_cli("log", "heel-drop", "--reps", "10")
                code = result.returncode
                if code:
                    os.write(errors_write, result.stderr.encode()[:200])
            finally:
                os._exit(code)
        children.append(pid)
    os.close(go_read)
    os.close(errors_write)
    os.write(go_write, b"x" * writers)  # every child wakes at once
    os.close(go_write)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    with os.fdopen(errors_read, "rb") as errors:
        said = errors.read().decode(errors="replace")
    return [(code, said) for code in codes if code]


def test_a_crowd_of_first_logs_makes_one_history_and_loses_none() -> None:
    """Each makes the history whole under a name of its own and the first to finish puts
    it in place: none of them fails, or finds a half-made file."""
    for round_ in range(3):
        assert _log_at_once(WRITERS) == []
        with open_store(create=False) as store:
            assert store.count_sets() == WRITERS
        if round_ < 2:
            for path in Path(os.environ["HEELCOACH_HOME"]).iterdir():
                path.unlink()  # the next round starts from no history again
