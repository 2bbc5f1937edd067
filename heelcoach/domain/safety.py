"""The one place that decides what a person may do, and why: one call, one table.

Everything about a rule is data (content/rules.yaml), and each exercise lists the rules
that leave it out (`not_for`) or make it held (`support_if`). The planner, the readiness
tests and the prescription check all read `judge`'s table; nothing else decides safety.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Literal, NamedTuple, TypeAlias

from heelcoach.content.model import Exercise, Library
from heelcoach.domain.conditions import Fact, holds
from heelcoach.domain.profile import Profile, facts
from heelcoach.domain.readiness import Readiness, readiness_facts

Status: TypeAlias = Literal["allowed", "supported", "excluded"]
NO_SUPPORT = "no-support"  # applies only to exercises that must be held


class Verdict(NamedTuple):
    """Whether one exercise may be done; `rules` leave it out (excluded) or make it held
    throughout (supported), and are empty when it is simply allowed."""

    exercise: str
    status: Status
    rules: tuple[str, ...]

    @property
    def allowed(self) -> bool:
        return self.status != "excluded"

    @property
    def support_required(self) -> bool:
        return self.status == "supported"


class Judgement(NamedTuple):
    """What the rules say about one person: the rules that apply and a verdict per exercise."""

    fired: frozenset[str]
    referral: tuple[str, ...]  # referral rules that apply: no home plan while any does
    warnings: tuple[str, ...]  # rules whose advice is said before the first session
    verdicts: Mapping[str, Verdict]
    gate_rules: frozenset[str]  # the readiness gates among the rules that apply

    def verdict(self, exercise_id: str) -> Verdict:
        return self.verdicts[exercise_id]


def person_facts(profile: Profile, library: Library, readiness: Readiness) -> dict[str, Fact]:
    """The screening answers and the readiness results, as the rules read them."""
    spec = library.programme.readiness
    return {**facts(profile), **readiness_facts(readiness, profile.tiptoe_hold_ok, spec)}


def judge(
    profile: Profile,
    library: Library,
    readiness: Readiness | None = None,
    *,
    lifted: Iterable[str] = (),
) -> Judgement:
    """Every rule evaluated once, and a verdict for every exercise; `lifted` rules are left
    out (a prescription's override, or a test's own gate when offering the test)."""
    known = person_facts(profile, library, readiness or Readiness())
    fired = frozenset(
        rule.id
        for rule in library.rules.values()
        if rule.when is not None and holds(rule.when, known)
    )
    active = fired - frozenset(lifted)
    referral = tuple(
        r for r in library.rules if r in active and library.rules[r].kind == "referral"
    )
    verdicts = {e.id: _verdict(e, active, referral) for e in library.exercises.values()}
    gates = frozenset(r for r in active if library.rules[r].kind == "gate")
    warnings = tuple(
        r.id for r in library.rules.values() if r.id in active and (r.kind == "warning" or r.warn)
    )
    return Judgement(fired, referral, warnings, verdicts, gates)


def _verdict(exercise: Exercise, active: frozenset[str], referral: tuple[str, ...]) -> Verdict:
    if referral:
        return Verdict(exercise.id, "excluded", referral)
    excluding = tuple(r for r in exercise.not_for if r in active)
    if excluding:
        return Verdict(exercise.id, "excluded", excluding)
    supporting = tuple(r for r in exercise.support_if if r in active)
    if supporting and NO_SUPPORT in active:
        return Verdict(exercise.id, "excluded", (NO_SUPPORT,))
    return Verdict(exercise.id, "supported" if supporting else "allowed", supporting)
