"""The daily impact ceiling, applied to one day's items: doses above it are cut, sets
before reps, shared between the exercises rather than dropping any of them."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from heelcoach.content.model import DoseStage, ImpactCeiling, Library
from heelcoach.domain.prescription import CEILING_RULE, lifts

if TYPE_CHECKING:
    from heelcoach.domain.planner import PlanItem

JUMP = "heel-jump"


def ceiling_day(
    items: list[PlanItem],
    ceiling: int,
    limits: ImpactCeiling,
    conflict: Callable[[str, str, bool], None],
    library: Library,
) -> tuple[PlanItem, ...]:
    """The day within the ceiling; a prescribed day over it is a conflict for each of its
    striking items, and stays whole only when every one of them has an override."""
    striking = [item for item in items if item.heel_strikes]
    if sum(item.heel_strikes for item in striking) <= ceiling or not any(
        item.written for item in striking
    ):
        return within_ceiling(items, ceiling, limits)
    kept = [
        item.written is not None and bool(lifts(item.written, (CEILING_RULE,), library))
        for item in striking
    ]
    for item, lifted in zip(striking, kept, strict=True):
        conflict(item.exercise.id, CEILING_RULE, lifted)
    if not all(kept):
        return within_ceiling(items, ceiling, limits)
    return tuple(
        item._replace(despite=(*item.despite, CEILING_RULE)) if item.heel_strikes else item
        for item in items
    )


def within_ceiling(
    items: list[PlanItem], ceiling: int, limits: ImpactCeiling
) -> tuple[PlanItem, ...]:
    """The day's items with heel strikes cut to `ceiling` (ROS: about 50, built up
    gradually and spread out). Jumps, the harder impact (001: 4.7 against 3.6 times body
    weight), keep their dose while it fits; the drops share what is left, each keeping at
    least one set of `min_reps` (per side for one-leg drops) rather than a token set."""
    total = sum(item.heel_strikes for item in items)
    if total <= ceiling:
        return tuple(items)
    lowest = [min(i.heel_strikes, limits.min_reps * (2 if i.per_side else 1)) for i in items]
    kept = {i for i, item in enumerate(items) if item.exercise.id == JUMP}
    left = ceiling - sum(items[i].heel_strikes for i in kept)
    if left < sum(low for i, low in enumerate(lowest) if i not in kept):
        kept, left = set(), ceiling
    strikes = [0 if i in kept else item.heel_strikes for i, item in enumerate(items)]
    floors = [low if s else 0 for low, s in zip(lowest, strikes, strict=True)]
    budgets = _shares(strikes, left, floors)
    return tuple(
        _cut(item, budget, limits) if strikes[i] else item
        for i, (item, budget) in enumerate(zip(items, budgets, strict=True))
    )


def _shares(strikes: list[int], ceiling: int, floors: list[int]) -> list[int]:
    """Split `ceiling` in proportion to `strikes`, each at least its floor where the
    ceiling allows, never more in total."""
    total = sum(strikes)
    shares = [
        max(low, ceiling * s // total) if s else 0 for s, low in zip(strikes, floors, strict=True)
    ]
    while sum(shares) > ceiling:
        over = [i for i in range(len(shares)) if shares[i] > floors[i]] or range(len(shares))
        largest = max(over, key=lambda i: shares[i])
        shares[largest] -= 1
    return shares


def _cut(item: PlanItem, budget: int, limits: ImpactCeiling) -> PlanItem:
    """The fewest sets cut that fit `budget` with sets as full as the dose's (2 x 15 rather
    than 3 x 10 for 30 strikes), none longer than `set_most` (never one unbroken set of 30)
    and never a set below `min_reps` while a set can go instead."""
    sides = 2 if item.per_side else 1
    reps = item.reps or 0
    sets = max(1, min(item.sets, math.ceil(budget / (sides * reps))))
    if not item.written:
        sets = max(sets, math.ceil(budget / (sides * limits.set_most)))
    while sets > 1 and budget // (sides * sets) < limits.min_reps:
        sets -= 1
    new_reps = max(1, min(reps, budget // (sides * sets)))
    return item._replace(sets=sets, reps=new_reps, cut_from=(item.sets, reps))


def short_sets(stage: DoseStage, set_most: int) -> DoseStage:
    """The same impacts in sets of at most `set_most`, so they come with pauses between
    (ROS: rest between impacts helps bone respond): 3 x 20 becomes 4 x 15."""
    total = stage.sets * (stage.reps or 0)
    sets = math.ceil(total / set_most)
    return stage._replace(sets=sets, reps=total // sets)
