"""Export and import files: the whole history (and the profile) as JSON lines, sets as CSV.

The formats are the README's "Export format". Every line an import reads is checked
against the rules of `domain.records` and the library's as the file is read once, so
nothing is kept unless the whole file is good. An import never compares a record's day
with this machine's clock, so a backup restores anywhere.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, NamedTuple

from heelcoach.content.model import Library
from heelcoach.domain.records import (
    CheckIn,
    ReadinessResult,
    SessionRecord,
    SetRecord,
    exercise_problem,
    utc_text,
)
from heelcoach.domain.text import key_named
from heelcoach.errors import BadInput
from heelcoach.reader import ReadError, open_regular, parse_json
from heelcoach.storage.rows import TIME_FIELDS, Record, problem_of

EXPORT_FORMAT = 3  # 3: a set carries the landings the listening counter heard
APP_NAME = "heelcoach"

EXPORT_FIELDS: tuple[str, ...] = SetRecord._fields  # a set line carries every field
_SET_REQUIRED = ("uuid", "exercise", "set_number", "day", "started_at", "ended_at", "source")
_SET_OPTIONAL = frozenset(EXPORT_FIELDS) - frozenset(_SET_REQUIRED)
_IDS = frozenset(("uuid", "exercise"))  # given without the spaces around them
_TEXTS = frozenset(("side", "session_id", "source", "note", "status", "test"))  # else counts
_FORMULA_START = frozenset("=+-@\t\r")
_QUOTED_START = _FORMULA_START | {"'"}
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")
_DIGITS = re.compile("[0-9]{1,12}")
_JSONL = (".jsonl", ".ndjson", ".json")  # else a file that starts with `{`
MAX_LINE_BYTES = 64 * 1024  # one record; a set with the longest note is under 3 KB


# Each type of record line: its record, the fields it may leave out, and the words an
# error about it starts with.
_KINDS: dict[str, tuple[type[Record], frozenset[str], str]] = {
    "session": (SessionRecord, frozenset(("ended_at", "pain", "cleared_at")), "session: "),
    "checkin": (CheckIn, frozenset(), "check-in: "),
    "readiness": (
        ReadinessResult,
        frozenset(("side", "pain", "left", "right", "note")),
        "readiness test: ",
    ),
    "set": (SetRecord, _SET_OPTIONAL, ""),
}
_SINGLES = ("profile", "prescription", "settings")  # a file holds at most one of each


def export_row(record: Record) -> dict[str, Any]:
    """A record's fields by name, dates and times as ISO text."""
    return dict(zip(record._fields, map(_exported, record), strict=True))


def _exported(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class ExportData(NamedTuple):
    """Everything an export holds; `sets` is streamed (`Store.iter_all_sets`), the rest is
    small."""

    sets: Iterable[SetRecord]
    sessions: Iterable[SessionRecord] = ()
    checkins: Iterable[CheckIn] = ()
    readiness: Iterable[ReadinessResult] = ()
    profile: Mapping[str, Any] | None = None
    prescription: Mapping[str, Any] | None = None
    settings: Mapping[str, Any] | None = None


class ExportCounts(NamedTuple):
    sets: int = 0
    sessions: int = 0
    checkins: int = 0
    readiness: int = 0
    profile: bool = False
    prescription: bool = False
    settings: bool = False


def _json_line(value: Mapping[str, Any]) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def _csv_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading `'`."""
    start = value[:1] if isinstance(value, str) else ""
    if start in _FORMULA_START or (start == "'" and value[1:2] in _QUOTED_START):
        return "'" + value
    return value


def _csv_text(cell: str) -> str:
    """Undo `_csv_cell` for one text cell read back from CSV."""
    if len(cell) > 1 and cell[0] == "'" and cell[1] in _QUOTED_START:
        return cell[1:]
    return cell


def write_export(data: ExportData, fmt: str, handle: IO[str]) -> ExportCounts:
    """Write the export to `handle` (CSV: the sets only); returns what was written."""
    if fmt == "csv":
        import csv  # only exports and imports need it; `log` starts faster without

        writer = csv.writer(handle, lineterminator="\r\n")  # None is written as ""
        writer.writerow(EXPORT_FIELDS)
        count = 0
        for record in data.sets:
            writer.writerow([_csv_cell(value) for value in map(_exported, record)])
            count += 1
        return ExportCounts(sets=count)
    handle.write(_json_line({"type": "header", "app": APP_NAME, "format": EXPORT_FORMAT}))
    for kind in _SINGLES:
        payload = getattr(data, kind)
        if payload is not None:
            handle.write(_json_line({"type": kind, **payload}))
    counts: dict[str, Any] = {kind: getattr(data, kind) is not None for kind in _SINGLES}
    for line_type, kind in (
        ("session", "sessions"),
        ("checkin", "checkins"),
        ("readiness", "readiness"),
        ("set", "sets"),
    ):
        counts[kind] = 0
        for record in getattr(data, kind):
            handle.write(_json_line({"type": line_type, **export_row(record)}))
            counts[kind] += 1
    return ExportCounts(**counts)


class _RowError(ValueError):
    """One problem with one line; the caller adds the file and line."""


class ImportFile:
    """An export file to import, read once by `records()`; then `singles` holds its
    profile, prescription and settings (each when the file has one)."""

    def __init__(self, path: Path, library: Library) -> None:
        self.path, self.library = path, library
        self.singles: dict[str, Any] = {}
        self.header = False

    def records(self) -> Iterator[tuple[int, Record]]:
        """Each record of the file with its line, checked by the rules every stored record
        keeps. No record is given after a bad line; at the end, BadInput naming the first
        bad `FILE:LINE` (and how many more), or a file without a single record."""
        first_error: str | None = None
        errors = records = 0
        for line, item in self._items():
            if isinstance(item, _RowError):
                errors += 1
                first_error = first_error or f"{self.path}:{line}: {item}"
            elif item is not None:
                records += 1
                if first_error is None:
                    yield line, item
        if first_error is not None:
            more = f" (and {errors - 1} more bad lines)" if errors > 1 else ""
            raise BadInput(f"{first_error}{more}; nothing was imported")
        if not records and not self.singles:
            what = "has no records, only the export header" if self.header else "is empty"
            raise BadInput(f"{self.path}: {what}; nothing was imported")

    def _items(self) -> Iterator[tuple[int, Any]]:
        """Each line's record, or a _RowError; None for a line kept aside (the header, the
        profile, prescription and settings)."""
        try:
            fd = open_regular(self.path, "a csv or jsonl export")
        except ReadError as error:
            raise BadInput(str(error)) from None
        with io.BufferedReader(io.FileIO(fd, "rb"), buffer_size=1 << 16) as binary:
            suffix = self.path.suffix.lower()
            start = binary.peek(4096)[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
            if suffix == ".csv" or (suffix not in _JSONL and not start.startswith(b"{")):
                yield from self._csv_items(binary)
            else:
                yield from self._jsonl_items(binary)

    def _jsonl_items(self, binary: IO[bytes]) -> Iterator[tuple[int, Any]]:
        typed: bool | None = None  # a file with a header, or older set lines
        line = 0
        while True:
            raw = binary.readline(MAX_LINE_BYTES + 1)
            if not raw:
                return
            line += 1
            if len(raw) > MAX_LINE_BYTES:
                yield line, _RowError(f"longer than {MAX_LINE_BYTES:,} bytes: not an export")
                return
            try:
                text = raw.decode("utf-8-sig" if line == 1 else "utf-8")
            except UnicodeDecodeError:
                yield line, _RowError("not UTF-8 text (expected a csv or jsonl export)")
                return
            if not text.strip():
                continue
            try:
                value = parse_json(text, "line")  # flat records, typed
            except ReadError as error:
                yield line, _RowError(str(error).removeprefix("line: "))
                continue
            if not isinstance(value, dict):
                yield line, _RowError("expected a JSON object per line")
                continue
            if typed is None:
                typed = value.get("type") == "header"
                if typed:
                    yield line, self._header(value)
                    continue
            yield line, self._item(value, typed)

    def _header(self, value: Mapping[str, Any]) -> _RowError | None:
        if value.get("app") != APP_NAME:
            return _RowError("the header does not name heelcoach: not a heelcoach export")
        version = value.get("format")
        if isinstance(version, bool) or not isinstance(version, int) or version < 2:
            return _RowError("the header's format must be a whole number from 2")
        if version > EXPORT_FORMAT:
            return _RowError(
                f"made by a newer heelcoach (export format {version}; this one reads up to"
                f" {EXPORT_FORMAT}): upgrade heelcoach to import it"
            )
        unknown = [key for key in value if key not in ("type", "app", "format")]
        if unknown:
            return _RowError(f"unknown field{key_named(unknown[0])} in the header")
        self.header = True
        return None

    def _item(self, value: dict[str, Any], typed: bool) -> Any:
        kind = value.pop("type", None) if typed else "set"
        if not typed and "type" in value:
            return _RowError("a typed line in a file without a header line")
        try:
            if kind in _KINDS:
                return self._record(kind, value)
            if kind in _SINGLES:
                return self._single(kind, value)
            if kind == "header":
                return _RowError("a second header line")
        except _RowError as error:
            return error
        return _RowError(
            "unknown line type (expected set, session, checkin, readiness, profile,"
            " prescription or settings)"
        )

    def _csv_items(self, binary: IO[bytes]) -> Iterator[tuple[int, Any]]:
        import csv

        text = io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        try:
            header = next(reader, None)
            while header is not None and not any(name.strip() for name in header):
                header = next(reader, None)  # blank lines before the header
        except (csv.Error, UnicodeDecodeError):
            yield 1, _RowError("not a CSV export (its first line is not the export header)")
            return
        if header is None:
            return
        header = [name.strip() for name in header]
        problem = _header_problem(header)
        if problem:
            yield reader.line_num, _RowError(problem)
            return
        self.header = True
        line = reader.line_num + 1
        while True:
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield line, _RowError(f"not valid CSV ({str(error).split(':')[0]})")
                return
            except UnicodeDecodeError:
                yield line, _RowError("not UTF-8 text (expected a csv or jsonl export)")
                return
            if values and any(value.strip() for value in values):
                yield line, self._csv_set(header, values)
            line = reader.line_num + 1

    def _csv_set(self, header: list[str], values: list[str]) -> Any:
        if len(values) != len(header):
            return _RowError(f"expected {len(header)} columns, found {len(values)}")
        row = {
            name: (_csv_text(value) if value != "" else None)
            for name, value in zip(header, values, strict=True)
        }
        try:
            return self._record("set", row)
        except _RowError as error:
            return error

    def _record(self, kind: str, raw: Mapping[str, Any]) -> Record:
        """One record line (strings from CSV, JSON values from JSONL) checked into its
        record: each field read as its type, then the rules every stored record keeps."""
        kind_of, optional, label = _KINDS[kind]
        fields = kind_of._fields
        unknown = [key for key in raw if key not in fields]
        if unknown:
            raise _RowError(f"unknown field{key_named(unknown[0])}")
        for name in fields:
            if name not in optional and raw.get(name) is None:
                raise _RowError(f"{name} is missing")
        record = kind_of(**{name: _value(name, raw.get(name)) for name in fields})
        problem = problem_of(record)
        if problem:
            raise _RowError(label + problem)
        if isinstance(record, SetRecord):
            self._check_exercise(record)
        return record

    def _check_exercise(self, record: SetRecord) -> None:
        facts = self.library.exercises.get(record.exercise)
        if facts is None:
            raise _RowError(_unknown_exercise(record.exercise, list(self.library.exercises)))
        problem = exercise_problem(record, facts.measure, facts.per_side)
        if problem:
            raise _RowError(problem)

    def _single(self, kind: str, raw: dict[str, Any]) -> None:
        """Keep the profile, prescription or settings aside, checked for their form only:
        whether a prescription suits the person is checked when it is installed."""
        from heelcoach.storage import prescription_file, profile_file, settings_file

        try:
            if kind == "profile":
                profile = profile_file.profile_from_payload(raw, self.library, "profile")
                value: Any = profile_file.profile_payload(profile)
            elif kind == "prescription":
                value = prescription_file.saved_from_payload(raw, self.library)
            else:
                value = settings_file.settings_from_payload(raw)
        except prescription_file.Problem as problem:
            raise _RowError(f"{kind}: {problem.unquoted()}") from None
        except BadInput as error:
            raise _RowError(str(error)) from None
        except (ValueError, KeyError, TypeError) as error:
            raise _RowError(f"{kind}: {str(error).strip(chr(39))}") from None
        if kind in self.singles:
            raise _RowError(f"a second {kind} line")
        self.singles[kind] = value


def _header_problem(header: list[str]) -> str | None:
    # The header is not quoted back: a file that is not an export may hold anything.
    expected = f"the export header ({', '.join(EXPORT_FIELDS)})"
    if any(name not in EXPORT_FIELDS for name in header):
        return f"not a heelcoach export: the first line is not {expected}"
    missing = [name for name in _SET_REQUIRED if name not in header]
    if missing:
        return f"missing column '{missing[0]}'"
    if len(set(header)) != len(header):
        return "a column appears twice"
    return None


def _value(name: str, value: Any) -> Any:
    """One field of a line as its record holds it; what it may be is for the rules."""
    if value is None:
        return None
    if name == "day":
        return _day(value, name)
    if name in TIME_FIELDS:
        return _moment(value, name)
    if name in _IDS:
        if not isinstance(value, str) or not value.strip():
            raise _RowError(f"{name} must be non-empty text")
        return value.strip()
    if name not in _TEXTS:
        return _integer(value, name)
    if value == "":
        return None  # CSV cannot tell empty from missing; neither can we
    if not isinstance(value, str):
        raise _RowError(f"{name} must be text")
    return value


def _integer(value: Any, name: str) -> int:
    if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        return int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool):
        return value  # the range is checked with the record
    raise _RowError(f"{name} must be a whole number (digits 0-9)")


def _day(value: Any, name: str) -> date:
    try:
        if not isinstance(value, str) or not value.strip().isascii():
            raise ValueError
        return date.fromisoformat(value.strip())
    except ValueError:
        raise _RowError(f"{name} is not a date (expected YYYY-MM-DD)") from None


def _moment(value: Any, name: str) -> datetime:
    try:
        if not isinstance(value, str) or not value.strip().isascii():
            raise ValueError
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise _RowError(
            f"{name} is not a time (expected ISO 8601, e.g. 2026-01-05T07:30:00+00:00)"
        ) from None
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise _RowError(f"{name} has no timezone (expected one, e.g. +00:00)")
    return moment  # how early or late it may be is for the rules


def _unknown_exercise(given: str, known: list[str]) -> str:
    """The error for an exercise id the library lacks, without repeating the file's text
    (an import of the wrong file must not print what it holds); a close match from the
    library is offered."""
    import difflib

    matches = difflib.get_close_matches(given, known, n=1, cutoff=0.6)
    hint = f"; did you mean {matches[0]}?" if matches else " (see `heelcoach exercises`)"
    return f"not an exercise id heelcoach knows{hint}"
