"""The locks a live session holds beside the history, so others can tell it is alive.

A live session holds a lock on a small file beside the history while it runs (`flock`,
released by the kernel however the process ends). A writer that opens the history and
finds a session still "running" whose lock nobody holds knows its process is gone (a
kill -9, a power cut) and marks it "interrupted".
"""

from __future__ import annotations

import os
from pathlib import Path

from heelcoach.files import PRIVATE_FILE_MODE


def lock_path(path: Path, session_id: str) -> Path:
    return path.with_name(f".{path.name}-session-{session_id}.lock")


def session_lock_files(path: Path) -> list[Path]:
    """The lock files of live sessions beside the history at `path` (for `forget`)."""
    prefix = f".{path.name}-session-"
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return sorted(path.parent / n for n in names if n.startswith(prefix) and n.endswith(".lock"))


class NoLocking(Exception):
    """The file system cannot lock files (some network folders): fall back to the clock."""


def take_lock(lock: Path, *, create: bool) -> int | None:
    """An exclusive lock on `lock`, or None when another process holds it (or it is gone);
    `NoLocking` when locks cannot be taken there at all."""
    import fcntl

    flags = os.O_RDWR | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    if create:
        flags |= os.O_CREAT
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
