"""The training history as a person edits it: log, undo, check in, export, import, forget.

Domain logic only: no Rich, no Typer, no printing. Every function validates all of its input
before it opens the store for writing, so a refused request leaves no file or folder behind
(not even the data folder). The CLI (`cli_history`) turns the results into lines of text.

Choices worth knowing:

* `heelcoach log` writes one row per set, and per side for one-sided exercises (`--side
  both` means the sets were done on each leg: one left row and one right row per set, the
  way a live session records them). Every row of one `log` call shares the same
  `started_at` (the moment of logging, moved to the day the sets count for, to the
  microsecond), so `undo` can find and remove exactly what the last `log` call added.
  Logged sets have no real timing: `ended_at` equals `started_at`.
* `undo` only removes a `log` call: when the most recently stored set came from a live
  session or an import, it refuses rather than reach past it to an older log entry.
* The export file format is every `SetRecord` field under its own name (see
  `EXPORT_FIELDS`), dates as ISO 8601 and times as ISO 8601 UTC; an import keeps every
  field as given, `source` included, so export -> import -> export is byte-for-byte the
  same. Rows are matched by `uuid`: importing the same file twice adds nothing.
"""

from __future__ import annotations

import json
import os
import sys
import uuid as uuid_module
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Any, NamedTuple, TextIO

from heelcoach import paths
from heelcoach.catalogue import ExerciseFacts
from heelcoach.errors import BadInput, Refused
from heelcoach.monitoring import worse_morning
from heelcoach.store import SIDE_CHOICES, SOURCE_CHOICES, CheckIn, SetRecord, Store, sidecars

# Plausible bounds for what one person logs by hand: anything outside is a typo.
SETS_RANGE = (1, 20)
REPS_RANGE = (1, 200)
SECONDS_RANGE = (1, 3600)
PAIN_RANGE = (0, 10)
NOTE_MAX_CHARS = 500

EXPORT_FORMATS = ("csv", "jsonl")
EXPORT_FIELDS = (
    "uuid", "exercise", "set_number", "side", "reps", "seconds", "target_reps",
    "target_seconds", "pain", "day", "started_at", "ended_at", "session_id", "source", "note",
)
# An import may leave these out (they default to null); every other field is required.
OPTIONAL_IMPORT_FIELDS = frozenset(
    ("side", "reps", "seconds", "target_reps", "target_seconds", "pain", "session_id", "note"))
_INT_FIELDS = ("set_number", "reps", "seconds", "target_reps", "target_seconds", "pain")

WORSE = "worse"
SAME_OR_BETTER = "same or better"


# --------------------------------------------------------------------------- checking input


def parse_day(text: str, option: str, today: date) -> date:
    """An ISO date that is not in the future, or BadInput naming the option."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(f"{option}: '{text}' is not a date (use YYYY-MM-DD, e.g. "
                       f"{today.isoformat()})") from None
    if day > today:
        raise BadInput(f"{option}: {day.isoformat()} is in the future (today is "
                       f"{today.isoformat()})")
    return day


def check_number(value: int, option: str, bounds: tuple[int, int]) -> int:
    low, high = bounds
    if not low <= value <= high:
        raise BadInput(f"{option} must be between {low} and {high}, got {value}")
    return value


def _clean_note(note: str | None) -> str | None:
    if note is None:
        return None
    text = " ".join(note.split())
    if len(text) > NOTE_MAX_CHARS:
        raise BadInput(f"--note is {len(text)} characters long; keep it under "
                       f"{NOTE_MAX_CHARS}")
    return text or None


def local_now() -> datetime:
    """Now, timezone-aware in the local zone."""
    return datetime.now().astimezone()


# --------------------------------------------------------------------------- log


# The small results below are NamedTuples, not dataclasses: they are just as immutable, and
# creating them at import costs a sixth as much, which `heelcoach log` start-up feels.


class LogRequest(NamedTuple):
    """What `heelcoach log` was asked to record, already validated."""

    exercise: str
    name: str
    sets: int
    reps: int | None
    seconds: int | None
    sides: tuple[str | None, ...]  # one entry per row of a set: (None,), ("left",) ...
    pain: int | None
    day: date
    note: str | None

    @property
    def amount(self) -> str:
        return f"{self.reps} reps" if self.reps is not None else f"{self.seconds} s"


def check_log(exercise: ExerciseFacts, *, sets: int, reps: int | None,
              seconds: int | None, side: str | None, pain: int | None, day: date,
              note: str | None) -> LogRequest:
    """Validate a `log` request for `exercise`; BadInput on the first problem."""
    check_number(sets, "--sets", SETS_RANGE)
    if reps is not None and seconds is not None:
        raise BadInput("give --reps or --seconds, not both")
    if exercise.measure == "reps":
        if seconds is not None:
            raise BadInput(f"{exercise.name} is counted in reps, not seconds: use --reps N")
        if reps is None:
            raise BadInput(f"{exercise.name} is counted in reps: add --reps N (e.g. --reps 10)")
        check_number(reps, "--reps", REPS_RANGE)
    else:
        if reps is not None:
            raise BadInput(f"{exercise.name} is timed, not counted in reps: use --seconds N")
        if seconds is None:
            raise BadInput(f"{exercise.name} is timed: add --seconds N (e.g. --seconds 30)")
        check_number(seconds, "--seconds", SECONDS_RANGE)
    if pain is not None:
        check_number(pain, "--pain", PAIN_RANGE)
    return LogRequest(exercise.id, exercise.name, sets, reps, seconds,
                      _sides(exercise, side), pain, day, _clean_note(note))


def _sides(exercise: ExerciseFacts, side: str | None) -> tuple[str | None, ...]:
    if side is not None and side not in SIDE_CHOICES:
        raise BadInput(f"--side must be one of {', '.join(SIDE_CHOICES)}, got '{side}'")
    if not exercise.per_side:
        if side is not None:
            raise BadInput(f"{exercise.name} works both legs at once: leave out --side")
        return (None,)
    if side is None:
        raise BadInput(f"{exercise.name} is done one leg at a time: add --side left, right "
                       "or both (both = the sets were done on each leg)")
    return ("left", "right") if side == "both" else (side,)


def log_records(request: LogRequest, now: datetime, first_set: int) -> list[SetRecord]:
    """The rows of one `log` call; they share one `started_at` (see the module docstring)."""
    moment = datetime.combine(request.day, now.timetz())
    if moment.tzinfo is None:
        moment = moment.astimezone()
    records = []
    for number in range(first_set, first_set + request.sets):
        for side in request.sides:
            records.append(SetRecord(
                uuid=SetRecord.new_uuid(), exercise=request.exercise, set_number=number,
                side=side, reps=request.reps, seconds=request.seconds, target_reps=None,
                target_seconds=None, pain=request.pain, day=request.day, started_at=moment,
                ended_at=moment, session_id=None, source="log", note=request.note))
    return records


def save_log(request: LogRequest, now: datetime | None = None) -> list[SetRecord]:
    """Store the request's sets, numbered after the ones already stored that day."""
    now = now or local_now()
    with Store.open(create=True) as store:
        done_today = store.sets(since=request.day, until=request.day, exercise=request.exercise)
        first = 1 + max((record.set_number for record in done_today), default=0)
        records = log_records(request, now, first)
        store.add_sets(records)
    return records


def describe_log(request: LogRequest) -> str:
    sets = plural(request.sets, "set")
    if request.sides == ("left", "right"):
        where = " on each side"
    elif request.sides[0] is not None:
        where = f" on the {request.sides[0]} side"
    else:
        where = ""
    pain = f", pain {request.pain}/10" if request.pain is not None else ""
    return (f"Saved {sets} of {request.name} ({request.amount}{pain}){where} on "
            f"{request.day.isoformat()}.")


def plural(count: int, word: str) -> str:
    """`1 set`, `2 sets`: the count with its word."""
    return f"{count} {word}" + ("" if count == 1 else "s")


# --------------------------------------------------------------------------- undo


class UndoPlan(NamedTuple):
    records: tuple[SetRecord, ...]

    def describe(self, names: Mapping[str, str]) -> str:
        first = self.records[0]
        name = names.get(first.exercise, first.exercise)
        amount = f"{first.reps} reps" if first.reps is not None else f"{first.seconds} s"
        sides = sorted({r.side for r in self.records if r.side is not None})
        where = f", {' and '.join(sides)}" if sides else ""
        return (f"{plural(len(self.records), 'set')} of {name} ({amount}{where}) "
                f"logged for {first.day.isoformat()}")


def last_log_entry(store: Store) -> UndoPlan:
    """The rows the last `heelcoach log` call added; Refused when there is none to undo."""
    latest = store.latest_logged_set()
    if latest is None:
        raise Refused("nothing to undo: the history has no sets")
    if latest.source != "log":
        how = "a live session" if latest.source == "live" else "an import"
        raise Refused(f"nothing to undo: the most recent entry ({latest.exercise} on "
                      f"{latest.day.isoformat()}) came from {how}, and undo only removes "
                      "what `heelcoach log` added")
    same_call = [record for record in store.sets(since=latest.day, until=latest.day,
                                                 exercise=latest.exercise)
                 if record.source == "log" and record.started_at == latest.started_at]
    return UndoPlan(tuple(same_call) or (latest,))


def undo(plan: UndoPlan, store: Store) -> int:
    """Remove the rows of one `log` call together, so a crash never leaves half of them."""
    return store.delete_sets([record.uuid for record in plan.records])


# --------------------------------------------------------------------------- history


def history_json(record: SetRecord) -> dict[str, Any]:
    """One set in the `history --json` contract (documented in the README)."""
    return {
        "uuid": record.uuid,
        "date": record.day.isoformat(),
        "exercise": record.exercise,
        "set": record.set_number,
        "side": record.side,
        "reps": record.reps,
        "seconds": record.seconds,
        "target_reps": record.target_reps,
        "target_seconds": record.target_seconds,
        "pain": record.pain,
        "started_at": _time_text(record.started_at),
        "ended_at": _time_text(record.ended_at),
        "session_id": record.session_id,
        "source": record.source,
        "note": record.note,
    }


def _time_text(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


# --------------------------------------------------------------------------- check-ins


class CheckInResult(NamedTuple):
    saved: CheckIn
    previous: CheckIn | None
    replaced: bool

    @property
    def verdict(self) -> str | None:
        return checkin_verdict(self.previous, self.saved)


def checkin_verdict(previous: CheckIn | None, current: CheckIn) -> str | None:
    """Pain-monitoring model: worse pain OR stiffness than last time means reduce the load."""
    if previous is None:
        return None
    if worse_morning(previous, current):
        return WORSE
    return SAME_OR_BETTER


def verdict_line(verdict: str | None) -> str:
    if verdict == WORSE:
        return "worse than last time: the next dose will be reduced"
    if verdict == SAME_OR_BETTER:
        return "same or better: keep going"
    return "first check-in: the next one will be compared with it"


def check_score(value: int, option: str) -> int:
    return check_number(value, option, PAIN_RANGE)


def save_checkin(day: date, pain: int, stiffness: int,
                 now: datetime | None = None) -> CheckInResult:
    """Store the morning check-in (replacing one for the same day) and find the previous."""
    check_score(pain, "--pain")
    check_score(stiffness, "--stiffness")
    checkin = CheckIn(day, pain, stiffness, now or local_now())
    with Store.open(create=True) as store:
        replaced = store.checkin_for(day) is not None
        store.save_checkin(checkin)
        earlier = store.checkins(until=day - timedelta(days=1))
    return CheckInResult(checkin, earlier[-1] if earlier else None, replaced)


# --------------------------------------------------------------------------- export


def export_format(given: str | None, output: Path | None) -> str:
    """The format asked for, else the one --output's extension names, else csv."""
    if given is not None:
        fmt = given.strip().lower()
        if fmt not in EXPORT_FORMATS:
            raise BadInput(f"--format: '{given}' is not one of: {', '.join(EXPORT_FORMATS)}")
        return fmt
    if output is not None and output.suffix.lower() in (".jsonl", ".ndjson"):
        return "jsonl"
    return "csv"


def export_row(record: SetRecord) -> dict[str, Any]:
    """One set in the export format: every SetRecord field, dates and times as ISO text."""
    row: dict[str, Any] = {name: getattr(record, name) for name in EXPORT_FIELDS}
    row["day"] = record.day.isoformat()
    row["started_at"] = _time_text(record.started_at)
    row["ended_at"] = _time_text(record.ended_at)
    return row


def write_export(records: Iterable[SetRecord], fmt: str, handle: TextIO) -> int:
    """Write every record to `handle`; returns how many were written."""
    import csv  # only exports and imports need it; `log` starts faster without

    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({key: "" if value is None else value
                             for key, value in export_row(record).items()})
            count += 1
    else:
        for record in records:
            handle.write(json.dumps(export_row(record), ensure_ascii=False) + "\n")
            count += 1
    return count


def export_history(fmt: str, output: Path | None, stdout: TextIO | None = None) -> int:
    """Export the whole history, oldest first, to `output` (0600) or stdout."""
    with Store.open(create=False) as store:
        if output is None:
            return write_export(store.iter_all_sets(), fmt, stdout or sys.stdout)
        with _private_output(output) as handle:
            return write_export(store.iter_all_sets(), fmt, handle)


class _private_output:
    """A new 0600 file written beside `path` and moved into place only when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.handle: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if self.path.is_dir():
            raise BadInput(f"--output: {self.path} is a folder; give a file name")
        try:
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC,
                         paths.PRIVATE_FILE_MODE)
        except OSError as error:
            raise BadInput(f"--output: cannot write {self.path}: {error.strerror}") from None
        os.fchmod(fd, paths.PRIVATE_FILE_MODE)  # O_CREAT on an old tmp keeps its mode
        self.handle = os.fdopen(fd, "w", encoding="utf-8", newline="")
        return self.handle

    def __exit__(self, exc_type: object, *rest: object) -> None:
        assert self.handle is not None
        try:
            if exc_type is None:
                self.handle.flush()
                os.fsync(self.handle.fileno())
            self.handle.close()
            if exc_type is None:
                os.replace(self.tmp, self.path)
        except OSError as error:
            self.tmp.unlink(missing_ok=True)
            raise Refused(f"could not write {self.path}: {error.strerror}") from None
        finally:
            if exc_type is not None:
                self.tmp.unlink(missing_ok=True)


# --------------------------------------------------------------------------- import


class ImportResult(NamedTuple):
    new: int
    present: int


class _RowError(ValueError):
    """One problem with one row; the caller adds the file and line."""


def import_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def read_import(path: Path, library: Any) -> list[SetRecord]:
    """Every row of `path` as a SetRecord, or BadInput naming the first bad `FILE:LINE`."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"{path}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{path}: is a folder, not an export file") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not a UTF-8 text file (expected a csv or jsonl export)") \
            from None
    except OSError as error:
        raise BadInput(f"{path}: cannot read: {error.strerror}") from None
    rows = _csv_rows(path, text) if import_format(path, text) == "csv" else _jsonl_rows(text)
    records: list[SetRecord] = []
    errors: list[str] = []
    seen: dict[str, tuple[int, SetRecord]] = {}
    for line, raw in rows:
        try:
            if isinstance(raw, _RowError):
                raise raw
            record = _record_from(raw, library)
            if record.uuid in seen:
                first_line, first = seen[record.uuid]
                if first != record:
                    raise _RowError(f"uuid {record.uuid} is also on line {first_line} with "
                                    "different values")
                continue
            seen[record.uuid] = (line, record)
            records.append(record)
        except _RowError as error:
            errors.append(f"{path}:{line}: {error}")
    if errors:
        more = f" (and {len(errors) - 1} more bad rows)" if len(errors) > 1 else ""
        raise BadInput(f"{errors[0]}{more}; nothing was imported")
    return records


def import_sets(path: Path, library: Any) -> ImportResult:
    """Add every set of the file whose uuid is not stored yet, all or nothing."""
    records = read_import(path, library)
    if not records:
        return ImportResult(0, 0)
    with Store.open(create=True) as store:
        new = store.add_sets(records)
    return ImportResult(new, len(records) - new)


def _csv_rows(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    import csv
    import io

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as error:
        yield 1, _RowError(f"not a valid CSV header ({error})")
        return
    if header is None:
        return
    header = [name.strip() for name in header]
    problem = _header_problem(header)
    if problem:
        yield 1, _RowError(problem)
        return
    line = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield line, _RowError(f"not valid CSV ({error})")
            return
        if values and any(value.strip() for value in values):
            if len(values) != len(header):
                yield line, _RowError(f"expected {len(header)} columns, found {len(values)}")
            else:
                yield line, {name: (value if value != "" else None)
                             for name, value in zip(header, values)}
        line = reader.line_num + 1


def _header_problem(header: list[str]) -> str | None:
    unknown = [name for name in header if name not in EXPORT_FIELDS]
    if unknown:
        return (f"unknown column '{unknown[0]}' (expected the columns of `heelcoach export`: "
                f"{', '.join(EXPORT_FIELDS)})")
    missing = [name for name in EXPORT_FIELDS
               if name not in header and name not in OPTIONAL_IMPORT_FIELDS]
    if missing:
        return f"missing column '{missing[0]}'"
    if len(set(header)) != len(header):
        return "a column appears twice"
    return None


def _jsonl_rows(text: str) -> Iterator[tuple[int, Any]]:
    for line, content in enumerate(text.splitlines(), 1):
        if not content.strip():
            continue
        try:
            raw = json.loads(content)
        except ValueError as error:
            yield line, _RowError(f"not valid JSON ({error.args[0].split(':')[0]})")
            continue
        if not isinstance(raw, dict):
            yield line, _RowError("expected a JSON object per line")
            continue
        unknown = [key for key in raw if key not in EXPORT_FIELDS]
        if unknown:
            yield line, _RowError(f"unknown field '{unknown[0]}'")
            continue
        yield line, {key: raw.get(key) for key in EXPORT_FIELDS if key in raw}


def _record_from(raw: Mapping[str, Any], library: Any) -> SetRecord:
    """Check one row (strings from CSV, JSON values from JSONL) and build its SetRecord."""
    for name in EXPORT_FIELDS:
        if name not in OPTIONAL_IMPORT_FIELDS and raw.get(name) is None:
            raise _RowError(f"{name} is missing")
    values: dict[str, Any] = {name: raw.get(name) for name in EXPORT_FIELDS}
    values["uuid"] = _uuid(values["uuid"])
    exercise = _text(values["exercise"], "exercise")
    if exercise not in library.exercises:
        from heelcoach.content import unknown_id_message

        raise _RowError(unknown_id_message("exercise", exercise, library.exercises))
    values["exercise"] = exercise
    for name in _INT_FIELDS:
        values[name] = _integer(values[name], name)
    if values["set_number"] < 1:
        raise _RowError(f"set_number must be 1 or more, got {values['set_number']}")
    if values["pain"] is not None and values["pain"] > PAIN_RANGE[1]:
        raise _RowError(f"pain must be between 0 and 10, got {values['pain']}")
    if values["side"] is not None and values["side"] not in SIDE_CHOICES:
        raise _RowError(f"side must be one of {', '.join(SIDE_CHOICES)} or empty, "
                        f"got {values['side']!r}")
    if values["source"] not in SOURCE_CHOICES:
        raise _RowError(f"source must be one of {', '.join(SOURCE_CHOICES)}, "
                        f"got {values['source']!r}")
    values["day"] = _day(values["day"])
    values["started_at"] = _moment(values["started_at"], "started_at")
    values["ended_at"] = _moment(values["ended_at"], "ended_at")
    if values["ended_at"] < values["started_at"]:
        raise _RowError("ended_at is before started_at")
    for name in ("session_id", "note"):
        if values[name] == "":
            values[name] = None  # CSV cannot tell empty from missing; neither can we
        elif values[name] is not None:
            values[name] = _text(values[name], name)
    return SetRecord(**values)


def _uuid(value: Any) -> str:
    try:
        return str(uuid_module.UUID(_text(value, "uuid")))
    except ValueError:
        raise _RowError(f"uuid {value!r} is not a UUID") from None


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _RowError(f"{name} must be non-empty text, got {value!r}")
    return value.strip() if name != "note" else value


def _integer(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise _RowError(f"{name} must be a whole number 0 or more, got {value!r}")


def _day(value: Any) -> date:
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise _RowError(f"day {value!r} is not a date (YYYY-MM-DD)") from None


def _moment(value: Any, name: str) -> datetime:
    try:
        moment = datetime.fromisoformat(str(value).strip())
    except ValueError:
        raise _RowError(f"{name} {value!r} is not an ISO 8601 time") from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _RowError(f"{name} {value!r} has no timezone (e.g. +00:00)")
    return moment


# --------------------------------------------------------------------------- forget


def forget_targets() -> list[Path]:
    """The files `forget` would delete that exist now."""
    history = paths.history_path()
    candidates = [paths.profile_path(), history, *sidecars(history)]
    return [path for path in candidates if path.exists()]


def forget_everything() -> list[Path]:
    """Delete the profile and the whole history; return what was removed."""
    from heelcoach import store

    removed = []
    profile = paths.profile_path()
    try:
        profile.unlink()
        removed.append(profile)
    except FileNotFoundError:
        pass
    except OSError as error:
        raise Refused(f"could not delete {profile}: {error.strerror}") from None
    return removed + store.destroy()
