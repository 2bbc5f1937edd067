"""The history store: every set, session, check-in and readiness test, in one SQLite file.

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
  opens transactions behind our back; we issue BEGIN/COMMIT/ROLLBACK ourselves. Anything a
  write depends on (the next set number of a `log`) is read inside that transaction, so
  concurrent writers never hand out the same number.
* The schema version lives in `PRAGMA user_version` and only moves forward through the named
  steps in `MIGRATIONS`, one transaction per step. `PRAGMA application_id` marks the file as
  ours so a foreign SQLite file is recognised instead of being "migrated".
* Inspect before writing: switching to WAL and migrating both write to the file, so an
  existing file is first checked without writing to it: the 16-byte header; a leftover
  `-journal` (refused unless it is a real SQLite journal); the `-wal` (walked frame by frame
  with SQLite's own checksums: if committed frames lie beyond a damaged one, SQLite would
  silently drop them, so the file is refused instead); then a read-only connection:
  application_id, user_version, the tables and columns that version must have, and
  `PRAGMA quick_check` (the `-wal` walk and the page checks only when the files are not as
  heelcoach left them: see "the stamp" below). A damaged, foreign or too-new file is
  refused with one line and left byte-for-byte unchanged; the person's only copy of their
  history is never "repaired" into an empty database. A stored row that does not decode
  (written by another program past the CHECK constraints) is reported the same way when it
  is read.
* Reads never need to write: when the folder or file is not writable, the medium is
  read-only or the disk is full, a read command opens the file read-only (`immutable` when
  there is no `-wal` to read), creating nothing, so a backup can still be exported.
* The folder is checked by `files.ensure_private_dir` (created 0700; never chmodded; refused
  when others can write to it) and the files are 0600 (health data): the database is
  created by us with mode 0600 under a 077 umask before SQLite touches it, and SQLite gives
  its `-wal`/`-shm` files the mode of the database file. Existing files only lose
  group/other bits; owner bits are never added.
* A store that was opened for writing remembers which file it opened: if the file is
  deleted or replaced under it (`heelcoach forget` during a live session), every later
  write is refused instead of going into a deleted file or a new one.
* A live session holds a lock on a small file beside the history while it runs (`flock`,
  released by the kernel however the process ends). A writer that opens the history and
  finds a session still "running" whose lock nobody holds knows its process is gone (a
  kill -9, a power cut) and marks it "interrupted". A session with no lock file at all (an
  older heelcoach) counts as gone once it started more than `STALE_SESSION_HOURS` ago:
  no session lasts that long, and a pid could have been reused by then.
* Every SQLite/OS failure the user can act on (read-only folder, full disk, busy, damaged)
  becomes an `errors.Refused` with one plain line naming the path; the failing transaction is
  rolled back so nothing already stored is lost.

`Store.open(create=False)` with no file returns an empty, read-only, in-memory view: readers
such as `heelcoach history` work on a fresh machine and show nothing, and no file or folder is
created. Writing through that view raises `Refused`.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import quote

from heelcoach.domain.records import (
    SIDE_CHOICES,
    STATUS_CHOICES,
    CheckIn,
    ReadinessResult,
    SessionRecord,
    SetRecord,
    Side,
    checkin_problem,
    readiness_problem,
    session_problem,
    set_problem,
    utc_text,
)
from heelcoach.errors import BadInput, HeelcoachError, Refused
from heelcoach.files import (
    PRIVATE_FILE_MODE,
    check_folder,
    ensure_private_dir,
    sidecars,
    verified_stamp,
)

APPLICATION_ID = 0x4845454C  # "HEEL": marks a SQLite file as a heelcoach history
SQLITE_HEADER = b"SQLite format 3\x00"
JOURNAL_MAGIC = bytes.fromhex("d9d505f920a163d7")  # the first bytes of a rollback journal
BUSY_TIMEOUT_SECONDS = 10.0  # how long a writer waits for another process's transaction
STALE_SESSION_HOURS = 12  # a "running" session without a lock file is gone after this
MIN_FREE_BYTES = 256 * 1024  # less free space than this: read without writing anything
_FETCH_BATCH = 500
_EXPORT_BATCH = 5000
T = TypeVar("T")
_IMPORT_CACHE_KB = 32 * 1024  # SQLite's page cache while an import writes (default 2 MB)
_IMPORT_BATCH = 500  # rows per statement batch inside an import's one transaction


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
    Migration(
        "keep_week_checkpoints",
        (
            # Where progression's replay stood as each finished program week began
            # (`services.progress`), for the inputs in `checkpoint_inputs`: worked out from
            # the rest of the file, so every write drops the weeks it could change
            # (`_invalidate`) and a file changed outside heelcoach loses them all.
            """
            CREATE TABLE week_checkpoints (
                week INTEGER PRIMARY KEY CHECK (week >= 2),
                first_day TEXT NOT NULL,         -- ISO date the program week begins
                state TEXT NOT NULL,             -- JSON, `domain.progression.start_data`
                before TEXT NOT NULL             -- how the week before went: 7 numbers
            )
            """,
            """
            CREATE TABLE checkpoint_inputs (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                inputs TEXT NOT NULL             -- the profile, content, prescription, code
            )
            """,
        ),
    ),
)

SCHEMA_VERSION: int = len(MIGRATIONS)


# --------------------------------------------------------------------------- encoding


def _encode_time(value: datetime, what: str) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise BadInput(f"{what} {value.isoformat()} has no timezone; give an aware time")
    # Fixed-width UTC text, so comparing and sorting the text is comparing the instants.
    try:
        return utc_text(value)
    except OverflowError:
        raise BadInput(f"{what} {value.isoformat()} is out of range") from None


def _decode_time(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a stored time has no time zone")
    return moment


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


def set_row(record: SetRecord, today: date | None = None) -> tuple[Any, ...]:
    """Validate one set (the shared rules in `domain.records`) into `sets` column values:
    the record's fields in order, the day as ISO text and the times as UTC text."""
    problem = set_problem(record, today)
    if problem:
        raise BadInput(f"set {str(record.uuid)[:36]!r}: {problem}")
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
        record.day.isoformat(),
        _encode_time(record.started_at, "started_at"),
        _encode_time(record.ended_at, "ended_at"),
        record.session_id,
        record.source,
        record.note,
    )


_SET_COLUMNS = (
    "uuid, exercise, set_number, side, reps, seconds, target_reps, target_seconds, pain, "
    "day, started_at, ended_at, session_id, source, note"
)


def _count(value: Any) -> int | None:
    """A stored count: an integer or NULL, whatever another program wrote there."""
    if value is None or type(value) is int:
        return value
    raise TypeError(f"a stored count is {type(value).__name__}")


def _score(value: Any) -> int | None:
    """A stored pain score: 0-10 or NULL (a row written past the CHECK is damage)."""
    score = _count(value)
    if score is not None and not 0 <= score <= 10:
        raise TypeError(f"a stored pain score is {score}")
    return score


def _side(value: Any) -> Side | None:
    """A stored side: one of the choices or NULL, whatever another program wrote there."""
    if value is None:
        return None
    side = next((choice for choice in SIDE_CHOICES if choice == value), None)
    if side is None:
        raise TypeError(f"a stored side is {str(value)[:20]!r}")
    return side


def _text_or_none(value: Any) -> str | None:
    if value is None or type(value) is str:
        return value
    raise TypeError(f"a stored text is {type(value).__name__}")


def _check_stored_set(row: sqlite3.Row | tuple[Any, ...]) -> None:
    """TypeError unless a stored set's values (all but its day and times) are what the
    history allows, whatever another program wrote there."""
    (uid, exercise, set_number, side, reps, seconds, target_reps, target_seconds, pain,
     _day, _started, _ended, session_id, source, note) = row  # fmt: skip
    if _count(set_number) is None or type(uid) is not str or type(exercise) is not str:
        raise TypeError("a stored set lacks its uuid, exercise or number")
    _count(reps), _count(seconds), _count(target_reps), _count(target_seconds), _score(pain)
    _side(side), _text_or_none(session_id), _text_or_none(note)
    if type(source) is not str:
        raise TypeError("a stored source is not text")


def _set_from_row(row: sqlite3.Row | tuple[Any, ...]) -> SetRecord:
    _check_stored_set(row)
    (uid, exercise, set_number, side, reps, seconds, target_reps, target_seconds, pain,
     day, started_at, ended_at, session_id, source, note) = row  # fmt: skip
    return SetRecord(
        uid, exercise, set_number, side, reps, seconds, target_reps, target_seconds, pain,
        date.fromisoformat(day), _decode_time(started_at), _decode_time(ended_at),
        session_id, source, note,
    )  # fmt: skip


def _exported_row(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A stored set as it is exported: checked as `_set_from_row` checks it, the values
    kept as stored (the day and times as text), times as UTC text."""
    _check_stored_set(row)
    date.fromisoformat(row[9])
    started, ended = _utc_text(row[10]), _utc_text(row[11])
    if started is row[10] and ended is row[11]:
        return row
    return (*row[:10], started, ended, *row[12:])


def _utc_text(text: Any) -> str:
    """A stored time as UTC text: as it is when heelcoach wrote it (fixed width, +00:00)."""
    moment = _decode_time(text)
    if len(text) == 32 and text.endswith("+00:00"):
        return str(text)
    return utc_text(moment)


_SESSION_COLUMNS = "session_id, day, started_at, ended_at, pain, status, cleared_at"


def _session_from_row(row: tuple[Any, ...]) -> SessionRecord:
    session_id, day, started_at, ended_at, pain, status, cleared_at = row
    return SessionRecord(
        session_id=session_id,
        day=date.fromisoformat(day),
        started_at=_decode_time(started_at),
        ended_at=_decode_time(ended_at) if ended_at is not None else None,
        pain=_score(pain),
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
        _side(side),
        _score(pain),
        _count(left),
        _count(right),
        source,
        _text_or_none(note),
    )


def _checkin_from_row(row: tuple[Any, ...]) -> CheckIn:
    day, pain, stiffness, recorded_at = row
    pain, stiffness = _score(pain), _score(stiffness)
    if pain is None or stiffness is None:
        raise TypeError("a stored check-in lacks its scores")
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


def _wal(path: Path) -> Path:
    """The write-ahead log SQLite keeps beside the database at `path`."""
    return path.with_name(path.name + "-wal")


class Damaged(Refused):
    """The history (or its write-ahead log) cannot be read whole; `findings` lists what
    SQLite's check reported, for `heelcoach check`."""

    def __init__(self, message: str, findings: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.findings = findings


def _damaged(path: Path, detail: str, findings: tuple[str, ...] = ()) -> Damaged:
    return Damaged(
        _one_line(
            f"the history file {path} is damaged ({detail}) and was left untouched; keep a"
            f" copy of it, then recover what you can with `sqlite3 {path} .recover | sqlite3"
            " recovered.db` or move it aside to start a new history"
        ),
        findings or (detail,),
    )


def _damaged_wal(path: Path, detail: str) -> Refused:
    wal = _wal(path)
    return Damaged(
        _one_line(
            f"the history's write-ahead log {wal} is damaged ({detail}), so recent changes"
            f" could not all be read; both files were left untouched. Keep a copy of {path}"
            f" and {wal}, then recover what you can with `sqlite3 {path} .recover | sqlite3"
            f" recovered.db`, or move {wal.name} aside to open the history as it was before"
            " those changes"
        ),
        (detail,),
    )


def _bad_journal(path: Path, valid: bool) -> Refused:
    journal = path.with_name(path.name + "-journal")
    if valid:
        return _refused(
            f"{journal} holds an unfinished change to the history {path}; keep a copy of both,"
            f" then let SQLite finish it with `sqlite3 {path} 'PRAGMA quick_check'`"
        )
    return _refused(
        f"{journal} beside the history {path} is not an SQLite journal (damaged or left by"
        f" another program); both were left untouched: keep a copy, then move {journal.name}"
        " aside"
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


def _read_only_disk(path: Path) -> Refused:
    return _refused(
        f"cannot write the history at {path}: the disk is read-only (what is stored can"
        " still be read and exported); set HEELCOACH_HOME to a folder on a writable disk"
    )


def _space_problem(path: Path) -> Refused | None:
    """Disk full or read-only medium at `path`'s folder, as SQLite cannot always tell."""
    try:
        info = os.statvfs(path.parent)
    except OSError:
        return None
    if info.f_flag & os.ST_RDONLY:
        return _read_only_disk(path)
    if info.f_bavail * info.f_frsize < MIN_FREE_BYTES:
        return _disk_full(path)
    return None


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
                   sqlite3.SQLITE_AUTH, sqlite3.SQLITE_IOERR):  # fmt: skip
        space = _space_problem(path)
        if space is not None:
            return space
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
    if primary == sqlite3.SQLITE_ERROR and "no such" in detail:  # a table or column gone
        return _damaged(path, detail)
    return None


def _from_os(path: Path, exc: OSError) -> HeelcoachError:
    detail = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return _disk_full(path)
    if exc.errno == errno.EROFS:
        return _read_only_disk(path)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _no_access(path, detail)
    if exc.errno == errno.ENOTDIR:
        return BadInput(f"{path.parent} is not a folder; set HEELCOACH_HOME to a folder")
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


def _decoded(path: Path, decode: Callable[[Any], Any], rows: Iterable[Any]) -> list[Any]:
    """Rows as records; a row that does not decode means the file is damaged."""
    try:
        return [decode(row) for row in rows]
    except (ValueError, TypeError, OverflowError) as exc:
        raise _damaged(path, f"a stored record cannot be read: {exc}") from None


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
    version = _user_version(conn)
    if version >= target:  # the common case: read, without taking the write lock
        return version
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


def _ro_uri(path: Path, *, immutable: bool = False) -> str:
    mode = "immutable=1" if immutable else "mode=ro"
    return f"file:{quote(str(path.absolute()))}?{mode}"


def _inspect(path: Path, *, full: bool = False) -> None:
    """Refuse `path` unless it is a heelcoach history this code can use, without writing it.

    A read-only connection to a WAL database creates `-wal`/`-shm` next to it; if the file
    is refused, the ones this inspection created are removed again. `full` runs SQLite's
    whole integrity check instead of the quick one.
    """
    _check_wal(path)
    existing = {p for p in sidecars(path) if p.exists()}
    try:
        try:
            conn = sqlite3.connect(_ro_uri(path), uri=True, timeout=BUSY_TIMEOUT_SECONDS)
        except sqlite3.Error as exc:
            raise _from_sqlite(path, exc) or _damaged(path, str(exc)) from exc
        try:
            _check_connection(path, conn, full=full)
        finally:
            conn.close()
    except HeelcoachError:
        for sidecar in sidecars(path):
            if sidecar not in existing:
                sidecar.unlink(missing_ok=True)
        raise


def _read_header(path: Path) -> bytes:
    with _translated(path), open(path, "rb") as handle:
        return handle.read(100)


def _check_header(path: Path) -> bytes:
    """What is checked on every open, without SQLite: the header and the journal."""
    header = _read_header(path)
    if not header.startswith(SQLITE_HEADER):
        raise _foreign(path, "not an SQLite database")
    if len(header) < 100:
        raise _damaged(path, "the file is shorter than an SQLite header")
    _check_journal(path)
    return header


def _check_connection(path: Path, conn: sqlite3.Connection, *, full: bool = False) -> None:
    """The file's identity, then SQLite's quick check of every page (`full`: its whole
    integrity check, indexes against tables too)."""
    try:
        _check_identity(path, conn)
        if full and _whole(conn):
            return  # a whole file is read once; only a damaged one is read again below
        # The quick check reports damaged pages where the whole one may only fail.
        for pragma in ("quick_check(1)", "integrity_check(20)") if full else ("quick_check(1)",):
            rows = conn.execute(f"PRAGMA {pragma}").fetchall()
            if rows != [("ok",)]:
                findings = tuple(str(row[0]) for row in rows) or ("no answer",)
                raise _damaged(path, f"integrity check: {findings[0]}", findings)
    except sqlite3.Error as exc:
        raise _from_sqlite(path, exc) or _damaged(path, str(exc)) from exc


def _whole(conn: sqlite3.Connection) -> bool:
    """Whether SQLite's whole integrity check passes (an error: not known to pass)."""
    try:
        return bool(conn.execute("PRAGMA integrity_check(20)").fetchall() == [("ok",)])
    except sqlite3.Error:
        return False


# --------------------------------------------------------------------------- the stamp
#
# Reading the whole file through SQLite's checks costs time in proportion to the history
# (half a second at a million sets), so it is not done on every open. Beside the history
# heelcoach keeps a one-line note (`history.db-verified`) of how the database and its
# write-ahead log looked (device, inode, size, modification and change times) when
# heelcoach last checked them or last wrote them itself. An
# open that finds the files exactly as noted skips the page checks: heelcoach was the last
# to change them. Any other state (the file was copied, restored, edited or damaged by
# another program, or the note is missing) gets the full inspection first. The header, the
# journal and the file's identity (application id, schema version and tables) are checked
# on every open. The change time cannot be set back by a program, and this system's file
# times have nanosecond resolution, so a change by another program always shows.

_STAMP_HEAD = "heelcoach-verified 1"
# A store open longer than this notes the files after each write, not only on closing, so
# that other commands run meanwhile (beside a live session) find them as noted.
RESTAMP_AFTER_SECONDS = 0.5


def _file_state(path: Path) -> str:
    """Where the file is and when it last changed; "-" for no file (or an empty log, which
    SQLite creates on opening and removes on closing, and which holds nothing)."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return "-"
    if info.st_size == 0 and path.name.endswith("-wal"):
        return "-"
    return f"{info.st_dev} {info.st_ino} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns}"


def _state(path: Path) -> str:
    """The history's files as they are now, in the stamp's words.

    Only `stat`: the database file is never opened beside a live connection, since closing
    any descriptor of it would drop the process's SQLite locks on it.
    """
    wal = _wal(path)
    return f"{_STAMP_HEAD} db {_file_state(path)} wal {_file_state(wal)}"


@contextmanager
def _stamp_file(path: Path, flags: int) -> Iterator[int | None]:
    """The stamp beside `path`, opened with `flags`: None when it cannot be opened or is
    not a regular file. Never through a link, and never blocking (a FIFO put there)."""
    flags |= os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(verified_stamp(path), flags, PRIVATE_FILE_MODE)
    except OSError:
        yield None
        return
    try:
        yield fd if stat.S_ISREG(os.fstat(fd).st_mode) else None
    finally:
        os.close(fd)


def _read_stamp(path: Path) -> tuple[str, str]:
    """The stamp's state line and its line on the last full check ("" when absent)."""
    with _stamp_file(path, os.O_RDONLY) as fd:
        try:
            data = os.read(fd, 2048) if fd is not None else b""
        except OSError:
            data = b""
    lines = data.decode("ascii", "replace").splitlines()
    return (lines[0] if lines else ""), (lines[1] if len(lines) > 1 else "")


def _write_stamp(path: Path, state: str, checked: str) -> bool:
    """Note `state` beside the history. Best effort, and in place: a stamp that cannot be
    written, or is read half-written by another process, or is lost in a crash, only
    means a full inspection next time (the safe direction)."""
    with _stamp_file(path, os.O_WRONLY | os.O_CREAT) as fd:
        if fd is None:
            return False
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{state}\n{checked}\n".encode("ascii"))
        except OSError:
            return False
    return True


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
    missing = _missing_schema(conn, version)
    if missing:
        raise _damaged(path, f"schema version {version} but {missing}")


# The schema version each table appears in, and the columns the code reads from it now.
# A file that claims a version must have its tables (a test checks this map against
# MIGRATIONS); one at the current version must have every column the queries name.
_TABLE_SINCE = {
    "sets": 1,
    "sessions": 2,
    "checkins": 2,
    "readiness_tests": 5,
    "week_checkpoints": 7,
    "checkpoint_inputs": 7,
}


def _missing_schema(conn: sqlite3.Connection, version: int) -> str | None:
    """What the tables of schema `version` lack in `conn`'s file, or None.

    Preparing `SELECT <columns> ... LIMIT 0` costs no reading, and fails exactly when a
    table or a column the code needs is not there.
    """
    probes = {
        "sets": _SET_COLUMNS,
        "sessions": _SESSION_COLUMNS,
        "checkins": "day, pain, stiffness, recorded_at",
        "readiness_tests": _READINESS_COLUMNS,
        "week_checkpoints": "week, first_day, state, before",
        "checkpoint_inputs": "id, inputs",
    }
    for table, since in _TABLE_SINCE.items():
        if version < since:
            continue
        columns = probes[table] if version == SCHEMA_VERSION else "*"
        try:
            conn.execute(f"SELECT {columns} FROM {table} LIMIT 0")
        except sqlite3.OperationalError as exc:
            return f"the table {table} is missing or incomplete ({exc})"
    return None


def _check_journal(path: Path) -> None:
    """A `-journal` beside a WAL history is not ours: refuse it rather than guess."""
    journal = path.with_name(path.name + "-journal")
    try:
        with open(journal, "rb") as handle:
            head = handle.read(28)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _from_os(path, exc) from exc
    if not head.strip(b"\0"):
        return  # empty or zeroed: SQLite treats it as no journal at all
    raise _bad_journal(path, valid=head.startswith(JOURNAL_MAGIC))


# The write-ahead log, as SQLite lays it out (https://sqlite.org/fileformat2.html#walformat).
_WAL_MAGIC = (0x377F0682, 0x377F0683)  # little- or big-endian checksums
_WAL_HEADER = 32
_FRAME_HEADER = 24


def _check_wal(path: Path) -> None:
    """Refuse a `-wal` whose committed frames SQLite would silently drop.

    SQLite reads the log frame by frame, checking each against the header's salts and a
    running checksum, and stops at the first frame that fails: everything after it is
    discarded, and the next checkpoint makes that permanent. After a torn last write that
    is right (the transaction was never acknowledged). But if a commit frame of the same
    log lies beyond the failing frame, acknowledged sets would be lost: refuse instead,
    leaving both files untouched. A log too damaged to read at all is refused the same way.
    """
    wal = _wal(path)
    for _attempt in range(3):
        try:
            with open(wal, "rb") as handle:
                data = handle.read()
                handle.seek(0)
                again = handle.read(_WAL_HEADER)
        except FileNotFoundError:
            return
        except OSError as exc:
            raise _from_os(path, exc) from exc
        if data[:_WAL_HEADER] == again:  # no writer restarted the log while we read it
            problem = _wal_problem(data)
            if problem:
                raise _damaged_wal(path, problem)
            return
    raise _refused(f"the history at {path} is busy in another heelcoach process; try again")


def _wal_problem(data: bytes) -> str | None:
    import struct  # only when a log is checked: everyday commands never load it

    if len(data) <= _WAL_HEADER:
        return None  # a header at most: no frames, nothing to lose
    magic, version, page_size, _seq, salt1, salt2, sum1, sum2 = struct.unpack(
        ">8I", data[:_WAL_HEADER]
    )
    valid_size = 512 <= page_size <= 65536 and page_size & (page_size - 1) == 0
    if magic not in _WAL_MAGIC or version != 3007000 or not valid_size:
        return "its header is not a write-ahead log header"
    order = ">" if magic & 1 else "<"
    s1, s2 = _wal_checksum(data[:24], order, 0, 0)
    if (s1, s2) != (sum1, sum2):
        return "its header checksum is wrong"
    frame_size = _FRAME_HEADER + page_size
    offset = _WAL_HEADER
    while offset + frame_size <= len(data):
        pgno, _commit, f_salt1, f_salt2, f_sum1, f_sum2 = struct.unpack(
            ">6I", data[offset : offset + _FRAME_HEADER]
        )
        if pgno == 0 or (f_salt1, f_salt2) != (salt1, salt2):
            break
        s1, s2 = _wal_checksum(data[offset : offset + 8], order, s1, s2)
        page = data[offset + _FRAME_HEADER : offset + frame_size]
        s1, s2 = _wal_checksum(page, order, s1, s2)
        if (s1, s2) != (f_sum1, f_sum2):
            break
        offset += frame_size
    # `offset` is where SQLite stops reading: is any later frame a commit of this log?
    frame = (offset - _WAL_HEADER) // frame_size + 1
    offset += frame_size
    while offset + _FRAME_HEADER <= len(data):
        pgno, commit, f_salt1, f_salt2 = struct.unpack(">4I", data[offset : offset + 16])
        if commit and pgno and (f_salt1, f_salt2) == (salt1, salt2):
            return f"frame {frame} cannot be read and committed changes follow it"
        offset += frame_size
    return None


def _wal_checksum(block: bytes, order: str, s1: int, s2: int) -> tuple[int, int]:
    """SQLite's WAL checksum over `block` (a multiple of 8 bytes), continuing from s1, s2."""
    import struct

    words = struct.unpack(f"{order}{len(block) // 4}I", block)
    mask = 0xFFFFFFFF
    for index in range(0, len(words), 2):
        s1 = (s1 + words[index] + s2) & mask
        s2 = (s2 + words[index + 1] + s1) & mask
    return s1, s2


# --------------------------------------------------------------------------- file setup


def _create_private_file(path: Path) -> None:
    """Create an empty 0600 file for SQLite to fill; SQLite would otherwise use 0644."""
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        fd = os.open(path, flags, PRIVATE_FILE_MODE)
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
    """A read-write connection that has not written anything yet (see `_prepare_rw`)."""
    conn = sqlite3.connect(
        str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=True
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    except BaseException:
        conn.close()
        raise
    return conn


def _prepare_rw(conn: sqlite3.Connection) -> None:
    _enable_wal(conn)
    # FULL: fsync the WAL on every commit, so an acknowledged set survives power loss.
    conn.execute("PRAGMA synchronous = FULL")


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


def _can_write(path: Path) -> bool:
    """Whether a connection may write here: folder and file writable, disk not full or ro.

    A read command that cannot write still reads, read-only and creating nothing.
    """
    folder = path.parent
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        return False
    try:
        info = os.statvfs(folder)
    except OSError:
        return True  # cannot tell: try, and fall back on failure
    return not info.f_flag & os.ST_RDONLY and info.f_bavail * info.f_frsize >= MIN_FREE_BYTES


def _connect_ro(path: Path) -> sqlite3.Connection:
    """A read-only connection that creates no file, for a folder or disk we cannot write.

    Without a `-wal` the file is opened `immutable` (no locks, no `-shm`); with one, its
    changes must be read, which needs SQLite's shared-memory file: when that cannot be
    opened either, refuse rather than show a history without its latest changes.
    """
    wal = _wal(path)
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
            raise _refused(
                f"the history at {path} has recent changes in {wal.name} that cannot be read"
                f" without writing beside it ({exc}); copy the folder {path.parent} to a"
                " writable disk and set HEELCOACH_HOME to the copy"
            ) from exc
        raise _from_sqlite(path, exc) or _damaged(path, str(exc)) from exc
    return conn


def _migrated_copy(conn: sqlite3.Connection) -> sqlite3.Connection:
    """An in-memory copy of an older-schema history, migrated, for reading only."""
    memory = sqlite3.connect(":memory:", isolation_level=None)
    conn.backup(memory)
    conn.close()
    _apply_migrations(memory)
    memory.execute("PRAGMA query_only = ON")
    return memory


# --------------------------------------------------------------------------- session locks


def _lock_path(path: Path, session_id: str) -> Path:
    return path.with_name(f".{path.name}-session-{session_id}.lock")


def session_lock_files(path: Path) -> list[Path]:
    """The lock files of live sessions beside the history at `path` (for `forget`)."""
    prefix = f".{path.name}-session-"
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    return sorted(path.parent / n for n in names if n.startswith(prefix) and n.endswith(".lock"))


class _NoLocking(Exception):
    """The file system cannot lock files (some network folders): fall back to the clock."""


def _take_lock(lock: Path, *, create: bool) -> int | None:
    """An exclusive lock on `lock`, or None when another process holds it (or it is gone);
    `_NoLocking` when locks cannot be taken there at all."""
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
        raise _NoLocking from None
    return fd


# --------------------------------------------------------------------------- the store


class _Stale(Exception):
    """Another connection committed while checkpoints were being worked out."""


class ImportCounts(NamedTuple):
    """What one import added, and how many of each kind were already stored."""

    sets: int = 0
    sets_present: int = 0
    sessions: int = 0
    sessions_present: int = 0
    checkins: int = 0
    checkins_present: int = 0
    readiness: int = 0
    readiness_present: int = 0


class ImportBatch(NamedTuple):
    """Validated records read from an export file, written together (see `Store.restore`).

    `lines` gives the file line of each set, for the message when one uuid is on two lines
    with different values.
    """

    # The sets, checked by the rules `set_row` applies and in the shape it gives (an import
    # checks each line once, into this shape).
    rows: Sequence[tuple[Any, ...]] = ()
    lines: Sequence[int] = ()
    sessions: Sequence[SessionRecord] = ()
    checkins: Sequence[CheckIn] = ()
    readiness: Sequence[ReadinessResult] = ()
    source: str = ""  # the file the records came from, for messages


class Store:
    """The history of one person. Open with `Store.open()`; use as a context manager."""

    path: Path

    def __init__(
        self,
        path: Path,
        conn: sqlite3.Connection,
        *,
        writable: bool = True,
        identity: tuple[int, int] | None = None,
        stamp: tuple[str, str] | None = None,
        changed_outside: bool = False,
    ) -> None:
        self.path = path
        self._conn = conn
        self._writable = writable
        self._identity = identity  # (device, inode) of the file a writable store opened
        self._locks: dict[str, int] = {}  # session id -> fd holding its lock
        # A store that can write keeps the verified stamp (module docs) up to date: the
        # state last noted, and the line saying when the file was last checked whole.
        self._stamp = stamp
        # The files' state as this store last left them (after opening, after each of its
        # own commits); None once something else changed them meanwhile: then nothing
        # this store saw may be noted as checked, and its checkpoints are not trusted.
        self._expected: str | None = None
        self._opened = time.monotonic()
        # Not as heelcoach last left it (copied in, restored, edited by another program):
        # the pages were checked on opening, and nothing worked out from it earlier holds.
        self.changed_outside = changed_outside
        self._derived_ok = not changed_outside  # its checkpoints can be used

    # ----------------------------------------------------------------- lifecycle

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        create: bool = True,
        full_check: bool = False,
        _max_page_count: int | None = None,
    ) -> Store:
        """Open (creating, inspecting and migrating as needed) the history at `path`.

        With `create=False` and no file, an empty read-only in-memory view is returned and
        nothing is created; with a file that cannot be written (folder, medium or a full
        disk), a read-only view of it. The pages are checked only when the file is not as
        heelcoach last left it (the stamp, above); `full_check` runs SQLite's whole
        integrity check whatever the stamp says. `_max_page_count` caps the database size;
        tests use it to simulate a full disk.
        """
        path = Path(path)
        if create:
            ensure_private_dir(path.parent)  # never chmods an existing folder
        else:
            check_folder(path.parent)
        info = _probe(path)
        if info is not None and not stat.S_ISREG(info.st_mode):
            raise _foreign(path, "not a regular file")
        has_content = info is not None and info.st_size > 0
        if not create and not has_content:
            return cls._empty_view(path)
        if not create and not _can_write(path):
            return cls._read_only(path, full_check)
        try:
            return cls._open_rw(path, has_content, _max_page_count, create, full_check)
        except Damaged:
            raise
        except Refused:
            if create or not has_content:
                raise
            return cls._read_only(path, full_check)  # a full disk SQLite found before we did

    @classmethod
    def _open_rw(
        cls, path: Path, has_content: bool, max_pages: int | None, writer: bool, full: bool
    ) -> Store:
        """A read-write connection; a writer also closes sessions whose process is gone."""
        with _translated(path), _private_umask():
            noted, checked = _read_stamp(path) if has_content else ("", "")
            trusted = not has_content
            if has_content:
                _check_header(path)
                trusted = noted == _state(path)
                if full or not trusted:
                    _inspect(path, full=full)
                    when = datetime.now(UTC).isoformat(timespec="seconds")
                    checked = f"checked {'whole' if full else 'quick'} {when}"
            else:
                _create_private_file(path)
            conn = _connect_rw(path)
            try:
                if has_content and trusted and not full:
                    _check_identity(path, conn)  # reads only: before anything is written
                _prepare_rw(conn)
                _apply_migrations(conn)
                _tighten(path)
                if max_pages is not None:
                    conn.execute(f"PRAGMA max_page_count = {int(max_pages)}")
                info = path.stat()
            except BaseException:
                conn.close()
                raise
        store = cls(
            path,
            conn,
            identity=(info.st_dev, info.st_ino),
            stamp=(noted, checked),
            changed_outside=not trusted,
        )
        try:
            store._expected = _state(path)
            if not trusted:
                store._forget_derived()
            store._restamp()
            if writer:
                store._close_stale_sessions()
        except BaseException:
            store.close()
            raise
        return store

    @classmethod
    def _read_only(cls, path: Path, full: bool = False) -> Store:
        """The history read without writing anything: no `-wal`/`-shm` is created."""
        with _translated(path):
            _check_header(path)
            trusted = _read_stamp(path)[0] == _state(path)
            if full or not trusted:
                _check_wal(path)
            conn = _connect_ro(path)
            try:
                if full or not trusted:
                    _check_connection(path, conn, full=full)
                else:
                    _check_identity(path, conn)
                if _user_version(conn) < SCHEMA_VERSION:
                    conn = _migrated_copy(conn)
            except BaseException:
                conn.close()
                raise
        return cls(path, conn, writable=False, changed_outside=not trusted)

    @classmethod
    def _empty_view(cls, path: Path) -> Store:
        conn = sqlite3.connect(":memory:", isolation_level=None)
        _apply_migrations(conn)
        conn.execute("PRAGMA query_only = ON")  # belt and braces: the view never changes
        return cls(path, conn, writable=False)

    def close(self) -> None:
        for fd in self._locks.values():
            with suppress(OSError):
                os.close(fd)  # the lock file stays: the next writer sees the lock is free
        self._locks.clear()
        conn: sqlite3.Connection | None = self._conn
        self._conn = None  # type: ignore[assignment]
        if conn is None:  # closed already
            return
        self._note_foreign_change()
        with _translated(self.path):
            conn.close()
        if self._expected is None:
            if self._stamp is not None:
                self.forget_stamp()  # changed by someone else: the next open checks it
            return
        # Closing may have moved the log into the database. (A program writing in the
        # instant between the check above and this line would go unnoticed: the stamp
        # guards against changes between commands, not against a race with SQLite's own.)
        self._expected = _state(self.path)
        self._restamp()

    def _note_foreign_change(self) -> None:
        """Lose track when the files are not as this store last left them."""
        if self._expected is not None and _state(self.path) != self._expected:
            self._expected = None
            self._derived_ok = False

    def _restamp(self) -> None:
        """Note the files as this store left them, when it knows nothing else changed them
        and they are still the file it opened."""
        if self._stamp is None or self._expected is None:
            return
        noted, checked = self._stamp
        if self._expected == noted or not self._same_file():  # the cheap test first
            return
        if _write_stamp(self.path, self._expected, checked):
            self._stamp = (self._expected, checked)

    def _same_file(self) -> bool:
        try:
            info = self.path.stat()
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self._identity

    def forget_stamp(self) -> None:
        """Remove the stamp: the next open checks the file whole (`heelcoach check` found
        a record that does not read back)."""
        self._stamp = None
        with suppress(OSError):
            verified_stamp(self.path).unlink()

    def _forget_derived(self) -> None:
        """Drop the checkpoints of a history changed outside heelcoach: they were worked
        out from what it held before. Where that cannot be written they are ignored."""
        try:
            with self._write() as conn:
                conn.execute("DELETE FROM week_checkpoints")
        except HeelcoachError:
            self._expected = None  # never note it as checked: the next open tries again
            return
        self._derived_ok = True

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def checkpoints_usable(self) -> bool:
        """Whether the progression checkpoints kept in the history can be trusted: not for
        a file changed outside heelcoach until they are dropped, nor once another program
        changed it while this store had it open."""
        return self._derived_ok

    @property
    def writable(self) -> bool:
        """False for the empty view and for a history opened where nothing can be written."""
        return self._writable

    # ----------------------------------------------------------------- plumbing

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"the history store {self.path} is closed")
        return self._conn

    def _check_still_there(self) -> None:
        """Refuse to write once the file this store opened was deleted or replaced."""
        if not self._same_file():
            raise _refused(
                f"the history at {self.path} was deleted or replaced while this command was"
                " using it (by `heelcoach forget`?); nothing more was saved to it"
            )

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any error."""
        if not self._writable:
            if self._identity is None and not _probe(self.path):
                raise _refused(
                    f"there is no history at {self.path} yet and it was opened for reading"
                    " only; record a session or log a set first"
                )
            raise _refused(f"the history at {self.path} was opened for reading only")
        conn = self._db
        with _translated(self.path):
            self._check_still_there()
            conn.execute("BEGIN IMMEDIATE")
            self._note_foreign_change()  # under the write lock: before this write's change
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                _rollback(conn)
                raise
        if self._expected is not None:
            self._expected = _state(self.path)
        if time.monotonic() - self._opened > RESTAMP_AFTER_SECONDS:
            self._restamp()  # a store kept open (a live session): others need not re-check

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one state of the history, however other processes write."""
        conn = self._db
        if conn.in_transaction:  # already inside one
            yield
            return
        with _translated(self.path):
            conn.execute("BEGIN")
        try:
            yield
        finally:
            with _translated(self.path):
                conn.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with _translated(self.path):
            return self._db.execute(sql, params).fetchall()

    def _records(self, decode: Callable[[Any], Any], sql: str, params: Sequence[Any] = ()) -> Any:
        return _decoded(self.path, decode, self._read(sql, params))

    # ----------------------------------------------------------------- sets

    def add_sets(self, records: Sequence[SetRecord]) -> int:
        """Store `records` in one transaction; a uuid already stored is skipped.

        Returns how many were newly inserted. Nothing is stored if any record is invalid.
        """
        rows = [set_row(record) for record in records]  # validate all before writing
        if not rows:
            return 0
        with self._write() as conn:
            _invalidate(conn, min(row[9] for row in rows))
            return _insert_sets(conn, rows)

    def add_set(self, record: SetRecord) -> bool:
        """Store one set; False if a set with its uuid was already stored."""
        return self.add_sets([record]) == 1

    def add_logged_sets(self, records: Sequence[SetRecord]) -> list[SetRecord]:
        """Store the sets of one `log` call, numbered after those already stored that day.

        `records` are numbered from 1; the offset (the highest number stored for the same
        exercise and day) is read inside the write transaction, so concurrent `log` calls
        never give two sets the same number. Returns the records as stored.
        """
        if not records:
            return []
        for record in records:
            set_row(record)  # validate before taking the write lock
        with self._write() as conn:
            first = records[0]
            (highest,) = conn.execute(
                "SELECT coalesce(max(set_number), 0) FROM sets WHERE day = ? AND exercise = ?",
                (first.day.isoformat(), first.exercise),
            ).fetchone()
            numbered = [r._replace(set_number=r.set_number + int(highest)) for r in records]
            rows = [set_row(record) for record in numbered]
            _invalidate(conn, min(row[9] for row in rows))
            _insert_sets(conn, rows)
        return numbered

    def latest_logged_set(self) -> SetRecord | None:
        """The set stored most recently (by insertion, any source), or None."""
        rows = self._records(
            _set_from_row, f"SELECT {_SET_COLUMNS} FROM sets ORDER BY id DESC LIMIT 1"
        )
        return rows[0] if rows else None

    def set_pain(self, uuid: str, pain: int) -> bool:
        """Record pain reported after a set (in the rest that followed it); keeps the
        higher of the two. False if no set has that uuid."""
        _check_count(pain, "pain", high=10)
        with self._write() as conn:
            _invalidate(conn, _first_day(conn, "SELECT day FROM sets WHERE uuid = ?", uuid))
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
            removed = 0
            for uuid in uuids:
                _invalidate(conn, _first_day(conn, "SELECT day FROM sets WHERE uuid = ?", uuid))
                removed += conn.execute("DELETE FROM sets WHERE uuid = ?", (uuid,)).rowcount
            return removed

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
            _check_count(limit, "limit", high=2**62)
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
        return self._records(_set_from_row, sql, params)  # type: ignore[no-any-return]

    def iter_all_sets(self) -> Generator[SetRecord, None, None]:
        """Every set, oldest first (by day, end time, insertion), fetched in batches.

        Close the iterator (or exhaust it) before the store: an export cut short by a
        closed pipe closes it on the way out.
        """
        return self._stream_sets(_set_from_row, _FETCH_BATCH)

    def iter_export_rows(self) -> Generator[tuple[Any, ...], None, None]:
        """Every set as a row of export values (the `sets` columns in order, the day and
        times as text), oldest first, fetched in batches: no dates or times are built.
        `Damaged` for a row that does not read back, as `iter_all_sets`."""
        return self._stream_sets(_exported_row, _EXPORT_BATCH)

    def _stream_sets(
        self, decode: Callable[[tuple[Any, ...]], T], batch_size: int
    ) -> Generator[T, None, None]:
        """Every set, oldest first, decoded by `decode`, fetched `batch_size` at a time."""
        sql, params = self._sets_query(newest_first=False)
        with _translated(self.path):
            cursor = self._db.execute(sql, params)
        try:
            while True:
                with _translated(self.path):
                    batch = cursor.fetchmany(batch_size)
                if not batch:
                    return
                yield from _decoded(self.path, decode, batch)
        finally:
            with suppress(sqlite3.Error):
                cursor.close()

    def count_sets(self) -> int:
        return int(self._read("SELECT count(*) FROM sets")[0][0])

    def read_back(self) -> tuple[int, int, int, int]:
        """Decode every stored record (what `heelcoach check` adds to SQLite's check):
        how many sets, sessions, check-ins and readiness tests; `Damaged` for the first
        that does not read back (a row another program wrote past the constraints)."""
        sets = 0
        with closing(self.iter_all_sets()) as records:
            for _ in records:
                sets += 1
        return sets, len(self.sessions()), len(self.checkins()), len(self.readiness())

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
        return _decoded(self.path, lambda row: (date.fromisoformat(row[0]), *row[1:]), rows)

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
        """Record a new session; a session id already stored is refused as a bug in input.

        The session's lock is taken first and held until `finish_session` (or the process
        ends, however it ends), so other processes can tell a live session from a dead one.
        """
        row = _session_row(record)
        lock = _lock_path(self.path, record.session_id)
        fd = None
        if self._writable and record.session_id not in self._locks:
            try:
                with _translated(self.path):
                    fd = _take_lock(lock, create=True)
                if fd is None:
                    raise BadInput(f"session {record.session_id!r} is already running")
                with suppress(OSError):  # for a person who wonders what the file is
                    os.write(fd, f"{os.getpid()}@{os.uname().nodename}\n".encode())
            except _NoLocking:
                lock.unlink(missing_ok=True)  # no lock here: the clock rule applies
        try:
            with self._write() as conn:
                exists = conn.execute(
                    "SELECT 1 FROM sessions WHERE session_id = ?", (record.session_id,)
                ).fetchone()
                if exists:
                    raise BadInput(f"session {record.session_id!r} was already started")
                if record.pain is not None:  # its pain rates the sets it has none for
                    earlier = _session_day(conn, record.session_id)  # sets saved before it
                    _invalidate(conn, min(day for day in (row[1], earlier) if day))
                conn.execute(
                    f"INSERT INTO sessions ({_SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", row
                )
        except BaseException:
            if fd is not None:
                os.close(fd)
                lock.unlink(missing_ok=True)
            raise
        if fd is not None:
            self._locks[record.session_id] = fd

    def finish_session(
        self, session_id: str, *, ended_at: datetime, pain: int | None, status: str
    ) -> None:
        _check_choice(status, "session status", STATUS_CHOICES)
        _check_count(pain, "session pain", high=10)
        ended = _encode_time(ended_at, "session ended_at")
        with self._write() as conn:
            _invalidate(conn, _session_day(conn, session_id))
            changed = conn.execute(
                "UPDATE sessions SET ended_at = ?, pain = ?, status = ? WHERE session_id = ?",
                (ended, pain, status, session_id),
            ).rowcount
            if not changed:
                raise BadInput(f"no session {session_id!r} in {self.path} to finish")
        self._release(session_id)

    def _release(self, session_id: str) -> None:
        fd = self._locks.pop(session_id, None)
        if fd is not None:
            _lock_path(self.path, session_id).unlink(missing_ok=True)
            os.close(fd)

    def _close_stale_sessions(self) -> None:
        """Mark "interrupted" every running session whose process is gone (module docs)."""
        running = self._read("SELECT session_id, started_at FROM sessions WHERE status = 'running'")
        if not running:
            return
        cutoff = datetime.now(UTC) - timedelta(hours=STALE_SESSION_HOURS)
        for session_id, started_at in running:
            if not isinstance(session_id, str) or session_id in self._locks:
                continue
            lock = _lock_path(self.path, session_id)
            try:
                fd = _take_lock(lock, create=False)
            except _NoLocking:
                fd = None
                lock.unlink(missing_ok=True)
            if fd is None:
                if lock.exists():
                    continue  # held: its process is still running
                try:
                    if _decode_time(started_at) > cutoff:
                        continue  # no lock file (an older heelcoach): wait for the cutoff
                except (TypeError, ValueError):
                    pass
            try:
                with self._write() as conn:
                    conn.execute(
                        "UPDATE sessions SET status = 'interrupted', ended_at = coalesce("
                        "(SELECT max(ended_at) FROM sets WHERE session_id = ?), started_at)"
                        " WHERE session_id = ? AND status = 'running'",
                        (session_id, session_id),
                    )
            finally:
                if fd is not None:
                    lock.unlink(missing_ok=True)
                    os.close(fd)

    def set_session_pain(self, session_id: str, pain: int) -> None:
        """Record the end-of-session pain answer, keeping when the session ended."""
        _check_count(pain, "session pain", high=10)
        with self._write() as conn:
            _invalidate(conn, _session_day(conn, session_id))
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
        return self._records(  # type: ignore[no-any-return]
            _session_from_row,
            f"SELECT {_SESSION_COLUMNS} FROM sessions{where} ORDER BY day, started_at, rowid",
            params,
        )

    def delete_session(self, session_id: str) -> int:
        """Remove a live session and its sets in one transaction; returns the sets removed."""
        with self._write() as conn:
            _invalidate(conn, _session_day(conn, session_id))
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
        rows = self._records(
            _session_from_row,
            f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE status = 'emergency'"
            " AND cleared_at IS NULL ORDER BY day DESC, started_at DESC LIMIT 1",
        )
        return rows[0] if rows else None

    # ----------------------------------------------------------------- readiness tests

    def add_readiness(self, results: Sequence[ReadinessResult]) -> int:
        """Store readiness results in one transaction; a uuid already stored is skipped."""
        rows = [_readiness_row(result) for result in results]  # validate all first
        if not rows:
            return 0
        with self._write() as conn:
            _invalidate(conn, min(row[2] for row in rows))
            return _insert(conn, _INSERT_READINESS, rows)

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
        return self._records(  # type: ignore[no-any-return]
            _readiness_from_row,
            f"SELECT {_READINESS_COLUMNS} FROM readiness_tests{where}"
            " ORDER BY day, recorded_at, rowid",
            all_params,
        )

    # ----------------------------------------------------------------- check-ins

    def save_checkin(self, checkin: CheckIn) -> None:
        """Store the morning check-in; a second one for the same day replaces the first."""
        row = _checkin_row(checkin)
        with self._write() as conn:
            _invalidate(conn, _day_before(row[0]))
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
        return self._records(  # type: ignore[no-any-return]
            _checkin_from_row,
            f"SELECT day, pain, stiffness, recorded_at FROM checkins{where} ORDER BY day",
            params,
        )

    def checkin_before(self, day: date) -> CheckIn | None:
        """The latest check-in before `day`, if any."""
        rows = self._records(
            _checkin_from_row,
            "SELECT day, pain, stiffness, recorded_at FROM checkins WHERE day < ?"
            " ORDER BY day DESC LIMIT 1",
            (_encode_day(day, "day"),),
        )
        return rows[0] if rows else None

    def checkin_for(self, day: date) -> CheckIn | None:
        rows = self._records(
            _checkin_from_row,
            "SELECT day, pain, stiffness, recorded_at FROM checkins WHERE day = ?",
            (_encode_day(day, "day"),),
        )
        return rows[0] if rows else None

    # ----------------------------------------------------------------- checkpoints

    def data_version(self) -> int:
        """A number that changes whenever another connection commits (SQLite's
        `data_version`): read before reading the history, it tells `save_checkpoints`
        whether what was read is still what is stored."""
        return int(self._read("PRAGMA data_version")[0][0])

    def checkpoints(self, inputs: str) -> list[tuple[int, str, str]]:
        """The week checkpoints kept for `inputs` (week, state, the week before), oldest
        first; none for other inputs, or for a file changed outside heelcoach."""
        if not self._derived_ok:
            return []
        kept = self._read("SELECT inputs FROM checkpoint_inputs WHERE id = 1")
        if not kept or kept[0][0] != inputs:
            return []
        rows = self._read("SELECT week, state, before FROM week_checkpoints ORDER BY week")
        return [
            (week, state, before)
            for week, state, before in rows
            if type(week) is int and type(state) is str and type(before) is str
        ]

    def save_checkpoints(
        self, inputs: str, rows: Sequence[tuple[int, date, str, str]], seen: int
    ) -> bool:
        """Keep these week checkpoints (week, first day, state, the week before) for
        `inputs`, replacing
        those of any other inputs, unless another connection committed since `seen`
        (`data_version`): then they may be stale, and nothing is saved.

        Best effort and quick: a history that cannot be written, or is busy, just keeps
        what it had (the next command replays those weeks again).
        """
        if not self._writable or not rows or not self._derived_ok:
            return False
        conn = self._db
        try:
            with _translated(self.path):
                conn.execute("PRAGMA busy_timeout = 100")  # never wait long for a cache
            with self._write() as conn:
                if int(conn.execute("PRAGMA data_version").fetchone()[0]) != seen:
                    raise _Stale
                kept = conn.execute("SELECT inputs FROM checkpoint_inputs").fetchone()
                if kept is None or kept[0] != inputs:
                    conn.execute("DELETE FROM week_checkpoints")
                    conn.execute(
                        "INSERT OR REPLACE INTO checkpoint_inputs (id, inputs) VALUES (1, ?)",
                        (inputs,),
                    )
                conn.executemany(
                    "INSERT OR REPLACE INTO week_checkpoints (week, first_day, state, before)"
                    " VALUES (?, ?, ?, ?)",
                    [(week, _encode_day(first, "first_day"), *rest) for week, first, *rest in rows],
                )
        except (HeelcoachError, _Stale):
            return False
        finally:
            with suppress(sqlite3.Error):
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        return True

    # ----------------------------------------------------------------- import

    def restore(self, batches: Iterable[ImportBatch], expected_sets: int = 0) -> ImportCounts:
        """Write every batch of an import in ONE transaction: all of it, or none of it.

        Records are matched by their identity (a set's or test's uuid, a session's id, a
        check-in's day): one already stored is kept as stored and counted as present. A
        set whose uuid an earlier line of the same import gave with other values is bad
        input, and nothing is written. Batches are consumed one at a time, so a file of a
        million sets is never held in memory.

        `expected_sets` (how many sets the batches hold, when known): an import that at
        least doubles the history leaves the sets' lookup indexes out while it writes and
        builds them again at the end, in the same transaction (sorting once is far cheaper
        than a million scattered insertions); the uuid index stays, to find those present.

        Every row has passed the record rules before it gets here (`set_row` and its kin,
        or `storage.transfer`'s check of each line, which also refuses a file that changed
        before the transaction commits), and those rules are stricter than the tables'
        CHECK constraints; so SQLite is spared re-evaluating them row by row (its `IN`
        lists are the slowest part of an insert) for the length of this transaction.
        """
        counts = ImportCounts()
        conn = self._db
        with _translated(self.path):  # the uuid index stays in memory while it grows
            (cache,) = conn.execute("PRAGMA cache_size").fetchone()
            conn.execute(f"PRAGMA cache_size = -{_IMPORT_CACHE_KB}")
            conn.execute("PRAGMA ignore_check_constraints = ON")
        try:
            with self._write() as conn:
                (before,) = conn.execute("SELECT coalesce(max(id), 0) FROM sets").fetchone()
                (stored,) = conn.execute("SELECT count(*) FROM sets").fetchone()
                big = expected_sets >= max(10_000, stored)
                rebuilt = _drop_set_indexes(conn) if big else []
                for batch in batches:
                    counts = _restore_batch(conn, batch, int(before), counts)
                for statement in rebuilt:
                    conn.execute(statement)
        finally:
            with suppress(sqlite3.Error):
                conn.execute("PRAGMA ignore_check_constraints = OFF")
                conn.execute(f"PRAGMA cache_size = {int(cache)}")
        return counts


_INSERT_SETS = (
    f"INSERT INTO sets ({_SET_COLUMNS}) VALUES ({', '.join('?' * 15)})"
    # ON CONFLICT(uuid) rather than INSERT OR IGNORE: OR IGNORE would also silently drop
    # rows that break a CHECK constraint.
    " ON CONFLICT (uuid) DO NOTHING"
)
_INSERT_SESSIONS = (
    f"INSERT INTO sessions ({_SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (session_id) DO NOTHING"
)
_INSERT_CHECKINS = (
    "INSERT INTO checkins (day, pain, stiffness, recorded_at) VALUES (?, ?, ?, ?)"
    " ON CONFLICT (day) DO NOTHING"
)
_INSERT_READINESS = (
    f"INSERT INTO readiness_tests ({_READINESS_COLUMNS})"
    f" VALUES ({', '.join('?' * 10)}) ON CONFLICT (uuid) DO NOTHING"
)


def _invalidate(conn: sqlite3.Connection, day: str | None) -> None:
    """Drop the checkpoints a change on `day` (ISO) can alter: those of weeks beginning
    after it. Inside the change's own transaction, so no replay ever sees one without
    the other."""
    if day is not None:
        conn.execute("DELETE FROM week_checkpoints WHERE first_day > ?", (day,))


def _day_before(day: str) -> str:
    """The day before `day` (ISO text): the training day a check-in on `day` judges."""
    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _first_day(conn: sqlite3.Connection, sql: str, *params: Any) -> str | None:
    row = conn.execute(sql, params).fetchone()
    return row[0] if row is not None and isinstance(row[0], str) else None


def _session_day(conn: sqlite3.Connection, session_id: str) -> str | None:
    """The earliest day a session's pain rates: its own, or one of its sets'."""
    return _first_day(
        conn,
        "SELECT min(day) FROM (SELECT day FROM sessions WHERE session_id = ?"
        " UNION ALL SELECT day FROM sets WHERE session_id = ?)",
        session_id,
        session_id,
    )


def _insert(conn: sqlite3.Connection, sql: str, rows: Sequence[tuple[Any, ...]]) -> int:
    """Run one INSERT ... ON CONFLICT DO NOTHING per row; how many rows were new."""
    before = conn.total_changes
    conn.executemany(sql, rows)
    return conn.total_changes - before


def _insert_sets(conn: sqlite3.Connection, rows: Sequence[tuple[Any, ...]]) -> int:
    return _insert(conn, _INSERT_SETS, rows)


def _drop_set_indexes(conn: sqlite3.Connection) -> list[str]:
    """Drop the indexes of `sets` that SQLite does not need to keep the data consistent
    (not the uuid's UNIQUE one); the statements that build them again, as they were."""
    made = [
        (name, sql)
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sets'"
            " AND sql IS NOT NULL ORDER BY name"
        )
    ]
    for name, _ in made:
        conn.execute(f'DROP INDEX "{name}"')
    return [sql for _, sql in made]


def _restore_batch(
    conn: sqlite3.Connection, batch: ImportBatch, before: int, counts: ImportCounts
) -> ImportCounts:
    rows = list(batch.rows)
    new_sets = _insert_sets(conn, rows)
    present = 0
    if new_sets < len(rows):  # some were stored already, or given twice: which, and how
        for start in range(0, len(rows), _IMPORT_BATCH):
            present += _conflicts(conn, batch, rows, start, before)
    sessions = [_session_row(record) for record in batch.sessions]
    checkins = [_checkin_row(record) for record in batch.checkins]
    tests = [_readiness_row(record) for record in batch.readiness]
    days = [
        *(row[9] for row in rows),
        *(row[1] for row in sessions),
        *(_day_before(row[0]) for row in checkins),
        *(row[2] for row in tests),
    ]
    _invalidate(conn, min(days, default=None))
    new_sessions = _insert(conn, _INSERT_SESSIONS, sessions)
    new_checkins = _insert(conn, _INSERT_CHECKINS, checkins)
    new_tests = _insert(conn, _INSERT_READINESS, tests)
    return ImportCounts(
        counts.sets + new_sets,
        counts.sets_present + present,
        counts.sessions + new_sessions,
        counts.sessions_present + len(sessions) - new_sessions,
        counts.checkins + new_checkins,
        counts.checkins_present + len(checkins) - new_checkins,
        counts.readiness + new_tests,
        counts.readiness_present + len(tests) - new_tests,
    )


def _conflicts(
    conn: sqlite3.Connection,
    batch: ImportBatch,
    rows: Sequence[tuple[Any, ...]],
    start: int,
    before: int,
) -> int:
    """How many of `rows[start:]` (one lookup's worth) were stored before the import began
    (`id <= before`); BadInput for a uuid the import gives twice with different values."""
    chunk = rows[start : start + _IMPORT_BATCH]
    stored = {
        row[1]: (row[0], tuple(row[2:]))
        for row in conn.execute(
            f"SELECT id, {_SET_COLUMNS} FROM sets WHERE uuid IN ({', '.join('?' * len(chunk))})",
            [row[0] for row in chunk],
        )
    }
    present = 0
    for offset, row in enumerate(chunk):
        found, values = stored[row[0]]
        if found <= before:
            present += 1  # stored before this import: the stored one is kept
        elif values != tuple(row[1:]):  # an earlier line of this import gave other values
            line = batch.lines[start + offset] if batch.lines else None
            where = f"{batch.source}:{line}: " if line else ""
            raise BadInput(
                f"{where}set {row[0]} is also on an earlier line with different values;"
                " nothing was imported"
            )
    return present  # the rest went in now, or repeat a line of this import exactly


def _session_row(record: SessionRecord) -> tuple[Any, ...]:
    problem = session_problem(record)
    if problem:
        raise BadInput(f"session {str(record.session_id)[:40]!r}: {problem}")
    return (
        record.session_id,
        record.day.isoformat(),
        _encode_time(record.started_at, "started_at"),
        _encode_time(record.ended_at, "ended_at") if record.ended_at else None,
        record.pain,
        record.status,
        _encode_time(record.cleared_at, "cleared_at") if record.cleared_at else None,
    )


def _readiness_row(result: ReadinessResult) -> tuple[Any, ...]:
    problem = readiness_problem(result)
    if problem:
        raise BadInput(f"readiness test {str(result.uuid)[:36]!r}: {problem}")
    return (
        result.uuid,
        result.test,
        result.day.isoformat(),
        _encode_time(result.recorded_at, "recorded_at"),
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
    problem = checkin_problem(checkin)
    if problem:
        raise BadInput(f"{label}: {problem}")
    return (
        checkin.day.isoformat(),
        checkin.pain,
        checkin.stiffness,
        _encode_time(checkin.recorded_at, "recorded_at"),
    )


def _probe(path: Path) -> os.stat_result | None:
    """The file's status, None when there is no file; anything else the person can act on."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise BadInput(f"{path.parent} is not a folder; set HEELCOACH_HOME to a folder") from None
    except OSError as exc:
        raise _refused(
            f"cannot read the history at {path} ({exc.strerror}); make its folder"
            f" {path.parent} readable by you, or set HEELCOACH_HOME to another folder"
        ) from None


def destroy(path: Path) -> list[Path]:
    """Delete the history file, its -wal/-shm/-journal, its verified stamp and session
    locks; the paths removed.

    Close every Store on it first: removing a live WAL database loses recent commits.
    """
    removed: list[Path] = []
    with _translated(path):
        for candidate in (
            path,
            *sidecars(path),
            verified_stamp(path),
            *session_lock_files(path),
        ):
            try:
                candidate.unlink()
            except FileNotFoundError:
                continue
            removed.append(candidate)
    return removed
