"""The history store: every set, session and morning check-in, in one SQLite file.

Design, and why:

* One SQLite file, `history.db` in the data folder (the caller's `Context` names it).
  SQLite gives atomic transactions and crash safety from the standard library.
* WAL journal with `synchronous=FULL`: a commit is one append + fsync of the `-wal` file, so
  a set acknowledged to the user survives a kill -9 or a power cut, and readers (`history`)
  never block the writer of a live session (or the other way round).
* Every write runs in `BEGIN IMMEDIATE`: the write lock is taken up front, when SQLite can
  still wait for it via the busy timeout. A deferred transaction that reads first and then
  tries to upgrade fails at once with "database is locked" when another process writes, which
  the busy timeout cannot fix. The connection uses `isolation_level=None` so Python never
  opens transactions behind our back; we issue BEGIN/COMMIT/ROLLBACK ourselves.
* The schema version lives in `PRAGMA user_version` and only moves forward through the named
  steps in `MIGRATIONS`, one transaction per step. `PRAGMA application_id` marks the file as
  ours so a foreign SQLite file is recognised instead of being "migrated".
* Inspect before writing: switching to WAL and migrating both write to the file, so an
  existing file is first checked without writing to it (16-byte header, then a read-only
  connection: application_id, user_version, `PRAGMA quick_check`). A damaged, foreign or
  too-new file is refused with one line and left byte-for-byte unchanged; the person's only
  copy of their history is never "repaired" into an empty database.
* The folder is 0700 and the files 0600 (health data): the database is created by us with
  mode 0600 under a 077 umask before SQLite touches it, and SQLite gives its `-wal`/`-shm`
  files the mode of the database file. Existing files and folders only lose group/other
  bits; owner bits are never added, so a folder made read-only on purpose gets a clear
  refusal instead of being quietly made writable again.
* Every SQLite/OS failure the user can act on (read-only folder, full disk, busy, damaged)
  becomes an `errors.Refused` with one plain line naming the path; the failing transaction is
  rolled back so nothing already stored is lost.

`Store.open(create=False)` with no file returns an empty, read-only, in-memory view: readers
such as `heelcoach history` work on a fresh machine and show nothing, and no file or folder is
created. Writing through that view raises `Refused`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
import uuid as uuid_module
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

from heelcoach.domain.records import (
    SIDE_CHOICES,
    SOURCE_CHOICES,
    STATUS_CHOICES,
    TEST_KINDS,
    TEST_SOURCES,
    CheckIn,
    ReadinessResult,
    SessionRecord,
    SetRecord,
)
from heelcoach.errors import BadInput, HeelcoachError, Refused
from heelcoach.files import PRIVATE_FILE_MODE, ensure_private_dir

APPLICATION_ID = 0x4845454C  # "HEEL": marks a SQLite file as a heelcoach history
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 10.0  # how long a writer waits for another process's transaction
_SIDECARS = ("-wal", "-shm", "-journal")
_FETCH_BATCH = 500


class Migration(NamedTuple):
    """One forward step of the schema; step i (0-based) takes user_version i to i + 1."""

    name: str
    statements: tuple[str, ...]


# Append only: never edit a released step, add a new one. Statements run one by one inside
# the step's transaction (executescript would commit the transaction first).
MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "create_sets",
        (
            """
            CREATE TABLE sets (
                id INTEGER PRIMARY KEY,          -- rowid alias: insertion order
                uuid TEXT NOT NULL UNIQUE,       -- stable identity for export/import
                exercise TEXT NOT NULL,
                set_number INTEGER NOT NULL CHECK (set_number >= 1),
                side TEXT CHECK (side IN ('left', 'right', 'both')),
                reps INTEGER CHECK (reps >= 0),
                seconds INTEGER CHECK (seconds >= 0),
                target_reps INTEGER CHECK (target_reps >= 0),
                target_seconds INTEGER CHECK (target_seconds >= 0),
                pain INTEGER CHECK (pain BETWEEN 0 AND 10),
                day TEXT NOT NULL,               -- ISO date, local day the set counts for
                started_at TEXT NOT NULL,        -- ISO 8601 UTC, fixed width: sorts as text
                ended_at TEXT NOT NULL,
                session_id TEXT,
                source TEXT NOT NULL CHECK (source IN ('live', 'log', 'import')),
                note TEXT
            )
            """,
        ),
    ),
    Migration(
        "create_sessions_and_checkins",
        (
            """
            CREATE TABLE sessions (
                session_id TEXT PRIMARY KEY,
                day TEXT NOT NULL,
                started_at TEXT NOT NULL,
                ended_at TEXT,
                pain INTEGER CHECK (pain BETWEEN 0 AND 10),
                status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'stopped'))
            )
            """,
            """
            CREATE TABLE checkins (
                day TEXT PRIMARY KEY,            -- one check-in per morning
                pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
                stiffness INTEGER NOT NULL CHECK (stiffness BETWEEN 0 AND 10),
                recorded_at TEXT NOT NULL
            )
            """,
        ),
    ),
    Migration(
        "index_sets_by_day_and_exercise",
        (
            # (day, ended_at) + the implicit rowid serve both day ranges and the
            # newest-first listing without a sort; (exercise, day, ended_at) the same per
            # exercise.
            "CREATE INDEX sets_by_day ON sets (day, ended_at)",
            "CREATE INDEX sets_by_exercise_day ON sets (exercise, day, ended_at)",
            "CREATE INDEX sessions_by_day ON sessions (day, started_at)",
        ),
    ),
    Migration(
        "cover_daily_volume",
        (
            # Every column `daily_volume` reads, in GROUP BY order: `stats` and progression
            # sum years of sets from the index alone, never touching the table.
            "CREATE INDEX sets_daily_volume ON sets (day, exercise, reps, seconds, pain)",
        ),
    ),
    Migration(
        "create_readiness_tests",
        (
            """
            CREATE TABLE readiness_tests (
                uuid TEXT PRIMARY KEY,           -- stable identity for export/import
                test TEXT NOT NULL CHECK (test IN ('tiptoe', 'hops', 'heel-raise')),
                day TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                side TEXT CHECK (side IN ('left', 'right', 'both')),
                pain INTEGER CHECK (pain BETWEEN 0 AND 10),
                left_count INTEGER CHECK (left_count BETWEEN 0 AND 1000),
                right_count INTEGER CHECK (right_count BETWEEN 0 AND 1000),
                source TEXT NOT NULL CHECK (source IN ('guided', 'entered', 'import')),
                note TEXT
            )
            """,
            "CREATE INDEX readiness_by_test_day ON readiness_tests (test, day, recorded_at)",
        ),
    ),
    Migration(
        "sessions_record_interruptions_and_emergencies",
        (
            # SQLite cannot widen a CHECK in place: build the new table, copy, swap.
            """
            CREATE TABLE sessions_v2 (
                session_id TEXT PRIMARY KEY,
                day TEXT NOT NULL,
                started_at TEXT NOT NULL,
                ended_at TEXT,
                pain INTEGER CHECK (pain BETWEEN 0 AND 10),
                status TEXT NOT NULL CHECK (status IN
                    ('running', 'finished', 'stopped', 'interrupted', 'emergency')),
                cleared_at TEXT                  -- emergency: when a doctor's check was confirmed
            )
            """,
            "INSERT INTO sessions_v2 (session_id, day, started_at, ended_at, pain, status)"
            " SELECT session_id, day, started_at, ended_at, pain, status FROM sessions",
            "DROP TABLE sessions",
            "ALTER TABLE sessions_v2 RENAME TO sessions",
            "CREATE INDEX sessions_by_day ON sessions (day, started_at)",
        ),
    ),
)

SCHEMA_VERSION: int = len(MIGRATIONS)


# --------------------------------------------------------------------------- encoding


def _encode_time(value: datetime, what: str) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise BadInput(f"{what} {value.isoformat()} has no timezone; give an aware time")
    # Fixed-width UTC text, so comparing and sorting the text is comparing the instants.
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _decode_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _encode_day(value: date, what: str) -> str:
    # datetime is a subclass of date; a datetime here would silently store a time too.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise BadInput(f"{what} must be a date, got {value!r}")
    return value.isoformat()


def _check_count(value: Any, what: str, *, low: int = 0, high: int | None = None) -> None:
    """Accept None or an int in [low, high]; bool is an int in Python but not a count."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise BadInput(f"{what} must be a whole number >= {low}, got {value!r}")
    if high is not None and value > high:
        raise BadInput(f"{what} must be between {low} and {high}, got {value!r}")


def _check_choice(value: Any, what: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise BadInput(f"{what} must be one of {', '.join(choices)}, got {value!r}")


def _set_row(record: SetRecord) -> tuple[Any, ...]:
    """Validate one set and turn it into the `sets` column values (without id)."""
    label = f"set {record.uuid!r}"
    try:
        canonical = str(uuid_module.UUID(record.uuid))
    except (ValueError, TypeError, AttributeError):
        canonical = None
    if canonical != record.uuid:
        raise BadInput(f"{label}: uuid must be a lowercase UUID like {SetRecord.new_uuid()}")
    if not isinstance(record.exercise, str) or not record.exercise.strip():
        raise BadInput(f"{label}: exercise must be a non-empty exercise id")
    if record.set_number is None:
        raise BadInput(f"{label}: set_number is required")
    _check_count(record.set_number, f"{label}: set_number", low=1)
    if record.side is not None:
        _check_choice(record.side, f"{label}: side", SIDE_CHOICES)
    for name in ("reps", "seconds", "target_reps", "target_seconds"):
        _check_count(getattr(record, name), f"{label}: {name}")
    _check_count(record.pain, f"{label}: pain", high=10)
    _check_choice(record.source, f"{label}: source", SOURCE_CHOICES)
    if record.note is not None and not isinstance(record.note, str):
        raise BadInput(f"{label}: note must be text")
    if record.session_id is not None and not isinstance(record.session_id, str):
        raise BadInput(f"{label}: session_id must be text")
    started = _encode_time(record.started_at, f"{label}: started_at")
    ended = _encode_time(record.ended_at, f"{label}: ended_at")
    if ended < started:
        raise BadInput(f"{label}: ended_at is before started_at")
    return (
        record.uuid,
        record.exercise,
        record.set_number,
        record.side,
        record.reps,
        record.seconds,
        record.target_reps,
        record.target_seconds,
        record.pain,
        _encode_day(record.day, f"{label}: day"),
        started,
        ended,
        record.session_id,
        record.source,
        record.note,
    )


_SET_COLUMNS = (
    "uuid, exercise, set_number, side, reps, seconds, target_reps, target_seconds, pain, "
    "day, started_at, ended_at, session_id, source, note"
)


def _set_from_row(row: sqlite3.Row | tuple[Any, ...]) -> SetRecord:
    (uid, exercise, set_number, side, reps, seconds, target_reps, target_seconds, pain,
     day, started_at, ended_at, session_id, source, note) = row  # fmt: skip
    return SetRecord(
        uuid=uid,
        exercise=exercise,
        set_number=set_number,
        side=side,
        reps=reps,
        seconds=seconds,
        target_reps=target_reps,
        target_seconds=target_seconds,
        pain=pain,
        day=date.fromisoformat(day),
        started_at=_decode_time(started_at),
        ended_at=_decode_time(ended_at),
        session_id=session_id,
        source=source,
        note=note,
    )


_SESSION_COLUMNS = "session_id, day, started_at, ended_at, pain, status, cleared_at"


def _session_from_row(row: tuple[Any, ...]) -> SessionRecord:
    session_id, day, started_at, ended_at, pain, status, cleared_at = row
    return SessionRecord(
        session_id=session_id,
        day=date.fromisoformat(day),
        started_at=_decode_time(started_at),
        ended_at=_decode_time(ended_at) if ended_at is not None else None,
        pain=pain,
        status=status,
        cleared_at=_decode_time(cleared_at) if cleared_at is not None else None,
    )


_READINESS_COLUMNS = (
    "uuid, test, day, recorded_at, side, pain, left_count, right_count, source, note"
)


def _readiness_from_row(row: tuple[Any, ...]) -> ReadinessResult:
    uid, test, day, recorded_at, side, pain, left, right, source, note = row
    return ReadinessResult(
        uid,
        test,
        date.fromisoformat(day),
        _decode_time(recorded_at),
        side,
        pain,
        left,
        right,
        source,
        note,
    )


def _checkin_from_row(row: tuple[Any, ...]) -> CheckIn:
    day, pain, stiffness, recorded_at = row
    return CheckIn(
        day=date.fromisoformat(day),
        pain=pain,
        stiffness=stiffness,
        recorded_at=_decode_time(recorded_at),
    )


def _day_range(column: str, since: date | None, until: date | None) -> tuple[list[str], list[str]]:
    """WHERE clauses and parameters for an inclusive day range."""
    clauses: list[str] = []
    params: list[str] = []
    if since is not None:
        clauses.append(f"{column} >= ?")
        params.append(_encode_day(since, "since"))
    if until is not None:
        clauses.append(f"{column} <= ?")
        params.append(_encode_day(until, "until"))
    return clauses, params


# --------------------------------------------------------------------------- errors


def _one_line(text: str) -> str:
    """Errors are shown as one line on stderr; never let a path or detail break that."""
    return " ".join(str(text).splitlines()).strip()


def _refused(message: str) -> Refused:
    return Refused(_one_line(message))


def _damaged(path: Path, detail: str) -> Refused:
    return _refused(
        f"the history file {path} is damaged ({detail}) and was left untouched; keep a copy of"
        f" it, then recover what you can with `sqlite3 {path} .recover | sqlite3 recovered.db`"
        " or move it aside to start a new history"
    )


def _foreign(path: Path, detail: str) -> Refused:
    return _refused(
        f"{path} is not a heelcoach history ({detail}) and was left untouched; move it"
        " elsewhere or set HEELCOACH_HOME to another folder"
    )


def _no_access(path: Path, detail: str) -> Refused:
    return _refused(
        f"cannot write the history at {path} ({detail}); make it and its folder {path.parent}"
        " writable by you (chmod u+w), or set HEELCOACH_HOME to a writable folder"
    )


def _disk_full(path: Path) -> Refused:
    return _refused(
        f"the disk holding {path} is full, so this change was not saved (history already"
        " stored is intact); free some space and try again"
    )


def _from_sqlite(path: Path, exc: sqlite3.Error) -> HeelcoachError | None:
    """The user-facing error for a SQLite failure, or None for a programming error."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is None:  # ProgrammingError, InterfaceError...: a bug, keep the traceback
        return None
    primary = code & 0xFF
    detail = str(exc)
    if primary == sqlite3.SQLITE_FULL:
        return _disk_full(path)
    if primary in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM, sqlite3.SQLITE_CANTOPEN,
                   sqlite3.SQLITE_AUTH):  # fmt: skip
        return _no_access(path, detail)
    if primary in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return _refused(
            f"the history at {path} is busy in another heelcoach process ({detail}); let it"
            " finish and try again"
        )
    if primary in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return _damaged(path, detail)
    if primary == sqlite3.SQLITE_IOERR:
        return _refused(
            f"could not read or write the history at {path} ({detail}); check the disk and"
            " its permissions, then try again"
        )
    if isinstance(exc, sqlite3.IntegrityError):
        return BadInput(_one_line(f"a value does not fit the history at {path} ({detail})"))
    return None


def _from_os(path: Path, exc: OSError) -> HeelcoachError:
    import errno

    detail = exc.strerror or str(exc)
    if exc.errno == errno.ENOSPC:
        return _disk_full(path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _no_access(path, detail)
    return _refused(f"could not use the history at {path} ({detail}); check the disk and try again")


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """Turn SQLite and OS failures the user can act on into one-line HeelcoachErrors."""
    try:
        yield
    except sqlite3.Error as exc:
        friendly = _from_sqlite(path, exc)
        if friendly is None:
            raise
        raise friendly from exc
    except OSError as exc:
        raise _from_os(path, exc) from exc


@contextmanager
def _private_umask() -> Iterator[None]:
    # Anything created while opening (the database, -wal, -shm) is owner-only from birth.
    old = os.umask(0o077)
    try:
        yield
    finally:
        os.umask(old)


def _rollback(conn: sqlite3.Connection) -> None:
    """Undo the open transaction, keeping the error that caused it as the one reported.

    SQLite may already have rolled back by itself (e.g. on SQLITE_FULL), and a failing
    ROLLBACK must not hide the original problem; the file is consistent either way.
    """
    if not conn.in_transaction:
        return
    with suppress(sqlite3.Error):
        conn.execute("ROLLBACK")


# --------------------------------------------------------------------------- migrations


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _apply_migrations(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring `conn`'s database forward to version `target`, one transaction per step.

    The version is re-read inside each BEGIN IMMEDIATE, so processes opening the same new or
    old file at once never apply a step twice. Returns the version reached.
    """
    if not 0 <= target <= len(MIGRATIONS):
        raise ValueError(f"no schema version {target}")
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = _user_version(conn)
            if version >= target:
                conn.execute("COMMIT")
                return version
            if version == 0:
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for statement in MIGRATIONS[version].statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            _rollback(conn)
            raise


# --------------------------------------------------------------------------- inspection


def sidecars(path: Path) -> list[Path]:
    """The files SQLite keeps beside a database (write-ahead log, shared memory, journal)."""
    return [path.with_name(path.name + suffix) for suffix in _SIDECARS]


def _ro_uri(path: Path) -> str:
    return f"file:{quote(str(path.absolute()))}?mode=ro"


def _inspect(path: Path) -> None:
    """Refuse `path` unless it is a heelcoach history this code can use, without writing it.

    A read-only connection to a WAL database creates `-wal`/`-shm` next to it; if the file
    is refused, the ones this inspection created are removed again.
    """
    existing = {p for p in sidecars(path) if p.exists()}
    try:
        _inspect_readonly(path)
    except HeelcoachError:
        for sidecar in sidecars(path):
            if sidecar not in existing:
                sidecar.unlink(missing_ok=True)
        raise


def _read_header(path: Path) -> bytes:
    with _translated(path), open(path, "rb") as handle:
        return handle.read(100)


def _inspect_readonly(path: Path) -> None:
    header = _read_header(path)
    if not header.startswith(SQLITE_HEADER):
        raise _foreign(path, "not an SQLite database")
    if len(header) < 100:
        raise _damaged(path, "the file is shorter than an SQLite header")
    try:
        conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    except sqlite3.Error as exc:
        raise _from_sqlite(path, exc) or _damaged(path, str(exc)) from exc
    try:
        _check_identity(path, conn)
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
        if rows != [("ok",)]:
            raise _damaged(path, f"integrity check: {rows[0][0] if rows else 'no answer'}")
    except sqlite3.Error as exc:
        raise _from_sqlite(path, exc) or _damaged(path, str(exc)) from exc
    finally:
        conn.close()


def _check_identity(path: Path, conn: sqlite3.Connection) -> None:
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = _user_version(conn)
    if app_id != APPLICATION_ID:
        has_tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
        # An SQLite file with nothing in it (e.g. a first open killed before its first
        # commit) holds no data and is safe to adopt; anything else belongs to someone else.
        if app_id != 0:
            raise _foreign(path, f"it belongs to another program, application id {app_id}")
        if version != 0 or has_tables:
            raise _foreign(path, "it holds another program's tables")
    if version > SCHEMA_VERSION:
        raise _refused(
            f"the history at {path} was made by a newer heelcoach (schema version {version},"
            f" this one knows up to {SCHEMA_VERSION}) and was left untouched; upgrade"
            " heelcoach to use it"
        )


# --------------------------------------------------------------------------- file setup


def _create_private_file(path: Path) -> None:
    """Create an empty 0600 file for SQLite to fill; SQLite would otherwise use 0644."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE_MODE)
    except FileExistsError:  # another process got there first: fine, it is inspected next
        return
    os.close(fd)


def _strip_others(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        path.chmod(mode & 0o700)


def _tighten(path: Path) -> None:
    """Make the database and its sidecars owner-only (older or copied files may be looser).

    Only group/other bits are removed: a file the owner made read-only stays read-only.
    """
    for candidate in (path, *sidecars(path)):
        try:
            _strip_others(candidate)
        except FileNotFoundError:
            continue


def _connect_rw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=True
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        _enable_wal(conn)
        # FULL: fsync the WAL on every commit, so an acknowledged set survives power loss.
        conn.execute("PRAGMA synchronous = FULL")
    except BaseException:
        conn.close()
        raise
    return conn


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL (a persistent setting of the file, so a no-op after the first time).

    Switching needs an exclusive lock and SQLite does not call the busy handler for it: when
    several processes create the history at once, the losers get "database is locked" at
    once. So wait here, as the busy timeout would, before giving up.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    delay = 0.002
    while True:
        try:
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
            busy = code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
            if not busy or time.monotonic() + delay > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.05)
            continue
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch to WAL journal (got {mode})")
        return


# --------------------------------------------------------------------------- the store


class Store:
    """The history of one person. Open with `Store.open()`; use as a context manager."""

    path: Path

    def __init__(self, path: Path, conn: sqlite3.Connection, *, writable: bool = True) -> None:
        self.path = path
        self._conn = conn
        self._writable = writable

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        create: bool = True,
        _max_page_count: int | None = None,
    ) -> Store:
        """Open (creating, inspecting and migrating as needed) the history at `path`.

        With `create=False` and no file, an empty read-only in-memory view is returned and
        nothing is created.
        `_max_page_count` caps the database size; tests use it to simulate a full disk.
        """
        path = Path(path)
        if not create and not _has_content(path):
            return cls._empty_view(path)
        with _translated(path), _private_umask():
            ensure_private_dir(path.parent)  # never gives back a removed write bit
            if path.exists() and path.stat().st_size > 0:
                _inspect(path)
            else:
                _create_private_file(path)
            conn = _connect_rw(path)
            try:
                _apply_migrations(conn)
                _tighten(path)
                if _max_page_count is not None:
                    conn.execute(f"PRAGMA max_page_count = {int(_max_page_count)}")
            except BaseException:
                conn.close()
                raise
        return cls(path, conn)

    @classmethod
    def _empty_view(cls, path: Path) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        _apply_migrations(conn)
        conn.execute("PRAGMA query_only = ON")  # belt and braces: the view never changes
        return cls(path, conn, writable=False)

    def close(self) -> None:
        conn, self._conn = self._conn, None  # type: ignore[assignment]
        if conn is not None:
            with _translated(self.path):
                conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def writable(self) -> bool:
        """False for the empty view returned by `open(create=False)` when no file exists."""
        return self._writable

    # ----------------------------------------------------------------- plumbing

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"the history store {self.path} is closed")
        return self._conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any error."""
        if not self._writable:
            raise _refused(
                f"there is no history at {self.path} yet and it was opened for reading only;"
                " record a session or log a set first"
            )
        conn = self._db
        with _translated(self.path):
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with _translated(self.path):
            return self._db.execute(sql, params).fetchall()

    # ----------------------------------------------------------------- sets

    def add_sets(self, records: Sequence[SetRecord]) -> int:
        """Store `records` in one transaction; a uuid already stored is skipped.

        Returns how many were newly inserted. Nothing is stored if any record is invalid.
        """
        rows = [_set_row(record) for record in records]  # validate all before writing
        if not rows:
            return 0
        with self._write() as conn:
            before = conn.total_changes
            # ON CONFLICT(uuid) rather than INSERT OR IGNORE: OR IGNORE would also silently
            # drop rows that break a CHECK constraint.
            conn.executemany(
                f"INSERT INTO sets ({_SET_COLUMNS}) VALUES ({', '.join('?' * 15)})"
                " ON CONFLICT (uuid) DO NOTHING",
                rows,
            )
            return conn.total_changes - before

    def add_set(self, record: SetRecord) -> bool:
        """Store one set; False if a set with its uuid was already stored."""
        return self.add_sets([record]) == 1

    def latest_logged_set(self) -> SetRecord | None:
        """The set stored most recently (by insertion, any source), or None."""
        rows = self._read(f"SELECT {_SET_COLUMNS} FROM sets ORDER BY id DESC LIMIT 1")
        return _set_from_row(rows[0]) if rows else None

    def set_pain(self, uuid: str, pain: int) -> bool:
        """Record pain reported after a set (in the rest that followed it); keeps the
        higher of the two. False if no set has that uuid."""
        _check_count(pain, "pain", high=10)
        with self._write() as conn:
            return bool(
                conn.execute(
                    "UPDATE sets SET pain = max(coalesce(pain, 0), ?) WHERE uuid = ?", (pain, uuid)
                ).rowcount
            )

    def delete_set(self, uuid: str) -> bool:
        return self.delete_sets([uuid]) > 0

    def delete_sets(self, uuids: Sequence[str]) -> int:
        """Remove these sets in one transaction (all or none); returns how many existed."""
        with self._write() as conn:
            return sum(
                conn.execute("DELETE FROM sets WHERE uuid = ?", (uuid,)).rowcount for uuid in uuids
            )

    def _sets_query(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        exercise: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> tuple[str, list[Any]]:
        """The SQL behind `sets()`, separate so tests can check its query plan."""
        clauses, params = _day_range("day", since, until)
        all_params: list[Any] = list(params)
        if exercise is not None:
            clauses.append("exercise = ?")
            all_params.append(exercise)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        direction = "DESC" if newest_first else "ASC"
        # Same column order as the indexes (rowid last), so no sort step is needed.
        sql = (
            f"SELECT {_SET_COLUMNS} FROM sets{where}"
            f" ORDER BY day {direction}, ended_at {direction}, id {direction}"
        )
        if limit is not None:
            _check_count(limit, "limit")
            sql += " LIMIT ?"
            all_params.append(limit)
        return sql, all_params

    def sets(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        exercise: str | None = None,
        limit: int | None = None,
        newest_first: bool = True,
    ) -> list[SetRecord]:
        """Sets with `since <= day <= until`, ordered by day, end time, then insertion."""
        sql, params = self._sets_query(
            since=since, until=until, exercise=exercise, limit=limit, newest_first=newest_first
        )
        return [_set_from_row(row) for row in self._read(sql, params)]

    def iter_all_sets(self) -> Iterator[SetRecord]:
        """Every set, oldest first (by day, end time, insertion), fetched in batches."""
        sql, params = self._sets_query(newest_first=False)
        with _translated(self.path):
            cursor = self._db.execute(sql, params)
        try:
            while True:
                with _translated(self.path):
                    batch = cursor.fetchmany(_FETCH_BATCH)
                if not batch:
                    return
                for row in batch:
                    yield _set_from_row(row)
        finally:
            cursor.close()

    def count_sets(self) -> int:
        return int(self._read("SELECT count(*) FROM sets")[0][0])

    def daily_volume(
        self, since: date, until: date
    ) -> list[tuple[date, str, int, int, int, int | None]]:
        """Per (day, exercise) in [since, until]: sets, total reps, total seconds, max pain."""
        rows = self._read(
            "SELECT day, exercise, count(*), coalesce(sum(reps), 0), coalesce(sum(seconds), 0),"
            " max(pain) FROM sets WHERE day >= ? AND day <= ?"
            " GROUP BY day, exercise ORDER BY day, exercise",
            (_encode_day(since, "since"), _encode_day(until, "until")),
        )
        return [(date.fromisoformat(day), *rest) for day, *rest in rows]

    def daily_evidence(
        self, since: date, until: date, ok_at_most: int
    ) -> list[tuple[date, str, int, int, int | None]]:
        """Per (day, exercise): set rows, rows rated at most `ok_at_most`, worst pain.

        A set's pain is its own rating, or else its live session's end-of-session answer;
        a set with neither has no rating, and is not evidence of being pain-free.
        """
        rows = self._read(
            "SELECT s.day, s.exercise, count(*),"
            " coalesce(sum(coalesce(s.pain, ss.pain) <= ?), 0), max(coalesce(s.pain, ss.pain))"
            " FROM sets s LEFT JOIN sessions ss ON ss.session_id = s.session_id"
            " WHERE s.day >= ? AND s.day <= ?"
            " GROUP BY s.day, s.exercise ORDER BY s.day, s.exercise",
            (ok_at_most, _encode_day(since, "since"), _encode_day(until, "until")),
        )
        return [(date.fromisoformat(day), *rest) for day, *rest in rows]

    # ----------------------------------------------------------------- sessions

    def start_session(self, record: SessionRecord) -> None:
        """Record a new session; a session id already stored is refused as a bug in input."""
        row = _session_row(record)
        with self._write() as conn:
            exists = conn.execute(
                "SELECT 1 FROM sessions WHERE session_id = ?", (record.session_id,)
            ).fetchone()
            if exists:
                raise BadInput(f"session {record.session_id!r} was already started")
            conn.execute(
                f"INSERT INTO sessions ({_SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", row
            )

    def finish_session(
        self, session_id: str, *, ended_at: datetime, pain: int | None, status: str
    ) -> None:
        _check_choice(status, "session status", STATUS_CHOICES)
        _check_count(pain, "session pain", high=10)
        ended = _encode_time(ended_at, "session ended_at")
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE sessions SET ended_at = ?, pain = ?, status = ? WHERE session_id = ?",
                (ended, pain, status, session_id),
            ).rowcount
            if not changed:
                raise BadInput(f"no session {session_id!r} in {self.path} to finish")

    def set_session_pain(self, session_id: str, pain: int) -> None:
        """Record the end-of-session pain answer, keeping when the session ended."""
        _check_count(pain, "session pain", high=10)
        with self._write() as conn:
            if not conn.execute(
                "UPDATE sessions SET pain = ? WHERE session_id = ?", (pain, session_id)
            ).rowcount:
                raise BadInput(f"no session {session_id!r} in {self.path}")

    def sessions(
        self, *, since: date | None = None, until: date | None = None
    ) -> list[SessionRecord]:
        """Sessions in the day range, oldest first."""
        clauses, params = _day_range("day", since, until)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._read(
            f"SELECT {_SESSION_COLUMNS} FROM sessions{where} ORDER BY day, started_at, rowid",
            params,
        )
        return [_session_from_row(row) for row in rows]

    def delete_session(self, session_id: str) -> int:
        """Remove a live session and its sets in one transaction; returns the sets removed."""
        with self._write() as conn:
            removed = conn.execute("DELETE FROM sets WHERE session_id = ?", (session_id,)).rowcount
            conn.execute("DELETE FROM sessions WHERE session_id = ?", (session_id,))
            return int(removed)

    def clear_emergency(self, session_id: str, at: datetime) -> None:
        """Record that the person confirmed a doctor checked them after this emergency."""
        cleared = _encode_time(at, "cleared_at")
        with self._write() as conn:
            conn.execute(
                "UPDATE sessions SET cleared_at = ? WHERE session_id = ? AND status = 'emergency'",
                (cleared, session_id),
            )

    def open_emergency(self) -> SessionRecord | None:
        """The latest session stopped for chest pain or dizziness and not yet cleared."""
        rows = self._read(
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE status = 'emergency'"
            " AND cleared_at IS NULL ORDER BY day DESC, started_at DESC LIMIT 1"
        )
        return _session_from_row(rows[0]) if rows else None

    # ----------------------------------------------------------------- readiness tests

    def add_readiness(self, results: Sequence[ReadinessResult]) -> int:
        """Store readiness results in one transaction; a uuid already stored is skipped."""
        rows = [_readiness_row(result) for result in results]  # validate all first
        if not rows:
            return 0
        with self._write() as conn:
            before = conn.total_changes
            conn.executemany(
                f"INSERT INTO readiness_tests ({_READINESS_COLUMNS})"
                f" VALUES ({', '.join('?' * 10)}) ON CONFLICT (uuid) DO NOTHING",
                rows,
            )
            return conn.total_changes - before

    def readiness(
        self, *, test: str | None = None, since: date | None = None, until: date | None = None
    ) -> list[ReadinessResult]:
        """Readiness results, oldest first (by day, then the moment recorded)."""
        clauses, params = _day_range("day", since, until)
        all_params: list[Any] = list(params)
        if test is not None:
            clauses.append("test = ?")
            all_params.append(test)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._read(
            f"SELECT {_READINESS_COLUMNS} FROM readiness_tests{where}"
            " ORDER BY day, recorded_at, rowid",
            all_params,
        )
        return [_readiness_from_row(row) for row in rows]

    # ----------------------------------------------------------------- check-ins

    def save_checkin(self, checkin: CheckIn) -> None:
        """Store the morning check-in; a second one for the same day replaces the first."""
        row = _checkin_row(checkin)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO checkins (day, pain, stiffness, recorded_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (day) DO UPDATE SET pain = excluded.pain,"
                " stiffness = excluded.stiffness, recorded_at = excluded.recorded_at",
                row,
            )

    def checkins(self, *, since: date | None = None, until: date | None = None) -> list[CheckIn]:
        """Check-ins in the day range, oldest first."""
        clauses, params = _day_range("day", since, until)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._read(
            f"SELECT day, pain, stiffness, recorded_at FROM checkins{where} ORDER BY day", params
        )
        return [_checkin_from_row(row) for row in rows]

    def checkin_for(self, day: date) -> CheckIn | None:
        rows = self._read(
            "SELECT day, pain, stiffness, recorded_at FROM checkins WHERE day = ?",
            (_encode_day(day, "day"),),
        )
        return _checkin_from_row(rows[0]) if rows else None


def _session_row(record: SessionRecord) -> tuple[Any, ...]:
    label = f"session {record.session_id!r}"
    if not isinstance(record.session_id, str) or not record.session_id:
        raise BadInput(f"{label}: session_id must be non-empty text")
    _check_choice(record.status, f"{label}: status", STATUS_CHOICES)
    _check_count(record.pain, f"{label}: pain", high=10)
    ended = _encode_time(record.ended_at, f"{label}: ended_at") if record.ended_at else None
    return (
        record.session_id,
        _encode_day(record.day, f"{label}: day"),
        _encode_time(record.started_at, f"{label}: started_at"),
        ended,
        record.pain,
        record.status,
        _encode_time(record.cleared_at, f"{label}: cleared_at") if record.cleared_at else None,
    )


def _readiness_row(result: ReadinessResult) -> tuple[Any, ...]:
    label = f"readiness test {result.uuid!r}"
    _check_choice(result.test, f"{label}: test", TEST_KINDS)
    _check_choice(result.source, f"{label}: source", TEST_SOURCES)
    if result.side is not None:
        _check_choice(result.side, f"{label}: side", SIDE_CHOICES)
    _check_count(result.pain, f"{label}: pain", high=10)
    _check_count(result.left, f"{label}: left", high=1000)
    _check_count(result.right, f"{label}: right", high=1000)
    if result.note is not None and not isinstance(result.note, str):
        raise BadInput(f"{label}: note must be text")
    return (
        result.uuid,
        result.test,
        _encode_day(result.day, f"{label}: day"),
        _encode_time(result.recorded_at, f"{label}: recorded_at"),
        result.side,
        result.pain,
        result.left,
        result.right,
        result.source,
        result.note,
    )


def _checkin_row(checkin: CheckIn) -> tuple[Any, ...]:
    label = f"check-in for {checkin.day}"
    if checkin.pain is None or checkin.stiffness is None:
        raise BadInput(f"{label}: pain and stiffness are both required")
    _check_count(checkin.pain, f"{label}: pain", high=10)
    _check_count(checkin.stiffness, f"{label}: stiffness", high=10)
    return (
        _encode_day(checkin.day, f"{label}: day"),
        checkin.pain,
        checkin.stiffness,
        _encode_time(checkin.recorded_at, f"{label}: recorded_at"),
    )


def _has_content(path: Path) -> bool:
    try:
        return path.stat().st_size > 0
    except OSError:
        return False


def destroy(path: Path) -> list[Path]:
    """Delete the history file and its -wal/-shm/-journal; return the paths removed.

    Close every Store on it first: removing a live WAL database loses recent commits.
    """
    removed: list[Path] = []
    with _translated(path):
        for candidate in (path, *sidecars(path)):
            try:
                candidate.unlink()
            except FileNotFoundError:
                continue
            removed.append(candidate)
    return removed
