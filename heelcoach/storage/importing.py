"""How the records of an import join a history, inside `Store.import_records`' one
transaction: batched inserts, matched by identity."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import Any, NamedTuple

from heelcoach.domain.records import CheckIn, ReadinessResult, SessionRecord, SetRecord
from heelcoach.errors import BadInput
from heelcoach.storage.rows import (
    CHECKIN_COLUMNS,
    READINESS_COLUMNS,
    SESSION_COLUMNS,
    SET_COLUMNS,
    Record,
    to_row,
)

SET_LIST = ", ".join(SET_COLUMNS)


class ImportCounts(NamedTuple):
    """What one import added, and how many of each kind were already stored.

    `worse_kept`: the days whose check-in in the file and the one stored (or two in the
    file) differ; for each the worse of the two (more pain, then more stiffness) is kept.
    """

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
