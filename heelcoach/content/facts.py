"""What the fast commands need of an exercise, without the content model.

`heelcoach log` only needs an exercise's name, how it is counted and whether it is
one-sided; `content.cache` reads these straight from its small facts file, so `log` never
loads the full library (`content.model` re-exports `MEASURES`).
"""

from __future__ import annotations

from typing import NamedTuple

MEASURES = ("reps", "seconds")


class ExerciseFacts(NamedTuple):
    """What fast commands need of an exercise, read from the cache without a full load."""

    id: str
    name: str
    measure: str  # "reps" | "seconds"
    per_side: bool
