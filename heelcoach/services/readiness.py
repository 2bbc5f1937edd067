"""`heelcoach test`: which readiness tests may be run, and recording their results.

A test is offered only where the safety table, with the test's own gate lifted, allows
the exercise it stands for (hops where jumps are allowed, heel raises where heel drops
are), held with a support where balance is a concern.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from heelcoach.content.model import Library
from heelcoach.domain.profile import Profile
from heelcoach.domain.readiness import Readiness
from heelcoach.domain.records import ReadinessResult, SetRecord, Side, TestKind, TestSource
from heelcoach.domain.safety import Verdict, judge
from heelcoach.storage.store import Store

GATE_OF = {"tiptoe": "tiptoe-painful", "hops": "hops-not-passed"}


def latest_readiness(store: Store) -> Readiness:
    """The latest result of each readiness test."""
    return Readiness.latest(store.readiness())


class Offer(NamedTuple):
    """Whether a test may be run, and with a support; `verdict` holds the rules if not."""

    test: str
    verdict: Verdict

    @property
    def allowed(self) -> bool:
        return self.verdict.allowed

    @property
    def support(self) -> bool:
        return self.verdict.support_required


def offer(test: str, profile: Profile, library: Library, readiness: Readiness) -> Offer:
    """Judge the exercise the test stands for, with only the test's own gate lifted."""
    like = library.programme.readiness.like[test]
    lifted = (GATE_OF[test],) if test in GATE_OF else ()
    judgement = judge(profile, library, readiness, lifted=lifted)
    return Offer(test, judgement.verdict(like))


def gate_open(test: str, profile: Profile, library: Library, readiness: Readiness) -> bool:
    """Whether what the test unlocks is open already (no test gate in the way now)."""
    if test not in GATE_OF:
        return True
    like = library.programme.readiness.like[test]
    return GATE_OF[test] not in judge(profile, library, readiness).verdict(like).rules


def record(
    store: Store,
    test: TestKind,
    day: date,
    now: datetime,
    *,
    side: Side | None = None,
    pain: int | None = None,
    left: int | None = None,
    right: int | None = None,
    source: TestSource = "entered",
) -> ReadinessResult:
    """Store one result (validated by the store) and return it."""
    result = ReadinessResult(
        uuid=SetRecord.new_uuid(),
        test=test,
        day=day,
        recorded_at=now,
        side=side,
        pain=pain,
        left=left,
        right=right,
        source=source,
    )
    store.add_readiness([result])
    return result
