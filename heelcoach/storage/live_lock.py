"""One live session at a time: an advisory lock on a file in the data folder, held for as
long as a session runs.

Two sessions at once would both save, and the same training would be counted twice. The
lock is the kernel's (`flock`), so it goes with the process however that ends (a crash, a
closed terminal, `kill -9`): a lock left behind never blocks the next session. The file
itself is empty and stays, owner-only, beside the history.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from heelcoach.errors import Refused
from heelcoach.files import LIVE_LOCK_NAME, os_error

ALREADY_RUNNING = (
    "a live session is already running (in another terminal or window): finish it first"
)


@contextmanager
def live_session(data_dir: Path) -> Iterator[None]:
    """Hold the lock while the block runs; Refused (exit 1) when another session has it."""
    path = data_dir / LIVE_LOCK_NAME
    try:
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as error:
        raise os_error(path, error, "lock") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Refused(ALREADY_RUNNING) from None
        yield
    finally:
        os.close(handle)  # closing the last descriptor releases the lock
