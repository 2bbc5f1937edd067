"""The exercise library, safety rules, screening questions and programme, loaded from YAML.

Everything a coach says or prescribes lives in `content/*.yaml` so it can be reviewed
against the source articles without reading code. This module turns those files into
the records of `content.model` and refuses a bad file with one line naming the file, the
line and the field path. Each record is read by its own field types and `Annotated` marks,
so what a field may hold is written once, in the model; what spans fields or files (a
gate names its test, a ladder rises gently) is checked here, after.

YAML is imported only when a file must be parsed: the validated content is cached as JSON
(`content.cache`), and everyday commands (`log`, `checkin`) read that instead.
"""

from __future__ import annotations

import itertools
import types
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Any, NamedTuple, NoReturn, Union, get_args, get_origin, get_type_hints

from heelcoach.content.cache import (
    CORE_FILES,
    ContentError,
    cache_path,
    fingerprint,
    read_cache,
    source_files,
    write_cache,
)
from heelcoach.content.model import (
    DERIVED_FACTS,
    TESTS,
    Between,
    Condition,
    DoseStage,
    Exercise,
    Known,
    Library,
    OneOf,
    Programme,
    Question,
    Rule,
)
from heelcoach.domain.text import has_control_characters
from heelcoach.reader import ReadError, YamlDocument, read_yaml_document

# --------------------------------------------------------------------------- loading

_loaded: dict[str, Library] = {}


def load_library(user_dir: Path, cache_dir: Path | None) -> Library:
    """The validated library, parsed at most once per process and set of files, with the
    person's own exercises from `user_dir` (`cache_dir` None: no JSON cache)."""
    files = source_files(user_dir)
    cache = cache_path(cache_dir, user_dir)
    key = fingerprint(files)
    memo = repr(key)
    if memo not in _loaded:
        library = _from_cache(cache, key)
        if library is None:
            documents, library = _parse_and_check(files)
            write_cache(cache, key, documents)
        _loaded.clear()
        _loaded[memo] = library._replace(digest=_content_digest(key))
    return _loaded[memo]


def _content_digest(key: list[Any]) -> str:
    """The fingerprint without where the files are or when they changed: their names,
    sizes and checksums (two installs of the same content agree)."""
    return ";".join(
        [str(key[0]), *(f"{Path(entry[0]).name}:{entry[2]}:{entry[3]}" for entry in key[1:])]
    )


def _from_cache(cache: Path | None, key: list[Any]) -> Library | None:
    """The library from a fresh cache, or None to parse the YAML: a cache damaged or
    edited since it was written fails the field checks, and that is never an error."""
    documents = read_cache(cache, key)
    if documents is None:
        return None
    try:
        return _build_library(documents)
    except Exception:  # any damage at all: the YAML is the source of truth
        return None


def _parse_and_check(files: list[Path]) -> tuple[dict[str, Any], Library]:
    """Parse every file and build the library: the plain data to cache, and the library."""
    core = {file.name: _parse_yaml(file) for file in files[: len(CORE_FILES)]}
    user = {str(file): _parse_yaml(file) for file in files[len(CORE_FILES) :]}
    documents = {
        "core": {name: doc.data for name, doc in core.items()},
        "user": {name: doc.data for name, doc in user.items()},
    }
    return documents, _build_library(documents, {**core, **user})


def _parse_yaml(path: Path) -> YamlDocument:
    try:
        return read_yaml_document(path, what="a content file")
    except ReadError as error:
        raise ContentError(str(error)) from None


# --------------------------------------------------------------------------- reading records


class Scope(NamedTuple):
    """What a field is read against: its file (for lines) and the ids known so far."""

    doc: YamlDocument | None  # None when building from the cache
    facts: frozenset[str] = frozenset()  # answers and facts a condition may read
    sources: Mapping[str, str] | None = None  # None: any source (a person's own file)
    rules: Mapping[str, Rule] = {}
    exercises: Mapping[str, Exercise] = {}

    def fail(self, at: str, problem: str) -> NoReturn:
        where = self.doc.where(at) if self.doc else "content"
        raise ContentError(f"{where}: {at}: {problem}")


Read = Callable[[Any, str, Scope], Any]  # (raw value, field path, scope) -> checked value


class _Wrong(Exception):
    """A value of the wrong kind; `expected` says what was wanted."""

    def __init__(self, expected: str) -> None:
        super().__init__(expected)
        self.expected = expected


def _describe(value: Any) -> str:
    return "null" if value is None else f"{type(value).__name__} {value!r}"[:60]


def _read(value: Any, at: str, scope: Scope, read: Read) -> Any:
    try:
        return read(value, at, scope)
    except _Wrong as wrong:
        scope.fail(at, f"expected {wrong.expected}, got {_describe(value)}")


def _text(value: Any, at: str, scope: Scope) -> str:
    if not isinstance(value, str) or not value.strip() or has_control_characters(value):
        # control characters: an escape sequence would reach the terminal
        raise _Wrong("a non-empty string without control characters")
    return value.strip()


def _integer(value: Any, at: str, scope: Scope) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _Wrong("an integer")
    return value


def _number(value: Any, at: str, scope: Scope) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise _Wrong("a number")
    return float(value)


def _plain(kind: type, expected: str) -> Read:
    """A reader taking any value of type `kind` as it is."""

    def read(value: Any, at: str, scope: Scope) -> Any:
        if not isinstance(value, kind):
            raise _Wrong(expected)
        return value

    return read


_flag = _plain(bool, "true or false")
_mapping = _plain(dict, "a mapping")
_listing = _plain(list, "a list")


def _path(at: str, key: str) -> str:
    return f"{at}.{key}" if at else key


@cache
def _reader(hint: Any) -> Read:
    """How to read a value of the type `hint`, built once per type."""
    origin, args = get_origin(hint), get_args(hint)
    if origin is Annotated:
        return _marked(_reader(args[0]), hint.__metadata__)
    if origin in (types.UnionType, Union):  # `X | None`
        inner = _reader(next(arg for arg in args if arg is not type(None)))
        return lambda value, at, scope: None if value is None else inner(value, at, scope)
    if origin is tuple:
        return _tuple_reader(_reader(args[0]))
    if origin is Mapping:
        return _mapping_reader(_reader(args[0]), _reader(args[1]))
    special = {str: _text, bool: _flag, int: _integer, float: _number, Condition: _condition}
    if hint in special:
        return special[hint]
    return lambda value, at, scope: _record(hint, value, at, scope)


def _tuple_reader(item: Read) -> Read:
    def read(value: Any, at: str, scope: Scope) -> tuple[Any, ...]:
        items = _listing(value, at, scope)
        return tuple(_read(entry, f"{at}[{i}]", scope, item) for i, entry in enumerate(items))

    return read


def _mapping_reader(key: Read, item: Read) -> Read:
    def read(value: Any, at: str, scope: Scope) -> dict[Any, Any]:
        return {
            _read(name, _path(at, str(name)), scope, key): _read(
                entry, _path(at, str(name)), scope, item
            )
            for name, entry in _mapping(value, at, scope).items()
        }

    return read


def _marked(read: Read, marks: tuple[Any, ...]) -> Read:
    """`read`, then the mark's check (`content.model`: Between, OneOf or Known)."""
    (mark,) = marks
    check = _CHECKS[type(mark)]

    def checked(value: Any, at: str, scope: Scope) -> Any:
        result = read(value, at, scope)
        check(mark, result, at, scope)
        return result

    return checked


def _one_of(mark: OneOf, value: str, at: str, scope: Scope) -> None:
    if value not in mark.names:
        raise _Wrong(f"one of: {', '.join(mark.names)}")


def _known(mark: Known, value: str, at: str, scope: Scope) -> None:
    known = getattr(scope, mark.what)
    if known is not None and value not in known:
        kind = {"exercises": "exercise id", "rules": "rule id"}.get(mark.what, "source")
        hint = " (add it to sources.yaml)" if mark.what == "sources" else ""
        scope.fail(at, f"unknown {kind} '{value}'{hint}")


def _between(mark: Between, value: float | tuple[Any, ...], at: str, scope: Scope) -> None:
    if isinstance(value, tuple):
        if len(value) < mark.low:
            scope.fail(at, "needs at least one entry")
    elif not mark.low <= value <= mark.high:
        kind = "an integer" if isinstance(value, int) else "a number"
        raise _Wrong(f"{kind} from {mark.low:g} to {mark.high:g}")


_CHECKS: dict[type, Callable[[Any, Any, str, Scope], None]] = {
    Between: _between,
    OneOf: _one_of,
    Known: _known,
}


@cache
def _fields(cls: Any) -> tuple[dict[str, Read], frozenset[str]]:
    """The reader of each field of `cls`, and the fields a file must give."""
    hints = get_type_hints(cls, include_extras=True)
    return {name: _reader(hint) for name, hint in hints.items()}, frozenset(
        hints.keys() - cls._field_defaults.keys()
    )


def _record(cls: Any, raw: Any, at: str, scope: Scope, **given: Any) -> Any:
    """One record of type `cls` from a YAML mapping: every key a field, every field without
    a default present, each value read by its type. `given` fields are not in the file."""
    if not isinstance(raw, dict):
        scope.fail(at, f"expected a mapping, got {_describe(raw)}")
    fields, required = _fields(cls)
    unknown = [key for key in raw if key not in fields or key in given]
    if unknown:
        expected = ", ".join(name for name in fields if name not in given)
        scope.fail(_path(at, str(unknown[0])), f"unknown field (expected one of: {expected})")
    if not required <= raw.keys() | given.keys():
        missing = next(name for name in fields if name in required and name not in raw)
        scope.fail(_path(at, missing), "missing field")
    values = {name: _read(raw[name], _path(at, name), scope, fields[name]) for name in raw}
    return cls(**values, **given)


def _entries(data: Any, key: str, scope: Scope) -> list[tuple[str, Any]]:
    """The list a content file holds under its one key, each entry with its field path."""
    top = _read({} if data is None else data, "", scope, _mapping)
    unknown = [name for name in top if name != key]
    if unknown:
        scope.fail(str(unknown[0]), f"unknown field (expected one of: {key})")
    if key not in top:
        scope.fail(key, "missing field")
    items = _read(top[key], key, scope, _listing)
    return [(f"{key}[{i}]", item) for i, item in enumerate(items)]


# --------------------------------------------------------------------------- conditions

_COMPARISONS: dict[str, Read] = {
    "below": _number,
    "above": _number,
    "at_least": _number,
    "at_most": _number,
    "in": _tuple_reader(_text),
    "any_of": _tuple_reader(_text),
    "known": _flag,
}


def _condition(raw: Any, at: str, scope: Scope) -> Condition:
    """One condition from its YAML mapping; every key it reads must be an answer or fact."""
    if not isinstance(raw, dict) or not raw:
        scope.fail(at, "expected a condition mapping, e.g. {is: chest_pain}")
    for op in ("is", "all", "any", "not"):
        if op in raw:
            extra = [key for key in raw if key != op]
            if extra:
                scope.fail(_path(at, str(extra[0])), f"unexpected beside `{op}`")
            return _combined(op, raw[op], _path(at, op), scope)
    ops = [op for op in raw if op != "key"]
    if "key" not in raw or len(ops) != 1 or ops[0] not in _COMPARISONS:
        names = ", ".join(["is", *_COMPARISONS, "all", "any", "not"])
        scope.fail(at, f"expected `key` and one of: {names}")
    op = ops[0]
    value = _read(raw[op], _path(at, op), scope, _COMPARISONS[op])
    return Condition(op, _fact(raw["key"], _path(at, "key"), scope), value)


def _combined(op: str, raw: Any, at: str, scope: Scope) -> Condition:
    if op == "is":
        return Condition(op, _fact(raw, at, scope))
    if op == "not":
        return Condition(op, parts=(_condition(raw, at, scope),))
    if not isinstance(raw, list):
        scope.fail(at, "expected a list of conditions")
    return Condition(op, parts=tuple(_condition(p, f"{at}[{i}]", scope) for i, p in enumerate(raw)))


def _fact(value: Any, at: str, scope: Scope) -> str:
    if not isinstance(value, str) or value not in scope.facts:
        scope.fail(at, f"unknown answer or fact {value!r}")
    return value


# --------------------------------------------------------------------------- the library


class _Source(NamedTuple):
    id: str
    cite: str


def _build_library(
    documents: dict[str, Any], docs: dict[str, YamlDocument] | None = None
) -> Library:
    """Records from parsed documents; `docs` (when parsing) gives lines for errors."""
    docs = docs or {}
    core = documents["core"]
    scope = Scope(docs.get("sources.yaml"))
    sources = {s.id: s.cite for _, s in _unique(_Source, core["sources.yaml"], "sources", scope)}
    questions = _build_questions(core["questions.yaml"], Scope(docs.get("questions.yaml")))
    facts = frozenset(q.key for q in questions) | frozenset(DERIVED_FACTS)
    scope = Scope(docs.get("rules.yaml"), facts, sources)
    rules = {
        rule.id: _checked_rule(at, rule, scope)
        for at, rule in _unique(Rule, core["rules.yaml"], "rules", scope)
    }
    places: dict[str, tuple[Scope, str]] = {}
    scope = Scope(docs.get("exercises.yaml"), facts, sources, rules)
    exercises = _build_exercises(core["exercises.yaml"], scope, places)
    for name, data in documents["user"].items():  # a person's own: any source they name
        exercises.update(
            _build_exercises(data, scope._replace(doc=docs.get(name), sources=None), places)
        )
    for exercise in exercises.values():
        if exercise.variant_of and exercise.variant_of not in exercises:
            where, at = places[exercise.id]
            where.fail(f"{at}.variant_of", f"unknown exercise id '{exercise.variant_of}'")
    scope = Scope(docs.get("programme.yaml"), facts, sources, rules, exercises)
    programme = _checked_programme(_record(Programme, core["programme.yaml"], "", scope), scope)
    return Library(exercises, rules, questions, programme, sources)


def _unique(cls: Any, data: Any, key: str, scope: Scope) -> list[tuple[str, Any]]:
    """The entries of a content file with their field paths, refusing an id given twice."""
    found: dict[str, tuple[str, Any]] = {}
    for at, raw in _entries(data, key, scope):
        entry = _record(cls, raw, at, scope)
        if entry.id in found:
            scope.fail(f"{at}.id", f"duplicate {key[:-1]} id '{entry.id}'")
        found[entry.id] = (at, entry)
    return list(found.values())


def _checked_rule(at: str, rule: Rule, scope: Scope) -> Rule:
    if (rule.when is None) != (rule.kind == "planner"):
        scope.fail(f"{at}.when", "a condition is needed (null only for kind: planner)")
    if (rule.test is None) == (rule.kind == "gate"):
        scope.fail(f"{at}.test", "a gate names its readiness test, and only a gate does")
    return rule


def _build_questions(data: Any, scope: Scope) -> tuple[Question, ...]:
    """The questions in order; each `ask_if` may read only the answers asked before it."""
    questions: dict[str, Question] = {}
    for at, raw in _entries(data, "questions", scope):
        asked = frozenset(questions) | frozenset(DERIVED_FACTS)
        question: Question = _record(Question, raw, at, scope._replace(facts=asked))
        if question.key in questions:
            scope.fail(f"{at}.key", f"duplicate question key '{question.key}'")
        if question.labels is not None and len(question.labels) != len(question.choices or ()):
            scope.fail(f"{at}.labels", "needs one label per choice")
        questions[question.key] = question
    return tuple(questions.values())


def _build_exercises(
    data: Any, scope: Scope, places: dict[str, tuple[Scope, str]]
) -> dict[str, Exercise]:
    """Exercises of one file; `places` collects where each id was defined, across files.
    A person's own file (`scope.sources` None) may name any source and leave out `loads`
    and `heel_strikes`, which were added after the format was first documented."""
    custom = scope.sources is None
    exercises: dict[str, Exercise] = {}
    for at, raw in _entries(data, "exercises", scope):
        if custom and isinstance(raw, dict):
            # The cautious reading: it loads the lower leg (a pain stop on the calf or
            # Achilles still asks before it runs), and any impact counts toward the daily
            # impact ceiling.
            defaults = {
                "loads": ["lower-leg"],
                "heel_strikes": raw.get("impact") in ("moderate", "high"),
            }
            raw = {**defaults, **raw}
        exercise: Exercise = _record(Exercise, raw, at, scope, custom=custom)
        if exercise.id in places:
            scope.fail(f"{at}.id", f"exercise id '{exercise.id}' is already in the library")
        places[exercise.id] = (scope, at)
        exercises[exercise.id] = exercise
    return exercises


# --------------------------------------------------------------------------- the programme


def _checked_programme(programme: Programme, scope: Scope) -> Programme:
    """What spans fields: ladders fit their exercise and rise gently, every readiness test
    names its exercise, the impact ceiling builds up in order; the prescription limits'
    words are compared casefolded."""
    doses = {
        exercise_id: _checked_ladder(exercise_id, stages, programme.monitoring.most_rise, scope)
        for exercise_id, stages in programme.doses.items()
    }
    if programme.readiness.like.keys() != set(TESTS):
        scope.fail("readiness.like", f"names the exercise like each test: {', '.join(TESTS)}")
    ceiling = programme.impact_ceiling
    steps = ceiling.cautious
    highest = max(step.strikes for step in steps)
    if steps != tuple(sorted(steps)) or steps[0].from_week != 1 or highest > ceiling.default:
        scope.fail("impact_ceiling.cautious", "from week 1 on, in order, none above the default")
    if ceiling.set_most < ceiling.min_reps:
        scope.fail("impact_ceiling.set_most", "less than min_reps")
    limits = programme.prescription_limits
    limits = limits._replace(
        not_names=tuple(word.casefold() for word in limits.not_names),
        empty_reasons=tuple(word.casefold() for word in limits.empty_reasons),
    )
    return programme._replace(doses=doses, prescription_limits=limits)


def _checked_ladder(
    exercise_id: str, stages: tuple[DoseStage, ...], most_rise: float, scope: Scope
) -> tuple[DoseStage, ...]:
    """The stages in week order. Each gives the exercise's measure (reps or seconds) and
    no more than `most_rise` times the session load of the stage before it
    (clinical-notes.md, load spikes): a spike written into the content is an error in it,
    not a dose."""
    measure = scope.exercises[exercise_id].measure
    for index, stage in enumerate(stages):
        if (stage.reps, stage.seconds).count(None) != 1 or getattr(stage, measure) is None:
            scope.fail(
                f"doses.{exercise_id}[{index}]",
                f"a {measure} exercise needs `{measure}` set and the other null",
            )
    ladder = tuple(sorted(stages, key=lambda stage: stage.from_week))
    for index, (before, after) in enumerate(itertools.pairwise(ladder), start=1):
        if _session_load(after) > most_rise * _session_load(before):
            scope.fail(
                f"doses.{exercise_id}[{index}]",
                f"more than {most_rise:g} times the load of the stage before it",
            )
    return ladder


def _session_load(stage: DoseStage) -> int:
    return stage.sets * (stage.reps or stage.seconds or 0)
