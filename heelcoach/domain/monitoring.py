"""The pain-monitoring model heelcoach coaches by (clinical-notes.md, Silbernagel 2007).

Pain on 0-10: 0-2 safe, 3-5 acceptable, above 5 too much; the next morning decides: pain
or stiffness worse than before means less load. The numbers are content
(programme.yaml `monitoring`, a `PainModel`); the comparisons live here, in a module the
fast commands can import without loading anything else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, TypeAlias

if TYPE_CHECKING:
    from heelcoach.domain.records import CheckIn

# The fast `checkin` command words its verdict without loading the library; it uses this
# default, which a test keeps equal to programme.yaml's `monitoring.too_much_above`.
TOO_MUCH_PAIN_ABOVE = 5
# 0-2 is safe: a morning that rises within it (0 to 1) is not worse for the dose (a test
# keeps it equal to programme.yaml's `monitoring.safe_at_most`).
SAFE_AT_MOST = 2


def share_done(done: int, planned: int) -> float:
    """The share of the planned sets done, at most 1 (a week with nothing planned is 1):
    the adherence that moving on (programme.yaml) and "on plan" are judged by."""
    return 1.0 if planned == 0 else min(1.0, done / planned)


def too_much_morning(morning: CheckIn, too_much_above: int = TOO_MUCH_PAIN_ABOVE) -> bool:
    return morning.pain > too_much_above or morning.stiffness > too_much_above


def worse_morning(before: CheckIn, after: CheckIn, safe_at_most: int = SAFE_AT_MOST) -> bool:
    """The next morning decides: more pain or more stiffness than before means less load,
    unless it stays within the safe 0-2 (a 0 to 1 wobble is no reason to step back)."""
    return (after.pain > before.pain and after.pain > safe_at_most) or (
        after.stiffness > before.stiffness and after.stiffness > safe_at_most
    )


MorningVerdict: TypeAlias = Literal["too much", "worse", "same or better"]


def morning_verdict(
    previous: CheckIn | None,
    current: CheckIn,
    too_much_above: int = TOO_MUCH_PAIN_ABOVE,
    safe_at_most: int = SAFE_AT_MOST,
) -> MorningVerdict | None:
    """Above 5 is too much whatever came before; else worse or not than last time; None
    for a first check-in that is not too much."""
    if too_much_morning(current, too_much_above):
        return "too much"
    if previous is None:
        return None
    return "worse" if worse_morning(previous, current, safe_at_most) else "same or better"
