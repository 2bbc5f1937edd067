"""Screening answers -> a `Profile`. Pure: reading and saving files is `storage.profile_file`.

The answer format is the contract a physiotherapist writes by hand (`screen --answers`),
so it is strict: every key required, unknown keys rejected, every type checked against
the question definitions in `content/questions.yaml`. The same checks guard answers typed
interactively and a profile read back from disk.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

from heelcoach.content.model import Library, Question
from heelcoach.errors import BadInput


@dataclass(frozen=True)
class Profile:
    """A person's screening answers and the day their program week 1 began."""

    age: int
    goals: tuple[str, ...]
    heart_condition: bool
    chest_pain: bool
    dizziness_or_fainting: bool
    supervised_only: bool
    cleared_by_professional: bool
    pregnant: bool
    bone_density: str
    t_score: float | None
    fracture_within_months: int | None
    vertebral_fracture: bool
    joint_pain: tuple[str, ...]
    acute_injury: bool
    foot_condition: bool
    achilles_pain: bool
    tiptoe_hold_ok: bool
    injury_history: tuple[str, ...]
    balance_problems: bool
    has_step: bool
    has_support: bool
    days_per_week: int
    created: date  # the day program week 1 starts

    def answers(self) -> dict[str, Any]:
        """The answers in the file format (lists, not tuples), without the date."""
        data = asdict(self)
        data.pop("created")
        return {
            key: list(value) if isinstance(value, tuple) else value for key, value in data.items()
        }


ANSWER_KEYS = tuple(f.name for f in fields(Profile) if f.name != "created")


# --------------------------------------------------------------------------- validation


def check_value(question: Question, value: Any) -> Any:
    """The value in its canonical type, or ValueError with what was expected."""
    kind = question.type
    if kind == "bool":
        if not isinstance(value, bool):
            raise ValueError("expected true or false")
        return value
    if kind in ("int", "int_or_null", "number_or_null"):
        return _check_number(question, value)
    if kind == "choice":
        if value not in (question.choices or ()):
            raise ValueError(f"expected one of: {', '.join(question.choices or ())}")
        return value
    return _check_multi(question, value)


def _check_number(question: Question, value: Any) -> int | float | None:
    nullable = question.type != "int"
    if value is None and nullable:
        return None
    integral = question.type != "number_or_null"
    valid_type = isinstance(value, int) if integral else isinstance(value, (int, float))
    low, high = question.min, question.max
    expected = f"{'an integer' if integral else 'a number'} from {low:g} to {high:g}" + (
        " or null" if nullable else ""
    )
    if isinstance(value, bool) or not valid_type or not (low or 0) <= value <= (high or 0):
        raise ValueError(f"expected {expected}")
    return value if integral else float(value)


def _check_multi(question: Question, value: Any) -> tuple[str, ...]:
    choices = question.choices or ()
    if not isinstance(value, list) or any(item not in choices for item in value):
        raise ValueError(f"expected a list of: {', '.join(choices)}")
    if question.key == "goals" and not value:
        raise ValueError("choose at least one goal")
    return tuple(dict.fromkeys(value))  # keep the order given, drop repeats


def parse_answers(raw: Any, library: Library, source: str, created: date) -> Profile:
    """A Profile from an answers mapping, or BadInput naming `source` and the key."""
    if not isinstance(raw, dict):
        raise BadInput(f"{source}: expected a mapping of answers, got {type(raw).__name__}")
    unknown = sorted(str(key) for key in raw if key not in ANSWER_KEYS)
    if unknown:
        raise BadInput(f"{source}: {unknown[0]}: unknown answer key")
    missing = [key for key in ANSWER_KEYS if key not in raw]
    if missing:
        raise BadInput(f"{source}: {missing[0]}: missing answer")
    values = {}
    for question in library.questions:
        try:
            values[question.key] = check_value(question, raw[question.key])
        except ValueError as error:
            given = raw[question.key]
            raise BadInput(f"{source}: {question.key}: {error}, got {given!r}") from None
    return Profile(**values, created=created)


# --------------------------------------------------------------------------- asking

# Questions that only make sense after certain answers; skipped ones take these values.
SKIPPED_VALUE = {"t_score": None, "tiptoe_hold_ok": True}


def should_ask(key: str, answers: dict[str, Any]) -> bool:
    if key == "t_score":
        return answers.get("bone_density") in ("osteopenia", "osteoporosis")
    if key == "tiptoe_hold_ok":
        return bool(answers.get("achilles_pain"))
    return True


def parse_typed(question: Question, text: str) -> Any:
    """Turn what a person typed into a value for `check_value` (ValueError if unclear)."""
    text = text.strip().lower()
    if question.type == "bool":
        if text in ("y", "yes", "true"):
            return True
        if text in ("n", "no", "false"):
            return False
        raise ValueError("answer yes or no")
    if question.type == "multi":
        return [part.strip() for part in text.replace(" ", ",").split(",") if part.strip()]
    if question.type == "choice":
        return text
    if text in ("", "none", "no", "unknown", "-") and question.type != "int":
        return None
    try:
        return int(text) if question.type != "number_or_null" else float(text)
    except ValueError:
        raise ValueError("type a number") from None


def ask_all(library: Library, ask: Any, created: date) -> Profile:
    """Ask every question through `ask(question) -> value` and build the Profile."""
    answers: dict[str, Any] = {}
    for question in library.questions:
        if should_ask(question.key, answers):
            answers[question.key] = ask(question)
        else:
            answers[question.key] = SKIPPED_VALUE[question.key]
    return parse_answers(_as_file_format(answers), library, "answers", created)


def _as_file_format(answers: dict[str, Any]) -> dict[str, Any]:
    return {
        key: list(value) if isinstance(value, tuple) else value for key, value in answers.items()
    }
