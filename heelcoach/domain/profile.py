"""Screening answers -> a `Profile`. Pure: reading and saving files is `storage.profile_file`.

The answers file is a contract a physiotherapist writes by hand, so it is strict: every
key required, no unknown key, each value checked against `content/questions.yaml`, and
contradicting answers refused rather than guessed at. The same checks guard typed answers
(after `parse_typed`) and a profile read back. A question whose `ask_if` is false for the
answers before it is not asked: its value is None (null in a file).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import NamedTuple, TypeGuard

from heelcoach.content.model import Condition, Library, Question
from heelcoach.domain.conditions import Fact, holds
from heelcoach.domain.text import is_whole_number, key_named
from heelcoach.errors import BadInput

Answer = bool | int | float | str | tuple[str, ...] | None
# An answer as a file holds it: lists, not tuples.
FileAnswer = bool | int | float | str | list[str] | None

# The single answer key earlier versions used for every clearance at once.
RETIRED_KEYS = {
    "cleared_by_professional": (
        "replaced by cleared_for_exercise and cleared_for_impact (a clearance is now per "
        "concern; see the README's answers file)"
    ),
}
# A T-score below this counts as osteoporosis whatever the stated category (001: below -2.5
# is the level at which to consult first). The rules read the stricter of the two.
OSTEOPOROSIS_T_SCORE = -2.5
LOW_DENSITY = ("osteopenia", "osteoporosis")


class Profile(NamedTuple):
    """A person's screening answers and the day their program week 1 began.

    A None in a question that can be skipped means it was not asked (it did not apply).
    """

    age: int
    goals: tuple[str, ...]
    heart_condition: bool
    chest_pain: bool
    dizziness_or_fainting: bool
    chronic_condition: bool
    chronic_medication: bool
    bone_joint_problem: bool
    supervised_only: bool
    pregnant: bool
    cleared_for_exercise: bool | None
    bone_density: str
    t_score: float | None
    fracture_within_months: int | None
    fracture_history: bool
    vertebral_fracture: bool
    frail: bool
    cleared_for_impact: bool | None
    joint_pain: tuple[str, ...]
    acute_injury: bool
    foot_condition: bool
    injury_history: tuple[str, ...]
    achilles_pain: bool
    achilles_pain_site: str | None
    tiptoe_hold_ok: bool | None
    balance_problems: bool
    has_step: bool
    has_support: bool
    days_per_week: int
    created: date  # the day program week 1 starts
    # The day the answers were given (None: the same as `created`, as earlier versions
    # kept no other): answers about recent events age from it.
    screened: date | None = None

    @property
    def answered(self) -> date:
        return self.screened or self.created

    def answers(self) -> dict[str, FileAnswer]:
        """The answers in the file format (lists, not tuples), without the dates."""
        return as_file_format({key: getattr(self, key) for key in ANSWER_KEYS})


ANSWER_KEYS = tuple(name for name in Profile._fields if name not in ("created", "screened"))


# --------------------------------------------------------------------------- answers that age


def out_of_date(profile: Profile, ages: Mapping[str, int], today: date) -> tuple[str, ...]:
    """The answers about recent events whose window has passed (`ages`: answer key ->
    months, programme.yaml `answers_age`): a fracture counted in months since it happened,
    an injury, an operation or a pregnancy reported then. They stay in force, and the
    person is asked to screen again, rather than being kept out for ever."""
    months = _months_between(profile.answered, today)
    found = []
    for key, window in ages.items():
        value = getattr(profile, key)
        if value is None or value is False:
            continue
        since = value if isinstance(value, int) and not isinstance(value, bool) else 0
        if since < window <= since + months:  # the window passed since it was answered
            found.append(key)
    return tuple(found)


def _months_between(earlier: date, later: date) -> int:
    """Whole calendar months from `earlier` to `later` (0 when later is not later)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return max(0, months - (later.day < earlier.day))


# --------------------------------------------------------------------------- facts


def facts(profile: Profile) -> dict[str, Fact]:
    """The answers as the rules read them, with the stricter bone density category."""
    return _facts({key: getattr(profile, key) for key in ANSWER_KEYS})


def _facts(answers: Mapping[str, Answer]) -> dict[str, Fact]:
    """The answers given so far, and the bone category once the density is known."""
    known: dict[str, Fact] = {key: value for key, value in answers.items() if key in ANSWER_KEYS}
    stated, score = answers.get("bone_density"), answers.get("t_score")
    if isinstance(stated, str):
        known["bone_category"] = bone_category(stated, float(score) if _is_number(score) else None)
    return known


def bone_category(stated: str, t_score: float | None) -> str:
    """The stricter of the stated density and the T-score (below -2.5: osteoporosis)."""
    if t_score is not None and t_score < OSTEOPOROSIS_T_SCORE:
        return "osteoporosis"
    return stated


# --------------------------------------------------------------------------- checking


class Unclear(ValueError):
    """An answer that is not valid, with the value the person probably meant, if any.

    `general` is the message without the value, for errors that must not quote it.
    """

    def __init__(self, message: str, suggestion: Answer = None, general: str = "") -> None:
        super().__init__(message)
        self.suggestion = suggestion
        self.general = general or message


def applies(question: Question, earlier: Mapping[str, Answer]) -> bool:
    """Whether `question` is asked, given the answers before it."""
    if question.ask_if is None:
        return True
    return holds(question.ask_if, _facts(earlier))


DERIVED_FROM = {"bone_category": ("bone_density",)}  # a fact worked out from answers


def might_apply(
    question: Question, earlier: Mapping[str, Answer], never: Collection[str] = ()
) -> bool:
    """Whether `question` is asked, or could still be once the answers it depends on are
    given (so a count of the questions ahead only ever goes down); `never` are questions
    that will not be asked, so their answers are settled."""
    if applies(question, earlier):
        return True
    keys = _condition_keys(question.ask_if) if question.ask_if is not None else set()
    needed = {needs for key in keys for needs in DERIVED_FROM.get(key, (key,))}
    return any(key not in earlier and key not in never for key in needed)


def _condition_keys(condition: Condition) -> set[str]:
    keys = {condition.key} if condition.key else set()
    return keys.union(*(_condition_keys(part) for part in condition.parts))


def _is_number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_answer(question: Question, value: object, earlier: Mapping[str, Answer]) -> Answer:
    """The value in its canonical type, or `Unclear` saying what was expected. Against
    the `earlier` answers, a skipped question may be null and a contradiction (a positive
    T-score with osteoporosis) is refused with the likely meaning."""
    if value is None and not applies(question, earlier):
        return None
    if value is None and question.type in ("bool", "choice") and question.ask_if is not None:
        raise Unclear(f"needed because {_why_asked(question, earlier)}")
    canonical = _check_type(question, value)
    _check_consistent(question, canonical, earlier)
    return canonical


def _why_asked(question: Question, earlier: Mapping[str, Answer]) -> str:
    """Why a skippable question applies here, e.g. 'achilles_pain is true'."""
    from heelcoach.domain.conditions import reasons

    known = {key: value for key, value in earlier.items() if key in ANSWER_KEYS}
    keys = reasons(question.ask_if, known) if question.ask_if else []
    return " and ".join(f"{key} is true" for key in keys) or "an earlier answer asks for it"


def _check_type(question: Question, value: object) -> Answer:
    kind = question.type
    if kind == "bool":
        if not isinstance(value, bool):
            raise Unclear("expected true or false")
        return value
    if kind in ("int", "int_or_null", "number_or_null"):
        return _check_number(question, value)
    if kind == "choice":
        if not isinstance(value, str) or value not in (question.choices or ()):
            raise Unclear(f"expected one of: {', '.join(question.choices or ())}")
        return value
    return _check_multi(question, value)


def _check_number(question: Question, value: object) -> int | float | None:
    nullable = question.type != "int"
    if value is None and nullable:
        return None
    integral = question.type != "number_or_null"
    low, high = question.min or 0, question.max or 0
    expected = f"{'a whole number' if integral else 'a number'} from {low:g} to {high:g}"
    expected += " or null" if nullable else ""
    if not _is_number(value) or (integral and not isinstance(value, int)):
        raise Unclear(f"expected {expected}")
    if not math.isfinite(value) or not low <= value <= high:
        raise Unclear(f"expected {expected}")
    return value if integral else float(value)


def _check_multi(question: Question, value: object) -> tuple[str, ...]:
    choices = question.choices or ()
    if not isinstance(value, list | tuple) or any(item not in choices for item in value):
        raise Unclear(f"expected a list of: {', '.join(choices)}")
    if question.key == "goals" and not value:
        raise Unclear("choose at least one goal")
    return tuple(dict.fromkeys(str(item) for item in value))  # keep the order, drop repeats


def _check_consistent(question: Question, value: Answer, earlier: Mapping[str, Answer]) -> None:
    density = earlier.get("bone_density")
    if question.key == "t_score" and _is_number(value) and value > 0 and density in LOW_DENSITY:
        raise Unclear(
            f"{value:g} is above zero, but a T-score with {density} is below zero",
            suggestion=-float(value),
            general=f"expected a number below zero (a T-score with {density})",
        )
    pain = earlier.get("achilles_pain")
    if question.key == "achilles_pain_site" and value is not None and pain is False:
        raise Unclear("give null when there is no Achilles pain (achilles_pain is false)")


# --------------------------------------------------------------------------- a whole file


def parse_answers(
    raw: object, library: Library, source: str, created: date, *, quote: bool = True
) -> Profile:
    """A Profile from an answers mapping, or BadInput naming `source` and the key.

    `quote`: the error repeats the value given (a person's own answers file); False for
    a file that may hold anything (an import), whose values an error never repeats.
    """
    if raw is None:
        raise BadInput(f"{source}: the file is empty (expected one `key: value` line per answer)")
    if not isinstance(raw, dict):
        raise BadInput(f"{source}: expected one `key: value` line per answer, not a {_kind(raw)}")
    _check_keys(raw, source, quote)
    values: dict[str, Answer] = {}
    problems: list[str] = []  # every mistake at once, so a file is mended in one go
    for question in library.questions:
        given = raw[question.key]
        try:
            values[question.key] = check_answer(question, given, values)
        except Unclear as error:
            problems.append(f"{question.key}: {_problem(error, given, quote)}")
    if problems:
        raise BadInput(f"{source}: {_listed(problems)}")
    return Profile(**values, created=created)  # type: ignore[arg-type]  # checked above


def _problem(error: Unclear, given: object, quote: bool) -> str:
    if not quote:
        return error.general
    if _is_number(error.suggestion):  # the message already quotes the number
        return f"{error}; did you mean {error.suggestion:g}?"
    return f"{error}, got {_as_given(given)}"


def _listed(problems: Sequence[str]) -> str:
    """One problem as it is; several numbered on the one line an error gets."""
    if len(problems) == 1:
        return problems[0]
    return f"{len(problems)} problems: " + " ".join(
        f"({n}) {problem};" for n, problem in enumerate(problems, 1)
    ).rstrip(";")


def _kind(value: object) -> str:
    """What a YAML document holds, in the words of the file: a list, a number, some text."""
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "single line of text"
    return "single value"


def _as_given(value: object) -> str:
    """A value as the file spells it (null, true, 3.2), cut short."""
    import json

    try:
        text = json.dumps(value, ensure_ascii=True)
    except (TypeError, ValueError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:37] + "..."


def _check_keys(raw: Mapping[object, object], source: str, quote: bool) -> None:
    retired = [key for key in RETIRED_KEYS if key in raw]
    if retired:
        raise BadInput(f"{source}: {retired[0]}: {RETIRED_KEYS[retired[0]]}")
    unknown = sorted(str(key) for key in raw if key not in ANSWER_KEYS)
    if unknown and not quote:
        raise BadInput(f"{source}: unknown answer key{key_named(unknown[0])}")
    problems = [f"{key}: unknown answer key" for key in unknown]
    missing = [key for key in ANSWER_KEYS if key not in raw]
    problems += [f"{key}: missing answer (every key is required)" for key in missing]
    if problems:
        raise BadInput(f"{source}: {_listed(problems)}")


# --------------------------------------------------------------------------- typed answers

BLANK = ("", "none", "no", "nothing", "-", "n/a", "na")
UNKNOWN = ("", "unknown", "dont know", "don't know", "not sure", "?", "-", "none", "n/a")
NOT_AT_ALL = ("no", "none", "never", "nothing", "not", "n")  # a count that does not apply
THIS_MONTH = ("this month", "now", "just now")
YES = ("y", "yes", "yeah", "yep", "true", "j", "ja", "oui", "si")
NO = ("n", "no", "nope", "false", "nein", "non")


def parse_typed(question: Question, text: str) -> FileAnswer:
    """Turn what a person typed into a value for `check_answer` (`Unclear` if unclear).

    Generous on purpose: numbered choices, names or their labels, near misses offered as
    "did you mean", lists in plain words ("knee, low back and hip"), and decimals where a
    whole number is asked (rounded down: 70.5 years is 70).
    """
    typed = " ".join(text.strip().lower().split())
    if question.type == "bool":
        if typed in YES + NO:
            return typed in YES
        raise Unclear("answer yes or no (y or n)")
    if question.type == "choice":
        found = _choice_named(question, typed)
        if found is None:
            raise Unclear(
                f"type a number or a name: {_listing(question)}", _closest(question, typed)
            )
        return found
    if question.type == "multi":
        return _typed_multi(question, typed)
    return _typed_number(question, typed)


def _listing(question: Question) -> str:
    return ", ".join(f"{n} {question.label(c)}" for n, c in enumerate(question.choices or (), 1))


def _choice_named(question: Question, typed: str) -> str | None:
    """The choice `typed` names: its number, its value, its label, or the first word of
    one name that no other choice shares ("never" for "never scanned")."""
    choices = question.choices or ()
    if is_whole_number(typed) and 1 <= int(typed) <= len(choices):
        return choices[int(typed) - 1]
    for choice in choices:
        if typed in _names_of(question, choice):
            return choice
    starting = {
        c
        for c in choices
        for name in _names_of(question, c)
        if len(typed) >= 3 and name.split()[:1] == [typed]
    }
    return starting.pop() if len(starting) == 1 else None


def _names_of(question: Question, choice: str) -> tuple[str, ...]:
    """Every way to name a choice: 'osteopenia', its label, and the label's parts (split
    at ' / ' and at a bracket: 'unknown / never scanned' names 'never scanned')."""
    label = question.label(choice).lower()
    parts = [label, *label.split(" / ")]
    pieces = [piece for part in parts for piece in part.partition(" (")[::2]]
    return (choice, choice.replace("_", " "), *(p.rstrip(")") for p in pieces if p))


def _closest(question: Question, typed: str) -> str | None:
    choices = question.choices or ()
    names = {name: c for c in choices for name in _names_of(question, c) if name}
    match = difflib.get_close_matches(typed, list(names), n=1, cutoff=0.6)
    return names[match[0]] if match else None


def _typed_multi(question: Question, typed: str) -> list[str]:
    if typed in BLANK:
        if question.key == "goals":
            raise Unclear("choose at least one goal (by number or name)")
        return []
    picked: list[str] = []
    for part in _list_parts(typed):
        found = _choice_named(question, part)
        if found is None:
            guess = _closest(question, part)
            hint = "" if guess is None else f" (did you mean {question.label(guess)}?)"
            raise Unclear(f"'{part}' is not one of: {_listing(question)}{hint}")
        picked.append(found)
    return list(dict.fromkeys(picked))


def _list_parts(typed: str) -> list[str]:
    for separator in (" and ", "&", "/", ";", "+"):
        typed = typed.replace(separator, ",")
    parts = [part.strip() for part in typed.split(",") if part.strip()]
    # "1 3" or "knee hip": spaces separate items only when every word is an item alone.
    if len(parts) == 1 and " " in parts[0] and all(is_whole_number(w) for w in parts[0].split()):
        return parts[0].split()
    return parts


def _typed_number(question: Question, typed: str) -> int | float | None:
    typed = typed.replace("\u2212", "-").replace(",", ".").strip()
    if question.type != "int" and typed in UNKNOWN:
        return None
    if question.type == "int_or_null":
        return _typed_count_or_none(typed)
    if typed.startswith("minus"):
        typed = "-" + typed.removeprefix("minus").strip()
    if not _looks_numeric(typed):
        raise Unclear("type a number" + ("" if question.type == "int" else ", or leave blank"))
    number = float(typed)
    if question.type == "number_or_null":
        return number
    return math.floor(number)  # 70.5 years old is 70; 3.5 months ago is 3


def _typed_count_or_none(typed: str) -> int | None:
    """A count that may not apply ("how many months ago did you break a bone"): no, none
    or never mean it does not; a bare 0 could mean either, so only "this month" (or
    "now") is read as 0."""
    if typed in NOT_AT_ALL:
        return None
    if typed in THIS_MONTH:
        return 0
    if typed in ("0", "-0", "+0"):
        raise Unclear("0 could mean none: type no if it does not apply, or this month")
    if not _looks_numeric(typed):
        raise Unclear("type a number, or no")
    return math.floor(float(typed))


def _looks_numeric(typed: str) -> bool:
    body = typed.removeprefix("-").removeprefix("+")
    whole, _, fraction = body.partition(".")
    digits = whole + fraction
    return bool(digits) and digits.isascii() and digits.isdigit() and len(digits) <= 6


def as_file_format(answers: Mapping[str, Answer]) -> dict[str, FileAnswer]:
    return {key: list(v) if isinstance(v, tuple) else v for key, v in answers.items()}


def asked(profile: Profile, library: Library) -> list[Question]:
    """The questions this profile answered (those that applied), in order."""
    answers = {key: getattr(profile, key) for key in ANSWER_KEYS}
    return [q for q in library.questions if applies(q, answers)]
