"""SQLite and OS failures as the one line a person can act on.

Every failure the user can do something about (a read-only folder, a full disk, a busy or
damaged history) becomes a `Refused` (or `BadInput`) naming the path and what to do; a
programming error keeps its traceback.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from heelcoach.errors import BadInput, HeelcoachError, Refused

MIN_FREE_BYTES = 256 * 1024  # less free space than this: read without writing anything
_NO_ACCESS = {
    sqlite3.SQLITE_READONLY,
    sqlite3.SQLITE_PERM,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_AUTH,
}


def one_line(text: str) -> str:
    """Errors are shown as one line on stderr; never let a path or detail break that."""
    return " ".join(str(text).splitlines()).strip()


def refused(message: str) -> Refused:
    return Refused(one_line(message))


class Damaged(Refused):
    """The history (or its write-ahead log) cannot be read whole; `findings` lists what
    SQLite's check reported, for `heelcoach check`."""

    def __init__(self, message: str, findings: tuple[str, ...]) -> None:
        super().__init__(one_line(message))
        self.findings = findings


def damaged(path: Path, detail: str, findings: tuple[str, ...] = ()) -> Damaged:
    return Damaged(
        f"the history file {path} is damaged ({detail}) and was left untouched; keep a copy"
        f" of it, then recover what you can with `sqlite3 {path} .recover | sqlite3"
        " recovered.db` or move it aside to start a new history",
        findings or (detail,),
    )


def emptied(path: Path) -> Damaged:
    """The history file holds nothing at all: cut short by a failed copy or another program
    (heelcoach only ever puts a whole database there)."""
    return Damaged(
        f"the history file {path} is damaged (it is empty: 0 bytes) and was left untouched;"
        " move it aside, then restore your latest backup with `heelcoach import FILE`",
        ("the file is empty",),
    )


def bad_journal(path: Path, valid: bool) -> Refused:
    journal = path.with_name(path.name + "-journal")
    if valid:
        return refused(
            f"{journal} holds an unfinished change to the history {path}; keep a copy of both,"
            f" then let SQLite finish it with `sqlite3 {path} 'PRAGMA quick_check'`"
        )
    return refused(
        f"{journal} beside the history {path} is not an SQLite journal (damaged or left by"
        f" another program); both were left untouched: keep a copy, then move {journal.name}"
        " aside"
    )


def foreign(path: Path, detail: str) -> Refused:
    return refused(
        f"{path} is not a heelcoach history ({detail}) and was left untouched; move it"
        " elsewhere or set HEELCOACH_HOME to another folder"
    )


def no_access(path: Path, detail: str) -> Refused:
    return refused(
        f"cannot write the history at {path} ({detail}); make it and its folder {path.parent}"
        " writable by you (chmod u+w), or set HEELCOACH_HOME to a writable folder"
    )


def disk_full(path: Path) -> Refused:
    return refused(
        f"the disk holding {path} is full, so this change was not saved (history already"
        " stored is intact); free some space and try again"
    )


def read_only_disk(path: Path) -> Refused:
    return refused(
        f"cannot write the history at {path}: the disk is read-only (what is stored can"
        " still be read and exported); set HEELCOACH_HOME to a folder on a writable disk"
    )


def space_problem(path: Path) -> Refused | None:
    """Disk full or read-only medium at `path`'s folder, as SQLite cannot always tell."""
    try:
        info = os.statvfs(path.parent)
    except OSError:
        return None
    if info.f_flag & os.ST_RDONLY:
        return read_only_disk(path)
    if info.f_bavail * info.f_frsize < MIN_FREE_BYTES:
        return disk_full(path)
    return None


def from_sqlite(path: Path, exc: sqlite3.Error) -> HeelcoachError | None:
    """The user-facing error for a SQLite failure, or None for a programming error."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # ProgrammingError, InterfaceError...: a bug, keep the traceback
        return None
    primary = code & 0xFF
    detail = str(exc)
    if primary == sqlite3.SQLITE_FULL:
        return disk_full(path)
    if primary in _NO_ACCESS or primary == sqlite3.SQLITE_IOERR:
        space = space_problem(path)
        if space is not None:
            return space
    if primary in _NO_ACCESS:
        return no_access(path, detail)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return refused(
            f"the history at {path} is busy in another heelcoach process ({detail}); let it"
            " finish and try again"
        )
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or (
        primary == sqlite3.SQLITE_ERROR and "no such" in detail  # a table or column gone
    ):
        return damaged(path, detail)
    if primary == sqlite3.SQLITE_IOERR:
        return refused(
            f"could not read or write the history at {path} ({detail}); check the disk and"
            " its permissions, then try again"
        )
    if isinstance(exc, sqlite3.IntegrityError):
        return BadInput(one_line(f"a value does not fit the history at {path} ({detail})"))
    return None


def from_os(path: Path, exc: OSError) -> HeelcoachError:
    detail = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full(path)
    if exc.errno == errno.EROFS:
        return read_only_disk(path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return no_access(path, detail)
    if exc.errno == errno.ENOTDIR:
        return BadInput(f"{path.parent} is not a folder; set HEELCOACH_HOME to a folder")
    return refused(f"could not use the history at {path} ({detail}); check the disk and try again")


@contextmanager
def translated(path: Path) -> Iterator[None]:
    """Turn SQLite and OS failures the user can act on into one-line HeelcoachErrors."""
    try:
        yield
    except sqlite3.Error as exc:
        friendly = from_sqlite(path, exc)
        if friendly is None:
            raise
        raise friendly from exc
    except OSError as exc:
        raise from_os(path, exc) from exc


def decoded(path: Path, decode: Callable[[Any], Any], rows: Iterable[Any]) -> list[Any]:
    """Rows as records; a row that does not decode means the file is damaged."""
    try:
        return [decode(row) for row in rows]
    except (ValueError, TypeError, OverflowError) as exc:
        raise damaged(path, f"a stored record cannot be read: {exc}") from None
