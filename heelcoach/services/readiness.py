"""`heelcoach test`: which readiness tests may be run, and recording their results.

A test is offered only where the safety table, with the test's own gate lifted, allows
the exercise it stands for (hops where jumps are allowed, heel raises where heel drops
are), held with a support where balance is a concern.
"""

from __future__ import annotations

from datetime import date, datetime

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


def offer(test: str, profile: Profile, library: Library, readiness: Readiness) -> Verdict:
    """Whether the test may be run, and held with a support: the verdict on the exercise it
    stands for, with only the test's own gate lifted."""
    like = library.programme.readiness.like[test]
    lifted = (GATE_OF[test],) if test in GATE_OF else ()
    return judge(profile, library, readiness, lifted=lifted).verdict(like)


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
