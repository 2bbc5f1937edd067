"""Export and import files: every recorded set as CSV or JSON lines, and back.

The export file format is every `SetRecord` field under its own name (see
`EXPORT_FIELDS`), dates as ISO 8601 and times as ISO 8601 UTC; an import keeps every field
as given, `source` included, so export -> import -> export is byte-for-byte the same. Rows
are matched by `uuid`: importing the same file twice adds nothing.
"""

from __future__ import annotations

import json
import os
import uuid as uuid_module
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from heelcoach.domain.logbook import PAIN_RANGE
from heelcoach.domain.records import SIDE_CHOICES, SOURCE_CHOICES, SetRecord
from heelcoach.errors import BadInput, Refused, unknown_id
from heelcoach.files import PRIVATE_FILE_MODE

EXPORT_FORMATS = ("csv", "jsonl")

EXPORT_FIELDS = (
    "uuid",
    "exercise",
    "set_number",
    "side",
    "reps",
    "seconds",
    "target_reps",
    "target_seconds",
    "pain",
    "day",
    "started_at",
    "ended_at",
    "session_id",
    "source",
    "note",
)

OPTIONAL_IMPORT_FIELDS = frozenset(
    ("side", "reps", "seconds", "target_reps", "target_seconds", "pain", "session_id", "note")
)

_INT_FIELDS = ("set_number", "reps", "seconds", "target_reps", "target_seconds", "pain")


def _time_text(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


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


def write_export(records: Iterable[SetRecord], fmt: str, handle: IO[str]) -> int:
    """Write every record to `handle`; returns how many were written."""
    import csv  # only exports and imports need it; `log` starts faster without

    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(handle, fieldnames=EXPORT_FIELDS, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow(
                {key: "" if value is None else value for key, value in export_row(record).items()}
            )
            count += 1
    else:
        for record in records:
            handle.write(json.dumps(export_row(record), ensure_ascii=False) + "\n")
            count += 1
    return count


class private_output:
    """A new 0600 file written beside `path` and moved into place only when complete."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        self.handle: IO[str] | None = None

    def __enter__(self) -> IO[str]:
        if self.path.is_dir():
            raise BadInput(f"--output: {self.path} is a folder; give a file name")
        try:
            fd = os.open(self.tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
        except OSError as error:
            raise BadInput(f"--output: cannot write {self.path}: {error.strerror}") from None
        os.fchmod(fd, PRIVATE_FILE_MODE)  # O_CREAT on an old tmp keeps its mode
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
        raise BadInput(f"{path}: not a UTF-8 text file (expected a csv or jsonl export)") from None
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
                    raise _RowError(
                        f"uuid {record.uuid} is also on line {first_line} with different values"
                    )
                continue
            seen[record.uuid] = (line, record)
            records.append(record)
        except _RowError as error:
            errors.append(f"{path}:{line}: {error}")
    if errors:
        more = f" (and {len(errors) - 1} more bad rows)" if len(errors) > 1 else ""
        raise BadInput(f"{errors[0]}{more}; nothing was imported")
    return records


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
                yield (
                    line,
                    {
                        name: (value if value != "" else None)
                        for name, value in zip(header, values, strict=False)
                    },
                )
        line = reader.line_num + 1


def _header_problem(header: list[str]) -> str | None:
    unknown = [name for name in header if name not in EXPORT_FIELDS]
    if unknown:
        return (
            f"unknown column '{unknown[0]}' (expected the columns of `heelcoach export`: "
            f"{', '.join(EXPORT_FIELDS)})"
        )
    missing = [
        name for name in EXPORT_FIELDS if name not in header and name not in OPTIONAL_IMPORT_FIELDS
    ]
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
        raise _RowError(str(unknown_id("exercise", exercise, list(library.exercises))))
    values["exercise"] = exercise
    for name in _INT_FIELDS:
        values[name] = _integer(values[name], name)
    if values["set_number"] < 1:
        raise _RowError(f"set_number must be 1 or more, got {values['set_number']}")
    if values["pain"] is not None and values["pain"] > PAIN_RANGE[1]:
        raise _RowError(f"pain must be between 0 and 10, got {values['pain']}")
    if values["side"] is not None and values["side"] not in SIDE_CHOICES:
        raise _RowError(
            f"side must be one of {', '.join(SIDE_CHOICES)} or empty, got {values['side']!r}"
        )
    if values["source"] not in SOURCE_CHOICES:
        raise _RowError(
            f"source must be one of {', '.join(SOURCE_CHOICES)}, got {values['source']!r}"
        )
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
