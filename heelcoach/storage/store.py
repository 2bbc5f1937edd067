"""The history store: every set, session, check-in and readiness test, in one SQLite file.

* WAL journal with `synchronous=FULL`: a set acknowledged to the user survives a kill -9 or
  a power cut, and readers never block the writer of a live session.
* Every write runs in `BEGIN IMMEDIATE`, so the write lock is taken while SQLite can still
  wait for it (a deferred transaction that upgrades fails at once when another process
  writes); `isolation_level=None` keeps Python from opening transactions of its own.
  Anything a write depends on (the next set number of a `log`) is read inside that
  transaction, so concurrent writers never hand out the same number.
* A store opened for writing remembers which file it opened: once that file is deleted or
  replaced (`heelcoach forget` during a live session), every later write is refused.
* A writer that finds a session still "running" whose lock (`storage.locks`) nobody holds
  marks it "interrupted"; a session without a lock file (an older heelcoach) counts as
  gone once it started more than `STALE_SESSION_HOURS` ago.

`Store.open(create=False)` with no file returns an empty, read-only, in-memory view: readers
work on a fresh machine and nothing is created. Writing through that view raises `Refused`.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from heelcoach.domain.logbook import numbered_after
from heelcoach.domain.records import (
    STATUS_CHOICES,
    CheckIn,
    ReadinessResult,
    SessionRecord,
    SetRecord,
)
from heelcoach.errors import BadInput, HeelcoachError, Refused
from heelcoach.files import check_folder, ensure_private_dir, sidecars
from heelcoach.storage.failures import (
    Damaged,
    decoded,
    no_access,
    refused,
    space_problem,
    translated,
)
from heelcoach.storage.locks import (
    NoLocking,
    lock_path,
    session_lock_files,
    take_lock,
)
from heelcoach.storage.opening import (
    BUSY_TIMEOUT_SECONDS,
    can_write,
    check_connection,
    check_header,
    connect_ro,
    connect_rw,
    create_history,
    inspect,
    memory_view,
    private_umask,
    probe,
    tighten,
)
from heelcoach.storage.rows import (
    CHECKIN_COLUMNS,
    READINESS_COLUMNS,
    SESSION_COLUMNS,
    SET_COLUMNS,
    R,
    Record,
    decode_time,
    encode_day,
    encode_time,
    from_row,
    to_row,
)
from heelcoach.storage.schema import SCHEMA_VERSION, apply_migrations, rollback, user_version

STALE_SESSION_HOURS = 12  # a "running" session without a lock file is gone after this
_FETCH_BATCH = 500
_IMPORT_BATCH = 500  # rows per statement batch inside an import's one transaction
SET_LIST = ", ".join(SET_COLUMNS)


class ImportCounts(NamedTuple):
    """What one import added, and how many of each kind were already stored; `worse_kept`:
    the days whose check-ins differed, of which the worse was kept."""

    sets: int = 0
    sets_present: int = 0
    sessions: int = 0
    sessions_present: int = 0
    checkins: int = 0
    checkins_present: int = 0
    readiness: int = 0
    readiness_present: int = 0
    worse_kept: tuple[date, ...] = ()


def _insert_new(table: str, columns: str) -> str:
    """An INSERT of one row that skips it when its identity is already stored."""
    places = ", ".join("?" * len(columns.split(",")))
    return f"INSERT INTO {table} ({columns}) VALUES ({places}) ON CONFLICT DO NOTHING"


INSERT_SETS = _insert_new("sets", SET_LIST)
INSERT_SESSIONS = _insert_new("sessions", SESSION_COLUMNS)
INSERT_READINESS = _insert_new("readiness_tests", READINESS_COLUMNS)


def insert(conn: sqlite3.Connection, sql: str, rows: Sequence[tuple[Any, ...]]) -> int:
    """Run one INSERT ... ON CONFLICT DO NOTHING per row; how many rows were new."""
    before = conn.total_changes
    conn.executemany(sql, rows)
    return conn.total_changes - before


def import_batch(
    conn: sqlite3.Connection,
    batch: Sequence[tuple[int, Record]],
    before: int,
    source: str,
    counts: ImportCounts,
) -> ImportCounts:
    sets = [(line, to_row(r)) for line, r in batch if isinstance(r, SetRecord)]
    sessions = [to_row(r) for _, r in batch if isinstance(r, SessionRecord)]
    tests = [to_row(r) for _, r in batch if isinstance(r, ReadinessResult)]
    new_sets = insert(conn, INSERT_SETS, [row for _, row in sets])
    present = _sets_present(conn, sets, before, source) if new_sets < len(sets) else 0
    new_sessions = insert(conn, INSERT_SESSIONS, sessions)
    new_tests = insert(conn, INSERT_READINESS, tests)
    checkins = [r for _, r in batch if isinstance(r, CheckIn)]
    outcomes = [_import_checkin(conn, checkin) for checkin in checkins]
    return counts._replace(
        sets=counts.sets + new_sets,
        sets_present=counts.sets_present + present,
        sessions=counts.sessions + new_sessions,
        sessions_present=counts.sessions_present + len(sessions) - new_sessions,
        checkins=counts.checkins + outcomes.count("new"),
        checkins_present=counts.checkins_present + outcomes.count("present"),
        readiness=counts.readiness + new_tests,
        readiness_present=counts.readiness_present + len(tests) - new_tests,
        worse_kept=counts.worse_kept
        + tuple(c.day for c, outcome in zip(checkins, outcomes, strict=True) if outcome == "worse"),
    )


def _import_checkin(conn: sqlite3.Connection, checkin: CheckIn) -> str:
    """Store an imported check-in: "new", "present" (the same scores were stored), or
    "worse" when the scores differ and the worse of the two was kept (more pain first,
    then more stiffness): a restore never hides the harder morning."""
    row = to_row(checkin)
    stored = conn.execute(
        "SELECT pain, stiffness FROM checkins WHERE day = ?", (row[0],)
    ).fetchone()
    if stored is None:
        conn.execute(f"INSERT INTO checkins ({CHECKIN_COLUMNS}) VALUES (?, ?, ?, ?)", row)
        return "new"
    if tuple(stored) == row[1:3]:
        return "present"
    if row[1:3] > tuple(stored):
        conn.execute(
            "UPDATE checkins SET pain = ?, stiffness = ?, recorded_at = ? WHERE day = ?",
            (*row[1:], row[0]),
        )
    return "worse"


def _sets_present(
    conn: sqlite3.Connection, sets: Sequence[tuple[int, tuple[Any, ...]]], before: int, source: str
) -> int:
    """How many of `sets` were stored before the import began (`id <= before`); BadInput
    for a uuid the import gives twice with different values."""
    stored = {
        row[1]: (row[0], tuple(row[2:]))
        for row in conn.execute(
            f"SELECT id, {SET_LIST} FROM sets WHERE uuid IN ({', '.join('?' * len(sets))})",
            [row[0] for _, row in sets],
        )
    }
    present = 0
    for line, row in sets:
        found, values = stored[row[0]]
        if found <= before:
            present += 1  # stored before this import: the stored one is kept
        elif values != tuple(row[1:]):  # an earlier line of this import gave other values
            raise BadInput(
                f"{source}:{line}: set {row[0]} is also on an earlier line with different"
                " values; nothing was imported"
            )
    return present  # the rest went in now, or repeat a line of this import exactly


def _check_count(value: Any, what: str, high: int) -> None:
    """Accept None or an int in [0, high]; bool is an int in Python but not a count."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise BadInput(f"{what} must be a whole number >= 0, got {value!r}")
    if value > high:
        raise BadInput(f"{what} must be between 0 and {high}, got {value!r}")


def _where(since: date | None, until: date | None, **equal: Any) -> tuple[str, list[Any]]:
    """A WHERE clause, and its parameters, for an inclusive day range and columns that must
    equal a value (each left out when None)."""
    clauses: list[str] = []
    params: list[Any] = []
    if since is not None:
        clauses.append("day >= ?")
        params.append(encode_day(since, "since"))
    if until is not None:
        clauses.append("day <= ?")
        params.append(encode_day(until, "until"))
    for column, value in equal.items():
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return (f" WHERE {' AND '.join(clauses)}" if clauses else ""), params


def _started_after(started_at: Any, cutoff: datetime) -> bool:
    with suppress(TypeError, ValueError):
        return decode_time(started_at) > cutoff
    return False  # a start time another program broke cannot keep a session running


class Store(AbstractContextManager["Store"]):
    """The history of one person. Open with `Store.open()`; use as a context manager."""

    path: Path

    def __init__(
        self, path: Path, conn: sqlite3.Connection, identity: tuple[int, int] | None = None
    ) -> None:
        self.path = path
        self._conn = conn
        self._identity = identity  # (device, inode) of the file opened for writing
        self._locks: dict[str, int] = {}  # session id -> fd holding its lock

    @classmethod
    def open(cls, path: Path, *, create: bool = True, full_check: bool = False) -> Store:
        """Open (creating, inspecting and migrating as needed) the history at `path`; where
        it cannot be written, a read-only view of it. `full_check`: SQLite's whole
        integrity check instead of the quick one."""
        if create:
            ensure_private_dir(path.parent)  # never chmods an existing folder
        else:
            check_folder(path.parent)
        exists = probe(path) is not None
        if not exists and not create:
            return cls(path, memory_view())
        if exists and not create and not can_write(path):
            return cls._read_only(path, full_check)
        try:
            return cls._open_rw(path, exists, create, full_check)
        except Refused as error:
            if create or isinstance(error, Damaged):
                raise
            return cls._read_only(path, full_check)  # a full disk SQLite found before we did

    @classmethod
    def _open_rw(cls, path: Path, exists: bool, writer: bool, full: bool) -> Store:
        """A read-write connection; a writer also closes sessions whose process is gone."""
        with translated(path), private_umask():
            if not exists:
                create_history(path)
            check_header(path)
            inspect(path, full=full)
            conn = connect_rw(path)
            try:
                apply_migrations(conn)
                tighten(path)
                info = path.stat()
            except BaseException:
                conn.close()
                raise
        store = cls(path, conn, (info.st_dev, info.st_ino))
        if writer:
            try:
                store._close_stale_sessions()
            except BaseException:
                store.close()
                raise
        return store

    @classmethod
    def _read_only(cls, path: Path, full: bool = False) -> Store:
        """The history read without writing anything: no `-wal`/`-shm` is created."""
        with translated(path):
            check_header(path)
            conn = connect_ro(path)
            try:
                check_connection(path, conn, full=full)
                if user_version(conn) < SCHEMA_VERSION:
                    conn = memory_view(conn)
            except BaseException:
                conn.close()
                raise
        return cls(path, conn)

    def close(self) -> None:
        for fd in self._locks.values():
            with suppress(OSError):
                os.close(fd)  # the lock file stays: the next writer sees the lock is free
        self._locks.clear()
        conn: sqlite3.Connection | None = self._conn
        self._conn = None  # type: ignore[assignment]
        if conn is not None:
            with translated(self.path):
                conn.close()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def writable(self) -> bool:
        """False for the empty view and for a history opened where nothing can be written."""
        return self._identity is not None

    @property
    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            raise RuntimeError(f"the history store {self.path} is closed")
        return self._conn

    def _check_still_there(self) -> None:
        """Refuse to write once the file this store opened was deleted or replaced."""
        try:
            info = self.path.stat()
        except OSError:
            info = None
        if info is None or (info.st_dev, info.st_ino) != self._identity:
            raise refused(
                f"the history at {self.path} was deleted or replaced while this command was"
                " using it (by `heelcoach forget`?); nothing more was saved to it"
            )

    def _why_read_only(self) -> Refused:
        """Why a store opened for reading cannot write: the reason a person can act on."""
        if self._identity is None and probe(self.path) is None:
            return refused(
                f"there is no history at {self.path} yet and it was opened for reading"
                " only; record a session or log a set first"
            )
        found = space_problem(self.path)
        if found is not None:
            return found
        if not os.access(self.path.parent, os.W_OK) or not os.access(self.path, os.W_OK):
            return no_access(self.path, "permission denied")
        return refused(f"the history at {self.path} was opened for reading only")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: BEGIN IMMEDIATE, then COMMIT, or ROLLBACK on any error."""
        if not self.writable:
            raise self._why_read_only()
        conn = self._db
        with translated(self.path):
            self._check_still_there()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                rollback(conn)
                raise

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see one state of the history, however other processes write."""
        conn = self._db
        if conn.in_transaction:  # already inside one
            yield
            return
        with translated(self.path):
            conn.execute("BEGIN")
        try:
            yield
        finally:
            with translated(self.path):
                conn.execute("COMMIT")

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with translated(self.path):
            return self._db.execute(sql, params).fetchall()

    def _records(self, kind: type[R], sql: str, params: Sequence[Any] = ()) -> list[R]:
        rows = self._read(sql, params)
        return decoded(self.path, lambda row: from_row(kind, row), rows)

    def _first(self, kind: type[R], sql: str, params: Sequence[Any] = ()) -> R | None:
        return next(iter(self._records(kind, sql, params)), None)

    def add_sets(self, records: Sequence[SetRecord]) -> int:
        """Store `records` in one transaction (none if any is invalid); how many were new:
        a uuid already stored is skipped."""
        return self._insert_new(INSERT_SETS, records)

    def _insert_new(self, sql: str, records: Sequence[Record]) -> int:
        rows = [to_row(record) for record in records]  # validate all before writing
        if not rows:
            return 0
        with self._write() as conn:
            return insert(conn, sql, rows)

    def add_logged_sets(self, records: Sequence[SetRecord]) -> list[SetRecord]:
        """Store the sets of one `log` call (numbered from 1), numbered after those already
        stored for the exercise that day, read inside the write transaction (module docs)."""
        if not records:
            return []
        for record in records:
            to_row(record)  # validate before taking the write lock
        with self._write() as conn:
            first = records[0]
            (highest,) = conn.execute(
                "SELECT coalesce(max(set_number), 0) FROM sets WHERE day = ? AND exercise = ?",
                (first.day.isoformat(), first.exercise),
            ).fetchone()
            numbered = numbered_after(records, int(highest))
            rows = [to_row(record) for record in numbered]
            insert(conn, INSERT_SETS, rows)
        return numbered

    def latest_logged_set(self) -> SetRecord | None:
        """The set stored most recently (by insertion, any source), or None."""
        return self._first(SetRecord, f"SELECT {SET_LIST} FROM sets ORDER BY id DESC LIMIT 1")

    def set_pain(self, uuid: str, pain: int) -> bool:
        """Record pain reported after a set (in the rest that followed it); keeps the
        higher of the two. False if no set has that uuid."""
        _check_count(pain, "pain", 10)
        with self._write() as conn:
            return bool(
                conn.execute(
                    "UPDATE sets SET pain = max(coalesce(pain, 0), ?) WHERE uuid = ?", (pain, uuid)
                ).rowcount
            )

    def delete_sets(self, uuids: Sequence[str]) -> int:
        """Remove these sets in one transaction (all or none); returns how many existed."""
        with self._write() as conn:
            return conn.executemany(
                "DELETE FROM sets WHERE uuid = ?", [(uuid,) for uuid in uuids]
            ).rowcount

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
        where, params = _where(since, until, exercise=exercise)
        order = "DESC" if newest_first else "ASC"
        # Same column order as the indexes (rowid last), so no sort step is needed.
        sql = (
            f"SELECT {SET_LIST} FROM sets{where} ORDER BY day {order}, ended_at {order}, id {order}"
        )
        if limit is not None:
            _check_count(limit, "limit", 2**62)
            sql += " LIMIT ?"
            params.append(limit)
        return self._records(SetRecord, sql, params)

    def iter_all_sets(self) -> Generator[SetRecord, None, None]:
        """Every set, oldest first, fetched in batches; close the iterator (or exhaust it)
        before the store."""
        with translated(self.path):
            cursor = self._db.execute(f"SELECT {SET_LIST} FROM sets ORDER BY day, ended_at, id")
        try:
            while True:
                with translated(self.path):
                    batch = cursor.fetchmany(_FETCH_BATCH)
                if not batch:
                    return
                yield from decoded(self.path, lambda row: from_row(SetRecord, row), batch)
        finally:
            with suppress(sqlite3.Error):
                cursor.close()

    def count_sets(self) -> int:
        return int(self._read("SELECT count(*) FROM sets")[0][0])

    def decode_all(self) -> tuple[int, int, int, int]:
        """Decode every stored record (what `heelcoach check` adds to SQLite's check):
        how many sets, sessions, check-ins and readiness tests; `Damaged` for the first
        that breaks the rules of `domain.records` (a row another program wrote)."""
        sets = sum(1 for _ in self.iter_all_sets())
        return sets, len(self.sessions()), len(self.checkins()), len(self.readiness())

    def daily_volume(
        self, since: date, until: date
    ) -> list[tuple[date, str, int, int, int, int | None, int | None, int | None, int | None]]:
        """Per (day, exercise) in [since, until]: sets, total reps, total seconds, max pain,
        and the landings heard, soft and hard (NULL when no set of them was listened to)."""
        rows = self._read(
            "SELECT day, exercise, count(*), coalesce(sum(reps), 0), coalesce(sum(seconds), 0),"
            " max(pain), sum(landings), sum(soft_landings), sum(hard_landings)"
            " FROM sets WHERE day >= ? AND day <= ?"
            " GROUP BY day, exercise ORDER BY day, exercise",
            (encode_day(since, "since"), encode_day(until, "until")),
        )
        return decoded(self.path, lambda row: (date.fromisoformat(row[0]), *row[1:]), rows)

    def daily_evidence(
        self, since: date, until: date, ok_at_most: int
    ) -> list[tuple[date, str, int, int, int | None]]:
        """Per (day, exercise): set rows, rows rated at most `ok_at_most`, worst pain. A
        set's pain is its own, else its session's answer; a set with neither is no evidence
        of being pain-free."""
        rows = self._read(
            "SELECT s.day, s.exercise, count(*),"
            " coalesce(sum(coalesce(s.pain, ss.pain) <= ?), 0), max(coalesce(s.pain, ss.pain))"
            " FROM sets s LEFT JOIN sessions ss ON ss.session_id = s.session_id"
            " WHERE s.day >= ? AND s.day <= ?"
            " GROUP BY s.day, s.exercise ORDER BY s.day, s.exercise",
            (ok_at_most, encode_day(since, "since"), encode_day(until, "until")),
        )
        return [(date.fromisoformat(day), *rest) for day, *rest in rows]

    def first_day(self) -> date | None:
        """The earliest day with a set, a check-in or a readiness test, if any."""
        rows = self._read(
            "SELECT min(day) FROM (SELECT min(day) AS day FROM sets"
            " UNION ALL SELECT min(day) FROM checkins"
            " UNION ALL SELECT min(day) FROM readiness_tests)"
        )
        return date.fromisoformat(rows[0][0]) if rows and rows[0][0] else None

    def start_session(self, record: SessionRecord) -> None:
        """Record a new session, holding its lock until `finish_session` or the process
        ends; a session id already stored is refused."""
        row = to_row(record)
        lock = lock_path(self.path, record.session_id)
        fd = None
        if self.writable and record.session_id not in self._locks:
            try:
                with translated(self.path):
                    fd = take_lock(lock, create=True)
                if fd is None:
                    raise BadInput(f"session {record.session_id!r} is already running")
                with suppress(OSError):  # for a person who wonders what the file is
                    os.write(fd, f"{os.getpid()}@{os.uname().nodename}\n".encode())
            except NoLocking:
                lock.unlink(missing_ok=True)  # no lock here: the clock rule applies
        try:
            with self._write() as conn:
                if not insert(conn, INSERT_SESSIONS, [row]):
                    raise BadInput(f"session {record.session_id!r} was already started")
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
        if status not in STATUS_CHOICES:
            raise BadInput(f"session status must be one of {', '.join(STATUS_CHOICES)}")
        _check_count(pain, "session pain", 10)
        ended = encode_time(ended_at, "session ended_at")
        with self._write() as conn:
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
            lock_path(self.path, session_id).unlink(missing_ok=True)
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
            lock = lock_path(self.path, session_id)
            try:
                fd = take_lock(lock, create=False)
            except NoLocking:
                fd = None
                lock.unlink(missing_ok=True)
            if fd is None and (lock.exists() or _started_after(started_at, cutoff)):
                continue  # held: its process is alive; no lock file: wait for the cutoff
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
        _check_count(pain, "session pain", 10)
        with self._write() as conn:
            if not conn.execute(
                "UPDATE sessions SET pain = ? WHERE session_id = ?", (pain, session_id)
            ).rowcount:
                raise BadInput(f"no session {session_id!r} in {self.path}")

    def sessions(
        self, *, since: date | None = None, until: date | None = None
    ) -> list[SessionRecord]:
        """Sessions in the day range, oldest first."""
        where, params = _where(since, until)
        return self._records(
            SessionRecord,
            f"SELECT {SESSION_COLUMNS} FROM sessions{where} ORDER BY day, started_at, rowid",
            params,
        )

    def delete_session(self, session_id: str) -> int:
        """Remove a live session and its sets in one transaction; returns the sets removed."""
        with self._write() as conn:
            removed = conn.execute("DELETE FROM sets WHERE session_id = ?", (session_id,)).rowcount
            conn.execute("DELETE FROM sessions WHERE session_id = ?", (session_id,))
            return int(removed)

    def clear_emergency(self, session_id: str, at: datetime) -> None:
        """Record that the person confirmed a doctor checked them after this emergency."""
        cleared = encode_time(at, "cleared_at")
        with self._write() as conn:
            conn.execute(
                "UPDATE sessions SET cleared_at = ? WHERE session_id = ? AND status = 'emergency'",
                (cleared, session_id),
            )

    def open_emergency(self) -> SessionRecord | None:
        """The latest session stopped for chest pain or dizziness and not yet cleared."""
        return self._first(
            SessionRecord,
            f"SELECT {SESSION_COLUMNS} FROM sessions WHERE status = 'emergency'"
            " AND cleared_at IS NULL ORDER BY day DESC, started_at DESC LIMIT 1",
        )

    def add_readiness(self, results: Sequence[ReadinessResult]) -> int:
        """Store readiness results in one transaction; a uuid already stored is skipped."""
        return self._insert_new(INSERT_READINESS, results)

    def readiness(
        self, *, test: str | None = None, since: date | None = None, until: date | None = None
    ) -> list[ReadinessResult]:
        """Readiness results, oldest first (by day, then the moment recorded)."""
        where, params = _where(since, until, test=test)
        return self._records(
            ReadinessResult,
            f"SELECT {READINESS_COLUMNS} FROM readiness_tests{where}"
            " ORDER BY day, recorded_at, rowid",
            params,
        )

    def save_checkin(self, checkin: CheckIn) -> None:
        """Store the morning check-in; a second one for the same day replaces the first."""
        row = to_row(checkin)
        with self._write() as conn:
            conn.execute(
                "INSERT INTO checkins (day, pain, stiffness, recorded_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (day) DO UPDATE SET pain = excluded.pain,"
                " stiffness = excluded.stiffness, recorded_at = excluded.recorded_at",
                row,
            )

    def checkins(self, *, since: date | None = None, until: date | None = None) -> list[CheckIn]:
        """Check-ins in the day range, oldest first."""
        where, params = _where(since, until)
        return self._records(
            CheckIn,
            f"SELECT {CHECKIN_COLUMNS} FROM checkins{where} ORDER BY day",
            params,
        )

    def checkin_before(self, day: date) -> CheckIn | None:
        """The latest check-in before `day`, if any."""
        return self._first(
            CheckIn,
            f"SELECT {CHECKIN_COLUMNS} FROM checkins WHERE day < ? ORDER BY day DESC LIMIT 1",
            (encode_day(day, "day"),),
        )

    def checkin_for(self, day: date) -> CheckIn | None:
        return self._first(
            CheckIn,
            f"SELECT {CHECKIN_COLUMNS} FROM checkins WHERE day = ?",
            (encode_day(day, "day"),),
        )

    def data_version(self) -> int:
        """SQLite's `data_version`, which changes whenever another connection commits: it
        tells `save_checkpoints` whether what was read is still what is stored."""
        return int(self._read("PRAGMA data_version")[0][0])

    def checkpoints(self, inputs: str) -> list[tuple[int, str, str]]:
        """The week checkpoints kept for `inputs` (week, state, the week before), oldest
        first; none for other inputs. A change to the records drops those it can alter
        (the triggers of `storage.schema`)."""
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
        `inputs`, replacing those of other inputs, unless another connection committed since
        `seen` (`data_version`). Best effort: a history that cannot be written, or is busy,
        keeps what it had (the next command replays those weeks again)."""
        if not self.writable or not rows:
            return False
        conn = self._db
        try:
            with translated(self.path):
                conn.execute("PRAGMA busy_timeout = 100")  # never wait long for a cache
            with self._write() as conn:
                if int(conn.execute("PRAGMA data_version").fetchone()[0]) != seen:
                    return False  # another connection committed: they may be stale
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
                    [(week, encode_day(first, "first_day"), *rest) for week, first, *rest in rows],
                )
        except HeelcoachError:
            return False
        finally:
            with suppress(sqlite3.Error):
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        return True

    def import_records(self, records: Iterable[tuple[int, Record]], source: str) -> ImportCounts:
        """Write the records of an import (each with its line in `source`) in ONE
        transaction, all or none, in batches so a long file is never held in memory. A
        record already stored (same uuid, session id or day) is kept; of two different
        check-ins for one day, the worse."""
        counts = ImportCounts()
        with self._write() as conn:
            (before,) = conn.execute("SELECT coalesce(max(id), 0) FROM sets").fetchone()
            items = iter(records)
            while batch := list(islice(items, _IMPORT_BATCH)):
                counts = import_batch(conn, batch, int(before), source, counts)
            return counts


def destroy_if_empty(path: Path) -> None:
    """Remove the history at `path` if it holds no record at all (an import that made it
    failed); anything else, or a history that cannot be read, is left as it is."""
    held: object = True
    with suppress(HeelcoachError), Store.open(path, create=False) as store:
        held = store.count_sets() or store.sessions() or store.checkins() or store.readiness()
    if not held:
        destroy(path)


def destroy(path: Path) -> list[Path]:
    """Delete the history file, its -wal/-shm/-journal, session locks and an earlier
    version's note beside it; the paths removed. Close every Store on it first: removing a
    live WAL database loses recent commits."""
    removed: list[Path] = []
    leftover = path.with_name(path.name + "-verified")  # an earlier version's note
    with translated(path):
        for candidate in (path, *sidecars(path), leftover, *session_lock_files(path)):
            try:
                candidate.unlink()
            except FileNotFoundError:
                continue
            removed.append(candidate)
    return removed
