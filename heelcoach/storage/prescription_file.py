"""A clinician's prescription: the YAML file they write, and the JSON heelcoach keeps.

The file (README "A clinician's prescription"; a complete example in docs/) is read like
every content file (`heelcoach.reader`) and checked field by field; every problem is one
line, `FILE:LINE: field.path: problem`, and nothing is saved. Whether the items suit the
person is for `domain.prescription.check`.

Once accepted it is kept as `prescription.json` (private, written atomically):
`{"format": 1, "accepted": "YYYY-MM-DD", "prescription": {...}}`, read back through the
same checks; an item with an override also keeps the rules it was `accepted` for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from itertools import takewhile
from pathlib import Path
from typing import Any, NamedTuple

from heelcoach.content.model import Library
from heelcoach.domain.prescription import Item, Prescription, Stage, strikes
from heelcoach.domain.records import EARLIEST_DAY, LATEST_YEAR
from heelcoach.domain.text import key_named
from heelcoach.errors import BadInput
from heelcoach.files import write_private_text
from heelcoach.reader import YamlDocument, read_yaml_document

FieldPath = tuple[str | int, ...]

SAVED_FORMAT = 1
MAX_BYTES = 64 * 1024  # a programme is a page or two; anything bigger is not one
TEXT_MAX = 500
TOP_KEYS = ("clinician", "date", "note", "stages")
STAGE_KEYS = ("from_week", "items")
SAVED_KEY = "accepted"  # saved only: the rules an override was accepted for
ITEM_KEYS = tuple(key for key in Item._fields if key != SAVED_KEY)
LIMITS = {"sets": (1, 10), "reps": (1, 100), "seconds": (1, 600), "days": (1, 7)}


class Problem(Exception):
    """One thing wrong with a prescription, at a field path.

    `general` is the message without the value, for a file whose values an error must
    never repeat (an import): `unquoted()` says it with the path up to any key not
    shaped like a field name.
    """

    def __init__(self, field: FieldPath, message: str, general: str = "") -> None:
        super().__init__(message)
        self.field, self.message, self.general = field, message, general or message

    def unquoted(self) -> str:
        named = takewhile(lambda part: isinstance(part, int) or key_named(part), self.field)
        shown = list(map(str, named))
        return f"{'.'.join(shown)}: {self.general}" if shown else self.general


def load_file(path: Path, library: Library) -> Prescription:
    """Read and check a clinician's YAML file; BadInput naming file, line and field."""
    document = read_yaml_document(path, max_bytes=MAX_BYTES, what="a prescription file")
    try:
        return parse(document.data, library)
    except Problem as problem:
        raise _in_file(document, problem.field, problem.message) from None


def _in_file(document: YamlDocument, field: FieldPath, message: str) -> BadInput:
    """`FILE:LINE: field.path: message`, at the nearest enclosing value written in the file."""
    names = [_field_name(field[:length]) for length in range(len(field), -1, -1)]
    line = next((document.lines[name] for name in names if name in document.lines), 1)
    return BadInput(f"{document.path}:{line}: {names[0] or 'file'}: {message}")


def _field_name(field: FieldPath) -> str:
    """A field path as the file's reader names it: `stages[0].items[1].sets`."""
    name = ".".join(f"[{part}]" if isinstance(part, int) else part for part in field)
    return name.replace(".[", "[")


def parse(raw: object, library: Library, *, saved: bool = False) -> Prescription:
    """A prescription from plain data (the YAML file, or the saved JSON, whose overriding
    items also record the rules they were `accepted` for); raises Problem."""
    top = _mapping(raw, (), TOP_KEYS, required=("clinician", "date", "stages"))
    stages = _list(top["stages"], ("stages",))
    keys = (*ITEM_KEYS, SAVED_KEY) if saved else ITEM_KEYS
    parsed = tuple(_stage(stage, ("stages", i), library, keys) for i, stage in enumerate(stages))
    _check_weeks(parsed)
    prescription = Prescription(
        _text(top["clinician"], ("clinician",)),
        _date(top["date"], ("date",)),
        _text(top["note"], ("note",)) if top.get("note") is not None else None,
        parsed,
    )
    check_sane(prescription, library)
    return prescription


def check_sane(prescription: Prescription, library: Library) -> None:
    """What no home prescription may say, override or not (programme.yaml
    `prescription_limits`): a clinician's real name, overrides that give a reason, and
    doses within what a clinician would write. Raises Problem at the field."""
    limits = library.programme.prescription_limits
    if _bare(prescription.clinician) in limits.not_names or not _has_word(prescription.clinician):
        raise Problem(("clinician",), "give the name of the clinician who wrote it")
    for index, stage in enumerate(prescription.stages):
        for number, item in enumerate(stage.items):
            _check_item(item, ("stages", index, "items", number), library)
        total = sum(_strikes(i, library) for i in stage.items)
        if total > limits.heel_strikes_a_day:
            raise Problem(
                ("stages", index, "items"),
                f"{total} heel strikes if these meet on one day: more than the "
                f"{limits.heel_strikes_a_day} a home programme allows",
            )


def _check_item(item: Item, at: FieldPath, library: Library) -> None:
    limits = library.programme.prescription_limits
    if item.override is not None and (
        _bare(item.override) in limits.empty_reasons
        or len(item.override.split()) < limits.reason_words_at_least
    ):
        raise Problem((*at, "override"), "say why the rule may be lifted for this person")
    most = limits.most.get(item.exercise)
    if most is None:
        return
    measure = "reps" if item.reps is not None else "seconds"
    for key, value, high in (
        ("sets", item.sets, most[0]),
        (measure, item.reps or item.seconds or 0, most[1]),
        ("days", item.days, most[2]),
    ):
        if value > high:
            raise Problem(
                (*at, key),
                f"{value} is more than a home programme gives of {item.exercise} "
                f"(at most {high}): a typo?",
                f"more than a home programme gives (at most {high})",
            )


def _strikes(item: Item, library: Library) -> int:
    exercise = library.exercises[item.exercise]
    return strikes(exercise, item.dose, exercise.per_side)


def _bare(text: str) -> str:
    return " ".join(text.casefold().replace(".", " ").split())


def _has_word(text: str) -> bool:
    """At least one run of two letters: a name, not initials or digits alone."""
    return any(sum(c.isalpha() for c in part) >= 2 for part in text.split())


def _stage(raw: object, where: FieldPath, library: Library, keys: Sequence[str]) -> Stage:
    stage = _mapping(raw, where, STAGE_KEYS, required=STAGE_KEYS)
    items = _list(stage["items"], (*where, "items"))
    parsed = tuple(_item(item, (*where, "items", i), library, keys) for i, item in enumerate(items))
    seen: set[str] = set()
    for index, item in enumerate(parsed):
        if item.exercise in seen:
            raise Problem((*where, "items", index, "exercise"), f"{item.exercise} is given twice")
        seen.add(item.exercise)
    return Stage(_count(stage["from_week"], (*where, "from_week"), 1, 520), parsed)


def _check_weeks(stages: Sequence[Stage]) -> None:
    if stages[0].from_week != 1:
        raise Problem(("stages", 0, "from_week"), "the first stage starts in week 1")
    for index in range(1, len(stages)):
        if stages[index].from_week <= stages[index - 1].from_week:
            raise Problem(
                ("stages", index, "from_week"),
                f"must come after the stage before it (week {stages[index - 1].from_week})",
            )


def _item(raw: object, at: FieldPath, library: Library, keys: Sequence[str]) -> Item:
    item = _mapping(raw, at, keys, required=("exercise", "sets", "days"))
    exercise_id = _text(item["exercise"], (*at, "exercise"))
    try:
        exercise = library.exercise(exercise_id)
    except BadInput as error:  # an unknown id, with close matches
        general = "not an exercise id heelcoach knows (see `heelcoach exercises`)"
        raise Problem((*at, "exercise"), str(error), general) from None
    measure = exercise.measure  # "reps" or "seconds"
    other = "seconds" if measure == "reps" else "reps"
    if item.get(other) is not None:
        raise Problem((*at, other), f"{exercise.name} is measured in {measure}: give {measure}")
    if item.get(measure) is None:
        raise Problem(at, f"{exercise.name} needs {measure}")
    per_side = item.get("per_side")
    if per_side is not None and per_side is not exercise.per_side:
        how = "one leg at a time" if exercise.per_side else "with both legs at once"
        raise Problem((*at, "per_side"), f"{exercise.name} is done {how}: give {exercise.per_side}")
    return Item(
        exercise_id,
        _limited(item, "sets", at),
        _limited(item, "reps", at) if measure == "reps" else None,
        _limited(item, "seconds", at) if measure == "seconds" else None,
        _limited(item, "days", at),
        per_side,
        support=_optional_text(item, "support", at),
        note=_optional_text(item, "note", at),
        override=_optional_text(item, "override", at),
        accepted=_rules(item.get(SAVED_KEY), (*at, SAVED_KEY), library),
    )


def _rules(raw: object, at: FieldPath, library: Library) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(rule in library.rules for rule in raw):
        raise Problem(at, "expected a list of rule ids")
    return tuple(raw)


def _mapping(
    raw: object, at: FieldPath, keys: Sequence[str], *, required: Sequence[str]
) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise Problem(at, "expected a mapping of fields (name: value)")
    for key in raw:
        if key not in keys:
            raise Problem((*at, str(key)), f"unknown field (expected: {', '.join(keys)})")
    for key in required:
        if raw.get(key) is None:
            raise Problem((*at, key), "missing")
    return {key: raw.get(key) for key in keys}


def _list(raw: object, at: FieldPath) -> list[object]:
    if not isinstance(raw, list) or not raw:
        raise Problem(at, "expected a list with at least one entry")
    return raw


def _count(raw: object, at: FieldPath, low: int, high: int) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise Problem(at, f"expected a whole number, got {raw!r}", "expected a whole number")
    if not low <= raw <= high:
        raise Problem(at, f"{raw} is outside {low}-{high}", f"expected {low}-{high}")
    return raw


def _limited(item: Mapping[str, Any], key: str, at: FieldPath) -> int:
    return _count(item[key], (*at, key), *LIMITS[key])


def _text(raw: object, at: FieldPath) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise Problem(at, "expected some text")
    if len(raw) > TEXT_MAX:
        raise Problem(at, f"longer than {TEXT_MAX} characters")
    return " ".join(raw.split())


def _optional_text(item: Mapping[str, Any], key: str, at: FieldPath) -> str | None:
    return None if item[key] is None else _text(item[key], (*at, key))


def _date(raw: object, at: FieldPath) -> date:
    try:
        day = raw if isinstance(raw, date) else date.fromisoformat(str(raw))
    except ValueError:
        raise Problem(
            at, f"expected a date (YYYY-MM-DD), got {raw!r}", "expected a date (YYYY-MM-DD)"
        ) from None
    if day < EARLIEST_DAY or day.year > LATEST_YEAR:  # weeks counted from it must fit
        expected = f"expected a day from {EARLIEST_DAY.year} to {LATEST_YEAR}"
        raise Problem(at, f"{day.isoformat()} is not a plausible day ({expected})", expected)
    return day


def to_data(prescription: Prescription) -> dict[str, Any]:
    """The prescription as plain data with the file's fields (for the saved JSON)."""
    return {
        "clinician": prescription.clinician,
        "date": prescription.date.isoformat(),
        "note": prescription.note,
        "stages": [
            {"from_week": stage.from_week, "items": [_item_data(i) for i in stage.items]}
            for stage in prescription.stages
        ],
    }


def _item_data(item: Item) -> dict[str, Any]:
    return {key: value for key, value in item._asdict().items() if value is not None}


SAVED_MAX_BYTES = 1024 * 1024  # a saved prescription is a few KB


class Saved(NamedTuple):
    """A prescription as `prescription.json` keeps it: accepted on a day, checked then."""

    prescription: Prescription
    accepted: date


def saved_payload(saved: Saved) -> dict[str, Any]:
    """`prescription.json`'s content (an export carries it as it is)."""
    return {
        "format": SAVED_FORMAT,
        "accepted": saved.accepted.isoformat(),
        "prescription": to_data(saved.prescription),
    }


def saved_from_payload(payload: object, library: Library) -> Saved:
    """A saved prescription from `saved_payload`'s shape; Problem naming what is wrong."""
    if not isinstance(payload, dict):
        raise Problem((), "expected an object with format, accepted and prescription")
    unknown = [key for key in payload if key not in ("format", "accepted", "prescription")]
    if unknown:
        raise Problem(
            (str(unknown[0]),), "unknown field (expected: format, accepted, prescription)"
        )
    if payload.get("format") != SAVED_FORMAT:
        raise Problem(("format",), f"expected {SAVED_FORMAT}")
    accepted = payload.get("accepted")
    if not isinstance(accepted, str):
        raise Problem(("accepted",), "expected a date (YYYY-MM-DD)")
    return Saved(
        parse(payload.get("prescription"), library, saved=True), _date(accepted, ("accepted",))
    )


def save(target: Path, prescription: Prescription, accepted: date) -> None:
    payload = saved_payload(Saved(prescription, accepted))
    write_private_text(target, json.dumps(payload, indent=2) + "\n")


def load(source: Path, library: Library) -> Prescription | None:
    """The saved prescription, None when there is none; BadInput when it is damaged."""
    saved = load_saved(source, library)
    return saved.prescription if saved is not None else None


def load_saved(source: Path, library: Library) -> Saved | None:
    """The saved prescription with the day it was accepted, None when there is none;
    BadInput when it is damaged."""
    from heelcoach.reader import ReadError, read_json

    try:  # regular files only, a byte cap, a key given twice refused
        payload = read_json(source, max_bytes=SAVED_MAX_BYTES, what="a saved prescription")
    except ReadError as error:
        if error.missing:
            return None
        detail = str(error).removeprefix(f"{source}").lstrip(":0123456789 ")
        raise _damaged(source, detail) from None
    try:
        return saved_from_payload(payload, library)
    except Problem as problem:
        raise _damaged(
            source, f"{_field_name(problem.field) or 'file'}: {problem.message}"
        ) from None


def clear(target: Path) -> bool:
    """Remove the saved prescription; whether there was one."""
    existed = target.exists()
    target.unlink(missing_ok=True)
    return existed


def _damaged(source: Path, detail: str) -> BadInput:
    return BadInput(
        f"{source}: the saved prescription is damaged ({detail}); run `heelcoach prescribe "
        "FILE` again, or `heelcoach prescribe --clear` for the built-in programme"
    )
