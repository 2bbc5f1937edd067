"""The history's schema: its named migrations, and the checks that a file is one of ours.

The version lives in `PRAGMA user_version` and only moves forward through `MIGRATIONS`, one
transaction per step; `PRAGMA application_id` marks the file as a heelcoach history, so a
foreign SQLite file is refused instead of being "migrated". A new set column is a
`SetRecord` field with a default and its rule, plus a step here that adds it.
"""

from __future__ import annotations

import sqlite3
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple

from heelcoach.storage.failures import damaged, foreign, refused
from heelcoach.storage.rows import (
    CHECKIN_COLUMNS,
    READINESS_COLUMNS,
    SESSION_COLUMNS,
    SET_COLUMNS,
)

APPLICATION_ID = 0x4845454C  # "HEEL": marks a SQLite file as a heelcoach history


# The earliest day a session's pain rates: its own, or one of its sets'.
_SESSION_DAY = (
    "min({row}.day, coalesce((SELECT min(day) FROM sets WHERE session_id = {row}.session_id),"
    " {row}.day))"
)


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
            # the rest of the file, so a change drops the weeks it could alter (the
            # triggers of `checkpoints_follow_every_change`).
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
    Migration(
        "records_keep_their_rules_in_the_domain",
        (
            # What a record may hold is decided once, by `domain.records`, for every
            # writer and reader; the tables keep only the shape of a row. SQLite cannot
            # drop a CHECK in place: build each table anew, copy, swap.
            """
            CREATE TABLE sets_v2 (
                id INTEGER PRIMARY KEY,          -- rowid alias: insertion order
                uuid TEXT NOT NULL UNIQUE,       -- stable identity for export/import
                exercise TEXT NOT NULL,
                set_number INTEGER NOT NULL,
                side TEXT,
                reps INTEGER,
                seconds INTEGER,
                target_reps INTEGER,
                target_seconds INTEGER,
                pain INTEGER,
                day TEXT NOT NULL,               -- ISO date, local day the set counts for
                started_at TEXT NOT NULL,        -- ISO 8601 UTC, fixed width: sorts as text
                ended_at TEXT NOT NULL,
                session_id TEXT,
                source TEXT NOT NULL,
                note TEXT
            )
            """,
            "INSERT INTO sets_v2 SELECT id, uuid, exercise, set_number, side, reps, seconds,"
            " target_reps, target_seconds, pain, day, started_at, ended_at, session_id,"
            " source, note FROM sets",
            "DROP TABLE sets",
            "ALTER TABLE sets_v2 RENAME TO sets",
            "CREATE INDEX sets_by_day ON sets (day, ended_at)",
            "CREATE INDEX sets_by_exercise_day ON sets (exercise, day, ended_at)",
            "CREATE INDEX sets_daily_volume ON sets (day, exercise, reps, seconds, pain)",
            """
            CREATE TABLE sessions_v3 (
                session_id TEXT PRIMARY KEY,
                day TEXT NOT NULL,
                started_at TEXT NOT NULL,
                ended_at TEXT,
                pain INTEGER,
                status TEXT NOT NULL,
                cleared_at TEXT                  -- emergency: when a doctor's check was confirmed
            )
            """,
            "INSERT INTO sessions_v3 SELECT session_id, day, started_at, ended_at, pain,"
            " status, cleared_at FROM sessions",
            "DROP TABLE sessions",
            "ALTER TABLE sessions_v3 RENAME TO sessions",
            "CREATE INDEX sessions_by_day ON sessions (day, started_at)",
            """
            CREATE TABLE checkins_v2 (
                day TEXT PRIMARY KEY,            -- one check-in per morning
                pain INTEGER NOT NULL,
                stiffness INTEGER NOT NULL,
                recorded_at TEXT NOT NULL
            )
            """,
            "INSERT INTO checkins_v2 SELECT day, pain, stiffness, recorded_at FROM checkins",
            "DROP TABLE checkins",
            "ALTER TABLE checkins_v2 RENAME TO checkins",
            """
            CREATE TABLE readiness_tests_v2 (
                uuid TEXT PRIMARY KEY,           -- stable identity for export/import
                test TEXT NOT NULL,
                day TEXT NOT NULL,
                recorded_at TEXT NOT NULL,
                side TEXT,
                pain INTEGER,
                left_count INTEGER,
                right_count INTEGER,
                source TEXT NOT NULL,
                note TEXT
            )
            """,
            "INSERT INTO readiness_tests_v2 SELECT uuid, test, day, recorded_at, side, pain,"
            " left_count, right_count, source, note FROM readiness_tests",
            "DROP TABLE readiness_tests",
            "ALTER TABLE readiness_tests_v2 RENAME TO readiness_tests",
            "CREATE INDEX readiness_by_test_day ON readiness_tests (test, day, recorded_at)",
        ),
    ),
    Migration(
        "checkpoints_follow_every_change",
        (
            # A week checkpoint is worked out from the records before it, so any change on
            # a day drops the checkpoints of the weeks beginning after it; as triggers, no
            # write (heelcoach's or another program's) can forget to. A check-in judges
            # the day before it; a session's pain rates its sets, which may start earlier.
            "CREATE INDEX week_checkpoints_by_day ON week_checkpoints (first_day)",
            *(
                f"CREATE TRIGGER {table}_{event.lower()}_drops_checkpoints AFTER {event}"
                f" ON {table} BEGIN DELETE FROM week_checkpoints WHERE first_day > {day}; END"
                for table, event, day in (
                    ("sets", "INSERT", "NEW.day"),
                    ("sets", "DELETE", "OLD.day"),
                    ("sets", "UPDATE", "min(OLD.day, NEW.day)"),
                    ("checkins", "INSERT", "date(NEW.day, '-1 day')"),
                    ("checkins", "DELETE", "date(OLD.day, '-1 day')"),
                    ("checkins", "UPDATE", "date(min(OLD.day, NEW.day), '-1 day')"),
                    ("readiness_tests", "INSERT", "NEW.day"),
                    ("readiness_tests", "DELETE", "OLD.day"),
                    ("readiness_tests", "UPDATE", "min(OLD.day, NEW.day)"),
                    ("sessions", "INSERT", _SESSION_DAY.format(row="NEW")),
                    ("sessions", "DELETE", _SESSION_DAY.format(row="OLD")),
                    ("sessions", "UPDATE", _SESSION_DAY.format(row="OLD")),
                )
            ),
        ),
    ),
    Migration(
        "sets_record_landings_heard",
        (
            # What the listening counter heard during a live set (`start --listen`): NULL
            # when nobody listened.
            "ALTER TABLE sets ADD COLUMN landings INTEGER",
            "ALTER TABLE sets ADD COLUMN soft_landings INTEGER",
            "ALTER TABLE sets ADD COLUMN hard_landings INTEGER",
        ),
    ),
)

SCHEMA_VERSION: int = len(MIGRATIONS)

# The schema version each table appears in, and the columns the code reads from it now.
# A file that claims a version must have its tables (a test checks this map against
# MIGRATIONS); one at the current version must have every column the queries name.
TABLES = {
    "sets": (1, ", ".join(SET_COLUMNS)),
    "sessions": (2, SESSION_COLUMNS),
    "checkins": (2, CHECKIN_COLUMNS),
    "readiness_tests": (5, READINESS_COLUMNS),
    "week_checkpoints": (7, "week, first_day, state, before"),
    "checkpoint_inputs": (7, "id, inputs"),
}


def user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def rollback(conn: sqlite3.Connection) -> None:
    """Undo the open transaction; SQLite may already have (e.g. on SQLITE_FULL), and a
    failing ROLLBACK must not hide the error that caused it."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")


def apply_migrations(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Bring `conn`'s database forward to version `target` (returned), re-reading the
    version inside each step's BEGIN IMMEDIATE so two processes never apply a step twice."""
    version = user_version(conn)
    if version >= target:  # the common case: read, without taking the write lock
        return version
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = user_version(conn)
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
            rollback(conn)
            raise


def check_identity(path: Path, conn: sqlite3.Connection) -> None:
    """Refuse `conn`'s file unless it is a history this code can use, read without writing."""
    app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
    version = user_version(conn)
    if app_id != 0 and app_id != APPLICATION_ID:
        raise foreign(path, f"it belongs to another program, application id {app_id}")
    # An SQLite file with nothing in it (e.g. a first open killed before its first commit)
    # holds no data and is safe to adopt; anything else belongs to someone else.
    if app_id == 0 and (version != 0 or conn.execute("SELECT 1 FROM sqlite_master").fetchone()):
        raise foreign(path, "it holds another program's tables")
    if version > SCHEMA_VERSION:
        raise refused(
            f"the history at {path} was made by a newer heelcoach (schema version {version},"
            f" this one knows up to {SCHEMA_VERSION}) and was left untouched; upgrade"
            " heelcoach to use it"
        )
    missing = _missing_schema(conn, version)
    if missing:
        raise damaged(path, f"schema version {version} but {missing}")


def _missing_schema(conn: sqlite3.Connection, version: int) -> str | None:
    """What the tables of schema `version` lack in `conn`'s file, or None.

    Preparing `SELECT <columns> ... LIMIT 0` costs no reading, and fails exactly when a
    table or a column the code needs is not there.
    """
    for table, (since, needed) in TABLES.items():
        if version < since:
            continue
        columns = needed if version == SCHEMA_VERSION else "*"
        try:
            conn.execute(f"SELECT {columns} FROM {table} LIMIT 0")
        except sqlite3.OperationalError as exc:
            return f"the table {table} is missing or incomplete ({exc})"
    return None
