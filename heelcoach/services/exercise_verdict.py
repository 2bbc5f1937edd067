"""The safety verdict on one exercise for `heelcoach log`: the same `safety.judge` over the
content installed now that `plan` asks, so the two agree after an upgrade changes a rule.
"""

from __future__ import annotations

from typing import NamedTuple

from heelcoach.content.model import Library, Rule
from heelcoach.context import Context
from heelcoach.domain.safety import judge
from heelcoach.errors import HeelcoachError
from heelcoach.services import common
from heelcoach.services.prescription import in_force
from heelcoach.services.readiness import latest_readiness


class ScreeningVerdict(NamedTuple):
    """Whether the person is screened, and the rules that leave an exercise out today."""

    screened: bool
    leaving_out: tuple[Rule, ...] = ()


def screening_verdict(ctx: Context, library: Library, exercise_id: str) -> ScreeningVerdict:
    """The rules that leave `exercise_id` out today, as `plan` judges them (the content
    installed now, the latest readiness, the prescription's accepted overrides). Gates
    are left aside: an exercise waiting only for a test done elsewhere is logged without
    asking. A damaged prescription lifts nothing, so `log` keeps warning."""
    profile = common.load_profile(ctx, library)
    if profile is None:
        return ScreeningVerdict(screened=False)
    with common.open_store(ctx, create=False) as store:
        judgement = judge(profile, library, latest_readiness(store))
        try:
            prescription = in_force(store, library)
        except HeelcoachError:
            prescription = None
    verdict = judgement.verdict(exercise_id)
    if verdict.allowed:
        return ScreeningVerdict(screened=True)
    accepted = {
        rule
        for stage in (prescription.stages if prescription else ())
        for item in stage.items
        if item.exercise == exercise_id
        for rule in item.accepted or ()
    }
    leaving = (r for r in verdict.rules if r not in judgement.gate_rules and r not in accepted)
    rules = tuple(library.rules[rule] for rule in leaving)
    return ScreeningVerdict(screened=True, leaving_out=rules)
