"""The one place that decides what a person may do, and why.

The rule texts live in `content/rules.yaml` and each exercise lists the rules that rule it
out (`not_for`) or make a support mandatory (`support_if`). This module holds the only
thing that cannot be data: when each rule applies to a profile. A rule that is not decided
by the profile alone (`jumps-need-base`, which depends on the plan) is applied by the
planner, and `PLANNER_RULES` names it so the content check knows it is accounted for.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from heelcoach.content.model import Exercise, Library
from heelcoach.domain.profile import Profile

SEVERE_T_SCORE = -3.0  # 001: below this, no heel drops without professional supervision
CONSULT_T_SCORE = -2.5  # 001: below this, see a professional before starting
HEALING_MONTHS = 6  # 001: no impact within 3-6 months of a fracture; the cautious end
KICK_INJURIES = frozenset({"knee", "hamstring", "low_back"})  # 002


def _red_flags(p: Profile) -> bool:
    flagged = (
        p.chest_pain
        or p.dizziness_or_fainting
        or p.heart_condition
        or p.supervised_only
        or p.pregnant
    )
    return flagged and not p.cleared_by_professional


def _consult_first(p: Profile) -> bool:
    low_t = p.t_score is not None and p.t_score < CONSULT_T_SCORE
    untested_osteoporosis = p.bone_density == "osteoporosis" and p.t_score is None
    fracture_history = p.fracture_within_months is not None or p.vertebral_fracture
    return low_t or untested_osteoporosis or fracture_history or p.balance_problems


PREDICATES: dict[str, Callable[[Profile], bool]] = {
    "red-flags": _red_flags,
    "recent-fracture": lambda p: (
        p.fracture_within_months is not None and p.fracture_within_months < HEALING_MONTHS
    ),
    "acute-injury": lambda p: p.acute_injury,
    "vertebral-fracture": lambda p: p.vertebral_fracture,
    "severe-osteoporosis": lambda p: (
        p.t_score is not None and p.t_score < SEVERE_T_SCORE and not p.cleared_by_professional
    ),
    "consult-first": _consult_first,
    "balance-problems": lambda p: p.balance_problems,
    "no-support": lambda p: p.balance_problems and not p.has_support,
    "joint-pain": lambda p: bool(p.joint_pain),
    "pregnancy": lambda p: p.pregnant,
    "foot-condition": lambda p: p.foot_condition,
    "achilles-not-ready": lambda p: p.achilles_pain and not p.tiptoe_hold_ok,
    "kick-injury-history": lambda p: bool(KICK_INJURIES & set(p.injury_history)),
    "no-step": lambda p: not p.has_step,
    "single-leg-clearance": lambda p: not p.cleared_by_professional,
}
PLANNER_RULES = frozenset({"jumps-need-base"})
# Rules whose advice is worth saying even when nothing in the plan is left out by them.
WARNING_RULES = ("consult-first", "severe-osteoporosis", "achilles-not-ready", "pregnancy")
RED_FLAG_ANSWERS = {
    "chest_pain": "chest pain",
    "dizziness_or_fainting": "dizziness or fainting",
    "heart_condition": "a heart condition",
    "supervised_only": "advice to exercise only under supervision",
    "pregnant": "pregnancy",
}


@dataclass(frozen=True)
class Screening:
    """What the rules say about one profile, before any plan is made."""

    fired: frozenset[str]
    referral: str | None
    warnings: tuple[str, ...]


@dataclass(frozen=True)
class Verdict:
    """Whether one exercise is allowed, and the rules behind the answer."""

    allowed: bool
    rules: tuple[str, ...]  # why it is excluded (allowed=False) or must be supported
    support_required: bool


def screen(profile: Profile, library: Library) -> Screening:
    fired = frozenset(rule for rule, applies in PREDICATES.items() if applies(profile))
    referral = _referral(profile, library) if "red-flags" in fired else None
    warnings = tuple(
        f"{library.rules[r].reason} {library.rules[r].advice}" for r in WARNING_RULES if r in fired
    )
    return Screening(fired, referral, warnings)


def _referral(profile: Profile, library: Library) -> str:
    rule = library.rules["red-flags"]
    reasons = [text for key, text in RED_FLAG_ANSWERS.items() if getattr(profile, key)]
    return f"You reported {', '.join(reasons)}. {rule.reason} {rule.advice}"


def assess(exercise: Exercise, screening: Screening) -> Verdict:
    """Whether the exercise is allowed for this screening, and if so whether supported."""
    if "red-flags" in screening.fired:
        return Verdict(False, ("red-flags",), False)
    excluding = tuple(r for r in exercise.not_for if r in screening.fired)
    if excluding:
        return Verdict(False, excluding, False)
    supporting = tuple(r for r in exercise.support_if if r in screening.fired)
    if supporting and "no-support" in screening.fired:
        return Verdict(False, ("no-support",), False)
    return Verdict(True, supporting, bool(supporting))
