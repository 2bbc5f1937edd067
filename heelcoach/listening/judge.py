"""How each landing compares with a set's typical one: soft, firm or hard, and the pace.

Pure rules over the detector's landings. The reference is a calibration (three firm heel
drops where the person trains) when there is one, else the set's own typical landing: for
heel drops, whose soft landings are flagged, the loudest group of them (a set of mostly
soft drops still has its firm ones to be measured against); otherwise the median landing,
which a few soft or hard landings cannot move.

Which landings matter depends on the exercise. A heel drop should be heard (001: its
first common mistake is lowering so gently there is no thump), so a soft one is flagged;
a heel jump lands with knees and ankles soft, never stiff-legged (000), and heel kicks
should not land heavily (002), so for them a hard landing is flagged.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from heelcoach.listening.landing import Landing

# A landing more than this far below the reference is soft, more than this far above it
# hard: 6 dB is half the amplitude (a quarter of the energy), a difference anyone hears,
# and well outside the spread of one person's firm landings. Our own choice: the sources
# say to hear the heels hit the floor (001) and not to land heavily (002) but give no
# number.
SOFT_BELOW_DB = 6.0
HARD_ABOVE_DB = 6.0


class Flag(StrEnum):
    """What a landing can be told off for in an exercise."""

    SOFT = "soft"  # heel drops: land firmer
    HARD = "hard"  # jumps and kicks: land softer


# Exercises whose landings the counter hears, and what it flags in each (sources above).
LISTENED: dict[str, frozenset[Flag]] = {
    "heel-drop": frozenset({Flag.SOFT}),  # 001
    "single-leg-heel-drop": frozenset({Flag.SOFT}),  # 001
    "heel-jump": frozenset({Flag.HARD}),  # 000
    "heel-kick-standing": frozenset({Flag.HARD}),  # 002
    "heel-kick-marching": frozenset({Flag.HARD}),  # 002
    "heel-kick-running": frozenset({Flag.HARD}),  # 002
    "high-knee-heel-kick": frozenset({Flag.HARD}),  # 002
}
ANY_EXERCISE = frozenset({Flag.SOFT, Flag.HARD})


@dataclass(frozen=True)
class JudgedLanding:
    t: float  # seconds from the start of the sound to the heel contact
    level_db: float  # against the reference: 0 is a typical (or calibrated) landing
    soft: bool
    hard: bool


def flags_for(exercise: str | None) -> frozenset[Flag]:
    """The flags that apply: both when no exercise is named."""
    return ANY_EXERCISE if exercise is None else LISTENED.get(exercise, frozenset())


def reference_of(levels: Sequence[float], flags: frozenset[Flag] = ANY_EXERCISE) -> float | None:
    """The typical firm landing of a set (or a calibration). Where only soft landings are
    flagged, the median level of those within `SOFT_BELOW_DB` of the second loudest (the
    loudest alone may be a stamp); otherwise the median level of those not already clearly
    below the median of all, so a few soft ones do not drag it down and hard ones, above
    it, are still told from it."""
    if not levels:
        return None
    if flags == {Flag.SOFT}:
        second_loudest = sorted(levels)[-2] if len(levels) > 1 else levels[0]
        firm = [level for level in levels if level >= second_loudest - SOFT_BELOW_DB]
        return statistics.median(firm)
    middle = statistics.median(levels)
    return statistics.median([level for level in levels if level >= middle - SOFT_BELOW_DB])


def judge(
    landings: Sequence[Landing], flags: frozenset[Flag], reference_dbfs: float | None = None
) -> list[JudgedLanding]:
    """Each landing against the reference (the set's own typical landing without a
    calibration)."""
    reference = reference_dbfs
    if reference is None:
        reference = reference_of([landing.level_dbfs for landing in landings], flags)
    return [judge_one(landing, flags, reference or 0.0) for landing in landings]


def judge_one(landing: Landing, flags: frozenset[Flag], reference_dbfs: float) -> JudgedLanding:
    level = landing.level_dbfs - reference_dbfs
    return JudgedLanding(
        t=landing.t,
        level_db=level,
        soft=Flag.SOFT in flags and level < -SOFT_BELOW_DB,
        hard=Flag.HARD in flags and level > HARD_ABOVE_DB,
    )


def pace(landings: Sequence[JudgedLanding]) -> float | None:
    """The median time between landings, in seconds; None with fewer than two."""
    gaps = [b.t - a.t for a, b in itertools.pairwise(landings)]
    return statistics.median(gaps) if gaps else None
