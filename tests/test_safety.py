"""Decision table for the safety rules: one row per rule (and per clearance), through the
one call that decides safety (`safety.judge`) and, for a few, the real week plan.

Each row screens a profile that differs from a cleared, healthy baseline in one way and
asserts which exercises are left out, which must be held, which stay, what the rules say
before the first session and whether there is a referral. A last test checks that every
rule in content/rules.yaml is exercised by some row, so a new rule cannot go untested.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest
from helpers import content_library, profile

from heelcoach.domain.planner import WeekPlan, build_week
from heelcoach.domain.readiness import Readiness
from heelcoach.domain.records import ReadinessResult
from heelcoach.domain.safety import Judgement, judge

ALL_GOALS = ["bone", "achilles", "running", "strength"]
# A person for whom nothing fires: healthy bones, cleared for impact, tests passed.
BASELINE = {
    "goals": ALL_GOALS,
    "days_per_week": 6,
    "bone_density": "normal",
    "t_score": None,
    "cleared_for_impact": True,
}
DROPS = {"heel-drop", "single-leg-heel-drop"}
JUMPS = {"heel-jump"}
FAST_KICKS = {"heel-kick-running", "high-knee-heel-kick"}
ECCENTRIC = {"eccentric-heel-drop", "eccentric-heel-drop-floor", "eccentric-heel-drop-bent-knee"}
NO_IMPACT_SET = DROPS | JUMPS | FAST_KICKS | {"heel-kick-standing"}
AT = datetime(2026, 11, 1, 8, tzinfo=UTC)


def result_of(test: str, pain: int, side: str | None = None) -> ReadinessResult:
    return ReadinessResult(
        f"00000000-0000-4000-8000-00000000000{pain}",
        test,
        AT.date(),
        AT,
        side,
        pain,
        None,
        None,
        "entered",
    )


PASSED = Readiness.latest([result_of("tiptoe", 2, "both"), result_of("hops", 1)])


@dataclass(frozen=True)
class Row:
    """One line of the table: a change from the baseline and what must follow."""

    answers: dict[str, object]
    left_out: set[str] = field(default_factory=set)
    kept: set[str] = field(default_factory=set)
    held: set[str] = field(default_factory=set)  # planned holding a support throughout
    fires: set[str] = field(default_factory=set)
    silent: set[str] = field(default_factory=set)  # rules that must not fire
    warns: set[str] = field(default_factory=set)
    referral: bool = False
    readiness: Readiness = PASSED


TABLE = {
    # --- referrals, and clearance per concern
    "chest pain refers": Row(
        {"chest_pain": True, "cleared_for_exercise": False}, referral=True, fires={"red-flags"}
    ),
    "dizziness refers": Row(
        {"dizziness_or_fainting": True, "cleared_for_exercise": False}, referral=True
    ),
    "a heart condition refers": Row(
        {"heart_condition": True, "cleared_for_exercise": False}, referral=True
    ),
    "pregnancy refers": Row({"pregnant": True, "cleared_for_exercise": False}, referral=True),
    "cleared for exercise lifts the heart flag": Row(
        {"heart_condition": True, "cleared_for_exercise": True}, kept={"heel-drop"}
    ),
    "cleared pregnancy plans, without jumps": Row(
        {"pregnant": True, "cleared_for_exercise": True},
        left_out=JUMPS,
        kept={"heel-drop"},
        fires={"pregnancy"},
        warns={"pregnancy"},
    ),
    "supervised only always refers": Row(
        {"supervised_only": True},
        referral=True,
        fires={"supervised-only"},
    ),
    "impact clearance does not lift a red flag": Row(
        {"chest_pain": True, "cleared_for_exercise": False, "cleared_for_impact": True},
        referral=True,
    ),
    # --- the PAR-Q+ items that call for a check-up first
    "another long-term condition warns": Row(
        {"chronic_condition": True, "cleared_for_exercise": False},
        kept={"heel-drop"},
        warns={"chronic-condition"},
    ),
    "long-term medication warns": Row(
        {"chronic_medication": True, "cleared_for_exercise": False},
        kept={"heel-drop"},
        warns={"chronic-medication"},
    ),
    "a bone or joint problem warns": Row(
        {"bone_joint_problem": True, "cleared_for_exercise": False},
        kept={"heel-drop"},
        warns={"bone-joint-problem"},
    ),
    "clearance quiets the long-term condition warning": Row(
        {"chronic_condition": True, "cleared_for_exercise": True}, kept={"heel-drop"}
    ),
    # --- bones
    "a recent fracture leaves out impact and drops": Row(
        {"fracture_within_months": 4},
        left_out=NO_IMPACT_SET | ECCENTRIC,
        kept={"bridge", "heel-kick-marching"},
        fires={"recent-fracture"},
        warns={"consult-first"},
    ),
    "a fracture 8 months ago only consults first": Row(
        {"fracture_within_months": 8}, kept={"heel-drop"}, warns={"consult-first"}
    ),
    "an older fracture consults first": Row(
        {"fracture_history": True}, kept={"heel-drop"}, warns={"consult-first"}
    ),
    "a spinal fracture: nothing beyond brisk walking": Row(
        {"vertebral_fracture": True},
        left_out=NO_IMPACT_SET,
        kept={"bridge", "eccentric-heel-drop"},
        fires={"vertebral-fracture"},
    ),
    "frailty: the spinal-fracture set of exclusions": Row(
        {"frail": True},
        left_out=NO_IMPACT_SET,
        kept={"bridge", "eccentric-heel-drop"},
        fires={"frailty"},
    ),
    "impact clearance never lifts frailty": Row(
        {"frail": True, "cleared_for_impact": True}, left_out=NO_IMPACT_SET
    ),
    "T below -3.0 uncleared: no drops, jumps or fast kicks": Row(
        {"bone_density": "osteoporosis", "t_score": -3.3, "cleared_for_impact": False},
        left_out=DROPS | JUMPS | FAST_KICKS,
        fires={"severe-osteoporosis"},
        warns={"severe-osteoporosis", "consult-first"},
    ),
    "T below -3.0 cleared for impact: drops return, consult stays": Row(
        {"bone_density": "osteoporosis", "t_score": -3.3, "cleared_for_impact": True},
        kept={"heel-drop"},
        warns={"consult-first"},
    ),
    "a 'normal' category with T -3.2: the stricter one rules": Row(
        {"bone_density": "normal", "t_score": -3.2, "cleared_for_impact": False},
        left_out={"heel-drop"},
        warns={"consult-first", "severe-osteoporosis"},
    ),
    "osteoporosis with no T-score consults first": Row(
        {"bone_density": "osteoporosis", "t_score": None},
        kept={"heel-drop"},
        warns={"consult-first"},
    ),
    # --- one-leg drops need clearance for impact, and a support throughout
    "no impact clearance: no one-leg drops": Row(
        {"cleared_for_impact": False},
        left_out={"single-leg-heel-drop"},
        kept={"heel-drop"},
        fires={"single-leg-clearance"},
    ),
    "one-leg drops are held throughout": Row({}, held={"single-leg-heel-drop"}),
    "no support: no one-leg drops": Row(
        {"has_support": False},
        left_out={"single-leg-heel-drop"},
        kept={"heel-drop"},
        fires={"no-support"},
    ),
    # --- joints, feet, Achilles
    "joint pain: no jumps": Row(
        {"joint_pain": ["low_back"]}, left_out=JUMPS, kept={"heel-drop"}, fires={"joint-pain"}
    ),
    "knee pain: no jumps, no fast kicks": Row(
        {"joint_pain": ["knee"]},
        left_out=JUMPS | FAST_KICKS,
        kept={"heel-kick-standing"},
        fires={"knee-hip-pain"},
    ),
    "hip pain: no fast kicks": Row({"joint_pain": ["hip"]}, left_out=FAST_KICKS),
    "ankle pain counts as a foot problem": Row(
        {"joint_pain": ["ankle"]},
        left_out=DROPS | JUMPS | FAST_KICKS,
        fires={"foot-condition", "sore-ankle-range"},
    ),
    "a foot condition: no drops, jumps or fast kicks, floor drops only": Row(
        {"foot_condition": True},
        left_out=DROPS | JUMPS | FAST_KICKS | {"eccentric-heel-drop"},
        kept={"eccentric-heel-drop-floor"},
        fires={"sore-ankle-range"},
    ),
    "a painful ankle and a foot or ankle problem lower to the floor only": Row(
        {
            "joint_pain": ["ankle"],
            "foot_condition": True,
            "achilles_pain": True,
            "achilles_pain_site": "mid",
            "tiptoe_hold_ok": True,
        },
        left_out={"eccentric-heel-drop", "eccentric-heel-drop-bent-knee"},
        kept={"eccentric-heel-drop-floor"},
        warns={"joint-pain"},
    ),
    "an ankle answer beside Achilles pain and no foot problem is the Achilles": Row(
        {
            "joint_pain": ["ankle"],
            "foot_condition": False,
            "achilles_pain": True,
            "achilles_pain_site": "mid",
            "tiptoe_hold_ok": True,
        },
        left_out=JUMPS,
        kept={"eccentric-heel-drop", "eccentric-heel-drop-bent-knee", "heel-drop"},
        warns={"joint-pain"},
        silent={"foot-condition", "sore-ankle-range"},
    ),
    "hip pain warns to have it checked": Row(
        {"joint_pain": ["hip"]}, kept={"heel-drop"}, warns={"joint-pain"}
    ),
    "an acute injury or surgery: every leg exercise waits, with the protocol said first": Row(
        {"acute_injury": True},
        left_out=NO_IMPACT_SET
        | ECCENTRIC
        | {"bridge", "single-leg-bridge", "split-squat", "side-lying-hamstring-curl"},
        fires={"acute-injury"},
        warns={"acute-injury"},
    ),
    "T below -3.0 cleared: jumps and one-leg drops still wait for supervision": Row(
        {"bone_density": "osteoporosis", "t_score": -3.4, "cleared_for_impact": True},
        left_out=JUMPS | FAST_KICKS | {"single-leg-heel-drop"},
        kept={"heel-drop"},
        fires={"severe-osteoporosis-jumps"},
    ),
    "80 and over: a hand on a support, no jumps or one-leg drops, whatever is said": Row(
        {"age": 88, "balance_problems": False, "frail": False},
        left_out=JUMPS | FAST_KICKS | {"single-leg-heel-drop"},
        held={"heel-drop", "split-squat", "eccentric-heel-drop"},
        kept={"heel-drop", "bridge"},
        fires={"older-age"},
    ),
    "79: no age rule": Row({"age": 79}, kept=JUMPS | {"single-leg-heel-drop"}),
    "pregnancy: held, no fast kicks or bridges, stop signs said": Row(
        {"pregnant": True, "cleared_for_exercise": True},
        left_out=JUMPS | FAST_KICKS | {"bridge", "single-leg-bridge", "single-leg-heel-drop"},
        held={"heel-drop", "split-squat", "eccentric-heel-drop"},
        kept={"side-lying-hamstring-curl", "heel-drop"},
        warns={"pregnancy"},
    ),
    "insertional Achilles pain: no end-range calf stretch": Row(
        {"achilles_pain": True, "achilles_pain_site": "insertion", "tiptoe_hold_ok": True},
        left_out={"calf-stretch"},
        fires={"insertional-stretch"},
    ),
    "a past knee injury: no fast kicks": Row(
        {"injury_history": ["knee"]},
        left_out=FAST_KICKS,
        kept=JUMPS,
        fires={"kick-injury-history"},
    ),
    "insertional Achilles pain: floor drops only": Row(
        {"achilles_pain": True, "achilles_pain_site": "insertion", "tiptoe_hold_ok": True},
        left_out={"eccentric-heel-drop", "eccentric-heel-drop-bent-knee"},
        kept={"eccentric-heel-drop-floor"},
        fires={"insertional-achilles"},
    ),
    "unsure where the Achilles hurts: floor drops only": Row(
        {"achilles_pain": True, "achilles_pain_site": "unsure", "tiptoe_hold_ok": True},
        left_out={"eccentric-heel-drop"},
        kept={"eccentric-heel-drop-floor"},
    ),
    "mid-tendon pain: the bent-knee drops are allowed": Row(
        {"achilles_pain": True, "achilles_pain_site": "mid", "tiptoe_hold_ok": True},
        kept={"eccentric-heel-drop", "eccentric-heel-drop-bent-knee"},
    ),
    "no Achilles pain: no bent-knee drops": Row(
        {}, left_out={"eccentric-heel-drop-bent-knee"}, fires={"mid-tendon-only"}
    ),
    "no step: the step drops are left out": Row(
        {"has_step": False},
        left_out={"eccentric-heel-drop"},
        kept={"eccentric-heel-drop-floor"},
        fires={"no-step"},
    ),
    "balance problems: held, and no jumps or one-leg drops": Row(
        {"balance_problems": True},
        left_out=JUMPS | FAST_KICKS | {"single-leg-heel-drop"},
        held={"heel-drop", "eccentric-heel-drop", "split-squat"},
        fires={"balance-problems"},
        warns={"consult-first"},
    ),
    "balance problems and nothing to hold": Row(
        {"balance_problems": True, "has_support": False},
        left_out={"heel-drop", "eccentric-heel-drop", "split-squat"},
        kept={"bridge"},
    ),
    # --- readiness gates
    "a painful tiptoe answer locks the loading": Row(
        {"achilles_pain": True, "achilles_pain_site": "mid", "tiptoe_hold_ok": False},
        left_out=DROPS | JUMPS | FAST_KICKS | ECCENTRIC,
        kept={"bridge"},
        fires={"tiptoe-painful"},
        warns={"tiptoe-painful"},
        readiness=Readiness(),
    ),
    "a tiptoe test at 5/10 passes": Row(
        {"achilles_pain": True, "achilles_pain_site": "mid", "tiptoe_hold_ok": False},
        kept={"heel-drop", "eccentric-heel-drop"},
        readiness=Readiness.latest([result_of("tiptoe", 5, "both"), result_of("hops", 1)]),
    ),
    "a painful tiptoe test on one leg locks it for everyone": Row(
        {},
        left_out={"heel-drop"},
        readiness=Readiness.latest(
            [result_of("tiptoe", 2, "both"), result_of("tiptoe", 6, "left")]
        ),
    ),
    "no hop test: no jumps, no fast kicks": Row(
        {},
        left_out=JUMPS | FAST_KICKS,
        kept=DROPS,
        fires={"hops-not-passed"},
        readiness=Readiness.latest([result_of("tiptoe", 2, "both")]),
    ),
    "hops at 5/10 do not pass": Row(
        {},
        left_out=JUMPS,
        readiness=Readiness.latest([result_of("hops", 5)]),
    ),
    "hops at 4/10 pass": Row({}, kept=JUMPS, readiness=Readiness.latest([result_of("hops", 4)])),
}


def judged(row: Row) -> Judgement:
    return judge(profile(**{**BASELINE, **row.answers}), content_library(), row.readiness)


@pytest.mark.parametrize("name", list(TABLE))
def test_decision_table(name: str) -> None:
    row = TABLE[name]
    judgement = judged(row)
    left_out = {e for e, v in judgement.verdicts.items() if not v.allowed}
    held = {e for e, v in judgement.verdicts.items() if v.support_required}
    assert row.left_out <= left_out, f"{name}: should leave out {row.left_out - left_out}"
    assert not (row.kept & left_out), f"{name}: should keep {row.kept & left_out}"
    assert row.held <= held, f"{name}: should be held: {row.held - held}"
    assert row.fires <= judgement.fired, f"{name}: should fire {row.fires - judgement.fired}"
    assert not (row.silent & judgement.fired), f"{name}: fired {row.silent & judgement.fired}"
    assert row.warns <= set(judgement.warnings), f"{name}: should warn {row.warns}"
    assert bool(judgement.referral) == row.referral


def test_the_baseline_fires_only_what_it_must() -> None:
    judgement = judged(Row({}))
    assert judgement.fired <= {"mid-tendon-only", "one-leg-support"}
    assert not judgement.referral and not judgement.warnings


def test_every_rule_is_in_the_table() -> None:
    fired = set().union(*(judged(row).fired for row in TABLE.values()))
    rules = {r.id for r in content_library().rules.values() if r.kind != "planner"}
    assert rules <= fired, f"rules without a row: {sorted(rules - fired)}"


def test_every_exercise_names_only_rules_that_exist() -> None:
    library = content_library()
    for exercise in library.exercises.values():
        assert set(exercise.not_for) | set(exercise.support_if) <= set(library.rules)


# --------------------------------------------------------------------------- through the plan


def week(number: int, readiness: Readiness = PASSED, **answers: object) -> WeekPlan:
    person = profile(date(2026, 1, 5), **{**BASELINE, **answers})
    return build_week(person, content_library(), number, readiness=readiness)


def planned(plan: WeekPlan) -> set[str]:
    return {item.exercise.id for item in plan.items()}


def test_a_referral_plans_nothing_and_lists_every_goal_exercise() -> None:
    plan = week(7, chest_pain=True, cleared_for_exercise=False)
    assert plan.referral == ("red-flags",)
    assert all(day.is_rest for day in plan.days)
    assert {e.exercise for e in plan.excluded} >= {"heel-drop", "bridge", "eccentric-heel-drop"}


def test_a_gate_says_which_test_opens_it() -> None:
    plan = week(7, readiness=Readiness())
    jump = plan.exclusion("heel-jump")
    assert jump is not None and jump.kind == "gate" and jump.rules == ("hops-not-passed",)


def test_safety_speaks_before_not_yet() -> None:
    plan = week(1, joint_pain=["knee"])
    jump = plan.exclusion("heel-jump")
    assert jump is not None and jump.kind == "rules" and "joint-pain" in jump.rules


def test_insertional_pain_plans_the_floor_drops_instead() -> None:
    plan = week(5, achilles_pain=True, achilles_pain_site="insertion", tiptoe_hold_ok=True)
    assert "eccentric-heel-drop-floor" in planned(plan)
    replaced = plan.exclusion("eccentric-heel-drop")
    assert replaced is not None and replaced.stand_in == "eccentric-heel-drop-floor"


def test_bent_knee_drops_join_low_after_the_full_protocol_for_mid_tendon_pain() -> None:
    """clinical-notes.md (load spikes): they join at one set the week after the straight-
    knee drops reach 3 x 15, and build a set a week."""
    mid = {"achilles_pain": True, "achilles_pain_site": "mid", "tiptoe_hold_ok": True}
    assert "eccentric-heel-drop-bent-knee" not in planned(week(5, **mid))
    first = [i for i in week(6, **mid).items() if i.exercise.id == "eccentric-heel-drop-bent-knee"]
    assert first and {(i.sets, i.reps) for i in first} == {(1, 15)}
    assert week(6).exclusion("eccentric-heel-drop-bent-knee") is None  # not his to hear about


@pytest.mark.parametrize(
    "answers",
    [
        {"frail": True},
        {"pregnant": True, "cleared_for_exercise": True},
        {"acute_injury": True},
        {"age": 85},
    ],
)
def test_no_test_is_promised_for_jumps_another_rule_keeps_out(answers: dict[str, object]) -> None:
    from heelcoach.frontends.words.plan import exclusion_text

    plan = week(7, readiness=Readiness(), **answers)
    jump = plan.exclusion("heel-jump")
    assert jump is not None and "hops-not-passed" in jump.rules
    assert "heelcoach test hops" not in exclusion_text(jump, content_library())


@pytest.mark.parametrize(
    "answers",
    [
        {"age": 88, "cleared_for_impact": False},
        {"bone_density": "osteoporosis", "t_score": -3.4, "cleared_for_impact": False},
    ],
)
def test_no_clearance_is_promised_for_what_stays_out_with_one(answers: dict[str, object]) -> None:
    from heelcoach.frontends.words.plan import exclusion_text

    drop = week(7, **answers).exclusion("single-leg-heel-drop")
    assert drop is not None and "single-leg-clearance" in drop.rules
    said = exclusion_text(drop, content_library())
    assert "clear you" not in said and "supervised" in said and "one-leg" in said


def test_only_the_hop_test_keeping_jumps_out_names_the_test() -> None:
    from heelcoach.frontends.words.plan import exclusion_text

    jump = week(7, readiness=Readiness()).exclusion("heel-jump")
    assert jump is not None
    assert "Locked until `heelcoach test hops`" in exclusion_text(jump, content_library())
