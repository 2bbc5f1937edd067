"""Readiness tests -> the facts the gates read: is the tiptoe hold painful, have hops passed.

Three tests (`heelcoach test`): a one-second single-leg tiptoe hold (004; passes at pain
5/10 or less, clinical-notes.md), 10 double-leg hops (pass below 5/10, clinical-notes.md)
and single-leg heel raises to fatigue (counted, not a gate). A test's latest result is in
force; a tiptoe result replaces the screening's answer for the leg it covers.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from heelcoach.content.model import ReadinessSpec
from heelcoach.domain.conditions import Fact
from heelcoach.domain.records import ReadinessResult

LEGS = ("left", "right")


class Readiness(NamedTuple):
    """The latest results in force: the tiptoe hold per side, the hops, the heel raises."""

    tiptoe: tuple[ReadinessResult, ...] = ()  # the latest covering each side (deduplicated)
    hops: ReadinessResult | None = None
    heel_raise: ReadinessResult | None = None

    @classmethod
    def latest(cls, results: Sequence[ReadinessResult]) -> Readiness:
        """From results oldest first; a tiptoe hold is judged per leg, by the latest result
        covering it (a one-leg or a both-sides test)."""
        found: dict[str, ReadinessResult] = {}
        sides: dict[str, ReadinessResult] = {}
        for result in results:
            found[result.test] = result
            if result.test == "tiptoe":
                sides.update((leg, result) for leg in LEGS if _covers(result, leg))
        tiptoe = tuple(dict.fromkeys(sides.values()))
        return cls(tiptoe, found.get("hops"), found.get("heel-raise"))

    def untested_tiptoe_legs(self) -> tuple[str, ...]:
        """The legs no tiptoe result covers yet ('left', 'right')."""
        return tuple(leg for leg in LEGS if not any(_covers(r, leg) for r in self.tiptoe))


def _covers(result: ReadinessResult, leg: str) -> bool:
    return result.side in (leg, "both", None)


def passes(result: ReadinessResult, spec: ReadinessSpec) -> bool | None:
    """Whether a gate test passed; None for heel raises, which are measured, not passed."""
    if result.test == "heel-raise":
        return None
    if result.pain is None:
        return False
    if result.test == "tiptoe":
        return result.pain <= spec.tiptoe_passes_at_most
    return result.pain < spec.hops_pass_below


def readiness_facts(
    readiness: Readiness, tiptoe_answer: bool | None, spec: ReadinessSpec
) -> dict[str, Fact]:
    """`tiptoe_painful` and `hops_not_passed`, as content/rules.yaml's gates read them."""
    tested_painful = not all(passes(result, spec) for result in readiness.tiptoe)
    # The screening's answer stands for a leg no test covers yet: a hold that was too
    # painful is only lifted once each leg has passed (004 tests the hold per leg).
    answer_painful = tiptoe_answer is False and bool(readiness.untested_tiptoe_legs())
    painful = tested_painful or answer_painful
    hops_ok = readiness.hops is not None and bool(passes(readiness.hops, spec))
    return {"tiptoe_painful": painful, "hops_not_passed": not hops_ok}
