"""The training history as a person edits it: log, undo, check in, check, forget.

Every function validates all of its input before it writes, so a refused request leaves
no file or folder behind (not even the data folder). The command line turns the results
into lines of text. Exports and imports are `services.backup`.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from heelcoach.context import Context
from heelcoach.domain.logbook import LogRequest, log_records
from heelcoach.domain.monitoring import MorningVerdict, morning_verdict
from heelcoach.domain.records import CheckIn, SetRecord
from heelcoach.errors import Refused
from heelcoach.files import data_files, stray_temp_files
from heelcoach.storage.failures import Damaged as Damaged  # `check` names the damage it finds
from heelcoach.storage.locks import session_lock_files
from heelcoach.storage.store import Store, destroy


def save_log(store: Store, request: LogRequest, now: datetime) -> list[SetRecord]:
    """Store the request's sets, numbered after the ones already stored that day."""
    return store.add_logged_sets(log_records(request, now))


class UndoPlan(NamedTuple):
    """The rows one `log` call added, to be removed together."""

    records: tuple[SetRecord, ...]


def last_log_entry(store: Store) -> UndoPlan:
    """The rows the last `heelcoach log` call added; Refused when there is none to undo."""
    latest = store.latest_logged_set()
    if latest is None:
        raise Refused("nothing to undo: the history has no sets")
    if latest.source != "log":
        how = "a live session" if latest.source == "live" else "an import"
        raise Refused(
            f"nothing to undo: the most recent entry ({latest.exercise} on "
            f"{latest.day.isoformat()}) came from {how}, and undo only removes "
            "what `heelcoach log` added"
        )
    same_call = [
        record
        for record in store.sets(since=latest.day, until=latest.day, exercise=latest.exercise)
        if record.source == "log" and record.started_at == latest.started_at
    ]
    return UndoPlan(tuple(same_call) or (latest,))


class LiveUndo(NamedTuple):
    """The sets of the live session that is the latest entry in the history."""

    session_id: str
    records: tuple[SetRecord, ...]
    keep_session: bool  # an emergency stop stays remembered even when its sets go


def last_live_session(store: Store) -> LiveUndo | None:
    """The last live session, when its sets are the newest entry; else None."""
    latest = store.latest_logged_set()
    if latest is None or latest.source != "live" or latest.session_id is None:
        return None
    same = store.sets(since=latest.day, until=latest.day, newest_first=False)
    records = tuple(r for r in same if r.session_id == latest.session_id)
    sessions = store.sessions(since=latest.day, until=latest.day)
    emergency = any(s.session_id == latest.session_id and s.status == "emergency" for s in sessions)
    return LiveUndo(latest.session_id, records or (latest,), emergency)


def undo_live_session(store: Store, plan: LiveUndo) -> int:
    """Remove the session's sets (and the session, unless it was an emergency stop)."""
    if plan.keep_session:
        return store.delete_sets([record.uuid for record in plan.records])
    return store.delete_session(plan.session_id)


def undo(store: Store, plan: UndoPlan) -> int:
    """Remove the rows of one `log` call together, so a crash never leaves half of them."""
    return store.delete_sets([record.uuid for record in plan.records])


class CheckInResult(NamedTuple):
    """A saved check-in, the one before it, and whether it replaced one for the same day."""

    saved: CheckIn
    previous: CheckIn | None
    replaced: bool

    @property
    def verdict(self) -> MorningVerdict | None:
        return morning_verdict(self.previous, self.saved)


def save_checkin(store: Store, checkin: CheckIn) -> CheckInResult:
    """Store the morning check-in (replacing one for the same day) and find the previous."""
    replaced = store.checkin_for(checkin.day) is not None
    store.save_checkin(checkin)
    return CheckInResult(checkin, store.checkin_before(checkin.day), replaced)


class CheckReport(NamedTuple):
    """What `heelcoach check` found in a history that reads back whole."""

    path: Path
    exists: bool
    sets: int = 0
    sessions: int = 0
    checkins: int = 0
    readiness: int = 0


def check_history(ctx: Context) -> CheckReport:
    """Check the history whole: SQLite's full integrity check, then every record decoded.

    `Damaged` (with SQLite's findings) when it is not whole, and `Refused` for a file that
    is not a history (a folder, a FIFO, another program's file); the file is never changed.
    """
    path = ctx.history_path
    if not os.path.lexists(path):
        return CheckReport(path, exists=False)
    with Store.open(path, create=False, full_check=True) as store:
        return CheckReport(path, True, *store.decode_all())


def forget_targets(ctx: Context) -> list[Path]:
    """The files `forget` would delete that exist now (strays of killed commands too)."""
    existing = [path for path in data_files(ctx.data_dir) if path.exists()]
    return existing + session_lock_files(ctx.history_path) + stray_temp_files(ctx.data_dir)


def forget_everything(ctx: Context) -> list[Path]:
    """Delete the profile, the whole history and any temporary file heelcoach left."""
    removed = []
    data = (ctx.profile_path, ctx.draft_path, ctx.settings_path, ctx.prescription_path)
    for path in (*data, *stray_temp_files(ctx.data_dir)):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise Refused(f"could not delete {path}: {error.strerror}") from None
    return removed + destroy(ctx.history_path)
