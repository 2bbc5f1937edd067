"""The training history as a person edits it: log, undo, check in, export, import, forget.

Every function validates all of its input before it writes, so a refused request leaves
no file or folder behind (not even the data folder). The command line turns the results
into lines of text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import NamedTuple, TextIO

from heelcoach.context import Context
from heelcoach.domain.logbook import LogRequest, log_records
from heelcoach.domain.monitoring import MorningVerdict, morning_verdict
from heelcoach.domain.records import CheckIn, SetRecord
from heelcoach.errors import Refused
from heelcoach.storage.store import Store, destroy, sidecars
from heelcoach.storage.transfer import private_output, write_export


def save_log(store: Store, request: LogRequest, now: datetime) -> list[SetRecord]:
    """Store the request's sets, numbered after the ones already stored that day."""
    done_today = store.sets(since=request.day, until=request.day, exercise=request.exercise)
    first = 1 + max((record.set_number for record in done_today), default=0)
    records = log_records(request, now, first)
    store.add_sets(records)
    return records


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
    earlier = store.checkins(until=checkin.day - timedelta(days=1))
    return CheckInResult(checkin, earlier[-1] if earlier else None, replaced)


def export_history(store: Store, fmt: str, output: Path | None, stdout: TextIO) -> int:
    """Export the whole history, oldest first, to `output` (0600) or `stdout`."""
    if output is None:
        return write_export(store.iter_all_sets(), fmt, stdout)
    with private_output(output) as handle:
        return write_export(store.iter_all_sets(), fmt, handle)


class ImportResult(NamedTuple):
    """How many sets an import added, and how many were already stored."""

    new: int
    present: int


def import_sets(store: Store, records: Sequence[SetRecord]) -> ImportResult:
    """Add every set whose uuid is not stored yet, all or nothing."""
    new = store.add_sets(records)
    return ImportResult(new, len(records) - new)


def forget_targets(ctx: Context) -> list[Path]:
    """The files `forget` would delete that exist now."""
    candidates = [
        ctx.profile_path,
        ctx.draft_path,
        ctx.settings_path,
        ctx.prescription_path,
        ctx.history_path,
        *sidecars(ctx.history_path),
    ]
    return [path for path in candidates if path.exists()]


def forget_everything(ctx: Context) -> list[Path]:
    """Delete the profile and the whole history; return what was removed."""
    removed = []
    for path in (ctx.profile_path, ctx.draft_path, ctx.settings_path, ctx.prescription_path):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as error:
            raise Refused(f"could not delete {path}: {error.strerror}") from None
    return removed + destroy(ctx.history_path)
