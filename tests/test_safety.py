"""Decision table for the safety rules: one row per rule, checked through the real plan.

Each row screens a profile that differs from a healthy baseline in one way and asserts
what the week must leave out, what it must keep, and what it must say. The plan is built
for week 7 (as prescribed) so that every exercise that could appear has joined.
"""

from __future__ import annotations

import pytest
from helpers import content_library, profile

from heelcoach.domain.planner import WeekPlan, build_week
from heelcoach.domain.safety import PLANNER_RULES, PREDICATES

ALL_GOALS = ["bone", "achilles", "running", "strength"]
IMPACT = {
    "heel-drop",
    "single-leg-heel-drop",
    "heel-jump",
    "heel-kick-running",
    "high-knee-heel-kick",
}


def week(week_number: int = 7, **overrides: object) -> WeekPlan:
    settings = {
        "goals": ALL_GOALS,
        "days_per_week": 6,
        "cleared_by_professional": True,
        **overrides,
    }
    return build_week(profile(**settings), content_library(), week_number)


def planned(plan: WeekPlan) -> set[str]:
    return {item.exercise.id for day in plan.days for item in day.items}


def excluded(plan: WeekPlan) -> dict[str, str]:
    return {e.exercise: e.reason for e in plan.excluded}


def test_baseline_has_every_exercise_family() -> None:
    plan = week()
    assert {
        "heel-drop",
        "single-leg-heel-drop",
        "heel-jump",
        "high-knee-heel-kick",
        "eccentric-heel-drop",
        "bridge",
        "single-leg-bridge",
        "side-lying-hamstring-curl",
        "split-squat",
        "calf-stretch",
    } <= planned(plan)
    assert plan.referral is None


@pytest.mark.parametrize(
    "flag",
    ["chest_pain", "dizziness_or_fainting", "heart_condition", "supervised_only", "pregnant"],
)
def test_red_flag_without_clearance_refers_and_plans_nothing(flag: str) -> None:
    plan = week(**{flag: True, "cleared_by_professional": False})
    assert plan.referral is not None
    assert any(word in plan.referral.lower() for word in ("doctor", "professional"))
    assert planned(plan) == set()
    assert all(day.is_rest for day in plan.days)


@pytest.mark.parametrize("flag", ["chest_pain", "heart_condition", "supervised_only"])
def test_red_flag_with_clearance_plans_normally(flag: str) -> None:
    plan = week(**{flag: True, "cleared_by_professional": True})
    assert plan.referral is None
    assert "heel-drop" in planned(plan)


@pytest.mark.parametrize("overrides", [{"fracture_within_months": 4}, {"acute_injury": True}])
def test_recent_fracture_or_acute_injury_removes_all_impact(overrides: dict) -> None:
    plan = week(**overrides)
    assert not IMPACT & planned(plan)
    assert IMPACT - {"heel-kick-running"} <= set(excluded(plan))
    assert "bridge" in planned(plan)


def test_fracture_six_months_ago_allows_impact_but_warns() -> None:
    plan = week(fracture_within_months=6)
    assert "heel-drop" in planned(plan)
    assert any("fracture" in w.lower() or "professional" in w.lower() for w in plan.warnings)


def test_vertebral_fracture_removes_jumps_and_running_kicks() -> None:
    plan = week(vertebral_fracture=True)
    assert not {"heel-jump", "heel-kick-running", "high-knee-heel-kick"} & planned(plan)
    assert "heel-kick-marching" in planned(plan)  # the gentlest warm-up stands in


def test_severe_osteoporosis_without_clearance_removes_drops_and_jumps() -> None:
    plan = week(t_score=-3.2, bone_density="osteoporosis", cleared_by_professional=False)
    assert not {"heel-drop", "single-leg-heel-drop", "heel-jump"} & planned(plan)
    assert "heel-drop" in excluded(plan)
    assert any("professional" in w.lower() or "physio" in w.lower() for w in plan.warnings)


def test_severe_osteoporosis_with_clearance_keeps_drops() -> None:
    plan = week(t_score=-3.2, bone_density="osteoporosis", cleared_by_professional=True)
    assert "heel-drop" in planned(plan)


@pytest.mark.parametrize(
    "overrides",
    [
        {"t_score": -2.7, "bone_density": "osteoporosis"},
        {"fracture_within_months": 10},
        {"balance_problems": True},
    ],
)
def test_consult_first_warning(overrides: dict) -> None:
    plan = week(**overrides)
    assert plan.warnings, overrides
    assert any(
        "consult" in w.lower() or "before" in w.lower() or "professional" in w.lower()
        for w in plan.warnings
    )


def test_no_consult_warning_for_healthy_profile() -> None:
    assert not week(t_score=-1.0).warnings


def test_balance_problems_remove_risky_work_and_require_support() -> None:
    plan = week(balance_problems=True)
    assert not {
        "heel-jump",
        "heel-kick-running",
        "high-knee-heel-kick",
        "single-leg-heel-drop",
    } & planned(plan)
    items = {item.exercise.id: item for day in plan.days for item in day.items}
    for exercise_id in ("heel-drop", "eccentric-heel-drop", "split-squat"):
        assert items[exercise_id].support_required, exercise_id
        assert items[exercise_id].support and "hold" in items[exercise_id].support


def test_balance_problems_without_support_leave_out_supported_work() -> None:
    plan = week(balance_problems=True, has_support=False)
    assert not {"heel-drop", "eccentric-heel-drop", "split-squat"} & planned(plan)
    assert "heel-drop" in excluded(plan)


@pytest.mark.parametrize("joint", ["ankle", "knee", "hip", "low_back"])
def test_joint_pain_removes_heel_jumps(joint: str) -> None:
    plan = week(joint_pain=[joint])
    assert "heel-jump" not in planned(plan)
    assert "heel-jump" in excluded(plan)
    assert "heel-drop" in planned(plan)


def test_pregnancy_even_cleared_removes_heel_jumps() -> None:
    plan = week(pregnant=True, cleared_by_professional=True)
    assert plan.referral is None
    assert "heel-jump" not in planned(plan)
    assert "heel-drop" in planned(plan)


def test_foot_condition_removes_heel_drops_and_jumps() -> None:
    plan = week(foot_condition=True)
    assert not {"heel-drop", "single-leg-heel-drop", "heel-jump"} & planned(plan)


def test_achilles_pain_without_tiptoe_hold() -> None:
    plan = week(achilles_pain=True, tiptoe_hold_ok=False)
    assert not {
        "eccentric-heel-drop",
        "eccentric-heel-drop-floor",
        "heel-jump",
        "heel-kick-running",
    } & planned(plan)
    assert any("rest" in w.lower() for w in plan.warnings)


def test_achilles_pain_with_tolerable_tiptoe_hold_keeps_eccentric_drops() -> None:
    plan = week(achilles_pain=True, tiptoe_hold_ok=True)
    assert "eccentric-heel-drop" in planned(plan)


@pytest.mark.parametrize("injury", ["knee", "hamstring", "low_back"])
def test_kick_injury_history_removes_running_and_high_knee_kicks(injury: str) -> None:
    plan = week(injury_history=[injury])
    assert not {"heel-kick-running", "high-knee-heel-kick"} & planned(plan)
    assert "heel-kick-standing" in planned(plan)


def test_no_step_replaces_eccentric_drops_with_floor_version() -> None:
    plan = week(has_step=False)
    assert "eccentric-heel-drop" not in planned(plan)
    assert "eccentric-heel-drop-floor" in planned(plan)
    assert "floor" in excluded(plan)["eccentric-heel-drop"].lower()


def test_single_leg_heel_drops_need_week_seven_and_clearance() -> None:
    assert "single-leg-heel-drop" not in planned(week(6))
    assert "single-leg-heel-drop" not in planned(week(7, cleared_by_professional=False))
    assert "single-leg-heel-drop" in planned(week(7, cleared_by_professional=True))


def test_every_exclusion_has_a_plain_reason() -> None:
    plan = week(balance_problems=True, joint_pain=["knee"], has_step=False)
    assert plan.excluded
    assert all(len(e.reason) > 20 and e.reason[0].isupper() for e in plan.excluded)


def test_every_rule_in_content_is_decided_somewhere() -> None:
    rules = set(content_library().rules)
    assert rules == set(PREDICATES) | PLANNER_RULES


@pytest.mark.parametrize("number", [1, 2])
def test_safety_reason_comes_before_not_yet(number: int) -> None:
    """Early weeks must not tell someone with knee pain that heel jumps are coming."""
    library = content_library()
    reason = excluded(week(number, joint_pain=["knee"]))["heel-jump"]
    assert reason.startswith(library.rules["joint-pain"].reason)
    assert library.rules["jumps-need-base"].reason not in reason
