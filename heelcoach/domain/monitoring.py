"""The pain-monitoring model heelcoach coaches by (clinical-notes.md, Silbernagel 2007).

Its numbers and its one comparison live here, in a module with no imports, so the live
session, progression, statistics, handouts and the history commands share them without
loading one another (the fast commands must stay light).
"""

from __future__ import annotations

from typing import Literal, Protocol, TypeAlias

# Pain during exercise on 0-10: 0-2 safe, 3-5 acceptable, above 5 too much.
TOO_MUCH_PAIN_ABOVE = 5
# The share of planned sets done before a week counts as on plan and the dose moves on.
MOVE_ON_ADHERENCE = 0.8


class Morning(Protocol):
    """Anything holding a next-morning check: pain and stiffness, each 0-10."""

    @property
    def pain(self) -> int: ...

    @property
    def stiffness(self) -> int: ...


def worse_morning(before: Morning, after: Morning) -> bool:
    """The next morning decides: more pain or more stiffness than before means less load."""
    return after.pain > before.pain or after.stiffness > before.stiffness


MorningVerdict: TypeAlias = Literal["worse", "same or better"]


def morning_verdict(previous: Morning | None, current: Morning) -> MorningVerdict | None:
    """Worse pain OR stiffness than last time means reduce the load; None the first time."""
    if previous is None:
        return None
    return "worse" if worse_morning(previous, current) else "same or better"
