"""Opening the history file: what is checked before anything is written, and how.

* A new history is built whole under a temporary name and only then linked in, so a
  `history.db` always holds a database: one that is empty or cut short is damage to
  report, never a file to start again in.
* An existing file is checked without writing to it (switching to WAL and migrating both
  write): its header, a leftover `-journal`, then SQLite's own checks. A damaged, foreign or
  too-new file is refused with one line and left unchanged; the person's only copy of their
  history is never "repaired" into an empty database.
* Where nothing can be written (folder, medium, a full disk) a read command opens the file
  read-only, creating nothing, so a backup can still be exported.
* Files are owner-only: created under a 077 umask (SQLite gives its `-wal`/`-shm` the
  database's mode), and existing ones only lose group/other bits.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

from heelcoach.errors import BadInput, HeelcoachError
from heelcoach.files import create_temp, sidecars
from heelcoach.storage.failures import (
    bad_journal,
    damaged,
    emptied,
    foreign,
    from_os,
    from_sqlite,
    refused,
    space_problem,
    translated,
)
from heelcoach.storage.schema import apply_migrations, check_identity

SQLITE_HEADER = b"SQLite format 3\x00"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # the first bytes of a rollback journal
BUSY_TIMEOUT_SECONDS = 10.0  # how long a writer waits for another process's transaction
# SQLite's quick check reads every page, so an everyday command runs it only while the
# history is small enough for that to go unnoticed (the first year or so of training);
# beyond it `heelcoach check` runs the whole check, and SQLite still refuses any damaged
# page a command reads.
QUICK_CHECK_MAX_BYTES = 2 << 20


@contextmanager
def private_umask() -> Iterator[None]:
    # Anything created while opening (the database, -wal, -shm) is owner-only from birth.
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def probe(path: Path) -> os.stat_result | None:
    """The file's status, None when there is no file; anything else the person can act on."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise BadInput(f"{path.parent} is not a folder; set HEELCOACH_HOME to a folder") from None
    except OSError as exc:
        raise refused(
            f"cannot read the history at {path} ({exc.strerror}); make its folder"
            f" {path.parent} readable by you, or set HEELCOACH_HOME to another folder"
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise foreign(path, "not a regular file")
    return info


def create_history(path: Path) -> None:
    """Build an empty history beside `path` and link it in as `path`, unless another
    process got there first (then its file is used)."""
    fd, tmp = create_temp(path)
    os.close(fd)
    try:
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            apply_migrations(conn)
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()  # the last connection: the log is folded in and removed
        with suppress(FileExistsError):  # another process made it first: use theirs
            os.link(tmp, path)
    finally:
        for leftover in (tmp, *sidecars(tmp)):
            leftover.unlink(missing_ok=True)


def _ro_uri(path: Path, *, immutable: bool = False) -> str:
    mode = "immutable=1" if immutable else "mode=ro"
    return f"file:{quote(str(path.absolute()))}?{mode}"


def check_header(path: Path) -> None:
    """What is checked without SQLite: the header and the journal."""
    with translated(path), open(path, "rb") as handle:
        header = handle.read(100)
    if not header:
        raise emptied(path)
    if not header.startswith(SQLITE_HEADER) and not SQLITE_HEADER.startswith(header):
        raise foreign(path, "not an SQLite database")
    if len(header) < 100:
        raise damaged(path, "the file is shorter than an SQLite header")
    # A `-journal` beside a WAL history is not ours: refuse it rather than guess.
    journal = path.with_name(path.name + "-journal")
    try:
        with open(journal, "rb") as handle:
            head = handle.read(28)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise from_os(path, exc) from exc
    if not head.strip(b"\0"):
        return  # empty or zeroed: SQLite treats it as no journal at all
    raise bad_journal(path, valid=head.startswith(JOURNAL_MAGIC))


def inspect(path: Path, *, full: bool = False) -> None:
    """Refuse `path` unless it is a heelcoach history this code can use, without writing it
    (`full`: SQLite's whole integrity check instead of the quick one)."""
    existing = {p for p in sidecars(path) if p.exists()}
    try:
        try:
            conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        except sqlite3.Error as exc:
            raise from_sqlite(path, exc) or damaged(path, str(exc)) from exc
        try:
            check_connection(path, conn, full=full)
        finally:
            conn.close()
    except HeelcoachError:
        for sidecar in sidecars(path):
            if sidecar not in existing:
                sidecar.unlink(missing_ok=True)
        raise


def check_connection(path: Path, conn: sqlite3.Connection, *, full: bool = False) -> None:
    """The file's identity, then SQLite's quick check while it is cheap (`full`: its whole
    integrity check, indexes against tables too, whatever the size)."""
    try:
        check_identity(path, conn)
        if not full and path.stat().st_size > QUICK_CHECK_MAX_BYTES:
            return
        pragma = "integrity_check(20)" if full else "quick_check(1)"
        rows = conn.execute(f"PRAGMA {pragma}").fetchall()
    except sqlite3.Error as exc:
        raise from_sqlite(path, exc) or damaged(path, str(exc)) from exc
    if rows != [("ok",)]:
        findings = tuple(str(row[0]) for row in rows) or ("no answer",)
        raise damaged(path, f"integrity check: {findings[0]}", findings)


def connect_rw(path: Path) -> sqlite3.Connection:
    """A read-write connection in WAL mode, every commit synced to disk."""
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        # Kept in the file: a no-op for every history heelcoach made.
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch to WAL journal (got {mode})")
        # FULL: fsync the WAL on every commit, so an acknowledged set survives power loss.
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def can_write(path: Path) -> bool:
    """Whether a connection may write here: folder and file writable, disk not full or
    read-only. A read command that cannot write still reads, creating nothing."""
    folder = path.parent
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return False
    return space_problem(path) is None


def connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that creates no file, for a folder or disk we cannot write.

    Without a `-wal` the file is opened `immutable` (no locks, no `-shm`); with one, its
    changes must be read, which needs SQLite's shared-memory file: when that cannot be
    opened either, refuse rather than show a history without its latest changes.
    """
    wal = path.with_name(path.name + "-wal")
    has_wal = wal.exists() and wal.stat().st_size > 0
    try:
        conn = sqlite3.connect(
            _ro_uri(path, immutable=not has_wal),
            uri=True,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
        )
        conn.execute("PRAGMA query_only = ON")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        if has_wal:
            raise refused(
                f"the history at {path} has recent changes in {wal.name} that cannot be read"
                f" without writing beside it ({exc}); copy the folder {path.parent} to a"
                " writable disk and set HEELCOACH_HOME to the copy"
            ) from exc
        raise from_sqlite(path, exc) or damaged(path, str(exc)) from exc
    return conn


def memory_view(source: sqlite3.Connection | None = None) -> sqlite3.Connection:
    """A read-only, migrated, in-memory copy of `source` (closed), or an empty history."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    if source is not None:
        source.backup(memory)
        source.close()
    apply_migrations(memory)
    memory.execute("PRAGMA query_only = ON")
    return memory


def tighten(path: Path) -> None:
    """Remove group/other bits from the database and its sidecars (a copied file may be
    looser); a file the owner made read-only stays read-only."""
    for candidate in (path, *sidecars(path)):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            candidate.chmod(mode & 0o700)
