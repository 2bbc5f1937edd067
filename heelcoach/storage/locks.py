"""The locks a live session holds while it runs (`flock`: the kernel releases them however
the process ends, so a lock left behind never blocks anyone).

One, in the data folder, lets only one live session run at a time: two would both save,
and the same training would count twice. Another, beside the history, tells a writer that
finds the session still "running" whether its process is alive; when nobody holds it the
process is gone (a kill -9, a power cut) and the session is marked "interrupted".
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from heelcoach.errors import Refused
from heelcoach.files import LIVE_LOCK_NAME, PRIVATE_FILE_MODE, os_error


def lock_path(path: Path, session_id: str) -> Path:
    return path.with_name(f".{path.name}-session-{session_id}.lock")


def session_lock_files(path: Path) -> list[Path]:
    """The lock files of live sessions beside the history at `path` (for `forget`)."""
    return sorted(path.parent.glob(f".{path.name}-session-*.lock"))


class NoLocking(Exception):
    """The file system cannot lock files (some network folders): fall back to the clock."""


def take_lock(lock: Path, *, create: bool) -> int | None:
    """An exclusive lock on `lock`, or None when another process holds it (or it is gone);
    `NoLocking` when locks cannot be taken there at all."""
    import fcntl

    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC | (os.O_CREAT if create else 0)
    try:
        fd = os.open(lock, flags, PRIVATE_FILE_MODE)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # held by a live process
        os.close(fd)
        return None
    except OSError:
        os.close(fd)
        raise NoLocking from None
    return fd


@contextmanager
def live_session(data_dir: Path) -> Iterator[None]:
    """Hold the live-session lock while the block runs; Refused (exit 1) when another
    session holds it."""
    path = data_dir / LIVE_LOCK_NAME
    try:
        fd = take_lock(path, create=True)
    except NoLocking:  # this file system cannot lock: nothing tells two sessions apart
        fd = -1
    except OSError as error:
        raise os_error(path, error, "lock") from None
    if fd is None:
        raise Refused(
            "a live session is already running (in another terminal or window): finish it first"
        )
    try:
        yield
    finally:
        if fd >= 0:
            os.close(fd)  # closing the last descriptor releases the lock
