"""Evaluate a content `Condition` against a person's facts: their answers and test results.

The rules and the questions (content/rules.yaml, questions.yaml) say when they apply as
small conditions; this is the whole of their meaning. An unknown fact (null) never
satisfies a comparison, so a missing T-score cannot trigger "below -3.0" nor hide behind
it (rules that care about a missing value say `known: false`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from heelcoach.content.model import Condition

Fact = bool | int | float | str | tuple[str, ...] | None
Facts = Mapping[str, Fact]


def holds(condition: Condition, facts: Facts) -> bool:
    """Whether `condition` is true of `facts`."""
    if condition.op in _COMBINATORS:
        return _COMBINATORS[condition.op]([holds(part, facts) for part in condition.parts])
    value = facts.get(condition.key or "")
    if condition.op == "is":
        return value is True
    if condition.op == "known":
        return (value is not None) == bool(condition.value)
    if condition.op in ("in", "any_of"):
        return _matches(condition.op, value, condition.value)
    return _compares(condition.op, value, condition.value)


_COMBINATORS: dict[str, Callable[[list[bool]], bool]] = {
    "all": all,
    "any": any,
    "not": lambda results: not results[0],
}


def _matches(op: str, value: Fact, allowed: object) -> bool:
    if not isinstance(allowed, tuple):
        return False
    if op == "any_of":
        return isinstance(value, tuple) and any(item in allowed for item in value)
    return isinstance(value, str) and value in allowed


def _compares(op: str, value: Fact, limit: object) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(limit, bool) or not isinstance(limit, int | float):
        return False
    return {
        "below": value < limit,
        "above": value > limit,
        "at_least": value >= limit,
        "at_most": value <= limit,
    }[op]


def reasons(condition: Condition, facts: Facts) -> list[str]:
    """The answers that make `condition` hold: the `is` tests that are true, outside `not`.

    For a referral it names what the person reported ("chest pain, pregnancy").
    """
    if condition.op == "not":
        return []
    if condition.op in ("all", "any"):
        return [key for part in condition.parts for key in reasons(part, facts)]
    if condition.op == "is" and condition.key and facts.get(condition.key) is True:
        return [condition.key]
    return []
