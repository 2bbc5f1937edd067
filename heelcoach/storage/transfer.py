"""Export and import files: the whole history (and the profile) as JSON lines, sets as CSV.

Export format 2, JSON lines (`.jsonl`): one JSON object per line, each with a `type`:

    {"type": "header", "app": "heelcoach", "format": 2}
    {"type": "profile", "format": 2, "created": "2026-11-02", "answers": {...}}
    {"type": "prescription", "format": 1, "accepted": "2026-11-28", "prescription": {...}}
    {"type": "settings", "alternate_legs": true}
    {"type": "session", "session_id": ..., "day": ..., "started_at": ..., ...}
    {"type": "checkin", "day": ..., "pain": ..., "stiffness": ..., "recorded_at": ...}
    {"type": "readiness", "uuid": ..., "test": ..., "day": ..., ...}
    {"type": "set", "uuid": ..., "exercise": ..., "set_number": ..., ...}

The header comes first; then the profile, the prescription and the settings (each when
there is one: `profile.json`, `prescription.json` and `settings.json` as they are kept),
sessions, check-ins, readiness tests and sets, each oldest first. A set carries every
`SetRecord` field under its own name (`EXPORT_FIELDS`), dates as ISO 8601 and times as
ISO 8601 UTC. Line breaks inside text are escaped (`\\n`, and U+2028, U+2029 and U+0085
as `\\uXXXX`), so one line is always one record.

CSV (`.csv`) holds sets only, one row each under the header `EXPORT_FIELDS`, RFC 4180
quoting with CRLF line ends; a text cell that a spreadsheet would run as a formula (it
starts with `=`, `+`, `-`, `@`, a tab or a carriage return) is written with a leading `'`,
which the import removes again.

Import reads either format, and what earlier versions wrote: JSON lines of set objects
with no `type` (and no header), in any order, or CSV with the same header. Records are
matched by identity (a set's uuid, a session's id, a check-in's day, a test's uuid), so
importing a file twice adds nothing. The file is read once: every line is checked against
the rules of `domain.records` (the ones every stored record keeps) and the library's (an
exercise's measure and sides), and written in batches inside one transaction, so nothing
is kept unless the whole file is good, and a long file never sits in memory. What day a
record counts for is what its writer recorded: an import never compares it with the clock
of the machine it runs on, so a backup restores anywhere. A file without a single record
(empty, or only the header) is refused: it restores nothing, and is more likely the wrong
file or a cut-off copy. The profile, prescription and settings lines are
checked for their form here and handed over in the summary; where they go, and whether
the prescription suits the person, is for `services.backup` to decide.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple, TypeVar

from heelcoach.content.model import Library
from heelcoach.domain.records import (
    STATUS_CHOICES,
    TEST_KINDS,
    TEST_SOURCES,
    CheckIn,
    ReadinessResult,
    SessionRecord,
    SetRecord,
    checkin_problem,
    exercise_problem,
    readiness_problem,
    session_problem,
    set_problem,
    utc_text,
)
from heelcoach.domain.text import key_named
from heelcoach.errors import BadInput
from heelcoach.reader import ReadError, open_regular, parse_json

if TYPE_CHECKING:  # loaded by the line that needs them
    from heelcoach.storage.prescription_file import Saved
    from heelcoach.storage.settings_file import Settings

T = TypeVar("T")

EXPORT_FORMAT = 3  # 3: a set carries the landings the listening counter heard
EXPORT_FORMATS = ("csv", "jsonl")
APP_NAME = "heelcoach"

EXPORT_FIELDS: tuple[str, ...] = SetRecord._fields  # a set line carries every field
SESSION_FIELDS = ("session_id", "day", "started_at", "ended_at", "pain", "status", "cleared_at")
CHECKIN_FIELDS = ("day", "pain", "stiffness", "recorded_at")
READINESS_FIELDS = (
    "uuid",
    "test",
    "day",
    "recorded_at",
    "side",
    "pain",
    "left",
    "right",
    "source",
    "note",
)

OPTIONAL_IMPORT_FIELDS = frozenset(
    ("side", "reps", "seconds", "target_reps", "target_seconds", "pain", "session_id", "note",
     "landings", "soft_landings", "hard_landings")
)  # fmt: skip
_INT_FIELDS = ("set_number", "reps", "seconds", "target_reps", "target_seconds", "pain",
               "landings", "soft_landings", "hard_landings")  # fmt: skip
_TEXT_FIELDS = ("side", "session_id", "note", "source")
_FORMULA_START = frozenset("=+-@\t\r")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029]")
_DIGITS = re.compile("[0-9]{1,12}")
MAX_LINE_BYTES = 64 * 1024  # one record; a set with the longest note is under 3 KB


def export_format(given: str | None, output: Path | None) -> str:
    """The format asked for, else the one --output's extension names, else jsonl."""
    if given is not None:
        fmt = given.strip().lower()
        if fmt not in EXPORT_FORMATS:
            raise BadInput(f"--format: '{given}' is not one of: {', '.join(EXPORT_FORMATS)}")
        return fmt
    if output is not None and output.suffix.lower() == ".csv":
        return "csv"
    return "jsonl"


# --------------------------------------------------------------------------- export


def export_row(record: SetRecord) -> dict[str, Any]:
    """One set in the export format: every SetRecord field, dates and times as ISO text."""
    return dict(zip(EXPORT_FIELDS, export_values(record), strict=True))


def export_values(record: SetRecord) -> tuple[Any, ...]:
    """A set's `EXPORT_FIELDS` values, in order, dates and times as ISO text."""
    values: tuple[Any, ...] = tuple(record)
    return tuple(map(_exported, values))


def _exported(value: Any) -> Any:
    if isinstance(value, datetime):
        return utc_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def session_line(record: SessionRecord) -> dict[str, Any]:
    return {
        "type": "session",
        "session_id": record.session_id,
        "day": record.day.isoformat(),
        "started_at": utc_text(record.started_at),
        "ended_at": utc_text(record.ended_at) if record.ended_at else None,
        "pain": record.pain,
        "status": record.status,
        "cleared_at": utc_text(record.cleared_at) if record.cleared_at else None,
    }


def checkin_line(checkin: CheckIn) -> dict[str, Any]:
    return {
        "type": "checkin",
        "day": checkin.day.isoformat(),
        "pain": checkin.pain,
        "stiffness": checkin.stiffness,
        "recorded_at": utc_text(checkin.recorded_at),
    }


def readiness_line(result: ReadinessResult) -> dict[str, Any]:
    return {
        "type": "readiness",
        "uuid": result.uuid,
        "test": result.test,
        "day": result.day.isoformat(),
        "recorded_at": utc_text(result.recorded_at),
        "side": result.side,
        "pain": result.pain,
        "left": result.left,
        "right": result.right,
        "source": result.source,
        "note": result.note,
    }


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
    """A CSV cell: empty for None; text a spreadsheet would run as a formula gets a `'`."""
    if value is None:
        return ""
    if isinstance(value, str) and value:
        first, second = value[0], value[1:2]
        if first in _FORMULA_START or (first == "'" and second and second in _QUOTED_START):
            return "'" + value
    return value


_QUOTED_START = _FORMULA_START | {"'"}
# The set columns that may hold free text (the others are numbers, days, times and fixed
# choices): only these can start like a formula.
_FREE_TEXT = tuple(EXPORT_FIELDS.index(name) for name in ("uuid", "exercise", "session_id", "note"))


def _csv_row(row: tuple[Any, ...]) -> tuple[Any, ...] | list[Any]:
    """A set's export values as a CSV row, the free-text cells made safe (`_csv_cell`)."""
    for index in _FREE_TEXT:
        value = row[index]
        if value and value[0] in _QUOTED_START:
            cells = list(row)
            for free in _FREE_TEXT:
                cells[free] = _csv_cell(cells[free])
            return cells
    return row


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
        write, count = writer.writerow, 0
        for record in data.sets:
            write(_csv_row(export_values(record)))
            count += 1
        return ExportCounts(sets=count)
    handle.write(_json_line({"type": "header", "app": APP_NAME, "format": EXPORT_FORMAT}))
    for kind, payload in (
        ("profile", data.profile),
        ("prescription", data.prescription),
        ("settings", data.settings),
    ):
        if payload is not None:
            handle.write(_json_line({"type": kind, **payload}))
    sessions = checkins = tests = sets = 0
    for session in data.sessions:
        handle.write(_json_line(session_line(session)))
        sessions += 1
    for checkin in data.checkins:
        handle.write(_json_line(checkin_line(checkin)))
        checkins += 1
    for result in data.readiness:
        handle.write(_json_line(readiness_line(result)))
        tests += 1
    for record in data.sets:
        handle.write(_json_line({"type": "set", **export_row(record)}))
        sets += 1
    return ExportCounts(
        sets,
        sessions,
        checkins,
        tests,
        data.profile is not None,
        data.prescription is not None,
        data.settings is not None,
    )


# --------------------------------------------------------------------------- import


class _RowError(ValueError):
    """One problem with one line; the caller adds the file and line."""


class ImportSummary(NamedTuple):
    """What the file held: how many of each kind, and the profile, prescription and
    settings (each if the file has one)."""

    sets: int
    sessions: int
    checkins: int
    readiness: int
    profile: dict[str, Any] | None
    fmt: str
    prescription: Saved | None = None
    settings: Settings | None = None


def import_format(path: Path, start: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    return "jsonl" if start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "csv"


Record = SetRecord | SessionRecord | CheckIn | ReadinessResult


class ImportFile:
    """An export file to import, read once by `records()`; `summary` once it is read."""

    def __init__(self, path: Path, library: Library) -> None:
        self.path, self.library = path, library
        self.fmt = "jsonl"
        self.summary: ImportSummary | None = None

    def records(self) -> Iterator[tuple[int, Record]]:
        """Each record of the file with its line, checked by the rules every stored record
        keeps. No record is given after a bad line; at the end, BadInput naming the first
        bad `FILE:LINE` (and how many more), or a file without a single record."""
        counts = {"set": 0, "session": 0, "checkin": 0, "readiness": 0}
        single: dict[str, Any] = {}  # the profile, prescription and settings: one each
        first_error: str | None = None
        errors = 0
        header = False
        for line, item in self._items():
            problem = None
            if isinstance(item, _Header):
                header = True
            elif isinstance(item, _RowError):
                problem = str(item)
            elif isinstance(item, _Single):
                if item.kind in single:
                    problem = f"a second {item.kind} line"
                single[item.kind] = item.value
            else:
                counts[_KIND[type(item)]] += 1
                if first_error is None:
                    yield line, item
            if problem is not None:
                errors += 1
                first_error = first_error or f"{self.path}:{line}: {problem}"
        if first_error is not None:
            more = f" (and {errors - 1} more bad lines)" if errors > 1 else ""
            raise BadInput(f"{first_error}{more}; nothing was imported")
        if not any(counts.values()) and not single:
            what = "has no records, only the export header" if header else "is empty"
            raise BadInput(f"{self.path}: {what}; nothing was imported")
        self.summary = ImportSummary(
            counts["set"],
            counts["session"],
            counts["checkin"],
            counts["readiness"],
            single.get("profile"),
            self.fmt,
            single.get("prescription"),
            single.get("settings"),
        )

    # ----------------------------------------------------------------- reading

    def _items(self) -> Iterator[tuple[int, Any]]:
        """Each line's item: a record, a header or profile, or a _RowError."""
        try:
            fd = open_regular(self.path, "a csv or jsonl export")
        except ReadError as error:
            raise BadInput(str(error)) from None
        with io.BufferedReader(io.FileIO(fd, "rb"), buffer_size=1 << 16) as binary:
            self.fmt = import_format(self.path, binary.peek(4096)[:4096])
            if self.fmt == "csv":
                yield from self._csv_items(binary)
            else:
                yield from self._jsonl_items(binary)

    def _jsonl_items(self, binary: IO[bytes]) -> Iterator[tuple[int, Any]]:
        typed: bool | None = None  # a format-2 file (with a header), or older set lines
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
                value = parse_json(text, "line", max_depth=None)  # flat records, typed
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

    def _header(self, value: Mapping[str, Any]) -> Any:
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
        return _Header()

    def _item(self, value: dict[str, Any], typed: bool) -> Any:
        kind = value.pop("type", None) if typed else "set"
        if not typed and "type" in value:
            return _RowError("a typed line in a file without a header line")
        try:
            if kind == "set":
                return self._set(_fields(value, EXPORT_FIELDS, OPTIONAL_IMPORT_FIELDS))
            if kind == "session":
                optional = {"ended_at", "pain", "cleared_at"}
                return self._session(_fields(value, SESSION_FIELDS, optional))
            if kind == "checkin":
                return self._checkin(_fields(value, CHECKIN_FIELDS, set()))
            if kind == "readiness":
                optional = {"side", "pain", "left", "right", "note"}
                return self._readiness(_fields(value, READINESS_FIELDS, optional))
            if kind in ("profile", "prescription", "settings"):
                return getattr(self, f"_{kind}")(value)
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
        yield reader.line_num, _Header()
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
            return self._set(row)
        except _RowError as error:
            return error

    # ----------------------------------------------------------------- records

    def _set(self, raw: Mapping[str, Any]) -> SetRecord:
        """Check one set line (strings from CSV, JSON values from JSONL) into a SetRecord."""
        for name in EXPORT_FIELDS:
            if name not in OPTIONAL_IMPORT_FIELDS and raw.get(name) is None:
                raise _RowError(f"{name} is missing")
        values: dict[str, Any] = {name: raw.get(name) for name in EXPORT_FIELDS}
        exercise = _text(values["exercise"], "exercise")
        facts = self.library.exercises.get(exercise)
        if facts is None:
            raise _RowError(_unknown_exercise(exercise, list(self.library.exercises)))
        values["uuid"] = _text(values["uuid"], "uuid")
        values["exercise"] = exercise
        for name in _INT_FIELDS:
            values[name] = _integer(values[name], name)
        values["day"] = _day(values["day"], "day")
        values["started_at"] = _moment(values["started_at"], "started_at")
        values["ended_at"] = _moment(values["ended_at"], "ended_at")
        for name in _TEXT_FIELDS:
            if values[name] == "":
                values[name] = None  # CSV cannot tell empty from missing; neither can we
            elif values[name] is not None and not isinstance(values[name], str):
                raise _RowError(f"{name} must be text")
        record = SetRecord(**values)
        problem = set_problem(record) or exercise_problem(record, facts.measure, facts.per_side)
        if problem:
            raise _RowError(problem)
        return record

    def _session(self, raw: Mapping[str, Any]) -> SessionRecord:
        record = SessionRecord(
            session_id=_text(raw["session_id"], "session_id"),
            day=_day(raw["day"], "day"),
            started_at=_moment(raw["started_at"], "started_at"),
            ended_at=_optional_moment(raw.get("ended_at"), "ended_at"),
            pain=_integer(raw.get("pain"), "pain"),
            status=_choice(raw["status"], "status", STATUS_CHOICES),
            cleared_at=_optional_moment(raw.get("cleared_at"), "cleared_at"),
        )
        problem = session_problem(record)
        if problem:
            raise _RowError(f"session: {problem}")
        return record

    def _checkin(self, raw: Mapping[str, Any]) -> CheckIn:
        pain, stiffness = _integer(raw["pain"], "pain"), _integer(raw["stiffness"], "stiffness")
        if pain is None or stiffness is None:
            raise _RowError("check-in: pain and stiffness are both required")
        checkin = CheckIn(
            _day(raw["day"], "day"), pain, stiffness, _moment(raw["recorded_at"], "recorded_at")
        )
        problem = checkin_problem(checkin)
        if problem:
            raise _RowError(f"check-in: {problem}")
        return checkin

    def _readiness(self, raw: Mapping[str, Any]) -> ReadinessResult:
        note = raw.get("note")
        if note is not None and not isinstance(note, str):
            raise _RowError("readiness test: note must be text")
        result = ReadinessResult(
            uuid=_text(raw["uuid"], "uuid"),
            test=_choice(raw["test"], "test", TEST_KINDS),
            day=_day(raw["day"], "day"),
            recorded_at=_moment(raw["recorded_at"], "recorded_at"),
            side=raw.get("side"),
            pain=_integer(raw.get("pain"), "pain"),
            left=_integer(raw.get("left"), "left"),
            right=_integer(raw.get("right"), "right"),
            source=_choice(raw["source"], "source", TEST_SOURCES),
            note=note,
        )
        problem = readiness_problem(result)
        if problem:
            raise _RowError(f"readiness test: {problem}")
        return result

    def _profile(self, raw: dict[str, Any]) -> _Single:
        from heelcoach.storage.profile_file import profile_from_payload, profile_payload

        try:
            profile = profile_from_payload(raw, self.library, "profile")
        except BadInput as error:
            raise _RowError(str(error)) from None
        except (ValueError, KeyError, TypeError) as error:
            raise _RowError(f"profile: {str(error).strip(chr(39))}") from None
        return _Single("profile", profile_payload(profile))

    def _prescription(self, raw: dict[str, Any]) -> _Single:
        """The saved prescription's form only: whether it suits the person is checked
        when it is installed, against the profile in force then."""
        from heelcoach.storage.prescription_file import Problem, saved_from_payload

        try:
            saved = saved_from_payload(raw, self.library)
        except Problem as problem:
            raise _RowError(f"prescription: {problem.unquoted()}") from None
        return _Single("prescription", saved)

    def _settings(self, raw: dict[str, Any]) -> _Single:
        from heelcoach.storage.settings_file import settings_from_payload

        try:
            return _Single("settings", settings_from_payload(raw))
        except ValueError as error:
            raise _RowError(f"settings: {error}") from None


class _Header(NamedTuple):
    pass


class _Single(NamedTuple):
    """A line of which a file holds at most one: the profile, prescription or settings."""

    kind: str
    value: Any


_KIND = {
    SetRecord: "set",
    SessionRecord: "session",
    CheckIn: "checkin",
    ReadinessResult: "readiness",
}


def _header_problem(header: list[str]) -> str | None:
    # The header is not quoted back: a file that is not an export may hold anything.
    expected = f"the export header ({', '.join(EXPORT_FIELDS)})"
    if any(name not in EXPORT_FIELDS for name in header):
        return f"not a heelcoach export: the first line is not {expected}"
    missing = [
        name for name in EXPORT_FIELDS if name not in header and name not in OPTIONAL_IMPORT_FIELDS
    ]
    if missing:
        return f"missing column '{missing[0]}'"
    if len(set(header)) != len(header):
        return "a column appears twice"
    return None


def _fields(raw: dict[str, Any], known: tuple[str, ...], optional: Iterable[str]) -> dict[str, Any]:
    unknown = [key for key in raw if key not in known]
    if unknown:
        raise _RowError(f"unknown field{key_named(unknown[0])}")
    optional = set(optional)
    missing = [key for key in known if key not in optional and raw.get(key) is None]
    if missing:
        raise _RowError(f"{missing[0]} is missing")
    return raw


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _RowError(f"{name} must be non-empty text")
    return value.strip()


def _choice(value: Any, name: str, choices: tuple[T, ...]) -> T:
    """`value` as one of `choices` (typed as they are), or a row error listing them."""
    found = next((choice for choice in choices if choice == value), None)
    if found is None:
        raise _RowError(f"{name} must be one of {', '.join(map(str, choices))}")
    return found


def _integer(value: Any, name: str) -> int | None:
    if value is None:
        return None
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
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise _RowError(f"{name} is out of range (expected a time from 2000 on)") from None
    return moment


def _optional_moment(value: Any, name: str) -> datetime | None:
    return None if value is None else _moment(value, name)


def _unknown_exercise(given: str, known: list[str]) -> str:
    """The error for an exercise id the library lacks, without repeating the file's text
    (an import of the wrong file must not print what it holds); a close match from the
    library is offered."""
    import difflib

    matches = difflib.get_close_matches(given, known, n=1, cutoff=0.6)
    hint = f"; did you mean {matches[0]}?" if matches else " (see `heelcoach exercises`)"
    return f"not an exercise id heelcoach knows{hint}"
