"""The exercise library, safety rules, screening questions and programme, loaded from YAML.

Everything a coach says or prescribes lives in `content/*.yaml` so it can be reviewed
against the source articles without reading code. This module turns those files into
immutable records and refuses a bad file with one line naming the file, the line and the
field path.

Two costs are kept off the fast paths (`heelcoach log`, `checkin`): YAML is imported only
when a file must be parsed, and the validated content is cached as JSON keyed on every
source file's path, size and modification time, so a changed file is always re-read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from heelcoach.content.cache import (
    CORE_FILES,
    CacheFiles,
    ContentError,
    cache_files,
    discard_cache,
    fingerprint,
    read_cache,
    source_files,
    write_cache,
)
from heelcoach.content.model import (
    AREAS,
    CONDITION_OPS,
    DERIVED_FACTS,
    EQUIPMENT,
    FAMILIES,
    IMPACTS,
    MEASURES,
    QUESTION_GROUPS,
    QUESTION_TYPES,
    RULE_KINDS,
    TESTS,
    Comeback,
    Condition,
    DoseStage,
    Exercise,
    Goal,
    GoalEntry,
    ImpactCeiling,
    Level,
    Library,
    PainModel,
    Phase,
    PrescriptionLimits,
    Programme,
    Question,
    ReadinessSpec,
    Rule,
)
from heelcoach.domain.text import has_control_characters
from heelcoach.reader import ReadError, YamlDocument, read_yaml_document

T = TypeVar("T")

# --------------------------------------------------------------------------- loading

_loaded: dict[str, Library] = {}


def load_library(user_dir: Path, cache_dir: Path | None) -> Library:
    """The validated library, parsed at most once per process and per set of files.

    `user_dir` holds the person's own exercise files; `cache_dir` is the folder of the
    JSON cache of validated content (None: parse every time).
    """
    files = source_files(user_dir)
    cache = cache_files(cache_dir, user_dir)
    key = fingerprint(files)
    memo = repr(key)
    if memo not in _loaded:
        library = _from_cache(cache, key)
        if library is None:
            documents = _parse_and_check(files)
            write_cache(cache, key, documents)
            library = _build_library(documents)
        _loaded.clear()
        _loaded[memo] = library._replace(digest=content_digest(key))
    return _loaded[memo]


def content_digest(key: list[Any]) -> str:
    """The fingerprint without where the files are or when they changed: their names,
    sizes and checksums (two installs of the same content agree)."""
    return ";".join(
        [str(key[0]), *(f"{Path(entry[0]).name}:{entry[2]}:{entry[3]}" for entry in key[1:])]
    )


def _from_cache(cache: CacheFiles | None, key: list[Any]) -> Library | None:
    """The library from a fresh cache, or None; a cache that does not build is discarded.

    The cache holds documents that were fully validated when it was written, but the file
    may have been damaged (or edited) since: building it checks every field again, and any
    failure means parsing the YAML instead, never an error for the person.
    """
    documents = read_cache(cache, key)
    if documents is None:
        return None
    try:
        return _build_library(documents)
    except Exception:  # any damage at all: the YAML is the source of truth
        discard_cache(cache)
        return None


def _parse_and_check(files: list[Path]) -> dict[str, Any]:
    """Parse every file, validate it fully, and return plain data ready to cache."""
    core = {file.name: _parse_yaml(file) for file in files[: len(CORE_FILES)]}
    user = {str(file): _parse_yaml(file) for file in files[len(CORE_FILES) :]}
    documents = {
        "core": {name: doc.data for name, doc in core.items()},
        "user": {name: doc.data for name, doc in user.items()},
    }
    _build_library(documents, {**core, **user})
    return documents


# --------------------------------------------------------------------------- YAML with lines

Document = YamlDocument  # a parsed file with the line of every field, for messages


def _parse_yaml(path: Path) -> Document:
    """Read one content file through the safe reader (size, alias, depth and duplicate-key
    limits; the safe loader only), keeping the line of every field for error messages."""
    try:
        return read_yaml_document(path, what="a content file")
    except ReadError as error:
        raise ContentError(str(error)) from None


# --------------------------------------------------------------------------- checking fields


class Fields:
    """Reads one YAML mapping strictly: every key known, every required key present."""

    def __init__(
        self,
        raw: Any,
        at: str,
        doc: Document | None,
        known: tuple[str, ...],
        optional: tuple[str, ...] = (),
    ):
        self.at, self.doc = at, doc
        if not isinstance(raw, dict):
            self.fail(at, f"expected a mapping, got {_describe(raw)}")
        allowed = known + optional
        unknown = [key for key in raw if key not in allowed]
        if unknown:
            self.fail(
                self.path(unknown[0]), f"unknown field (expected one of: {', '.join(allowed)})"
            )
        missing = [key for key in known if key not in raw]
        if missing:
            self.fail(self.path(missing[0]), "missing field")
        self.raw = raw

    def path(self, key: str) -> str:
        """The field path of `key` inside this mapping, e.g. `exercises[3].phases`."""
        return f"{self.at}.{key}" if self.at else str(key)

    def fail(self, field_path: str, problem: str) -> NoReturn:
        _fail(self.doc, field_path, problem)

    def has(self, key: str) -> bool:
        return key in self.raw

    def get_value(self, value: Any, at: str, check: Callable[[Any], T], expected: str) -> T:
        """Check a value found below this mapping (at field path `at`)."""
        try:
            return check(value)
        except (TypeError, ValueError):
            self.fail(at, f"expected {expected}, got {_describe(value)}")

    def get(self, key: str, check: Callable[[Any], T], expected: str) -> T:
        return self.get_value(self.raw[key], self.path(key), check, expected)

    def text(self, key: str) -> str:
        return self.get(key, _text, "a non-empty string without control characters")

    def optional_text(self, key: str) -> str | None:
        return self.get(key, lambda v: None if v is None else _text(v), "a string or null")

    def texts(self, key: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
        label = f"a list of: {', '.join(allowed)}" if allowed else "a list of strings"
        return self.get(key, lambda v: _texts(v, allowed), label)

    def integer(self, key: str, low: int, high: int) -> int:
        return self.get(key, lambda v: _integer(v, low, high), f"an integer {low}-{high}")

    def optional_integer(self, key: str, low: int, high: int) -> int | None:
        return self.get(
            key,
            lambda v: None if v is None else _integer(v, low, high),
            f"an integer {low}-{high} or null",
        )

    def number(self, key: str) -> float | None:
        return self.get(key, lambda v: None if v is None else _number(v), "a number or null")

    def flag(self, key: str) -> bool:
        return self.get(key, _flag, "true or false")

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        return self.get(key, lambda v: _one_of(v, allowed), f"one of: {', '.join(allowed)}")

    def items(self, key: str) -> list[tuple[str, Any]]:
        value = self.get(key, _listing, "a list")
        return [(f"{self.path(key)}[{i}]", item) for i, item in enumerate(value)]


def _describe(value: Any) -> str:
    return "null" if value is None else f"{type(value).__name__} {value!r}"[:60]


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise TypeError
    if has_control_characters(value):  # an escape sequence would reach the terminal
        raise ValueError
    return value.strip()


def _texts(value: Any, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    items = tuple(_text(item) for item in _listing(value))
    if allowed is not None and any(item not in allowed for item in items):
        raise ValueError
    return items


def _listing(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError
    return value


def _integer(value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise TypeError
    return value


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise TypeError
    return float(value)


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError
    return value


def _one_of(value: Any, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValueError
    return value


# --------------------------------------------------------------------------- building

# Fields a person's own exercise file may leave out (they were added after the format was
# first documented); the built-in library must give them.
EXERCISE_DEFAULTED = ("loads", "heel_strikes")
EXERCISE_FIELDS = (
    "id",
    "name",
    "family",
    "purpose",
    "setup",
    "measure",
    "phases",
    "cues",
    "mistakes",
    "stop_if",
    "not_for",
    "support_if",
    "support",
    "equipment",
    "per_side",
    "impact",
    "needs_warm_up",
    "rest_seconds",
    "source",
    "variant_of",
    "loads",
    "heel_strikes",
)


def _build_library(documents: dict[str, Any], docs: dict[str, Document] | None = None) -> Library:
    """Dataclasses from parsed documents; `docs` (when parsing) gives lines for errors."""
    docs = docs or {}
    core = documents["core"]
    sources = _build_sources(core["sources.yaml"], docs.get("sources.yaml"))
    questions = _build_questions(core["questions.yaml"], docs.get("questions.yaml"))
    facts = frozenset(q.key for q in questions) | frozenset(DERIVED_FACTS)
    rules = _build_rules(core["rules.yaml"], docs.get("rules.yaml"), facts, sources)
    places: dict[str, tuple[Document | None, str]] = {}
    exercises = _build_exercises(
        core["exercises.yaml"], docs.get("exercises.yaml"), rules, places, sources
    )
    for name, data in documents["user"].items():  # a person's own: any source they name
        exercises.update(_build_exercises(data, docs.get(name), rules, places, None))
    for exercise in exercises.values():
        if exercise.variant_of and exercise.variant_of not in exercises:
            doc, at = places[exercise.id]
            _fail(doc, f"{at}.variant_of", f"unknown exercise id '{exercise.variant_of}'")
    programme = _build_programme(
        core["programme.yaml"], docs.get("programme.yaml"), exercises, facts
    )
    return Library(exercises, rules, questions, programme, sources)


def _fail(doc: Document | None, field_path: str, problem: str) -> NoReturn:
    where = doc.where(field_path) if doc else "content"
    raise ContentError(f"{where}: {field_path}: {problem}")


def _top_list(data: Any, key: str, doc: Document | None) -> list[tuple[str, Any]]:
    return Fields(data if data is not None else {}, "", doc, (key,)).items(key)


RULE_FIELDS = ("id", "kind", "title", "reason", "advice", "source", "overridable", "when")


def _build_sources(data: Any, doc: Document | None) -> dict[str, str]:
    """sources.yaml: the id every `source:` field names, and its citation."""
    sources: dict[str, str] = {}
    for at, raw in _top_list(data, "sources", doc):
        f = Fields(raw, at, doc, ("id", "cite"))
        if f.text("id") in sources:
            f.fail(f"{at}.id", f"duplicate source id '{f.text('id')}'")
        sources[f.text("id")] = f.text("cite")
    return sources


def _known_source(f: Fields, sources: Mapping[str, str]) -> str:
    """A built-in `source:` must name an entry of sources.yaml, so every number traces."""
    source = f.text("source")
    if source not in sources:
        f.fail(f.path("source"), f"unknown source '{source}' (add it to sources.yaml)")
    return source


def _build_rules(
    data: Any, doc: Document | None, facts: frozenset[str], sources: Mapping[str, str]
) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    for at, raw in _top_list(data, "rules", doc):
        f = Fields(raw, at, doc, RULE_FIELDS, ("warn", "test"))
        _known_source(f, sources)
        rule = _build_rule(f, facts)
        if rule.id in rules:
            f.fail(f"{at}.id", f"duplicate rule id '{rule.id}'")
        rules[rule.id] = rule
    return rules


def _build_rule(f: Fields, facts: frozenset[str]) -> Rule:
    kind = f.choice("kind", RULE_KINDS)
    when = None if f.raw["when"] is None else _condition(f.raw["when"], f.path("when"), f, facts)
    if (when is None) != (kind == "planner"):
        f.fail(f.path("when"), "a condition is needed (null only for kind: planner)")
    test = f.choice("test", TESTS) if f.has("test") else None
    if (test is None) == (kind == "gate"):
        f.fail(f.path("test"), "a gate names its readiness test, and only a gate does")
    return Rule(
        id=f.text("id"),
        kind=kind,
        title=f.text("title"),
        reason=f.text("reason"),
        advice=f.text("advice"),
        source=f.text("source"),
        when=when,
        overridable=f.flag("overridable"),
        warn=f.flag("warn") if f.has("warn") else False,
        test=test,
    )


def _condition(raw: Any, at: str, f: Fields, facts: frozenset[str]) -> Condition:
    """One condition from its YAML mapping; every key it reads must be an answer or fact."""
    if not isinstance(raw, dict) or not raw:
        f.fail(at, "expected a condition mapping, e.g. {is: chest_pain}")
    if "is" in raw:
        _only(raw, ("is",), at, f)
        return Condition("is", _fact(raw["is"], f"{at}.is", f, facts))
    for combinator in ("all", "any"):
        if combinator in raw:
            _only(raw, (combinator,), at, f)
            parts = raw[combinator]
            if not isinstance(parts, list):
                f.fail(f"{at}.{combinator}", "expected a list of conditions")
            return Condition(
                combinator,
                parts=tuple(
                    _condition(part, f"{at}.{combinator}[{i}]", f, facts)
                    for i, part in enumerate(parts)
                ),
            )
    if "not" in raw:
        _only(raw, ("not",), at, f)
        return Condition("not", parts=(_condition(raw["not"], f"{at}.not", f, facts),))
    return _comparison(raw, at, f, facts)


def _comparison(raw: dict[str, Any], at: str, f: Fields, facts: frozenset[str]) -> Condition:
    ops = [op for op in raw if op != "key"]
    if "key" not in raw or len(ops) != 1 or ops[0] not in CONDITION_OPS:
        f.fail(at, f"expected `key` and one of: {', '.join(CONDITION_OPS)}")
    op, value = ops[0], raw[ops[0]]
    key = _fact(raw["key"], f"{at}.key", f, facts)
    if op in ("below", "above", "at_least", "at_most"):
        return Condition(op, key, f.get_value(value, f"{at}.{op}", _number, "a number"))
    if op in ("in", "any_of"):
        items = f.get_value(value, f"{at}.{op}", lambda v: _texts(v, None), "a list of names")
        return Condition(op, key, items)
    if op == "known":
        return Condition(op, key, f.get_value(value, f"{at}.known", _flag, "true or false"))
    return f.fail(f"{at}.{op}", f"`{op}` needs a key and a value")


def _only(raw: dict[str, Any], keys: tuple[str, ...], at: str, f: Fields) -> None:
    extra = [key for key in raw if key not in keys]
    if extra:
        f.fail(f"{at}.{extra[0]}", f"unexpected beside `{keys[0]}`")


def _fact(value: Any, at: str, f: Fields, facts: frozenset[str]) -> str:
    if not isinstance(value, str) or value not in facts:
        f.fail(at, f"unknown answer or fact {value!r}")
    return value


def _build_exercises(
    data: Any,
    doc: Document | None,
    rules: Mapping[str, Rule],
    places: dict[str, tuple[Document | None, str]],
    sources: Mapping[str, str] | None,
) -> dict[str, Exercise]:
    """Exercises of one file; `places` collects where each id was defined, across files.
    `sources` is None for a person's own file (custom exercises)."""
    custom = sources is None
    exercises: dict[str, Exercise] = {}
    for at, raw in _top_list(data, "exercises", doc):
        f = Fields(raw, at, doc, EXERCISE_FIELDS, () if not custom else EXERCISE_DEFAULTED)
        if sources is not None:
            _known_source(f, sources)
        exercise = _build_exercise(f, custom)
        if exercise.id in places:
            f.fail(f"{at}.id", f"exercise id '{exercise.id}' is already in the library")
        for field_name in ("not_for", "support_if"):
            unknown = [r for r in getattr(exercise, field_name) if r not in rules]
            if unknown:
                f.fail(f"{at}.{field_name}", f"unknown rule id '{unknown[0]}'")
        places[exercise.id] = (doc, at)
        exercises[exercise.id] = exercise
    return exercises


def _build_exercise(f: Fields, custom: bool) -> Exercise:
    measure = f.choice("measure", MEASURES)
    phases = tuple(
        _build_phase(Fields(raw, at, f.doc, ("name", "seconds", "cue")))
        for at, raw in f.items("phases")
    )
    if not phases:
        f.fail(f.path("phases"), "needs at least one phase")
    return Exercise(
        id=f.text("id"),
        name=f.text("name"),
        family=f.choice("family", FAMILIES),
        purpose=f.text("purpose"),
        setup=f.texts("setup"),
        measure=measure,
        phases=phases,
        cues=_non_empty(f, "cues"),
        mistakes=f.texts("mistakes"),
        stop_if=f.texts("stop_if"),
        not_for=f.texts("not_for"),
        support_if=f.texts("support_if"),
        support=f.optional_text("support"),
        equipment=f.texts("equipment", EQUIPMENT),
        per_side=f.flag("per_side"),
        impact=f.choice("impact", IMPACTS),
        needs_warm_up=f.flag("needs_warm_up"),
        rest_seconds=f.integer("rest_seconds", 0, 600),
        source=f.text("source"),
        variant_of=f.optional_text("variant_of"),
        loads=_loads(f),
        heel_strikes=_heel_strikes(f),
        custom=custom,
    )


def _loads(f: Fields) -> tuple[str, ...]:
    # A person's own exercise may leave it out: assume it loads the lower leg, so a pain
    # stop on the calf or Achilles still asks before it runs.
    return f.texts("loads", AREAS) if f.has("loads") else ("lower-leg",)


def _heel_strikes(f: Fields) -> bool:
    # Left out of a person's own exercise: anything with impact counts toward the daily
    # impact ceiling, the cautious reading.
    if f.has("heel_strikes"):
        return f.flag("heel_strikes")
    return f.raw.get("impact") in ("moderate", "high")


def _non_empty(f: Fields, key: str) -> tuple[str, ...]:
    values = f.texts(key)
    if not values:
        f.fail(f.path(key), "needs at least one entry")
    return values


def _build_phase(f: Fields) -> Phase:
    seconds = f.get("seconds", lambda v: _positive(_number(v)), "a number of seconds above 0")
    return Phase(f.text("name"), seconds, f.text("cue"))


def _positive(value: float) -> float:
    if value <= 0 or value > 600:
        raise ValueError
    return value


QUESTION_FIELDS = (
    "key",
    "text",
    "help",
    "short",
    "type",
    "choices",
    "labels",
    "min",
    "max",
    "group",
    "ask_if",
)


def _build_questions(data: Any, doc: Document | None) -> tuple[Question, ...]:
    questions: list[Question] = []
    asked: set[str] = set()
    for at, raw in _top_list(data, "questions", doc):
        f = Fields(raw, at, doc, QUESTION_FIELDS)
        question = _build_question(f, frozenset(asked) | frozenset(DERIVED_FACTS))
        if question.key in asked:
            f.fail(f.path("key"), f"duplicate question key '{question.key}'")
        asked.add(question.key)
        questions.append(question)
    return tuple(questions)


def _build_question(f: Fields, earlier: frozenset[str]) -> Question:
    """One question; its `ask_if` may read only the answers asked before it."""
    choices = f.get("choices", _optional_texts, "a list of strings or null")
    labels = f.get("labels", _optional_texts, "a list of strings or null")
    if labels is not None and (choices is None or len(labels) != len(choices)):
        f.fail(f.path("labels"), "needs one label per choice")
    ask_if = f.raw["ask_if"]
    return Question(
        key=f.text("key"),
        text=f.text("text"),
        help=f.text("help"),
        short=f.text("short"),
        type=f.choice("type", QUESTION_TYPES),
        choices=choices,
        labels=labels,
        min=f.number("min"),
        max=f.number("max"),
        group=f.choice("group", QUESTION_GROUPS),
        ask_if=None if ask_if is None else _condition(ask_if, f.path("ask_if"), f, earlier),
    )


def _optional_texts(value: Any) -> tuple[str, ...] | None:
    return None if value is None else _texts(value, None)


PROGRAMME_FIELDS = (
    "levels",
    "session_order",
    "base_weeks_for_jumps",
    "monitoring",
    "impact_ceiling",
    "never_two_days_running",
    "stretch_after_strength",
    "readiness",
    "comeback",
    "answers_age",
    "prescription_limits",
    "rise_one_at_a_time",
    "goals",
    "doses",
)


def _build_programme(
    data: Any, doc: Document | None, exercises: Mapping[str, Exercise], facts: frozenset[str]
) -> Programme:
    f = Fields(data, "", doc, PROGRAMME_FIELDS)
    levels = tuple(
        Level(lf.text("name"), lf.integer("from_week", 1, 520))
        for lf in _fields_of(f, "levels", ("name", "from_week"))
    )
    order = f.texts("session_order", FAMILIES)
    goals = {gid: _build_goal(gid, raw, doc, exercises, facts) for gid, raw in _mapping(f, "goals")}
    doses = {eid: _build_stages(eid, raw, doc, exercises) for eid, raw in _mapping(f, "doses")}
    monitoring = _build_monitoring(_sub(f, "monitoring", MONITORING_FIELDS))
    _check_rises(doses, monitoring.most_rise, doc)
    apart = tuple(
        _known_id(doc, "never_two_days_running", e, exercises)
        for e in f.texts("never_two_days_running")
    )
    stretch = _known_id(doc, "stretch_after_strength", f.text("stretch_after_strength"), exercises)
    return Programme(
        levels,
        goals,
        doses,
        order,
        f.integer("base_weeks_for_jumps", 0, 52),
        monitoring,
        _build_ceiling(_sub(f, "impact_ceiling", CEILING_FIELDS), facts),
        apart,
        stretch,
        _build_readiness(f, exercises),
        _build_comeback(_sub(f, "comeback", ("weeks_per_stage", "retest_after_weeks"))),
        _build_ages(_sub(f, "answers_age", ("fracture_within_months", "acute_injury", "pregnant"))),
        _build_limits(_sub(f, "prescription_limits", LIMIT_FIELDS), exercises),
        _build_groups(f, exercises),
    )


def _check_rises(
    doses: Mapping[str, tuple[DoseStage, ...]], most_rise: float, doc: Document | None
) -> None:
    """No ladder lets one session's load grow more than `most_rise` times from one stage
    to the next (clinical-notes.md, load spikes): a spike written into the content is an
    error in it, not a dose."""
    for exercise_id, stages in doses.items():
        for index, (before, after) in enumerate(itertools.pairwise(stages), start=1):
            if _session_load(after) > most_rise * _session_load(before):
                _fail(
                    doc,
                    f"doses.{exercise_id}[{index}]",
                    f"more than {most_rise:g} times the load of the stage before it",
                )


def _session_load(stage: DoseStage) -> int:
    return stage.sets * (stage.reps or stage.seconds or 0)


MONITORING_FIELDS = (
    "too_much_above",
    "move_on_adherence",
    "mornings_needed_share",
    "bad_mornings_hold",
    "base_pain_at_most",
    "safe_at_most",
    "slow_weeks",
    "most_rise",
)
CEILING_FIELDS = ("default", "cautious", "cautious_when", "min_reps", "set_most")
LIMIT_FIELDS = (
    "not_names", "empty_reasons", "reason_words_at_least", "heel_strikes_a_day", "most",
)  # fmt: skip


def _sub(f: Fields, key: str, known: tuple[str, ...]) -> Fields:
    return Fields(f.raw[key], f.path(key), f.doc, known)


def _build_monitoring(f: Fields) -> PainModel:
    return PainModel(
        too_much_above=f.integer("too_much_above", 0, 10),
        move_on_adherence=f.get("move_on_adherence", _share, "a share from 0 to 1"),
        mornings_needed_share=f.get("mornings_needed_share", _share, "a share from 0 to 1"),
        bad_mornings_hold=f.integer("bad_mornings_hold", 1, 7),
        base_pain_at_most=f.integer("base_pain_at_most", 0, 10),
        safe_at_most=f.integer("safe_at_most", 0, 10),
        slow_weeks=f.integer("slow_weeks", 1, 8),
        most_rise=f.get("most_rise", _rise, "a number from 1 to 4"),
    )


def _rise(value: Any) -> float:
    number = _number(value)
    if not 1 <= number <= 4:
        raise ValueError
    return number


def _share(value: Any) -> float:
    number = _number(value)
    if not 0 <= number <= 1:
        raise ValueError
    return number


def _build_ceiling(f: Fields, facts: frozenset[str]) -> ImpactCeiling:
    default = f.integer("default", 1, 500)
    steps = tuple(
        (step.integer("from_week", 1, 520), step.integer("strikes", 1, default))
        for step in _fields_of(f, "cautious", ("from_week", "strikes"))
    )
    if not steps or steps != tuple(sorted(steps)) or steps[0][0] != 1:
        f.fail(f.path("cautious"), "steps from week 1 on, in order, none above the default")
    when = _condition(f.raw["cautious_when"], f.path("cautious_when"), f, facts)
    min_reps = f.integer("min_reps", 1, 50)
    return ImpactCeiling(default, steps, when, min_reps, f.integer("set_most", min_reps, 100))


def _build_groups(f: Fields, exercises: Mapping[str, Exercise]) -> tuple[tuple[str, ...], ...]:
    return tuple(
        tuple(_known_id(f.doc, at, exercise_id, exercises) for exercise_id in _texts(raw, None))
        for at, raw in f.items("rise_one_at_a_time")
    )


def _build_comeback(f: Fields) -> Comeback:
    return Comeback(f.integer("weeks_per_stage", 1, 12), f.integer("retest_after_weeks", 1, 52))


def _build_ages(f: Fields) -> dict[str, int]:
    return {key: f.integer(key, 1, 24) for key in f.raw}


def _build_limits(f: Fields, exercises: Mapping[str, Exercise]) -> PrescriptionLimits:
    most = {}
    for exercise_id, raw in _mapping(f, "most"):
        part = Fields(raw, f.path(f"most.{exercise_id}"), f.doc, ("sets", "amount", "days"))
        _known_id(f.doc, part.path(""), exercise_id, exercises)
        most[exercise_id] = (
            part.integer("sets", 1, 10), part.integer("amount", 1, 600), part.integer("days", 1, 7)
        )  # fmt: skip
    return PrescriptionLimits(
        tuple(word.casefold() for word in f.texts("not_names")),
        tuple(word.casefold() for word in f.texts("empty_reasons")),
        f.integer("reason_words_at_least", 1, 10),
        f.integer("heel_strikes_a_day", 1, 1000),
        most,
    )


def _build_readiness(f: Fields, exercises: Mapping[str, Exercise]) -> ReadinessSpec:
    r = _sub(f, "readiness", ("tiptoe", "hops", "heel_raise"))
    tiptoe = _sub(r, "tiptoe", ("like", "hold_seconds", "passes_at_most"))
    hops = _sub(r, "hops", ("like", "count", "passes_below"))
    raises = _sub(r, "heel_raise", ("like", "seconds_per_rep", "most"))
    like = {
        test: _known_id(f.doc, part.path("like"), part.text("like"), exercises)
        for test, part in (("tiptoe", tiptoe), ("hops", hops), ("heel-raise", raises))
    }
    return ReadinessSpec(
        tiptoe.integer("hold_seconds", 1, 60),
        tiptoe.integer("passes_at_most", 0, 10),
        hops.integer("count", 1, 100),
        hops.integer("passes_below", 1, 11),
        raises.get("seconds_per_rep", lambda v: _positive(_number(v)), "seconds above 0"),
        raises.integer("most", 1, 1000),
        like,
    )


def _fields_of(f: Fields, key: str, known: tuple[str, ...]) -> list[Fields]:
    return [Fields(raw, at, f.doc, known) for at, raw in f.items(key)]


def _mapping(f: Fields, key: str) -> list[tuple[str, Any]]:
    value = f.get(key, _as_mapping, "a mapping")
    return list(value.items())


def _as_mapping(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError
    return value


def _known_id(
    doc: Document | None, at: str, exercise_id: Any, exercises: Mapping[str, Exercise]
) -> str:
    if not isinstance(exercise_id, str) or exercise_id not in exercises:
        _fail(doc, at, f"unknown exercise id '{exercise_id}'")
    return exercise_id


def _build_goal(
    goal_id: str,
    raw: Any,
    doc: Document | None,
    exercises: Mapping[str, Exercise],
    facts: frozenset[str],
) -> Goal:
    at = f"goals.{goal_id}"
    f = Fields(raw, at, doc, ("warm_up", "warm_up_every_day", "exercises"))
    warm_up = tuple(_known_id(doc, f"{at}.warm_up", e, exercises) for e in f.texts("warm_up"))
    entries = []
    for entry_at, entry_raw in f.items("exercises"):
        ef = Fields(entry_raw, entry_at, doc, ("exercise", "instead"), ("only_if",))
        main = _known_id(doc, f"{entry_at}.exercise", ef.text("exercise"), exercises)
        instead = tuple(
            _known_id(doc, f"{entry_at}.instead", e, exercises) for e in ef.texts("instead")
        )
        only_if = ef.raw.get("only_if")
        condition = None if only_if is None else _condition(only_if, ef.path("only_if"), ef, facts)
        entries.append(GoalEntry(main, instead, condition))
    return Goal(goal_id, warm_up, f.flag("warm_up_every_day"), tuple(entries))


def _build_stages(
    exercise_id: str, raw: Any, doc: Document | None, exercises: Mapping[str, Exercise]
) -> tuple[DoseStage, ...]:
    at = f"doses.{exercise_id}"
    _known_id(doc, at, exercise_id, exercises)
    measure = exercises[exercise_id].measure
    known = ("from_week", "sets", "reps", "seconds", "days", "apart", "support")
    stages = []
    if not isinstance(raw, list) or not raw:
        _fail(doc, at, "expected a non-empty list of dose stages")
    for index, stage_raw in enumerate(raw):
        stage_at = f"{at}[{index}]"
        sf = Fields(stage_raw, stage_at, doc, known)
        stage = DoseStage(
            sf.integer("from_week", 1, 520),
            sf.integer("sets", 1, 10),
            sf.optional_integer("reps", 1, 100),
            sf.optional_integer("seconds", 1, 600),
            sf.integer("days", 1, 7),
            sf.flag("apart"),
            sf.optional_text("support"),
        )
        if (stage.reps is None) == (measure == "reps") or (stage.seconds is None) == (
            measure == "seconds"
        ):
            sf.fail(stage_at, f"a {measure} exercise needs `{measure}` set and the other null")
        stages.append(stage)
    return tuple(sorted(stages, key=lambda s: s.from_week))
